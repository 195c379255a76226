//! The engine's agreement measures compiled to wasm and timed in headless Chromium, on the same synthetic data as
//! the native criterion benchmarks. A benchmark, not a test: it is `#[ignore]`d and run by `cargo xtask bench`
//! (`--release -- --include-ignored`); it asserts nothing about time.

use concord_engine::agreement::{self, Metric};
use concord_engine::consensus::{dawid_skene, majority_vote, DawidSkeneOptions};
use concord_engine::formats::csv_long::read_long_csv;
use concord_engine::synthetic::{crowd_csv, crowd_table, CrowdSpec};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// Median of `runs` timings of `f`, in ms.
fn median_ms<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = now();
            std::hint::black_box(f());
            now() - t
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

#[wasm_bindgen_test]
#[ignore]
fn engine_speed_in_the_browser() {
    for n in [100_000usize, 1_000_000] {
        let table = crowd_table(CrowdSpec::standard(n)).finish().unwrap();
        let values: Vec<f64> = (0..table.n_labels()).map(|v| v as f64).collect();
        let k = median_ms(9, || agreement::alpha(&table, Metric::Nominal, None));
        let ki = median_ms(9, || agreement::alpha(&table, Metric::Interval, Some(&values)));
        let f = median_ms(9, || agreement::fleiss_kappa(&table));
        console_log!("wasm-bench agreement/krippendorff_nominal/{n}: {k:.2} ms");
        console_log!("wasm-bench agreement/krippendorff_interval/{n}: {ki:.2} ms");
        console_log!("wasm-bench agreement/fleiss/{n}: {f:.2} ms");
    }
    let two = crowd_table(CrowdSpec { per_item: 2, pool: 2, ..CrowdSpec::standard(2_000_000) }).finish().unwrap();
    let c = median_ms(9, || agreement::cohen_kappa(&agreement::pair_table(&two, 0, 1)));
    console_log!("wasm-bench agreement/cohen/1000000_pairs: {c:.2} ms");
    let table = crowd_table(CrowdSpec::standard(1_000_000)).finish().unwrap();
    let mv = median_ms(9, || majority_vote(&table, None));
    console_log!("wasm-bench consensus/majority_vote/1000000: {mv:.2} ms");
    let fifty = DawidSkeneOptions { max_iter: 50, tol: f64::NEG_INFINITY };
    let ds = median_ms(3, || dawid_skene(&table, fifty, None));
    console_log!("wasm-bench consensus/dawid_skene_50_iterations/1000000: {ds:.2} ms");
    rules_speed();
    let text = crowd_csv(CrowdSpec::standard(1_000_000));
    let p = median_ms(5, || read_long_csv("bench.csv", text.as_bytes()).unwrap());
    console_log!("wasm-bench csv/read_long_csv/1000000: {p:.2} ms");
}

/// One box annotation (12 boxes) against 50 rules, the instant check of every edit: the native benchmark's workload.
fn rules_speed() {
    use concord_engine::rules::{validate, Subject};
    let (rs, task, result) = concord_engine::synthetic::rules_workload();
    let per_call = median_ms(9, || {
        for _ in 0..10_000 {
            std::hint::black_box(validate(&rs, &Subject { task: &task, result: &result, prediction: None }));
        }
    }) / 10_000.0;
    console_log!("wasm-bench rules/one_annotation_12_boxes_50_rules: {:.2} us", per_call * 1000.0);
}
