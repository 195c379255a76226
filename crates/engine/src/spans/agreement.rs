//! Span agreement between every pair of annotators over the documents both annotated. For a pair (a, b), a is the
//! reference: precision = matches / |b's spans|, recall = matches / |a's spans|; F1 is symmetric. Reported for
//! exact and for overlap matching (see `matching.rs`), and per label (micro over all pairs).

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use serde::Serialize;

use super::matching::{exact_matches, for_each_exact_match, overlap_matches, Prf};
use crate::model::{SpanTable, SpanUnit};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanPair {
    pub a: String,
    pub b: String,
    pub documents: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub overlap: Prf,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanAgreementReport {
    pub documents: usize,
    pub annotators: usize,
    pub spans: usize,
    /// `code_points` or `tokens`.
    pub unit: &'static str,
    pub pairwise: Vec<SpanPair>,
    /// Micro-averaged over all pairs.
    pub f1: Option<f64>,
    pub overlap_f1: Option<f64>,
    /// Exact-match F1 per label, micro over all pairs: `2 Σ matches_l / Σ (|a_l| + |b_l|)`.
    pub per_label: BTreeMap<String, Prf>,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    docs: u64,
    matched: u64,
    overlap: u64,
    a: u64,
    b: u64,
}

pub fn span_agreement(t: &SpanTable) -> SpanAgreementReport {
    let n_ann = t.annotators.len();
    let n_lab = t.labels.len();
    let mut pair_counts = vec![Counts::default(); n_ann * n_ann];
    let (mut lab_match, mut lab_total) = (vec![0u64; n_lab], vec![0u64; n_lab]);
    // Docs are sorted by (item, annotator): each item's docs are one run.
    let mut start = 0;
    while start < t.docs.len() {
        let item = t.docs[start].item;
        let end = start + t.docs[start..].iter().take_while(|d| d.item == item).count();
        let run = &t.docs[start..end];
        for x in 0..run.len() {
            for y in x + 1..run.len() {
                let (da, db) = (&run[x], &run[y]);
                let c = &mut pair_counts[da.annotator as usize * n_ann + db.annotator as usize];
                c.docs += 1;
                c.matched += exact_matches(&da.spans, &db.spans) as u64;
                c.overlap += overlap_matches(&da.spans, &db.spans).len() as u64;
                c.a += da.spans.len() as u64;
                c.b += db.spans.len() as u64;
                for s in da.spans.iter().chain(&db.spans) {
                    lab_total[s.label as usize] += 1;
                }
                for_each_exact_match(&da.spans, &db.spans, |s| lab_match[s.label as usize] += 1);
            }
        }
        start = end;
    }
    let mut pairwise = Vec::new();
    let mut all = Counts::default();
    for a in 0..n_ann {
        for b in 0..n_ann {
            let c = pair_counts[a * n_ann + b];
            if c.docs == 0 {
                continue;
            }
            all.matched += c.matched;
            all.overlap += c.overlap;
            all.a += c.a;
            all.b += c.b;
            let (na, nb) = (t.annotators.name(a as u32), t.annotators.name(b as u32));
            // Present each pair with names in order; swapping a and b swaps precision and recall.
            let (first, second, c) = if na <= nb { (na, nb, c) } else { (nb, na, Counts { a: c.b, b: c.a, ..c }) };
            let exact = Prf::from_counts(c.matched, c.b, c.a);
            pairwise.push(SpanPair {
                a: first.to_string(),
                b: second.to_string(),
                documents: c.docs,
                precision: exact.precision,
                recall: exact.recall,
                f1: exact.f1,
                overlap: Prf::from_counts(c.overlap, c.b, c.a),
            });
        }
    }
    pairwise.lean_sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    let micro = |m: u64| (all.a + all.b > 0).then(|| 2.0 * m as f64 / (all.a + all.b) as f64);
    let per_label = (0..n_lab)
        .filter(|&l| lab_total[l] > 0)
        .map(|l| {
            let f1 = 2.0 * lab_match[l] as f64 / lab_total[l] as f64;
            (t.labels.name(l as u32).to_string(), Prf { precision: f1, recall: f1, f1 })
        })
        .collect();
    SpanAgreementReport {
        documents: t.items.len(),
        annotators: n_ann,
        spans: t.n_spans(),
        unit: match t.unit {
            SpanUnit::CodePoints => "code_points",
            SpanUnit::Tokens => "tokens",
        },
        pairwise,
        f1: micro(all.matched),
        overlap_f1: micro(all.overlap),
        per_label,
    }
}
