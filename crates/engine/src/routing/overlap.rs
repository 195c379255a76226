//! Adaptive overlap. A new annotator, or one new to the current guideline version, is double-checked: their tasks
//! get the high overlap (e.g. 3). Once their last `window` gold checks under the current version reach
//! `min_accuracy`, one label of theirs suffices (the low overlap); a drift alarm (see [`crate::drift`]) or a fall
//! below the minimum puts them back on the high overlap. Disagreement always asks for more labels, up to a
//! majority.

use crate::sorting::LeanSort;
use std::collections::HashMap;

use serde::Serialize;

use crate::bundle::AdaptiveOverlap;

/// One gold check of an annotator.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldCheck {
    /// When (seconds since the epoch).
    pub time: i64,
    /// Whether the label matched gold.
    pub correct: bool,
    /// The guideline version it was made under.
    pub version: String,
}

/// Where an annotator stands, and on what evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "standing", rename_all = "snake_case")]
pub enum Standing {
    /// Fewer than `window` gold checks at all.
    New {
        /// Gold checks so far.
        checks: usize,
    },
    /// Enough checks, but fewer than `window` under the current guideline version.
    NewVersion {
        /// Gold checks under the current version.
        checks: usize,
        /// The current version.
        version: String,
    },
    /// The last `window` checks under the current version reach the minimum.
    Stable {
        /// Accuracy over those checks.
        accuracy: f64,
    },
    /// … or do not.
    Unstable {
        /// Accuracy over those checks.
        accuracy: f64,
    },
    /// A drift alarm is raised on the annotator.
    Drifting,
}

impl Standing {
    /// Whether the annotator is stable.
    pub fn is_stable(&self) -> bool {
        matches!(self, Standing::Stable { .. })
    }
    fn describe(&self, policy: &AdaptiveOverlap) -> String {
        match self {
            Standing::New { checks } => format!("new ({checks} of {} gold checks)", policy.window),
            Standing::NewVersion { checks, version } => {
                format!("new to guideline {version} ({checks} of {} gold checks under it)", policy.window)
            }
            Standing::Stable { accuracy } => {
                format!("stable ({:.0} % on the last {} gold checks)", 100.0 * accuracy, policy.window)
            }
            Standing::Unstable { accuracy } => format!(
                "below {:.0} % ({:.0} % on the last {} gold checks)",
                100.0 * policy.min_accuracy,
                100.0 * accuracy,
                policy.window
            ),
            Standing::Drifting => "drifting (a drift alarm is raised)".into(),
        }
    }
}

/// An annotator's standing from their gold checks (any order) under guideline version `current`.
pub fn standing(policy: &AdaptiveOverlap, checks: &[GoldCheck], current: &str, drifting: bool) -> Standing {
    if drifting {
        return Standing::Drifting;
    }
    let mut under: Vec<&GoldCheck> = checks.iter().filter(|c| c.version == current).collect();
    if under.len() < policy.window {
        return if checks.len() < policy.window {
            Standing::New { checks: checks.len() }
        } else {
            Standing::NewVersion { checks: under.len(), version: current.to_string() }
        };
    }
    under.lean_sort_by_key(|c| c.time);
    let last = &under[under.len() - policy.window..];
    let accuracy = last.iter().filter(|c| c.correct).count() as f64 / last.len() as f64;
    if accuracy >= policy.min_accuracy {
        Standing::Stable { accuracy }
    } else {
        Standing::Unstable { accuracy }
    }
}

/// How many more labels a task needs, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Need {
    /// Labels still needed.
    pub more: u32,
    /// Why.
    pub why: String,
}

/// For a task with `labels` so far ((annotator, label), in order), given the annotators' standings (an annotator
/// without one counts as new).
pub fn labels_needed(
    policy: &AdaptiveOverlap,
    labels: &[(String, String)],
    standings: &HashMap<String, Standing>,
) -> Need {
    let k = labels.len() as u32;
    if k == 0 {
        return Need { more: 1, why: "no label yet".into() };
    }
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for (_, l) in labels {
        *counts.entry(l.as_str()).or_default() += 1;
    }
    let top = counts.values().copied().max().unwrap_or(0);
    let ties = counts.values().filter(|&&n| n == top).count();
    if counts.len() > 1 {
        if k < policy.high {
            return Need {
                more: policy.high - k,
                why: format!("the {k} labels disagree: overlap raised to {}", policy.high),
            };
        }
        if ties > 1 {
            return Need { more: 1, why: format!("{k} labels, tied: one more to break the tie") };
        }
        return Need { more: 0, why: format!("{top} of {k} labels agree: a majority") };
    }
    let unknown = Standing::New { checks: 0 };
    let unsettled: Vec<String> = labels
        .iter()
        .filter_map(|(a, _)| {
            let s = standings.get(a).unwrap_or(&unknown);
            (!s.is_stable()).then(|| format!("{a} is {}", s.describe(policy)))
        })
        .collect();
    let target = if unsettled.is_empty() { policy.low } else { policy.high };
    let why = if unsettled.is_empty() {
        let who: Vec<String> = labels
            .iter()
            .map(|(a, _)| format!("{a} is {}", standings.get(a).unwrap_or(&unknown).describe(policy)))
            .collect();
        let (plural, verb) = if target == 1 { ("", "s") } else { ("s", "") };
        format!("{}: {target} agreeing label{plural} suffice{verb}", who.join("; "))
    } else {
        format!("{}: overlap {}", unsettled.join("; "), policy.high)
    };
    Need { more: target.saturating_sub(k), why }
}
