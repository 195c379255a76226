//! Consensus methods on hand-made and synthetic data.

use concord_engine::consensus::box_consensus;
use concord_engine::consensus::{dawid_skene, gold_weights, majority_vote, weighted_majority_vote, DawidSkeneOptions};
use concord_engine::consensus::{span_consensus, SpanMerge};
use concord_engine::model::{BoxRec, BoxTable, Span, SpanDoc, SpanTable, SpanUnit, TableBuilder};
use concord_engine::rng::SplitMix64;

#[test]
fn gold_weights_let_a_reliable_minority_win() {
    // On gold items g1..g4, `good` is always right and `bad1`, `bad2` always wrong. On item x the two bad
    // annotators outvote `good`; weighted, good wins.
    let mut b = TableBuilder::new();
    for g in ["g1", "g2", "g3", "g4"] {
        b.push(g, "good", "a");
        b.push(g, "bad1", "b");
        b.push(g, "bad2", "b");
    }
    b.push("x", "good", "a");
    b.push("x", "bad1", "b");
    b.push("x", "bad2", "b");
    let t = b.finish().unwrap();
    let a = t.labels.get("a").unwrap();
    let gold: Vec<Option<u32>> = (0..t.n_items()).map(|i| (t.items.name(i as u32) != "x").then_some(a)).collect();
    let w = gold_weights(&t, &gold);
    let good = t.annotators.get("good").unwrap() as usize;
    // (4 + 1) / (4 + 2) = 5/6 → ln(1) + ln(5) = ln 5; always wrong → p = 1/6 → negative → 0.
    assert!((w[good] - 5f64.ln()).abs() < 1e-12);
    assert_eq!(w[t.annotators.get("bad1").unwrap() as usize], 0.0);
    assert_eq!(majority_vote(&t, None).report(&t).labels["x"], "b");
    assert_eq!(weighted_majority_vote(&t, &w, None).report(&t).labels["x"], "a");
}

/// Synthetic crowd: `good` annotators right with p = 0.75, spammers always answer label 0.
fn crowd(seed: u64, items: usize) -> (concord_engine::model::CategoricalTable, Vec<u32>) {
    let mut rng = SplitMix64::new(seed);
    let k = 4;
    let mut b = TableBuilder::new();
    let mut truth = Vec::new();
    for i in 0..items {
        let t = rng.below(k) as u32;
        truth.push(t);
        for a in 0..7u32 {
            let label = if a >= 4 {
                0
            } else if rng.unit() < 0.75 {
                t
            } else {
                rng.below(k) as u32
            };
            b.push(&format!("i{i}"), &format!("a{a}"), &format!("l{label}"));
        }
    }
    (b.finish().unwrap(), truth)
}

#[test]
fn dawid_skene_beats_majority_vote_when_spammers_are_many() {
    for seed in 0..5 {
        let (t, truth) = crowd(seed, 400);
        let score = |labels: &std::collections::BTreeMap<String, String>| {
            truth.iter().enumerate().filter(|(i, &l)| labels[&format!("i{i}")] == format!("l{l}")).count() as f64
                / truth.len() as f64
        };
        let mv = score(&majority_vote(&t, None).report(&t).labels);
        let ds = dawid_skene(&t, DawidSkeneOptions::default(), None).report(&t);
        assert!(score(&ds.labels) >= mv, "seed {seed}: DS {} < MV {mv}", score(&ds.labels));
        assert!(score(&ds.labels) > 0.9, "seed {seed}: DS {}", score(&ds.labels));
        // Spammers get an accuracy near the prior of label 0, good annotators near 0.75 + 0.25/4.
        let acc = |a: &str| ds.annotators[a].accuracy.unwrap();
        assert!(acc("a0") > 0.7 && acc("a5") < 0.4, "{} {}", acc("a0"), acc("a5"));
        // Posteriors are distributions.
        let sum: f64 = ds.priors.values().sum();
        assert!((sum - 1.0).abs() < 1e-9);
    }
}

fn spans(docs: &[(&str, &[(u32, u32, u32)])]) -> SpanTable {
    let mut t = SpanTable::new(SpanUnit::CodePoints);
    let item = t.items.intern("d");
    t.labels.intern("PER");
    t.labels.intern("LOC");
    for (who, s) in docs {
        let annotator = t.annotators.intern(who);
        let spans = s.iter().map(|&(start, end, label)| Span { start, end, label }).collect();
        t.docs.push(SpanDoc { item, annotator, spans });
    }
    t.sort();
    t
}

