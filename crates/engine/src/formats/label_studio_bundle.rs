//! A Concord bundle from a Label Studio project (`concord bundle from-label-studio`): the schema from its label
//! config, the tasks from its export's `data`, its ground-truth annotations as the bundle's gold, and its
//! predictions kept as the bundle's predictions. A team moves a project into Concord this way, labels it offline,
//! and brings the results back as a Label Studio export.
//!
//! Per-region single `Choices` (`perRegion="true"`) become attributes of every label of the region controls (a bool
//! when the choices are `true`/`false`). What a Concord bundle cannot hold is named, not dropped silently:
//! controls of other kinds (`TextArea`, `Taxonomy`, …) and other per-region choices.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::label_studio::{LsExport, Region};
use super::label_studio_config::{ConfigKind, LabelConfig};
use super::label_studio_write::TASK_ID_FIELD;
use crate::bundle::{
    draft_guidelines, draft_label, ChunkRef, FileRef, GoldItem, Prediction, Project, Workflow, FORMAT_ID,
    FORMAT_VERSION,
};
use crate::error::InputError;
use crate::model::{
    Attribute, AttributeKind, BoxRegion, Control, ControlKind, ControlValue, DataKind, OverlapPolicy, PolygonRegion,
    Schema, SpanRegion, Task, TaskData, TaskResult,
};

/// Tasks per chunk file.
const CHUNK: usize = 1000;

/// A bundle made from a Label Studio project.
#[derive(Debug, Clone)]
pub struct FromLabelStudio {
    /// Every file: (path in the bundle, text), `project.json` first.
    pub files: Vec<(String, String)>,
    /// Tasks written.
    pub tasks: usize,
    /// Tasks with a ground-truth answer (the bundle's gold).
    pub gold: usize,
    /// Predictions kept.
    pub predictions: usize,
    /// What the bundle cannot hold, one line each.
    pub dropped: Vec<String>,
}

