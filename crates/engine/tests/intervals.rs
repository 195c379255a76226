//! Bootstrap intervals (`resample`, `agreement::item_bootstrap`, `agreement::hayes_krippendorff`,
//! `agreement::pairwise_bootstrap`), each checked against an independent computation: a naive resampling of the
//! items, the binomial law of Hayes & Krippendorff's pair draws, statsmodels' asymptotic standard error of κ; and
//! the pilot gate and plan built on them (`pilot`), with coverage by simulation.

use concord_engine::agreement::{
    alpha, categorical_bootstrap, categorical_report, categorical_report_with_intervals, cohen_kappa_interval,
    coincidences, hayes_krippendorff, pair_table, Metric,
};
use concord_engine::bundle::GateRule;
use concord_engine::model::{CategoricalTable, TableBuilder};
use concord_engine::pilot::{
    pilot_gate, pilot_gate_for, plan_pilot, simulate_coverage, AlphaEvidence, IntervalMethod, PilotQuestion,
    StudyDesign,
};
use concord_engine::resample::{BootstrapSettings, Distribution, Interval};
use concord_engine::rng::SplitMix64;
use concord_engine::synthetic::{crowd_table, CrowdSpec};

fn crowd(items: usize, labels: u32, per_item: u32, accuracy: f64, seed: u64) -> CategoricalTable {
    let spec = CrowdSpec { annotations: items * per_item as usize, labels, per_item, pool: per_item, accuracy, seed };
    crowd_table(spec).finish().unwrap()
}

fn settings(replicates: usize, seed: u64) -> BootstrapSettings {
    BootstrapSettings { replicates, seed, level: 0.95 }
}

#[test]
fn the_item_bootstrap_of_alpha_matches_a_naive_resampling_of_the_items() {
    let t = crowd(150, 5, 3, 0.75, 3);
    let fast = categorical_bootstrap(&t, None, settings(3000, 1), |_| {}).unwrap();
    let fast = fast.alpha[0].as_ref().unwrap();
    // Independently: copy the drawn items into a new table and compute α from scratch, 3,000 times.
    let mut rng = SplitMix64::new(99);
    let mut naive = Vec::new();
    for _ in 0..3000 {
        let mut b = TableBuilder::new();
        for (slot, _) in (0..t.n_items()).enumerate() {
            let i = rng.below(t.n_items());
            for (&a, &l) in t.annotators_of(i).iter().zip(t.labels_of(i)) {
                b.push(&format!("draw{slot}"), t.annotators.name(a), t.labels.name(l));
            }
        }
        naive.push(alpha(&b.finish().unwrap(), Metric::Nominal, None).unwrap());
    }
    let naive = Distribution::new(naive, 0);
    let (se_fast, se_naive) = (fast.standard_error().unwrap(), naive.standard_error().unwrap());
    assert!((se_fast / se_naive - 1.0).abs() < 0.08, "standard errors {se_fast} vs {se_naive}");
    for q in [0.025, 0.5, 0.975] {
        let (a, b) = (fast.quantile(q).unwrap(), naive.quantile(q).unwrap());
        assert!((a - b).abs() < 0.25 * se_naive, "quantile {q}: {a} vs {b}");
    }
}

#[test]
fn hayes_krippendorff_replicates_follow_the_binomial_law_of_their_pair_draws() {
    let t = crowd(60, 4, 3, 0.7, 5);
    let r = 4000;
    let b = hayes_krippendorff(&t, Metric::Nominal, None, settings(r, 2), |_| {}).unwrap();
    // Nominal δ is 0 or 1, so a replicate is 1 − (X / M) / D_e with X ~ Binomial(M, D_o / n).
    let co = coincidences(&t);
    let n = co.n;
    let d_o = n - (0..co.v).map(|c| co.o[c * co.v + c]).sum::<f64>();
    let p = d_o / n;
    let d_e = (n * n - co.n_c.iter().map(|x| x * x).sum::<f64>()) / (n * (n - 1.0));
    let q = co.o.iter().filter(|&&o| o > 0.0).count() as u64;
    assert_eq!(b.pairs_drawn, (25 * q).min(60 * 3), "M = min(25 q, pairable pairs)");
    let sd = (p * (1.0 - p) / b.pairs_drawn as f64).sqrt() / d_e;
    let reps = b.distribution.replicates();
    let mean = reps.iter().sum::<f64>() / reps.len() as f64;
    assert!((mean - b.alpha).abs() < 4.0 * sd / (r as f64).sqrt(), "mean {mean} vs α {}", b.alpha);
    let se = b.distribution.standard_error().unwrap();
    assert!((se / sd - 1.0).abs() < 0.06, "SE {se} vs binomial {sd}");
    assert_eq!(b.alpha, alpha(&t, Metric::Nominal, None).unwrap());
    let table = b.q_table(&[0.9, 0.5]);
    assert!(table[0].q >= table[1].q, "failing a higher minimum is at least as likely");
}

