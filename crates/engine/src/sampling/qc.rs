//! QC samples.
//!
//! - Simple random sampling at a rate: `round(rate · N)` items, uniformly, seeded.
//! - Stratified sampling (by annotator, by label, by batch…): the sample is allocated to strata in proportion to their
//!   size by the largest-remainder method, at least one item per non-empty stratum when the total allows, then drawn
//!   uniformly within each stratum.
//! - Sample size for a margin of error (Cochran 1977, *Sampling Techniques*, eq. 4.2 with the finite population
//!   correction): `n₀ = z² p(1−p) / e²`, `n = n₀ / (1 + (n₀ − 1)/N)`, rounded up; p = 0.5 when unknown (the worst case).

use super::choose;
use crate::rng::SplitMix64;
use crate::sorting::LeanSort;

/// Indices of the sampled items among `n`.
pub fn simple_random(n: usize, rate: f64, seed: u64) -> Vec<usize> {
    let k = (rate.clamp(0.0, 1.0) * n as f64).round() as usize;
    choose(n, k, &mut SplitMix64::new(seed))
}

/// `strata[i]` is item i's stratum key; returns sampled item indices in ascending order.
pub fn stratified<K: Ord + Clone>(strata: &[K], rate: f64, seed: u64) -> Vec<usize> {
    let mut keys: Vec<K> = strata.to_vec();
    keys.lean_sort();
    keys.dedup();
    let groups: Vec<Vec<usize>> =
        keys.iter().map(|k| (0..strata.len()).filter(|&i| strata[i] == *k).collect()).collect();
    let total = (rate.clamp(0.0, 1.0) * strata.len() as f64).round() as usize;
    // Largest remainder: floor of the quota, then the biggest fractional parts.
    let quotas: Vec<f64> = groups.iter().map(|g| total as f64 * g.len() as f64 / strata.len().max(1) as f64).collect();
    let mut alloc: Vec<usize> = quotas.iter().map(|q| q.floor() as usize).collect();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.lean_sort_by(|&a, &b| {
        (quotas[b] - quotas[b].floor()).total_cmp(&(quotas[a] - quotas[a].floor())).then(a.cmp(&b))
    });
    let mut left = total - alloc.iter().sum::<usize>();
    for &g in &order {
        if left == 0 {
            break;
        }
        alloc[g] += 1;
        left -= 1;
    }
    // Every stratum is looked at when the sample is at least as large as the number of strata.
    if total >= groups.len() {
        for g in 0..groups.len() {
            if alloc[g] == 0 {
                if let Some(donor) = (0..groups.len()).filter(|&d| alloc[d] > 1).max_by_key(|&d| alloc[d]) {
                    alloc[donor] -= 1;
                    alloc[g] = 1;
                }
            }
        }
    }
    let mut rng = SplitMix64::new(seed);
    let mut out: Vec<usize> = groups
        .iter()
        .zip(&alloc)
        .flat_map(|(g, &a)| choose(g.len(), a, &mut rng).into_iter().map(|i| g[i]).collect::<Vec<_>>())
        .collect();
    out.lean_sort();
    out
}

/// A pilot (calibration) batch of `size` tasks out of `n`: stratified by `strata` (e.g. the model's predicted label,
/// so the batch covers the label set) when given, else uniformly at random; seeded.
pub fn pilot_subset<K: Ord + Clone>(n: usize, size: usize, strata: Option<&[K]>, seed: u64) -> Vec<usize> {
    let rate = if n == 0 { 0.0 } else { size.min(n) as f64 / n as f64 };
    match strata {
        Some(s) => stratified(s, rate, seed),
        None => simple_random(n, rate, seed),
    }
}

/// Items to check so that a proportion (e.g. an error rate) is known within ± `margin` at the given two-sided
/// confidence, out of `population` items. `p` is the expected proportion (0.5 if unknown).
pub fn sample_size(population: usize, margin: f64, confidence: f64, p: f64) -> usize {
    let z = normal_quantile(1.0 - (1.0 - confidence) / 2.0);
    let n0 = z * z * p * (1.0 - p) / (margin * margin);
    let n = n0 / (1.0 + (n0 - 1.0) / population as f64);
    (n.ceil() as usize).min(population)
}

/// The standard normal quantile (Acklam's rational approximation, relative error < 1.15e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.383_577_518_672_69e2,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
    let (lo, hi) = (0.02425, 1.0 - 0.02425);
    if p < lo {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= hi {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}
