//! Throughput: items per hour per annotator, from the times labels were made.
//!
//! A label's time says when it was finished, not when work on it began, so the time an item took is the gap since
//! the annotator's previous label — unless that gap is longer than [`IDLE_GAP`], which starts a new session (a
//! break, the next day): the first label of a session has no measurable duration and is left out of the rate.
//! Rate = labels after the first of their session ÷ the sum of the in-session gaps.

use crate::sorting::LeanSort;
use serde::Serialize;

use crate::model::{CategoricalTable, Stamps};

/// A gap longer than this (30 min) is a break, not work.
pub const IDLE_GAP: i64 = 30 * 60;

#[derive(Debug, Clone, PartialEq, Serialize)]
/// One annotator's pace, from the times of their labels.
pub struct Throughput {
    /// The annotator.
    pub annotator: String,
    /// Labels with a time.
    pub items: usize,
    /// Working sessions (runs of labels with no gap above the idle limit).
    pub sessions: usize,
    /// Sum of the in-session gaps, in seconds.
    pub active_seconds: i64,
    /// `None` when no label has a measurable duration.
    pub per_hour: Option<f64>,
}

/// Per annotator of `table` who has stamped labels, in annotator order.
pub fn throughput(table: &CategoricalTable, stamps: &Stamps, idle_gap: i64) -> Vec<Throughput> {
    let mut times: Vec<Vec<i64>> = vec![Vec::new(); table.n_annotators()];
    for s in &stamps.rows {
        if let Some(t) = times.get_mut(s.annotator as usize) {
            t.push(s.time);
        }
    }
    times
        .into_iter()
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
        .map(|(a, mut t)| {
            t.lean_sort();
            let (mut sessions, mut active, mut timed) = (1, 0i64, 0usize);
            for w in t.windows(2) {
                let gap = w[1] - w[0];
                if gap > idle_gap {
                    sessions += 1;
                } else {
                    active += gap;
                    timed += 1;
                }
            }
            Throughput {
                annotator: table.annotators.name(a as u32).to_string(),
                items: t.len(),
                sessions,
                active_seconds: active,
                per_hour: (active > 0).then(|| timed as f64 * 3600.0 / active as f64),
            }
        })
        .collect()
}

/// Seconds per label of the team: the mean of each annotator's seconds per label (the harmonic mean of their
/// rates), over annotators with a measurable rate — what one more label costs in time, on average.
pub fn seconds_per_label(team: &[Throughput]) -> Option<f64> {
    let rates: Vec<f64> = team.iter().filter_map(|t| t.per_hour).filter(|r| *r > 0.0).collect();
    (!rates.is_empty()).then(|| rates.iter().map(|r| 3600.0 / r).sum::<f64>() / rates.len() as f64)
}
