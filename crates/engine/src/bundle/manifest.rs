//! `project.json`: the project definition.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::routing_settings::{RoutingSettings, TierCondition};
use super::urls::{check_bundle_path, check_sync_url};
use crate::error::InputError;
use crate::model::{AttributeKind, ControlKind, DataKind, Schema};

/// `project.json`'s `format`.
pub const FORMAT_ID: &str = "concord-project";
/// The `project.json` format version this build reads.
pub const FORMAT_VERSION: u64 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// A file of the bundle.
pub struct FileRef {
    /// Its path inside the bundle.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// The guideline: its current file and its earlier versions.
pub struct GuidelinesRef {
    /// The current guideline's path (Markdown).
    pub path: String,
    /// Every annotation records the guideline version it was made under.
    pub version: String,
    /// When the current version took effect (`YYYY-MM-DD`), if given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub date: String,
    /// Earlier versions, oldest first, so the app can show what changed between any two.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<GuidelineVersion>,
}

/// An earlier version of the guideline: its name, when it took effect, and its file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidelineVersion {
    /// The version's name.
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    /// When it took effect (free text, e.g. an ISO date).
    pub date: String,
    /// Its Markdown file.
    pub path: String,
}

/// One JSONL file of tasks. `count` lets the app show the total and locate task `n` without loading every chunk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChunkRef {
    /// The chunk's path.
    pub path: String,
    /// Tasks in the chunk.
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// `workflow.pilot`: the pilot batch and the gate production waits behind.
pub struct PilotSettings {
    /// Tasks in the pilot batch that every annotator labels.
    pub size: usize,
    /// Agreement (Krippendorff's alpha, nominal) the pilot must reach before production opens.
    pub min_agreement: f64,
    /// What "reach" means: the interval's lower bound (the default), the point estimate, or a risk.
    #[serde(default)]
    pub decide_by: GateRule,
}

/// How the pilot gate reads the evidence (`engine::pilot::pilot_gate`). In `project.json`: `"lower_bound"`,
/// `"point_estimate"` or `{"risk": 0.05}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateRule {
    /// Open when the 95 % item-bootstrap interval's lower bound clears the minimum: a pilot truly at the minimum
    /// opens the gate by chance at most 2.5 % of the time.
    #[default]
    LowerBound,
    /// Open when α itself clears it (a pilot truly at the minimum opens the gate half the time).
    PointEstimate,
    /// Open when the bootstrap probability that α is below the minimum is at most this.
    Risk(f64),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// `project.json`'s `workflow`: every step after labelling, each optional.
pub struct Workflow {
    /// Annotators per task.
    #[serde(default = "one")]
    pub overlap: u32,
    /// Share of accepted tasks re-checked by QC.
    #[serde(default = "ten_percent")]
    pub qc_sample_rate: f64,
    /// Seed of every random choice the workflow makes (QC sample, honeypot placement), for reproducibility.
    #[serde(default)]
    pub seed: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The pilot batch and its gate.
    pub pilot: Option<PilotSettings>,
    /// Adaptive overlap, tiers and the model's trust (see `routing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<RoutingSettings>,
    /// Whether annotator mode trains a model on the labels as they come (suggestions, uncertainty order, soft
    /// checks); `false` turns it off for everyone.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub live_model: bool,
}

fn one() -> u32 {
    1
}
fn yes() -> bool {
    true
}
fn is_yes(b: &bool) -> bool {
    *b
}
fn ten_percent() -> f64 {
    0.1
}

impl Default for Workflow {
    fn default() -> Self {
        Workflow { overlap: 1, qc_sample_rate: 0.1, seed: 0, pilot: None, routing: None, live_model: true }
    }
}

