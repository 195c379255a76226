//! Choosing items: QC samples, pilot/calibration batches, honeypot placement, and the order of the unlabeled queue
//! (active learning). Every random choice takes a seed and is reproducible on every platform (SplitMix64).

pub(crate) mod active;
pub(crate) mod honeypots;
pub(crate) mod qc;

pub use qc::{normal_quantile, pilot_subset, sample_size, simple_random, stratified};

pub use active::{model_conflicts, order_by_disagreement, order_by_uncertainty, uncertainty_queue, Uncertainty};
pub use honeypots::{place_honeypots, HoneypotSlot};

use crate::rng::SplitMix64;
use crate::sorting::LeanSort;

/// `k` distinct indices of `0..n`, uniformly, in ascending order (partial Fisher–Yates).
pub fn choose(n: usize, k: usize, rng: &mut SplitMix64) -> Vec<usize> {
    let k = k.min(n);
    let mut pool: Vec<usize> = (0..n).collect();
    for i in 0..k {
        let j = i + rng.below(n - i);
        pool.swap(i, j);
    }
    let mut out = pool[..k].to_vec();
    out.lean_sort();
    out
}
