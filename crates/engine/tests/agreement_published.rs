//! Every categorical agreement value in `../shared/testdata/published/expected.json`: published values at their
//! published precision, reference-library values to 1e-9.

mod common;

use common::{close, expected, published, published_file};
use concord_engine::agreement::{categorical_report, CategoricalReport};
use concord_engine::formats::csv_long::read_long_csv;
use concord_engine::model::CategoricalTable;

const TOL: f64 = 1e-9;

fn load(case: &serde_json::Value) -> CategoricalTable {
    let name = case["file"].as_str().unwrap();
    let path = published_file(name);
    read_long_csv(name, std::fs::File::open(path).unwrap()).unwrap()
}

fn report(case: &serde_json::Value) -> CategoricalReport {
    categorical_report(&load(case), None).unwrap()
}

#[test]
fn krippendorff_2011_c_four_coders_with_missing_data() {
    let e = expected();
    let c = &e["kripp2011_c_4coders_missing"];
    let r = report(c);
    let a = &r.krippendorff_alpha;
    for (metric, got) in [("nominal", a.nominal), ("ordinal", a.ordinal), ("interval", a.interval), ("ratio", a.ratio)]
    {
        published(got, c["published"][metric].as_f64().unwrap(), 3, metric);
        close(got, c["krippendorff_pkg"][metric].as_f64().unwrap(), TOL, metric);
    }
    let co = concord_engine::agreement::coincidences(&load(c));
    assert_eq!(co.n, c["n_pairable_values"].as_f64().unwrap());
    // Four coders: the two-coder measures do not apply.
    assert_eq!(r.cohen_kappa, None);
    assert_eq!(r.scott_pi, None);
    assert_eq!(r.fleiss_kappa, None, "items have different numbers of values");
}

#[test]
fn krippendorff_2011_a_binary_two_coders() {
    let e = expected();
    let c = &e["kripp2011_a_binary_2coders"];
    let r = report(c);
    published(r.krippendorff_alpha.nominal, c["published"]["alpha_nominal"].as_f64().unwrap(), 3, "alpha");
    close(r.krippendorff_alpha.nominal, c["krippendorff_pkg"]["nominal"].as_f64().unwrap(), TOL, "alpha");
    close(r.cohen_kappa, c["sklearn_cohen_kappa"].as_f64().unwrap(), TOL, "cohen");
    close(r.scott_pi, c["nltk_scott_pi"].as_f64().unwrap(), TOL, "scott");
    close(r.percent_agreement, c["percent_agreement"].as_f64().unwrap(), TOL, "percent");
}

#[test]
fn krippendorff_2011_b_nominal_two_coders() {
    let e = expected();
    let c = &e["kripp2011_b_nominal_2coders"];
    let r = report(c);
    published(r.krippendorff_alpha.nominal, c["published"]["alpha_nominal"].as_f64().unwrap(), 3, "alpha");
    close(r.krippendorff_alpha.nominal, c["krippendorff_pkg"]["nominal"].as_f64().unwrap(), TOL, "alpha");
    close(r.cohen_kappa, c["sklearn_cohen_kappa"].as_f64().unwrap(), TOL, "cohen");
    close(r.scott_pi, c["nltk_scott_pi"].as_f64().unwrap(), TOL, "scott");
    close(r.percent_agreement, c["percent_agreement"].as_f64().unwrap(), TOL, "percent");
    // Letters a–e have no order: the ordered measures do not apply.
    assert_eq!(r.krippendorff_alpha.ordinal, None);
    assert_eq!(r.weighted_kappa.linear, None);
}

