//! Error categories: what exactly differs between an annotation and its reference (gold, or the reviewer's fix).
//!
//! - choices: a different label is `wrong_label`;
//! - spans: exact matches are correct; an unmatched reference span that overlaps an unmatched annotated span of the
//!   same label is a `boundary` error, of another label with the same boundaries a `wrong_label`; the rest are
//!   `missed` (reference only) or `extra` (annotation only);
//! - boxes and polygons (IoU of polygons, exact): reference and annotated regions are paired by an optimal assignment on IoU ≥ 0.5 (any label); a pair with
//!   different labels is `wrong_label`, with IoU < `tight_iou` (0.75) a `boundary` error, with different attributes an
//!   `attribute` error; unpaired boxes are `missed` or `extra`;
//! - guideline rule violations are counted as `rule_violation`, by rule id and by guideline section.
//!
//! Counts and rates are kept per annotator, per label (the reference's label; the annotation's for extras) and per
//! guideline section.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::boxes::assignment::max_weight_pairs;
#[cfg(feature = "scene")]
use crate::model::Cuboid;
use crate::model::{BoxRegion, ControlValue, ErrorCategory, ImageRegion, PolygonRegion, SpanRegion, TaskResult};
use crate::rules::Violation;

/// One error found in one annotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The kind of error.
    pub category: ErrorCategory,
    /// The control it is in.
    pub control: String,
    /// The reference's label (the annotation's, for an extra region).
    pub label: String,
    /// Rule id and guideline section, for rule violations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The guideline section of the rule.
    pub section: Option<String>,
}

/// Below this IoU a paired box or polygon is a `boundary` error.
pub const TIGHT_IOU: f64 = 0.75;

/// Compares one annotation with its reference, and adds its rule violations.
pub fn classify(annotation: &TaskResult, reference: &TaskResult, violations: &[Violation]) -> Vec<Finding> {
    let mut out = Vec::new();
    let f = |category, control: &str, label: &str| Finding {
        category,
        control: control.to_string(),
        label: label.to_string(),
        rule: None,
        section: None,
    };
    for (control, want) in &reference.0 {
        let got = annotation.0.get(control);
        match want {
            ControlValue::Choices(w) => {
                let g: &[String] = match got {
                    Some(ControlValue::Choices(g)) => g,
                    _ => &[],
                };
                for l in w.iter().filter(|l| !g.contains(l)) {
                    out.push(f(ErrorCategory::WrongLabel, control, l));
                }
            }
            ControlValue::Spans(w) => {
                let g: &[SpanRegion] = match got {
                    Some(ControlValue::Spans(g)) => g,
                    _ => &[],
                };
                spans(control, w, g, &mut out);
            }
            ControlValue::Boxes(w) => {
                let g: &[BoxRegion] = match got {
                    Some(ControlValue::Boxes(g)) => g,
                    _ => &[],
                };
                regions(control, w, g, &mut out);
            }
            ControlValue::Polygons(w) => {
                let g: &[PolygonRegion] = match got {
                    Some(ControlValue::Polygons(g)) => g,
                    _ => &[],
                };
                regions(control, w, g, &mut out);
            }
            #[cfg(feature = "scene")]
            ControlValue::Cuboids(w) => {
                let g: &[Cuboid] = match got {
                    #[cfg(feature = "scene")]
                    Some(ControlValue::Cuboids(g)) => g,
                    _ => &[],
                };
                regions(control, w, g, &mut out);
            }
        }
    }
    // Regions of controls the reference leaves empty are extras.
    for (control, got) in &annotation.0 {
        if reference.0.contains_key(control) {
            continue;
        }
        let labels: Vec<&str> = match got {
            ControlValue::Spans(g) => g.iter().map(|s| s.label.as_str()).collect(),
            ControlValue::Boxes(g) => g.iter().map(|b| b.label.as_str()).collect(),
            ControlValue::Polygons(g) => g.iter().map(|b| b.label.as_str()).collect(),
            #[cfg(feature = "scene")]
            ControlValue::Cuboids(g) => g.iter().map(|b| b.label.as_str()).collect(),
            ControlValue::Choices(_) => Vec::new(),
        };
        out.extend(labels.into_iter().map(|l| f(ErrorCategory::ExtraRegion, control, l)));
    }
    for v in violations {
        out.push(Finding {
            category: ErrorCategory::RuleViolation,
            control: v.control.clone().unwrap_or_default(),
            label: String::new(),
            rule: Some(v.rule.clone()),
            section: Some(v.section.clone()),
        });
    }
    out
}

