//! Access to the shared test vectors (`../shared/testdata/`, beside the repository). A fresh clone does not have
//! them: tests that need them skip with a message instead of failing.

#![allow(dead_code)]

use std::path::PathBuf;

pub fn shared_dir(sub: &str) -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(sub);
    if root.is_dir() {
        Some(root)
    } else {
        eprintln!("skipped: {} is absent", root.display());
        None
    }
}

pub fn expected() -> Option<serde_json::Value> {
    let dir = shared_dir("testdata/published")?;
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    Some(serde_json::from_str(&text).expect("expected.json is JSON"))
}

pub fn published_file(name: &str) -> Option<PathBuf> {
    Some(shared_dir("testdata/published")?.join(name))
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
