//! Review of individual annotations: the queue, verdicts, the pool they feed, final labels and files, error tallies,
//! throughput and accuracy over time — each on small inputs worked out by hand, or against a plain recomputation.

use std::collections::BTreeSet;

use concord_engine::arbitration::{Consensus, Decision};
use concord_engine::consensus::majority_vote;
use concord_engine::drift::{drift, DriftOptions, Observation, Window};
use concord_engine::formats::csv_long::{read_long_csv, read_long_csv_stamped};
use concord_engine::formats::label_studio::{read_label_studio, read_label_studio_categorical_from, ChoiceReader};
use concord_engine::model::ErrorCategory;
use concord_engine::model::{CategoricalTable, Stamps, TableError, TableRows};
use concord_engine::qc::QcCheck;
use concord_engine::review::{
    accuracy_over_time, error_tally, final_labels, pool_reasons, review_pool, review_queue, throughput, QueueIndex,
    QueueScope, Review, ReviewError, Verdict, IDLE_GAP,
};
use concord_engine::review::{final_label_studio, final_labels_csv, reviewed_long_csv};

// t1: 3 agree; t2: c disagrees; t3: b disagrees; t4: a alone.
const CSV: &str = "item,annotator,label\nt1,a,cat\nt1,b,cat\nt1,c,cat\nt2,a,cat\nt2,b,cat\nt2,c,dog\n\
                   t3,a,dog\nt3,b,cat\nt3,c,dog\nt4,a,dog\n";

fn setup() -> (CategoricalTable, Consensus) {
    let table = read_long_csv("l.csv", CSV.as_bytes()).unwrap();
    let mv = majority_vote(&table, None).report(&table);
    (table, Consensus::from(&mv))
}

/// A seeded crowd of `items` items and its majority-vote consensus, with every `every`-th item's consensus taken
/// out (items the consensus misses, returned third).
fn crowd_with_consensus_gaps(seed: u64, items: usize, every: usize) -> (CategoricalTable, Consensus, Vec<String>) {
    use concord_engine::synthetic::{crowd_csv, CrowdSpec};
    let csv = crowd_csv(CrowdSpec { seed, ..CrowdSpec::standard(items) });
    let table = read_long_csv("crowd.csv", csv.as_bytes()).unwrap();
    let mut consensus = Consensus::from(&majority_vote(&table, None).report(&table));
    let dropped: Vec<String> = consensus.labels.keys().step_by(every).cloned().collect();
    for k in &dropped {
        consensus.labels.remove(k);
        consensus.confidence.remove(k);
    }
    (table, consensus, dropped)
}

fn review(
    item: &str,
    annotator: &str,
    verdict: Verdict,
    fixed: Option<&str>,
    category: Option<ErrorCategory>,
) -> Review {
    Review {
        item: item.into(),
        annotator: annotator.into(),
        verdict,
        fixed: fixed.map(str::to_string),
        fixed_regions: None,
        category,
        section: String::new(),
        comment: String::new(),
        reviewer: "rita".into(),
    }
}

#[test]
fn the_queue_holds_the_annotations_against_the_consensus() {
    let (table, consensus) = setup();
    let q = review_queue(&table, &consensus, QueueScope::Disagreements, None);
    let got: Vec<(&str, &str, &str, Option<&str>)> =
        q.iter().map(|e| (e.item.as_str(), e.annotator.as_str(), e.label.as_str(), e.consensus.as_deref())).collect();
    // Both at 2/3 confidence, so by item.
    assert_eq!(got, vec![("t2", "c", "dog", Some("cat")), ("t3", "b", "cat", Some("dog"))]);
    assert_eq!(review_queue(&table, &consensus, QueueScope::All, None).len(), table.n_annotations());
    let of_a = review_queue(&table, &consensus, QueueScope::All, Some("a"));
    assert_eq!(of_a.iter().map(|e| e.item.as_str()).collect::<Vec<_>>(), vec!["t1", "t2", "t3", "t4"]);
    assert!(review_queue(&table, &consensus, QueueScope::All, Some("nobody")).is_empty());
}