#[test]
fn the_pair_bootstrap_of_kappa_agrees_with_statsmodels_asymptotic_standard_error() {
    let t = crowd(400, 4, 2, 0.7, 8);
    let (_, asymptotic) = cohen_kappa_interval(&pair_table(&t, 0, 1)).unwrap();
    let r = categorical_report_with_intervals(&t, None, settings(2000, 4), |_, _| {}).unwrap();
    let boot = r.pairwise[0].cohen_kappa_interval.unwrap();
    assert!(
        (boot.std_error / asymptotic.std_error - 1.0).abs() < 0.1,
        "{} vs {}",
        boot.std_error,
        asymptotic.std_error
    );
    assert!((boot.low - asymptotic.low).abs() < 0.02 && (boot.high - asymptotic.high).abs() < 0.02);
}

#[test]
fn intervals_are_added_next_to_the_figures_and_the_same_seed_gives_the_same_report() {
    let t = crowd(120, 3, 3, 0.8, 9);
    let plain = categorical_report(&t, None).unwrap();
    let with = categorical_report_with_intervals(&t, None, settings(500, 1), |_, _| {}).unwrap();
    assert_eq!(with, categorical_report_with_intervals(&t, None, settings(500, 1), |_, _| {}).unwrap());
    assert_ne!(with, categorical_report_with_intervals(&t, None, settings(500, 2), |_, _| {}).unwrap());
    // Every figure of the plain report is unchanged.
    let mut stripped = with.clone();
    stripped.bootstrap = None;
    stripped.percent_agreement_interval = None;
    stripped.fleiss_kappa_interval = None;
    stripped.krippendorff_alpha_interval = Default::default();
    stripped.krippendorff_alpha_hayes_krippendorff = Default::default();
    stripped.alpha_replicates = None;
    for p in &mut stripped.pairwise {
        (p.percent_agreement_interval, p.cohen_kappa_interval) = (None, None);
    }
    for l in stripped.per_label.values_mut() {
        (l.specific_agreement_interval, l.fleiss_kappa_interval) = (None, None);
    }
    assert_eq!(stripped, plain);
    let inside = |x: f64, i: Interval| i.low <= x && x <= i.high && i.replicates + i.undefined == 500;
    assert!(inside(with.krippendorff_alpha.nominal.unwrap(), with.krippendorff_alpha_interval.nominal.unwrap()));
    assert!(inside(with.fleiss_kappa.unwrap(), with.fleiss_kappa_interval.unwrap()));
    assert!(inside(with.percent_agreement.unwrap(), with.percent_agreement_interval.unwrap()));
    assert!(with.krippendorff_alpha_hayes_krippendorff.nominal.as_ref().unwrap().q_min.len() == 6);
    for l in with.per_label.values() {
        assert!(inside(l.specific_agreement.unwrap(), l.specific_agreement_interval.unwrap()));
    }
    // Progress: the item bootstrap's replicates, then the pairs', ending at the total.
    let mut said = Vec::new();
    categorical_report_with_intervals(&t, None, settings(500, 1), |done, total| said.push((done, total))).unwrap();
    assert!(said.windows(2).all(|w| w[0].0 <= w[1].0) && said.iter().all(|&(_, total)| total == 1000));
    assert_eq!(said.last(), Some(&(1000, 1000)));
    assert!(said.contains(&(500, 1000)), "the item bootstrap's half");
    let json = serde_json::to_value(&with).unwrap();
    assert!(json["krippendorff_alpha_interval"]["nominal"]["low"].is_number());
    assert!(json.get("alpha_replicates").is_none(), "the replicates stay out of the printed report");
}

