//! `concord coverage [--items 50,200,1000] [--alpha A] [--classes K] [--annotators N] [--studies S]
//! [--replicates R] [--seed S] [--level L] [--method item|hayes-krippendorff|both] [--markdown]`
//!
//! How often α's interval covers the population α, over simulated studies with a known α (`engine::pilot`).

use std::ffi::OsString;

use concord_engine::pilot::{simulate_coverage, Coverage, IntervalMethod, StudyDesign};
use lexopt::ValueExt;

use crate::interval_options::IntervalOptions;
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut sizes = vec![50usize, 200, 1000];
    let (mut alpha, mut classes, mut annotators, mut studies) = (0.64f64, 20u32, 3u32, 1000usize);
    let mut methods = vec![IntervalMethod::ItemBootstrap, IntervalMethod::HayesKrippendorff];
    let mut markdown = false;
    let mut intervals = IntervalOptions::default();
    intervals.bootstrap.seed = 7;
    let mut p = lexopt::Parser::from_args(args);
    while let Some(arg) = p.next()? {
        let lexopt::Arg::Long(name) = arg else {
            return Err(Failure::Input(format!("unexpected {}", arg.unexpected())));
        };
        let name = name.to_string();
        if name == "markdown" {
            markdown = true;
            continue;
        }
        let v = p.value()?.string()?;
        let bad = |why: &str| Failure::Input(format!("--{name}: `{v}` {why}"));
        match name.as_str() {
            "items" => {
                sizes = v
                    .split(',')
                    .map(|x| x.trim().parse::<usize>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| bad("is not a list of item counts, e.g. 50,200,1000"))?;
                if sizes.iter().any(|&n| n < 2) {
                    return Err(bad("has a size below 2 items"));
                }
            }
            "alpha" => {
                alpha = v.parse().map_err(|_| bad("is not a number"))?;
                if !(alpha > 0.0 && alpha <= 1.0) {
                    return Err(bad("is not a population α in (0, 1]"));
                }
            }
            "classes" => classes = v.parse().ok().filter(|&k| k >= 2).ok_or_else(|| bad("is not a label count ≥ 2"))?,
            "annotators" => {
                annotators = v.parse().ok().filter(|&k| k >= 2).ok_or_else(|| bad("is not ≥ 2 annotators per item"))?
            }
            "studies" => {
                studies = v.parse().ok().filter(|&k| k >= 1).ok_or_else(|| bad("is not a number of studies ≥ 1"))?
            }
            "method" => {
                methods = match v.as_str() {
                    "item" => vec![IntervalMethod::ItemBootstrap],
                    "hayes-krippendorff" => vec![IntervalMethod::HayesKrippendorff],
                    "both" => vec![IntervalMethod::ItemBootstrap, IntervalMethod::HayesKrippendorff],
                    _ => return Err(bad("is not item, hayes-krippendorff or both")),
                }
            }
            _ if intervals.take(&name, &v)? => {}
            _ => return Err(Failure::Input(format!("unknown option --{name}"))),
        }
    }
    if intervals.bootstrap.replicates < 100 {
        return Err(Failure::Input("--replicates: a percentile interval needs at least 100 replicates".into()));
    }
    let mut rows = Vec::new();
    for &items in &sizes {
        for &method in &methods {
            let design = StudyDesign { items, labels: classes, annotators, population_alpha: alpha };
            rows.push(simulate_coverage(design, method, studies, intervals.bootstrap, intervals.bootstrap.seed));
        }
    }
    Ok(if markdown { table(&rows) } else { crate::to_json(&rows) })
}

fn table(rows: &[Coverage]) -> String {
    let mut s = String::from(
        "| items | method | coverage | interval above α₀ | below α₀ | mean α | mean width |\n|---:|---|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let method = match r.method {
            IntervalMethod::ItemBootstrap => "item bootstrap",
            IntervalMethod::HayesKrippendorff => "Hayes & Krippendorff",
        };
        s.push_str(&format!(
            "| {} | {method} | {:.1} % | {} | {} | {:.3} | {:.3} |\n",
            r.items,
            100.0 * r.coverage,
            r.missed_above,
            r.missed_below,
            r.mean_alpha,
            r.mean_width
        ));
    }
    s
}