/// Makes the bundle. `file` names the export in errors; `id` and `name` are the project's.
pub fn bundle_from_label_studio(
    file: &str,
    config: &LabelConfig,
    export: &LsExport,
    id: &str,
    name: &str,
) -> Result<FromLabelStudio, InputError> {
    let whole = |why: String| InputError::whole(file, why);
    let config_schema = schema_from_label_config(file, config)?;
    let (schema, field) = (&config_schema.schema, config_schema.field.as_str());
    let data = schema.data;
    let mut dropped = config_schema.dropped.clone();

    // Each task's image size, from any region that gives it (Label Studio's data has none).
    let mut sizes: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let regions_of = export
        .annotations
        .iter()
        .map(|a| (a.task.as_str(), &a.regions))
        .chain(export.predictions.iter().map(|p| (p.task.as_str(), &p.regions)));
    for (task, regions) in regions_of {
        for r in regions {
            if let Region::Rect { image, .. } | Region::Polygon { image, .. } = r {
                sizes.entry(task).or_insert(*image);
            }
        }
    }
    let mut tasks = Vec::with_capacity(export.tasks.len());
    for (tid, d) in &export.tasks {
        let value = d.get(field).and_then(Value::as_str).ok_or_else(|| {
            whole(format!("task `{tid}`: its data has no `{field}` string, which the labelled object shows"))
        })?;
        let mut task_data = TaskData::default();
        match data {
            DataKind::Text => task_data.text = Some(value.to_string()),
            #[cfg(feature = "scene")]
            DataKind::PointCloud => task_data.points = Some(value.to_string()),
            #[cfg(not(feature = "scene"))]
            DataKind::PointCloud => {}
            DataKind::Image => {
                task_data.image = Some(value.to_string());
                // The size a task went out with (`width`/`height` in its data), else a region's.
                let given = (d.get("width").and_then(Value::as_f64), d.get("height").and_then(Value::as_f64));
                let size = match given {
                    (Some(w), Some(h)) if w > 0.0 && h > 0.0 => Some((w, h)),
                    _ => sizes.get(tid.as_str()).copied(),
                };
                if let Some((w, h)) = size {
                    (task_data.width, task_data.height) = (Some(w), Some(h));
                }
            }
        }
        let carried =
            |k: &str| k == field || k == TASK_ID_FIELD || (data == DataKind::Image && (k == "width" || k == "height"));
        let meta: Map<String, Value> =
            d.iter().filter(|(k, _)| !carried(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
        tasks.push(Task { id: tid.clone(), data: task_data, meta });
    }
    if tasks.is_empty() {
        return Err(whole("the export has no tasks".into()));
    }

    let mut attribute_drops = 0;
    let mut result_of = |regions: &[Region]| -> TaskResult {
        let (result, drops) = result_from_regions(&config_schema, regions);
        attribute_drops += drops;
        result
    };
    // Ground truth: the last ground-truth annotation of each task.
    let mut gold: BTreeMap<&str, GoldItem> = BTreeMap::new();
    for a in export.annotations.iter().filter(|a| a.ground_truth) {
        let result = result_of(&a.regions);
        gold.insert(
            &a.task,
            GoldItem { task: a.task.clone(), result, explanation: String::new(), section: String::new() },
        );
    }
    let predictions: Vec<Prediction> = export
        .predictions
        .iter()
        .map(|p| {
            let result = result_of(&p.regions);
            // A choice's score is the prediction's: Label Studio gives one score per prediction.
            let mut scores = Map::new();
            if let Some(s) = p.score {
                for (control, value) in &result.0 {
                    if let ControlValue::Choices(chosen) = value {
                        let per: Map<String, Value> = chosen.iter().map(|l| (l.clone(), Value::from(s))).collect();
                        scores.insert(control.clone(), Value::Object(per));
                    }
                }
            }
            Prediction { task: p.task.clone(), model: p.model.clone(), result, scores }
        })
        .collect();
    if let Some(n) = export.skipped_types.get(super::label_studio::UNREADABLE_PREDICTION) {
        dropped.push(format!("{n} predictions that could not be read (a box or polygon without the image's size)"));
    }
    if attribute_drops > 0 {
        dropped.push(format!(
            "{attribute_drops} per-region choices that are no single-choice perRegion control of the config"
        ));
    }

    let mut files = Vec::new();
    let mut chunks = Vec::new();
    for (n, part) in tasks.chunks(CHUNK).enumerate() {
        let path = format!("tasks/{n:03}.jsonl");
        chunks.push(ChunkRef { path: path.clone(), count: part.len() });
        files.push((path, jsonl(part)));
    }
    let gold_items: Vec<&GoldItem> = gold.values().collect();
    if !gold_items.is_empty() {
        files.push(("gold.jsonl".into(), jsonl(&gold_items)));
    }
    if !predictions.is_empty() {
        files.push(("predictions.jsonl".into(), jsonl(&predictions)));
    }
    let project = Project {
        format: FORMAT_ID.to_string(),
        version: FORMAT_VERSION,
        id: id.to_string(),
        name: name.to_string(),
        description: format!("Made from a Label Studio project ({file})."),
        guidelines: draft_guidelines(),
        rules: None,
        workflow: Workflow::default(),
        tasks: chunks,
        gold: (!gold_items.is_empty()).then(|| FileRef { path: "gold.jsonl".into() }),
        predictions: (!predictions.is_empty()).then(|| FileRef { path: "predictions.jsonl".into() }),
        sync: None,
        embeddings: None,
        schema: schema.clone(),
    };
    let guideline = guideline(&project);
    let manifest = serde_json::to_string_pretty(&project).expect("a project holds strings and numbers") + "\n";
    files.insert(0, ("guidelines.md".into(), guideline));
    files.insert(0, ("project.json".into(), manifest));
    // What was made must open as any bundle does: a label the config does not list fails here, with its place.
    let by_path: BTreeMap<&str, &str> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    crate::bundle::load_bundle(|p| by_path.get(p).map(|t| t.to_string()).ok_or_else(|| "not made".to_string()))?;
    Ok(FromLabelStudio { files, tasks: tasks.len(), gold: gold_items.len(), predictions: predictions.len(), dropped })
}

/// A Concord schema read from a label config, with where the tasks keep what is labelled.
#[derive(Debug, Clone)]
pub struct ConfigSchema {
    /// The schema.
    pub schema: Schema,
    /// The task data field the labelled object shows (`text` for `value="$text"`).
    pub field: String,
    /// The regions' attributes (the config's per-region single choices).
    pub attributes: Vec<Attribute>,
    /// What the schema cannot hold, one line each.
    pub dropped: Vec<String>,
}

/// The schema of a label config: its Choices, Labels, RectangleLabels, PolygonLabels and Rating as controls, its
/// per-region choices as the regions' attributes. One object must be labelled (a Concord project labels one text
/// or image); other controls are listed as dropped.
pub fn schema_from_label_config(file: &str, config: &LabelConfig) -> Result<ConfigSchema, InputError> {
    let whole = |why: String| InputError::whole(file, why);
    let mut dropped = Vec::new();
    let mut controls = Vec::new();
    // Per-region choices are the regions' attributes: declared on every label of the region controls.
    let attributes: Vec<Attribute> = config
        .controls
        .iter()
        .filter(|c| c.per_region && matches!(c.kind, ConfigKind::Choices { multiple: false }))
        .map(|c| {
            let is_bool = c.labels.len() == 2 && c.labels.iter().all(|l| l == "true" || l == "false");
            Attribute {
                name: c.name.clone(),
                kind: if is_bool { AttributeKind::Bool } else { AttributeKind::Enum },
                required: false,
                values: if is_bool { Vec::new() } else { c.labels.clone() },
                min: None,
                max: None,
            }
        })
        .collect();
    let is_attribute = |name: &str| attributes.iter().any(|a| a.name == name);
    for c in config.controls.iter().filter(|c| !is_attribute(&c.name)) {
        let kind = match &c.kind {
            ConfigKind::Choices { multiple: false } => ControlKind::SingleChoice,
            ConfigKind::Choices { multiple: true } => ControlKind::MultiChoice,
            ConfigKind::Labels => ControlKind::Spans,
            ConfigKind::RectangleLabels => ControlKind::Boxes,
            ConfigKind::PolygonLabels => ControlKind::Polygons,
            ConfigKind::Rating { .. } => ControlKind::Rating,
            ConfigKind::Other(tag) => {
                dropped.push(format!("control `{}` ({tag}): no Concord control of this kind", c.name));
                continue;
            }
        };
        let values: Vec<String> = match &c.kind {
            ConfigKind::Rating { max } => (1..=*max).map(|v| v.to_string()).collect(),
            _ => c.labels.clone(),
        };
        let regions = matches!(kind, ControlKind::Spans | ControlKind::Boxes | ControlKind::Polygons);
        let labels = values
            .iter()
            .map(|value| {
                let mut label = draft_label(value);
                if regions {
                    label.attributes = attributes.clone();
                }
                label
            })
            .collect();
        controls.push((
            c.to_name.split(',').next().unwrap_or("").to_string(),
            Control {
                name: c.name.clone(),
                kind,
                prompt: String::new(),
                labels,
                overlap: OverlapPolicy::default(),
                anchors: Vec::new(),
                camera: None,
            },
        ));
    }
    let Some((object, _)) = controls.first() else {
        return Err(InputError::whole(file, "the label config has no control Concord can hold"));
    };
    // One object labelled: its tag says what the tasks show, its field where the export keeps it.
    if let Some((other, c)) = controls.iter().find(|(o, _)| o != object) {
        return Err(whole(format!(
            "control `{}` labels `{other}` and the others `{object}`: a Concord project labels one text or image",
            c.name
        )));
    }
    let object = config.objects.iter().find(|o| o.name == *object).expect("checked by the config's reader");
    let data = match object.tag.as_str() {
        "Text" | "HyperText" => DataKind::Text,
        "Image" => DataKind::Image,
        other => return Err(whole(format!("object `{}` is a {other}: Concord labels texts and images", object.name))),
    };
    let schema = Schema { data, controls: controls.into_iter().map(|(_, c)| c).collect() };
    Ok(ConfigSchema { schema, field: object.field.clone(), attributes, dropped })
}

/// An annotation's or prediction's regions (as the Label Studio readers give them) as a result of `schema`:
/// regions of controls it does not have are left out; per-region choices become attributes. Returns the result and
/// how many per-region choices were no attribute of the schema.
pub fn result_from_regions(schema: &ConfigSchema, regions: &[Region]) -> (TaskResult, usize) {
    let attributes = &schema.attributes;
    let schema = &schema.schema;
    let mut attribute_drops = 0;
    let mut out: BTreeMap<String, ControlValue> = BTreeMap::new();
    for r in regions {
        let control = match r {
            Region::Choices { control, .. }
            | Region::Span { control, .. }
            | Region::Rect { control, .. }
            | Region::Polygon { control, .. } => control,
        };
        if schema.control(control).is_none() {
            continue;
        }
        let mut kept = BTreeMap::new();
        if let Region::Span { attributes: given, .. }
        | Region::Rect { attributes: given, .. }
        | Region::Polygon { attributes: given, .. } = r
        {
            for (name, values) in given {
                match (attributes.iter().find(|a| a.name == *name), values.as_slice()) {
                    (Some(a), [one]) if a.kind == AttributeKind::Bool => {
                        kept.insert(name.clone(), Value::Bool(one == "true"));
                    }
                    (Some(_), [one]) => {
                        kept.insert(name.clone(), Value::String(one.clone()));
                    }
                    _ => attribute_drops += 1,
                }
            }
        }
        let entry = out.entry(control.clone());
        match r {
            Region::Choices { choices, .. } => {
                entry.or_insert_with(|| ControlValue::Choices(Vec::new()));
                if let Some(ControlValue::Choices(v)) = out.get_mut(control) {
                    v.extend(choices.iter().cloned());
                }
            }
            Region::Span { start, end, labels, .. } => {
                if let ControlValue::Spans(v) = entry.or_insert_with(|| ControlValue::Spans(Vec::new())) {
                    v.extend(labels.iter().map(|l| SpanRegion {
                        start: *start as usize,
                        end: *end as usize,
                        label: l.clone(),
                        score: None,
                    }));
                }
            }
            Region::Rect { x, y, w, h, labels, .. } => {
                if let ControlValue::Boxes(v) = entry.or_insert_with(|| ControlValue::Boxes(Vec::new())) {
                    v.extend(labels.iter().map(|l| BoxRegion {
                        x: *x,
                        y: *y,
                        w: *w,
                        h: *h,
                        label: l.clone(),
                        attributes: kept.clone(),
                        score: None,
                    }));
                }
            }
            Region::Polygon { points, labels, .. } => {
                if let ControlValue::Polygons(v) = entry.or_insert_with(|| ControlValue::Polygons(Vec::new())) {
                    v.extend(labels.iter().map(|l| PolygonRegion {
                        points: points.clone(),
                        label: l.clone(),
                        attributes: kept.clone(),
                        score: None,
                    }));
                }
            }
        }
    }
    (TaskResult(out), attribute_drops)
}

fn jsonl<T: serde::Serialize>(rows: &[T]) -> String {
    let mut text = String::new();
    for r in rows {
        text.push_str(&serde_json::to_string(r).expect("results hold strings and finite numbers"));
        text.push('\n');
    }
    text
}

/// A guideline to fill in: a section per label of each control.
fn guideline(project: &Project) -> String {
    let mut md = format!(
        "# {} — labeling guideline\n\nMade from a Label Studio project: write what each label means.\n",
        project.name
    );
    for c in &project.schema.controls {
        md.push_str(&format!("\n## {}\n", c.name));
        for l in &c.labels {
            md.push_str(&format!("\n### {}\n\nWhen to use `{}`.\n", l.value, l.value));
        }
    }
    md
}
