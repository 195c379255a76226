//! `concord review FILE... [--gold GOLD.csv] [--pool-agreement A] [--pool-max N]` — what review mode opens with for a
//! batch of categorical labels: agreement, the Dawid–Skene consensus, the arbitration pool, accuracy on the hidden
//! gold (the engine's `review::BatchReport`, which review mode's import worker builds too).

use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::formats::csv_long::read_gold_csv;
use concord_engine::formats::merge::merge_gold;
use concord_engine::review::{BatchReport, ReviewOptions};
use lexopt::ValueExt;

use crate::input;
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut gold_path: Option<PathBuf> = None;
    let mut options = ReviewOptions::default();
    let common = super::parse(args, |name, p| {
        let mut v = || -> Result<String, Failure> { Ok(p.value()?.string()?) };
        match name {
            "gold" => gold_path = Some(PathBuf::from(v()?)),
            "pool-agreement" => {
                let a = v()?;
                options.pool_agreement = a
                    .parse()
                    .ok()
                    .filter(|x: &f64| (0.0..=1.0).contains(x))
                    .ok_or_else(|| Failure::Input(format!("--pool-agreement: `{a}` is not a share in [0, 1]")))?
            }
            "pool-max" => {
                let n = v()?;
                options.pool_max =
                    n.parse().map_err(|_| Failure::Input(format!("--pool-max: `{n}` is not a whole number")))?
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let mut table = input::categorical(
        &common,
        "review reports on choice labels (CSV, Label Studio choices, Concord logs); for spans and boxes use \
             `concord agreement` and `concord aggregate`",
    )?;
    // The labels first; the gold is read into the table after (it may name items and labels nobody gave).
    let report = BatchReport::build(&table, &options)?;
    let report = match gold_path {
        Some(path) => {
            let name = path.display().to_string();
            let gold = read_gold_csv(&name, input::open(&path)?, &mut table)?;
            let aligned = merge_gold(&table, &[(name, gold)])?;
            report.with_gold(&table, &aligned)?
        }
        None => report,
    };
    Ok(crate::to_json(&report))
}
