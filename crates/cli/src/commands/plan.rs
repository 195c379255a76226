//! `concord plan --tiers TIERS.json --classes K --target 0.999 [--method mv|ds] [--max-overlap N] [--seed S]`
//! `concord plan --pilot --expected A (--minimum M --classes K [--annotators N] | --bundle DIR) [--risk R]
//! [--decide-by RULE] [--studies S] [--replicates N] [--seed S]`
//!
//! TIERS.json: `[{"name", "cost_per_item", "seconds_per_item", "accuracy"}]`; a tier may list `"annotators"`
//! instead of an accuracy, measured then on gold with `--labels FILE.csv --gold GOLD.csv`.

use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::consensus::Method;
use concord_engine::cost::{plan, Tier};
use concord_engine::pilot::{plan_pilot, PilotQuestion};
use concord_engine::resample::BootstrapSettings;
use lexopt::ValueExt;

use crate::input;
use crate::interval_options::IntervalOptions;
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    if args.iter().any(|a| a == "--pilot") {
        return pilot(args.into_iter().filter(|a| a != "--pilot").collect());
    }
    let (mut tiers, mut classes, mut target, mut method, mut max_overlap, mut seed) =
        (None::<PathBuf>, 2usize, 0.99f64, Method::MajorityVote, 9usize, 0u64);
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
                    "mv" => Method::MajorityVote,
                    "ds" => Method::DawidSkene,
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

/// How many items the pilot needs (`engine::pilot::plan_pilot`): the design from `--bundle` (its first control's
/// labels, its overlap, its `workflow.pilot` minimum and rule) or from `--classes`, `--annotators`, `--minimum`.
fn pilot(args: Vec<OsString>) -> Result<String, Failure> {
    let (mut expected, mut risk, mut classes, mut annotators, mut studies) =
        (None::<f64>, 0.2f64, None, None, None::<usize>);
    let mut replicates = None::<usize>;
    let mut intervals = IntervalOptions::default();
    let common = super::parse(args, |name, p| {
        let ours = ["expected", "risk", "classes", "annotators", "studies"];
        if !ours.contains(&name) && !IntervalOptions::knows(name) {
            return Ok(false);
        }
        let v = p.value()?.string()?;
        let bad = |why: &str| Failure::Input(format!("--{name}: `{v}` {why}"));
        match name {
            "expected" => {
                expected = Some(
                    v.parse::<f64>()
                        .ok()
                        .filter(|a| (-1.0..=1.0).contains(a))
                        .ok_or_else(|| bad("is not an α in [-1, 1]"))?,
                )
            }
            "risk" => {
                risk = v
                    .parse::<f64>()
                    .ok()
                    .filter(|r| *r > 0.0 && *r < 0.5)
                    .ok_or_else(|| bad("is not a risk in (0, 0.5)"))?
            }
            "classes" => {
                classes =
                    Some(v.parse::<u32>().ok().filter(|&k| k >= 2).ok_or_else(|| bad("is not a label count ≥ 2"))?)
            }
            "annotators" => {
                annotators = Some(
                    v.parse::<u32>().ok().filter(|&k| k >= 2).ok_or_else(|| bad("is not ≥ 2 annotators per item"))?,
                )
            }
            "studies" => {
                studies =
                    Some(v.parse().ok().filter(|&k| k >= 20).ok_or_else(|| bad("is not a number of studies ≥ 20"))?)
            }
            "replicates" => replicates = Some(v.parse().map_err(|_| bad("is not a whole number"))?),
            _ => return intervals.take(name, &v),
        }
        Ok(true)
    })?;
    let mut rule = intervals.decide_by;
    let mut minimum = intervals.minimum;
    if let Some(dir) = &common.bundle {
        let b = crate::input::bundle(dir)?.0;
        let control = b.project.schema.controls.first();
        classes = classes.or(control.map(|c| c.labels.len() as u32));
        annotators = annotators.or(Some(b.project.workflow.overlap.max(2)));
        if let Some(p) = &b.project.workflow.pilot {
            minimum = minimum.or(Some(p.min_agreement));
            rule = rule.or(Some(p.decide_by));
        }
    }
    let need = |what: &str| Failure::Input(format!("plan --pilot needs {what}"));
    let mut question = PilotQuestion::new(
        classes.ok_or_else(|| need("--classes K (or --bundle DIR)"))?,
        annotators.unwrap_or(3),
        expected.ok_or_else(|| need("--expected A: the α the team expects to reach"))?,
        minimum.ok_or_else(|| need("--minimum M (or a bundle with workflow.pilot)"))?,
        rule.unwrap_or_default(),
        risk,
    );
    question.studies = studies.unwrap_or(question.studies);
    question.bootstrap =
        BootstrapSettings { replicates: replicates.unwrap_or(question.bootstrap.replicates), ..intervals.bootstrap };
    question.seed = intervals.bootstrap.seed;
    if question.bootstrap.replicates < 100 && question.rule != concord_engine::bundle::GateRule::PointEstimate {
        return Err(Failure::Input("--replicates: the gate's interval needs at least 100 replicates".into()));
    }
    Ok(crate::to_json(&plan_pilot(question, |_| {})))
}