fn spans(control: &str, want: &[SpanRegion], got: &[SpanRegion], out: &mut Vec<Finding>) {
    let key = |s: &SpanRegion| (s.start, s.end, s.label.clone());
    let mut w_left: Vec<&SpanRegion> = Vec::new();
    let mut g_used = vec![false; got.len()];
    for s in want {
        match got.iter().enumerate().find(|(j, g)| !g_used[*j] && key(g) == key(s)) {
            Some((j, _)) => g_used[j] = true,
            None => w_left.push(s),
        }
    }
    for s in w_left {
        let overlapping = got.iter().enumerate().find(|(j, g)| !g_used[*j] && g.start < s.end && s.start < g.end);
        match overlapping {
            Some((j, g)) => {
                g_used[j] = true;
                let cat = if g.label == s.label { ErrorCategory::Boundary } else { ErrorCategory::WrongLabel };
                out.push(Finding {
                    category: cat,
                    control: control.into(),
                    label: s.label.clone(),
                    rule: None,
                    section: None,
                });
            }
            None => out.push(Finding {
                category: ErrorCategory::MissedRegion,
                control: control.into(),
                label: s.label.clone(),
                rule: None,
                section: None,
            }),
        }
    }
    for g in got.iter().zip(&g_used).filter(|(_, used)| !**used).map(|(g, _)| g) {
        out.push(Finding {
            category: ErrorCategory::ExtraRegion,
            control: control.into(),
            label: g.label.clone(),
            rule: None,
            section: None,
        });
    }
}

fn regions<R: ImageRegion>(control: &str, want: &[R], got: &[R], out: &mut Vec<Finding>) {
    let weights: Vec<f64> =
        want.iter().flat_map(|w| got.iter().map(move |g| w.iou(g))).map(|v| if v >= 0.5 { v } else { 0.0 }).collect();
    let pairs = max_weight_pairs(&weights, want.len(), got.len());
    let (mut w_used, mut g_used) = (vec![false; want.len()], vec![false; got.len()]);
    let push = |out: &mut Vec<Finding>, category, label: &str| {
        out.push(Finding { category, control: control.into(), label: label.to_string(), rule: None, section: None })
    };
    for &(i, j) in &pairs {
        w_used[i] = true;
        g_used[j] = true;
        let (w, g) = (&want[i], &got[j]);
        if w.label() != g.label() {
            push(out, ErrorCategory::WrongLabel, w.label());
        } else if weights[i * got.len() + j] < TIGHT_IOU {
            push(out, ErrorCategory::Boundary, w.label());
        } else if w.attributes().iter().any(|(k, v)| g.attributes().get(k) != Some(v)) {
            push(out, ErrorCategory::Attribute, w.label());
        }
    }
    for w in want.iter().zip(&w_used).filter(|(_, used)| !**used).map(|(w, _)| w) {
        push(out, ErrorCategory::MissedRegion, w.label());
    }
    for g in got.iter().zip(&g_used).filter(|(_, used)| !**used).map(|(g, _)| g) {
        push(out, ErrorCategory::ExtraRegion, g.label());
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
/// Annotations compared, and findings per category.
pub struct Counts {
    /// Annotations compared.
    pub annotations: u64,
    /// Findings per category.
    pub errors: BTreeMap<&'static str, u64>,
    /// Findings per annotation, per category.
    pub rates: BTreeMap<&'static str, f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
/// Findings aggregated: overall, per annotator, per label, per guideline section and per rule.
pub struct ErrorReport {
    /// Over every annotation.
    pub overall: Counts,
    /// Per annotator, by name.
    pub annotators: BTreeMap<String, Counts>,
    /// Per label, findings per category.
    pub labels: BTreeMap<String, BTreeMap<&'static str, u64>>,
    /// Rule violations per guideline section.
    pub sections: BTreeMap<String, u64>,
    /// Violations per rule id.
    pub rules: BTreeMap<String, u64>,
}

/// Aggregates findings: `(annotator, findings of one annotation)` per compared annotation.
pub fn error_report<'a>(annotations: impl IntoIterator<Item = (&'a str, Vec<Finding>)>) -> ErrorReport {
    let mut r = ErrorReport::default();
    let bump = |c: &mut Counts, f: &[Finding]| {
        c.annotations += 1;
        for x in f {
            *c.errors.entry(x.category.name()).or_insert(0) += 1;
        }
    };
    for (who, findings) in annotations {
        bump(&mut r.overall, &findings);
        bump(r.annotators.entry(who.to_string()).or_default(), &findings);
        for x in &findings {
            if !x.label.is_empty() {
                *r.labels.entry(x.label.clone()).or_default().entry(x.category.name()).or_insert(0) += 1;
            }
            if let Some(s) = &x.section {
                *r.sections.entry(s.clone()).or_insert(0) += 1;
            }
            if let Some(rule) = &x.rule {
                *r.rules.entry(rule.clone()).or_insert(0) += 1;
            }
        }
    }
    for c in std::iter::once(&mut r.overall).chain(r.annotators.values_mut()) {
        let n = c.annotations.max(1) as f64;
        for cat in ErrorCategory::FOUND {
            let e = *c.errors.entry(cat.name()).or_insert(0);
            c.rates.insert(cat.name(), e as f64 / n);
        }
    }
    r
}
