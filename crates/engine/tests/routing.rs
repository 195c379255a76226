//! The loop's policies on synthetic streams: an annotator who drifts, a guideline change, a model that degrades;
//! adaptive overlap and tiered routing on cases worked out by hand.

use std::collections::{BTreeMap, HashMap};

use concord_engine::bundle::{AdaptiveOverlap, TierCondition, TierRule};
use concord_engine::drift::{drift, DriftOptions, Observation, Window};
use concord_engine::rng::SplitMix64;
use concord_engine::routing::{
    drift_requeue, guideline_change_requeue, model_conflict_requeue, model_gold_check, TimedLabel, TopPrediction,
};
use concord_engine::routing::{escalate, route, Signals};
use concord_engine::routing::{labels_needed, standing, GoldCheck, Standing};
use concord_engine::sampling::simple_random;

const DROP_AT: i64 = 400 * 60;

/// A label as (item, annotator, label, time).
type LabelRow = (String, &'static str, &'static str, i64);

/// Ana is right 97 % of the time throughout; Bob 96 % until `DROP_AT`, then 55 %. A gold check each a minute.
/// Labels as (item, annotator, label, time).
fn stream() -> (Vec<Observation>, Vec<LabelRow>) {
    let mut rng = SplitMix64::new(11);
    let (mut obs, mut labels) = (Vec::new(), Vec::new());
    for k in 0..800i64 {
        let time = 60 * k;
        for (a, name) in ["ana", "bob"].iter().enumerate() {
            let p = if a == 1 && time >= DROP_AT {
                0.55
            } else if a == 1 {
                0.96
            } else {
                0.97
            };
            let correct = rng.unit() < p;
            obs.push(Observation { annotator: a as u32, time, correct, version: 0 });
            labels.push((format!("{name}-{k}"), *name, if correct { "x" } else { "y" }, time));
        }
    }
    (obs, labels)
}

#[test]
fn a_drifting_annotator_goes_back_to_high_overlap_and_their_labels_since_the_drop_come_back() {
    let (obs, rows) = stream();
    let labels: Vec<TimedLabel> = rows
        .iter()
        .map(|(item, annotator, label, time)| TimedLabel { item, annotator, label, time: *time, version: "1" })
        .collect();
    let opts = DriftOptions { window: Window::Count(50), alpha: 0.001, min_drop: 0.05, min_baseline: 100 };
    let d = drift(&obs, 2, opts);
    assert!(!d.annotators[0].windows.iter().any(|w| w.flagged), "Ana is steady");
    let first = d.annotators[1].windows.iter().find(|w| w.flagged).expect("Bob's drop is flagged");
    // Found within two windows of the drop (50 checks a window, a check a minute).
    assert!(first.start >= DROP_AT - 50 * 60 && first.start <= DROP_AT + 100 * 60, "{}", first.start);

    let names = vec!["ana".to_string(), "bob".to_string()];
    let back = drift_requeue(&labels, &d, &names);
    let expected = labels.iter().filter(|l| l.annotator == "bob" && l.time >= first.start).count();
    assert_eq!(back.len(), expected);
    assert!(back.iter().all(|r| r.trigger == "drift" && r.annotator.as_deref() == Some("bob")));
    assert!(back[0].reason.contains("bob's accuracy on gold dropped"), "{}", back[0].reason);

    // Overlap: Ana is stable; Bob, drifting, is double-checked again.
    let policy = AdaptiveOverlap::default();
    let checks = |a: u32| -> Vec<GoldCheck> {
        obs.iter()
            .filter(|o| o.annotator == a)
            .map(|o| GoldCheck { time: o.time, correct: o.correct, version: "1".into() })
            .collect()
    };
    let ana = standing(&policy, &checks(0), "1", false);
    assert!(ana.is_stable(), "{ana:?}");
    let bob = standing(&policy, &checks(1), "1", d.annotators[1].windows.iter().any(|w| w.flagged));
    assert_eq!(bob, Standing::Drifting);
    let standings: HashMap<String, Standing> = [("ana".to_string(), ana), ("bob".to_string(), bob)].into();
    let alone = |who: &str| labels_needed(&policy, &[(who.to_string(), "x".to_string())], &standings);
    assert_eq!(alone("ana").more, 0);
    assert!(alone("ana").why.starts_with("ana is stable"), "{}", alone("ana").why);
    assert_eq!(alone("bob").more, 2);
    assert_eq!(alone("bob").why, "bob is drifting (a drift alarm is raised): overlap 3");
    // Even undetected, Bob's recent accuracy is below the minimum.
    assert!(matches!(standing(&policy, &checks(1), "1", false), Standing::Unstable { .. }));
}

