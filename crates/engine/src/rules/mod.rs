//! Guideline rules: a declarative rule set (`rules.json`, part of the bundle, versioned with the guideline) checked
//! against one annotation on every edit, or against a whole dataset for guideline-specific error rates.
//!
//! Every rule has an `id`, a `severity` (`error` blocks submission, `warning` does not), a `message` and the
//! guideline `section` it enforces (an anchor such as `#tight-boxes`). The `kind` says what it checks; kinds are
//! grouped by what they look at: `labels.rs` (counts, allowed labels, attributes, conditions), `span_rules.rs`,
//! `box_rules.rs`, `cuboids.rs` (3D physics), `model.rs` (conflicts with confident predictions).
//! The rule file is checked against the schema when it is loaded, so validation itself cannot fail.

use crate::sorting::LeanSort;

mod against_schema;
mod box_rules;
mod check;
pub(crate) mod cuboids;
mod labels;
mod model;
mod parse;
mod span_rules;

pub use crate::scene::{parse_cuboids, Cuboid};
pub use cuboids::{validate_frame, validate_scene, validate_scene_in, CuboidViolation, SceneContext};

use std::collections::BTreeMap;

use serde::Serialize;

pub use model::{live_model_rules, LIVE_MODEL_MIN_SCORE};
pub use parse::parse_rules;

use crate::bundle::Prediction;
use crate::model::{BoxRegion, ControlValue, PolygonRegion, SpanRegion, Task, TaskResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
/// How bad a broken rule is.
pub enum Severity {
    /// Blocks submission.
    Error,
    /// Shown, never blocks.
    Warning,
}

/// One broken rule on one annotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The rule's id.
    pub rule: String,
    /// How bad.
    pub severity: Severity,
    /// What is wrong, for the annotator.
    pub message: String,
    /// The guideline section the rule comes from.
    pub section: String,
    /// The control the rule looks at.
    pub control: Option<String>,
    /// Index of the offending region in its control's list, when the rule is about one region.
    pub region: Option<usize>,
}

/// A loaded, schema-checked rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// The guideline version the rules belong to.
    pub guidelines_version: String,
    pub(crate) rules: Vec<Rule>,
    /// The controls the rules look at; a rule refers to its control by index.
    pub(crate) controls: Vec<String>,
    /// The labels the rules name, sorted; a label's id is its index. Regions' labels are mapped to these ids once
    /// per annotation, so 50 rules compare integers, not strings (string comparisons were most of the check).
    pub(crate) labels: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub id: String,
    pub severity: Severity,
    pub message: String,
    pub section: String,
    pub check: check::Check,
    /// Index of the check's control in `RuleSet::controls` (`NO_CONTROL` for 3D rules).
    pub control: usize,
    /// Id of the check's label filter, when it has one.
    pub label: Option<LabelId>,
}

pub(crate) type LabelId = u16;
/// The id of a region label no rule names. Two such labels may differ: compare their strings.
pub(crate) const UNNAMED: LabelId = LabelId::MAX;
pub(crate) const NO_CONTROL: usize = usize::MAX;

impl RuleSet {
    fn label_id(&self, label: &str) -> LabelId {
        // A short table is faster scanned than searched: `same` is inlined, `cmp` is a libc call per probe.
        if self.labels.len() <= 16 {
            return self.labels.iter().position(|l| labels::same(l, label)).map_or(UNNAMED, |i| i as LabelId);
        }
        self.labels.binary_search_by(|l| l.as_str().cmp(label)).map_or(UNNAMED, |i| i as LabelId)
    }
}

/// The annotation as the rules see it: every control of the rule set resolved once, every region's label
/// turned into a label id. Kept between annotations by `validate_all`, so checking a dataset does not allocate.
#[derive(Default)]
pub(crate) struct Prepared<'a> {
    values: Vec<Option<&'a ControlValue>>,
    ids: Vec<Vec<LabelId>>,
    /// Per control: (label id, region index), sorted, so a rule about one label visits only its regions.
    by_label: Vec<Vec<(LabelId, u32)>>,
}

impl<'a> Prepared<'a> {
    fn fill(&mut self, rules: &RuleSet, result: &'a TaskResult) {
        self.values.clear();
        self.ids.resize_with(rules.controls.len(), Vec::new);
        self.by_label.resize_with(rules.controls.len(), Vec::new);
        for ((c, ids), by_label) in rules.controls.iter().zip(&mut self.ids).zip(&mut self.by_label) {
            let v = result.0.get(c);
            ids.clear();
            match v {
                Some(ControlValue::Choices(x)) => ids.extend(x.iter().map(|l| rules.label_id(l))),
                Some(ControlValue::Spans(x)) => ids.extend(x.iter().map(|r| rules.label_id(&r.label))),
                Some(ControlValue::Boxes(x)) => ids.extend(x.iter().map(|r| rules.label_id(&r.label))),
                Some(ControlValue::Polygons(x)) => ids.extend(x.iter().map(|r| rules.label_id(&r.label))),
                #[cfg(feature = "scene")]
                Some(ControlValue::Cuboids(x)) => ids.extend(x.iter().map(|r| rules.label_id(&r.label))),
                None => {}
            }
            by_label.clear();
            by_label.extend(ids.iter().enumerate().map(|(i, &l)| (l, i as u32)));
            by_label.lean_sort();
            self.values.push(v);
        }
    }

