//! The bootstrap (Efron & Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 6 and 13): draw the units (items,
//! documents, images) with replacement as many times as there are, recompute the figure on each replicate, and read
//! its percentile interval, standard error and the share of replicates below a minimum off the replicates.
//!
//! Every agreement figure here is a sum over units of what each unit contributes, and units that contribute the
//! same (an item with labels {a, a, b}) are interchangeable. So a replicate is drawn as *how many times each kind of
//! unit was drawn*: [`Draws`] keeps one weight per kind (its frequency) in Walker's alias table (Walker 1977, "An
//! efficient method for generating discrete random variables with general distributions", ACM TOMS 3(3); Vose 1991's
//! stable construction), draws each unit in O(1), and never copies the data. Seeded ([`SplitMix64`]): the same seed
//! gives the same interval on every platform.

use serde::{Deserialize, Serialize};

use crate::rng::SplitMix64;
use crate::sorting::LeanSort;

/// How a bootstrap runs: replicates, seed and interval level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapSettings {
    /// Replicates to draw.
    pub replicates: usize,
    /// Seed of the draws.
    pub seed: u64,
    /// Coverage of the percentile interval, in (0, 1).
    pub level: f64,
}

impl Default for BootstrapSettings {
    /// 1,000 replicates (Hayes & Krippendorff's smallest recommendation), seed 0, 95 %.
    fn default() -> Self {
        BootstrapSettings { replicates: 1000, seed: 0, level: 0.95 }
    }
}

/// Draws units in proportion to `weights` (the frequency of each kind of unit), by Walker's alias method.
#[derive(Debug, Clone)]
pub struct Draws {
    /// Units per replicate: the sum of the weights.
    units: u64,
    /// Probability of keeping the column's own kind, scaled to 2³².
    keep: Vec<u64>,
    alias: Vec<u32>,
}

impl Draws {
    /// `None` when there is nothing to draw (no kinds, or every weight zero).
    pub fn new(weights: &[u64]) -> Option<Draws> {
        let units: u64 = weights.iter().sum();
        let shares: Vec<f64> = weights.iter().map(|&w| w as f64 / units.max(1) as f64).collect();
        Draws::with_shares(&shares, units)
    }

    /// `units` draws per replicate, kind j with probability `shares[j]` (non-negative, summing to 1; e.g. a
    /// coincidence matrix's cells, which need not be whole numbers). `None` when `units` is 0 or no share is positive.
    pub fn with_shares(shares: &[f64], units: u64) -> Option<Draws> {
        let k = shares.len();
        let total: f64 = shares.iter().sum();
        if k == 0 || units == 0 || total.is_nan() || total <= 0.0 {
            return None;
        }
        // Vose: scaled probabilities k·p split into small (< 1) and large (≥ 1) columns, then paired off.
        let mut scaled: Vec<f64> = shares.iter().map(|&p| p * k as f64 / total).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..k).partition(|&i| scaled[i] < 1.0);
        let mut keep = vec![1u64 << 32; k];
        let mut alias: Vec<u32> = (0..k as u32).collect();
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            keep[s] = (scaled[s] * (1u64 << 32) as f64) as u64;
            alias[s] = l as u32;
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        Some(Draws { units, keep, alias })
    }

    /// The number of units a replicate draws (the data's own number).
    pub fn units(&self) -> u64 {
        self.units
    }

    /// One replicate: `counts[kind]` becomes how many of the drawn units are of that kind.
    pub fn replicate(&self, rng: &mut SplitMix64, counts: &mut [u32]) {
        counts.fill(0);
        let k = self.keep.len() as u64;
        for _ in 0..self.units {
            let x = rng.next_u64();
            // The high 32 bits choose the column (Lemire's multiply-shift), the low 32 bits toss its coin.
            let column = (((x >> 32) * k) >> 32) as usize;
            let coin = x & 0xFFFF_FFFF;
            let kind = if coin < self.keep[column] { column } else { self.alias[column] as usize };
            counts[kind] += 1;
        }
    }
}

/// A figure's bootstrap replicates, sorted; replicates where the figure is undefined (no variation) are counted apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    sorted: Vec<f64>,
    undefined: usize,
}

impl Distribution {
    /// The distribution of `values` (sorted here), with `undefined` replicates where the figure was undefined.
    pub fn new(mut values: Vec<f64>, undefined: usize) -> Distribution {
        values.lean_sort_by(|a, b| a.total_cmp(b));
        Distribution { sorted: values, undefined }
    }

