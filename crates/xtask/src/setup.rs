//! `cargo xtask setup`: installs what is missing, skips what is present. Every step is checked by version, so
//! a second run takes seconds. Versions and traps are recorded in ARCHITECTURE.md ("Build and toolchain").

use std::path::Path;

use crate::process::{cmd, exec, output, root};

pub const TRUNK_VERSION: &str = "0.21.14";
/// The Label Studio server the round-trip test runs (`crates/cli/tests/label_studio_server.rs`).
pub const LABEL_STUDIO_VERSION: &str = "1.23.2";
/// The Label Studio frontend the page at /label-studio/ runs: the last npm release that ships its build.
const LABEL_STUDIO_FRONTEND: &str = "@heartexlabs/label-studio@1.4.0";
/// The registry's integrity of that tarball, checked before it is unpacked.
const LABEL_STUDIO_FRONTEND_SHA512: &str =
    "NczF2gDF/Whq7+xI3tYZLrAk8Pq6hacXhYEDmWfHAQIZ0eiieyrMxxHz4KIU7wnagComaGv+QJ2Zc6SBcBmuCg==";
/// Where its build goes (`www/label-studio.mjs` copies it into dist/ at build time).
pub const LABEL_STUDIO_FRONTEND_DIR: &str = "target/label-studio-frontend";

pub fn run() -> Result<(), String> {
    let started = std::time::Instant::now();
    let wb = wasm_bindgen_version()?;
    // (what, how long it takes the first time here, the step): each step says what it does before it does it, so
    // that a first set-up of about 25 minutes never looks hung; a step with nothing to do says so in one line.
    let steps: [(String, &str, Box<dyn Fn() -> Result<Step, String>>); 9] = [
        ("the wasm32-unknown-unknown target".into(), "under a minute", Box::new(wasm_target)),
        (
            format!("wasm-bindgen-cli {wb}"),
            "about 8 minutes: compiled from source",
            Box::new(move || cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &wb, false)),
        ),
        (
            format!("Trunk {TRUNK_VERSION}"),
            "about 15 minutes: compiled from source",
            Box::new(|| cargo_tool("trunk", "trunk", TRUNK_VERSION, true)),
        ),
        ("Chromium and chromedriver (Debian)".into(), "about 2 minutes", Box::new(chromium)),
        ("npm packages (Playwright, wasm-opt, axe-core)".into(), "about a minute", Box::new(npm_packages)),
        // The sync tests run real WebDAV servers on loopback (started and stopped by the tests themselves).
        ("WebDAV servers: nginx with DAV, rclone (Debian)".into(), "about a minute", Box::new(webdav_servers)),
        // The Label Studio round-trip test runs a real server on loopback, from this virtualenv.
        (
            format!("Label Studio {LABEL_STUDIO_VERSION} (a virtualenv under target/)"),
            "about 2 minutes",
            Box::new(label_studio),
        ),
        // Its npm package's dependencies are a build tree; the page needs only the two built files.
        (
            format!("the Label Studio frontend ({LABEL_STUDIO_FRONTEND}, built files only)"),
            "seconds",
            Box::new(label_studio_frontend),
        ),
        // Trunk runs cargo with --offline: every dependency must already be in the local registry.
        (
            "the crates in Cargo.lock".into(),
            "a minute or two",
            Box::new(|| exec(cmd("cargo").args(["fetch", "--locked", "--quiet"])).map(|_| Step::Checked)),
        ),
    ];
    for (n, (what, first_time, step)) in steps.iter().enumerate() {
        let t = std::time::Instant::now();
        match step()? {
            Step::Present => eprintln!("setup: [{}/9] {what}: present", n + 1),
            Step::Checked => eprintln!("setup: [{}/9] {what}: up to date ({:.0?})", n + 1, t.elapsed()),
            Step::Installing(install) => {
                eprintln!("setup: [{}/9] {what}: installing (the first time takes {first_time}) …", n + 1);
                install()?;
                eprintln!("setup: [{}/9] {what}: installed in {:.0?}", n + 1, t.elapsed());
            }
        }
    }
    eprintln!("setup: all tools present ({:.0?})", started.elapsed());
    Ok(())
}

/// What a step found: nothing to do, or the install to run (said before it starts).
enum Step {
    Present,
    Checked,
    Installing(Box<dyn FnOnce() -> Result<(), String>>),
}