#[test]
fn span_consensus_exact_and_overlap() {
    let t =
        spans(&[("a", &[(0, 5, 0), (10, 14, 1)]), ("b", &[(0, 5, 0), (10, 15, 1)]), ("c", &[(0, 4, 0), (9, 14, 1)])]);
    let exact = span_consensus(&t, 2, SpanMerge::Exact);
    assert_eq!(exact[0].as_deref(), Some(&[Span { start: 0, end: 5, label: 0 }][..]));
    let overlap = span_consensus(&t, 2, SpanMerge::Overlap);
    // Medians: starts (0,0,0) ends (4,5,5) → 0..5; starts (9,10,10) ends (14,14,15) → 10..14.
    assert_eq!(
        overlap[0].as_deref(),
        Some(&[Span { start: 0, end: 5, label: 0 }, Span { start: 10, end: 14, label: 1 }][..])
    );
    assert_eq!(span_consensus(&t, 4, SpanMerge::Overlap)[0].as_deref(), Some(&[][..]));
}

#[test]
fn box_consensus_clusters_by_iou_and_averages() {
    let mut t = BoxTable::default();
    let img = t.items.intern("img");
    let (car, bus) = (t.labels.intern("car"), t.labels.intern("bus"));
    for (who, label, x) in [("a", car, 0.0), ("b", car, 2.0), ("c", bus, 1.0), ("c", car, 100.0)] {
        let annotator = t.annotators.intern(who);
        t.regions.push(BoxRec { item: img, annotator, label, x, y: 0.0, w: 10.0, h: 10.0, score: None });
    }
    t.finish();
    let out = box_consensus(&t, 0.5, 2);
    assert_eq!(out.len(), 1, "{out:?}");
    let b = &out[0];
    assert_eq!((b.label, b.x, b.w), (car, 1.0, 10.0), "majority label, mean x of 0, 2, 1");
    assert_eq!(b.score, Some(1.0), "all three annotators agree");
}

/// crowd-kit's DawidSkene written out naively (maps, log₂ E-step, per-row ELBO), as an independent check of the
/// optimised one, including items with so many annotations that the linear-space E-step must fall back.
fn naive_ds(
    rows: &[(usize, usize, usize)],
    k: usize,
    items: usize,
    workers: usize,
    max_iter: u32,
    tol: f64,
) -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut probas = vec![vec![0.0; k]; items];
    let mut counts = vec![0.0; items];
    for &(i, _, l) in rows {
        probas[i][l] += 1.0;
        counts[i] += 1.0;
    }
    for i in 0..items {
        for c in 0..k {
            probas[i][c] /= counts[i];
        }
    }
    let mean =
        |p: &Vec<Vec<f64>>| (0..k).map(|c| p.iter().map(|r| r[c]).sum::<f64>() / items as f64).collect::<Vec<f64>>();
    let m_step = |p: &Vec<Vec<f64>>| {
        let mut e = vec![vec![vec![f64::NAN; k]; k]; workers]; // e[w][l][c], NaN = (w, l) unused
        for &(i, w, l) in rows {
            for c in 0..k {
                e[w][l][c] = if e[w][l][c].is_nan() { 0.0 } else { e[w][l][c] } + p[i][c];
            }
        }
        for w in 0..workers {
            for c in 0..k {
                let mut d = 0.0;
                for l in 0..k {
                    if !e[w][l][c].is_nan() {
                        e[w][l][c] = e[w][l][c].max(1e-10);
                        d += e[w][l][c];
                    }
                }
                for l in 0..k {
                    e[w][l][c] /= d;
                }
            }
        }
        e
    };
    let mut priors = mean(&probas);
    let mut errors = m_step(&probas);
    let (mut loss, mut history) = (f64::NEG_INFINITY, Vec::new());
    for _ in 0..max_iter {
        let mut ll: Vec<Vec<f64>> = (0..items).map(|_| priors.iter().map(|p| p.log2()).collect()).collect();
        for &(i, w, l) in rows {
            for c in 0..k {
                ll[i][c] += errors[w][l][c].log2();
            }
        }
        for i in 0..items {
            let max = ll[i].iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let q: Vec<f64> = ll[i].iter().map(|x| (x - max).exp2()).collect();
            let t: f64 = q.iter().sum();
            probas[i] = q.iter().map(|x| x / t).collect();
        }
        priors = mean(&probas);
        errors = m_step(&probas);
        let mut elbo = 0.0;
        for &(i, w, l) in rows {
            for c in 0..k {
                if probas[i][c] > 0.0 {
                    elbo += probas[i][c] * (errors[w][l][c].ln() + priors[c].ln());
                }
            }
        }
        for p in probas.iter().flatten().filter(|&&p| p > 0.0) {
            elbo -= p * p.ln();
        }
        let new_loss = elbo / rows.len() as f64;
        history.push(new_loss);
        if new_loss - loss < tol {
            break;
        }
        loss = new_loss;
    }
    (probas, history)
}

