//! `cargo xtask setup`: installs what is missing, skips what is present. Every step is checked by version, so
//! a second run takes seconds. Versions and traps are recorded in ARCHITECTURE.md ("Build and toolchain").

use std::path::Path;

use crate::process::{cmd, exec, output, root};

pub const TRUNK_VERSION: &str = "0.21.14";

pub fn run() -> Result<(), String> {
    wasm_target()?;
    let wb = wasm_bindgen_version()?;
    cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &wb, false)?;
    cargo_tool("trunk", "trunk", TRUNK_VERSION, true)?;
    chromium()?;
    npm_packages()?;
    // Trunk runs cargo with --offline: every dependency must already be in the local registry.
    exec(cmd("cargo").args(["fetch", "--locked"]))?;
    eprintln!("setup: all tools present");
    Ok(())
}

fn wasm_target() -> Result<(), String> {
    let installed = output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    exec(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The exact `wasm-bindgen` version in Cargo.lock: the CLI must match it byte for byte.
pub fn wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

fn cargo_tool(bin: &str, krate: &str, version: &str, locked: bool) -> Result<(), String> {
    let have = output(cmd(bin).arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(version) {
        return Ok(());
    }
    eprintln!("setup: installing {krate} {version} (found: {})", if have.is_empty() { "none" } else { have.trim() });
    let mut c = cmd("cargo");
    c.args(["install", krate, "--version", version, "--force"]);
    // wasm-bindgen-cli must be installed without --locked: its lock file names a webpki-roots version the
    // registry no longer serves. Trunk must be installed with it (newer dependencies need a newer rustc).
    if locked {
        c.arg("--locked");
    }
    exec(&mut c)
}

fn chromium() -> Result<(), String> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    let is_root = output(&mut std::process::Command::new("id").arg("-u")).map(|s| s.trim() == "0").unwrap_or(false);
    let install = "apt-get update && apt-get install -y chromium chromium-driver";
    if !is_root {
        return Err(format!("Chromium and chromedriver are missing; install them as root: sudo sh -c '{install}'"));
    }
    exec(cmd("sh").args(["-c", &format!("export DEBIAN_FRONTEND=noninteractive; {install}")]))
}

fn npm_packages() -> Result<(), String> {
    let lock = root().join("package-lock.json");
    let installed = root().join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&installed)) {
        (Ok(l), Ok(i)) => i.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh && root().join("node_modules/.bin/wasm-opt").exists() {
        return Ok(());
    }
    exec(cmd("npm").args(["ci", "--no-audit", "--no-fund"]))
}
