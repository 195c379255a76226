//! Guideline rules: parsing against the schema (errors with paths), every kind of check on good and bad
//! annotations, 3D physics, and the dataset report.

use concord_engine::bundle::{parse_manifest, Prediction};
use concord_engine::model::{Task, TaskResult};
use concord_engine::rules::{blocks_submission, parse_rules, validate, validate_all, RuleSet, Severity, Subject};
use concord_engine::rules::{parse_cuboids, validate_scene};
use serde_json::{json, Value};

fn schema() -> concord_engine::model::Schema {
    let m = json!({"format": "concord-project", "version": 1, "id": "p", "name": "P",
        "schema": {"data": "image", "controls": [
            {"name": "scene", "type": "single_choice", "labels": [{"value": "indoor"}, {"value": "outdoor"}]},
            {"name": "objects", "type": "boxes", "labels": [
                {"value": "car", "attributes": [{"name": "parked", "type": "bool", "required": true}]},
                {"value": "shelf"}, {"value": "price_tag"}, {"value": "person"}]}]},
        "guidelines": {"path": "g.md", "version": "1"}, "tasks": [{"path": "t.jsonl", "count": 1}]});
    parse_manifest("project.json", &m.to_string()).unwrap().schema
}

fn text_schema() -> concord_engine::model::Schema {
    let m = json!({"format": "concord-project", "version": 1, "id": "p", "name": "P",
        "schema": {"data": "text", "controls": [
            {"name": "entities", "type": "spans", "labels": [{"value": "PER"}, {"value": "ORG"}, {"value": "PRODUCT"}]}]},
        "guidelines": {"path": "g.md", "version": "1"}, "tasks": [{"path": "t.jsonl", "count": 1}]});
    parse_manifest("project.json", &m.to_string()).unwrap().schema
}

fn rules(list: Value, schema: &concord_engine::model::Schema) -> RuleSet {
    let text = json!({"format": "concord-rules", "version": 1, "guidelines_version": "1", "rules": list}).to_string();
    parse_rules("rules.json", &text, Some(schema)).unwrap()
}

fn rule(id: &str, kind: &str, extra: Value) -> Value {
    let mut r = json!({"id": id, "kind": kind, "severity": "error", "message": id, "section": format!("#{id}")});
    r.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    r
}

fn image_task(w: f64, h: f64) -> Task {
    serde_json::from_value(json!({"id": "t", "data": {"image": "a.png", "width": w, "height": h}})).unwrap()
}

fn text_task(text: &str) -> Task {
    serde_json::from_value(json!({"id": "t", "data": {"text": text}})).unwrap()
}

fn result(v: Value) -> TaskResult {
    serde_json::from_value(v).unwrap()
}

fn ids(rs: &RuleSet, task: &Task, r: &TaskResult) -> Vec<(String, Option<usize>)> {
    validate(rs, &Subject { task, result: r, prediction: None }).into_iter().map(|v| (v.rule, v.region)).collect()
}

fn bx(x: f64, y: f64, w: f64, h: f64, label: &str) -> Value {
    json!({"x": x, "y": y, "w": w, "h": h, "label": label})
}

