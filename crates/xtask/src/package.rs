//! `cargo xtask package`: the `concord-qa` JavaScript package in `target/concord-qa/` — the embed crate compiled to
//! wasm (the `web` profile: everything size-tuned, the engine included), wasm-bindgen's ES-module glue (`--target web`, which also runs
//! in Node when instantiated from bytes), wasm-opt, and the hand-written `index.js`, `index.d.ts`, `package.json`
//! and README from `crates/embed/js/`.

use crate::process::{cmd, exec, root};

pub fn run() -> Result<(), String> {
    crate::setup::run()?;
    build()
}

/// Builds the package (tools must be installed).
pub fn build() -> Result<(), String> {
    let out = root().join("target/concord-qa");
    exec(cmd("cargo").args([
        "build",
        "-p",
        "concord-embed",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "web",
    ]))?;
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    exec(cmd("wasm-bindgen").args([
        "--target",
        "web",
        "--no-typescript",
        "--out-name",
        "concord_qa",
        "--out-dir",
        "target/concord-qa",
        "target/wasm32-unknown-unknown/web/concord_embed.wasm",
    ]))?;
    let wasm = "target/concord-qa/concord_qa_bg.wasm";
    exec(cmd("wasm-opt").args([
        "-Oz",
        "--strip-debug",
        "--strip-producers",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
        "--enable-sign-ext",
        "--enable-mutable-globals",
        "-o",
        wasm,
        wasm,
    ]))?;
    for f in ["index.js", "index.d.ts", "package.json", "README.md"] {
        std::fs::copy(root().join("crates/embed/js").join(f), out.join(f)).map_err(|e| format!("{f}: {e}"))?;
    }
    let size = |f: &str| std::fs::metadata(out.join(f)).map(|m| m.len()).unwrap_or(0);
    eprintln!("package: target/concord-qa (wasm {} B, glue {} B)", size("concord_qa_bg.wasm"), size("concord_qa.js"));
    Ok(())
}
