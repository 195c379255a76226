//! `cargo xtask bench`: the engine's criterion benchmarks (native), the same computations compiled to wasm and
//! timed in headless Chromium, and the app's own figures in Chromium. Figures are printed; nothing here asserts a
//! time.

use crate::process::{cmd, exec, root};

pub fn run(args: &[String]) -> Result<(), String> {
    crate::setup::run()?;
    if args.iter().any(|a| a == "--ui") {
        return ui();
    }
    exec(cmd("cargo").args(["bench", "-p", "concord-engine"]))?;
    exec(cmd("cargo").args([
        "test",
        "-p",
        "concord-app",
        "--target",
        "wasm32-unknown-unknown",
        "--release",
        "--test",
        "engine_speed",
        "--",
        "--include-ignored",
        "--nocapture",
    ]))?;
    ui()
}

/// The app in headless Chromium: the release build, the generated benchmark bundles, and a script that drives
/// the real UI and reads the input-to-paint times the app records (`crates/app/src/perf.rs`).
fn ui() -> Result<(), String> {
    let bundles = root().join("target/bench-bundles");
    crate::bench_bundles::write_all(&bundles)?;
    exec(cmd("trunk").args(["build", "--release"]))?;
    exec(cmd("node").args(["tests/bench/ui.mjs"]))
}
