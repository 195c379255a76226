//! Fleiss' kappa (Fleiss 1971, "Measuring nominal scale agreement among many raters", Psychol. Bull. 76(5)).
//!
//! For N items each rated by the same number m ≥ 2 of raters, with n_ij ratings of item i in category j:
//! `P_i = (Σ_j n_ij² − m) / (m (m − 1))`, `P̄ = mean_i P_i`, `p_j = Σ_i n_ij / (N m)`, `P̄_e = Σ_j p_j²`,
//! `κ = (P̄ − P̄_e) / (1 − P̄_e)`. Raters need not be the same people across items. Undefined (None) when items
//! have different numbers of ratings, or when `P̄_e = 1`.

use super::item_counts::for_each_item;
use crate::model::CategoricalTable;

/// The parts of Fleiss' kappa, kept for reports and per-category kappas.
#[derive(Debug, Clone, PartialEq)]
pub struct Fleiss {
    /// Fleiss' κ.
    pub kappa: f64,
    /// Mean observed agreement over items, P̄.
    pub p_bar: f64,
    /// Agreement expected by chance, P̄ₑ.
    pub p_e_bar: f64,
    /// m: ratings per item.
    pub raters: u32,
    /// p_j per label id.
    pub p_j: Vec<f64>,
}

/// Fleiss' κ with its parts; None unless every item has the same number (≥ 2) of labels.
pub fn fleiss(table: &CategoricalTable) -> Option<Fleiss> {
    let n_items = table.n_items();
    let m = table.labels_of(0).len() as u32;
    if n_items == 0 || m < 2 || (0..n_items).any(|i| table.labels_of(i).len() as u32 != m) {
        return None;
    }
    let mut totals = vec![0u64; table.n_labels()];
    let mut sum_sq = 0u64;
    for_each_item(table, |_, _, distinct, counts| {
        for &c in distinct {
            let n = counts[c as usize] as u64;
            sum_sq += n * n;
            totals[c as usize] += n;
        }
    });
    let (nf, mf) = (n_items as f64, m as f64);
    let p_bar = (sum_sq as f64 - nf * mf) / (nf * mf * (mf - 1.0));
    let p_j: Vec<f64> = totals.iter().map(|&t| t as f64 / (nf * mf)).collect();
    let p_e_bar: f64 = p_j.iter().map(|p| p * p).sum();
    if (1.0 - p_e_bar).abs() < 1e-15 {
        return None;
    }
    Some(Fleiss { kappa: (p_bar - p_e_bar) / (1.0 - p_e_bar), p_bar, p_e_bar, raters: m, p_j })
}

/// Fleiss' κ alone; None where [`fleiss`] is None.
pub fn fleiss_kappa(table: &CategoricalTable) -> Option<f64> {
    fleiss(table).map(|f| f.kappa)
}
