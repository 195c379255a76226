//! The annotator's own panel: items today, gold accuracy, rule-violation rate — from their log alone.

use serde::Serialize;

use super::replay::Replay;
use crate::model::TaskResult;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
/// An annotator's own figures, from their log.
pub struct PersonalStats {
    /// Tasks whose last submission is at or after `since` (the start of the annotator's day).
    pub submitted_today: usize,
    /// Tasks submitted in all.
    pub submitted: usize,
    /// Submitted tasks that are training gold, and how many of those match it.
    pub gold_checked: usize,
    /// Of those, matching gold.
    pub gold_correct: usize,
    /// Submitted tasks that broke at least one rule (warnings: errors cannot be submitted).
    pub with_violations: usize,
}

impl PersonalStats {
    /// `gold_correct / gold_checked`.
    pub fn gold_accuracy(&self) -> Option<f64> {
        (self.gold_checked > 0).then(|| self.gold_correct as f64 / self.gold_checked as f64)
    }
    /// `with_violations / submitted`.
    pub fn violation_rate(&self) -> Option<f64> {
        (self.submitted > 0).then(|| self.with_violations as f64 / self.submitted as f64)
    }
}

/// `gold_match(task, result)` says whether a submitted result matches the task's training gold (`None` when the
/// task is not gold); the caller supplies it from [`crate::gold::feedback`].
pub fn personal_stats(
    replay: &Replay,
    since: u64,
    mut gold_match: impl FnMut(&str, &TaskResult) -> Option<bool>,
) -> PersonalStats {
    let mut s = PersonalStats::default();
    for task in &replay.order {
        let Some(sub) = replay.tasks[task].submitted.as_ref() else { continue };
        s.submitted += 1;
        s.submitted_today += usize::from(sub.at >= since);
        s.with_violations += usize::from(!sub.warnings.is_empty());
        if let Some(ok) = gold_match(task, &sub.result) {
            s.gold_checked += 1;
            s.gold_correct += usize::from(ok);
        }
    }
    s
}
