//! `cargo xtask package`: the `concord-qa` JavaScript package in `target/concord-qa/` — the embed crate compiled to
//! wasm (the `js-package` profile — `compute` with 128-bit SIMD — and `wasm-opt -O3`: the package is where the engine's
//! loops run, so speed first),
//! wasm-bindgen's ES-module glue (`--target web`, which also runs in Node when instantiated from bytes), and the
//! hand-written `index.js`, `index.d.ts`, `package.json` and README from `crates/embed/js/`. Beside it, `widgets.js`
//! and `widgets/`: the widgets crate (Yew, no engine), size-tuned (the `web` profile, `-Oz`), loaded only by pages
//! that use the custom elements.

use crate::process::{cmd, exec, root};

pub fn run() -> Result<(), String> {
    crate::setup::run()?;
    build()
}

/// Builds the package (tools must be installed).
pub fn build() -> Result<(), String> {
    let out = root().join("target/concord-qa");
    // SIMD for this build only (its own profile, so the workers' `compute` artifacts are not rebuilt each time).
    exec(
        cmd("cargo")
            .args(["build", "-p", "concord-embed", "--target", "wasm32-unknown-unknown", "--profile", "js-package"])
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", "-C target-feature=+simd128"),
    )?;
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    bindgen("js-package", "concord_embed", "concord_qa", "target/concord-qa", "-O3")?;
    exec(cmd("cargo").args([
        "build",
        "-p",
        "concord-widgets",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "web",
    ]))?;
    bindgen("web", "concord_widgets", "concord_widgets", "target/concord-qa/widgets", "-Oz")?;
    for f in ["widgets.js", "widgets.d.ts", "widgets.css"] {
        std::fs::copy(root().join("crates/widgets/js").join(f), out.join(f)).map_err(|e| format!("{f}: {e}"))?;
    }
    for f in ["index.js", "index.d.ts", "package.json", "README.md"] {
        std::fs::copy(root().join("crates/embed/js").join(f), out.join(f)).map_err(|e| format!("{f}: {e}"))?;
    }
    let size = |f: &str| std::fs::metadata(out.join(f)).map(|m| m.len()).unwrap_or(0);
    eprintln!("package: target/concord-qa (wasm {} B, glue {} B)", size("concord_qa_bg.wasm"), size("concord_qa.js"));
    eprintln!(
        "widgets: target/concord-qa/widgets (wasm {} B, glue {} B)",
        size("widgets/concord_widgets_bg.wasm"),
        size("widgets/concord_widgets.js")
    );
    Ok(())
}

/// wasm-bindgen's ES-module glue for `target/wasm32-unknown-unknown/{profile}/{krate}.wasm`, then wasm-opt at `level`.
fn bindgen(profile: &str, krate: &str, name: &str, dir: &str, level: &str) -> Result<(), String> {
    exec(cmd("wasm-bindgen").args([
        "--target",
        "web",
        "--no-typescript",
        "--out-name",
        name,
        "--out-dir",
        dir,
        &format!("target/wasm32-unknown-unknown/{profile}/{krate}.wasm"),
    ]))?;
    let wasm = format!("{dir}/{name}_bg.wasm");
    exec(cmd("wasm-opt").args([
        level,
        "--strip-debug",
        "--strip-producers",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
        "--enable-sign-ext",
        "--enable-mutable-globals",
        "--enable-simd",
        "-o",
        &wasm,
        &wasm,
    ]))
}
