//! Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", Annenberg School;
//! Krippendorff 2004, *Content Analysis*, ch. 11) for any number of annotators and missing data.
//!
//! From the coincidence matrix `o_ck = Σ_u Σ_{pairs (c,k) in u, ordered, distinct annotations} 1 / (m_u − 1)`
//! over units with m_u ≥ 2 (pairable values), with `n_c = Σ_k o_ck` and `n = Σ_c n_c`:
//! `α = 1 − (n − 1) · Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck`.
//! Metrics δ²: nominal `[c ≠ k]`; ordinal `(Σ_{g=c..k} n_g − (n_c + n_k)/2)²` over ranks; interval `(v_c − v_k)²`;
//! ratio `((v_c − v_k)/(v_c + v_k))²`. The matrix is labels × labels (not items × labels × labels) and is built in
//! one pass over the annotations.

use super::item_counts::for_each_item;
use crate::model::CategoricalTable;
use crate::sorting::LeanSort;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// Krippendorff's distance metric δ² between two values.
pub enum Metric {
    /// Any two different labels are distance 1 apart.
    Nominal,
    /// Distance by the ranks between the two labels (counts of the labels in between).
    Ordinal,
    /// Squared difference of the labels' values.
    Interval,
    /// Squared difference relative to the sum: ((c − k) / (c + k))².
    Ratio,
}

/// The coincidence matrix (row-major, labels × labels) and the number of pairable values n.
#[derive(Debug, Clone)]
pub struct Coincidences {
    /// Number of labels.
    pub v: usize,
    /// The coincidence matrix, row-major `v × v`.
    pub o: Vec<f64>,
    /// Row sums nₖ.
    pub n_c: Vec<f64>,
    /// Total pairable values n.
    pub n: f64,
}

impl Coincidences {
    /// No units yet, over `v` labels: [`add_unit`](Self::add_unit) each unit, then [`totalled`](Self::totalled).
    pub fn over(v: usize) -> Coincidences {
        Coincidences { v, o: vec![0.0; v * v], n_c: Vec::new(), n: 0.0 }
    }

    /// Adds `weight` copies of one unit of `m` values, given as `(label, count)` for each label present. A unit of
    /// fewer than two values is not pairable and adds nothing.
    pub fn add_unit(&mut self, m: u32, labels: impl Iterator<Item = (u32, u32)> + Clone, weight: f64) {
        if m < 2 {
            return;
        }
        let (v, scale) = (self.v, weight / (m as f64 - 1.0));
        for (c, nc) in labels.clone() {
            for (k, nk) in labels.clone() {
                let nk = nk as f64 - if c == k { 1.0 } else { 0.0 };
                self.o[c as usize * v + k as usize] += nc as f64 * nk * scale;
            }
        }
    }

    /// The row sums nₖ and the total n, once every unit is added.
    pub fn totalled(mut self) -> Coincidences {
        let v = self.v;
        self.n_c = (0..v).map(|c| self.o[c * v..(c + 1) * v].iter().sum()).collect();
        self.n = self.n_c.iter().sum();
        self
    }
}

/// The coincidence matrix of `table` (units with fewer than 2 values are not pairable).
pub fn coincidences(table: &CategoricalTable) -> Coincidences {
    let mut co = Coincidences::over(table.n_labels());
    for_each_item(table, |_, m, distinct, counts| {
        co.add_unit(m, distinct.iter().map(|&c| (c, counts[c as usize])), 1.0);
    });
    co.totalled()
}

/// α for one metric. `values[label]` gives each label's value (ordinal, interval, ratio); nominal ignores it.
/// None when fewer than two pairable values exist or every pairable value is the same (no variation).
pub fn alpha_from(co: &Coincidences, metric: Metric, values: Option<&[f64]>) -> Option<f64> {
    let v = co.v;
    if co.n < 2.0 {
        return None;
    }
    let delta = delta_matrix(co, metric, values)?;
    let (mut d_o, mut d_e) = (0.0, 0.0);
    for c in 0..v {
        for k in 0..v {
            let d = delta[c * v + k];
            if d != 0.0 {
                d_o += co.o[c * v + k] * d;
                d_e += co.n_c[c] * co.n_c[k] * d;
            }
        }
    }
    if d_e == 0.0 {
        return None;
    }
    Some(1.0 - (co.n - 1.0) * d_o / d_e)
}

/// Krippendorff's α of `table` for `metric`; `values` gives each label id's value for the ordered metrics. None when there is no disagreement expected by chance.
pub fn alpha(table: &CategoricalTable, metric: Metric, values: Option<&[f64]>) -> Option<f64> {
    alpha_from(&coincidences(table), metric, values)
}

pub(super) fn delta_matrix(co: &Coincidences, metric: Metric, values: Option<&[f64]>) -> Option<Vec<f64>> {
    let v = co.v;
    let mut d = vec![0.0; v * v];
    match metric {
        Metric::Nominal => {
            for c in 0..v {
                for k in 0..v {
                    d[c * v + k] = if c == k { 0.0 } else { 1.0 };
                }
            }
        }
        Metric::Interval | Metric::Ratio => {
            let vals = values?;
            for c in 0..v {
                for k in 0..v {
                    let (a, b) = (vals[c], vals[k]);
                    d[c * v + k] = match metric {
                        Metric::Interval => (a - b) * (a - b),
                        _ if a + b == 0.0 => 0.0,
                        _ => ((a - b) / (a + b)).powi(2),
                    };
                }
            }
        }
        Metric::Ordinal => {
            let vals = values?;
            // Ranks: labels sorted by value; cumulative marginals over that order.
            let mut order: Vec<usize> = (0..v).collect();
            order.lean_sort_by(|&a, &b| vals[a].total_cmp(&vals[b]));
            let mut rank = vec![0usize; v];
            for (r, &l) in order.iter().enumerate() {
                rank[l] = r;
            }
            let mut cum = vec![0.0; v + 1];
            for (r, &l) in order.iter().enumerate() {
                cum[r + 1] = cum[r] + co.n_c[l];
            }
            for c in 0..v {
                for k in 0..v {
                    let (lo, hi) = if rank[c] <= rank[k] { (c, k) } else { (k, c) };
                    let between = cum[rank[hi] + 1] - cum[rank[lo]];
                    let x = between - (co.n_c[c] + co.n_c[k]) / 2.0;
                    d[c * v + k] = if c == k { 0.0 } else { x * x };
                }
            }
        }
    }
    Some(d)
}