/// A parsed, validated `project.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// Always `concord-project`.
    pub format: String,
    /// The format version (see [`FORMAT_VERSION`]).
    pub version: u64,
    /// A stable id: where this browser keeps the project's work.
    pub id: String,
    /// The name shown.
    pub name: String,
    #[serde(default)]
    /// A line about the project.
    pub description: String,
    /// What is shown and what is produced.
    pub schema: Schema,
    /// The guideline and its versions.
    pub guidelines: GuidelinesRef,
    /// Guideline rules (JSON); loaded and kept, interpreted by the rules engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<FileRef>,
    #[serde(default)]
    /// Every step after labelling.
    pub workflow: Workflow,
    /// The task chunks, in order.
    pub tasks: Vec<ChunkRef>,
    /// Training gold: shown to annotators as feedback. Hidden honeypot answers are never listed here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gold: Option<FileRef>,
    /// Model outputs with scores (pre-annotations, active-learning order, model-conflict checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predictions: Option<FileRef>,
    /// Where the annotators' work syncs: a WebDAV folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<SyncSettings>,
    /// A vector per task, one binary file per chunk: what an image project's model learns from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embeddings: Option<super::EmbeddingsRef>,
}

/// `project.json`'s `sync`: a WebDAV folder the annotators' logs go up to and the lead's files come back from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSettings {
    /// The folder's URL, relative to the bundle (`../sync/`) or absolute (`https://dav.example.org/team/`); it
    /// ends with `/`. Plain `http://` only on loopback.
    pub url: String,
}

impl Project {
    /// Tasks over every chunk.
    pub fn task_count(&self) -> usize {
        self.tasks.iter().map(|c| c.count).sum()
    }
}

/// Parses and validates `project.json`. `file` names the file in errors.
pub fn parse_manifest(file: &str, text: &str) -> Result<Project, InputError> {
    /// The two fields read before the rest (every other field is skipped, unparsed).
    #[derive(Deserialize)]
    struct Head {
        format: Option<Value>,
        version: Option<Value>,
    }
    let head: Head = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => InputError::at_path(file, "$", "expected a JSON object"),
        _ => InputError::from_json(file, &e),
    })?;
    // Format and version first: a file from a newer Concord must say so, not fail on a field it does not know.
    match &head.format {
        Some(Value::String(f)) if f == FORMAT_ID => {}
        Some(other) => {
            return Err(InputError::at_path(file, "$.format", format!("expected \"{FORMAT_ID}\", found {other}")))
        }
        None => return Err(InputError::at_path(file, "$", format!("missing field `format` (\"{FORMAT_ID}\")"))),
    }
    match &head.version {
        Some(Value::Number(n)) if n.as_u64() == Some(FORMAT_VERSION) => {}
        Some(other) => {
            return Err(InputError::at_path(
                file,
                "$.version",
                format!("unsupported format version {other}: this Concord reads version {FORMAT_VERSION}"),
            ))
        }
        None => return Err(InputError::at_path(file, "$", "missing field `version`")),
    }
    // Read from the text, as every other bundle file is: one set of `Deserialize` code for the project's types.
    let project: Project = crate::json_path::from_str(text).map_err(|e| InputError::from_path_error(file, None, e))?;
    validate(file, &project)?;
    let mut project = project;
    assign_hotkeys(&mut project.schema);
    Ok(project)
}

