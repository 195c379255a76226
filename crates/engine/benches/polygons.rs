//! Polygon IoU and consensus: `cargo bench -p concord-engine --bench polygons`. A hand-drawn polygon has tens of
//! vertices; the exact IoU is O(n·m·(n + m)), so 16 and 64 vertices bracket what annotators draw. Consensus: 1,000
//! images × 3 annotators × 8 polygons of 16 vertices, each annotator's outline a jittered copy of the truth.

use std::hint::black_box;

use concord_engine::consensus::polygon_consensus;
use concord_engine::model::{PolygonRec, PolygonTable};
use concord_engine::polygons::geometry::{iou, Point};
use concord_engine::rng::SplitMix64;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// A star-ish polygon of `n` vertices around (cx, cy), radii jittered by `rng`.
fn blob(rng: &mut SplitMix64, cx: f64, cy: f64, r: f64, n: usize) -> Vec<Point> {
    (0..n)
        .map(|k| {
            let t = k as f64 * std::f64::consts::TAU / n as f64;
            let rr = r * rng.range(0.8, 1.0);
            [cx + rr * t.cos(), cy + rr * t.sin()]
        })
        .collect()
}

fn polygons(c: &mut Criterion) {
    let mut g = c.benchmark_group("polygons");
    let mut rng = SplitMix64::new(5);
    for n in [16usize, 64] {
        let a = vec![blob(&mut rng, 50.0, 50.0, 40.0, n)];
        let b = vec![blob(&mut rng, 55.0, 52.0, 40.0, n)];
        g.bench_with_input(BenchmarkId::new("iou", n), &(a, b), |bench, (a, b)| {
            bench.iter(|| iou(black_box(a), black_box(b)))
        });
    }
    let mut t = PolygonTable::default();
    for i in 0..1000 {
        let item = t.items.intern(&format!("img{i}"));
        let label = t.labels.intern(if i % 2 == 0 { "roof" } else { "pool" });
        let truth: Vec<(f64, f64)> =
            (0..8).map(|k| (60.0 + 110.0 * (k % 4) as f64, 60.0 + 110.0 * (k / 4) as f64)).collect();
        for who in ["ana", "ben", "cai"] {
            let annotator = t.annotators.intern(who);
            t.cover(item, annotator);
            for &(cx, cy) in &truth {
                let (dx, dy) = (rng.range(-3.0, 3.0), rng.range(-3.0, 3.0));
                t.regions.push(PolygonRec {
                    item,
                    annotator,
                    label,
                    rings: vec![blob(&mut rng, cx + dx, cy + dy, 45.0, 16)],
                });
            }
        }
    }
    t.finish();
    g.sample_size(10);
    g.bench_function("consensus_1000_images", |bench| bench.iter(|| polygon_consensus(black_box(&t), 0.5, 2)));
    g.finish();
}

criterion_group!(benches, polygons);
criterion_main!(benches);