#[test]
fn rule_files_are_checked_against_the_schema() {
    let s = schema();
    let bad = |list: Value| {
        let text = json!({"format": "concord-rules", "version": 1, "rules": list}).to_string();
        parse_rules("rules.json", &text, Some(&s)).unwrap_err().to_string()
    };
    assert_eq!(
        bad(json!([rule("a", "min_size", json!({"control": "nope"}))])),
        "rules.json: $.rules[0].control: unknown control `nope`"
    );
    assert!(bad(json!([rule("a", "token_boundaries", json!({"control": "objects"}))]))
        .starts_with("rules.json: $.rules[0].control: control `objects` is Boxes"));
    assert_eq!(
        bad(json!([rule("a", "count", json!({"control": "objects", "label": "bus"}))])),
        "rules.json: $.rules[0].label: unknown label `bus` in control `objects`"
    );
    let e = bad(json!([rule("a", "teleport", json!({}))]));
    assert!(e.starts_with("rules.json: $.rules[0].kind: unknown kind `teleport` (one of: count, "), "{e}");
    assert_eq!(
        bad(json!([rule("a", "min_size", json!({"control": "objects", "min_wdith": 3}))])),
        "rules.json: $.rules[0].min_wdith: unknown field `min_wdith` for a `min_size` rule"
    );
    assert_eq!(
        bad(json!([rule("a", "max_overlap", json!({"control": "objects"}))])),
        "rules.json: $.rules[0]: missing field `max_iou`"
    );
    assert_eq!(
        bad(json!([rule("a", "min_size", json!({"control": "objects", "min_w": "wide"}))])),
        "rules.json: $.rules[0].min_w: expected a number"
    );
    assert_eq!(
        bad(json!([rule("a", "allowed_labels", json!({"control": "objects", "labels": ["car", 7]}))])),
        "rules.json: $.rules[0].labels[1]: expected a string"
    );
    let mut no_kind = rule("a", "count", json!({"control": "objects"}));
    no_kind.as_object_mut().unwrap().remove("kind");
    assert_eq!(bad(json!([no_kind])), "rules.json: $.rules[0]: missing field `kind`");
    assert_eq!(
        bad(json!([
            rule("a", "count", json!({"control": "objects"})),
            rule("a", "count", json!({"control": "objects"}))
        ])),
        "rules.json: $.rules[1].id: duplicate rule id `a`"
    );
    assert_eq!(
        bad(json!([rule(
            "a",
            "required_attributes",
            json!({"control": "objects", "label": "car", "attributes": ["colour"]})
        )])),
        "rules.json: $.rules[0].attributes[0]: label `car` has no attribute `colour`"
    );
    let t = text_schema();
    let text = json!({"format": "concord-rules", "version": 1, "rules": [rule("r", "regex", json!({"control": "entities", "label": "PER", "pattern": "(["}))]}).to_string();
    let e = parse_rules("rules.json", &text, Some(&t)).unwrap_err().to_string();
    assert!(e.starts_with("rules.json: $.rules[0].pattern: invalid regex"), "{e}");
    let e =
        parse_rules("rules.json", "{\"format\": \"concord-rules\", \"version\": 2, \"rules\": []}", None).unwrap_err();
    assert_eq!(e.to_string(), "rules.json: $.version: unsupported rules version Some(2): this Concord reads 1");
}

#[test]
fn label_rules() {
    let s = schema();
    let rs = rules(
        json!([
            rule("one-scene", "count", json!({"control": "scene", "min": 1, "max": 1})),
            rule("few-people", "count", json!({"control": "objects", "label": "person", "max": 1})),
            rule(
                "no-shelves",
                "allowed_labels",
                json!({"control": "objects", "labels": ["car", "person", "price_tag"]})
            ),
            rule(
                "parked",
                "required_attributes",
                json!({"control": "objects", "label": "car", "attributes": ["parked"]})
            ),
            rule(
                "outdoor-no-shelf",
                "if_choice_then_forbid",
                json!({"if_control": "scene", "if_label": "outdoor", "control": "objects", "label": "price_tag"})
            ),
            rule(
                "cars-parked",
                "if_label_then_attribute",
                json!({"control": "objects", "label": "car", "attribute": "parked", "equals": true})
            ),
        ]),
        &s,
    );
    let task = image_task(100.0, 100.0);
    let good = result(json!({"scene": ["indoor"], "objects": [
        {"x": 1, "y": 1, "w": 5, "h": 5, "label": "car", "attributes": {"parked": true}}, bx(1.0, 1.0, 2.0, 2.0, "price_tag")]}));
    assert_eq!(ids(&rs, &task, &good), vec![]);
    let bad = result(json!({"scene": ["outdoor"], "objects": [
        bx(1.0, 1.0, 5.0, 5.0, "car"), bx(1.0, 1.0, 2.0, 2.0, "price_tag"), bx(9.0, 9.0, 2.0, 2.0, "shelf"),
        bx(1.0, 1.0, 2.0, 2.0, "person"), bx(3.0, 3.0, 2.0, 2.0, "person")]}));
    let got = ids(&rs, &task, &bad);
    for want in [
        ("few-people", None),
        ("no-shelves", Some(2)),
        ("parked", Some(0)),
        ("outdoor-no-shelf", Some(1)),
        ("cars-parked", Some(0)),
    ] {
        assert!(got.contains(&(want.0.to_string(), want.1)), "{want:?} not in {got:?}");
    }
    assert_eq!(ids(&rs, &task, &result(json!({"objects": []}))), vec![("one-scene".to_string(), None)]);
}