fn validate(file: &str, p: &Project) -> Result<(), InputError> {
    let err = |path: String, why: String| Err(InputError::at_path(file, path, why));
    if p.id.trim().is_empty() {
        return err("$.id".into(), "must not be empty".into());
    }
    if p.name.trim().is_empty() {
        return err("$.name".into(), "must not be empty".into());
    }
    if p.schema.controls.is_empty() {
        return err("$.schema.controls".into(), "a schema needs at least one control".into());
    }
    let mut names = HashSet::new();
    for (ci, c) in p.schema.controls.iter().enumerate() {
        let at = format!("$.schema.controls[{ci}]");
        if c.name.trim().is_empty() {
            return err(format!("{at}.name"), "must not be empty".into());
        }
        if !names.insert(c.name.as_str()) {
            return err(format!("{at}.name"), format!("duplicate control name `{}`", c.name));
        }
        match (c.kind, p.schema.data) {
            (ControlKind::Spans, DataKind::Image | DataKind::PointCloud) => {
                return err(format!("{at}.type"), "`spans` needs text data (schema.data = \"text\")".into())
            }
            (ControlKind::Boxes, DataKind::Text) => {
                return err(format!("{at}.type"), "`boxes` needs image data (schema.data = \"image\")".into())
            }
            (ControlKind::Polygons, DataKind::Text) => {
                return err(format!("{at}.type"), "`polygons` needs image data (schema.data = \"image\")".into())
            }
            (ControlKind::Cuboids, DataKind::Image | DataKind::Text) => {
                return err(
                    format!("{at}.type"),
                    "`cuboids` needs point-cloud data (schema.data = \"point_cloud\")".into(),
                )
            }
            _ => {}
        }
        let two_d = matches!(c.kind, ControlKind::Boxes | ControlKind::Polygons);
        match (&c.camera, two_d && p.schema.data == DataKind::PointCloud) {
            (Some(camera), true) if camera.trim().is_empty() => {
                return err(format!("{at}.camera"), "must not be empty: the name of one of the frames' cameras".into())
            }
            (Some(_), false) => {
                return err(
                    format!("{at}.camera"),
                    "`camera` belongs to a boxes or polygons control of a point-cloud project".into(),
                )
            }
            (None, true) => {
                return err(
                    format!("{at}.camera"),
                    format!(
                        "a point-cloud project's {} are drawn on a camera's image: name the camera (`\"camera\": \"front\"`)",
                        if c.kind == ControlKind::Boxes { "boxes" } else { "polygons" }
                    ),
                )
            }
            _ => {}
        }
        if c.labels.is_empty() {
            return err(format!("{at}.labels"), "a control needs at least one label".into());
        }
        if c.kind == ControlKind::Rating {
            // The scale's values, ascending: what ordinal and interval measures rank and subtract.
            let mut last = f64::NEG_INFINITY;
            for (li, l) in c.labels.iter().enumerate() {
                match l.value.trim().parse::<f64>() {
                    Ok(v) if v.is_finite() && v > last => last = v,
                    Ok(_) => {
                        return err(format!("{at}.labels[{li}].value"), "a rating scale's values must ascend".into())
                    }
                    Err(_) => {
                        return err(
                            format!("{at}.labels[{li}].value"),
                            format!("`{}`: a rating scale's values are numbers", l.value),
                        )
                    }
                }
            }
        }
        if !c.anchors.is_empty() && c.kind != ControlKind::Rating {
            return err(format!("{at}.anchors"), "anchors belong to a rating control".into());
        }
        for (ai, a) in c.anchors.iter().enumerate() {
            if c.label_index(&a.value).is_none() {
                return err(format!("{at}.anchors[{ai}].value"), format!("`{}` is not a value of the scale", a.value));
            }
        }
        let mut values = HashSet::new();
        let mut keys = HashSet::new();
        for (li, l) in c.labels.iter().enumerate() {
            let at = format!("{at}.labels[{li}]");
            if l.value.trim().is_empty() {
                return err(format!("{at}.value"), "must not be empty".into());
            }
            if !values.insert(l.value.as_str()) {
                return err(format!("{at}.value"), format!("duplicate label `{}`", l.value));
            }
            if let Some(k) = &l.hotkey {
                if k.chars().count() != 1 || !k.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return err(format!("{at}.hotkey"), format!("`{k}`: a hotkey is one letter or digit"));
                }
                if !keys.insert(k.to_ascii_lowercase()) {
                    return err(format!("{at}.hotkey"), format!("hotkey `{k}` is used twice in this control"));
                }
            }
            if let Some(col) = &l.color {
                let ok = col.len() == 7 && col.starts_with('#') && col[1..].chars().all(|c| c.is_ascii_hexdigit());
                if !ok {
                    return err(format!("{at}.color"), format!("`{col}`: expected #rrggbb"));
                }
            }
            let mut attr_names = HashSet::new();
            for (ai, a) in l.attributes.iter().enumerate() {
                let at = format!("{at}.attributes[{ai}]");
                if !attr_names.insert(a.name.as_str()) {
                    return err(format!("{at}.name"), format!("duplicate attribute `{}`", a.name));
                }
                match a.kind {
                    AttributeKind::Enum if a.values.is_empty() => {
                        return err(format!("{at}.values"), "an enum attribute needs values".into())
                    }
                    AttributeKind::Number => {
                        if let (Some(lo), Some(hi)) = (a.min, a.max) {
                            if lo > hi {
                                return err(format!("{at}.min"), format!("min {lo} is above max {hi}"));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    check_path(file, "$.guidelines.path", &p.guidelines.path)?;
    if p.guidelines.version.trim().is_empty() {
        return err("$.guidelines.version".into(), "must not be empty".into());
    }
    let mut seen = vec![p.guidelines.version.as_str()];
    for (k, h) in p.guidelines.history.iter().enumerate() {
        check_path(file, &format!("$.guidelines.history[{k}].path"), &h.path)?;
        if h.version.trim().is_empty() {
            return err(format!("$.guidelines.history[{k}].version"), "must not be empty".into());
        }
        if seen.contains(&h.version.as_str()) {
            return err(
                format!("$.guidelines.history[{k}].version"),
                format!("version `{}` is listed twice", h.version),
            );
        }
        seen.push(&h.version);
    }
    if let Some(r) = &p.rules {
        check_path(file, "$.rules.path", &r.path)?;
    }
    check_workflow(&p.workflow).map_err(|(path, why)| InputError::at_path(file, format!("$.workflow{path}"), why))?;
    if p.tasks.is_empty() {
        return err("$.tasks".into(), "a project needs at least one task chunk".into());
    }
    let mut chunk_paths = HashSet::new();
    for (i, c) in p.tasks.iter().enumerate() {
        check_path(file, &format!("$.tasks[{i}].path"), &c.path)?;
        if !chunk_paths.insert(c.path.as_str()) {
            return err(format!("$.tasks[{i}].path"), format!("chunk `{}` is listed twice", c.path));
        }
    }
    if let Some(g) = &p.gold {
        check_path(file, "$.gold.path", &g.path)?;
    }
    if let Some(pr) = &p.predictions {
        check_path(file, "$.predictions.path", &pr.path)?;
    }
    check_sync(file, p)?;
    if let Some(e) = &p.embeddings {
        if e.dimension == 0 || e.dimension > super::MAX_DIMENSION {
            return err(
                "$.embeddings.dimension".into(),
                format!("{} is not in 1..={}", e.dimension, super::MAX_DIMENSION),
            );
        }
        if e.chunks.len() != p.tasks.len() {
            return err(
                "$.embeddings.chunks".into(),
                format!("{} files for {} task chunks: one per chunk, in the same order", e.chunks.len(), p.tasks.len()),
            );
        }
        let mut seen = HashSet::new();
        for (i, path) in e.chunks.iter().enumerate() {
            check_path(file, &format!("$.embeddings.chunks[{i}]"), path)?;
            if !seen.insert(path.as_str()) || chunk_paths.contains(path.as_str()) {
                return err(format!("$.embeddings.chunks[{i}]"), format!("`{path}` is listed twice"));
            }
        }
    }
    Ok(())
}

/// The workflow's settings: `Err((path under $.workflow, why))`.
fn check_workflow(w: &Workflow) -> Result<(), (String, String)> {
    let err = |path: &str, why: String| Err((path.to_string(), why));
    if w.overlap == 0 {
        return err(".overlap", "must be at least 1".into());
    }
    if !(0.0..=1.0).contains(&w.qc_sample_rate) {
        return err(".qc_sample_rate", format!("{} is not a rate in [0, 1]", w.qc_sample_rate));
    }
    if let Some(pilot) = &w.pilot {
        if !(-1.0..=1.0).contains(&pilot.min_agreement) {
            return err(".pilot.min_agreement", "must be in [-1, 1]".into());
        }
        if pilot.size == 0 {
            return err(".pilot.size", "must be at least 1".into());
        }
        if let GateRule::Risk(r) = pilot.decide_by {
            if !(r > 0.0 && r < 0.5) {
                return err(".pilot.decide_by.risk", format!("{r} is not a risk in (0, 0.5)"));
            }
        }
    }
    if let Some(r) = &w.routing {
        check_routing(r).map_err(|(path, why)| (format!(".routing{path}"), why))?;
    }
    Ok(())
}

fn check_sync(file: &str, p: &Project) -> Result<(), InputError> {
    match &p.sync {
        Some(s) => check_sync_url(&s.url).map_err(|why| InputError::at_path(file, "$.sync.url", why.to_string())),
        None => Ok(()),
    }
}

fn check_path(file: &str, at: &str, path: &str) -> Result<(), InputError> {
    check_bundle_path(path).map_err(|why| InputError::at_path(file, at, why.to_string()))
}

/// Labels without a hotkey get 1–9, 0, then a–z, in label order, skipping keys already taken.
fn assign_hotkeys(schema: &mut Schema) {
    const KEYS: &str = "1234567890abcdefghijklmnopqrstuvwxyz";
    for c in &mut schema.controls {
        let taken: HashSet<String> = c.labels.iter().filter_map(|l| l.hotkey.clone()).collect();
        let mut free = KEYS.chars().map(String::from).filter(|k| !taken.contains(k));
        for l in &mut c.labels {
            if l.hotkey.is_none() {
                l.hotkey = free.next();
            }
        }
    }
}

/// The routing settings make sense: overlaps ordered, rates in [0, 1], every rule's tier declared, thresholds valid.
fn check_routing(r: &RoutingSettings) -> Result<(), (String, String)> {
    let o = &r.overlap;
    if o.low == 0 || o.low > o.high {
        return Err((".overlap".into(), format!("need 1 ≤ low ≤ high (got low {}, high {})", o.low, o.high)));
    }
    if o.window == 0 {
        return Err((".overlap.window".into(), "must be at least 1 gold check".into()));
    }
    if !(0.0..=1.0).contains(&o.min_accuracy) {
        return Err((".overlap.min_accuracy".into(), format!("{} is not a rate in [0, 1]", o.min_accuracy)));
    }
    let mut seen = HashSet::new();
    for (i, t) in r.tiers.iter().enumerate() {
        if t.trim().is_empty() || !seen.insert(t.as_str()) {
            return Err((format!(".tiers[{i}]"), format!("`{t}`: tiers need distinct, non-empty names")));
        }
    }
    for (i, rule) in r.rules.iter().enumerate() {
        if !r.tiers.contains(&rule.tier) {
            return Err((
                format!(".rules[{i}].tier"),
                format!("`{}` is not one of the tiers {:?}", rule.tier, r.tiers),
            ));
        }
        let bad = match rule.when {
            TierCondition::ModelConfidenceBelow(t) | TierCondition::PriorAgreementBelow(t) => !(0.0..=1.0).contains(&t),
            TierCondition::ObjectsAbove(_) | TierCondition::Always => false,
        };
        if bad {
            return Err((format!(".rules[{i}].when"), "the threshold must be in [0, 1]".into()));
        }
    }
    if let Some(m) = &r.model {
        for (k, v) in [("min_gold_accuracy", m.min_gold_accuracy), ("min_conflict_score", m.min_conflict_score)] {
            if !(0.0..=1.0).contains(&v) {
                return Err((format!(".model.{k}"), format!("{v} is not in [0, 1]")));
            }
        }
    }
    Ok(())
}
