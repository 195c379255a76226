//! The bootstrap of Krippendorff's α by Hayes & Krippendorff (2007), "Answering the call for a standard reliability
//! measure for coding data", Communication Methods and Measures 1(1), 77–89 (their KALPHA macro; Krippendorff,
//! "Algorithm for bootstrapping a distribution of α", 2016).
//!
//! It resamples *pairs of values*, not items. With the coincidences `o_ck`, `n` pairable values and the metric's δ²:
//! - the expected disagreement per pair, `D_e = Σ_ck n_c n_k δ²_ck / (n (n − 1))`;
//! - M pairs are drawn, the unordered cell {c, k} with probability `o_cc / n` (c = k) or `2 o_ck / n` (c ≠ k), where
//!   `M = min(25 q, P)`, q is the number of non-zero cells of the coincidence matrix and P the data's number of
//!   pairable pairs `Σ_u m_u (m_u − 1) / 2` (`n (m − 1) / 2` when every unit has all m observers, their formula);
//! - each replicate is `α* = 1 − (Σ_drawn δ² / M) / D_e`, floored at −1;
//! - a replicate that drew only agreements from a single value is α = 1 − 0/0, undefined; the macro sets as many of
//!   the replicates at 1 to 0 as are expected to be such (`R Σ_c (o_cc / n)^M`), and all of them when only one value
//!   ever coincides with itself.
//!
//! Reported: the percentile interval and `q`, the probability of failing to reach a minimum α (their table, for the
//! minima in [`Q_MIN_TABLE`]). It holds the coincidence distribution fixed, so its width reflects the number of
//! pairs drawn rather than the items sampled: `simulate_coverage` (`concord coverage`) measures what that does to
//! coverage.

use serde::{Deserialize, Serialize};

use super::krippendorff::{alpha_from, coincidences, delta_matrix, Metric};
use crate::model::CategoricalTable;
use crate::resample::{bootstrap, BootstrapSettings, Distribution, Draws};

/// The minima of Hayes & Krippendorff's table of q (Krippendorff 2004's thresholds: .667 for tentative conclusions,
/// .800 for reliable data).
pub const Q_MIN_TABLE: [f64; 6] = [0.9, 0.8, 0.7, 0.667, 0.6, 0.5];

/// α and its Hayes–Krippendorff bootstrap.
#[derive(Debug, Clone, PartialEq)]
pub struct PairBootstrap {
    /// α on the data (the point estimate).
    pub alpha: f64,
    /// M: pairs drawn per replicate.
    pub pairs_drawn: u64,
    /// The replicates of α*.
    pub distribution: Distribution,
}

/// `q` for each minimum: the share of replicates below it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QMin {
    /// The minimum α (e.g. 0.667).
    pub min: f64,
    /// The share of replicates below `min`.
    pub q: f64,
}

impl PairBootstrap {
    /// q for each of `minima` that the replicates define.
    pub fn q_table(&self, minima: &[f64]) -> Vec<QMin> {
        minima.iter().filter_map(|&min| self.distribution.share_below(min).map(|q| QMin { min, q })).collect()
    }
}

/// `None` when α itself is undefined (fewer than two pairable values, or no variation).
pub fn hayes_krippendorff(
    table: &CategoricalTable,
    metric: Metric,
    values: Option<&[f64]>,
    settings: BootstrapSettings,
    progress: impl FnMut(usize),
) -> Option<PairBootstrap> {
    let co = coincidences(table);
    let alpha = alpha_from(&co, metric, values)?;
    let delta = delta_matrix(&co, metric, values)?;
    let (v, n) = (co.v, co.n);
    let d_e = (0..v * v).map(|ck| co.n_c[ck / v] * co.n_c[ck % v] * delta[ck]).sum::<f64>() / (n * (n - 1.0));
    // The unordered cells {c ≤ k}, their probabilities and δ².
    let (mut shares, mut deltas) = (Vec::new(), Vec::new());
    for c in 0..v {
        for k in c..v {
            let o = co.o[c * v + k];
            if o > 0.0 {
                shares.push(if c == k { o / n } else { 2.0 * o / n });
                deltas.push(delta[c * v + k]);
            }
        }
    }
    let q = co.o.iter().filter(|&&o| o > 0.0).count() as u64;
    let pairable_pairs: u64 = (0..table.n_items())
        .map(|i| table.labels_of(i).len() as u64)
        .filter(|&m| m >= 2)
        .map(|m| m * (m - 1) / 2)
        .sum();
    let m_pairs = (25 * q).min(pairable_pairs);
    let draws = Draws::with_shares(&shares, m_pairs)?;
    let mut dist = bootstrap(
        &draws,
        shares.len(),
        1,
        settings,
        |counts, out| {
            let observed: f64 = counts.iter().zip(&deltas).map(|(&c, &d)| c as f64 * d).sum::<f64>() / m_pairs as f64;
            out[0] = Some((1.0 - observed / d_e).max(-1.0));
        },
        progress,
    )
    .remove(0);
    dist = undefined_replicates_to_zero(dist, &co.o, v, n, m_pairs, settings.replicates);
    Some(PairBootstrap { alpha, pairs_drawn: m_pairs, distribution: dist })
}

/// The macro's correction for replicates with no variation (see the module comment).
fn undefined_replicates_to_zero(
    dist: Distribution,
    o: &[f64],
    v: usize,
    n: f64,
    m: u64,
    replicates: usize,
) -> Distribution {
    let diagonal: Vec<f64> = (0..v).map(|c| o[c * v + c]).filter(|&x| x > 0.0).collect();
    let mut values = dist.replicates().to_vec();
    let ones = values.iter().filter(|&&x| x == 1.0).count();
    let expected = (replicates as f64 * diagonal.iter().map(|d| (d / n).powf(m as f64)).sum::<f64>()).round() as usize;
    let to_zero = if diagonal.len() == 1 { ones } else { expected.min(ones) };
    let mut left = to_zero;
    for x in values.iter_mut().rev() {
        if left == 0 || *x != 1.0 {
            break;
        }
        *x = 0.0;
        left -= 1;
    }
    Distribution::new(values, replicates - dist.replicates().len())
}
