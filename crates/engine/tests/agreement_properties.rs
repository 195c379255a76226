//! Properties every agreement measure must have, on random data.

use concord_engine::agreement::{categorical_report, CategoricalReport};
use concord_engine::model::{CategoricalTable, TableBuilder};
use proptest::prelude::*;

/// Random long-format data: up to 40 items, a pool of 2–6 annotators, labels 1..=k, each annotator labelling
/// an item with probability `p`.
fn dataset() -> impl Strategy<Value = Vec<(u32, u32, u32)>> {
    (2u32..=6, 2u32..=5, 1usize..=40).prop_flat_map(|(annotators, k, items)| {
        proptest::collection::vec(
            proptest::collection::vec(proptest::option::weighted(0.7, 1..=k), annotators as usize),
            items,
        )
        .prop_map(|rows| {
            let mut out = Vec::new();
            for (i, row) in rows.into_iter().enumerate() {
                for (a, l) in row.into_iter().enumerate() {
                    if let Some(l) = l {
                        out.push((i as u32, a as u32, l));
                    }
                }
            }
            out
        })
    })
}

fn table(rows: &[(u32, u32, u32)], name: impl Fn(u32, u32, u32) -> (String, String, String)) -> CategoricalTable {
    let mut b = TableBuilder::new();
    for &(i, a, l) in rows {
        let (i, a, l) = name(i, a, l);
        b.push(&i, &a, &l);
    }
    b.finish().unwrap()
}

fn plain(i: u32, a: u32, l: u32) -> (String, String, String) {
    (format!("i{i}"), format!("a{a}"), l.to_string())
}

fn same(x: Option<f64>, y: Option<f64>) -> bool {
    match (x, y) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    }
}