    fn view(&self, control: usize) -> View<'_> {
        match self.values.get(control) {
            Some(v) => View { value: *v, ids: &self.ids[control], by_label: &self.by_label[control] },
            None => View { value: None, ids: &[], by_label: &[] },
        }
    }
}

/// One control of the annotation, with its regions' (or choices') label ids in order.
pub(crate) struct View<'a> {
    pub value: Option<&'a ControlValue>,
    pub ids: &'a [LabelId],
    by_label: &'a [(LabelId, u32)],
}

impl<'a> View<'a> {
    pub fn boxes(&self) -> &'a [BoxRegion] {
        match self.value {
            Some(ControlValue::Boxes(v)) => v,
            _ => &[],
        }
    }
    pub fn polygons(&self) -> &'a [PolygonRegion] {
        match self.value {
            Some(ControlValue::Polygons(v)) => v,
            _ => &[],
        }
    }
    pub fn spans(&self) -> &'a [SpanRegion] {
        match self.value {
            Some(ControlValue::Spans(v)) => v,
            _ => &[],
        }
    }
    /// The indices of the regions (or choices) that pass the label filter, in order.
    pub fn selected(&self, label: Option<LabelId>) -> Selected<'a> {
        match label {
            None => Selected::All(0..self.ids.len()),
            Some(l) => {
                let from = self.by_label.partition_point(|x| x.0 < l);
                let to = from + self.by_label[from..].partition_point(|x| x.0 == l);
                Selected::Label(self.by_label[from..to].iter())
            }
        }
    }
}

pub(crate) enum Selected<'a> {
    All(std::ops::Range<usize>),
    Label(std::slice::Iter<'a, (LabelId, u32)>),
}

impl Iterator for Selected<'_> {
    type Item = usize;
    #[inline]
    fn next(&mut self) -> Option<usize> {
        match self {
            Selected::All(r) => r.next(),
            Selected::Label(it) => it.next().map(|x| x.1 as usize),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = match self {
            Selected::All(r) => r.len(),
            Selected::Label(it) => it.len(),
        };
        (n, Some(n))
    }
}

impl ExactSizeIterator for Selected<'_> {}

impl RuleSet {
    /// Rules in the set.
    pub fn len(&self) -> usize {
        self.rules.len()
    }
    /// Whether the set has no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
    /// Whether a rule counts the points inside cuboids (`min_points`): what a caller must give clouds or counts for.
    pub fn counts_points(&self) -> bool {
        self.rules.iter().any(|r| matches!(r.check, check::Check::Scene(check::SceneCheck::MinPoints { .. })))
    }
}

/// What a rule sees: the task (its text or image size), the annotation, and the model's prediction if any.
pub struct Subject<'a> {
    /// The task.
    pub task: &'a Task,
    /// The annotation.
    pub result: &'a TaskResult,
    /// The model's prediction for the task.
    pub prediction: Option<&'a Prediction>,
}

/// Checks one annotation against every rule (the instant check the app runs on each edit).
pub fn validate(rules: &RuleSet, s: &Subject) -> Vec<Violation> {
    let mut out = Vec::new();
    validate_into(rules, s, &mut Prepared::default(), &mut |_, v| out.push(v));
    out
}

/// Checks one annotation, handing each violation with the index of its rule to `found`.
fn validate_into<'a>(rules: &RuleSet, s: &Subject<'a>, p: &mut Prepared<'a>, found: &mut dyn FnMut(usize, Violation)) {
    p.fill(rules, s.result);
    for (k, rule) in rules.rules.iter().enumerate() {
        let mut hit = |control: Option<&str>, region: Option<usize>, detail: Option<String>| {
            let message = match detail {
                Some(d) => format!("{} ({d})", rule.message),
                None => rule.message.clone(),
            };
            found(
                k,
                Violation {
                    rule: rule.id.clone(),
                    severity: rule.severity,
                    message,
                    section: rule.section.clone(),
                    control: control.map(str::to_string),
                    region,
                },
            );
        };
        rule.check.run(s, &p.view(rule.control), rule.label, &mut hit);
    }
}

