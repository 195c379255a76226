//! Span annotations scored against gold, per annotator and per type, as seqeval's `classification_report`:
//! micro-averaged precision/recall/F1 over exact chunk matches; per type, `support` is the number of gold chunks of
//! that type. Only documents that both the annotator and the gold cover count.

use std::collections::BTreeMap;

use serde::Serialize;

use super::matching::{for_each_exact_match, Prf};
use crate::model::{Span, SpanTable};

#[derive(Debug, Clone, PartialEq, Serialize)]
/// Scores of one span type against gold.
pub struct TypeScore {
    /// Of the spans given with this type, the share gold has.
    pub precision: f64,
    /// Of gold's spans of this type, the share given.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Gold spans of this type.
    pub support: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// One annotator's spans against gold.
pub struct AnnotatorSpanScore {
    /// Documents with gold that the annotator annotated.
    pub documents: u64,
    /// Exact-match precision.
    pub precision: f64,
    /// Exact-match recall.
    pub recall: f64,
    /// Exact-match F1.
    pub f1: f64,
    /// Per span type.
    pub per_type: BTreeMap<String, TypeScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// Span accuracy against gold, per annotator.
pub struct SpanGoldReport {
    /// Per annotator, by name.
    pub annotators: BTreeMap<String, AnnotatorSpanScore>,
}

/// `gold[item]` holds the gold spans of that item id (None: no gold for it). Gold and annotations must share the
/// table's interners.
pub fn span_gold(t: &SpanTable, gold: &[Option<Vec<Span>>]) -> SpanGoldReport {
    let n_lab = t.labels.len();
    let mut annotators = BTreeMap::new();
    for a in 0..t.annotators.len() as u32 {
        let (mut docs, mut pred, mut truth) = (0u64, 0u64, 0u64);
        let (mut m_l, mut p_l, mut t_l) = (vec![0u64; n_lab], vec![0u64; n_lab], vec![0u64; n_lab]);
        for d in t.docs.iter().filter(|d| d.annotator == a) {
            let Some(Some(g)) = gold.get(d.item as usize) else { continue };
            docs += 1;
            pred += d.spans.len() as u64;
            truth += g.len() as u64;
            for s in &d.spans {
                p_l[s.label as usize] += 1;
            }
            for s in g {
                t_l[s.label as usize] += 1;
            }
            for_each_exact_match(g, &d.spans, |s| m_l[s.label as usize] += 1);
        }
        if docs == 0 {
            continue;
        }
        let matched = m_l.iter().sum();
        let all = Prf::from_counts(matched, pred, truth);
        let per_type = (0..n_lab)
            .filter(|&l| t_l[l] + p_l[l] > 0)
            .map(|l| {
                let s = Prf::from_counts(m_l[l], p_l[l], t_l[l]);
                let score = TypeScore { precision: s.precision, recall: s.recall, f1: s.f1, support: t_l[l] };
                (t.labels.name(l as u32).to_string(), score)
            })
            .collect();
        annotators.insert(
            t.annotators.name(a).to_string(),
            AnnotatorSpanScore { documents: docs, precision: all.precision, recall: all.recall, f1: all.f1, per_type },
        );
    }
    SpanGoldReport { annotators }
}