#[test]
fn fleiss_wikipedia_example() {
    let e = expected();
    let c = &e["fleiss_wikipedia_10x14"];
    let t = load(c);
    let f = concord_engine::agreement::fleiss(&t).expect("fleiss applies");
    published(Some(f.kappa), c["published"]["fleiss_kappa"].as_f64().unwrap(), 2, "kappa");
    published(Some(f.p_bar), c["published"]["P_bar"].as_f64().unwrap(), 3, "P_bar");
    published(Some(f.p_e_bar), c["published"]["P_e_bar"].as_f64().unwrap(), 3, "P_e_bar");
    close(Some(f.kappa), c["statsmodels_fleiss_kappa"].as_f64().unwrap(), TOL, "kappa");
    close(Some(f.p_bar), c["P_bar"].as_f64().unwrap(), TOL, "P_bar");
    close(Some(f.p_e_bar), c["P_e_bar"].as_f64().unwrap(), TOL, "P_e_bar");
    // p_j in category order 1..5.
    for (k, want) in c["p_j"].as_array().unwrap().iter().enumerate() {
        let id = t.labels.get(&(k + 1).to_string()).unwrap();
        close(Some(f.p_j[id as usize]), want.as_f64().unwrap(), TOL, &format!("p_{}", k + 1));
    }
    let r = categorical_report(&t, None).unwrap();
    close(r.krippendorff_alpha.nominal, c["krippendorff_alpha_nominal"].as_f64().unwrap(), TOL, "alpha");
    // Percent agreement is the mean of P_i.
    let mean_pi = c["P_i"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).sum::<f64>() / 10.0;
    close(r.percent_agreement, mean_pi, TOL, "percent = mean P_i");
}

#[test]
fn cohen_wikipedia_example() {
    let e = expected();
    let c = &e["cohen_wikipedia_yes_no_50"];
    let r = report(c);
    published(r.cohen_kappa, c["published"]["kappa"].as_f64().unwrap(), 1, "kappa");
    close(r.cohen_kappa, c["sklearn_cohen_kappa"].as_f64().unwrap(), TOL, "kappa");
    close(r.percent_agreement, c["published"]["p_o"].as_f64().unwrap(), TOL, "p_o");
    close(r.krippendorff_alpha.nominal, c["krippendorff_alpha_nominal"].as_f64().unwrap(), TOL, "alpha");
    assert_eq!(r.pairwise.len(), 1);
    close(r.pairwise[0].cohen_kappa, 0.4, TOL, "pairwise kappa");
}

#[test]
fn weighted_kappa_sas_table() {
    let e = expected();
    let c = &e["weighted_kappa_sas_3cat"];
    let t = load(c);
    let r = categorical_report(&t, None).unwrap();
    published(r.cohen_kappa, c["published"]["kappa"].as_f64().unwrap(), 4, "kappa");
    published(
        r.weighted_kappa.linear,
        c["published"]["weighted_kappa_linear_cicchetti_allison"].as_f64().unwrap(),
        4,
        "linear",
    );
    close(r.cohen_kappa, c["sklearn_unweighted"].as_f64().unwrap(), TOL, "kappa");
    close(r.weighted_kappa.linear, c["sklearn_linear"].as_f64().unwrap(), TOL, "linear");
    close(r.weighted_kappa.quadratic, c["sklearn_quadratic"].as_f64().unwrap(), TOL, "quadratic");
    // The contingency table itself.
    let pt = concord_engine::agreement::pair_table(&t, t.annotators.get("A").unwrap(), t.annotators.get("B").unwrap());
    for (i, row) in c["table"].as_array().unwrap().iter().enumerate() {
        for (j, want) in row.as_array().unwrap().iter().enumerate() {
            let li = t.labels.get(&(i + 1).to_string());
            let lj = t.labels.get(&(j + 1).to_string());
            let got = match (li, lj) {
                (Some(a), Some(b)) => pt.conf[a as usize * pt.v + b as usize],
                _ => 0,
            };
            assert_eq!(got, want.as_u64().unwrap(), "cell ({i},{j})");
        }
    }
}

