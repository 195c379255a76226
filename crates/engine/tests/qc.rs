//! QC of a batch: the seeded sample, and the pass rate, interval and verdict worked out by hand.

use concord_engine::model::ErrorCategory;
use concord_engine::qc::{qc_report, qc_sample, qc_sample_of, QcCheck};

fn check(item: &str, passed: bool) -> QcCheck {
    QcCheck {
        item: item.into(),
        passed,
        category: (!passed).then_some(ErrorCategory::WrongLabel),
        section: String::new(),
        comment: String::new(),
        checker: "rev".into(),
    }
}

#[test]
fn the_sample_is_seeded_sized_and_in_order() {
    let items: Vec<String> = (0..200).map(|i| format!("t{i:03}")).collect();
    let a = qc_sample(&items, 0.1, 7);
    assert_eq!(a.len(), 20);
    assert_eq!(a, qc_sample(&items, 0.1, 7));
    assert_ne!(a, qc_sample(&items, 0.1, 8));
    assert!(a.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(qc_sample(&items[..4], 0.1, 7).len(), 1, "a small batch still gets one check");
    assert!(qc_sample(&[], 0.1, 7).is_empty());
    // Sampled from the keys of a map (review mode's consensus), the same items: they are the picked positions of
    // the walk, as `simple_random` draws them.
    let consensus: std::collections::BTreeMap<String, u32> = items.iter().map(|i| (i.clone(), 0)).collect();
    let of_keys: Vec<String> = qc_sample_of(consensus.keys(), 0.1, 7).into_iter().cloned().collect();
    assert_eq!(of_keys, a);
    let mut picked = concord_engine::sampling::simple_random(items.len(), 0.1, 7);
    picked.sort();
    assert_eq!(a, picked.iter().map(|&k| items[k].clone()).collect::<Vec<_>>());
}

#[test]
fn pass_rate_interval_and_verdict() {
    let sample: Vec<String> = (0..10).map(|i| format!("t{i}")).collect();
    // Nothing checked yet.
    let r = qc_report(&sample, &[], 0.9);
    assert_eq!((r.checked, r.verdict, r.pass_rate), (0, "open", None));
    // 9 of 10 pass (t3 fails, re-checked after a first pass), plus a check outside the sample that must not count.
    let mut checks: Vec<QcCheck> = sample.iter().map(|s| check(s, true)).collect();
    checks.push(check("t3", false));
    checks.push(check("elsewhere", false));
    let r = qc_report(&sample, &checks, 0.9);
    assert_eq!((r.sampled, r.checked, r.passed, r.verdict), (10, 10, 9, "pass"));
    assert_eq!(r.categories.get("wrong_label"), Some(&1));
    // Wilson 95 % for 9/10: centre (9 + z²/2)/(10 + z²), half-width z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n).
    let (z, n, p): (f64, f64, f64) = (1.959963984540054, 10.0, 0.9);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    let [lo, hi] = r.pass_rate_ci95.unwrap();
    assert!((lo - (centre - half)).abs() < 1e-12 && (hi - (centre + half)).abs() < 1e-12);
    // The same batch against 95 %: complete and below, so it fails.
    assert_eq!(qc_report(&sample, &checks, 0.95).verdict, "fail");
    // Four failures in the first five: the interval's top is already below 90 %, fail before the rest is checked.
    let early: Vec<QcCheck> = (0..5).map(|i| check(&format!("t{i}"), i == 0)).collect();
    let r = qc_report(&sample, &early, 0.9);
    assert_eq!((r.checked, r.verdict), (5, "fail"));
    assert!(r.pass_rate_ci95.unwrap()[1] < 0.9);
}

#[test]
fn pilot_disagreements_are_grouped_by_the_sections_of_the_labels_given() {
    use concord_engine::qc::disagreements_by_section;
    // p1: milk/juice split (Dairy and Drinks); p2: all agree; p3: milk/cheese/milk (Dairy only);
    // p4: soda/rice (Drinks and a label without a section); p5: one label.
    let csv = "item,annotator,label\np1,a,milk\np1,b,juice\np1,c,milk\np2,a,tea\np2,b,tea\n\
               p3,a,milk\np3,b,cheese\np3,c,milk\np4,a,soda\np4,b,rice\np5,a,soap\n";
    let table = concord_engine::formats::csv_long::read_long_csv("pilot.csv", csv.as_bytes()).unwrap();
    let sections: std::collections::BTreeMap<String, String> =
        [("milk", "#dairy"), ("cheese", "#dairy"), ("juice", "#drinks"), ("soda", "#drinks"), ("tea", "#drinks")]
            .into_iter()
            .map(|(l, s)| (l.to_string(), s.to_string()))
            .collect();
    let groups = disagreements_by_section(&table, &sections);
    let got: Vec<(&str, usize, Vec<&str>)> =
        groups.iter().map(|g| (g.section.as_str(), g.items, g.examples.iter().map(String::as_str).collect())).collect();
    assert_eq!(got, vec![("#dairy", 2, vec!["p1", "p3"]), ("#drinks", 2, vec!["p1", "p4"]), ("(none)", 1, vec!["p4"])]);
    // Annotator pairs that split: p1 has a–b and b–c split milk/juice (2); p3 a–b and b–c milk/cheese (2).
    assert_eq!(groups[0].confusions, vec![("milk".into(), "cheese".into(), 2), ("milk".into(), "juice".into(), 2)]);
    assert_eq!(groups[1].confusions, vec![("milk".into(), "juice".into(), 2), ("soda".into(), "rice".into(), 1)]);
}

#[test]
fn a_batch_pass_rate_counts_the_latest_check_of_each_item() {
    use concord_engine::qc::{pass_rate, QcCheck};
    let check = |item: &str, passed: bool| QcCheck {
        item: item.into(),
        passed,
        category: None,
        section: String::new(),
        comment: String::new(),
        checker: "q".into(),
    };
    // i1 failed then passed on a second look; 3 of 4 pass.
    let checks = vec![check("i1", false), check("i2", true), check("i3", false), check("i4", true), check("i1", true)];
    let (passed, checked, ci) = pass_rate(&checks);
    assert_eq!((passed, checked), (3, 4));
    // Wilson 95 % for 3/4, worked out: centre (0.75 + z²/8)/(1 + z²/4), half-width z·sqrt(0.75·0.25/4 + z²/64)/(1 + z²/4).
    let z: f64 = 1.959963984540054;
    let centre = (0.75 + z * z / 8.0) / (1.0 + z * z / 4.0);
    let half = z * (0.75 * 0.25 / 4.0 + z * z / 64.0).sqrt() / (1.0 + z * z / 4.0);
    let [lo, hi] = ci.unwrap();
    assert!((lo - (centre - half)).abs() < 1e-12 && (hi - (centre + half)).abs() < 1e-12);
    assert_eq!(pass_rate(&[]), (0, 0, None));
}
