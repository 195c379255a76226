//! Consensus spans. *Exact*: a span (start, end, label) is kept when at least `quorum` annotators of the document
//! marked it exactly. *Overlap*: same-label spans are clustered when they overlap (transitively); a cluster is kept
//! when at least `quorum` distinct annotators contributed to it, and its consensus boundaries are the median start
//! and median end of its members (lower median), a robust choice when one annotator drifts at an edge.

use crate::model::{Span, SpanTable};
use crate::sorting::LeanSort;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// How spans of different annotators count as the same.
pub enum SpanMerge {
    /// Same start, end and label.
    Exact,
    /// Overlapping with the same label.
    Overlap,
}

/// Consensus spans per item id (items nobody annotated get `None`).
pub fn span_consensus(t: &SpanTable, quorum: usize, merge: SpanMerge) -> Vec<Option<Vec<Span>>> {
    let mut out = vec![None; t.items.len()];
    let mut start = 0;
    while start < t.docs.len() {
        let item = t.docs[start].item;
        let end = start + t.docs[start..].iter().take_while(|d| d.item == item).count();
        // (span, annotator) of every annotator of this item.
        let mut all: Vec<(Span, u32)> =
            t.docs[start..end].iter().flat_map(|d| d.spans.iter().map(move |s| (*s, d.annotator))).collect();
        let mut kept = Vec::new();
        match merge {
            SpanMerge::Exact => {
                all.lean_sort();
                all.dedup();
                let mut i = 0;
                while i < all.len() {
                    let j = i + all[i..].iter().take_while(|(s, _)| *s == all[i].0).count();
                    if j - i >= quorum {
                        kept.push(all[i].0);
                    }
                    i = j;
                }
            }
            SpanMerge::Overlap => {
                all.lean_sort_by_key(|(s, a)| (s.label, s.start, s.end, *a));
                let mut i = 0;
                while i < all.len() {
                    let (label, mut reach) = (all[i].0.label, all[i].0.end);
                    let mut j = i + 1;
                    while j < all.len() && all[j].0.label == label && all[j].0.start < reach {
                        reach = reach.max(all[j].0.end);
                        j += 1;
                    }
                    let cluster = &all[i..j];
                    let mut who: Vec<u32> = cluster.iter().map(|c| c.1).collect();
                    who.lean_sort();
                    who.dedup();
                    if who.len() >= quorum {
                        let mut starts: Vec<u32> = cluster.iter().map(|c| c.0.start).collect();
                        let mut ends: Vec<u32> = cluster.iter().map(|c| c.0.end).collect();
                        starts.lean_sort();
                        ends.lean_sort();
                        let (s, e) = (starts[(starts.len() - 1) / 2], ends[(ends.len() - 1) / 2]);
                        if s < e {
                            kept.push(Span { start: s, end: e, label });
                        }
                    }
                    i = j;
                }
            }
        }
        kept.lean_sort();
        out[item as usize] = Some(kept);
        start = end;
    }
    out
}