#[test]
fn explicit_order_gives_the_same_ordered_measures_as_numbers() {
    let e = expected();
    let t = load(&e["kripp2011_c_4coders_missing"]);
    let order: Vec<String> = (1..=5).map(|v| v.to_string()).collect();
    let by_order = categorical_report(&t, Some(&order)).unwrap();
    let by_value = categorical_report(&t, None).unwrap();
    // Ranks 0..4 instead of values 1..5: ordinal and interval are unchanged (interval is shift-invariant).
    close(by_order.krippendorff_alpha.ordinal, by_value.krippendorff_alpha.ordinal.unwrap(), TOL, "ordinal");
    close(by_order.krippendorff_alpha.interval, by_value.krippendorff_alpha.interval.unwrap(), TOL, "interval");
    let short: Vec<String> = vec!["1".into(), "2".into()];
    let err = categorical_report(&t, Some(&short)).unwrap_err();
    assert_eq!((err.label.as_str(), err.order), ("3", short), "the first label left out, and the order given");
}

/// Cohen's κ and weighted κ with their asymptotic standard errors and 95 % intervals, against statsmodels'
/// `cohens_kappa` on every two-annotator published vector (`tests/data/published/statsmodels_kappa.json`, written by
/// `crates/xtask/reference/statsmodels_kappa.py`).
#[test]
fn kappa_standard_errors_and_intervals_equal_statsmodels() {
    use concord_engine::agreement::{cohen_kappa_interval, label_values, pair_table, weighted_kappa_interval, Weights};
    let file = published_file("statsmodels_kappa.json");
    let reference: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let files = reference["files"].as_object().unwrap();
    assert_eq!(files.len(), 4);
    for (name, want) in files {
        let path = published_file(name);
        let table = read_long_csv(name, std::fs::File::open(path).unwrap()).unwrap();
        let t = pair_table(&table, 0, 1);
        // Ranks for the weighted forms: numeric labels by value, others by name (as the script orders them).
        let values = label_values(&table.labels, None).unwrap().unwrap_or_else(|| {
            let mut names: Vec<&str> = table.labels.names().collect();
            names.sort_unstable();
            table.labels.names().map(|l| names.iter().position(|n| *n == l).unwrap() as f64).collect()
        });
        for (kind, got) in [
            ("unweighted", cohen_kappa_interval(&t)),
            ("linear", weighted_kappa_interval(&t, &values, Weights::Linear)),
            ("quadratic", weighted_kappa_interval(&t, &values, Weights::Quadratic)),
        ] {
            let (kappa, ci) = got.unwrap_or_else(|| panic!("{name} {kind}: undefined"));
            let w = &want[kind];
            for (field, value) in [
                ("kappa", kappa),
                ("std_kappa", ci.std_error),
                ("kappa_low", ci.low),
                ("kappa_upp", ci.high),
                ("std_kappa0", ci.std_error_null),
            ] {
                let expected = w[field].as_f64().unwrap();
                assert!((value - expected).abs() < 1e-10, "{name} {kind} {field}: {value} vs statsmodels {expected}");
            }
        }
    }
}

/// Fleiss' κ's standard error under the null and z, against the formula of R's `irr::kappam.fleiss` computed apart
/// from the engine (`tests/data/published/fleiss_null_se.json`, by `crates/xtask/reference/fleiss_null_se.py`).
#[test]
fn fleiss_kappa_null_standard_error_equals_the_independent_computation() {
    let file = published_file("fleiss_null_se.json");
    let reference: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    for (name, want) in reference["files"].as_object().unwrap() {
        let path = published_file(name);
        let table = read_long_csv(name, std::fs::File::open(path).unwrap()).unwrap();
        let r = categorical_report(&table, None).unwrap();
        let t = r.fleiss_kappa_test.unwrap();
        assert!((r.fleiss_kappa.unwrap() - want["kappa"].as_f64().unwrap()).abs() < 1e-12, "{name} kappa");
        assert!(
            (t.std_error_null - want["std_error_null"].as_f64().unwrap()).abs() < 1e-12,
            "{name} SE0 {}",
            t.std_error_null
        );
        assert!((t.z - want["z"].as_f64().unwrap()).abs() < 1e-9, "{name} z {}", t.z);
    }
}