#[test]
fn a_verdict_carries_what_it_needs() {
    let ok = review("t2", "c", Verdict::Fix, Some("cat"), Some(ErrorCategory::WrongLabel));
    assert_eq!(ok.check("dog"), Ok(()));
    assert_eq!(ok.check("cat"), Err(ReviewError::FixIsTheAnnotation));
    let no_label = review("t2", "c", Verdict::Fix, None, Some(ErrorCategory::WrongLabel));
    assert_eq!(no_label.check("dog"), Err(ReviewError::FixWithoutLabel));
    let no_category = review("t2", "c", Verdict::Reject, None, None);
    assert_eq!(no_category.check("dog"), Err(ReviewError::MissingCategory));
    let accept_with = review("t2", "c", Verdict::Accept, None, Some(ErrorCategory::Boundary));
    assert_eq!(accept_with.check("dog"), Err(ReviewError::CategoryOnAccept));
    let mut nameless = review("t2", "c", Verdict::Accept, None, None);
    nameless.reviewer = " ".into();
    assert_eq!(nameless.check("dog"), Err(ReviewError::MissingReviewer));
    assert_eq!(ReviewError::MissingReviewer.to_string(), "the reviewer's name is missing", "what the page shows");
    // JSON as stored: snake_case verdicts and categories.
    let json = serde_json::to_string(&ok).unwrap();
    assert!(json.contains(r#""verdict":"fix""#) && json.contains(r#""category":"wrong_label""#), "{json}");
    assert_eq!(serde_json::from_str::<Review>(&json).unwrap(), ok);
}

#[test]
fn rejections_split_fixes_and_failed_qc_go_to_arbitration() {
    let (table, consensus) = setup();
    let reviews = vec![
        review("t3", "b", Verdict::Reject, None, Some(ErrorCategory::GuidelineMisinterpretation)),
        review("t1", "a", Verdict::Fix, Some("dog"), Some(ErrorCategory::WrongLabel)),
        review("t1", "b", Verdict::Fix, Some("bird"), Some(ErrorCategory::WrongLabel)),
        // Rejected, then accepted on a second look: the latest counts.
        review("t2", "c", Verdict::Reject, None, Some(ErrorCategory::WrongLabel)),
        review("t2", "c", Verdict::Accept, None, None),
    ];
    let checks = vec![QcCheck {
        item: "t4".into(),
        passed: false,
        category: Some(ErrorCategory::Boundary),
        section: "2.1".into(),
        comment: String::new(),
        checker: "q".into(),
    }];
    let reasons = pool_reasons(&reviews, &checks);
    let pool = review_pool(&table, &consensus, &reasons, &BTreeSet::new());
    let got: Vec<(&str, &str)> = pool.iter().map(|p| (p.item.as_str(), p.why.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("t1", "reviewers' fixes disagree"),
            ("t3", "b's label rejected in review"),
            ("t4", "failed QC (boundary)")
        ]
    );
    assert_eq!(
        pool[1].labels,
        vec![("a".into(), "dog".into()), ("b".into(), "cat".into()), ("c".into(), "dog".into())]
    );
    assert_eq!(pool[1].consensus.as_deref(), Some("dog"));
    assert!((pool[1].agreement - 2.0 / 3.0).abs() < 1e-12);
    let skip: BTreeSet<&str> = ["t3"].into();
    assert_eq!(review_pool(&table, &consensus, &reasons, &skip).len(), 2);
    assert_eq!(reasons.get("t3").map(String::as_str), Some("b's label rejected in review"));
}

#[test]
fn final_labels_take_the_arbiter_then_the_reviewers_fix_then_the_consensus() {
    let (table, consensus) = setup();
    let mut fix = review("t2", "c", Verdict::Fix, Some("bird"), Some(ErrorCategory::WrongLabel));
    fix.comment = "a bird, §3".into();
    let reviews = vec![fix, review("t3", "b", Verdict::Fix, Some("cow"), Some(ErrorCategory::WrongLabel))];
    let decisions =
        vec![Decision { item: "t3".into(), label: "dog".into(), reason: "see §2".into(), arbiter: "lead".into() }];
    let finals = final_labels(&consensus, &reviews, &decisions);
    let got: Vec<(&str, &str, &str)> =
        finals.iter().map(|f| (f.item.as_str(), f.label.as_str(), f.source.as_str())).collect();
    assert_eq!(got, vec![("t1", "cat", "mv"), ("t2", "bird", "review"), ("t3", "dog", "arbiter"), ("t4", "dog", "mv")]);
    let csv = final_labels_csv(&finals);
    assert!(csv.contains("t2,bird,review,1,\"a bird, §3\"\n"), "{csv}");

    // The long CSV reads back as the same annotations, with the review beside.
    let long = reviewed_long_csv(&table, &reviews);
    let back = read_long_csv("back.csv", long.as_bytes()).unwrap();
    assert_eq!(TableRows::from(&back), TableRows::from(&table));
    assert!(long.contains("t2,c,dog,fix,bird,wrong_label,,\"a bird, §3\",rita\n"), "{long}");
    assert!(long.contains("t1,a,cat,,,,,,\n"), "{long}");

    // The Label Studio export reads back: annotators' labels as annotations, finals as ground truth.
    let ls = final_label_studio(&table, &finals, &reviews, "species");
    let (people, truth) = read_label_studio_categorical_from("final.json", ls.as_bytes(), None).unwrap();
    assert_eq!(TableRows::from(&people), TableRows::from(&table));
    let truth_rows: Vec<(String, String)> =
        truth.rows().map(|(i, _, l)| (truth.items.name(i).to_string(), truth.labels.name(l).to_string())).collect();
    let want: Vec<(String, String)> = finals.iter().map(|f| (f.item.clone(), f.label.clone())).collect();
    assert_eq!(truth_rows, want);
    assert!(ls.contains(r#""verdict": "fix""#));
}

#[test]
fn errors_are_tallied_by_category_and_section() {
    let mut reviews = Vec::new();
    for (k, (cat, section)) in [
        (ErrorCategory::WrongLabel, "2.1"),
        (ErrorCategory::WrongLabel, "2.1"),
        (ErrorCategory::WrongLabel, "3"),
        (ErrorCategory::Boundary, ""),
    ]
    .into_iter()
    .enumerate()
    {
        let mut r = review(&format!("t{k}"), "a", Verdict::Reject, None, Some(cat));
        r.section = section.into();
        reviews.push(r);
    }
    reviews.push(review("t9", "a", Verdict::Accept, None, None));
    let checks = vec![
        QcCheck {
            item: "q1".into(),
            passed: true,
            category: None,
            section: String::new(),
            comment: String::new(),
            checker: "q".into(),
        },
        QcCheck {
            item: "q2".into(),
            passed: false,
            category: Some(ErrorCategory::Attribute),
            section: "3".into(),
            comment: String::new(),
            checker: "q".into(),
        },
    ];
    let t = error_tally(&reviews, &checks);
    assert_eq!((t.checked, t.errors), (7, 5));
    let bars: Vec<(&str, usize)> = t.pareto.iter().map(|b| (b.category, b.count)).collect();
    assert_eq!(bars, vec![("wrong_label", 3), ("attribute", 1), ("boundary", 1)]);
    let cumulative: Vec<f64> = t.pareto.iter().map(|b| b.cumulative).collect();
    assert_eq!(cumulative, vec![0.6, 0.8, 1.0]);
    let sections: Vec<(&str, usize)> = t.sections.iter().map(|s| (s.section.as_str(), s.errors)).collect();
    assert_eq!(sections, vec![("2.1", 2), ("3", 2), ("(none)", 1)]);
    assert!((t.sections[0].rate - 2.0 / 7.0).abs() < 1e-12);
    assert_eq!(t.sections[1].categories.get("attribute"), Some(&1));
}

#[test]
fn throughput_counts_labels_per_hour_of_work_and_skips_breaks() {
    // a: one label a minute for 10 labels, a 2-hour break, 4 more two minutes apart; b: one label.
    let mut csv = String::from("item,annotator,label,time\n");
    for k in 0..10 {
        csv.push_str(&format!("i{k},a,x,{}\n", 1_000_000 + 60 * k));
    }
    for k in 0..4 {
        csv.push_str(&format!("j{k},a,x,{}\n", 1_000_000 + 540 + 7200 + 120 * k));
    }
    csv.push_str("i0,b,x,2026-11-28T10:00:00Z\n");
    let (table, stamps) = read_long_csv_stamped("t.csv", csv.as_bytes()).unwrap();
    let t = throughput(&table, &stamps, IDLE_GAP);
    assert_eq!(t.len(), 2);
    assert_eq!((t[0].annotator.as_str(), t[0].items, t[0].sessions, t[0].active_seconds), ("a", 14, 2, 540 + 360));
    // 9 + 3 timed labels in 900 s.
    assert!((t[0].per_hour.unwrap() - 12.0 * 3600.0 / 900.0).abs() < 1e-9);
    assert_eq!((t[1].items, t[1].per_hour), (1, None));
    // The team's seconds per label: a's 75 s (48 an hour); b has no measurable rate.
    assert!((concord_engine::review::seconds_per_label(&t).unwrap() - 75.0).abs() < 1e-9);
}

#[test]
fn stamps_come_from_csv_columns_and_label_studio_created_at() {
    let csv = "item,annotator,label,time,guideline_version\nt1,a,x,2026-11-02T09:00:00Z,v1\nt2,a,y,1793610000,v2\n";
    let (table, stamps) = read_long_csv_stamped("t.csv", csv.as_bytes()).unwrap();
    assert_eq!(table.n_annotations(), 2);
    let got: Vec<(i64, &str)> = stamps.rows.iter().map(|s| (s.time, stamps.versions.name(s.version))).collect();
    assert_eq!(got, vec![(1_793_610_000, "v1"), (1_793_610_000, "v2")]);
    let bad = "item,annotator,label,time\nt1,a,x,yesterday\n";
    let e = read_long_csv_stamped("bad.csv", bad.as_bytes()).unwrap_err().to_string();
    assert!(e.contains("bad.csv") && e.contains("line 2") && e.contains("`yesterday`"), "{e}");
    // Without a time column: no stamps, same table.
    let (_, none) = read_long_csv_stamped("t.csv", "item,annotator,label\nt1,a,x\n".as_bytes()).unwrap();
    assert!(none.is_empty());

    let ls = r#"[{"id": 7, "data": {}, "annotations": [
        {"completed_by": {"email": "a"}, "created_at": "2026-11-02T09:00:00.123456Z", "guideline_version": "v3",
         "result": [{"from_name": "c", "to_name": "i", "type": "choices", "value": {"choices": ["x"]}}]},
        {"completed_by": {"email": "b"},
         "result": [{"from_name": "c", "to_name": "i", "type": "choices", "value": {"choices": ["y"]}}]}]}]"#;
    let mut r = ChoiceReader::new(None);
    r.read("e.json", ls.as_bytes()).unwrap();
    let (people, _, stamps) = r.finish_stamped("e.json").unwrap();
    assert_eq!(stamps.rows.len(), 1);
    let s = stamps.rows[0];
    assert_eq!(
        (people.annotators.name(s.annotator), s.time, stamps.versions.name(s.version)),
        ("a", 1_793_610_000, "v3")
    );
    let broken = ls.replace("2026-11-02T09:00:00.123456Z", "soon");
    let e = read_label_studio("e.json", &broken).unwrap_err().to_string();
    assert!(e.contains("$[0].annotations[0].created_at") && e.contains("`soon`"), "{e}");
}

#[test]
fn accuracy_over_time_is_the_drift_of_the_gold_checked_labels() {
    // a labels gold items right in version v1, then wrong in v2; b always right.
    let mut csv = String::from("item,annotator,label,time,guideline_version\n");
    let mut expected = Vec::new();
    for k in 0..40i64 {
        let version = if k < 20 { "v1" } else { "v2" };
        let a_label = if k < 20 { "x" } else { "y" };
        csv.push_str(&format!("g{k},a,{a_label},{},{version}\n", 1_000 + k * 100));
        csv.push_str(&format!("g{k},b,x,{},{version}\n", 1_050 + k * 100));
        expected.push((0u32, 1_000 + k * 100, k < 20, u32::from(k >= 20)));
        expected.push((1u32, 1_050 + k * 100, true, u32::from(k >= 20)));
    }
    csv.push_str("n1,a,x,99999,v2\n"); // not a gold item
    let (table, stamps) = read_long_csv_stamped("t.csv", csv.as_bytes()).unwrap();
    let gold: Vec<Option<u32>> = (0..table.n_items())
        .map(|i| table.items.name(i as u32).starts_with('g').then(|| table.labels.get("x").unwrap()))
        .collect();
    let opts = DriftOptions { window: Window::Count(10), alpha: 0.01, min_drop: 0.05, min_baseline: 10 };
    let t = accuracy_over_time(&table, &stamps, &gold, opts);
    assert_eq!(t.observations, 80);
    assert_eq!(t.versions, vec![("v1".to_string(), 1_000), ("v2".to_string(), 3_000)]);
    // Independently: the drift module on observations written out by hand.
    let obs: Vec<Observation> = expected
        .iter()
        .map(|&(annotator, time, correct, version)| Observation { annotator, time, correct, version })
        .collect();
    let d = drift(&obs, 2, opts);
    assert_eq!(t.annotators[0].1, d.annotators[0]);
    assert_eq!(t.overall, d.overall);
    let a = &t.annotators[0].1;
    assert_eq!(a.windows.iter().map(|w| w.accuracy).collect::<Vec<_>>(), vec![1.0, 1.0, 0.0, 0.0]);
    assert!(a.windows[2].flagged, "the drop after the version change is flagged");
    assert!(!t.annotators[1].1.windows.iter().any(|w| w.flagged));
}

#[test]
fn a_table_crosses_as_rows_and_comes_back_the_same() {
    let (table, _) = setup();
    let rows = TableRows::from(&table);
    let json = serde_json::to_string(&rows).unwrap();
    let back: TableRows = serde_json::from_str(&json).unwrap();
    let again = back.table().unwrap();
    assert_eq!(TableRows::from(&again), rows);
    let mut broken = rows.clone();
    broken.rows.push([0, 99, 0]);
    assert_eq!(broken.table().unwrap_err(), TableError::UnlistedName { row: rows.rows.len() });
    let mut twice = rows;
    twice.rows.push(twice.rows[0]);
    assert!(matches!(twice.table().unwrap_err(), TableError::Twice(_)));
    let _ = Stamps::default();
}

/// A table crosses as columns (names apart, as the import worker sends it) and comes back the same; each way the
/// columns can be wrong is refused with what is wrong.
#[test]
fn a_table_crosses_as_columns_and_comes_back_the_same() {
    use concord_engine::model::Interner;
    let (table, _) = setup();
    let names = |t: &CategoricalTable| {
        [&t.items, &t.annotators, &t.labels]
            .map(|i| Interner::from_names(&i.names().map(String::from).collect::<Vec<_>>()).unwrap())
    };
    let columns = || table.columns().map(<[u32]>::to_vec);
    let rebuild = |[o, a, l]: [Vec<u32>; 3]| CategoricalTable::from_columns(names(&table), o, a, l);
    assert_eq!(TableRows::from(&rebuild(columns()).unwrap()), TableRows::from(&table));

    let [o, a, mut l] = columns();
    l.pop();
    let n = a.len();
    assert_eq!(
        rebuild([o, a, l]).unwrap_err(),
        TableError::ColumnLength { column: "labels", expected: n, found: n - 1 }
    );
    let [mut o, a, l] = columns();
    o.swap(1, 2);
    assert!(matches!(rebuild([o, a, l]).unwrap_err(), TableError::BadOffsets { .. }));
    let [o, mut a, l] = columns();
    a[2] = 99;
    assert_eq!(rebuild([o, a, l]).unwrap_err(), TableError::UnlistedName { row: 2 });
    // The first item's second label said to be by its first annotator.
    let [o, mut a, l] = columns();
    assert!(o[1] >= 2, "the first item has two labels");
    a[1] = a[0];
    let TableError::Twice(d) = rebuild([o, a, l]).unwrap_err() else { panic!("not a duplicate") };
    assert_eq!((d.item.as_str(), d.first, d.second), (table.items.name(0), 0, 1));

    let e = Interner::from_names(&["a".to_string(), "b".to_string(), "a".to_string()]).unwrap_err();
    assert_eq!(e.to_string(), "the name `a` is listed twice");
    let e = Interner::from_names(&["a".to_string(), "a".to_string()]).unwrap_err();
    assert_eq!(e, TableError::NameTwice { name: "a".into() }, "the first name again, first thing after it");

    // Names cross joined: one text, the ends of each.
    let (text, ends) = table.items.joined();
    assert_eq!(Interner::from_joined(&text, &ends).unwrap(), table.items);
    let names = Interner::from_names(&["é".to_string(), "".to_string(), "b c".to_string()]).unwrap();
    let (text, ends) = names.joined();
    assert_eq!((text.as_slice(), ends.as_slice()), ("éb c".as_bytes(), &[2u32, 2, 5][..]));
    assert_eq!(Interner::from_joined(&text, &ends).unwrap(), names);
    assert_eq!(Interner::from_joined(&text, &[1, 5]).unwrap_err(), TableError::BadOffsets { item: 0 }, "inside é");
    assert_eq!(Interner::from_joined(&text, &[2, 9]).unwrap_err(), TableError::BadOffsets { item: 1 }, "past the end");
    assert_eq!(Interner::from_joined(&text, &[2, 1]).unwrap_err(), TableError::BadOffsets { item: 1 }, "back");
    assert_eq!(Interner::from_joined(b"aa", &[1, 2]).unwrap_err(), TableError::NameTwice { name: "a".into() });
}

#[test]
fn agreement_and_section_errors_per_guideline_version_read_before_and_after() {
    use concord_engine::agreement::{alpha, Metric};
    use concord_engine::review::figures_by_version;
    // Under 1.0 Ben reads yogurt as milk; under 1.1 (the dairy section rewritten) he does not.
    let rows = [
        ("i1", "ana", "milk", "2026-11-01T09:00:00Z", "1.0"),
        ("i1", "ben", "milk", "2026-11-01T09:01:00Z", "1.0"),
        ("i2", "ana", "yogurt", "2026-11-01T09:02:00Z", "1.0"),
        ("i2", "ben", "milk", "2026-11-01T09:03:00Z", "1.0"),
        ("i3", "ana", "apple", "2026-11-01T09:04:00Z", "1.0"),
        ("i3", "ben", "apple", "2026-11-01T09:05:00Z", "1.0"),
        ("i4", "ana", "yogurt", "2026-11-02T09:00:00Z", "1.1"),
        ("i4", "ben", "yogurt", "2026-11-02T09:01:00Z", "1.1"),
        ("i5", "ana", "milk", "2026-11-02T09:02:00Z", "1.1"),
        ("i5", "ben", "milk", "2026-11-02T09:03:00Z", "1.1"),
        ("i6", "ana", "apple", "2026-11-02T09:04:00Z", "1.1"),
        ("i6", "ben", "banana", "2026-11-02T09:05:00Z", "1.1"),
    ];
    let mut csv = String::from("item,annotator,label,time,guideline_version\n");
    for r in rows {
        csv.push_str(&format!("{},{},{},{},{}\n", r.0, r.1, r.2, r.3, r.4));
    }
    let (table, stamps) = read_long_csv_stamped("t.csv", csv.as_bytes()).unwrap();
    let gold_of = |item: &str| match item {
        "i2" | "i4" => Some("yogurt"),
        "i1" | "i5" => Some("milk"),
        "i3" | "i6" => Some("apple"),
        _ => None,
    };
    let gold: Vec<Option<u32>> =
        (0..table.n_items()).map(|i| gold_of(table.items.name(i as u32)).and_then(|l| table.labels.get(l))).collect();
    let sections: std::collections::BTreeMap<String, String> =
        [("milk", "#dairy"), ("yogurt", "#dairy"), ("apple", "#fresh-produce"), ("banana", "#fresh-produce")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    let f = figures_by_version(&table, &stamps, &gold, &sections);
    assert_eq!(f.iter().map(|v| v.version.as_str()).collect::<Vec<_>>(), ["1.0", "1.1"]);
    // Each version's α equals α over a table made of that version's rows only.
    for v in &f {
        let mut only = String::from("item,annotator,label\n");
        for r in rows.iter().filter(|r| r.4 == v.version) {
            only.push_str(&format!("{},{},{}\n", r.0, r.1, r.2));
        }
        let t = read_long_csv("v.csv", only.as_bytes()).unwrap();
        assert_eq!(v.alpha, alpha(&t, Metric::Nominal, None));
        assert_eq!((v.labels, v.items), (6, 3));
    }
    // Dairy: 1 wrong of 4 under 1.0 (Ben's milk on i2), 0 of 4 under 1.1; produce: 0 of 2, then 1 of 2.
    let dairy = |k: usize| (f[k].sections["#dairy"].wrong, f[k].sections["#dairy"].checked);
    let produce = |k: usize| (f[k].sections["#fresh-produce"].wrong, f[k].sections["#fresh-produce"].checked);
    assert_eq!((dairy(0), dairy(1)), ((1, 4), (0, 4)));
    assert_eq!((produce(0), produce(1)), ((0, 2), (1, 2)));
    assert_eq!(f[0].sections["#dairy"].rate(), Some(0.25));
    // Agreement: under 1.0, dairy items i1 (milk, milk) and i2 (yogurt, milk: a tie, filed under milk) agree in 1
    // pair of 2, produce i3 in 1 of 1; under 1.1 dairy 2 of 2, produce i6 (apple, banana) 0 of 1.
    let pairs = |k: usize, s: &str| (f[k].sections[s].agreeing, f[k].sections[s].pairs);
    assert_eq!((pairs(0, "#dairy"), pairs(0, "#fresh-produce")), ((1, 2), (1, 1)));
    assert_eq!((pairs(1, "#dairy"), pairs(1, "#fresh-produce")), ((2, 2), (0, 1)));
    assert_eq!(f[1].sections["#fresh-produce"].agreement(), Some(0.0));
}

/// `figures_by_version` counts by ids in one sorted pass; here the same figures are worked out the obvious way — a
/// table per version built from the names, α over it, each label's section looked up by name — on a crowd with
/// three versions, unstamped labels, gold on some items and labels no section names.
#[test]
fn figures_by_version_equal_a_recount_by_names_per_version() {
    use concord_engine::agreement::{alpha, Metric};
    use concord_engine::model::TableBuilder;
    use concord_engine::review::figures_by_version;
    use concord_engine::rng::SplitMix64;
    use concord_engine::synthetic::{crowd_csv, CrowdSpec};
    use std::collections::BTreeMap;
    let csv = crowd_csv(CrowdSpec { seed: 5, ..CrowdSpec::standard(1500) });
    let table = read_long_csv("crowd.csv", csv.as_bytes()).unwrap();
    let mut rng = SplitMix64::new(9);
    let mut stamps = Stamps::default();
    for i in 0..table.n_items() {
        for &a in table.annotators_of(i) {
            let r = rng.unit();
            if r < 0.9 {
                let version = ["1.0", "1.1", "2.0"][(r * 3.3) as usize % 3];
                stamps.push(i as u32, a, (rng.unit() * 1e6) as i64, version);
            }
        }
    }
    let gold: Vec<Option<u32>> =
        (0..table.n_items()).map(|i| (i % 3 == 0).then(|| (i % table.n_labels()) as u32)).collect();
    let sections: BTreeMap<String, String> = (0..table.n_labels() as u32)
        .filter(|l| l % 4 != 3)
        .map(|l| (table.labels.name(l).to_string(), format!("#s{}", l % 2)))
        .collect();
    let fast = figures_by_version(&table, &stamps, &gold, &sections);
    assert_eq!(fast.len(), 3);
    for f in &fast {
        let mut b = TableBuilder::new();
        let (mut labels, mut checked, mut wrong) = (0, 0, 0);
        let mut by_section: BTreeMap<String, (u64, u64, u64, u64)> = BTreeMap::new();
        for s in stamps.rows.iter().filter(|s| stamps.versions.name(s.version) == f.version) {
            let i = s.item as usize;
            let k = table.annotators_of(i).iter().position(|&a| a == s.annotator).unwrap();
            let label = table.labels_of(i)[k];
            b.push(table.items.name(s.item), table.annotators.name(s.annotator), table.labels.name(label));
            labels += 1;
            if let Some(truth) = gold[i] {
                let e =
                    by_section.entry(sections.get(table.labels.name(truth)).cloned().unwrap_or_default()).or_default();
                e.0 += 1;
                checked += 1;
                if label != truth {
                    e.1 += 1;
                    wrong += 1;
                }
            }
        }
        let only = b.finish().unwrap();
        for i in 0..only.n_items() {
            let given: Vec<&str> = only.labels_of(i).iter().map(|&l| only.labels.name(l)).collect();
            if given.len() < 2 {
                continue;
            }
            let count = |l: &str| given.iter().filter(|&&g| g == l).count() as u64;
            let top = given.iter().map(|l| count(l)).max().unwrap();
            let lead = given.iter().filter(|l| count(l) == top).min().unwrap();
            let e = by_section.entry(sections.get(*lead).cloned().unwrap_or_default()).or_default();
            let n = given.len() as u64;
            e.2 += n * (n - 1) / 2;
            let distinct: BTreeSet<&str> = given.iter().copied().collect();
            e.3 += distinct.iter().map(|l| count(l) * (count(l) - 1) / 2).sum::<u64>();
        }
        assert_eq!((f.labels, f.items, f.checked, f.wrong), (labels, only.n_items() as u64, checked, wrong));
        let expected = alpha(&only, Metric::Nominal, None).unwrap();
        assert!((f.alpha.unwrap() - expected).abs() < 1e-12, "{}: α {:?} against {expected}", f.version, f.alpha);
        let got: BTreeMap<String, (u64, u64, u64, u64)> =
            f.sections.iter().map(|(s, e)| (s.clone(), (e.checked, e.wrong, e.pairs, e.agreeing))).collect();
        assert_eq!(got, by_section, "{}", f.version);
    }
}

/// The queue's order, worked out the obvious way — every label with its item's consensus looked up by name, sorted
/// by (confidence, descending; item name; annotator name) — equals `QueueIndex`'s (ranks and one merge instead of
/// lookups), in both scopes, for all annotators and for one, on a crowd whose items and consensus miss each other
/// in places (items without a consensus, a consensus of items not in the table).
#[test]
fn the_queue_index_orders_as_names_and_confidence_say() {
    // Some items lose their consensus; one the table does not have gains one.
    let (table, mut consensus, _) = crowd_with_consensus_gaps(11, 3000, 7);
    consensus.labels.insert("zz-not-in-table".into(), "0".into());
    consensus.confidence.insert("zz-not-in-table".into(), 1.0);
    for scope in [QueueScope::Disagreements, QueueScope::All] {
        for who in [None, Some(table.annotators.name(3).to_string())] {
            let mut want: Vec<(f64, String, String, String)> = Vec::new();
            for (i, a, l) in table.rows() {
                let (item, annotator, label) =
                    (table.items.name(i), table.annotators.name(a), table.labels.name(l).to_string());
                if who.as_deref().is_some_and(|w| w != annotator) {
                    continue;
                }
                let agreed = consensus.labels.get(item);
                if scope == QueueScope::All || agreed.is_some_and(|c| *c != label) {
                    let conf = consensus.confidence.get(item).copied().unwrap_or(0.0);
                    want.push((conf, item.to_string(), annotator.to_string(), label));
                }
            }
            want.sort_by(|x, y| {
                let by_conf =
                    if scope == QueueScope::Disagreements { y.0.total_cmp(&x.0) } else { std::cmp::Ordering::Equal };
                by_conf.then_with(|| (&x.1, &x.2).cmp(&(&y.1, &y.2)))
            });
            let q = QueueIndex::new(&table, &consensus, scope, who.as_deref());
            let got: Vec<(String, String, String)> =
                (0..q.len()).map(|k| q.entry(&table, &consensus, k)).map(|e| (e.item, e.annotator, e.label)).collect();
            let want: Vec<(String, String, String)> = want.into_iter().map(|w| (w.1, w.2, w.3)).collect();
            assert!(!got.is_empty());
            assert_eq!(got, want, "{scope:?}, annotator {who:?}");
        }
    }
}

/// A name order handed over with the table (as the import worker sends it) gives the same queue, and an order that
/// is not the table's — not sorted, an id missing or twice — is refused, naming which list.
#[test]
fn a_name_order_from_elsewhere_is_checked_and_gives_the_same_queue() {
    use concord_engine::model::NameOrder;
    use concord_engine::review::QueueScope;
    use concord_engine::synthetic::{crowd_csv, CrowdSpec};
    let csv = crowd_csv(CrowdSpec { seed: 5, ..CrowdSpec::standard(500) });
    let table = read_long_csv("crowd.csv", csv.as_bytes()).unwrap();
    let consensus = Consensus::from(&majority_vote(&table, None).report(&table));
    let order = NameOrder::of(&table);
    let items = order.items().to_vec();
    let names: Vec<&str> = items.iter().map(|&i| table.items.name(i)).collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]));
    let handed = NameOrder::checked(&table, items.clone(), order.annotators().to_vec()).unwrap();
    for scope in [QueueScope::Disagreements, QueueScope::All] {
        assert_eq!(
            QueueIndex::in_order(&table, &handed, &consensus, scope, None),
            QueueIndex::new(&table, &consensus, scope, None)
        );
    }
    // A queue handed over as ids comes back the same; a row the table does not hold is refused.
    let q = QueueIndex::new(&table, &consensus, QueueScope::Disagreements, None);
    assert_eq!(QueueIndex::from_ids(&table, q.ids().to_vec()).unwrap(), q);
    let mut odd = q.ids().to_vec();
    odd[2].2 = (odd[2].2 + 1) % table.labels.len() as u32;
    assert_eq!(QueueIndex::from_ids(&table, odd), Err(TableError::UnlistedName { row: 2 }));
    let mut swapped = items.clone();
    swapped.swap(3, 4);
    let mut twice = items.clone();
    twice[1] = twice[0];
    for bad in [swapped, twice, items[1..].to_vec()] {
        let e = NameOrder::checked(&table, bad, order.annotators().to_vec()).unwrap_err();
        assert_eq!(e, TableError::NotNameOrder { of: "items" });
    }
    let mut annotators = order.annotators().to_vec();
    annotators.reverse();
    let e = NameOrder::checked(&table, items, annotators).unwrap_err();
    assert_eq!(e.to_string(), "the annotators' order given is not the table's annotators by name");
}

