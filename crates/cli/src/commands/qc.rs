//! `concord qc FILE... [--rate PERCENT] [--seed S] [--threshold PERCENT] [--checks CHECKS.json]` — the QC sample
//! review mode draws from a batch (its items; the rate and seed of the project's workflow with --bundle, else 10 % and 1),
//! and, with the checks made on it (a QA report downloaded from review mode, or a JSON array of checks), the pass
//! rate with its Wilson interval and the batch's verdict — `engine::qc`, as review mode computes them.

use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::qc::{qc_report, qc_sample, QcCheck};
use concord_engine::InputError;
use lexopt::ValueExt;
use serde_json::json;

use crate::input;
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let (mut rate, mut seed, mut threshold, mut checks_path) = (None::<f64>, None::<u64>, 95.0f64, None::<PathBuf>);
    let common = super::parse(args, |name, p| {
        let v = p.value()?.string()?;
        let percent = |v: &str| -> Result<f64, Failure> {
            v.parse::<f64>()
                .ok()
                .filter(|x| (0.0..=100.0).contains(x))
                .ok_or_else(|| Failure::Input(format!("--{name}: `{v}` is not a percentage in [0, 100]")))
        };
        match name {
            "rate" => rate = Some(percent(&v)?),
            "threshold" => threshold = percent(&v)?,
            "seed" => {
                seed = Some(v.parse().map_err(|_| Failure::Input(format!("--seed: `{v}` is not a whole number")))?)
            }
            "checks" => checks_path = Some(PathBuf::from(v)),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let table =
        input::categorical(&common, "qc samples items of choice labels (CSV, Label Studio choices, Concord logs)")?;
    // The items that have labels, by name: what review mode samples from (its consensus's items, in name order).
    let mut items: Vec<String> = (0..table.n_items())
        .filter(|&i| !table.labels_of(i).is_empty())
        .map(|i| table.items.name(i as u32).to_string())
        .collect();
    items.sort_unstable();
    // Review mode's defaults: the project's QC rate and seed with a bundle, else 10 % and seed 1.
    let workflow = match common.bundle.as_deref() {
        Some(dir) => Some(input::bundle(dir)?.0.project.workflow),
        None => None,
    };
    let rate = rate.unwrap_or_else(|| workflow.as_ref().map_or(10.0, |w| 100.0 * w.qc_sample_rate));
    let seed = seed.unwrap_or_else(|| workflow.as_ref().map_or(1, |w| w.seed));
    let sample = qc_sample(&items, rate / 100.0, seed);
    let checks = match &checks_path {
        Some(path) => read_checks(path)?,
        None => Vec::new(),
    };
    let report = qc_report(&sample, &checks, threshold / 100.0);
    Ok(crate::to_json(&json!({ "rate": rate, "seed": seed, "sample": sample, "report": report })))
}

/// Checks from a QA report (`qc_checks`) or a bare JSON array of checks.
fn read_checks(path: &PathBuf) -> Result<Vec<QcCheck>, Failure> {
    let name = path.display().to_string();
    let text = input::read_to_string(path)?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| InputError::from_json(&name, &e))?;
    let (list, at) = match value.get("qc_checks") {
        Some(list) => (list.clone(), "$.qc_checks"),
        None if value.is_array() => (value, "$"),
        None => {
            return Err(Failure::Input(format!(
                "{name}: neither a QA report (with `qc_checks`) nor an array of checks"
            )))
        }
    };
    serde_json::from_value(list).map_err(|e| Failure::Input(format!("{name}: {at}: {e}")))
}