#[test]
fn the_item_bootstrap_covers_the_population_alpha_at_its_nominal_rate() {
    // `concord coverage` makes the full table (1,000 studies of 1,000 replicates); here a smaller run that still
    // tells 95 % from 85 %: 400 studies, binomial SD 1.1 points.
    let design = StudyDesign { items: 50, labels: 20, annotators: 3, population_alpha: 0.64 };
    let item = simulate_coverage(design, IntervalMethod::ItemBootstrap, 400, settings(400, 0), 7);
    assert!((0.92..=0.98).contains(&item.coverage), "item bootstrap coverage {}", item.coverage);
    assert!((item.mean_alpha - 0.64).abs() < 0.02, "the studies' α centres on the population's: {}", item.mean_alpha);
    assert_eq!(item.covered + item.missed_above + item.missed_below + item.undefined, 400);
}

fn interval(low: f64, high: f64) -> Interval {
    Interval { low, high, level: 0.95, std_error: (high - low) / 3.92, replicates: 1000, undefined: 0 }
}

#[test]
fn the_gate_a_point_estimate_would_open_stays_shut_on_the_lower_bound() {
    let replicates = Distribution::new((0..1000).map(|i| 0.55 + 0.15 * i as f64 / 999.0).collect(), 0);
    let evidence =
        AlphaEvidence { alpha: Some(0.64), interval: Some(interval(0.58, 0.69)), replicates: Some(&replicates) };
    let labels = vec![
        ("milk".to_string(), Some(0.40), Some(interval(0.30, 0.52))),
        ("juice".to_string(), Some(0.58), Some(interval(0.45, 0.70))),
        ("bread".to_string(), Some(0.90), Some(interval(0.85, 0.95))),
        ("fox".to_string(), Some(0.5), None),
    ];
    let point = pilot_gate(evidence, &labels, &[], 0.6, GateRule::PointEstimate);
    assert!(point.open, "{}", point.reason);
    let lower = pilot_gate(evidence, &labels, &[], 0.6, GateRule::LowerBound);
    assert!(!lower.open);
    assert!(lower.reason.contains("lower bound 0.580 does not clear the minimum 0.6"), "{}", lower.reason);
    let below: Vec<&str> = lower.labels_below.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(below, ["milk", "fox"], "intervals entirely below, and values below without one");
    assert_eq!(lower.labels_uncertain.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["juice"]);
    // P(α < 0.6) on these replicates is a third.
    let risk = pilot_gate(evidence, &labels, &[], 0.6, GateRule::Risk(0.05));
    assert!((risk.probability_below.unwrap() - 1.0 / 3.0).abs() < 0.01);
    assert!(!risk.open && risk.reason.contains("exceeds the accepted risk 0.05"), "{}", risk.reason);
    assert!(pilot_gate(evidence, &labels, &[], 0.5, GateRule::Risk(0.05)).open);
    let none = AlphaEvidence::default();
    assert!(!pilot_gate(none, &[], &[], -1.0, GateRule::PointEstimate).open, "no α, no production");
    let no_interval = AlphaEvidence { alpha: Some(0.9), ..Default::default() };
    assert!(!pilot_gate(no_interval, &[], &[], 0.6, GateRule::LowerBound).open, "no interval, no lower bound");
}

#[test]
fn the_gate_reads_a_report_made_with_intervals() {
    // 40 items, α near the minimum: the point estimate clears 0.5, the interval reaches below it.
    let t = crowd(40, 6, 3, 0.75, 21);
    let r = categorical_report_with_intervals(&t, None, settings(1000, 0), |_, _| {}).unwrap();
    let a = r.krippendorff_alpha.nominal.unwrap();
    let i = r.krippendorff_alpha_interval.nominal.unwrap();
    let min = (a + i.low) / 2.0;
    assert!(pilot_gate_for(&r, min, GateRule::PointEstimate).open);
    let g = pilot_gate_for(&r, min, GateRule::LowerBound);
    assert!(!g.open && g.interval == Some(i));
    let p = g.probability_below.unwrap();
    assert!(p > 0.0 && p < 0.5, "P(α < min) {p}");
}

