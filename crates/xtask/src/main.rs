//! Concord's developer task runner (`cargo xtask <task>`): one entry point for setting up a machine, serving the
//! app, running every test, regenerating the demo projects and benchmarking.

mod bench;
mod bench_bundles;
mod demo;
mod fuzz;
mod learner_bench;
mod package;
mod process;
mod serve;
mod setup;
mod test;
mod wasm_split;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  setup   install what the build and tests need (idempotent; seconds when all is present)
  serve   build the app and serve it with the demo projects on http://127.0.0.1:8080 (--port N, --address A)
  test    every test: native, wasm in headless Chromium, release build, end-to-end (Playwright)
  split-profile  record which functions each page mode runs until its first task (www/split/, from the release
          build in dist/, in headless Chromium), and split dist/ again by them; `split-dist DIR` is Trunk's
          post-build split, `split-file IN PROFILE PRIMARY DEFERRED` and `split-instrument IN OUT NAMES` one file's
  demo    regenerate the demo projects in www/demo (deterministic)
  package build the concord-qa JavaScript package in target/concord-qa
  fuzz    every importer under libFuzzer: fuzz [SECONDS=600] [TARGET...] (needs cargo-fuzz and nightly)
  bench   criterion benchmarks of the engine, the same computations in wasm in headless Chromium, and the
          app's input-to-paint figures (5,000 boxes, 2,000 spans, 1,000,000 tasks); `bench --ui` for the last only, `bench --bundles` writes its bundles;
          `bench --report` adds the Python reference libraries and writes BENCHMARKS.md; `bench --learner`
          holds the online learner to scikit-learn and draws docs/learning-curve.svg
          (`bench --rewrite-report` rewrites it from the results left in target/)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("serve") => serve::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("package") => package::run(),
        Some("fuzz") => fuzz::run(&args[1..]),
        // Synthetic crowd data as CSV, for comparisons with the reference libraries: synth N OUT.
        Some("synth") => synth(&args[1..]),
        Some("split-dist") => match args.get(1) {
            Some(dir) => wasm_split::dist(std::path::Path::new(dir)),
            None => Err("usage: cargo xtask split-dist DIR".into()),
        },
        Some("split-instrument") => wasm_split::instrument_file(&args[1..]),
        Some("split-file") => wasm_split::split_file(&args[1..]),
        Some("split-profile") => wasm_split::profile(),
        Some("demo") => demo::write_all(&process::root().join("www/demo")).map_err(|e| e.to_string()),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn synth(args: &[String]) -> Result<(), String> {
    let (Some(n), Some(out)) = (args.first().and_then(|n| n.parse().ok()), args.get(1)) else {
        return Err("usage: cargo xtask synth ANNOTATIONS OUT.csv [--pairs]".into());
    };
    std::fs::write(out, synthetic_csv(n, args.iter().any(|a| a == "--pairs"))).map_err(|e| format!("{out}: {e}"))
}

/// The benchmarks' data as CSV: `CrowdSpec::standard(n)`, or (`pairs`) two annotators on every item, the
/// Cohen's-kappa workload of the criterion benchmark.
pub fn synthetic_csv(n: usize, pairs: bool) -> String {
    use concord_engine::synthetic::{crowd_csv, CrowdSpec};
    let spec =
        if pairs { CrowdSpec { per_item: 2, pool: 2, ..CrowdSpec::standard(n) } } else { CrowdSpec::standard(n) };
    crowd_csv(spec)
}