#[test]
fn span_rules() {
    let s = text_schema();
    let rs = rules(
        json!([
            rule("tokens", "token_boundaries", json!({"control": "entities"})),
            rule("trim", "no_edge_whitespace", json!({"control": "entities"})),
            rule("short", "max_length", json!({"control": "entities", "label": "ORG", "max": 12})),
            rule("flat", "no_overlap", json!({"control": "entities"})),
            rule(
                "product-case",
                "regex",
                json!({"control": "entities", "label": "PRODUCT", "pattern": "^[^A-Z]*$", "must_match": false})
            ),
        ]),
        &s,
    );
    // "Zoë met Acme Corp in Zürich about the falcon x2 🚀" — code points: Zoë 0..3, Acme Corp 8..17, falcon x2 38..47.
    let task = text_task("Zoë met Acme Corp in Zürich about the falcon x2 🚀");
    let span = |s: u32, e: u32, l: &str| json!({"start": s, "end": e, "label": l});
    let good = result(json!({"entities": [span(0, 3, "PER"), span(8, 17, "ORG")]}));
    assert_eq!(ids(&rs, &task, &good), vec![]);
    let bad = result(
        json!({"entities": [span(0, 2, "PER"), span(7, 17, "ORG"), span(8, 12, "PER"), span(38, 47, "PRODUCT")]}),
    );
    let got = ids(&rs, &task, &bad);
    for want in [("tokens", Some(0)), ("trim", Some(1)), ("flat", Some(2)), ("product-case", Some(3))] {
        assert!(got.contains(&(want.0.to_string(), want.1)), "{want:?} not in {got:?}");
    }
    let long = result(json!({"entities": [span(8, 27, "ORG")]}));
    assert!(ids(&rs, &task, &long).contains(&("short".to_string(), Some(0))));
}

#[test]
fn box_rules() {
    let s = schema();
    let rs = rules(
        json!([
            rule("inside", "inside_image", json!({"control": "objects"})),
            rule("big-enough", "min_size", json!({"control": "objects", "min_w": 4, "min_h": 4})),
            rule("car-shape", "aspect_ratio", json!({"control": "objects", "label": "car", "min": 1.0, "max": 4.0})),
            rule("no-duplicates", "max_overlap", json!({"control": "objects", "max_iou": 0.8})),
            rule("tag-on-shelf", "nested", json!({"control": "objects", "inner": "price_tag", "outer": "shelf"})),
        ]),
        &s,
    );
    let task = image_task(100.0, 50.0);
    let good = result(
        json!({"objects": [bx(0.0, 0.0, 40.0, 20.0, "car"), bx(50.0, 10.0, 40.0, 30.0, "shelf"), bx(55.0, 30.0, 8.0, 5.0, "price_tag")]}),
    );
    assert_eq!(ids(&rs, &task, &good), vec![]);
    let bad = result(
        json!({"objects": [bx(90.0, 0.0, 20.0, 10.0, "car"), bx(1.0, 1.0, 2.0, 9.0, "person"), bx(10.0, 10.0, 10.0, 20.0, "car"),
        bx(10.5, 10.0, 10.0, 20.0, "car"), bx(0.0, 40.0, 5.0, 5.0, "price_tag")]}),
    );
    let got = ids(&rs, &task, &bad);
    for want in [
        ("inside", Some(0)),
        ("big-enough", Some(1)),
        ("car-shape", Some(2)),
        ("no-duplicates", Some(3)),
        ("tag-on-shelf", Some(4)),
    ] {
        assert!(got.contains(&(want.0.to_string(), want.1)), "{want:?} not in {got:?}");
    }
}

