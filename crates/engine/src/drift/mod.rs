//! Quality over time: per annotator (and overall), gold accuracy in consecutive windows — by day, by week, or every
//! N annotations — and per guideline version, with Wilson 95 % intervals. A window is *flagged* when it falls
//! significantly below the annotator's own earlier level: a one-sided two-proportion z-test (pooled variance)
//! of the window against all of the annotator's previous windows gives p < `alpha`, and the drop is at least
//! `min_drop` (so a tiny but "significant" dip on a huge sample is not an alarm).

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::gold::{wilson::Z95, wilson_interval};

/// One gold-checked annotation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// Who made it (an id of the caller's list).
    pub annotator: u32,
    /// Seconds since the epoch (or any increasing clock).
    pub time: i64,
    /// Whether it matched gold.
    pub correct: bool,
    /// Guideline version id (index into the caller's list).
    pub version: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
/// How observations are grouped into windows.
pub enum Window {
    /// Fixed time windows of this many seconds (86 400 for days), aligned to UTC midnight; windows of whole weeks
    /// start on Monday (ISO 8601), not on the epoch's Thursday.
    Seconds(i64),
    /// Every `n` annotations of the annotator (or overall).
    Count(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
/// When a window's accuracy counts as a drop.
pub struct DriftOptions {
    /// The windows.
    pub window: Window,
    /// Significance level of the one-sided test against the baseline.
    pub alpha: f64,
    /// The least drop (in accuracy) worth flagging.
    pub min_drop: f64,
    /// Annotations the earlier windows must hold before a drop can be flagged.
    pub min_baseline: u64,
}

impl Default for DriftOptions {
    /// Weekly windows; α = 0.001 because every window is a test — over a year of weekly checks a stable annotator
    /// raises a false alarm with probability ≈ 5 %, while an 8-point drop on ~300 gold checks a week gives p ≈ 1e-5.
    fn default() -> Self {
        DriftOptions { window: Window::Seconds(7 * 86_400), alpha: 0.001, min_drop: 0.05, min_baseline: 30 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// One window's accuracy on gold.
pub struct WindowStat {
    /// First and last time in the window.
    pub start: i64,
    /// Last time in the window.
    pub end: i64,
    /// Gold checks in the window.
    pub n: u64,
    /// Of those, correct.
    pub correct: u64,
    /// `correct / n`.
    pub accuracy: f64,
    /// Wilson 95 % interval of the accuracy.
    pub ci95: [f64; 2],
    /// Pooled accuracy of the earlier windows.
    pub baseline: Option<f64>,
    /// One-sided p-value of "this window is below the baseline".
    pub p_value: Option<f64>,
    /// Below the baseline by at least `min_drop`, with p below α.
    pub flagged: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// Accuracy on gold under one guideline version.
pub struct VersionStat {
    /// Gold checks.
    pub n: u64,
    /// Accuracy.
    pub accuracy: f64,
    /// Wilson 95 % interval.
    pub ci95: [f64; 2],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// Windows in time order, and accuracy per guideline version.
pub struct DriftSeries {
    /// The windows.
    pub windows: Vec<WindowStat>,
    /// Per guideline version id.
    pub by_version: BTreeMap<u32, VersionStat>,
}

/// Windows per annotator id, and overall (all annotators pooled).
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    /// Per annotator id.
    pub annotators: Vec<DriftSeries>,
    /// All annotators pooled.
    pub overall: DriftSeries,
}

/// Accuracy on gold in windows, per annotator and overall, with drops against the earlier windows flagged.
pub fn drift(observations: &[Observation], n_annotators: usize, opts: DriftOptions) -> Drift {
    let mut per: Vec<Vec<Observation>> = vec![Vec::new(); n_annotators];
    for o in observations {
        per[o.annotator as usize].push(*o);
    }
    let mut all = observations.to_vec();
    all.lean_sort_by_key(|o| o.time);
    Drift {
        annotators: per
            .into_iter()
            .map(|mut v| {
                v.lean_sort_by_key(|o| o.time);
                series(&v, opts)
            })
            .collect(),
        overall: series(&all, opts),
    }
}

fn series(obs: &[Observation], opts: DriftOptions) -> DriftSeries {
    // Split into windows.
    let mut groups: Vec<&[Observation]> = Vec::new();
    match opts.window {
        Window::Count(n) => groups.extend(obs.chunks(n.max(1))),
        Window::Seconds(s) => {
            // 1970-01-01 was a Thursday: shift by 3 days so that week windows begin on Mondays.
            let shift = if s % (7 * 86_400) == 0 { 3 * 86_400 } else { 0 };
            let key_of = |t: i64| (t + shift).div_euclid(s);
            let mut start = 0;
            while start < obs.len() {
                let key = key_of(obs[start].time);
                let end = start + obs[start..].iter().take_while(|o| key_of(o.time) == key).count();
                groups.push(&obs[start..end]);
                start = end;
            }
        }
    }
    let (mut before_n, mut before_c) = (0u64, 0u64);
    let mut windows = Vec::with_capacity(groups.len());
    for g in groups {
        let n = g.len() as u64;
        let c = g.iter().filter(|o| o.correct).count() as u64;
        let acc = c as f64 / n as f64;
        let (lo, hi) = wilson_interval(c, n, Z95).unwrap_or((0.0, 1.0));
        let (baseline, p_value) = if before_n >= opts.min_baseline {
            let base = before_c as f64 / before_n as f64;
            (Some(base), Some(one_sided_drop_p(c, n, before_c, before_n)))
        } else {
            (None, None)
        };
        let flagged = matches!((baseline, p_value), (Some(b), Some(p)) if p < opts.alpha && b - acc >= opts.min_drop);
        windows.push(WindowStat {
            start: g[0].time,
            end: g[g.len() - 1].time,
            n,
            correct: c,
            accuracy: acc,
            ci95: [lo, hi],
            baseline,
            p_value,
            flagged,
        });
        before_n += n;
        before_c += c;
    }
    let mut by_version: BTreeMap<u32, (u64, u64)> = BTreeMap::new();
    for o in obs {
        let e = by_version.entry(o.version).or_default();
        e.0 += 1;
        e.1 += o.correct as u64;
    }
    let by_version = by_version
        .into_iter()
        .map(|(v, (n, c))| {
            let (lo, hi) = wilson_interval(c, n, Z95).unwrap_or((0.0, 1.0));
            (v, VersionStat { n, accuracy: c as f64 / n as f64, ci95: [lo, hi] })
        })
        .collect();
    DriftSeries { windows, by_version }
}

/// P(Z ≤ z) for the two-proportion z statistic of window (c1/n1) against baseline (c0/n0), pooled variance.
pub fn one_sided_drop_p(c1: u64, n1: u64, c0: u64, n0: u64) -> f64 {
    let (p1, p0) = (c1 as f64 / n1 as f64, c0 as f64 / n0 as f64);
    let pooled = (c1 + c0) as f64 / (n1 + n0) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n0 as f64)).sqrt();
    if se == 0.0 {
        return if p1 < p0 { 0.0 } else { 1.0 };
    }
    normal_cdf((p1 - p0) / se)
}

/// Φ(z) through erfc, by the Chebyshev fit of Numerical Recipes (§6.2; fractional error < 1.2e-7 everywhere) —
/// ample for a p-value compared with 0.01.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.26551223
            + t * (1.00002368
                + t * (0.37409196
                    + t * (0.09678418
                        + t * (-0.18628806
                            + t * (0.27886807
                                + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}