/// A consensus crosses as columns over the table's item ids and comes back equal; a consensus the columns cannot
/// hold (an item or a label the table lacks, confidence without a label) stays in its maps; columns of the wrong
/// length or with a label id past the table's are refused.
#[test]
fn a_consensus_as_columns_comes_back_equal() {
    use concord_engine::arbitration::ConsensusColumns;
    use concord_engine::model::NameOrder;
    let (table, consensus, dropped) = crowd_with_consensus_gaps(9, 400, 5);
    let order = NameOrder::of(&table);
    let columns = consensus.columns(&table).unwrap();
    assert_eq!(columns.labels.iter().filter(|&&l| l == ConsensusColumns::NONE).count(), dropped.len());
    assert_eq!(Consensus::from_columns(columns.clone(), &table, &order).unwrap(), consensus);

    let mut stranger = consensus.clone();
    stranger.labels.insert("zz-not-in-table".into(), table.labels.name(0).into());
    stranger.confidence.insert("zz-not-in-table".into(), 1.0);
    let mut odd_label = consensus.clone();
    *odd_label.labels.values_mut().next().unwrap() = "no-such-label".into();
    let mut lone_confidence = consensus.clone();
    lone_confidence.confidence.insert(dropped[0].clone(), 0.5);
    for unfit in [stranger, odd_label, lone_confidence] {
        assert_eq!(unfit.columns(&table), None);
    }

    let mut short = columns.clone();
    short.confidence.pop();
    assert_eq!(
        Consensus::from_columns(short, &table, &order).unwrap_err().to_string(),
        format!("the confidence column has {} entries for {} items", table.n_items() - 1, table.n_items())
    );
    let mut past = columns;
    let i = past.labels.iter().position(|&l| l != ConsensusColumns::NONE).unwrap();
    past.labels[i] = table.labels.len() as u32;
    assert_eq!(Consensus::from_columns(past, &table, &order), Err(TableError::UnlistedName { row: i }));
}

