//! Agreement measures and the CSV reader at 1e5 and 1e6 annotations (20 labels, 5 annotators per item from a
//! pool of 50): `cargo bench -p concord-engine --bench agreement`. Inputs are built before timing ("from already
//! parsed records"), except for the CSV benchmark, which times parsing.

use std::hint::black_box;

use concord_engine::agreement::{self, categorical_report, pair_table, Metric};
use concord_engine::formats::csv_long::read_long_csv;
use concord_engine::model::TableBuilder;
use concord_engine::synthetic::{crowd_csv, crowd_table, CrowdSpec};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn measures(c: &mut Criterion) {
    let mut g = c.benchmark_group("agreement");
    g.sample_size(20);
    for n in [100_000usize, 1_000_000] {
        let table = crowd_table(CrowdSpec::standard(n)).finish().unwrap();
        g.bench_with_input(BenchmarkId::new("krippendorff_nominal", n), &table, |b, t| {
            b.iter(|| agreement::alpha(black_box(t), Metric::Nominal, None))
        });
        let values: Vec<f64> = (0..table.n_labels()).map(|v| v as f64).collect();
        g.bench_with_input(BenchmarkId::new("krippendorff_interval", n), &table, |b, t| {
            b.iter(|| agreement::alpha(black_box(t), Metric::Interval, Some(&values)))
        });
        g.bench_with_input(BenchmarkId::new("fleiss", n), &table, |b, t| {
            b.iter(|| agreement::fleiss_kappa(black_box(t)))
        });
        g.bench_with_input(BenchmarkId::new("percent", n), &table, |b, t| {
            b.iter(|| agreement::percent_agreement(black_box(t)))
        });
        g.bench_with_input(BenchmarkId::new("full_report", n), &table, |b, t| {
            b.iter(|| categorical_report(black_box(t), None).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("table_from_ids", n), &n, |b, &n| {
            b.iter_batched(
                || crowd_table(CrowdSpec::standard(n)),
                |builder| builder.finish().unwrap(),
                criterion::BatchSize::LargeInput,
            )
        });
    }
    // Cohen's kappa: two annotators, 1e6 items each labelled by both (1e6 pairs).
    let spec = CrowdSpec { per_item: 2, pool: 2, ..CrowdSpec::standard(2_000_000) };
    let two = crowd_table(spec).finish().unwrap();
    g.bench_function("cohen/1000000_pairs", |b| b.iter(|| agreement::cohen_kappa(&pair_table(black_box(&two), 0, 1))));
    g.bench_function("weighted_kappa_quadratic/1000000_pairs", |b| {
        let values: Vec<f64> = (0..two.n_labels()).map(|v| v as f64).collect();
        b.iter(|| agreement::weighted_kappa(&pair_table(black_box(&two), 0, 1), &values, agreement::Weights::Quadratic))
    });
    g.finish();
}

fn csv(c: &mut Criterion) {
    let mut g = c.benchmark_group("csv");
    g.sample_size(10);
    let text = crowd_csv(CrowdSpec::standard(1_000_000));
    g.throughput(criterion::Throughput::Bytes(text.len() as u64));
    g.bench_function("read_long_csv/1000000", |b| {
        b.iter(|| read_long_csv("bench.csv", black_box(text.as_bytes())).unwrap())
    });
    g.finish();
    let _ = TableBuilder::new();
}

/// The intervals: 1,000 bootstrap replicates at 1e5 annotations (the target: ≤ 1 s), item bootstrap of every
/// item-level figure, Hayes & Krippendorff's of α, and the whole report with intervals.
fn bootstrap(c: &mut Criterion) {
    use concord_engine::agreement::{categorical_bootstrap, categorical_report_with_intervals, hayes_krippendorff};
    use concord_engine::resample::BootstrapSettings;
    let mut g = c.benchmark_group("bootstrap");
    g.sample_size(10);
    let table = crowd_table(CrowdSpec::standard(100_000)).finish().unwrap();
    let settings = BootstrapSettings::default();
    g.bench_function("item_bootstrap_1000/100000", |b| {
        b.iter(|| categorical_bootstrap(black_box(&table), None, settings, |_| {}).unwrap())
    });
    g.bench_function("hayes_krippendorff_1000/100000", |b| {
        b.iter(|| hayes_krippendorff(black_box(&table), Metric::Nominal, None, settings, |_| {}).unwrap())
    });
    g.bench_function("report_with_intervals_1000/100000", |b| {
        b.iter(|| categorical_report_with_intervals(black_box(&table), None, settings, |_, _| {}).unwrap())
    });
    g.finish();
}

criterion_group!(benches, measures, csv, bootstrap);
criterion_main!(benches);