#[test]
fn a_new_guideline_version_raises_overlap_until_a_window_of_checks_under_it() {
    let policy = AdaptiveOverlap { window: 30, ..AdaptiveOverlap::default() };
    let mut checks: Vec<GoldCheck> =
        (0..40).map(|k| GoldCheck { time: k, correct: true, version: "1.0".into() }).collect();
    assert_eq!(standing(&policy, &checks[..10], "1.0", false), Standing::New { checks: 10 });
    assert!(standing(&policy, &checks, "1.0", false).is_stable());
    // Guideline 1.1: back to the high overlap until 30 checks under it.
    assert_eq!(standing(&policy, &checks, "1.1", false), Standing::NewVersion { checks: 0, version: "1.1".into() });
    checks.extend((40..70).map(|k| GoldCheck { time: k, correct: k % 10 != 0, version: "1.1".into() }));
    // 27 of the last 30 right: 90 %, at the minimum.
    assert_eq!(standing(&policy, &checks, "1.1", false), Standing::Stable { accuracy: 0.9 });
    let s: HashMap<String, Standing> =
        [("ana".to_string(), Standing::NewVersion { checks: 3, version: "1.1".into() })].into();
    let need = labels_needed(&policy, &[("ana".into(), "x".into())], &s);
    assert_eq!(need.more, 2);
    assert_eq!(need.why, "ana is new to guideline 1.1 (3 of 30 gold checks under it): overlap 3");
}

#[test]
fn disagreement_asks_for_a_majority() {
    let policy = AdaptiveOverlap::default();
    let stable: HashMap<String, Standing> =
        ["a", "b", "c"].iter().map(|n| (n.to_string(), Standing::Stable { accuracy: 0.95 })).collect();
    let l = |pairs: &[(&str, &str)]| pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
    assert_eq!(labels_needed(&policy, &[], &stable).more, 1);
    let two = labels_needed(&policy, &l(&[("a", "x"), ("b", "y")]), &stable);
    assert_eq!((two.more, two.why.as_str()), (1, "the 2 labels disagree: overlap raised to 3"));
    assert_eq!(labels_needed(&policy, &l(&[("a", "x"), ("b", "y"), ("c", "z")]), &stable).more, 1);
    assert_eq!(labels_needed(&policy, &l(&[("a", "x"), ("b", "y"), ("c", "x")]), &stable).more, 0);
    // Someone the engine has never seen counts as new.
    assert_eq!(labels_needed(&policy, &l(&[("zed", "x")]), &stable).more, 2);
}

#[test]
fn a_guideline_change_requeues_a_seeded_sample_of_the_labels_it_touches() {
    let mut labels = Vec::new();
    for k in 0..120 {
        let (label, version) = match k % 4 {
            0 | 1 => ("milk", if k < 100 { "1.0" } else { "1.1" }),
            2 => ("juice", "1.0"),
            _ => ("tea", "1.0"),
        };
        labels.push((format!("i{k:03}"), label, version, k));
    }
    let labels: Vec<TimedLabel> = labels
        .iter()
        .map(|(item, label, version, time)| TimedLabel { item, annotator: "a", label, time: *time, version })
        .collect();
    let touched: Vec<&TimedLabel> = labels.iter().filter(|l| l.label == "milk" && l.version == "1.0").collect();
    let back = guideline_change_requeue(&labels, &["milk".into()], "1.1", 0.5, 3);
    assert_eq!(back.len(), simple_random(touched.len(), 0.5, 3).len());
    assert!(back.iter().all(|r| touched.iter().any(|l| l.item == r.item)));
    assert_eq!(back, guideline_change_requeue(&labels, &["milk".into()], "1.1", 0.5, 3), "seeded");
    assert_eq!(guideline_change_requeue(&labels, &["milk".into()], "1.1", 1.0, 3).len(), touched.len());
    assert_eq!(back[0].reason, format!("labelled `milk` under guideline 1.0; version 1.1 changed `milk`"));
}

