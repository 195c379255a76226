//! Re-annotation triggers: items put back into the queue, each with its trigger and reason.

use crate::sorting::LeanSort;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::drift::Drift;
use crate::sampling::qc::simple_random;

/// One item sent back, to whom (an annotator or tier, when the trigger says), and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requeue {
    /// The item.
    pub item: String,
    /// `drift`, `guideline_change` or `model_conflict`.
    pub trigger: &'static str,
    /// Why, in a sentence.
    pub reason: String,
    /// The annotator whose label is in doubt (drift).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotator: Option<String>,
}

/// One label with when it was made and under which guideline version. It borrows its names from the table they
/// are kept in: a review of a million labels lists them all, and owned names would cost an allocation each.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimedLabel<'a> {
    /// The item.
    pub item: &'a str,
    /// The annotator.
    pub annotator: &'a str,
    /// The label.
    pub label: &'a str,
    /// When (seconds since the epoch).
    pub time: i64,
    /// The guideline version.
    pub version: &'a str,
}

/// The labels of every annotator with a drift alarm, from the start of their first flagged window on: their
/// quality dropped then, so everything since is doubtful. `drift.annotators[a]` belongs to `annotators[a]`.
pub fn drift_requeue(labels: &[TimedLabel<'_>], drift: &Drift, annotators: &[String]) -> Vec<Requeue> {
    let flagged: Vec<(String, i64)> = drift
        .annotators
        .iter()
        .zip(annotators)
        .filter_map(|(series, name)| Some((name.clone(), series.windows.iter().find(|w| w.flagged)?.start)))
        .collect();
    requeue_since(labels, &flagged)
}

/// The labels of each (annotator, since) at or after `since`: what [`drift_requeue`] sends back, for callers that
/// hold the drift windows by name.
pub fn requeue_since(labels: &[TimedLabel<'_>], flagged: &[(String, i64)]) -> Vec<Requeue> {
    let since: BTreeMap<&str, i64> = flagged.iter().map(|(a, t)| (a.as_str(), *t)).collect();
    let mut out: Vec<Requeue> = labels
        .iter()
        .filter_map(|l| {
            let &t = since.get(l.annotator)?;
            (l.time >= t).then(|| Requeue {
                item: l.item.to_string(),
                trigger: "drift",
                reason: format!(
                    "{}'s accuracy on gold dropped significantly from {t} (epoch s); labelled at {}",
                    l.annotator, l.time
                ),
                annotator: Some(l.annotator.to_string()),
            })
        })
        .collect();
    out.lean_sort_by(|a, b| (&a.annotator, &a.item).cmp(&(&b.annotator, &b.item)));
    out
}

/// A guideline change that touches `changed` labels: the items labelled with one of them under an older version
/// (not `current`), a seeded sample of `rate` of them (every one at rate 1), in item order.
pub fn guideline_change_requeue(
    labels: &[TimedLabel<'_>],
    changed: &[String],
    current: &str,
    rate: f64,
    seed: u64,
) -> Vec<Requeue> {
    let changed: BTreeSet<&str> = changed.iter().map(String::as_str).collect();
    let mut affected: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for l in labels.iter().filter(|l| l.version != current && changed.contains(l.label)) {
        affected.entry(l.item).or_insert((l.label, l.version));
    }
    let items: Vec<(&str, (&str, &str))> = affected.into_iter().collect();
    let mut picked = simple_random(items.len(), rate, seed);
    picked.lean_sort();
    picked
        .into_iter()
        .map(|k| {
            let (item, (label, version)) = items[k];
            Requeue {
                item: item.to_string(),
                trigger: "guideline_change",
                reason: format!("labelled `{label}` under guideline {version}; version {current} changed `{label}`"),
                annotator: None,
            }
        })
        .collect()
}

/// The model on the gold set: accuracy of its top label over the gold items it scored, and whether it is below
/// `min_accuracy` (then its confidence should not be trusted to route or to challenge the consensus).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCheck {
    /// Gold items the model scored.
    pub gold_items: usize,
    /// Of those, its top label is right.
    pub correct: usize,
    /// `correct / gold_items`.
    pub accuracy: Option<f64>,
    /// Below the minimum accuracy.
    pub degraded: bool,
}

/// A model prediction: the item, its top label and that label's score.
#[derive(Debug, Clone, PartialEq)]
pub struct TopPrediction {
    /// The item.
    pub item: String,
    /// The model's top label.
    pub label: String,
    /// Its score.
    pub score: f64,
}

/// The model's accuracy on the gold items it scored, against `min_accuracy`.
pub fn model_gold_check(
    predictions: &[TopPrediction],
    gold: &BTreeMap<String, String>,
    min_accuracy: f64,
) -> ModelCheck {
    let scored: Vec<&TopPrediction> = predictions.iter().filter(|p| gold.contains_key(&p.item)).collect();
    let correct = scored.iter().filter(|p| gold[&p.item] == p.label).count();
    let accuracy = (!scored.is_empty()).then(|| correct as f64 / scored.len() as f64);
    ModelCheck { gold_items: scored.len(), correct, accuracy, degraded: accuracy.is_some_and(|a| a < min_accuracy) }
}

/// Items where the model, with a score of at least `min_score`, contradicts the consensus — unless the model
/// failed its gold check (a degraded model's confidence challenges nothing). In item order.
pub fn model_conflict_requeue(
    predictions: &[TopPrediction],
    consensus: &BTreeMap<String, String>,
    min_score: f64,
    check: &ModelCheck,
) -> Vec<Requeue> {
    if check.degraded {
        return Vec::new();
    }
    let mut out: Vec<Requeue> = predictions
        .iter()
        .filter(|p| p.score >= min_score)
        .filter_map(|p| {
            let agreed = consensus.get(&p.item)?;
            (*agreed != p.label).then(|| Requeue {
                item: p.item.clone(),
                trigger: "model_conflict",
                reason: format!("the model says `{}` ({:.2}); the consensus says `{agreed}`", p.label, p.score),
                annotator: None,
            })
        })
        .collect();
    out.lean_sort_by(|a, b| a.item.cmp(&b.item));
    out
}

/// The model's top label per task for choice control `control`: the highest of its `scores` (ties to the label
/// named first in the result), or, without scores, the predicted label at score 1 only when a single label is given.
pub fn top_predictions(predictions: &[crate::bundle::Prediction], control: &str) -> Vec<TopPrediction> {
    predictions
        .iter()
        .filter_map(|p| {
            let given: &[String] = match p.result.0.get(control) {
                Some(crate::model::ControlValue::Choices(c)) => c,
                _ => &[],
            };
            match p.scores.get(control).and_then(|v| v.as_object()) {
                Some(scores) => {
                    let mut best: Option<(&str, f64)> = None;
                    for (l, v) in scores {
                        let v = v.as_f64()?;
                        let better = match best {
                            None => true,
                            Some((bl, bv)) => v > bv || (v == bv && given.first().is_some_and(|g| g == l && g != bl)),
                        };
                        if better {
                            best = Some((l, v));
                        }
                    }
                    best.map(|(l, v)| TopPrediction { item: p.task.clone(), label: l.to_string(), score: v })
                }
                None if given.len() == 1 => {
                    Some(TopPrediction { item: p.task.clone(), label: given[0].clone(), score: 1.0 })
                }
                None => None,
            }
        })
        .collect()
}

/// Item → the number of regions (spans, boxes, polygons) a prediction proposes over all its controls: the
/// `objects` signal of tiered routing.
pub fn predicted_objects(predictions: &[crate::bundle::Prediction]) -> BTreeMap<String, usize> {
    use crate::model::ControlValue;
    predictions
        .iter()
        .map(|p| {
            let n = p.result.0.values().filter(|v| !matches!(v, ControlValue::Choices(_))).map(|v| v.len()).sum();
            (p.task.clone(), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Item → label of the gold items that give exactly one label for choice control `control`.
pub fn choice_gold(gold: &[crate::bundle::GoldItem], control: &str) -> BTreeMap<String, String> {
    gold.iter()
        .filter_map(|g| match g.result.0.get(control) {
            Some(crate::model::ControlValue::Choices(c)) if c.len() == 1 => Some((g.task.clone(), c[0].clone())),
            _ => None,
        })
        .collect()
}

/// Every stamped label of a table as a [`TimedLabel`] (the triggers' input).
pub fn timed_labels<'a>(
    table: &'a crate::model::CategoricalTable,
    stamps: &'a crate::model::Stamps,
) -> Vec<TimedLabel<'a>> {
    stamps
        .rows
        .iter()
        .filter_map(|s| {
            let i = s.item as usize;
            let k = table.annotators_of(i).iter().position(|&a| a == s.annotator)?;
            Some(TimedLabel {
                item: table.items.name(s.item),
                annotator: table.annotators.name(s.annotator),
                label: table.labels.name(table.labels_of(i)[k]),
                time: s.time,
                version: stamps.versions.name(s.version),
            })
        })
        .collect()
}

/// The labels a guideline change touches: those whose section (`label_sections`: label → `#anchor`) was added,
/// changed or removed between two versions (`engine::guidelines::diff_guidelines`).
pub fn labels_touched(
    diff: &[crate::guidelines::SectionDiff],
    label_sections: &BTreeMap<String, String>,
) -> Vec<String> {
    use crate::guidelines::SectionChange;
    let touched: BTreeSet<&str> =
        diff.iter().filter(|s| s.change != SectionChange::Unchanged).map(|s| s.anchor.as_str()).collect();
    label_sections.iter().filter(|(_, s)| touched.contains(s.as_str())).map(|(l, _)| l.clone()).collect()
}

/// One line of `requeue.jsonl`: a task sent back, by which trigger, why, and to whom (no annotator: to anyone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequeueLine {
    /// The task.
    pub task: String,
    /// Which trigger: `drift`, `guideline_change` or `model_conflict`.
    pub trigger: String,
    /// Why, in a sentence.
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// To whom (none: anyone).
    pub annotator: Option<String>,
}

/// `requeue.jsonl`: one [`RequeueLine`] per sent-back label, in order.
pub fn write_requeue(items: &[Requeue]) -> String {
    let mut out = String::new();
    for r in items {
        let line = RequeueLine {
            task: r.item.clone(),
            trigger: r.trigger.to_string(),
            reason: r.reason.clone(),
            annotator: r.annotator.clone(),
        };
        out.push_str(&serde_json::to_string(&line).expect("lines serialize"));
        out.push('\n');
    }
    out
}

/// Reads `requeue.jsonl`; an error names the line and the field.
pub fn parse_requeue(file: &str, text: &str) -> Result<Vec<RequeueLine>, crate::InputError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let l: RequeueLine =
            crate::json_path::from_str(line).map_err(|e| crate::InputError::from_path_error(file, Some(i + 1), e))?;
        if l.task.trim().is_empty() {
            return Err(crate::InputError::at_line(file, i + 1, "`task` must not be empty"));
        }
        out.push(l);
    }
    Ok(out)
}

/// The tasks sent back to `annotator` (lines for them, or for anyone), first reason per task, in file order.
pub fn sent_back_to(lines: &[RequeueLine], annotator: &str) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    lines
        .iter()
        .filter(|l| l.annotator.as_deref().is_none_or(|a| a == annotator))
        .filter(|l| seen.insert(l.task.clone()))
        .map(|l| (l.task.clone(), l.reason.clone()))
        .collect()
}

