//! `concord sample FILE.csv [--rate 0.1 | --margin 0.05 [--confidence 0.95]] [--seed S] [--by annotator|label]`
//!
//! A reproducible QC sample of the items in FILE (by default), of annotations stratified by annotator, or of items
//! stratified by their majority label. `--margin` sizes the sample for that margin of error (Cochran).
//!
//! `concord sample --bundle DIR --pilot` — the pilot/calibration batch (`workflow.pilot.size` tasks, the project's
//! seed), stratified by the model's predicted label when the bundle has predictions.
//! `concord sample --honeypots ann=200,bob=50 --gold-items 30 --rate 0.05 [--seed S]` — where hidden gold items go
//! in each annotator's queue.

use std::ffi::OsString;

use concord_engine::consensus::majority_vote;
use concord_engine::sampling::{sample_size, simple_random, stratified};
use lexopt::ValueExt;
use serde_json::json;

use crate::input::{load, Dataset};
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let (mut rate, mut margin, mut confidence, mut seed, mut by) = (0.1f64, None::<f64>, 0.95f64, 0u64, None::<String>);
    let (mut pilot, mut honeypots, mut gold_items) = (false, None::<String>, 0usize);
    let common = super::parse(args, |name, p| {
        let num = |p: &mut lexopt::Parser| -> Result<f64, Failure> {
            p.value()?.string()?.parse().map_err(|_| Failure::Input(format!("--{name}: expected a number")))
        };
        match name {
            "rate" => rate = num(p)?,
            "margin" => margin = Some(num(p)?),
            "confidence" => confidence = num(p)?,
            "seed" => {
                seed = p
                    .value()?
                    .string()?
                    .parse()
                    .map_err(|_| Failure::Input("--seed: expected a whole number".into()))?
            }
            "by" => by = Some(p.value()?.string()?),
            "pilot" => pilot = true,
            "honeypots" => honeypots = Some(p.value()?.string()?),
            "gold-items" => {
                gold_items = p
                    .value()?
                    .string()?
                    .parse()
                    .map_err(|_| Failure::Input("--gold-items: expected a whole number".into()))?
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    if let Some(queues) = honeypots {
        let queues: Vec<(String, usize)> = queues
            .split(',')
            .map(|q| {
                let (name, n) = q
                    .split_once('=')
                    .ok_or_else(|| Failure::Input(format!("--honeypots: `{q}` is not NAME=QUEUE_LENGTH")))?;
                Ok((
                    name.trim().to_string(),
                    n.trim().parse().map_err(|_| Failure::Input(format!("--honeypots: `{n}` is not a number")))?,
                ))
            })
            .collect::<Result<_, Failure>>()?;
        if gold_items == 0 {
            return Err(Failure::Input("--honeypots needs --gold-items N (the number of hidden gold items)".into()));
        }
        let slots = concord_engine::sampling::place_honeypots(&queues, gold_items, rate, seed);
        return Ok(crate::to_json(&json!({"rate": rate, "seed": seed, "slots": slots})));
    }
    if pilot {
        let dir = common.bundle.clone().ok_or_else(|| Failure::Input("--pilot needs --bundle DIR".into()))?;
        let b = crate::input::bundle(&dir)?.0;
        let size = b
            .project
            .workflow
            .pilot
            .as_ref()
            .map(|p| p.size)
            .ok_or_else(|| Failure::Input(format!("{}: project.json has no workflow.pilot", dir.display())))?;
        let predicted: std::collections::HashMap<&str, String> = b
            .predictions
            .iter()
            .filter_map(|p| {
                p.result.0.values().find_map(|v| match v {
                    concord_engine::model::ControlValue::Choices(c) => c.first().map(|l| (p.task.as_str(), l.clone())),
                    _ => None,
                })
            })
            .collect();
        let strata: Option<Vec<String>> = (!predicted.is_empty())
            .then(|| b.tasks.iter().map(|t| predicted.get(t.id.as_str()).cloned().unwrap_or_default()).collect());
        let picked =
            concord_engine::sampling::pilot_subset(b.tasks.len(), size, strata.as_deref(), b.project.workflow.seed);
        let tasks: Vec<&str> = picked.iter().map(|&i| b.tasks[i].id.as_str()).collect();
        return Ok(crate::to_json(&json!({"pilot_size": tasks.len(), "seed": b.project.workflow.seed,
                                         "stratified_by_prediction": strata.is_some(), "tasks": tasks})));
    }
    let Dataset::Categorical(table) = load(&common.files, common.format.as_deref(), Default::default())?.1 else {
        return Err(Failure::Input("sampling reads long-format CSV (item,annotator,label)".into()));
    };
    let units: Vec<(String, Option<String>)> = match by.as_deref() {
        Some("annotator") => table
            .rows()
            .map(|(i, a, _)| (table.items.name(i).to_string(), Some(table.annotators.name(a).to_string())))
            .collect(),
        _ => (0..table.n_items()).map(|i| (table.items.name(i as u32).to_string(), None)).collect(),
    };
    let n = units.len();
    let rate = match margin {
        Some(e) => sample_size(n, e, confidence, 0.5) as f64 / n.max(1) as f64,
        None => rate,
    };
    let picked = match by.as_deref() {
        None => simple_random(n, rate, seed),
        Some("annotator") => stratified(&units.iter().map(|u| u.1.clone().unwrap()).collect::<Vec<_>>(), rate, seed),
        Some("label") => {
            let mv = majority_vote(&table, None);
            let strata: Vec<u32> = (0..n).map(|i| mv.labels[i].unwrap_or(u32::MAX)).collect();
            stratified(&strata, rate, seed)
        }
        Some(other) => return Err(Failure::Input(format!("--by `{other}`: expected annotator or label"))),
    };
    let items: Vec<_> = picked
        .iter()
        .map(|&i| match &units[i] {
            (item, Some(a)) => json!({"item": item, "annotator": a}),
            (item, None) => json!(item),
        })
        .collect();
    Ok(crate::to_json(&json!({"population": n, "sample_size": items.len(), "seed": seed,
                               "stratified_by": by, "items": items})))
}