#[test]
fn a_degrading_model_stops_challenging_the_consensus() {
    let mut rng = SplitMix64::new(5);
    let labels = ["x", "y", "z"];
    let gold: BTreeMap<String, String> = (0..60).map(|k| (format!("g{k}"), labels[k % 3].to_string())).collect();
    let consensus: BTreeMap<String, String> = (0..200).map(|k| (format!("t{k}"), labels[k % 3].to_string())).collect();
    let model = |accuracy: f64, rng: &mut SplitMix64| -> Vec<TopPrediction> {
        gold.iter()
            .chain(consensus.iter())
            .map(|(item, truth)| {
                let right = rng.unit() < accuracy;
                let label = if right {
                    truth.clone()
                } else {
                    labels[(labels.iter().position(|l| l == truth).unwrap() + 1) % 3].to_string()
                };
                TopPrediction { item: item.clone(), label, score: rng.range(0.5, 1.0) }
            })
            .collect()
    };
    let good = model(0.92, &mut rng);
    let check = model_gold_check(&good, &gold, 0.8);
    let right = good.iter().filter(|p| gold.get(&p.item) == Some(&p.label)).count();
    assert_eq!((check.gold_items, check.correct, check.degraded), (60, right, false));
    let back = model_conflict_requeue(&good, &consensus, 0.9, &check);
    let expected: Vec<&str> = good
        .iter()
        .filter(|p| p.score >= 0.9 && consensus.get(&p.item).is_some_and(|c| *c != p.label))
        .map(|p| p.item.as_str())
        .collect();
    let mut expected = expected;
    expected.sort();
    assert_eq!(back.iter().map(|r| r.item.as_str()).collect::<Vec<_>>(), expected);
    assert!(!back.is_empty());

    let worse = model(0.55, &mut rng);
    let check = model_gold_check(&worse, &gold, 0.8);
    assert!(check.degraded, "{check:?}");
    assert!(model_conflict_requeue(&worse, &consensus, 0.9, &check).is_empty());
}

#[test]
fn tiers_route_by_difficulty_and_escalate_upwards() {
    let rules: Vec<TierRule> = serde_json::from_str(
        r#"[{"tier": "senior", "when": {"model_confidence_below": 0.6}},
            {"tier": "senior", "when": {"objects_above": 20}},
            {"tier": "arbiter", "when": {"prior_agreement_below": 0.5}},
            {"tier": "junior", "when": "always"}]"#,
    )
    .unwrap();
    let order: Vec<String> = ["arbiter", "senior", "junior"].iter().map(|s| s.to_string()).collect();
    let go = |s: Signals| route(&rules, &s, &order);
    assert_eq!(
        go(Signals { model_confidence: Some(0.4), ..Signals::default() }),
        ("senior".into(), "model confidence 0.40 < 0.6".into())
    );
    assert_eq!(go(Signals { objects: Some(25), model_confidence: Some(0.9), ..Signals::default() }).0, "senior");
    assert_eq!(
        go(Signals { prior_agreement: Some(0.34), ..Signals::default() }),
        ("arbiter".into(), "earlier agreement 0.34 < 0.5".into())
    );
    assert_eq!(go(Signals::default()), ("junior".into(), "default rule".into()));
    assert_eq!(escalate(&order, "junior").as_deref(), Some("senior"));
    assert_eq!(escalate(&order, "senior").as_deref(), Some("arbiter"));
    assert_eq!(escalate(&order, "arbiter"), None);
    let bad =
        serde_json::from_str::<Vec<TierRule>>(r#"[{"tier": "x", "when": {"confidence": 1}}]"#).unwrap_err().to_string();
    assert!(bad.contains("unknown variant `confidence`"), "{bad}");
}