    /// The defined replicates, ascending.
    pub fn replicates(&self) -> &[f64] {
        &self.sorted
    }

    /// The `q` quantile (type 7, as R's and numpy's default): linear between order statistics.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.sorted.len();
        if n == 0 {
            return None;
        }
        let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
        let (lo, frac) = (h.floor() as usize, h - h.floor());
        let hi = (lo + 1).min(n - 1);
        Some(self.sorted[lo] + frac * (self.sorted[hi] - self.sorted[lo]))
    }

    /// The share of defined replicates strictly below `min`: Hayes & Krippendorff's q, the probability of failing to
    /// reach `min`.
    pub fn share_below(&self, min: f64) -> Option<f64> {
        let n = self.sorted.len();
        (n > 0).then(|| self.sorted.partition_point(|&x| x < min) as f64 / n as f64)
    }

    /// The standard deviation of the replicates (n − 1 in the denominator): the bootstrap standard error.
    pub fn standard_error(&self) -> Option<f64> {
        let n = self.sorted.len();
        if n < 2 {
            return None;
        }
        let mean = self.sorted.iter().sum::<f64>() / n as f64;
        Some((self.sorted.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64).sqrt())
    }

    /// The percentile interval at `level`, with the standard error and the counts behind it.
    pub fn interval(&self, level: f64) -> Option<Interval> {
        let tail = (1.0 - level) / 2.0;
        Some(Interval {
            low: self.quantile(tail)?,
            high: self.quantile(1.0 - tail)?,
            level,
            std_error: self.standard_error().unwrap_or(0.0),
            replicates: self.sorted.len(),
            undefined: self.undefined,
        })
    }
}

/// A bootstrap percentile interval, as the reports carry it next to the figure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// The nominal coverage, e.g. 0.95.
    pub level: f64,
    /// The replicates' standard deviation.
    pub std_error: f64,
    /// Replicates where the figure was defined.
    pub replicates: usize,
    /// Replicates where it was not (e.g. every drawn item had one label): left out of the interval.
    pub undefined: usize,
}

/// Runs `settings.replicates` replicates of `k` figures at once over the same draws: `figures(counts, out)` fills
/// `out[j]` with figure j on a replicate whose kind counts are `counts` (`None` when undefined). `progress(done)` is
/// called every 50 replicates, for a worker to report.
pub fn bootstrap(
    draws: &Draws,
    kinds: usize,
    k: usize,
    settings: BootstrapSettings,
    mut figures: impl FnMut(&[u32], &mut [Option<f64>]),
    mut progress: impl FnMut(usize),
) -> Vec<Distribution> {
    let mut rng = SplitMix64::new(settings.seed);
    let mut counts = vec![0u32; kinds];
    let mut out = vec![None; k];
    let mut values: Vec<Vec<f64>> = vec![Vec::with_capacity(settings.replicates); k];
    let mut undefined = vec![0usize; k];
    for r in 0..settings.replicates {
        draws.replicate(&mut rng, &mut counts);
        out.fill(None);
        figures(&counts, &mut out);
        for j in 0..k {
            match out[j] {
                Some(x) if x.is_finite() => values[j].push(x),
                _ => undefined[j] += 1,
            }
        }
        if (r + 1) % 50 == 0 {
            progress(r + 1);
        }
    }
    values.into_iter().zip(undefined).map(|(v, u)| Distribution::new(v, u)).collect()
}

