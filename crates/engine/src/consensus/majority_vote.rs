//! Majority vote: each item gets the label most annotators gave it. Deterministic tie rule: among labels with the
//! top count, the first in label order (the schema's order, else sorted names) wins, and the item is reported in
//! `ties`. Confidence is the winner's vote share; priors are the mean of the per-item vote shares; an annotator's
//! accuracy is their agreement with the majority label.

use super::{decide, label_order, Aggregation, AnnotatorModel};
use crate::model::CategoricalTable;

/// Majority vote; ties go to the label first in `order` (or the labels' sort order).
pub fn majority_vote(table: &CategoricalTable, order: Option<&[String]>) -> Aggregation {
    voting(super::Method::MajorityVote, table, order, None)
}

/// Shared by majority vote and weighted majority vote: `weights[annotator]` (None: 1 each).
pub(crate) fn voting(
    method: super::Method,
    table: &CategoricalTable,
    order: Option<&[String]>,
    weights: Option<&[f64]>,
) -> Aggregation {
    let order = label_order(table, order);
    let k = order.len();
    let mut column = vec![0usize; table.n_labels()];
    for (c, &l) in order.iter().enumerate() {
        column[l as usize] = c;
    }
    let mut scores = vec![0.0f64; table.n_items() * k];
    for i in 0..table.n_items() {
        for (&a, &l) in table.annotators_of(i).iter().zip(table.labels_of(i)) {
            scores[i * k + column[l as usize]] += weights.map_or(1.0, |w| w[a as usize]);
        }
    }
    let (labels, confidence, ties) = decide(table, &scores, &order);
    // Priors: mean vote share per label over items.
    let mut priors = vec![0.0; k];
    let mut items = 0.0f64;
    for row in scores.chunks_exact(k) {
        let total: f64 = row.iter().sum();
        if total > 0.0 {
            items += 1.0;
            for c in 0..k {
                priors[c] += row[c] / total;
            }
        }
    }
    priors.iter_mut().for_each(|p| *p /= items.max(1.0));
    // Agreement of each annotator with the aggregate.
    let mut agree = vec![(0u64, 0u64); table.n_annotators()];
    for i in 0..table.n_items() {
        let Some(winner) = labels[i] else { continue };
        for (&a, &l) in table.annotators_of(i).iter().zip(table.labels_of(i)) {
            agree[a as usize].0 += (l == winner) as u64;
            agree[a as usize].1 += 1;
        }
    }
    let annotators = agree
        .iter()
        .enumerate()
        .map(|(a, &(c, n))| AnnotatorModel {
            accuracy: (n > 0).then(|| c as f64 / n as f64),
            confusion: None,
            weight: weights.map(|w| w[a]),
        })
        .collect();
    Aggregation { method, iterations: 0, order, labels, confidence, ties, priors, annotators, loss_history: Vec::new() }
}
