//! The large-sample standard error of Cohen's κ and of weighted κ, and the 95 % interval κ ± 1.96·SE (Fleiss, Cohen
//! & Everitt 1969, "Large sample standard errors of kappa and weighted kappa", Psychol. Bull. 72(5), 323–327), as
//! statsmodels' `cohens_kappa` computes them (`std_kappa`, `kappa_low`, `kappa_upp`; `std_kappa0` under κ = 0).
//!
//! With cell shares `p_ij`, row and column shares `r_i`, `c_j` and agreement weights `w_ij` (1 on the diagonal;
//! unweighted: 0 off it; weighted: `1 − |i − j| / (k − 1)` or `1 − (i − j)² / (k − 1)²` over the k labels present,
//! ranked), `w̄_i· = Σ_j c_j w_ij`, `w̄_·j = Σ_i r_i w_ij`, `p_e = Σ_ij w_ij r_i c_j`:
//!
//! `Var(κ) = [Σ_ij p_ij (w_ij − (w̄_i· + w̄_·j)(1 − κ))² − (κ − p_e(1 − κ))²] / ((1 − p_e)² n)`,
//! `Var₀(κ) = [Σ_ij r_i c_j (w_ij − (w̄_i· + w̄_·j))² − p_e²] / ((1 − p_e)² n)`.
//!
//! (For the unweighted κ this is the same as Fleiss, Cohen & Everitt's three-term form, which statsmodels uses there.)

use serde::{Deserialize, Serialize};

use super::cohen::Weights;
use super::pair_table::PairTable;
use crate::sorting::LeanSort;

/// The standard normal quantile of a two-sided 95 % interval (scipy's `norm.ppf(0.975)`).
const Z95: f64 = 1.959_963_984_540_054;

/// κ's asymptotic standard error and 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KappaInterval {
    /// Asymptotic standard error of κ.
    pub std_error: f64,
    /// Lower end of the 95 % interval.
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
    /// The standard error under the null hypothesis κ = 0 (for a test of κ against chance).
    pub std_error_null: f64,
}

/// Cohen's κ with its interval; `None` where κ is undefined.
pub fn cohen_kappa_interval(t: &PairTable) -> Option<(f64, KappaInterval)> {
    let k = t.v;
    let labels: Vec<usize> = (0..k).collect();
    interval(t, &labels, |i, j| if i == j { 1.0 } else { 0.0 })
}

/// Weighted κ with its interval: the labels present in the pair's data ranked by `values` (as [`super::weighted_kappa`]).
pub fn weighted_kappa_interval(t: &PairTable, values: &[f64], weights: Weights) -> Option<(f64, KappaInterval)> {
    let (r, c) = (t.rows(), t.cols());
    let mut present: Vec<usize> = (0..t.v).filter(|&l| r[l] + c[l] > 0).collect();
    present.lean_sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let span = present.len().saturating_sub(1).max(1) as f64;
    interval(t, &present, |i, j| {
        let d = i.abs_diff(j) as f64 / span;
        match weights {
            Weights::Linear => 1.0 - d,
            Weights::Quadratic => 1.0 - d * d,
        }
    })
}

/// κ and its interval over the labels `order` (table label ids), with agreement weights `w(rank, rank)`.
fn interval(t: &PairTable, order: &[usize], w: impl Fn(usize, usize) -> f64) -> Option<(f64, KappaInterval)> {
    if t.n == 0 || order.is_empty() {
        return None;
    }
    let n = t.n as f64;
    let (rows, cols) = (t.rows(), t.cols());
    let r: Vec<f64> = order.iter().map(|&l| rows[l] as f64 / n).collect();
    let c: Vec<f64> = order.iter().map(|&l| cols[l] as f64 / n).collect();
    let p = |i: usize, j: usize| t.conf[order[i] * t.v + order[j]] as f64 / n;
    let k = order.len();
    let w_row: Vec<f64> = (0..k).map(|i| (0..k).map(|j| c[j] * w(i, j)).sum()).collect();
    let w_col: Vec<f64> = (0..k).map(|j| (0..k).map(|i| r[i] * w(i, j)).sum()).collect();
    let (mut p_o, mut p_e) = (0.0, 0.0);
    for i in 0..k {
        for j in 0..k {
            p_o += w(i, j) * p(i, j);
            p_e += w(i, j) * r[i] * c[j];
        }
    }
    if (1.0 - p_e).abs() <= 1e-15 {
        return None;
    }
    let kappa = (p_o - p_e) / (1.0 - p_e);
    let (mut a, mut a0) = (0.0, 0.0);
    for i in 0..k {
        for j in 0..k {
            let margin = w_row[i] + w_col[j];
            a += p(i, j) * (w(i, j) - margin * (1.0 - kappa)).powi(2);
            a0 += r[i] * c[j] * (w(i, j) - margin).powi(2);
        }
    }
    let scale = (1.0 - p_e).powi(2) * n;
    let var = (a - (kappa - p_e * (1.0 - kappa)).powi(2)) / scale;
    let var0 = (a0 - p_e * p_e) / scale;
    let se = var.max(0.0).sqrt();
    Some((
        kappa,
        KappaInterval {
            std_error: se,
            low: kappa - Z95 * se,
            high: kappa + Z95 * se,
            std_error_null: var0.max(0.0).sqrt(),
        },
    ))
}
