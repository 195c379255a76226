//! `cargo xtask bench`: the engine's criterion benchmarks (native) and the same computations compiled to wasm and
//! timed in headless Chromium. Figures are printed; nothing here asserts a time.

use crate::process::{cmd, exec};

pub fn run() -> Result<(), String> {
    crate::setup::run()?;
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
    ]))
}