#[test]
fn the_pilot_plan_agrees_with_the_coverage_simulations_standard_error() {
    let (expected, min, risk) = (0.72, 0.6, 0.2);
    let q = PilotQuestion {
        labels: 10,
        annotators: 3,
        expected_alpha: expected,
        min_agreement: min,
        rule: GateRule::LowerBound,
        risk,
        studies: 120,
        bootstrap: settings(200, 0),
        seed: 1,
    };
    let plan = plan_pilot(q, |_| {});
    let n = plan.items.expect("a plan") as f64;
    assert!(plan.probability_open.unwrap() >= 1.0 - risk);
    assert!(plan.tried.windows(2).all(|w| w[0].0 < w[1].0));
    // The normal approximation with the standard error the coverage simulation measures at 100 items:
    // n ≈ 100 · ((z.975 + z.80) · SE₁₀₀ / (expected − min))².
    let design = StudyDesign { items: 100, labels: 10, annotators: 3, population_alpha: expected };
    let c = simulate_coverage(design, IntervalMethod::ItemBootstrap, 100, settings(200, 0), 3);
    let se100 = c.mean_width / (2.0 * 1.96);
    let approx = 100.0 * ((1.96 + 0.8416) * se100 / (expected - min)).powi(2);
    assert!((n / approx - 1.0).abs() < 0.4, "planned {n} vs normal approximation {approx}");
    let unreachable = plan_pilot(PilotQuestion { expected_alpha: 0.55, ..q }, |_| {});
    assert_eq!(unreachable.items, None, "an expected α below the minimum never opens the gate");
}

/// 120 documents, 3 annotators: each keeps a true span with probability 0.8, moves its end with 0.1, adds a stray.
fn span_study(seed: u64) -> concord_engine::model::SpanTable {
    use concord_engine::model::{Span, SpanTable, SpanUnit};
    let mut rng = SplitMix64::new(seed);
    let mut t = SpanTable::new(SpanUnit::CodePoints);
    let labels: Vec<u32> = ["PER", "ORG", "LOC"].iter().map(|l| t.labels.intern(l)).collect();
    let items: Vec<u32> = (0..120).map(|i| t.items.intern(&format!("d{i}"))).collect();
    let truth: Vec<Vec<Span>> = items
        .iter()
        .map(|_| (0..3).map(|k| Span { start: 20 * k, end: 20 * k + 5, label: *rng.pick(&labels) }).collect())
        .collect();
    for who in ["a", "b", "c"] {
        let docs = items
            .iter()
            .zip(&truth)
            .map(|(&item, spans)| {
                let mut mine = Vec::new();
                for s in spans {
                    let (keep, moved) = (rng.unit() < 0.8, rng.unit() < 0.1);
                    if keep {
                        mine.push(if moved { Span { end: s.end + 1, ..*s } } else { *s });
                    }
                }
                if rng.unit() < 0.2 {
                    mine.push(Span { start: 70, end: 74, label: labels[0] });
                }
                (item, mine)
            })
            .collect();
        t.add_annotator(who, docs);
    }
    t
}

#[test]
fn span_f1_intervals_match_a_naive_resampling_of_the_documents() {
    use concord_engine::model::{SpanDoc, SpanTable};
    use concord_engine::spans::{span_agreement, span_agreement_with_intervals};
    let t = span_study(4);
    let r = span_agreement_with_intervals(&t, settings(1500, 1));
    let plain = span_agreement(&t);
    assert_eq!((r.f1, r.overlap_f1, r.per_label.clone()), (plain.f1, plain.overlap_f1, plain.per_label.clone()));
    let fast = r.f1_interval.unwrap();
    assert!(fast.low < r.f1.unwrap() && r.f1.unwrap() < fast.high);
    // Independently: copy the drawn documents into a new table and compute F1 from scratch.
    let mut rng = SplitMix64::new(77);
    let n = t.items.len();
    let mut naive = Vec::new();
    for _ in 0..1500 {
        let mut s = SpanTable::new(t.unit);
        s.labels = t.labels.clone();
        s.annotators = t.annotators.clone();
        for slot in 0..n {
            let item = s.items.intern(&format!("draw{slot}"));
            let drawn = rng.below(n) as u32;
            s.docs.extend(t.docs.iter().filter(|d| d.item == drawn).map(|d| SpanDoc { item, ..d.clone() }));
        }
        s.sort();
        naive.push(span_agreement(&s).f1.unwrap());
    }
    let naive = Distribution::new(naive, 0);
    let se = naive.standard_error().unwrap();
    assert!((fast.std_error / se - 1.0).abs() < 0.1, "SE {} vs naive {se}", fast.std_error);
    assert!((fast.low - naive.quantile(0.025).unwrap()).abs() < 0.3 * se);
    for (pair, p) in r.pairwise.iter().enumerate() {
        let i = p.f1_interval.unwrap_or_else(|| panic!("pair {pair} has an interval"));
        assert!(i.low <= p.f1 && p.f1 <= i.high);
    }
    assert_eq!(r.per_label_f1_interval.len(), 3);
}

