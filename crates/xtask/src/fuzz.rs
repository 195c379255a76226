//! `cargo xtask fuzz [SECONDS] [TARGET...]`: every importer and the bundle parser under libFuzzer (cargo-fuzz,
//! nightly), each for SECONDS (default 600). Corpora live in `target/fuzz-corpus/<target>/`, seeded from the demo
//! bundles and the test fixtures; crashes land in `fuzz/artifacts/<target>/` and become regression tests.

use std::path::Path;

use crate::process::{cmd, exec, root};

const TARGETS: [(&str, &[&str]); 8] = [
    ("bundle", &["www/demo", "tests/fixtures/bundles"]),
    ("csv_long", &["crates/engine/tests", "crates/cli/tests"]),
    ("span_jsonl", &["www/demo/news"]),
    ("bio", &["crates/engine/tests", "crates/cli/tests"]),
    ("label_studio", &["crates/cli/tests", "tests/fixtures"]),
    ("coco", &["crates/engine/tests/reference", "crates/cli/tests"]),
    ("rules", &["www/demo"]),
    ("log", &["tests/fixtures"]),
];

pub fn run(args: &[String]) -> Result<(), String> {
    let seconds: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(600);
    let only: Vec<&str> = args.iter().skip_while(|a| a.parse::<u64>().is_ok()).map(String::as_str).collect();
    for (target, seeds) in TARGETS {
        if !only.is_empty() && !only.contains(&target) {
            continue;
        }
        let corpus = root().join("target/fuzz-corpus").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
        for dir in seeds {
            seed(&root().join(dir), &corpus)?;
        }
        exec(cmd("cargo").current_dir(root().join("fuzz")).args([
            "+nightly",
            "fuzz",
            "run",
            target,
            corpus.to_str().unwrap(),
            "--",
            &format!("-max_total_time={seconds}"),
            "-max_len=65536",
        ]))?;
    }
    Ok(())
}

/// Copies every small text file under `dir` into the corpus (the seeds), names flattened.
fn seed(dir: &Path, corpus: &Path) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            seed(&p, corpus)?;
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("json" | "jsonl" | "csv" | "md"))
            && e.metadata().map(|m| m.len() < 200_000).unwrap_or(false)
        {
            let name = p.strip_prefix(root()).unwrap_or(&p).to_string_lossy().replace('/', "_");
            std::fs::copy(&p, corpus.join(format!("seed_{name}"))).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
