//! Agreement per label.
//!
//! *Specific agreement* (Fleiss 1971; Uebersax 1982, "A design-independent method for measuring the reliability
//! of psychiatric diagnosis"): of all annotator pairs on an item where one said label k, the share where the other
//! said k too: `ps_k = Σ_i n_ik (n_ik − 1) / Σ_i n_ik (m_i − 1)` over items with m_i ≥ 2.
//! *Per-category Fleiss kappa* (Fleiss 1971, eq. 10), when every item has m ratings:
//! `κ_k = 1 − Σ_i n_ik (m − n_ik) / (N m (m − 1) p_k q_k)`.

use super::fleiss::Fleiss;
use super::item_counts::for_each_item;
use crate::model::CategoricalTable;

#[derive(Debug, Clone, PartialEq)]
/// Agreement on one label (by id).
pub struct LabelAgreement {
    /// The label's id.
    pub label: u32,
    /// Annotations with this label.
    pub count: u64,
    /// Specific agreement (see [`crate::agreement::LabelReport`]).
    pub specific_agreement: Option<f64>,
    /// Fleiss' κ of this label against all others.
    pub fleiss_kappa: Option<f64>,
}

/// Agreement per label id, in id order; `fleiss` supplies the per-label κ when Fleiss' κ applies.
pub fn per_label(table: &CategoricalTable, fleiss: Option<&Fleiss>) -> Vec<LabelAgreement> {
    let v = table.n_labels();
    let mut count = vec![0u64; v];
    let mut agree = vec![0u64; v];
    let mut pairs = vec![0u64; v];
    let mut disagree_fleiss = vec![0u64; v];
    for_each_item(table, |_, m, distinct, counts| {
        for &c in distinct {
            let n = counts[c as usize] as u64;
            count[c as usize] += n;
            if m >= 2 {
                agree[c as usize] += n * (n - 1);
                pairs[c as usize] += n * (m as u64 - 1);
            }
            disagree_fleiss[c as usize] += n * (m as u64 - n);
        }
    });
    (0..v)
        .map(|k| {
            let fleiss_kappa = fleiss.and_then(|f| {
                let (m, nn) = (f.raters as f64, table.n_items() as f64);
                let pq = f.p_j[k] * (1.0 - f.p_j[k]);
                (pq > 0.0).then(|| 1.0 - disagree_fleiss[k] as f64 / (nn * m * (m - 1.0) * pq))
            });
            LabelAgreement {
                label: k as u32,
                count: count[k],
                specific_agreement: (pairs[k] > 0).then(|| agree[k] as f64 / pairs[k] as f64),
                fleiss_kappa,
            }
        })
        .collect()
}
