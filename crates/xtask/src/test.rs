//! `cargo xtask test`: every test, in the order that fails fastest. Exit status is non-zero on any failure; the
//! last line is a plain `e2e: N passed, N failed` for the Playwright suite (cargo prints its own summaries).

use crate::process::{cmd, exec, root};

pub fn run(args: &[String]) -> Result<(), String> {
    let only_e2e = args.iter().any(|a| a == "--e2e");
    crate::setup::run()?;
    if !only_e2e {
        exec(cmd("cargo").args(["test", "--workspace", "--exclude", "concord-app"]))?;
        // With `scene`: the build that holds every module (the 3D mode's too).
        exec(cmd("cargo").args("test -p concord-app --target wasm32-unknown-unknown --features scene".split(' ')))?;
    }
    // The JS package: Node's own test runner here, a browser in the end-to-end suite.
    crate::package::build()?;
    if !only_e2e {
        exec(cmd("node").args(["--test", "tests/node/"]))?;
    }
    exec(cmd("trunk").args(["build", "--release"]))?;
    e2e()
}

/// Playwright in Debian's Chromium against the built `dist/`, served on loopback by the test config itself.
fn e2e() -> Result<(), String> {
    let report = root().join("target/e2e-report.json");
    let _ = std::fs::remove_file(&report);
    let status = cmd("npx")
        .args(["playwright", "test", "--config", "tests/playwright.config.ts"])
        .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report)
        .status()
        .map_err(|e| format!("could not start Playwright: {e}"))?;
    let (passed, failed, skipped) = count(&report)?;
    println!("e2e: {passed} passed, {failed} failed, {skipped} skipped");
    if status.success() && failed == 0 && passed > 0 {
        Ok(())
    } else {
        Err(format!("end-to-end tests failed ({status})"))
    }
}

/// Reads Playwright's JSON report: `stats.expected` passed, `unexpected` + `flaky` failed, `skipped`.
fn count(report: &std::path::Path) -> Result<(u64, u64, u64), String> {
    let text =
        std::fs::read_to_string(report).map_err(|e| format!("no Playwright report at {}: {e}", report.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("Playwright report: {e}"))?;
    let n = |k: &str| v["stats"][k].as_u64().unwrap_or(0);
    Ok((n("expected"), n("unexpected") + n("flaky"), n("skipped")))
}
