//! Accuracy on gold over time per annotator — the drift windows of [`crate::drift`] over the stamped labels of gold
//! items — with the times each guideline version was first used, so a chart can mark them.

use serde::Serialize;

use crate::drift::{drift, DriftOptions, DriftSeries, Observation};
use crate::model::{CategoricalTable, Stamps};

#[derive(Debug, Clone, PartialEq, Serialize)]
/// Accuracy on gold over time, per annotator and overall, with the guideline versions' start.
pub struct AccuracyTimeline {
    /// (annotator, windows) for annotators with at least one gold-checked, stamped label.
    pub annotators: Vec<(String, DriftSeries)>,
    /// Every annotator pooled.
    pub overall: DriftSeries,
    /// Guideline versions with the first time each was used, in time order.
    pub versions: Vec<(String, i64)>,
    /// Version names as [`DriftSeries::by_version`] numbers them.
    pub version_names: Vec<String>,
    /// Gold-checked stamped labels.
    pub observations: usize,
}

impl AccuracyTimeline {
    /// Each annotator with a drift alarm, and the start of their first flagged window — where the
    /// re-annotation trigger starts sending their labels back.
    pub fn first_flags(&self) -> Vec<(String, i64)> {
        self.annotators
            .iter()
            .filter_map(|(name, d)| Some((name.clone(), d.windows.iter().find(|w| w.flagged)?.start)))
            .collect()
    }
}

/// `gold[item]` is the gold label id of each item of `table` (as [`crate::gold::classification_gold`] takes it).
pub fn accuracy_over_time(
    table: &CategoricalTable,
    stamps: &Stamps,
    gold: &[Option<u32>],
    opts: DriftOptions,
) -> AccuracyTimeline {
    let mut obs = Vec::new();
    for s in &stamps.rows {
        let Some(Some(truth)) = gold.get(s.item as usize) else { continue };
        let i = s.item as usize;
        let Some(k) = table.annotators_of(i).iter().position(|&a| a == s.annotator) else { continue };
        obs.push(Observation {
            annotator: s.annotator,
            time: s.time,
            correct: table.labels_of(i)[k] == *truth,
            version: s.version,
        });
    }
    let d = drift(&obs, table.n_annotators(), opts);
    let mut seen = vec![false; table.n_annotators()];
    for o in &obs {
        seen[o.annotator as usize] = true;
    }
    AccuracyTimeline {
        annotators: d
            .annotators
            .into_iter()
            .enumerate()
            .filter(|(a, _)| seen[*a])
            .map(|(a, s)| (table.annotators.name(a as u32).to_string(), s))
            .collect(),
        overall: d.overall,
        versions: stamps.versions_in_time(),
        version_names: stamps.versions.names().map(str::to_string).collect(),
        observations: obs.len(),
    }
}
