//! Guideline rules: one annotation against 50 rules (the check the app runs on every edit), and a dataset of 1e6
//! annotations. `cargo bench -p concord-engine --bench rules`.

use std::hint::black_box;

use concord_engine::bundle::parse_manifest;
use concord_engine::model::{Task, TaskResult};
use concord_engine::rules::{parse_rules, validate, validate_all, Subject};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};

fn box_setup() -> (concord_engine::rules::RuleSet, Task, TaskResult) {
    let labels: Vec<Value> = ["car", "person", "bottle", "can", "box"]
        .iter()
        .map(|l| json!({"value": l, "attributes": [{"name": "occluded", "type": "bool"}]}))
        .collect();
    let m = json!({"format": "concord-project", "version": 1, "id": "b", "name": "B",
        "schema": {"data": "image", "controls": [{"name": "objects", "type": "boxes", "labels": labels}]},
        "guidelines": {"path": "g.md", "version": "1"}, "tasks": [{"path": "t.jsonl", "count": 1}]});
    let schema = parse_manifest("project.json", &m.to_string()).unwrap().schema;
    // 50 rules: 10 of each of five kinds, spread over the labels.
    let mut rules = Vec::new();
    for i in 0..10 {
        let l = ["car", "person", "bottle", "can", "box"][i % 5];
        let base = |kind: &str, extra: Value| {
            let mut r = json!({"id": format!("{kind}-{i}"), "kind": kind, "severity": "error", "message": "m", "section": "#s", "control": "objects"});
            r.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            r
        };
        rules.push(base("inside_image", json!({})));
        rules.push(base("min_size", json!({"label": l, "min_w": 3, "min_h": 3})));
        rules.push(base("aspect_ratio", json!({"label": l, "min": 0.2, "max": 5.0})));
        rules.push(base("count", json!({"label": l, "max": 50})));
        rules.push(base("max_overlap", json!({"label": l, "max_iou": 0.9})));
    }
    let text = json!({"format": "concord-rules", "version": 1, "rules": rules}).to_string();
    let rs = parse_rules("rules.json", &text, Some(&schema)).unwrap();
    assert_eq!(rs.len(), 50);
    let task: Task =
        serde_json::from_value(json!({"id": "t", "data": {"image": "a.png", "width": 640, "height": 480}})).unwrap();
    let names = ["car", "person", "bottle", "can", "box"];
    let boxes: Vec<Value> = (0..12)
        .map(|k| {
            let label = names[k % 5];
            json!({"x": 10 + 45 * k, "y": 20 + 7 * k, "w": 40, "h": 60, "label": label})
        })
        .collect();
    let result: TaskResult = serde_json::from_value(json!({"objects": boxes})).unwrap();
    (rs, task, result)
}

fn rules(c: &mut Criterion) {
    let (rs, task, result) = box_setup();
    let mut g = c.benchmark_group("rules");
    g.bench_function("one_annotation_12_boxes_50_rules", |b| {
        b.iter(|| validate(black_box(&rs), &Subject { task: &task, result: &result, prediction: None }))
    });
    g.sample_size(10);
    g.bench_function("dataset_1000000_annotations", |b| {
        b.iter(|| validate_all(&rs, (0..1_000_000).map(|_| Subject { task: &task, result: &result, prediction: None })))
    });
    g.finish();
}

criterion_group!(benches, rules);
criterion_main!(benches);
