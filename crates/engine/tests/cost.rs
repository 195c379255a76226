//! The cost model against closed forms and a simulation.

use concord_engine::consensus::Method;
use concord_engine::cost::{ds_accuracy, mv_accuracy, plan, Tier};
use concord_engine::rng::SplitMix64;

#[test]
fn majority_vote_accuracy_closed_forms() {
    for p in [0.6, 0.8, 0.95] {
        assert!((mv_accuracy(1, p, 7) - p).abs() < 1e-12, "one annotator is just p");
        // Binary, k = 3: p³ + 3p²(1 − p).
        assert!((mv_accuracy(3, p, 2) - (p.powi(3) + 3.0 * p * p * (1.0 - p))).abs() < 1e-12);
        // Binary, k = 2 with random ties: p² + p(1 − p) = p — a second opinion alone does not help.
        assert!((mv_accuracy(2, p, 2) - p).abs() < 1e-12);
    }
}

/// Majority vote with random tie-breaks, simulated.
fn simulate_mv(k: usize, p: f64, classes: usize, trials: usize, seed: u64) -> f64 {
    let mut rng = SplitMix64::new(seed);
    let mut hits = 0.0;
    let mut counts = vec![0usize; classes];
    for _ in 0..trials {
        counts.fill(0);
        for _ in 0..k {
            let l = if rng.unit() < p { 0 } else { 1 + rng.below(classes - 1) };
            counts[l] += 1;
        }
        let max = *counts.iter().max().unwrap();
        let tied = counts.iter().filter(|&&c| c == max).count();
        if counts[0] == max {
            hits += 1.0 / tied as f64;
        }
    }
    hits / trials as f64
}

#[test]
fn majority_vote_accuracy_matches_simulation() {
    for (k, p, classes) in [(4, 0.5, 5), (5, 0.4, 3), (6, 0.7, 20), (3, 0.3, 4)] {
        let exact = mv_accuracy(k, p, classes);
        let sim = simulate_mv(k, p, classes, 200_000, k as u64);
        let se = (exact * (1.0 - exact) / 200_000.0f64).sqrt();
        assert!((exact - sim).abs() < 4.0 * se, "k={k} p={p} K={classes}: exact {exact} vs simulated {sim}");
    }
}

#[test]
fn dawid_skene_is_at_least_as_good_as_majority_vote_in_simulation() {
    let ds = ds_accuracy(3, 0.7, 4, 2000, 15, 1);
    let mv = mv_accuracy(3, 0.7, 4);
    assert!(ds > mv - 0.02, "DS {ds} vs MV {mv}");
    assert!(ds > 0.8 && ds < 1.0);
}

#[test]
fn the_cheapest_plan_meets_the_target() {
    let tiers = vec![
        Tier { name: "crowd".into(), cost_per_item: 0.02, seconds_per_item: 5.0, accuracy: 0.8, annotators: vec![] },
        Tier { name: "expert".into(), cost_per_item: 0.30, seconds_per_item: 20.0, accuracy: 0.97, annotators: vec![] },
    ];
    let r = plan(&tiers, 20, 0.999, Method::MajorityVote, 15, 0);
    let best = r.cheapest.clone().expect("some plan reaches 99.9 %");
    assert!(best.accuracy >= 0.999);
    // No cheaper plan meets the target.
    assert!(r.plans.iter().filter(|p| p.meets_target).all(|p| p.cost_per_item >= best.cost_per_item));
    assert_eq!(best.tier, "crowd", "{best:?}");
    // An impossible target has no plan.
    assert!(plan(&tiers, 20, 1.0, Method::MajorityVote, 3, 0).cheapest.is_none());
}

#[test]
fn tier_accuracy_measured_on_gold() {
    use concord_engine::cost::measure_tiers;
    use concord_engine::formats::csv_long::{read_gold_csv, read_long_csv};
    let mut t = read_long_csv("l.csv", "item,annotator,label\n1,a,x\n2,a,x\n1,b,x\n2,b,y\n3,c,x\n".as_bytes()).unwrap();
    let gold = read_gold_csv("g.csv", "item,label\n1,x\n2,y\n".as_bytes(), &mut t).unwrap();
    let mut tiers = vec![
        Tier {
            name: "pool".into(),
            cost_per_item: 1.0,
            seconds_per_item: 1.0,
            accuracy: f64::NAN,
            annotators: vec!["a".into(), "b".into()],
        },
        Tier { name: "entered".into(), cost_per_item: 1.0, seconds_per_item: 1.0, accuracy: 0.9, annotators: vec![] },
    ];
    measure_tiers(&mut tiers, &t, &gold).unwrap();
    assert_eq!(tiers[0].accuracy, 0.75, "a: 1 of 2, b: 2 of 2");
    assert_eq!(tiers[1].accuracy, 0.9);
    let mut only_c = vec![Tier {
        name: "c".into(),
        cost_per_item: 1.0,
        seconds_per_item: 1.0,
        accuracy: f64::NAN,
        annotators: vec!["c".into()],
    }];
    assert_eq!(measure_tiers(&mut only_c, &t, &gold).unwrap_err().tier, "c");
}