fn same_report(x: &CategoricalReport, y: &CategoricalReport) -> Result<(), TestCaseError> {
    prop_assert!(same(x.percent_agreement, y.percent_agreement));
    prop_assert!(same(x.cohen_kappa, y.cohen_kappa));
    prop_assert!(same(x.scott_pi, y.scott_pi));
    prop_assert!(same(x.fleiss_kappa, y.fleiss_kappa));
    prop_assert!(same(x.weighted_kappa.linear, y.weighted_kappa.linear));
    prop_assert!(same(x.weighted_kappa.quadratic, y.weighted_kappa.quadratic));
    let (a, b) = (&x.krippendorff_alpha, &y.krippendorff_alpha);
    prop_assert!(same(a.nominal, b.nominal) && same(a.ordinal, b.ordinal));
    prop_assert!(same(a.interval, b.interval) && same(a.ratio, b.ratio));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn permuting_rows_items_and_annotators_changes_nothing(rows in dataset(), seed in any::<u64>()) {
        prop_assume!(!rows.is_empty());
        let base = categorical_report(&table(&rows, plain), None).unwrap();
        // Reverse the rows, rename items and annotators by a seeded bijection.
        let mut shuffled = rows.clone();
        shuffled.reverse();
        let rename = |i: u32, a: u32, l: u32| (format!("item-{}", (i as u64 * 7919 + seed) % 100_003), format!("z{}", 97 - a), l.to_string());
        let other = categorical_report(&table(&shuffled, rename), None).unwrap();
        same_report(&base, &other)?;
    }

    #[test]
    fn renaming_labels_changes_nothing_for_nominal_measures(rows in dataset()) {
        prop_assume!(!rows.is_empty());
        let base = categorical_report(&table(&rows, plain), None).unwrap();
        let renamed = categorical_report(&table(&rows, |i, a, l| (format!("i{i}"), format!("a{a}"), format!("label-{}", 10 - l))), None).unwrap();
        prop_assert!(same(base.percent_agreement, renamed.percent_agreement));
        prop_assert!(same(base.cohen_kappa, renamed.cohen_kappa));
        prop_assert!(same(base.scott_pi, renamed.scott_pi));
        prop_assert!(same(base.fleiss_kappa, renamed.fleiss_kappa));
        prop_assert!(same(base.krippendorff_alpha.nominal, renamed.krippendorff_alpha.nominal));
    }

    #[test]
    fn perfect_agreement_gives_one(labels in proptest::collection::vec(1u32..=4, 2..30), raters in 2u32..5) {
        let distinct: std::collections::BTreeSet<_> = labels.iter().collect();
        prop_assume!(distinct.len() >= 2); // with a single label chance agreement is 1 and kappa undefined
        let mut rows = Vec::new();
        for (i, &l) in labels.iter().enumerate() {
            for a in 0..raters {
                rows.push((i as u32, a, l));
            }
        }
        let r = categorical_report(&table(&rows, plain), None).unwrap();
        prop_assert!(same(r.percent_agreement, Some(1.0)));
        prop_assert!(same(r.fleiss_kappa, Some(1.0)));
        let a = &r.krippendorff_alpha;
        for v in [a.nominal, a.ordinal, a.interval, a.ratio] {
            prop_assert!(same(v, Some(1.0)), "{v:?}");
        }
        if raters == 2 {
            prop_assert!(same(r.cohen_kappa, Some(1.0)) && same(r.scott_pi, Some(1.0)));
            prop_assert!(same(r.weighted_kappa.linear, Some(1.0)) && same(r.weighted_kappa.quadratic, Some(1.0)));
        }
        for p in &r.pairwise {
            prop_assert!(same(p.cohen_kappa, Some(1.0)));
        }
    }

    #[test]
    fn kappas_lie_in_minus_one_to_one(rows in dataset()) {
        prop_assume!(!rows.is_empty());
        let r = categorical_report(&table(&rows, plain), None).unwrap();
        for v in [r.cohen_kappa, r.scott_pi, r.fleiss_kappa, r.weighted_kappa.linear, r.weighted_kappa.quadratic].into_iter().flatten() {
            prop_assert!((-1.0 - 1e-12..=1.0 + 1e-12).contains(&v), "{v}");
        }
        for p in &r.pairwise {
            if let Some(k) = p.cohen_kappa {
                prop_assert!((-1.0 - 1e-12..=1.0 + 1e-12).contains(&k), "{k}");
            }
            prop_assert!((0.0..=1.0).contains(&p.percent_agreement));
        }
        if let Some(pa) = r.percent_agreement {
            prop_assert!((0.0..=1.0).contains(&pa));
        }
    }

    #[test]
    fn alpha_with_missing_data_equals_alpha_of_the_pairable_subset(rows in dataset()) {
        prop_assume!(!rows.is_empty());
        let full = categorical_report(&table(&rows, plain), None).unwrap();
        // Drop every item with a single annotation: it has no pairable value.
        let mut per_item = std::collections::HashMap::new();
        for &(i, _, _) in &rows {
            *per_item.entry(i).or_insert(0) += 1;
        }
        let pairable: Vec<_> = rows.iter().copied().filter(|(i, _, _)| per_item[i] >= 2).collect();
        prop_assume!(!pairable.is_empty());
        let sub = categorical_report(&table(&pairable, plain), None).unwrap();
        let (a, b) = (&full.krippendorff_alpha, &sub.krippendorff_alpha);
        prop_assert!(same(a.nominal, b.nominal) && same(a.ordinal, b.ordinal));
        prop_assert!(same(a.interval, b.interval) && same(a.ratio, b.ratio));
    }

    #[test]
    fn two_raters_alpha_matches_an_independent_pairwise_formula(rows in dataset()) {
        // For nominal data, alpha = 1 - D_o/D_e computed directly from all pairable value pairs (Krippendorff
        // 2011, eq. for "any number of observers"), written here without the coincidence matrix.
        let t = table(&rows, plain);
        prop_assume!(t.n_annotations() > 0);
        let mut values: Vec<Vec<u32>> = vec![Vec::new(); t.n_items()];
        for (i, _, l) in t.rows() { values[i as usize].push(l); }
        let (mut d_o, mut n) = (0.0, 0.0);
        let mut all = Vec::new();
        for v in values.iter().filter(|v| v.len() >= 2) {
            let m = v.len() as f64;
            for x in 0..v.len() { for y in 0..v.len() { if x != y && v[x] != v[y] { d_o += 1.0 / (m - 1.0); } } }
            n += m;
            all.extend_from_slice(v);
        }
        let mut d_e = 0.0;
        for x in 0..all.len() { for y in 0..all.len() { if x != y && all[x] != all[y] { d_e += 1.0; } } }
        let expected = (d_e > 0.0 && n >= 2.0).then(|| 1.0 - (n - 1.0) * d_o / d_e);
        let got = categorical_report(&t, None).unwrap().krippendorff_alpha.nominal;
        prop_assert!(same(got, expected), "{got:?} vs {expected:?}");
    }
}
