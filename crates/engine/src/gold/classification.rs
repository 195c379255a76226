//! Categorical annotations against gold labels: per-annotator accuracy with a Wilson 95 % interval, overall
//! accuracy, a confusion matrix (rows: gold label, columns: annotator's label) and per-label precision, recall,
//! F1 and support (scikit-learn's `classification_report` over all annotations of gold items pooled).

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::wilson::{wilson_interval, Z95};
use crate::model::CategoricalTable;
use crate::spans::Prf;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Accuracy on gold items.
pub struct Accuracy {
    /// Gold items answered.
    pub items: u64,
    /// Of those, right.
    pub correct: u64,
    /// `correct / items`.
    pub accuracy: Option<f64>,
    /// Wilson 95 % interval.
    pub accuracy_ci95: Option<[f64; 2]>,
}

impl Accuracy {
    fn new(correct: u64, items: u64) -> Accuracy {
        Accuracy {
            items,
            correct,
            accuracy: (items > 0).then(|| correct as f64 / items as f64),
            accuracy_ci95: wilson_interval(correct, items, Z95).map(|(a, b)| [a, b]),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Precision, recall and F1 of one label against gold.
pub struct LabelScore {
    /// Of the answers with this label, the share gold agrees with.
    pub precision: f64,
    /// Of the gold items with this label, the share answered with it.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Gold items with this label.
    pub support: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Gold labels against given labels.
pub struct Confusion {
    /// The labels, in the matrix's order.
    pub labels: Vec<String>,
    /// `matrix[gold][given]`.
    pub matrix: Vec<Vec<u64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Accuracy against gold: per annotator, overall, per label, and the confusion.
pub struct ClassificationGoldReport {
    /// Per annotator, by name.
    pub annotators: BTreeMap<String, Accuracy>,
    /// Every annotator pooled.
    pub overall: Accuracy,
    /// Per label, by name.
    pub per_label: BTreeMap<String, LabelScore>,
    /// Gold (rows) against given (columns).
    pub confusion: Confusion,
}

/// `gold[item id]` is the gold label id of that item (ids from `table`'s interners; items and labels that only
/// gold knows must be interned into them first). Items without gold are skipped.
pub fn classification_gold(table: &CategoricalTable, gold: &[Option<u32>]) -> ClassificationGoldReport {
    let v = table.n_labels();
    let mut per_annotator = vec![(0u64, 0u64); table.n_annotators()];
    let mut confusion = vec![0u64; v * v];
    for i in 0..table.n_items() {
        let Some(Some(g)) = gold.get(i) else { continue };
        for (&a, &l) in table.annotators_of(i).iter().zip(table.labels_of(i)) {
            let e = &mut per_annotator[a as usize];
            e.0 += (l == *g) as u64;
            e.1 += 1;
            confusion[*g as usize * v + l as usize] += 1;
        }
    }
    let annotators = per_annotator
        .iter()
        .enumerate()
        .filter(|(_, (_, n))| *n > 0)
        .map(|(a, &(c, n))| (table.annotators.name(a as u32).to_string(), Accuracy::new(c, n)))
        .collect();
    let (correct, total) = per_annotator.iter().fold((0, 0), |(c, n), &(c2, n2)| (c + c2, n + n2));
    // Labels that occur in gold or in annotations of gold items, in a stable order (numeric when all are numbers).
    let used: Vec<usize> =
        (0..v).filter(|&k| (0..v).any(|j| confusion[k * v + j] > 0 || confusion[j * v + k] > 0)).collect();
    let mut order = used.clone();
    let numeric: Option<Vec<f64>> = order.iter().map(|&k| table.labels.name(k as u32).parse::<f64>().ok()).collect();
    match numeric {
        Some(vals) => {
            let mut idx: Vec<usize> = (0..order.len()).collect();
            idx.lean_sort_by(|&a, &b| vals[a].total_cmp(&vals[b]));
            order = idx.into_iter().map(|i| used[i]).collect();
        }
        None => order.lean_sort_by(|&a, &b| table.labels.name(a as u32).cmp(table.labels.name(b as u32))),
    }
    let per_label = order
        .iter()
        .map(|&k| {
            let tp = confusion[k * v + k];
            let predicted: u64 = (0..v).map(|g| confusion[g * v + k]).sum();
            let support: u64 = (0..v).map(|j| confusion[k * v + j]).sum();
            let s = Prf::from_counts(tp, predicted, support);
            (
                table.labels.name(k as u32).to_string(),
                LabelScore { precision: s.precision, recall: s.recall, f1: s.f1, support },
            )
        })
        .collect();
    let matrix = order.iter().map(|&g| order.iter().map(|&l| confusion[g * v + l]).collect()).collect();
    ClassificationGoldReport {
        annotators,
        overall: Accuracy::new(correct, total),
        per_label,
        confusion: Confusion {
            labels: order.iter().map(|&k| table.labels.name(k as u32).to_string()).collect(),
            matrix,
        },
    }
}