fn wasm_target() -> Result<Step, String> {
    let installed = output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(Step::Present);
    }
    Ok(Step::Installing(Box::new(|| exec(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"])))))
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

fn cargo_tool(bin: &str, krate: &str, version: &str, locked: bool) -> Result<Step, String> {
    let have = output(cmd(bin).arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(version) {
        return Ok(Step::Present);
    }
    eprintln!("setup: {krate}: found {}, need {version}", if have.is_empty() { "none" } else { have.trim() });
    let mut c = cmd("cargo");
    c.args(["install", krate, "--version", version, "--force"]);
    // wasm-bindgen-cli must be installed without --locked: its lock file names a webpki-roots version the
    // registry no longer serves. Trunk must be installed with it (newer dependencies need a newer rustc).
    if locked {
        c.arg("--locked");
    }
    Ok(Step::Installing(Box::new(move || exec(&mut c))))
}

fn chromium() -> Result<Step, String> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(Step::Present);
    }
    apt_install("chromium chromium-driver", "Chromium and chromedriver are missing")
}

/// `target/label-studio-venv`, with `label-studio` at the pinned version (pip, from PyPI).
fn label_studio() -> Result<Step, String> {
    let venv = root().join("target/label-studio-venv");
    let site = venv.join("lib");
    let installed = std::fs::read_dir(&site).ok().into_iter().flatten().flatten().any(|python| {
        python.path().join(format!("site-packages/label_studio-{LABEL_STUDIO_VERSION}.dist-info")).is_dir()
    });
    if installed && venv.join("bin/label-studio").exists() {
        return Ok(Step::Present);
    }
    Ok(Step::Installing(Box::new(move || {
        exec(cmd("python3").arg("-m").arg("venv").arg(&venv))?;
        exec(
            cmd(venv.join("bin/pip").to_str().ok_or("a non-UTF-8 path")?)
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .arg(format!("label-studio=={LABEL_STUDIO_VERSION}")),
        )
    })))
}

/// scikit-learn, pinned: the online learner's reference (`bench --learner`).
const SCIKIT_LEARN_VERSION: &str = "1.9.1";

/// The Python of `target/reference-venv`, a virtualenv with scikit-learn at the pinned version, made the first
/// time a benchmark needs it (not part of `setup`: no test needs it).
pub fn reference_python() -> Result<std::path::PathBuf, String> {
    let venv = root().join("target/reference-venv");
    let python = venv.join("bin/python");
    let installed = std::fs::read_dir(venv.join("lib"))
        .ok()
        .into_iter()
        .flatten()
        .flatten()
        .any(|p| p.path().join(format!("site-packages/scikit_learn-{SCIKIT_LEARN_VERSION}.dist-info")).is_dir());
    if !installed {
        println!("setup: scikit-learn {SCIKIT_LEARN_VERSION} in target/reference-venv: installing (about a minute)");
        exec(cmd("python3").arg("-m").arg("venv").arg(&venv))?;
        exec(
            cmd(venv.join("bin/pip").to_str().ok_or("a non-UTF-8 path")?)
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .arg(format!("scikit-learn=={SCIKIT_LEARN_VERSION}")),
        )?;
    }
    Ok(python)
}

/// `npm pack` fetches the tarball from the registry; its sha512 is checked against the pinned one before the two built
/// files and the licence are unpacked.
fn label_studio_frontend() -> Result<Step, String> {
    let dir = root().join(LABEL_STUDIO_FRONTEND_DIR);
    let built = ["package/build/static/js/main.js", "package/build/static/css/main.css", "package/LICENSE"];
    if built.iter().all(|f| dir.join(f).is_file()) {
        return Ok(Step::Present);
    }
    Ok(Step::Installing(Box::new(move || {
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        exec(cmd("npm").args(["pack", LABEL_STUDIO_FRONTEND, "--silent", "--pack-destination"]).arg(&dir))?;
        let tarball = dir.join("heartexlabs-label-studio-1.4.0.tgz");
        let hash = "const c=require('crypto'),f=require('fs');\
                    process.stdout.write(c.createHash('sha512').update(f.readFileSync(process.argv[1])).digest('base64'))";
        let sum = output(cmd("node").args(["-e", hash]).arg(&tarball))
            .ok_or_else(|| format!("{}: could not hash it with node", tarball.display()))?;
        if sum.trim() != LABEL_STUDIO_FRONTEND_SHA512 {
            let _ = std::fs::remove_file(&tarball);
            return Err(format!(
                "{}: sha512 {sum} is not the pinned {LABEL_STUDIO_FRONTEND_SHA512}; not unpacked",
                tarball.display()
            ));
        }
        exec(cmd("tar").arg("-xzf").arg(&tarball).arg("-C").arg(&dir).args(built))?;
        std::fs::remove_file(&tarball).map_err(|e| format!("{}: {e}", tarball.display()))
    })))
}

fn webdav_servers() -> Result<Step, String> {
    let dav = "/usr/lib/nginx/modules/ngx_http_dav_ext_module.so";
    if Path::new("/usr/sbin/nginx").exists() && Path::new(dav).exists() && Path::new("/usr/bin/rclone").exists() {
        return Ok(Step::Present);
    }
    apt_install("nginx-extras rclone", "nginx with its DAV modules and rclone are missing")
}

/// `apt-get install` as root; otherwise the command to run, in the error.
fn apt_install(packages: &str, missing: &str) -> Result<Step, String> {
    let is_root = output(&mut std::process::Command::new("id").arg("-u")).map(|s| s.trim() == "0").unwrap_or(false);
    let install = format!("apt-get update && apt-get install -y {packages}");
    if !is_root {
        return Err(format!("{missing}; install them as root: sudo sh -c '{install}'"));
    }
    let script = format!("export DEBIAN_FRONTEND=noninteractive; {install}");
    Ok(Step::Installing(Box::new(move || exec(cmd("sh").args(["-c", &script])))))
}

fn npm_packages() -> Result<Step, String> {
    let lock = root().join("package-lock.json");
    let installed = root().join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&installed)) {
        (Ok(l), Ok(i)) => i.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh && root().join("node_modules/.bin/wasm-opt").exists() {
        return Ok(Step::Present);
    }
    Ok(Step::Installing(Box::new(|| exec(cmd("npm").args(["ci", "--no-audit", "--no-fund"])))))
}
