//! Guideline rules: a declarative rule set (`rules.json`, part of the bundle, versioned with the guideline) checked
//! against one annotation on every edit, or against a whole dataset for guideline-specific error rates.
//!
//! Every rule has an `id`, a `severity` (`error` blocks submission, `warning` does not), a `message` and the
//! guideline `section` it enforces (an anchor such as `#tight-boxes`). The `kind` says what it checks; kinds are
//! grouped by what they look at: `labels.rs` (counts, allowed labels, attributes, conditions), `span_rules.rs`,
//! `box_rules.rs`, `cuboids.rs` (3D physics), `model.rs` (conflicts with confident predictions).
//! The rule file is checked against the schema when it is loaded, so validation itself cannot fail.

mod box_rules;
pub mod cuboids;
mod labels;
mod model;
mod parse;
mod span_rules;

use std::collections::BTreeMap;

use serde::Serialize;

pub use parse::parse_rules;

use crate::bundle::Prediction;
use crate::model::{Task, TaskResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One broken rule on one annotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub section: String,
    pub control: Option<String>,
    /// Index of the offending region in its control's list, when the rule is about one region.
    pub region: Option<usize>,
}

/// A loaded, schema-checked rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub guidelines_version: String,
    pub(crate) rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub id: String,
    pub severity: Severity,
    pub message: String,
    pub section: String,
    pub check: parse::Check,
}

impl RuleSet {
    pub fn len(&self) -> usize {
        self.rules.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// What a rule sees: the task (its text or image size), the annotation, and the model's prediction if any.
pub struct Subject<'a> {
    pub task: &'a Task,
    pub result: &'a TaskResult,
    pub prediction: Option<&'a Prediction>,
}

/// Checks one annotation against every rule (the instant check the app runs on each edit).
pub fn validate(rules: &RuleSet, s: &Subject) -> Vec<Violation> {
    let mut out = Vec::new();
    for rule in &rules.rules {
        let mut hit = |control: Option<&str>, region: Option<usize>, detail: Option<String>| {
            let message = match detail {
                Some(d) => format!("{} ({d})", rule.message),
                None => rule.message.clone(),
            };
            out.push(Violation {
                rule: rule.id.clone(),
                severity: rule.severity,
                message,
                section: rule.section.clone(),
                control: control.map(str::to_string),
                region,
            });
        };
        rule.check.run(s, &mut hit);
    }
    out
}

impl parse::Check {
    fn run(&self, s: &Subject, hit: &mut labels::Hit) {
        use parse::Check::*;
        match self {
            Count { control, label, min, max } => labels::count(s, control, label.as_deref(), *min, *max, hit),
            AllowedLabels { control, labels: allowed } => labels::allowed(s, control, allowed, hit),
            RequiredAttributes { control, label, attributes } => {
                labels::required_attributes(s, control, label, attributes, hit)
            }
            IfLabelThenAttribute { control, label, attribute, equals } => {
                labels::if_label_then_attribute(s, control, label, attribute, equals, hit)
            }
            IfChoiceThenForbid { if_control, if_label, control, label } => {
                labels::if_choice_then_forbid(s, if_control, if_label, control, label.as_deref(), hit)
            }
            TokenBoundaries { control } => span_rules::token_boundaries(s, control, hit),
            NoEdgeWhitespace { control } => span_rules::no_edge_whitespace(s, control, hit),
            MaxLength { control, label, max } => span_rules::max_length(s, control, label.as_deref(), *max, hit),
            NoOverlap { control, labels } => span_rules::no_overlap(s, control, labels, hit),
            Regex { control, label, regex, must_match } => {
                span_rules::regex(s, control, label, regex, *must_match, hit)
            }
            InsideImage { control, tolerance } => box_rules::inside_image(s, control, *tolerance, hit),
            MinSize { control, label, min_w, min_h, min_area } => {
                box_rules::min_size(s, control, label.as_deref(), *min_w, *min_h, *min_area, hit)
            }
            AspectRatio { control, label, min, max } => {
                box_rules::aspect_ratio(s, control, label.as_deref(), *min, *max, hit)
            }
            MaxOverlap { control, label, max_iou } => {
                box_rules::max_overlap(s, control, label.as_deref(), *max_iou, hit)
            }
            Nested { control, inner, outer, tolerance } => box_rules::nested(s, control, inner, outer, *tolerance, hit),
            ModelConflict { control, min_score } => model::model_conflict(s, control, *min_score, hit),
            CuboidSize { .. } | AboveGround { .. } | NoIntersection { .. } | MaxSpeed { .. } => {}
        }
    }
}

/// Whether any violation blocks submission.
pub fn blocks_submission(violations: &[Violation]) -> bool {
    violations.iter().any(|v| v.severity == Severity::Error)
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleStats {
    pub severity: Option<Severity>,
    pub section: String,
    /// Violations in all.
    pub violations: u64,
    /// Annotations with at least one violation of this rule.
    pub annotations: u64,
    /// `annotations` / all annotations checked.
    pub rate: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SectionStats {
    pub violations: u64,
    pub annotations: u64,
    pub rate: f64,
}

/// Violations over a dataset, grouped by rule and by guideline section: the guideline-specific error rates.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DatasetReport {
    pub annotations: u64,
    pub with_errors: u64,
    pub with_warnings: u64,
    pub by_rule: BTreeMap<String, RuleStats>,
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
    for s in subjects {
        r.annotations += 1;
        let v = validate(rules, &s);
        r.with_errors += v.iter().any(|v| v.severity == Severity::Error) as u64;
        r.with_warnings += v.iter().any(|v| v.severity == Severity::Warning) as u64;
        seen_rules.clear();
        seen_sections.clear();
        for x in &v {
            let rule = rules.rules.iter().find(|r| r.id == x.rule).expect("violations come from the rule set");
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