mod batch {
    use concord_engine::agreement::{categorical_report, categorical_report_with_intervals};
    use concord_engine::consensus::{dawid_skene, DawidSkeneOptions};
    use concord_engine::formats::csv_long::{read_gold_csv, read_long_csv};
    use concord_engine::formats::merge::merge_gold;
    use concord_engine::gold::classification_gold;
    use concord_engine::resample::BootstrapSettings;
    use concord_engine::review::{BatchReport, ReviewOptions};

    // t1 unanimous; t2 2 of 3; t3 split 2–2 (a tie, and 50 % < 75 %); t4 one label; t5 3 of 4 (75 %: not pooled).
    const CSV: &str = "item,annotator,label\nt1,a,cat\nt1,b,cat\nt1,c,cat\nt2,a,cat\nt2,b,cat\nt2,c,dog\n\
                       t3,a,dog\nt3,b,cat\nt3,c,dog\nt3,d,cat\nt4,a,dog\nt5,a,cat\nt5,b,cat\nt5,c,cat\nt5,d,dog\n";

    #[test]
    fn the_batch_report_is_the_engine_s_measures_on_the_merged_labels() {
        let mut table = read_long_csv("l.csv", CSV.as_bytes()).unwrap();
        let report = BatchReport::build(&table, &ReviewOptions::default()).unwrap();
        assert_eq!((report.items, report.annotators, report.annotations), (5, 4, 15));
        let with_intervals =
            categorical_report_with_intervals(&table, None, BootstrapSettings::default(), |_, _| {}).unwrap();
        assert_eq!(report.agreement.as_ref(), Some(&with_intervals));
        let plain = ReviewOptions { bootstrap: None, ..ReviewOptions::default() };
        let report_plain = BatchReport::build(&table, &plain).unwrap();
        assert_eq!(report_plain.agreement.as_ref(), Some(&categorical_report(&table, None).unwrap()));
        let ds = dawid_skene(&table, DawidSkeneOptions::default(), None).report(&table);
        assert_eq!(report.final_from.labels, ds.labels);
        assert_eq!(report.final_from.confidence, ds.confidence);
        assert_eq!(report.consensus.annotators, ds.annotators);
        assert!(report.consensus.labels.is_empty(), "the per-item labels travel in final_from only");
        // The pool by hand: t2 (2 of 3 = 67 %) and t3 (2 of 4, tied); not t1, t4 (one label), t5 (3 of 4 = 75 %).
        let mut pooled: Vec<&str> = report.pool.iter().map(|p| p.item.as_str()).collect();
        pooled.sort();
        assert_eq!(pooled, ["t2", "t3"]);
        assert_eq!(report.pool_size, 2);
        let capped = BatchReport::build(&table, &ReviewOptions { pool_max: 1, ..ReviewOptions::default() }).unwrap();
        assert_eq!((capped.pool.len(), capped.pool_size), (1, 2), "the cap lists fewer and counts them all");
        assert!(report.gold.is_none());

        // Gold read into the table afterwards (it names a label nobody gave): the same as `concord gold`.
        let gold = read_gold_csv("g.csv", "item,label\nt1,cat\nt3,bird\n".as_bytes(), &mut table).unwrap();
        let aligned = merge_gold(&table, &[("g.csv".to_string(), gold)]).unwrap();
        let with_gold = report.clone().with_gold(&table, &aligned).unwrap();
        assert_eq!(with_gold.gold, Some(classification_gold(&table, &aligned)));
        assert_eq!(with_gold.agreement, report.agreement, "gold leaves the measures as they were");
        let misaligned = report.with_gold(&table, &aligned[..2]).unwrap_err();
        assert!(misaligned.to_string().contains("gold for 2 items"), "{misaligned}");
    }

    #[test]
    fn one_annotator_has_no_agreement_and_no_labels_is_an_error() {
        let table = read_long_csv("l.csv", "item,annotator,label\nt1,a,cat\nt2,a,dog\n".as_bytes()).unwrap();
        let report = BatchReport::build(&table, &ReviewOptions::default()).unwrap();
        assert!(report.agreement.is_none());
        assert_eq!(report.final_from.labels.len(), 2);
        let empty = concord_engine::model::TableBuilder::new().finish().unwrap();
        assert!(BatchReport::build(&empty, &ReviewOptions::default())
            .unwrap_err()
            .to_string()
            .contains("no annotators' labels"));
    }
}