#[test]
fn a_guideline_diff_names_the_labels_it_touches_and_stamped_labels_feed_the_triggers() {
    use concord_engine::formats::csv_long::read_long_csv_stamped;
    use concord_engine::guidelines::diff_guidelines;
    use concord_engine::routing::{labels_touched, requeue_since, timed_labels};
    let old = "# G\n## Dairy\nmilk.\n## Drinks\njuice.\n## Pantry\nrice.\n";
    let new = "# G\n## Dairy\nmilk; a carton reading JUICE is juice.\n## Drinks\njuice.\n## Pantry\nrice.\n";
    let sections: BTreeMap<String, String> =
        [("milk", "#dairy"), ("cheese", "#dairy"), ("juice", "#drinks"), ("rice", "#pantry")]
            .iter()
            .map(|(l, s)| (l.to_string(), s.to_string()))
            .collect();
    assert_eq!(labels_touched(&diff_guidelines(old, new), &sections), vec!["cheese".to_string(), "milk".to_string()]);

    let csv = "item,annotator,label,time,guideline_version\nt1,a,milk,100,1.0\nt1,b,juice,160,1.0\nt2,a,rice,200,1.1\n";
    let (table, stamps) = read_long_csv_stamped("l.csv", csv.as_bytes()).unwrap();
    let labels = timed_labels(&table, &stamps);
    let got: Vec<(&str, &str, &str, i64, &str)> =
        labels.iter().map(|l| (l.item, l.annotator, l.label, l.time, l.version)).collect();
    assert_eq!(
        got,
        vec![("t1", "a", "milk", 100, "1.0"), ("t1", "b", "juice", 160, "1.0"), ("t2", "a", "rice", 200, "1.1")]
    );
    let back = requeue_since(&labels, &[("a".to_string(), 150)]);
    assert_eq!(back.iter().map(|r| r.item.as_str()).collect::<Vec<_>>(), vec!["t2"]);
    let touched = guideline_change_requeue(&labels, &["milk".into()], "1.1", 1.0, 1);
    assert_eq!(touched.iter().map(|r| r.item.as_str()).collect::<Vec<_>>(), vec!["t1"]);
}

#[test]
fn requeue_files_round_trip_and_say_what_goes_back_to_whom() {
    use concord_engine::routing::{parse_requeue, sent_back_to, write_requeue, Requeue};
    let items = vec![
        Requeue {
            item: "p1".into(),
            trigger: "drift",
            reason: "cai dropped, \"day 2\"".into(),
            annotator: Some("cai".into()),
        },
        Requeue { item: "p2".into(), trigger: "guideline_change", reason: "milk under 1.0".into(), annotator: None },
        Requeue { item: "p3".into(), trigger: "drift", reason: "bob dropped".into(), annotator: Some("bob".into()) },
        Requeue { item: "p1".into(), trigger: "guideline_change", reason: "again".into(), annotator: None },
    ];
    let text = write_requeue(&items);
    let lines = parse_requeue("requeue.jsonl", &text).unwrap();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0].reason, "cai dropped, \"day 2\"");
    assert_eq!(
        sent_back_to(&lines, "cai"),
        vec![
            ("p1".to_string(), "cai dropped, \"day 2\"".to_string()),
            ("p2".to_string(), "milk under 1.0".to_string())
        ]
    );
    assert_eq!(sent_back_to(&lines, "ana").iter().map(|t| t.0.as_str()).collect::<Vec<_>>(), vec!["p2", "p1"]);
    let e = parse_requeue("requeue.jsonl", "{\"task\": \"p1\", \"trigger\": \"drift\"}\n").unwrap_err().to_string();
    assert!(e.contains("requeue.jsonl") && e.contains("line 1") && e.contains("reason"), "{e}");
    let e = parse_requeue("r.jsonl", "\n{\"task\": \"p1\", \"trigger\": \"x\", \"reason\": \"y\", \"who\": 1}\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2") && e.contains("who"), "{e}");
}

