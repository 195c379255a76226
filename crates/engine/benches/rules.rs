//! Guideline rules: one annotation against 50 rules (the check the app runs on every edit), and a dataset of 1e6
//! annotations. `cargo bench -p concord-engine --bench rules`. The workload is `synthetic::rules_workload`, which the
//! wasm benchmark uses too.

use std::hint::black_box;

use concord_engine::rules::{validate, validate_all, Subject};
use concord_engine::synthetic::rules_workload;
use criterion::{criterion_group, criterion_main, Criterion};

fn rules(c: &mut Criterion) {
    let (rs, task, result) = rules_workload();
    assert_eq!(rs.len(), 50);
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
