//! Error categories on hand-made annotations.

use concord_engine::errors::{classify, error_report};
use concord_engine::model::ErrorCategory;
use concord_engine::model::TaskResult;
use concord_engine::rules::{Severity, Violation};
use serde_json::json;

fn r(v: serde_json::Value) -> TaskResult {
    serde_json::from_value(v).unwrap()
}

fn cats(f: &[concord_engine::errors::Finding]) -> Vec<(ErrorCategory, &str)> {
    let mut v: Vec<_> = f.iter().map(|x| (x.category, x.label.as_str())).collect();
    v.sort();
    v
}

#[test]
fn choices_and_spans() {
    let reference = r(json!({"category": ["milk"], "entities": [
        {"start": 0, "end": 5, "label": "PER"}, {"start": 10, "end": 15, "label": "ORG"},
        {"start": 20, "end": 25, "label": "LOC"}, {"start": 30, "end": 35, "label": "PER"}]}));
    let annotation = r(json!({"category": ["juice"], "entities": [
        {"start": 0, "end": 5, "label": "PER"},      // correct
        {"start": 10, "end": 13, "label": "ORG"},    // boundary
        {"start": 20, "end": 25, "label": "ORG"},    // wrong label
        {"start": 40, "end": 44, "label": "PER"}]})); // extra; 30..35 missed
    let f = classify(&annotation, &reference, &[]);
    assert_eq!(
        cats(&f),
        [
            (ErrorCategory::WrongLabel, "LOC"),
            (ErrorCategory::WrongLabel, "milk"),
            (ErrorCategory::MissedRegion, "PER"),
            (ErrorCategory::ExtraRegion, "PER"),
            (ErrorCategory::Boundary, "ORG")
        ]
    );
}

#[test]
fn boxes_attributes_and_rule_violations() {
    let b = |x: f64, label: &str, occluded: bool| json!({"x": x, "y": 0, "w": 10, "h": 10, "label": label, "attributes": {"occluded": occluded}});
    let reference = r(
        json!({"objects": [b(0.0, "car", false), b(100.0, "car", false), b(200.0, "person", false), b(300.0, "car", true), b(400.0, "can", false)]}),
    );
    let annotation = r(json!({"objects": [
        b(0.0, "car", false),     // correct
        b(102.0, "car", false),   // IoU 8/12 = .67: boundary
        b(200.0, "car", false),   // wrong label
        b(300.0, "car", false),   // attribute
        b(500.0, "car", false)]})); // extra; the can is missed
    let v = Violation {
        rule: "min-size".into(),
        severity: Severity::Error,
        message: String::new(),
        section: "#tight-boxes".into(),
        control: Some("objects".into()),
        region: Some(1),
    };
    let f = classify(&annotation, &reference, std::slice::from_ref(&v));
    assert_eq!(
        cats(&f),
        [
            (ErrorCategory::WrongLabel, "person"),
            (ErrorCategory::MissedRegion, "can"),
            (ErrorCategory::ExtraRegion, "car"),
            (ErrorCategory::Boundary, "car"),
            (ErrorCategory::Attribute, "car"),
            (ErrorCategory::RuleViolation, "")
        ]
    );
    let report = error_report([("ann", f.clone()), ("bob", Vec::new())]);
    assert_eq!(report.overall.annotations, 2);
    assert_eq!(report.annotators["ann"].errors["boundary"], 1);
    assert_eq!(report.annotators["bob"].rates["wrong_label"], 0.0);
    assert_eq!(report.overall.rates["rule_violation"], 0.5);
    assert_eq!(report.sections["#tight-boxes"], 1);
    assert_eq!(report.rules["min-size"], 1);
    assert_eq!(report.labels["car"]["extra_region"], 1);
}

#[test]
fn a_perfect_annotation_has_no_findings() {
    let x = r(json!({"category": ["a"], "entities": [{"start": 1, "end": 3, "label": "X"}],
                     "objects": [{"x": 1, "y": 2, "w": 3, "h": 4, "label": "car"}]}));
    assert!(classify(&x, &x, &[]).is_empty());
}
