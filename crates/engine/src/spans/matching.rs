//! Matching two span sets.
//!
//! *Exact*: a span matches when (start, end, label) are equal — conlleval/seqeval chunk equality.
//! *Overlap*: spans of the same label that share at least one unit may match, one to one; pairs are taken
//! greedily by overlap length (longest first, then by position), which maximises matched overlap for the
//! interval case in practice and is deterministic.

use crate::sorting::LeanSort;
use serde::{Deserialize, Serialize};

use crate::model::Span;

/// Exact matches between two sorted span lists (multiset intersection; a merge, O(|a| + |b|)).
pub fn exact_matches(a: &[Span], b: &[Span]) -> usize {
    let mut n = 0;
    for_each_exact_match(a, b, |_| n += 1);
    n
}

/// Calls `f(span)` for each exact match of two sorted span lists.
pub fn for_each_exact_match(a: &[Span], b: &[Span], mut f: impl FnMut(&Span)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(&a[i]);
                i += 1;
                j += 1;
            }
        }
    }
}

/// One-to-one matches of same-label overlapping spans, each with `label`, for per-label counts.
pub fn overlap_matches(a: &[Span], b: &[Span]) -> Vec<u32> {
    let mut pairs: Vec<(u32, usize, usize)> = Vec::new();
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            if y.start >= x.end {
                break; // b is sorted by start
            }
            if x.label == y.label && x.start < y.end && y.start < x.end {
                let overlap = x.end.min(y.end) - x.start.max(y.start);
                pairs.push((overlap, i, j));
            }
        }
    }
    pairs.lean_sort_by(|p, q| q.0.cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
    let (mut used_a, mut used_b) = (vec![false; a.len()], vec![false; b.len()]);
    let mut labels = Vec::new();
    for (_, i, j) in pairs {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            labels.push(a[i].label);
        }
    }
    labels
}

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    /// Matched over given.
    pub precision: f64,
    /// Matched over expected.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    /// `matched` of `predicted` (for precision) and of `reference` (for recall).
    pub fn from_counts(matched: u64, predicted: u64, reference: u64) -> Prf {
        let ratio = |n: u64, d: u64| if d == 0 { 0.0 } else { n as f64 / d as f64 };
        let (precision, recall) = (ratio(matched, predicted), ratio(matched, reference));
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Prf { precision, recall, f1 }
    }
}
