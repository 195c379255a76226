//! Synthetic crowdsourcing data, deterministic from a seed: for benchmarks (native, wasm, and against the Python
//! libraries on the very same rows) and for property tests of the aggregation methods.

use crate::model::TableBuilder;
use crate::rng::SplitMix64;

/// The shape of a synthetic dataset.
#[derive(Debug, Clone, Copy)]
pub struct CrowdSpec {
    /// Annotations to draw.
    pub annotations: usize,
    /// Labels.
    pub labels: u32,
    /// Annotators per item, drawn without replacement from `pool`.
    pub per_item: u32,
    /// Annotators in the pool.
    pub pool: u32,
    /// Probability that an annotator gives the item's true label (else a uniformly random label).
    pub accuracy: f64,
    /// Seed of the draws.
    pub seed: u64,
}

impl CrowdSpec {
    /// 20 labels, 5 annotators per item from a pool of 50, 70 % accurate annotators.
    pub fn standard(annotations: usize) -> Self {
        CrowdSpec { annotations, labels: 20, per_item: 5, pool: 50, accuracy: 0.7, seed: 42 }
    }
}

/// Calls `row(item, annotator, label)` for every annotation, grouped by item.
pub fn for_each_annotation(spec: CrowdSpec, mut row: impl FnMut(u32, u32, u32)) {
    let mut rng = SplitMix64::new(spec.seed);
    let items = spec.annotations.div_ceil(spec.per_item as usize);
    let mut chosen: Vec<u32> = Vec::with_capacity(spec.per_item as usize);
    let mut emitted = 0;
    for item in 0..items as u32 {
        let truth = rng.below(spec.labels as usize) as u32;
        chosen.clear();
        while chosen.len() < spec.per_item as usize && emitted < spec.annotations {
            let a = rng.below(spec.pool as usize) as u32;
            if chosen.contains(&a) {
                continue;
            }
            chosen.push(a);
            let label = if rng.unit() < spec.accuracy { truth } else { rng.below(spec.labels as usize) as u32 };
            row(item, a, label);
            emitted += 1;
        }
    }
}

/// The dataset as a table builder over ids.
pub fn crowd_table(spec: CrowdSpec) -> TableBuilder {
    let mut b = TableBuilder::with_capacity(spec.annotations);
    for_each_annotation(spec, |i, a, l| b.push_ids(i, a, l));
    b
}

/// The dataset as long-format CSV text (`item,annotator,label` with names `i17`, `a3`, `l5`).
pub fn crowd_csv(spec: CrowdSpec) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(spec.annotations * 16 + 32);
    s.push_str("item,annotator,label\n");
    for_each_annotation(spec, |i, a, l| {
        let _ = writeln!(s, "i{i},a{a},l{l}");
    });
    s
}

/// The rules benchmark workload, shared by the native and wasm benchmarks: 50 rules (inside image, min size, aspect
/// ratio, count and duplicate overlap, ten each over five labels) and one annotation of 12 boxes on a 640×480 image.
pub fn rules_workload() -> (crate::rules::RuleSet, crate::model::Task, crate::model::TaskResult) {
    use serde_json::{json, Value};
    let names = ["car", "person", "bottle", "can", "box"];
    let mut rules = Vec::new();
    for i in 0..10 {
        let l = names[i % 5];
        for (kind, extra) in [
            ("inside_image", json!({})),
            ("min_size", json!({"label": l, "min_w": 3, "min_h": 3})),
            ("aspect_ratio", json!({"label": l, "min": 0.2, "max": 5.0})),
            ("count", json!({"label": l, "max": 50})),
            ("max_overlap", json!({"label": l, "max_iou": 0.9})),
        ] {
            let mut r = json!({"id": format!("{kind}-{i}"), "kind": kind, "severity": "error", "message": "m", "control": "objects"});
            r.as_object_mut().expect("object").extend(extra.as_object().expect("object").clone());
            rules.push(r);
        }
    }
    let text = json!({"format": "concord-rules", "version": 1, "rules": rules}).to_string();
    let rs = crate::rules::parse_rules("rules.json", &text, None).expect("static rules");
    let task = serde_json::from_value(json!({"id": "t", "data": {"image": "a.png", "width": 640, "height": 480}}))
        .expect("static task");
    let boxes: Vec<Value> = (0..12)
        .map(|k| {
            let label = names[k % 5];
            json!({"x": 10 + 45 * k, "y": 20 + 7 * k, "w": 40, "h": 60, "label": label})
        })
        .collect();
    let result = serde_json::from_value(json!({"objects": boxes})).expect("static result");
    (rs, task, result)
}
