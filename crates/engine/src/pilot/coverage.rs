//! Whether α's 95 % intervals cover the truth 95 % of the time, checked by simulation (the standard check of an
//! interval method; e.g. Zapf et al. 2016, BMC Med. Res. Methodol. 16:93).
//!
//! Each simulated study labels `items` items, each by the same `annotators`, from `labels` equally likely classes;
//! each annotator gives the true class with probability r and otherwise a class drawn uniformly (the true one
//! included) — `synthetic::CrowdSpec`. Two labels on an item then agree with probability `r² + (1 − r²)/L`, and chance
//! agreement is `1/L`, so the population's α is exactly `r²`: a study with r = √α₀ has population α = α₀. The
//! coverage is the share of studies whose interval contains α₀.

use serde::Serialize;

use crate::agreement::{categorical_bootstrap, hayes_krippendorff, Metric};
use crate::model::CategoricalTable;
use crate::resample::{stream_seed, BootstrapSettings, Interval};
use crate::synthetic::{crowd_table, CrowdSpec};

/// Which interval is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalMethod {
    /// Items resampled (`agreement::item_bootstrap`): the interval the pilot gate reads.
    ItemBootstrap,
    /// Pairs of values resampled (`agreement::hayes_krippendorff`).
    HayesKrippendorff,
}

/// The simulated studies' design.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StudyDesign {
    /// Items per study.
    pub items: usize,
    /// Labels.
    pub labels: u32,
    /// Annotators per item.
    pub annotators: u32,
    /// α₀, in (0, 1].
    pub population_alpha: f64,
}

impl StudyDesign {
    /// Study `s` of a simulation seeded `seed`: its own data stream.
    pub fn study(&self, seed: u64, s: usize) -> CategoricalTable {
        let spec = CrowdSpec {
            annotations: self.items * self.annotators as usize,
            labels: self.labels,
            per_item: self.annotators,
            pool: self.annotators,
            accuracy: self.population_alpha.max(0.0).sqrt(),
            seed: study_seed(seed, s),
        };
        crowd_table(spec).finish().expect("one label per item and annotator")
    }
}

/// A seed for study `s` of a run seeded `seed`.
pub(super) fn study_seed(seed: u64, s: usize) -> u64 {
    stream_seed(seed, s as u64)
}

/// The nominal α interval of one study by `method`, with α.
pub fn alpha_interval(
    table: &CategoricalTable,
    method: IntervalMethod,
    settings: BootstrapSettings,
) -> Option<(f64, Interval)> {
    match method {
        IntervalMethod::ItemBootstrap => {
            let alpha = crate::agreement::alpha(table, Metric::Nominal, None)?;
            let b = categorical_bootstrap(table, None, settings, |_| {})?;
            Some((alpha, b.alpha[0].as_ref()?.interval(settings.level)?))
        }
        IntervalMethod::HayesKrippendorff => {
            let b = hayes_krippendorff(table, Metric::Nominal, None, settings, |_| {})?;
            Some((b.alpha, b.distribution.interval(settings.level)?))
        }
    }
}

/// One row of the coverage table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// The interval method.
    pub method: IntervalMethod,
    /// Items per study.
    pub items: usize,
    /// Labels.
    pub labels: u32,
    /// Annotators per item.
    pub annotators: u32,
    /// α₀, the population's α.
    pub population_alpha: f64,
    /// Studies simulated.
    pub studies: usize,
    /// Bootstrap replicates per study.
    pub replicates: usize,
    /// Studies whose interval contains α₀, and their share.
    pub covered: usize,
    /// Share of the studies whose interval contains α₀.
    pub coverage: f64,
    /// Studies whose interval lies above α₀ (a gate on the lower bound would have opened too easily), and below it.
    pub missed_above: usize,
    /// Studies whose interval lies below α₀.
    pub missed_below: usize,
    /// Studies where α or its interval was undefined (left out of the share).
    pub undefined: usize,
    /// Mean α over the studies.
    pub mean_alpha: f64,
    /// Mean interval width.
    pub mean_width: f64,
}

/// Runs `studies` studies of `design` and counts how often `method`'s interval covers α₀. Deterministic in `seed`.
pub fn simulate_coverage(
    design: StudyDesign,
    method: IntervalMethod,
    studies: usize,
    settings: BootstrapSettings,
    seed: u64,
) -> Coverage {
    let alpha0 = design.population_alpha;
    let (mut covered, mut above, mut below, mut undefined) = (0, 0, 0, 0);
    let (mut sum_alpha, mut sum_width) = (0.0, 0.0);
    for s in 0..studies {
        let table = design.study(seed, s);
        let boot = BootstrapSettings { seed: study_seed(seed.wrapping_add(1), s), ..settings };
        match alpha_interval(&table, method, boot) {
            None => undefined += 1,
            Some((alpha, i)) => {
                sum_alpha += alpha;
                sum_width += i.high - i.low;
                if i.low > alpha0 {
                    above += 1;
                } else if i.high < alpha0 {
                    below += 1;
                } else {
                    covered += 1;
                }
            }
        }
    }
    let defined = (studies - undefined).max(1) as f64;
    Coverage {
        method,
        items: design.items,
        labels: design.labels,
        annotators: design.annotators,
        population_alpha: alpha0,
        studies,
        replicates: settings.replicates,
        covered,
        coverage: covered as f64 / defined,
        missed_above: above,
        missed_below: below,
        undefined,
        mean_alpha: sum_alpha / defined,
        mean_width: sum_width / defined,
    }
}
