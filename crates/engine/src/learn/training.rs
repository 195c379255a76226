//! Training a project's learner on a sequence of labels, with its learning curve: the gold accuracy after chosen
//! numbers of labels. `concord learn` and review mode's model panel both run it, so the curve and the model are the
//! same for the same labels in the same order.

use std::collections::HashMap;

use serde::Serialize;

use super::project::{Evaluation, ProjectLearner, Sample};
use crate::bundle::{Embeddings, GoldItem};
use crate::model::{CategoricalTable, Stamps, Task, TaskResult};

/// One point of a learning curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    /// Labels learned from so far (those the learner could read).
    pub labels: usize,
    /// The model on the gold then.
    pub gold: Evaluation,
}

/// What a training run did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Training {
    /// Labels given.
    pub labels: usize,
    /// Labels learned from (a label for a control the learner does not learn, or a task it cannot read, teaches
    /// nothing).
    pub learned: usize,
    /// The gold accuracy after each count asked for (counts beyond the labels given are left out).
    pub curve: Vec<CurvePoint>,
}

/// Trains `learner` on `labels` — (task id, result) in the order they were made — scoring it on `gold` after the
/// first `n` labels for each `n` in `at`. An unknown task id is an error naming it.
pub fn train(
    learner: &mut ProjectLearner,
    tasks: &[Task],
    embeddings: Option<&Embeddings>,
    labels: &[(String, TaskResult)],
    gold: &[GoldItem],
    at: &[usize],
) -> Result<Training, String> {
    let index: HashMap<&str, &Task> = tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let (mut learned, mut curve) = (0, Vec::new());
    for (k, (task, result)) in labels.iter().enumerate() {
        let task = index
            .get(task.as_str())
            .ok_or_else(|| format!("a label for task `{task}`, which the project does not have"))?;
        learned += usize::from(learner.learn(Sample::of(task, embeddings), result));
        if at.contains(&(k + 1)) {
            curve.push(CurvePoint { labels: k + 1, gold: learner.evaluate(tasks, embeddings, gold) });
        }
    }
    Ok(Training { labels: labels.len(), learned, curve })
}

/// A table's labels as results of `control`, in the order they were made: by their stamps' times where the files
/// gave them (equal times, and unstamped labels after every stamped one, in table order).
pub fn labels_in_order(table: &CategoricalTable, stamps: &Stamps, control: &str) -> Vec<(String, TaskResult)> {
    let when: HashMap<(u32, u32), i64> = stamps.rows.iter().map(|s| ((s.item, s.annotator), s.time)).collect();
    let rows: Vec<(u32, u32, u32)> = table.rows().collect();
    let mut order: Vec<(i64, usize)> = rows
        .iter()
        .enumerate()
        .map(|(k, &(item, annotator, _))| (when.get(&(item, annotator)).copied().unwrap_or(i64::MAX), k))
        .collect();
    order.sort_unstable();
    order
        .into_iter()
        .map(|(_, k)| {
            let (item, _, label) = rows[k];
            let value = crate::model::ControlValue::Choices(vec![table.labels.name(label).to_string()]);
            (table.items.name(item).to_string(), TaskResult([(control.to_string(), value)].into()))
        })
        .collect()
}

/// Counts at which to score a curve of `n` labels: about `points` of them, evenly spaced, ending at `n`.
pub fn curve_counts(n: usize, points: usize) -> Vec<usize> {
    let step = n.div_ceil(points.max(1)).max(1);
    let mut at: Vec<usize> = (1..=n / step).map(|k| k * step).collect();
    if at.last() != Some(&n) && n > 0 {
        at.push(n);
    }
    at
}
