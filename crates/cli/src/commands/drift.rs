//! `concord drift FILE.csv --gold GOLD.csv [--window day|week|N] [--alpha A] [--min-drop D] [--bundle DIR]`
//!
//! FILE is long format with a `time` column (ISO-8601 or epoch seconds) and optionally `guideline_version`; each
//! annotation of a gold item is checked, and accuracy is tracked per annotator over windows. `versions` is review
//! mode's table per guideline version (`review::figures_by_version`): agreement, and by guideline section (from the
//! bundle's schema with `--bundle`) errors on gold and pairwise agreement.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::drift::{drift, DriftOptions, Observation, Window};
use concord_engine::formats::csv_long::{read_gold_csv, read_long_csv_stamped, read_timed_rows};
use concord_engine::formats::merge::merge_gold;
use concord_engine::model::{Interner, TableBuilder};
use concord_engine::review::figures_by_version;
use lexopt::ValueExt;
use serde_json::json;

use crate::input;
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut gold: Option<PathBuf> = None;
    let mut opts = DriftOptions::default();
    let common = super::parse(args, |name, p| {
        let num = |p: &mut lexopt::Parser| -> Result<f64, Failure> {
            p.value()?.string()?.parse().map_err(|_| Failure::Input(format!("--{name}: expected a number")))
        };
        match name {
            "gold" => gold = Some(PathBuf::from(p.value()?)),
            "alpha" => opts.alpha = num(p)?,
            "min-drop" => opts.min_drop = num(p)?,
            "window" => {
                opts.window = match p.value()?.string()?.as_str() {
                    "day" => Window::Seconds(86_400),
                    "week" => Window::Seconds(7 * 86_400),
                    n => Window::Count(
                        n.parse()
                            .map_err(|_| Failure::Input("--window: day, week or a number of annotations".into()))?,
                    ),
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let gold = gold.ok_or_else(|| Failure::Input("--gold GOLD.csv is required".into()))?;
    let [file] = common.files.as_slice() else { return Err(Failure::Input("give one annotations file".into())) };
    let rows = read_timed_rows(&file.display().to_string(), input::open(file)?)?;
    // The engine's gold reader checks the header and duplicate items; it needs the items and labels interned.
    let mut builder = TableBuilder::new();
    for (k, r) in rows.iter().enumerate() {
        builder.push(&r.item, &format!("row{k}"), &r.label);
    }
    let mut table = builder.finish().map_err(|d| Failure::Other(format!("row {} repeats", d.second)))?;
    let truth = read_gold_csv(&gold.display().to_string(), input::open(&gold)?, &mut table)?;
    let (mut annotators, mut versions) = (Interner::default(), Interner::default());
    let observations: Vec<Observation> = rows
        .iter()
        .filter_map(|r| {
            let item = table.items.get(&r.item)?;
            let want = (*truth.get(item as usize)?)?;
            Some(Observation {
                annotator: annotators.intern(&r.annotator),
                time: r.time,
                correct: table.labels.get(&r.label) == Some(want),
                version: versions.intern(&r.guideline_version),
            })
        })
        .collect();
    let d = drift(&observations, annotators.len(), opts);
    // The version table reads the labels as review mode does: one per annotator and item, with its stamp. Drift
    // also takes an item labelled again later by the same annotator; then the table is left out, saying why.
    let label_sections = match &common.bundle {
        Some(dir) => input::bundle(dir)?.0.project.schema.label_sections(),
        None => BTreeMap::new(),
    };
    let (by_guideline, why_not) = match read_long_csv_stamped(&file.display().to_string(), input::open(file)?) {
        Ok((mut stamped, stamps)) => {
            let gold_name = gold.display().to_string();
            let gold_of_stamped = read_gold_csv(&gold_name, input::open(&gold)?, &mut stamped)?;
            let gold_of_stamped = merge_gold(&stamped, &[(gold_name, gold_of_stamped)])?;
            (Some(figures_by_version(&stamped, &stamps, &gold_of_stamped, &label_sections)), None)
        }
        Err(e) => (None, Some(format!("no table per guideline version: {e}"))),
    };
    let series = |s: &concord_engine::drift::DriftSeries| {
        let by_version: BTreeMap<&str, _> = s.by_version.iter().map(|(v, st)| (versions.name(*v), st)).collect();
        json!({"windows": s.windows, "by_version": by_version, "flagged": s.windows.iter().filter(|w| w.flagged).count()})
    };
    let per: BTreeMap<&str, _> =
        d.annotators.iter().enumerate().map(|(a, s)| (annotators.name(a as u32), series(s))).collect();
    Ok(crate::to_json(&json!({
        "gold_checks": observations.len(), "overall": series(&d.overall), "annotators": per, "versions": by_guideline,
        "versions_left_out": why_not
    })))
}