#[test]
fn box_f1_intervals_cover_the_point_and_narrow_as_images_repeat() {
    use concord_engine::boxes::box_agreement_with_intervals;
    use concord_engine::model::{BoxRec, BoxTable};
    let build = |copies: usize| {
        let mut rng = SplitMix64::new(6);
        let mut t = BoxTable::default();
        let (a, b) = (t.annotators.intern("a"), t.annotators.intern("b"));
        let (car, person) = (t.labels.intern("car"), t.labels.intern("person"));
        for i in 0..60 {
            let boxes: Vec<(u32, f64)> =
                (0..4).map(|k| (if k % 2 == 0 { car } else { person }, 30.0 * k as f64)).collect();
            let jitter: Vec<f64> = (0..8).map(|_| rng.range(-6.0, 6.0)).collect();
            for c in 0..copies {
                let item = t.items.intern(&format!("img{i}-{c}"));
                for (k, &(label, x)) in boxes.iter().enumerate() {
                    t.regions.push(BoxRec { item, annotator: a, label, x, y: 10.0, w: 20.0, h: 20.0, score: None });
                    let x = x + jitter[2 * k];
                    t.regions.push(BoxRec {
                        item,
                        annotator: b,
                        label,
                        x,
                        y: 10.0 + jitter[2 * k + 1],
                        w: 20.0,
                        h: 20.0,
                        score: None,
                    });
                }
            }
        }
        t.finish();
        box_agreement_with_intervals(&t, settings(1000, 2))
    };
    let (once, four) = (build(1), build(4));
    assert_eq!(once.f1_50, four.f1_50, "copies change no figure");
    let (i1, i4) = (once.f1_50_interval.unwrap(), four.f1_50_interval.unwrap());
    assert!(i1.low <= once.f1_50.unwrap() && once.f1_50.unwrap() <= i1.high);
    // Four times the images: the standard error halves (1/√4), up to the bootstrap's own noise.
    assert!((i4.std_error / i1.std_error - 0.5).abs() < 0.08, "{} vs {}", i4.std_error, i1.std_error);
    assert!(once.per_label["car"].f1_50_interval.is_some() && once.pairwise[0].f1_50_interval.is_some());
}

/// What review mode's import worker sends the page: each report as JSON text, read back into the same type. Every
/// field survives (the bootstrap's replicates are not printed, and come back as `None`).
#[test]
fn reports_read_back_from_their_json_equal_themselves() {
    use concord_engine::consensus::{dawid_skene, AggregationReport, DawidSkeneOptions};
    use concord_engine::gold::{classification_gold, ClassificationGoldReport};
    use concord_engine::review::RegionAgreement;
    use concord_engine::spans::span_agreement_with_intervals;
    fn back<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> T {
        serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
    }
    let t = crowd(300, 4, 3, 0.8, 7);
    let mut report = categorical_report_with_intervals(&t, None, settings(200, 1), |_, _| {}).unwrap();
    assert!(report.krippendorff_alpha_interval.nominal.is_some() && !report.per_label.is_empty());
    report.alpha_replicates = None;
    assert_eq!(back(&report), report);
    let ratings = crowd(200, 5, 2, 0.7, 3);
    let mut ordered = categorical_report_with_intervals(
        &ratings,
        Some(&["0", "1", "2", "3", "4"].map(String::from)),
        settings(100, 2),
        |_, _| {},
    )
    .unwrap();
    assert!(
        ordered.weighted_kappa_interval.quadratic.is_some()
            && ordered.krippendorff_alpha_hayes_krippendorff.ordinal.is_some()
    );
    ordered.alpha_replicates = None;
    assert_eq!(back(&ordered), ordered);
    let gold: Vec<Option<u32>> = (0..t.n_items()).map(|i| (i % 3 == 0).then_some((i % 4) as u32)).collect();
    let g: ClassificationGoldReport = classification_gold(&t, &gold);
    assert_eq!(back(&g), g);
    let mut ds: AggregationReport = dawid_skene(&t, DawidSkeneOptions::default(), None).report(&t);
    assert_eq!(back(&ds), ds, "with its per-item maps");
    (ds.labels, ds.confidence) = Default::default();
    assert_eq!(back(&ds), ds, "without them, as review mode sends it");
    let spans = RegionAgreement::Spans(span_agreement_with_intervals(&span_study(4), settings(100, 3)));
    assert_eq!(back(&spans), spans);
    let json = serde_json::to_value(&report).unwrap();
    assert!(json.get("alpha_replicates").is_none(), "the replicates are not printed");
}
