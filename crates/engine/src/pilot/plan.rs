//! How many items a pilot needs: the smallest pilot whose gate opens with probability at least `1 − risk` when the
//! team's true α is the expected one — so that a team as good as it expects is sent back to calibrate by chance at
//! most `risk` of the time, while the rule itself (the lower bound, by default) keeps a team truly at the minimum
//! out 97.5 % of the time.
//!
//! By simulation over the project's design (`coverage.rs`'s studies: its label count, its annotators per item,
//! equally likely labels): each candidate size runs `studies` studies with population α = expected, bootstraps each,
//! and applies the gate (`gate.rs`). Sizes double from 25 until the gate opens often enough, then are bisected to
//! the nearest 25 items; the probability grows with the size, up to simulation noise.

use crate::sorting::LeanSort;
use serde::{Deserialize, Serialize};

use super::coverage::{study_seed, StudyDesign};
use super::gate::{pilot_gate, AlphaEvidence};
use crate::agreement::{alpha, categorical_bootstrap, Metric};
use crate::bundle::GateRule;
use crate::resample::BootstrapSettings;

/// The question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PilotQuestion {
    /// Labels in the task.
    pub labels: u32,
    /// Annotators per pilot item.
    pub annotators: u32,
    /// The α the team expects the pilot to measure.
    pub expected_alpha: f64,
    /// The minimum α the gate asks for.
    pub min_agreement: f64,
    /// The gate's rule.
    pub rule: GateRule,
    /// The accepted chance of a needless second pilot.
    pub risk: f64,
    /// Studies simulated per size.
    pub studies: usize,
    /// The bootstrap each simulated gate runs.
    pub bootstrap: BootstrapSettings,
    /// Seed of the simulation.
    pub seed: u64,
}

impl PilotQuestion {
    /// The question with the simulation's defaults: 200 pilots per size, 500 bootstrap replicates each, seed 0 —
    /// what `concord plan --pilot` and review mode use.
    pub fn new(
        labels: u32,
        annotators: u32,
        expected_alpha: f64,
        min_agreement: f64,
        rule: GateRule,
        risk: f64,
    ) -> Self {
        PilotQuestion {
            labels,
            annotators,
            expected_alpha,
            min_agreement,
            rule,
            risk,
            studies: 200,
            bootstrap: BootstrapSettings { replicates: 500, seed: 0, level: 0.95 },
            seed: 0,
        }
    }
}

/// The answer, with the simulated probability that the gate opens at each size tried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PilotPlan {
    /// Items the pilot needs; `None` when even the largest size tried is not enough (or the expected α does not
    /// clear the minimum at all).
    pub items: Option<usize>,
    /// P(gate opens) at `items`.
    pub probability_open: Option<f64>,
    /// The expected α asked about.
    pub expected_alpha: f64,
    /// The minimum α.
    pub min_agreement: f64,
    /// The gate's rule.
    pub rule: GateRule,
    /// The accepted risk.
    pub risk: f64,
    /// Labels.
    pub labels: u32,
    /// Annotators per item.
    pub annotators: u32,
    /// Studies simulated per size.
    pub studies: usize,
    /// Bootstrap replicates per study.
    pub replicates: usize,
    /// (items, P(gate opens)) for every size simulated, ascending.
    pub tried: Vec<(usize, f64)>,
}

/// The largest pilot considered.
pub const MAX_PILOT: usize = 12_800;
const STEP: usize = 25;

/// The pilot size at which the gate opens with probability 1 − risk, by simulation (`progress` gets each size tried).
pub fn plan_pilot(q: PilotQuestion, mut progress: impl FnMut(usize)) -> PilotPlan {
    let mut tried: Vec<(usize, f64)> = Vec::new();
    let mut open_share = |items: usize, tried: &mut Vec<(usize, f64)>| -> f64 {
        let p = probability_open(&q, items);
        tried.push((items, p));
        progress(tried.len());
        p
    };
    let target = 1.0 - q.risk;
    let mut found = None;
    if q.expected_alpha > q.min_agreement {
        let (mut low, mut n) = (0usize, STEP);
        while n <= MAX_PILOT {
            if open_share(n, &mut tried) >= target {
                found = Some(n);
                break;
            }
            low = n;
            n *= 2;
        }
        // Bisect (low, found] to the nearest STEP.
        while let Some(high) = found {
            let mid = (low + high) / 2 / STEP * STEP;
            if mid <= low || mid >= high {
                break;
            }
            if open_share(mid, &mut tried) >= target {
                found = Some(mid);
            } else {
                low = mid;
            }
        }
    }
    tried.lean_sort_by_key(|t| t.0);
    let probability_open = found.and_then(|n| tried.iter().find(|t| t.0 == n).map(|t| t.1));
    PilotPlan {
        items: found,
        probability_open,
        expected_alpha: q.expected_alpha,
        min_agreement: q.min_agreement,
        rule: q.rule,
        risk: q.risk,
        labels: q.labels,
        annotators: q.annotators,
        studies: q.studies,
        replicates: q.bootstrap.replicates,
        tried,
    }
}

/// The share of simulated pilots of `items` items whose gate opens.
pub fn probability_open(q: &PilotQuestion, items: usize) -> f64 {
    let design = StudyDesign { items, labels: q.labels, annotators: q.annotators, population_alpha: q.expected_alpha };
    let mut open = 0;
    for s in 0..q.studies {
        let table = design.study(q.seed ^ items as u64, s);
        let settings = BootstrapSettings { seed: study_seed(q.bootstrap.seed ^ items as u64, s), ..q.bootstrap };
        let a = alpha(&table, Metric::Nominal, None);
        let boot = match q.rule {
            GateRule::PointEstimate => None,
            _ => categorical_bootstrap(&table, None, settings, |_| {}).and_then(|b| b.alpha.into_iter().next()?),
        };
        let evidence = AlphaEvidence {
            alpha: a,
            interval: boot.as_ref().and_then(|d| d.interval(settings.level)),
            replicates: boot.as_ref(),
        };
        open += pilot_gate(evidence, &[], &[], q.min_agreement, q.rule).open as usize;
    }
    open as f64 / q.studies.max(1) as f64
}
