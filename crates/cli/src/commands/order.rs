//! `concord order --bundle DIR [--strategy least-confidence|margin|entropy] [--control C]` — the unlabeled queue
//! by model uncertainty (from the bundle's predictions);
//! `concord order FILE.csv --strategy vote-entropy` — items by annotator disagreement;
//! `concord order FILE.csv --bundle DIR --strategy model-conflict [--min-score 0.9]` — items where a confident
//! model disagrees with the majority label.

use std::collections::HashMap;
use std::ffi::OsString;

use concord_engine::consensus::majority_vote;
use concord_engine::sampling::{model_conflicts, order_by_disagreement, order_by_uncertainty, Uncertainty};
use lexopt::ValueExt;
use serde_json::json;

use crate::input::{load, Dataset};
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let (mut strategy, mut min_score) = (String::from("least-confidence"), 0.9f64);
    let common = super::parse(args, |name, p| {
        match name {
            "strategy" => strategy = p.value()?.string()?,
            "min-score" => {
                min_score =
                    p.value()?.string()?.parse().map_err(|_| Failure::Input("--min-score: expected a number".into()))?
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    if strategy == "vote-entropy" {
        let Dataset::Categorical(t) = load(&common.files, common.format.as_deref(), Default::default())?.1 else {
            return Err(Failure::Input("vote-entropy reads long-format CSV".into()));
        };
        let order: Vec<_> =
            order_by_disagreement(&t).into_iter().map(|(i, h)| json!({"item": t.items.name(i), "score": h})).collect();
        return Ok(crate::to_json(&json!({"strategy": strategy, "order": order})));
    }
    let dir = common
        .bundle
        .clone()
        .ok_or_else(|| Failure::Input(format!("--strategy {strategy} needs --bundle DIR (its predictions)")))?;
    let b = crate::input::bundle(&dir)?.0;
    let control = common
        .control
        .clone()
        .or_else(|| b.project.schema.controls.iter().find(|c| c.kind.is_choice()).map(|c| c.name.clone()))
        .ok_or_else(|| Failure::Input("the schema has no choice control; give --control".into()))?;
    // Class probabilities per predicted task, in task order.
    let scored: Vec<(&str, Vec<(String, f64)>)> = b
        .predictions
        .iter()
        .filter_map(|p| {
            let m = p.scores.get(&control)?.as_object()?;
            Some((p.task.as_str(), m.iter().filter_map(|(l, v)| Some((l.clone(), v.as_f64()?))).collect()))
        })
        .collect();
    if scored.is_empty() {
        return Err(Failure::Input(format!("{}: no predictions with scores for control `{control}`", dir.display())));
    }
    if strategy == "model-conflict" {
        let Dataset::Categorical(t) = load(&common.files, common.format.as_deref(), Default::default())?.1 else {
            return Err(Failure::Input("model-conflict reads annotations as long-format CSV".into()));
        };
        let mv = majority_vote(&t, None).report(&t);
        let top: Vec<(String, f64)> = scored
            .iter()
            .map(|(_, s)| s.iter().max_by(|a, b| a.1.total_cmp(&b.1)).cloned().unwrap_or_default())
            .collect();
        let consensus: Vec<Option<String>> = scored.iter().map(|(task, _)| mv.labels.get(*task).cloned()).collect();
        let out: Vec<_> = model_conflicts(&top, &consensus, min_score)
            .into_iter()
            .map(|(i, ml, p, c)| json!({"task": scored[i].0, "model": ml, "score": p, "consensus": c}))
            .collect();
        return Ok(crate::to_json(&json!({"strategy": strategy, "min_score": min_score, "order": out})));
    }
    let which = match strategy.as_str() {
        "least-confidence" => Uncertainty::LeastConfidence,
        "margin" => Uncertainty::Margin,
        "entropy" => Uncertainty::Entropy,
        other => {
            return Err(Failure::Input(format!(
                "unknown --strategy `{other}` (least-confidence, margin, entropy, vote-entropy, model-conflict)"
            )))
        }
    };
    let probs: Vec<Vec<f64>> = scored.iter().map(|(_, s)| s.iter().map(|x| x.1).collect()).collect();
    let position: HashMap<&str, usize> = b.tasks.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let order: Vec<_> = order_by_uncertainty(&probs, which)
        .into_iter()
        .map(|(i, s)| json!({"task": scored[i].0, "position": position.get(scored[i].0), "score": s}))
        .collect();
    Ok(crate::to_json(&json!({"strategy": strategy, "control": control, "order": order})))
}