#[test]
fn the_plan_says_per_annotator_and_per_task_how_many_labels_which_tier_and_why() {
    use concord_engine::bundle::{ModelTrust, RoutingSettings};
    use concord_engine::model::{Stamps, TableBuilder};
    use concord_engine::routing::{plan, PlanInput, Router};
    let settings = RoutingSettings {
        overlap: AdaptiveOverlap { high: 3, low: 1, window: 4, min_accuracy: 0.75 },
        tiers: vec!["arbiter".into(), "senior".into(), "junior".into()],
        rules: vec![
            TierRule { tier: "senior".into(), when: TierCondition::ModelConfidenceBelow(0.6) },
            TierRule { tier: "senior".into(), when: TierCondition::ObjectsAbove(20) },
        ],
        model: Some(ModelTrust { min_gold_accuracy: 0.5, min_conflict_score: 0.9 }),
    };
    // Gold items g1..g6 (label "x"). Ana: 5 checks under 1.1, 4 right (the last 4 all right → stable).
    // Ben: 2 checks (new). Dan: 5 checks, all under 1.0 (new to 1.1). Cai: drifting.
    let mut b = TableBuilder::new();
    let mut stamped: Vec<(String, &str, i64, &str)> = Vec::new();
    let mut gold = BTreeMap::new();
    for k in 1..=6 {
        gold.insert(format!("g{k}"), "x".to_string());
    }
    for (k, right) in [(1, false), (2, true), (3, true), (4, true), (5, true)] {
        let item = format!("g{k}");
        b.push(&item, "ana", if right { "x" } else { "y" });
        stamped.push((item, "ana", 10 * k, "1.1"));
    }
    for k in 1..=2 {
        b.push(&format!("g{k}"), "ben", "x");
    }
    for k in 1..=5 {
        b.push(&format!("g{k}"), "dan", "x");
        stamped.push((format!("g{k}"), "dan", k, "1.0"));
    }
    b.push("t1", "ana", "x");
    b.push("t2", "ben", "x");
    b.push("t3", "ana", "x");
    b.push("t3", "ben", "y");
    b.push("t4", "ana", "x");
    b.push("t4", "ben", "y");
    b.push("t4", "cai", "z");
    let table = b.finish().unwrap();
    let mut stamps = Stamps::default();
    for (item, who, time, version) in stamped {
        stamps.push(table.items.get(&item).unwrap(), table.annotators.get(who).unwrap(), time, version);
    }
    let predictions = vec![
        TopPrediction { item: "t2".into(), label: "x".into(), score: 0.4 },
        TopPrediction { item: "t1".into(), label: "x".into(), score: 0.95 },
        TopPrediction { item: "g1".into(), label: "x".into(), score: 0.9 },
    ];
    let input = PlanInput {
        settings: &settings,
        table: &table,
        stamps: &stamps,
        gold: &gold,
        current_version: "1.1",
        drifting: &["cai".to_string()],
        predictions: &predictions,
        objects: &[("t3".to_string(), 25usize)].into_iter().collect(),
    };
    let p = plan(&input, 100);
    // The plan lists what needs action; the router explains any task, t1 included.
    let router = Router::new(&input);
    let by_id = |id: &str| router.route(table.items.get(id).unwrap() as usize);
    let who: HashMap<&str, &Standing> = p.annotators.iter().map(|a| (a.annotator.as_str(), &a.standing)).collect();
    assert_eq!(who["ana"], &Standing::Stable { accuracy: 1.0 });
    assert_eq!(who["ben"], &Standing::New { checks: 2 });
    assert_eq!(who["cai"], &Standing::Drifting);
    assert_eq!(who["dan"], &Standing::NewVersion { checks: 0, version: "1.1".into() });
    let ana = p.annotators.iter().find(|a| a.annotator == "ana").unwrap();
    assert_eq!((ana.checks, ana.checks_now, ana.overlap), (5, 5, 1));
    let item = by_id;
    assert!(p.items.iter().all(|i| i.more > 0 || i.escalate_to.is_some()));
    assert_eq!(p.open, p.items.len());
    assert_eq!((p.tasks, p.escalated), (table.n_items(), 1));
    assert_eq!(plan(&input, 1).items.len(), 1);
    // t1: a stable annotator alone suffices; the confident model routes nowhere special.
    assert_eq!(item("t1").more, 0);
    assert!(item("t1").why.contains("ana is stable (100 % on the last 4 gold checks)"), "{}", item("t1").why);
    assert_eq!((item("t1").tier.as_str(), item("t1").tier_why.as_str()), ("junior", "no rule matched"));
    // t2: a new annotator: overlap 3, two more; the unsure model sends it to the seniors.
    assert_eq!(item("t2").more, 2);
    assert!(item("t2").why.contains("ben is new (2 of 4 gold checks): overlap 3"), "{}", item("t2").why);
    assert_eq!((item("t2").tier.as_str(), item("t2").tier_why.as_str()), ("senior", "model confidence 0.40 < 0.6"));
    // t3: disagreement raises the overlap.
    assert_eq!(item("t3").more, 1);
    assert!(item("t3").why.contains("disagree"));
    assert_eq!(item("t3").escalate_to, None);
    assert_eq!((item("t3").tier.as_str(), item("t3").tier_why.as_str()), ("senior", "25 objects > 20"));
    // t4: three labels, three answers: one more, and up a tier.
    assert_eq!(item("t4").more, 1);
    assert_eq!(item("t4").tier, "junior");
    assert_eq!(item("t4").escalate_to.as_deref(), Some("senior"));
    // The model passed its gold check (1 of 1), so its confidence was used.
    assert_eq!(p.model.as_ref().map(|m| (m.gold_items, m.degraded)), Some((1, false)));
}

