//! Classification gold against an independent, naive computation on crowd-kit's "simple" dataset.

mod common;

use std::collections::HashMap;

use common::published_file;
use concord_engine::formats::csv_long::{read_gold_csv, read_long_csv};
use concord_engine::gold::{classification_gold, wilson_interval};

#[test]
fn accuracy_confusion_and_per_label_scores_match_a_naive_count() {
    let (data, truth) = (published_file("ds_simple_toloka.csv"), published_file("ds_simple_toloka_truth.csv"));
    let mut table = read_long_csv("ds_simple_toloka.csv", std::fs::File::open(&data).unwrap()).unwrap();
    let gold = read_gold_csv("truth.csv", std::fs::File::open(&truth).unwrap(), &mut table).unwrap();
    let r = classification_gold(&table, &gold);

    // Naive: plain string maps, no ids.
    let truth_text = std::fs::read_to_string(&truth).unwrap();
    let truth_map: HashMap<&str, &str> = truth_text.lines().skip(1).filter_map(|l| l.split_once(',')).collect();
    let data_text = std::fs::read_to_string(&data).unwrap();
    let mut per: HashMap<&str, (u64, u64)> = HashMap::new();
    let mut tp: HashMap<&str, u64> = HashMap::new();
    let mut predicted: HashMap<&str, u64> = HashMap::new();
    let mut support: HashMap<&str, u64> = HashMap::new();
    for line in data_text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (item, who, label) = (f[0], f[1], f[2]);
        let Some(&g) = truth_map.get(item) else { continue };
        let e = per.entry(who).or_default();
        e.1 += 1;
        if g == label {
            e.0 += 1;
            *tp.entry(label).or_default() += 1;
        }
        *predicted.entry(label).or_default() += 1;
        *support.entry(g).or_default() += 1;
    }
    assert_eq!(r.annotators.len(), per.len());
    for (who, (c, n)) in &per {
        let a = &r.annotators[*who];
        assert_eq!((a.correct, a.items), (*c, *n), "{who}");
        assert_eq!(a.accuracy, Some(*c as f64 / *n as f64));
        let (lo, hi) = wilson_interval(*c, *n, 1.959963984540054).unwrap();
        assert_eq!(a.accuracy_ci95, Some([lo, hi]));
        assert!(lo <= a.accuracy.unwrap() && a.accuracy.unwrap() <= hi);
    }
    let total: u64 = per.values().map(|p| p.1).sum();
    assert_eq!(r.overall.items, total);
    for (label, s) in &r.per_label {
        let tp = *tp.get(label.as_str()).unwrap_or(&0) as f64;
        assert_eq!(s.support, *support.get(label.as_str()).unwrap_or(&0));
        assert!((s.precision - tp / *predicted.get(label.as_str()).unwrap() as f64).abs() < 1e-12);
        assert!((s.recall - tp / s.support as f64).abs() < 1e-12);
    }
    // Confusion rows sum to support; the diagonal is the true positives.
    for (g, row) in r.confusion.labels.iter().zip(&r.confusion.matrix) {
        assert_eq!(row.iter().sum::<u64>(), r.per_label[g].support);
        let k = r.confusion.labels.iter().position(|l| l == g).unwrap();
        assert_eq!(row[k], *tp.get(g.as_str()).unwrap_or(&0));
    }
}

#[test]
fn gold_csv_errors_name_the_line() {
    let mut table = read_long_csv("a.csv", "item,annotator,label\na,x,1\n".as_bytes()).unwrap();
    let e = read_gold_csv("gold.csv", "item,label\na,1\na,2\n".as_bytes(), &mut table).unwrap_err();
    assert_eq!(e.to_string(), "gold.csv: line 3: item `a` has a second gold label (first on line 2)");
    let e = read_gold_csv("gold.csv", "id,label\na,1\n".as_bytes(), &mut table).unwrap_err();
    assert_eq!(e.to_string(), "gold.csv: line 1: the header must name the columns item and label");
}
