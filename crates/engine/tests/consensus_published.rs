//! Majority vote and Dawid–Skene against crowd-kit's own test cases and full-precision outputs
//! (`../shared/testdata/published/`).

mod common;

use common::{close, expected, published_file};
use concord_engine::consensus::fit;
use concord_engine::consensus::{dawid_skene, majority_vote, DawidSkeneOptions};
use concord_engine::formats::csv_long::read_long_csv;
use concord_engine::model::CategoricalTable;
use serde_json::Value;

fn load(name: &str) -> CategoricalTable {
    read_long_csv(name, std::fs::File::open(published_file(name)).unwrap()).unwrap()
}

fn check_full_run(case: &Value, table: &CategoricalTable, tol: f64) {
    let run = &case["crowdkit_DawidSkene_n_iter_100"];
    let opts = DawidSkeneOptions { max_iter: 100, tol: 1e-5 };
    let r = dawid_skene(table, opts, None).report(table);
    assert_eq!(r.iterations as u64, run["n_iterations_run"].as_u64().unwrap());
    for (got, want) in r.loss_history.iter().zip(run["loss_history"].as_array().unwrap()) {
        close(Some(*got), want.as_f64().unwrap(), tol, "loss");
    }
    for (item, label) in run["labels"].as_object().unwrap() {
        assert_eq!(r.labels[item], label.as_str().unwrap(), "label of {item}");
    }
    for (label, p) in run["priors"].as_object().unwrap() {
        close(Some(r.priors[label]), p.as_f64().unwrap(), tol, &format!("prior {label}"));
    }
    for (worker, acc) in run["worker_accuracy_implied"].as_object().unwrap() {
        close(r.annotators[worker].accuracy, acc.as_f64().unwrap(), tol, &format!("accuracy {worker}"));
    }
    // errors[worker][given][true] in crowd-kit's layout; ours is confusion[true][given].
    for (worker, by_given) in run["errors"].as_object().unwrap() {
        let conf = r.annotators[worker].confusion.as_ref().unwrap();
        for (given, by_true) in by_given.as_object().unwrap() {
            for (truth, e) in by_true.as_object().unwrap() {
                close(Some(conf[truth][given]), e.as_f64().unwrap(), tol, &format!("e[{worker}][{given}][{truth}]"));
            }
        }
    }
    let f = fit(table, opts, None);
    let k = f.order.len();
    for (item, probs) in run["probas"].as_object().unwrap() {
        let i = table.items.get(item).unwrap() as usize;
        for (label, p) in probs.as_object().unwrap() {
            let c = f.order.iter().position(|&l| table.labels.name(l) == label).unwrap();
            close(Some(f.probas[i * k + c]), p.as_f64().unwrap(), tol, &format!("P({label} | {item})"));
        }
    }
}

#[test]
fn dawid_skene_toy_ysda_full_run() {
    let (e, t) = (expected(), load("ds_toy_ysda.csv"));
    check_full_run(&e["ds_toy_ysda"], &t, 1e-6);
    for (item, label) in
        e["ds_toy_ysda"]["published_crowdkit_tests"]["ds_labels_n_iter_10_and_100"].as_object().unwrap()
    {
        for n in [10, 100] {
            let r = dawid_skene(&t, DawidSkeneOptions { max_iter: n, tol: 1e-5 }, None).report(&t);
            assert_eq!(r.labels[item], label.as_str().unwrap());
        }
    }
}

#[test]
fn dawid_skene_simple_toloka_full_run() {
    let (e, t) = (expected(), load("ds_simple_toloka.csv"));
    check_full_run(&e["ds_simple_toloka"], &t, 1e-6);
    for (item, label) in e["ds_simple_toloka"]["published_crowdkit_tests"]["ds_labels"].as_object().unwrap() {
        assert_eq!(
            dawid_skene(&t, DawidSkeneOptions::default(), None).report(&t).labels[item],
            label.as_str().unwrap()
        );
    }
}

