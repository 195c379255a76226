//! `concord plan --tiers TIERS.json --classes K --target 0.999 [--method mv|ds] [--max-overlap N] [--seed S]`
//!
//! TIERS.json: `[{"name", "cost_per_item", "seconds_per_item", "accuracy"}]`; a tier may list `"annotators"`
//! instead of an accuracy, measured then on gold with `--labels FILE.csv --gold GOLD.csv`.

use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::cost::{plan, Method, Tier};
use lexopt::ValueExt;

use crate::input;
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let (mut tiers, mut classes, mut target, mut method, mut max_overlap, mut seed) =
        (None::<PathBuf>, 2usize, 0.99f64, Method::Mv, 9usize, 0u64);
    let (mut labels, mut gold) = (None::<PathBuf>, None::<PathBuf>);
    super::parse(args, |name, p| {
        let v = p.value()?.string()?;
        let bad = || Failure::Input(format!("--{name}: `{v}` is not valid"));
        match name {
            "tiers" => tiers = Some(PathBuf::from(&v)),
            "labels" => labels = Some(PathBuf::from(&v)),
            "gold" => gold = Some(PathBuf::from(&v)),
            "classes" => classes = v.parse().map_err(|_| bad())?,
            "target" => target = v.parse().map_err(|_| bad())?,
            "max-overlap" => max_overlap = v.parse().map_err(|_| bad())?,
            "seed" => seed = v.parse().map_err(|_| bad())?,
            "method" => {
                method = match v.as_str() {
                    "mv" => Method::Mv,
                    "ds" => Method::Ds,
                    _ => return Err(bad()),
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let path = tiers.ok_or_else(|| Failure::Input("--tiers TIERS.json is required".into()))?;
    let name = path.display().to_string();
    let text = input::read_to_string(&path)?;
    let tiers: Vec<Tier> = concord_engine::json_path::from_str(&text)
        .map_err(|e| Failure::Input(format!("{name}: {}: {}", e.path(), e.inner())))?;
    if let Some((i, t)) =
        tiers.iter().enumerate().find(|(_, t)| !(0.0..=1.0).contains(&t.accuracy) || t.cost_per_item < 0.0)
    {
        return Err(Failure::Input(format!("{name}: $[{i}] ({}): accuracy must be in [0, 1] and cost ≥ 0", t.name)));
    }
    if classes < 2 {
        return Err(Failure::Input("--classes must be at least 2".into()));
    }
    Ok(crate::to_json(&plan(&tiers, classes, target, method, max_overlap, seed)))
}