#[test]
fn dawid_skene_equals_a_naive_implementation_even_with_40_annotations_per_item() {
    for seed in 0..6u64 {
        let mut rng = SplitMix64::new(100 + seed);
        let (k, workers, items) = (3 + rng.below(4), 45, 30);
        let mut rows = Vec::new();
        let mut b = TableBuilder::new();
        for i in 0..items {
            let truth = rng.below(k);
            // Some items get 40 annotators: a linear-space product of 40 error rates can underflow.
            let m = if i % 3 == 0 { 40 } else { 2 + rng.below(5) };
            let mut who: Vec<usize> = (0..workers).collect();
            for j in 0..m {
                let pick = j + rng.below(workers - j);
                who.swap(j, pick);
                let w = who[j];
                let l = if rng.unit() < 0.3 + 0.6 * (w % 3) as f64 / 2.0 { truth } else { rng.below(k) };
                rows.push((i, w, l));
            }
        }
        // Names sort like ids (zero-padded), so label order = column order in both implementations.
        for &(i, w, l) in &rows {
            b.push(&format!("i{i:02}"), &format!("w{w:02}"), &format!("l{l}"));
        }
        let t = b.finish().unwrap();
        let (probas, history) = naive_ds(&rows, k, items, workers, 30, 1e-7);
        let f = concord_engine::consensus::fit(&t, DawidSkeneOptions { max_iter: 30, tol: 1e-7 }, None);
        assert_eq!(f.loss_history.len(), history.len(), "seed {seed}: iterations");
        for (a, b) in f.loss_history.iter().zip(&history) {
            assert!((a - b).abs() < 1e-9, "seed {seed}: ELBO {a} vs {b}");
        }
        let kk = f.order.len();
        for i in 0..items {
            let id = t.items.get(&format!("i{i:02}")).unwrap() as usize;
            for c in 0..k {
                let col = f.order.iter().position(|&l| t.labels.name(l) == format!("l{c}"));
                let got = col.map_or(0.0, |col| f.probas[id * kk + col]);
                assert!((got - probas[i][c]).abs() < 1e-9, "seed {seed}: P(l{c} | i{i}) {got} vs {}", probas[i][c]);
            }
        }
    }
}

#[test]
fn dawid_skene_log_space_fallback_when_the_product_underflows() {
    // 450 annotators agree on 20 items and divide 150/150/150 on item "split". Each one's rate of giving its
    // split-item label when the truth is another class is about (1/3) / 7.3 ≈ 0.045, so every class's linear-space
    // product has 300 such factors, ≈ 1e-405: it underflows to 0. The posterior must still be a distribution and
    // equal the naive log-space computation.
    let (k, workers) = (3usize, 450usize);
    let mut rows = Vec::new();
    for i in 0..20 {
        for w in 0..workers {
            rows.push((i, w, i % k));
        }
    }
    for w in 0..workers {
        rows.push((20, w, w % k));
    }
    let mut b = TableBuilder::new();
    for &(i, w, l) in &rows {
        b.push(&format!("i{i:02}"), &format!("w{w:02}"), &format!("l{l}"));
    }
    let t = b.finish().unwrap();
    let (probas, history) = naive_ds(&rows, k, 21, workers, 10, 1e-7);
    let f = concord_engine::consensus::fit(&t, DawidSkeneOptions { max_iter: 10, tol: 1e-7 }, None);
    let split = t.items.get("i20").unwrap() as usize;
    let row = &f.probas[split * k..(split + 1) * k];
    assert!(row.iter().all(|p| p.is_finite()), "{row:?}");
    assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{row:?}");
    for c in 0..k {
        assert!((row[c] - probas[20][c]).abs() < 1e-9, "{row:?} vs {:?}", probas[20]);
    }
    for (a, b) in f.loss_history.iter().zip(&history) {
        assert!((a - b).abs() < 1e-9, "ELBO {a} vs {b}");
    }
}