#[test]
fn model_conflict_flags_disagreement_with_confident_predictions() {
    let s = schema();
    let rs = rules(
        json!([
            rule("model", "model_conflict", json!({"control": "scene", "min_score": 0.9})),
            rule("model-boxes", "model_conflict", json!({"control": "objects", "min_score": 0.8}))
        ]),
        &s,
    );
    let task = image_task(100.0, 100.0);
    let pred: Prediction = serde_json::from_value(json!({"task": "t", "model": "m",
        "result": {"objects": [{"x": 10, "y": 10, "w": 20, "h": 20, "label": "car", "score": 0.95}]},
        "scores": {"scene": {"outdoor": 0.97, "indoor": 0.03}}}))
    .unwrap();
    let r = result(json!({"scene": ["indoor"], "objects": []}));
    let v = validate(&rs, &Subject { task: &task, result: &r, prediction: Some(&pred) });
    assert_eq!(v.iter().map(|v| v.rule.as_str()).collect::<Vec<_>>(), ["model", "model-boxes"]);
    let agreeing = result(
        json!({"scene": ["outdoor"], "objects": [{"x": 11, "y": 10, "w": 20, "h": 20, "label": "car", "attributes": {"parked": false}}]}),
    );
    assert!(validate(&rs, &Subject { task: &task, result: &agreeing, prediction: Some(&pred) }).is_empty());
}

#[test]
fn warnings_do_not_block_and_the_dataset_report_groups_by_rule_and_section() {
    let s = schema();
    let mut warn = rule("small", "min_size", json!({"control": "objects", "min_w": 4, "min_h": 4}));
    warn["severity"] = json!("warning");
    warn["section"] = json!("#tight-boxes");
    let mut err = rule("inside", "inside_image", json!({"control": "objects"}));
    err["section"] = json!("#tight-boxes");
    let rs = rules(json!([warn, err]), &s);
    let task = image_task(100.0, 100.0);
    let small = result(json!({"objects": [bx(1.0, 1.0, 2.0, 2.0, "car"), bx(5.0, 5.0, 2.0, 2.0, "car")]}));
    let outside = result(json!({"objects": [bx(95.0, 1.0, 20.0, 20.0, "car")]}));
    let fine = result(json!({"objects": [bx(5.0, 5.0, 20.0, 20.0, "car")]}));
    let v = validate(&rs, &Subject { task: &task, result: &small, prediction: None });
    assert!(v.iter().all(|v| v.severity == Severity::Warning) && !blocks_submission(&v));
    assert!(blocks_submission(&validate(&rs, &Subject { task: &task, result: &outside, prediction: None })));
    let report = validate_all(
        &rs,
        [&small, &outside, &fine, &fine].into_iter().map(|r| Subject { task: &task, result: r, prediction: None }),
    );
    assert_eq!((report.annotations, report.with_errors, report.with_warnings), (4, 1, 1));
    assert_eq!((report.by_rule["small"].violations, report.by_rule["small"].annotations), (2, 1));
    assert_eq!(report.by_rule["small"].rate, 0.25);
    let sec = &report.by_section["#tight-boxes"];
    assert_eq!((sec.violations, sec.annotations, sec.rate), (3, 2, 0.5));
}

