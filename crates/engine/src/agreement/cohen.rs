//! Cohen's kappa (Cohen 1960, "A coefficient of agreement for nominal scales", Educ. Psychol. Meas. 20(1)) and
//! weighted kappa (Cohen 1968, Psychol. Bull. 70(4)), over the items both annotators labelled.
//!
//! `κ = (p_o − p_e) / (1 − p_e)` with `p_e = Σ_k (r_k / n)(c_k / n)` from each annotator's own marginals.
//! Weighted: `κ_w = 1 − Σ_ij w_ij o_ij / Σ_ij w_ij e_ij`, `e_ij = r_i c_j / n`, with `w_ij = |i − j|` (linear) or
//! `(i − j)²` (quadratic), where i, j are the labels' *ranks* among the labels present in the pair's data, sorted
//! by value — scikit-learn's `cohen_kappa_score(weights=…)` convention. None when undefined (`p_e = 1`, no items).

use super::pair_table::PairTable;
use crate::sorting::LeanSort;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// How weighted κ penalises a disagreement between two ordered labels.
pub enum Weights {
    /// By the distance between the labels' values, |i − j|.
    Linear,
    /// By the squared distance, (i − j)².
    Quadratic,
}

/// Cohen's κ of the two annotators in `t`; None when chance agreement is 1 (one label only).
pub fn cohen_kappa(t: &PairTable) -> Option<f64> {
    if t.n == 0 {
        return None;
    }
    let n = t.n as f64;
    let p_o = t.agreements() as f64 / n;
    let (r, c) = (t.rows(), t.cols());
    let p_e: f64 = r.iter().zip(&c).map(|(&a, &b)| (a as f64 / n) * (b as f64 / n)).sum();
    kappa(p_o, p_e)
}

/// `values[label]` orders the labels (numbers, or ranks from an explicit order).
pub fn weighted_kappa(t: &PairTable, values: &[f64], weights: Weights) -> Option<f64> {
    if t.n == 0 {
        return None;
    }
    let (r, c) = (t.rows(), t.cols());
    let mut present: Vec<usize> = (0..t.v).filter(|&k| r[k] + c[k] > 0).collect();
    present.lean_sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let n = t.n as f64;
    let (mut num, mut den) = (0.0, 0.0);
    for (i, &li) in present.iter().enumerate() {
        for (j, &lj) in present.iter().enumerate() {
            let d = i.abs_diff(j) as f64;
            let w = match weights {
                Weights::Linear => d,
                Weights::Quadratic => d * d,
            };
            num += w * t.conf[li * t.v + lj] as f64;
            den += w * r[li] as f64 * c[lj] as f64 / n;
        }
    }
    (den != 0.0).then(|| 1.0 - num / den)
}

pub(crate) fn kappa(p_o: f64, p_e: f64) -> Option<f64> {
    let d = 1.0 - p_e;
    (d.abs() > 1e-15).then(|| (p_o - p_e) / d)
}
