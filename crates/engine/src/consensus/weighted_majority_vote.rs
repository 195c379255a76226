//! Gold-weighted majority vote. Each annotator's vote counts with the log-odds weight that is optimal for
//! independent annotators with symmetric errors (Nitzan & Paroush 1982, "Optimal decision rules in uncertain
//! dichotomous choice situations", Int. Econ. Rev. 23(2); for K classes, Li & Yu 2014):
//! `w = ln(K − 1) + ln(p / (1 − p))`, where p is the annotator's accuracy on gold items, smoothed as
//! `(correct + 1) / (answered + 2)` so an annotator with no gold gets p = ½ and one with perfect gold a finite
//! weight. Weights below 0 (worse than chance) are clamped to 0.

use super::majority_vote::voting;
use super::Aggregation;
use crate::model::CategoricalTable;

/// Weights from gold: `gold[item]` is the gold label id (ids of `table`).
pub fn gold_weights(table: &CategoricalTable, gold: &[Option<u32>]) -> Vec<f64> {
    let k = table.n_labels().max(2) as f64;
    let mut counts = vec![(0u64, 0u64); table.n_annotators()];
    for i in 0..table.n_items() {
        let Some(Some(g)) = gold.get(i) else { continue };
        for (&a, &l) in table.annotators_of(i).iter().zip(table.labels_of(i)) {
            counts[a as usize].0 += (l == *g) as u64;
            counts[a as usize].1 += 1;
        }
    }
    counts
        .iter()
        .map(|&(c, n)| {
            let p = (c as f64 + 1.0) / (n as f64 + 2.0);
            ((k - 1.0).ln() + (p / (1.0 - p)).ln()).max(0.0)
        })
        .collect()
}

/// Majority vote with each annotator's vote weighted by `weights[annotator id]` (e.g. [`gold_weights`]); ties as [`crate::consensus::majority_vote`].
pub fn weighted_majority_vote(table: &CategoricalTable, weights: &[f64], order: Option<&[String]>) -> Aggregation {
    voting(super::Method::WeightedMajorityVote, table, order, Some(weights))
}