#[test]
fn cuboid_physics() {
    let rs = parse_rules(
        "rules.json",
        &json!({"format": "concord-rules", "version": 1, "rules": [
            rule("ped-height", "cuboid_size", json!({"label": "pedestrian", "height": [0.8, 2.3]})),
            rule("ground", "above_ground", json!({"ground_z": 0.0, "tolerance": 0.1})),
            rule("solid", "no_intersection", json!({"labels": ["car", "pedestrian"]})),
            rule("ped-speed", "max_speed", json!({"label": "pedestrian", "max_mps": 4.0, "fps": 10.0})),
        ]})
        .to_string(),
        None,
    )
    .unwrap();
    let scene = json!([
        {"label": "pedestrian", "center": [0, 0, 0.9], "size": [0.5, 0.5, 1.8], "frame": 0, "track_id": "p1"},
        {"label": "pedestrian", "center": [0.3, 0, 0.9], "size": [0.5, 0.5, 1.8], "frame": 1, "track_id": "p1"},
        {"label": "pedestrian", "center": [5, 5, 1.3], "size": [0.5, 0.5, 2.6], "frame": 0},
        {"label": "car", "center": [10, 0, 0.3], "size": [4.5, 1.8, 1.5], "yaw": 0.5, "frame": 0},
        {"label": "car", "center": [11.5, 1.2, 0.75], "size": [4.5, 1.8, 1.5], "yaw": 0.5, "frame": 0},
        {"label": "car", "center": [20, 0, 0.75], "size": [4.5, 1.8, 1.5], "yaw": 0.0, "frame": 0},
        {"label": "car", "center": [22.4, 0, 0.75], "size": [4.5, 1.8, 1.5], "yaw": 1.5707963, "frame": 0}
    ]);
    let cuboids = parse_cuboids("scene.json", &scene.to_string()).unwrap();
    let v = validate_scene(&rs, &cuboids);
    let got: Vec<(&str, usize)> = v.iter().map(|v| (v.rule.as_str(), v.cuboid)).collect();
    // #1 moves 0.3 m in 0.1 s = 3 m/s: fine. #2 is 2.6 m tall. #3 sinks 0.45 m. #4 overlaps #3.
    // #6 (turned 90°, footprint x 21.5..23.3) overlaps #5 (x 17.75..22.25).
    assert_eq!(got, [("ped-height", 2), ("ground", 3), ("solid", 4), ("solid", 6)], "{v:?}");
    let fast = json!([{"label": "pedestrian", "center": [0, 0, 0.9], "size": [0.5, 0.5, 1.8], "frame": 0, "track_id": "p"},
                      {"label": "pedestrian", "center": [1, 0, 0.9], "size": [0.5, 0.5, 1.8], "frame": 1, "track_id": "p"}]);
    let v = validate_scene(&rs, &parse_cuboids("s.json", &fast.to_string()).unwrap());
    assert_eq!(v.len(), 1);
    assert!(v[0].message.contains("10.0 m/s"), "{}", v[0].message);
    let e = parse_cuboids("s.json", r#"[{"label": "car", "center": [0, 0], "size": [1, 1, 1]}]"#).unwrap_err();
    assert!(e.to_string().starts_with("s.json: $[0].center"), "{e}");
}

mod duplicate_boxes {
    use super::*;
    use concord_engine::boxes::iou;
    use proptest::prelude::*;

    proptest! {
        /// Both paths of `max_overlap` (all pairs up to 32 boxes, a sweep above) find exactly the pairs an all-pairs
        /// loop finds, in the same order — without a label filter (labels no rule names, compared as strings) and
        /// with one (labels compared by id); `count` with a label filter agrees with a plain count.
        #[test]
        fn max_overlap_matches_all_pairs(boxes in proptest::collection::vec((0u8..40, 0u8..40, 1u8..20, 1u8..20, 0u8..3), 0..80)) {
            let s = schema();
            let rs = rules(json!([
                rule("dup", "max_overlap", json!({"control": "objects", "max_iou": 0.3})),
                rule("dup_car", "max_overlap", json!({"control": "objects", "label": "car", "max_iou": 0.3})),
                rule("cars", "count", json!({"control": "objects", "label": "car", "max": 0})),
            ]), &s);
            let labels = ["shelf", "person", "car"];
            let list: Vec<Value> = boxes.iter().map(|&(x, y, w, h, l)| bx(x as f64, y as f64, w as f64, h as f64, labels[l as usize])).collect();
            let r = result(json!({"objects": list}));
            let got: Vec<String> = validate(&rs, &Subject { task: &image_task(100.0, 100.0), result: &r, prediction: None })
                .into_iter().map(|v| format!("{:?} {}", v.region, v.message)).collect();
            let mut want = Vec::new();
            for only_cars in [false, true] {
                for i in 0..boxes.len() {
                    for j in i + 1..boxes.len() {
                        let f = |k: usize| { let (x, y, w, h, _) = boxes[k]; [x as f64, y as f64, w as f64, h as f64] };
                        let o = iou(&f(i), &f(j));
                        if boxes[i].4 == boxes[j].4 && o > 0.3 && (!only_cars || boxes[i].4 == 2) {
                            let id = if only_cars { "dup_car" } else { "dup" };
                            want.push(format!("Some({j}) {id} (IoU {o:.2} with box {i}: a duplicate?)"));
                        }
                    }
                }
            }
            let cars = boxes.iter().filter(|b| b.4 == 2).count();
            if cars > 0 {
                want.push(format!("None cars ({cars} `car`, at most 0 allowed)"));
            }
            prop_assert_eq!(got, want);
        }
    }
}