/// An annotator's queue with the tasks sent back to them first: [`sent_back_first`]'s answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentBackQueue {
    /// Every task's position in the project, once: the tasks sent back, in the order they were sent, then the
    /// others in project order.
    pub order: Vec<usize>,
    /// How many of `order` lead it (sent back and in the project).
    pub first: usize,
    /// Tasks sent back that the project does not have (left out).
    pub unknown: usize,
    /// The reason of each task that leads, as `(task, reason)` in the same order.
    pub reasons: Vec<(String, String)>,
}

/// The queue of a project whose tasks are `task_ids` (in project order) with `back` ([`sent_back_to`]'s tasks and
/// reasons) put first.
pub fn sent_back_first(task_ids: &[&str], back: Vec<(String, String)>) -> SentBackQueue {
    let index: std::collections::HashMap<&str, usize> = task_ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut placed = vec![false; task_ids.len()];
    let (mut order, mut reasons, mut unknown) = (Vec::with_capacity(task_ids.len()), Vec::new(), 0);
    for (task, reason) in back {
        match index.get(task.as_str()) {
            Some(&i) if !std::mem::replace(&mut placed[i], true) => {
                order.push(i);
                reasons.push((task, reason));
            }
            Some(_) => {}
            None => unknown += 1,
        }
    }
    let first = order.len();
    order.extend((0..task_ids.len()).filter(|&i| !placed[i]));
    SentBackQueue { order, first, unknown, reasons }
}

/// A model's gold check and its conflicts with the consensus, from its predictions for choice control `control`
/// (the shipped model's, or the model review mode trains on the batch's labels), under `trust`.
pub fn model_review(
    predictions: &[crate::bundle::Prediction],
    control: &str,
    consensus: &BTreeMap<String, String>,
    gold: &BTreeMap<String, String>,
    trust: &crate::bundle::ModelTrust,
) -> (ModelCheck, Vec<Requeue>) {
    let top = top_predictions(predictions, control);
    let check = model_gold_check(&top, gold, trust.min_gold_accuracy);
    let conflicts = model_conflict_requeue(&top, consensus, trust.min_conflict_score, &check);
    (check, conflicts)
}