#[test]
fn dawid_skene_step_by_step_iterations_0_and_1() {
    let (e, t) = (expected(), load("ds_toy_ysda.csv"));
    let case = &e["ds_toy_ysda"];
    for (n, key) in [(0u32, "n_iter_0"), (1, "n_iter_1")] {
        let opts = DawidSkeneOptions { max_iter: n, tol: 0.005 };
        let f = fit(&t, opts, None);
        let r = dawid_skene(&t, opts, None).report(&t);
        let k = f.order.len();
        let col = |label: &str| f.order.iter().position(|&l| t.labels.name(l) == label).unwrap();
        // Published (crowd-kit's test asserts these at 0.005) and full precision (to 1e-9).
        let published = &case["published_crowdkit_tests"]["step_by_step_tol_0.005"][key];
        let full = &case["crowdkit_DawidSkene_step_by_step_task_major_order"][key];
        for (label, p) in published["priors"].as_object().unwrap() {
            close(Some(f.priors[col(label)]), p.as_f64().unwrap(), 0.005, &format!("{key} prior {label}"));
            close(
                Some(f.priors[col(label)]),
                full["priors"][label].as_f64().unwrap(),
                1e-9,
                &format!("{key} prior {label}"),
            );
        }
        for (item, probs) in published["probas"].as_object().unwrap() {
            let i = t.items.get(item).unwrap() as usize;
            let (no, yes) = (f.probas[i * k + col("no")], f.probas[i * k + col("yes")]);
            let p = probs.as_array().unwrap();
            close(Some(no), p[0].as_f64().unwrap(), 0.005, &format!("{key} P(no|{item})"));
            close(Some(yes), p[1].as_f64().unwrap(), 0.005, &format!("{key} P(yes|{item})"));
            close(Some(no), full["probas"][item]["no"].as_f64().unwrap(), 1e-9, &format!("{key} P(no|{item})"));
        }
        for (item, label) in published["labels"].as_object().unwrap() {
            assert_eq!(r.labels[item], label.as_str().unwrap(), "{key} label of {item}");
        }
        for (worker, by_given) in full["errors"].as_object().unwrap() {
            let w = t.annotators.get(worker).unwrap() as usize;
            for (given, by_true) in by_given.as_object().unwrap() {
                for (truth, v) in by_true.as_object().unwrap() {
                    let got = f.errors[(w * k + col(given)) * k + col(truth)];
                    close(Some(got), v.as_f64().unwrap(), 1e-9, &format!("{key} e[{worker}][{given}][{truth}]"));
                }
            }
        }
    }
}

#[test]
fn majority_vote_ties_are_reported_and_broken_by_label_order() {
    let e = expected();
    for (case, file) in [("ds_toy_ysda", "ds_toy_ysda.csv"), ("ds_simple_toloka", "ds_simple_toloka.csv")] {
        let t = load(file);
        let mv = &e[case]["crowdkit_MajorityVote"];
        let r = majority_vote(&t, None).report(&t);
        for (item, label) in mv["labels_smallest_tied"].as_object().unwrap() {
            assert_eq!(r.labels[item], label.as_str().unwrap(), "{case} {item}");
        }
        let ties: Vec<&str> = mv["tie_items"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(r.ties, ties, "{case}");
        // crowd-kit's skills were measured against its own tie choice (pandas ≥ 3: first occurrence); putting
        // that label first in the order reproduces its labels, and then the skills must agree exactly.
        let item = ties[0];
        let chosen = mv["labels_crowdkit"][item].as_str().unwrap().to_string();
        let as_crowdkit = majority_vote(&t, Some(&[chosen])).report(&t);
        for (i, label) in mv["labels_crowdkit"].as_object().unwrap() {
            assert_eq!(as_crowdkit.labels[i], label.as_str().unwrap(), "{case} {i}");
        }
        for (worker, skill) in mv["worker_skill_vs_mv"].as_object().unwrap() {
            close(
                as_crowdkit.annotators[worker].accuracy,
                skill.as_f64().unwrap(),
                1e-12,
                &format!("{case} skill {worker}"),
            );
        }
        // An explicit order changes only how ties are broken.
        let tied: Vec<String> = mv["tied_labels"][item].as_str().unwrap().split('|').map(str::to_string).collect();
        let reversed: Vec<String> = tied.iter().rev().cloned().collect();
        assert_eq!(majority_vote(&t, Some(&reversed)).report(&t).labels[item], *tied.last().unwrap());
    }
}