impl check::Check {
    /// Runs the check; `v` is the view of its control, `lid` the id of its label filter.
    fn run(&self, s: &Subject, v: &View, lid: Option<LabelId>, hit: &mut labels::Hit) {
        use check::Check::*;
        match self {
            Count { control, label, min, max } => labels::count(v, control, label.as_deref(), lid, *min, *max, hit),
            AllowedLabels { control, labels: allowed } => labels::allowed(v, control, allowed, hit),
            RequiredAttributes { control, label, attributes } => {
                labels::required_attributes(v, control, label, attributes, hit)
            }
            IfLabelThenAttribute { control, label, attribute, equals } => {
                labels::if_label_then_attribute(v, control, label, attribute, equals, hit)
            }
            IfChoiceThenForbid { if_control, if_label, control, label } => {
                labels::if_choice_then_forbid(s, v, if_control, if_label, control, label.as_deref(), hit)
            }
            TokenBoundaries { control } => span_rules::token_boundaries(s, v, control, hit),
            NoEdgeWhitespace { control } => span_rules::no_edge_whitespace(s, v, control, hit),
            MaxLength { control, max, .. } => span_rules::max_length(v, control, lid, *max, hit),
            NoOverlap { control, labels } => span_rules::no_overlap(v, control, labels, hit),
            Regex { control, label, regex, must_match } => {
                span_rules::regex(s, v, control, label, regex, *must_match, hit)
            }
            InsideImage { control, tolerance, camera } => {
                box_rules::inside_image(s, v, control, camera.as_deref(), *tolerance, hit)
            }
            SimplePolygon { control } => box_rules::simple_polygon(v, control, hit),
            MinSize { control, min_w, min_h, min_area, .. } => {
                box_rules::min_size(v, control, lid, *min_w, *min_h, *min_area, hit)
            }
            AspectRatio { control, min, max, .. } => box_rules::aspect_ratio(v, control, lid, *min, *max, hit),
            MaxOverlap { control, max_iou, .. } => box_rules::max_overlap(v, control, lid, *max_iou, hit),
            Nested { control, inner, outer, tolerance } => box_rules::nested(v, control, inner, outer, *tolerance, hit),
            ModelConflict { control, min_score } => model::model_conflict(s, v, control, *min_score, hit),
            Scene(_) => {}
        }
    }
}

/// Whether any violation blocks submission.
pub fn blocks_submission(violations: &[Violation]) -> bool {
    violations.iter().any(|v| v.severity == Severity::Error)
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
/// One rule's violations over a dataset.
pub struct RuleStats {
    /// The rule's severity (None when it is not in the rule set).
    pub severity: Option<Severity>,
    /// Its guideline section.
    pub section: String,
    /// Violations in all.
    pub violations: u64,
    /// Annotations with at least one violation of this rule.
    pub annotations: u64,
    /// `annotations` / all annotations checked.
    pub rate: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
/// Violations of one guideline section's rules over a dataset.
pub struct SectionStats {
    /// Violations in all.
    pub violations: u64,
    /// Annotations with at least one.
    pub annotations: u64,
    /// `annotations` / all annotations checked.
    pub rate: f64,
}

/// Violations over a dataset, grouped by rule and by guideline section: the guideline-specific error rates.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DatasetReport {
    /// Annotations checked.
    pub annotations: u64,
    /// Of those, with an error.
    pub with_errors: u64,
    /// Of those, with a warning.
    pub with_warnings: u64,
    /// Per rule id.
    pub by_rule: BTreeMap<String, RuleStats>,
    /// Per guideline section.
    pub by_section: BTreeMap<String, SectionStats>,
}

/// Checks every annotation. The report's rates are per annotation checked.
pub fn validate_all<'a>(rules: &RuleSet, subjects: impl IntoIterator<Item = Subject<'a>>) -> DatasetReport {
    let mut r = DatasetReport::default();
    for rule in &rules.rules {
        let stats = r.by_rule.entry(rule.id.clone()).or_default();
        stats.severity = Some(rule.severity);
        stats.section = rule.section.clone();
        r.by_section.entry(rule.section.clone()).or_default();
    }
    let mut seen_rules: Vec<&str> = Vec::new();
    let mut seen_sections: Vec<&str> = Vec::new();
    let mut prepared = Prepared::default();
    let mut v: Vec<(usize, Violation)> = Vec::new();
    for s in subjects {
        r.annotations += 1;
        v.clear();
        validate_into(rules, &s, &mut prepared, &mut |k, x| v.push((k, x)));
        r.with_errors += v.iter().any(|(_, v)| v.severity == Severity::Error) as u64;
        r.with_warnings += v.iter().any(|(_, v)| v.severity == Severity::Warning) as u64;
        seen_rules.clear();
        seen_sections.clear();
        for (k, x) in &v {
            let rule = &rules.rules[*k];
            let st = r.by_rule.get_mut(&x.rule).unwrap();
            st.violations += 1;
            if !seen_rules.contains(&rule.id.as_str()) {
                seen_rules.push(&rule.id);
                st.annotations += 1;
            }
            let sec = r.by_section.get_mut(&x.section).unwrap();
            sec.violations += 1;
            if !seen_sections.contains(&rule.section.as_str()) {
                seen_sections.push(&rule.section);
                sec.annotations += 1;
            }
        }
    }
    let n = r.annotations.max(1) as f64;
    for st in r.by_rule.values_mut() {
        st.rate = st.annotations as f64 / n;
    }
    for st in r.by_section.values_mut() {
        st.rate = st.annotations as f64 / n;
    }
    r
}
