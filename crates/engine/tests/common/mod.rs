//! Test data: the published vectors, kept in the repository (`tests/data/published/`, with their sources in its
//! README), so every clone checks them; and the real Label Studio exports beside the repository
//! (`../shared/fixtures/`), which a local run without them skips with a message and a CI run (`CI=true`) fails.

#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared/<sub>`, beside the repository. Absent: `None` with a message, or a failure under `CI=true`.
pub fn shared_dir(sub: &str) -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(sub);
    if root.is_dir() {
        Some(root)
    } else if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} is absent, and CI needs it", root.display());
    } else {
        eprintln!("skipped: {} is absent", root.display());
        None
    }
}

fn published_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/published")
}

/// The published values (`expected.json`), kept in the repository: every clone checks them.
pub fn expected() -> serde_json::Value {
    let text =
        std::fs::read_to_string(published_dir().join("expected.json")).expect("tests/data/published/expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

/// A file of the published vectors, kept in the repository (a missing one fails the test).
pub fn published_file(name: &str) -> PathBuf {
    let p = published_dir().join(name);
    assert!(p.is_file(), "{} is missing from the repository", p.display());
    p
}

#[track_caller]
pub fn close(actual: Option<f64>, expected: f64, tol: f64, what: &str) {
    let a = actual.unwrap_or_else(|| panic!("{what}: got null, expected {expected}"));
    assert!((a - expected).abs() <= tol, "{what}: got {a}, expected {expected} (tolerance {tol})");
}

/// A published value quoted to `digits` decimals: our value rounded the same way must equal it.
#[track_caller]
pub fn published(actual: Option<f64>, expected: f64, digits: i32, what: &str) {
    let a = actual.unwrap_or_else(|| panic!("{what}: got null, expected {expected}"));
    let scale = 10f64.powi(digits);
    assert_eq!((a * scale).round() / scale, expected, "{what}: {a} does not round to the published {expected}");
}
