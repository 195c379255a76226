//! QC sampling, honeypot placement and active-learning order.

use concord_engine::model::TableBuilder;
use concord_engine::sampling::normal_quantile;
use concord_engine::sampling::*;

#[test]
fn simple_random_is_seeded_sized_and_uniform() {
    let a = simple_random(1000, 0.1, 7);
    assert_eq!(a.len(), 100);
    assert_eq!(a, simple_random(1000, 0.1, 7), "same seed, same sample");
    assert_ne!(a, simple_random(1000, 0.1, 8));
    let mut dedup = a.clone();
    dedup.dedup();
    assert_eq!(dedup.len(), 100, "no repeats");
    // Over many seeds every item is drawn about rate × seeds times (binomial, 4 sigma bounds).
    let mut hits = vec![0u32; 50];
    for seed in 0..4000 {
        for i in simple_random(50, 0.2, seed) {
            hits[i] += 1;
        }
    }
    let (mean, sd) = (800.0, (4000.0f64 * 0.2 * 0.8).sqrt());
    assert!(hits.iter().all(|&h| (h as f64 - mean).abs() < 4.0 * sd), "{hits:?}");
}

#[test]
fn stratified_allocates_proportionally_and_covers_every_stratum() {
    // 60 items of annotator a, 30 of b, 10 of c; a 10 % sample: 6, 3, 1.
    let strata: Vec<&str> =
        std::iter::repeat_n("a", 60).chain(std::iter::repeat_n("b", 30)).chain(std::iter::repeat_n("c", 10)).collect();
    let s = stratified(&strata, 0.1, 3);
    let count = |k: &str| s.iter().filter(|&&i| strata[i] == k).count();
    assert_eq!((count("a"), count("b"), count("c")), (6, 3, 1));
    assert_eq!(s, stratified(&strata, 0.1, 3));
    // A tiny stratum still gets one item when the sample is large enough.
    let strata: Vec<u8> = std::iter::repeat_n(0, 97).chain([1, 2, 3]).collect();
    let s = stratified(&strata, 0.05, 1);
    assert_eq!(s.len(), 5);
    for k in 0..4u8 {
        assert!(s.iter().any(|&i| strata[i] == k), "stratum {k} missing from {s:?}");
    }
}

#[test]
fn sample_size_matches_cochran() {
    assert!((normal_quantile(0.975) - 1.959963984540054).abs() < 1e-8);
    assert!((normal_quantile(0.995) - 2.5758293035489).abs() < 1e-8);
    // The classic 385 for ±5 % at 95 % in a large population; 278 out of 1000 with the correction.
    assert_eq!(sample_size(1_000_000_000, 0.05, 0.95, 0.5), 385);
    assert_eq!(sample_size(1000, 0.05, 0.95, 0.5), 278);
    assert_eq!(sample_size(10, 0.05, 0.95, 0.5), 10);
}

#[test]
fn honeypots_are_spread_through_each_queue() {
    let slots = place_honeypots(&[("ann".into(), 200), ("bob".into(), 50)], 30, 0.05, 9);
    let ann: Vec<_> = slots.iter().filter(|s| s.annotator == "ann").collect();
    let bob: Vec<_> = slots.iter().filter(|s| s.annotator == "bob").collect();
    assert_eq!((ann.len(), bob.len()), (10, 3));
    // One per segment of 20 positions, distinct gold items.
    for (k, s) in ann.iter().enumerate() {
        assert!(s.position >= k * 20 && s.position < (k + 1) * 20, "{s:?}");
    }
    let mut g: Vec<_> = ann.iter().map(|s| s.gold).collect();
    g.dedup();
    assert_eq!(g.len(), 10);
    assert_eq!(slots, place_honeypots(&[("ann".into(), 200), ("bob".into(), 50)], 30, 0.05, 9));
}

#[test]
fn uncertainty_orders() {
    let probs = vec![vec![0.9, 0.05, 0.05], vec![0.4, 0.35, 0.25], vec![0.5, 0.5, 0.0], vec![0.34, 0.33, 0.33]];
    let order = |s| order_by_uncertainty(&probs, s).into_iter().map(|(i, _)| i).collect::<Vec<_>>();
    assert_eq!(order(Uncertainty::LeastConfidence), [3, 1, 2, 0]);
    assert_eq!(order(Uncertainty::Margin), [2, 3, 1, 0]);
    assert_eq!(order(Uncertainty::Entropy), [3, 1, 2, 0]);
}

#[test]
fn vote_entropy_puts_disagreement_first() {
    let mut b = TableBuilder::new();
    for (item, labels) in [("agree", ["x", "x", "x"]), ("split", ["x", "y", "z"]), ("two", ["x", "x", "y"])] {
        for (k, l) in labels.iter().enumerate() {
            b.push(item, &format!("a{k}"), l);
        }
    }
    b.push("single", "a0", "x");
    let t = b.finish().unwrap();
    let order: Vec<&str> = order_by_disagreement(&t).into_iter().map(|(i, _)| t.items.name(i)).collect();
    assert_eq!(order, ["split", "two", "agree"]);
    let h = order_by_disagreement(&t)[0].1;
    assert!((h - 3f64.ln()).abs() < 1e-12);
}

#[test]
fn the_queue_puts_uncertain_predictions_first_then_the_rest_in_order() {
    use concord_engine::bundle::Prediction;
    use concord_engine::model::Control;
    let control: Control = serde_json::from_value(serde_json::json!(
        {"name": "c", "type": "single_choice", "labels": [{"value": "a"}, {"value": "b"}, {"value": "c"}]}))
    .unwrap();
    let pred = |task: &str, a: f64, b: f64| Prediction {
        task: task.into(),
        model: "m".into(),
        result: Default::default(),
        scores: serde_json::from_value(serde_json::json!({"c": {"a": a, "b": b}})).unwrap(),
    };
    let tasks = ["t0", "t1", "t2", "t3", "t4"];
    // t3 is the least confident (top 0.5), then t1 (0.7), then t4 (0.95); t0 and t2 have no prediction;
    // "zz" is not a task of the project and is ignored.
    let preds = vec![pred("t1", 0.7, 0.3), pred("t3", 0.5, 0.4), pred("zz", 0.1, 0.1), pred("t4", 0.95, 0.05)];
    let q = uncertainty_queue(&tasks, &preds, &control, Uncertainty::LeastConfidence);
    assert_eq!(q, vec![3, 1, 4, 0, 2]);
    // Margin: t3 (0.1) < t1 (0.4) < t4 (0.9).
    assert_eq!(uncertainty_queue(&tasks, &preds, &control, Uncertainty::Margin), vec![3, 1, 4, 0, 2]);
    let mut sorted = q.clone();
    sorted.sort();
    assert_eq!(sorted, vec![0, 1, 2, 3, 4], "a permutation");
}