/// A seed for stream `k` of a run seeded `seed` (one per annotator pair, say), hashed so that streams do not overlap
/// (SplitMix64 streams from nearby seeds are shifts of one another).
pub fn stream_seed(seed: u64, k: u64) -> u64 {
    SplitMix64::new(seed ^ k.wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64()
}

/// The bootstrap of a ratio of sums over units — region F1 `2 Σ matches / Σ regions` over documents or images:
/// `units[k]` is unit k's (numerator, denominator), and `zero_units` more units add nothing to either (documents
/// without the label, for a label's F1). Units alike are drawn as one kind. `None` when there is no unit.
pub fn ratio_bootstrap(units: &[(f64, f64)], zero_units: u64, settings: BootstrapSettings) -> Option<Distribution> {
    let mut sorted: Vec<(u64, u64)> = units.iter().map(|&(n, d)| (n.to_bits(), d.to_bits())).collect();
    sorted.lean_sort();
    let mut kinds: Vec<(f64, f64)> = Vec::new();
    let mut weights: Vec<u64> = Vec::new();
    for run in sorted.chunk_by(|a, b| a == b) {
        kinds.push((f64::from_bits(run[0].0), f64::from_bits(run[0].1)));
        weights.push(run.len() as u64);
    }
    kinds.push((0.0, 0.0));
    weights.push(zero_units);
    let draws = Draws::new(&weights)?;
    let figure = |counts: &[u32], out: &mut [Option<f64>]| {
        let (mut num, mut den) = (0.0, 0.0);
        for (&(n, d), &c) in kinds.iter().zip(counts) {
            num += c as f64 * n;
            den += c as f64 * d;
        }
        out[0] = (den > 0.0).then(|| num / den);
    };
    bootstrap(&draws, kinds.len(), 1, settings, figure, |_| {}).pop()
}

/// [`ratio_bootstrap`]'s interval at `settings.level`, drawn from stream `stream` of `settings.seed`.
pub fn ratio_interval(
    units: &[(f64, f64)],
    zero_units: u64,
    settings: BootstrapSettings,
    stream: u64,
) -> Option<Interval> {
    let settings = BootstrapSettings { seed: stream_seed(settings.seed, stream), ..settings };
    ratio_bootstrap(units, zero_units, settings)?.interval(settings.level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_draws_follow_the_weights() {
        let weights = [1u64, 0, 3, 6];
        let draws = Draws::new(&weights).unwrap();
        let mut rng = SplitMix64::new(11);
        let mut totals = [0u64; 4];
        let mut counts = [0u32; 4];
        for _ in 0..20_000 {
            draws.replicate(&mut rng, &mut counts);
            assert_eq!(
                counts.iter().map(|&c| c as u64).sum::<u64>(),
                10,
                "a replicate draws as many units as the data"
            );
            for (t, c) in totals.iter_mut().zip(counts) {
                *t += c as u64;
            }
        }
        assert_eq!(totals[1], 0, "a kind of weight 0 is never drawn");
        for (t, w) in totals.iter().zip(weights) {
            let share = *t as f64 / 200_000.0;
            assert!((share - w as f64 / 10.0).abs() < 0.005, "share {share} for weight {w}");
        }
    }

    #[test]
    fn a_ratio_bootstrap_of_equal_units_has_no_spread_and_zero_units_widen_a_labels_ratio() {
        let s = BootstrapSettings { replicates: 200, seed: 1, level: 0.95 };
        let same = ratio_bootstrap(&[(2.0, 4.0); 10], 0, s).unwrap();
        assert_eq!((same.quantile(0.0), same.quantile(1.0)), (Some(0.5), Some(0.5)));
        // One unit with the figure among many without: replicates that miss it are undefined.
        let rare = ratio_bootstrap(&[(1.0, 2.0)], 9, s).unwrap();
        assert!(rare.replicates().iter().all(|&x| x == 0.5));
        assert!(rare.interval(0.95).unwrap().undefined > 0);
        assert!(ratio_bootstrap(&[], 0, s).is_none());
    }

    #[test]
    fn nothing_to_draw_is_none() {
        assert!(Draws::new(&[]).is_none());
        assert!(Draws::new(&[0, 0]).is_none());
    }

    #[test]
    fn quantiles_interpolate_like_numpy() {
        // numpy.quantile([1, 2, 3, 4, 10], [0.025, 0.5, 0.975]) = [1.1, 3.0, 9.4]
        let d = Distribution::new(vec![10.0, 3.0, 1.0, 4.0, 2.0], 0);
        assert!((d.quantile(0.025).unwrap() - 1.1).abs() < 1e-12);
        assert_eq!(d.quantile(0.5), Some(3.0));
        assert!((d.quantile(0.975).unwrap() - 9.4).abs() < 1e-12);
        assert_eq!(d.share_below(3.0), Some(0.4));
        // statistics.stdev([1, 2, 3, 4, 10]) = 3.5355339059327378
        assert!((d.standard_error().unwrap() - 3.5355339059327378).abs() < 1e-12);
    }

    #[test]
    fn the_same_seed_gives_the_same_replicates() {
        let draws = Draws::new(&[5, 2, 9]).unwrap();
        let run = |seed| {
            let s = BootstrapSettings { replicates: 100, seed, level: 0.95 };
            bootstrap(&draws, 3, 1, s, |c, out| out[0] = Some(c[0] as f64), |_| {})
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3), run(4));
    }
}
