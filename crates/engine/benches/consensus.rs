//! Truth inference at 1e5 and 1e6 annotations (20 labels, 5 of 50 annotators per item):
//! `cargo bench -p concord-engine --bench consensus`. Dawid–Skene runs exactly 50 iterations (tol = −∞), the
//! setting crowd-kit was timed at.

use std::hint::black_box;

use concord_engine::consensus::{dawid_skene, majority_vote, DawidSkeneOptions};
use concord_engine::synthetic::{crowd_table, CrowdSpec};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn consensus(c: &mut Criterion) {
    let mut g = c.benchmark_group("consensus");
    g.sample_size(10);
    for n in [100_000usize, 1_000_000] {
        let table = crowd_table(CrowdSpec::standard(n)).finish().unwrap();
        g.bench_with_input(BenchmarkId::new("majority_vote", n), &table, |b, t| {
            b.iter(|| majority_vote(black_box(t), None))
        });
        let fifty = DawidSkeneOptions { max_iter: 50, tol: f64::NEG_INFINITY };
        g.bench_with_input(BenchmarkId::new("dawid_skene_50_iterations", n), &table, |b, t| {
            b.iter(|| dawid_skene(black_box(t), fifty, None))
        });
    }
    g.finish();
}

criterion_group!(benches, consensus);
criterion_main!(benches);