#[test]
fn the_top_prediction_is_the_highest_score_and_gold_is_read_per_control() {
    use concord_engine::bundle::{GoldItem, Prediction};
    use concord_engine::model::{ControlValue, TaskResult};
    use concord_engine::routing::{choice_gold, top_predictions};
    let result = |l: &[&str]| {
        let mut r = TaskResult::default();
        r.0.insert("c".into(), ControlValue::Choices(l.iter().map(|s| s.to_string()).collect()));
        r
    };
    let scores = |v: serde_json::Value| v.as_object().unwrap().clone();
    let preds = vec![
        Prediction {
            task: "a".into(),
            model: "m".into(),
            result: result(&["x"]),
            scores: scores(serde_json::json!({"c": {"x": 0.2, "y": 0.7, "z": 0.1}})),
        },
        Prediction { task: "b".into(), model: "m".into(), result: result(&["z"]), scores: Default::default() },
        Prediction { task: "c".into(), model: "m".into(), result: result(&["x", "y"]), scores: Default::default() },
    ];
    let top = top_predictions(&preds, "c");
    assert_eq!(
        top,
        vec![
            TopPrediction { item: "a".into(), label: "y".into(), score: 0.7 },
            TopPrediction { item: "b".into(), label: "z".into(), score: 1.0 },
        ]
    );
    let gold = vec![
        GoldItem { task: "a".into(), result: result(&["y"]), explanation: String::new(), section: String::new() },
        GoldItem { task: "c".into(), result: result(&["x", "y"]), explanation: String::new(), section: String::new() },
    ];
    assert_eq!(choice_gold(&gold, "c").into_iter().collect::<Vec<_>>(), vec![("a".to_string(), "y".to_string())]);
}

/// Annotator mode's queue after a requeue file: the tasks sent back lead in the order they were sent, every other
/// task follows in project order, each task once; tasks the project lacks are counted, not placed.
#[test]
fn tasks_sent_back_lead_the_queue_in_the_order_sent() {
    use concord_engine::routing::{sent_back_first, SentBackQueue};
    let ids = ["t0", "t1", "t2", "t3", "t4"];
    let back: Vec<(String, String)> = [("t3", "drift"), ("gone", "drift"), ("t1", "model"), ("t3", "again")]
        .map(|(t, r)| (t.into(), r.into()))
        .into();
    let reasons = vec![("t3".to_string(), "drift".to_string()), ("t1".to_string(), "model".to_string())];
    assert_eq!(
        sent_back_first(&ids, back),
        SentBackQueue { order: vec![3, 1, 0, 2, 4], first: 2, unknown: 1, reasons }
    );
    let none = SentBackQueue { order: vec![0, 1, 2, 3, 4], first: 0, unknown: 0, reasons: Vec::new() };
    assert_eq!(sent_back_first(&ids, Vec::new()), none);
}
