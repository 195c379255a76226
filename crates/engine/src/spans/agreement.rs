//! Span agreement between every pair of annotators over the documents both annotated. For a pair (a, b), a is the
//! reference: precision = matches / |b's spans|, recall = matches / |a's spans|; F1 is symmetric. Reported for
//! exact and for overlap matching (see `matching.rs`), and per label (micro over all pairs). With a bootstrap
//! ([`span_agreement_with_intervals`]), each F1 gains an interval over documents: a replicate resamples the
//! documents, every pair's matches and spans on a document travelling with it (`resample::ratio_bootstrap`).

use crate::sorting::{find_pair, LeanSort};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::matching::{exact_matches, for_each_exact_match, overlap_matches, Prf};
use crate::agreement::BootstrapEcho;
use crate::model::{SpanTable, SpanUnit};
use crate::resample::{ratio_interval, BootstrapSettings, Interval};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Span agreement between two annotators over the documents they share.
pub struct SpanPair {
    /// One annotator (the name that sorts first).
    pub a: String,
    /// The other annotator.
    pub b: String,
    /// Documents both annotated.
    pub documents: u64,
    /// Exact-match precision of `b` against `a`.
    pub precision: f64,
    /// Exact-match recall.
    pub recall: f64,
    /// Exact-match F1 (same start, end and label).
    pub f1: f64,
    /// Precision, recall and F1 with overlapping spans of the same label matched.
    pub overlap: Prf,
    /// Exact-match F1's interval, over the documents the pair shares.
    pub f1_interval: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Span agreement between annotators: pairwise, pooled, per label.
pub struct SpanAgreementReport {
    /// Documents with at least one annotator.
    pub documents: usize,
    /// Annotators.
    pub annotators: usize,
    /// Spans given.
    pub spans: usize,
    /// `code_points` or `tokens`.
    pub unit: SpanUnit,
    /// Every pair of annotators who share a document, by name.
    pub pairwise: Vec<SpanPair>,
    /// Micro-averaged over all pairs.
    pub f1: Option<f64>,
    /// Overlap F1, pooled over pairs.
    pub overlap_f1: Option<f64>,
    /// Exact-match F1 per label, micro over all pairs: `2 Σ matches_l / Σ (|a_l| + |b_l|)`.
    pub per_label: BTreeMap<String, Prf>,
    /// The bootstrap's settings; `None`, and every interval with it, without one.
    pub bootstrap: Option<BootstrapEcho>,
    /// Bootstrap over documents.
    pub f1_interval: Option<Interval>,
    /// Bootstrap over documents.
    pub overlap_f1_interval: Option<Interval>,
    /// Each label's exact-match F1 interval, over documents.
    pub per_label_f1_interval: BTreeMap<String, Interval>,
}

/// What each document adds to the F1s, for the bootstrap over documents: (2 · matches, spans) overall (exact and
/// overlap), per ordered annotator pair, per label.
#[derive(Default)]
struct DocumentUnits {
    exact: Vec<(f64, f64)>,
    overlap: Vec<(f64, f64)>,
    pairs: BTreeMap<(u32, u32), Vec<(f64, f64)>>,
    labels: Vec<Vec<(f64, f64)>>,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    docs: u64,
    matched: u64,
    overlap: u64,
    a: u64,
    b: u64,
}

/// Pairwise and pooled span agreement of `t` (no intervals).
pub fn span_agreement(t: &SpanTable) -> SpanAgreementReport {
    agreement_and_units(t, None).0
}

/// [`span_agreement`] with intervals over documents next to each F1.
pub fn span_agreement_with_intervals(t: &SpanTable, settings: BootstrapSettings) -> SpanAgreementReport {
    let (mut report, units) = agreement_and_units(t, Some(t.labels.len()));
    let units = units.expect("units asked for");
    let interval = |u: &[(f64, f64)], zero: u64, stream: u64| ratio_interval(u, zero, settings, stream);
    report.bootstrap = Some(settings.into());
    report.f1_interval = interval(&units.exact, 0, 0);
    report.overlap_f1_interval = interval(&units.overlap, 0, 1);
    let documents = units.exact.len() as u64;
    for (l, u) in units.labels.iter().enumerate() {
        if let Some(i) = (!u.is_empty()).then(|| interval(u, documents - u.len() as u64, 2 + l as u64)).flatten() {
            report.per_label_f1_interval.insert(t.labels.name(l as u32).to_string(), i);
        }
    }
    let first = 2 + t.labels.len() as u64;
    for (k, ((a, b), u)) in units.pairs.iter().enumerate() {
        let (na, nb) = (t.annotators.name(*a), t.annotators.name(*b));
        if let Some(at) = find_pair(&report.pairwise, |p| (p.a.as_str(), p.b.as_str()), na, nb) {
            report.pairwise[at].f1_interval = interval(u, 0, first + k as u64);
        }
    }
    report
}

/// The report, and with `Some(labels)` what each document adds to it.
fn agreement_and_units(t: &SpanTable, units_for: Option<usize>) -> (SpanAgreementReport, Option<DocumentUnits>) {
    let mut units = units_for.map(|n_lab| DocumentUnits { labels: vec![Vec::new(); n_lab], ..Default::default() });
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
        // This document's (2 · exact, 2 · overlap, spans), and per label (2 · matches, spans).
        let mut doc = (0.0, 0.0, 0.0);
        let mut doc_labels: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
        for x in 0..run.len() {
            for y in x + 1..run.len() {
                let (da, db) = (&run[x], &run[y]);
                let c = &mut pair_counts[da.annotator as usize * n_ann + db.annotator as usize];
                let (exact, overlap) =
                    (exact_matches(&da.spans, &db.spans), overlap_matches(&da.spans, &db.spans).len());
                let spans = (da.spans.len() + db.spans.len()) as f64;
                c.docs += 1;
                c.matched += exact as u64;
                c.overlap += overlap as u64;
                c.a += da.spans.len() as u64;
                c.b += db.spans.len() as u64;
                for s in da.spans.iter().chain(&db.spans) {
                    lab_total[s.label as usize] += 1;
                    doc_labels.entry(s.label).or_default().1 += 1.0;
                }
                for_each_exact_match(&da.spans, &db.spans, |s| {
                    lab_match[s.label as usize] += 1;
                    doc_labels.entry(s.label).or_default().0 += 2.0;
                });
                doc = (doc.0 + 2.0 * exact as f64, doc.1 + 2.0 * overlap as f64, doc.2 + spans);
                if let Some(u) = units.as_mut() {
                    u.pairs.entry((da.annotator, db.annotator)).or_default().push((2.0 * exact as f64, spans));
                }
            }
        }
        if let Some(u) = units.as_mut() {
            u.exact.push((doc.0, doc.2));
            u.overlap.push((doc.1, doc.2));
            for (l, x) in doc_labels {
                u.labels[l as usize].push(x);
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
                f1_interval: None,
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
    let report = SpanAgreementReport {
        documents: t.items.len(),
        annotators: n_ann,
        spans: t.n_spans(),
        unit: t.unit,
        pairwise,
        f1: micro(all.matched),
        overlap_f1: micro(all.overlap),
        per_label,
        bootstrap: None,
        f1_interval: None,
        overlap_f1_interval: None,
        per_label_f1_interval: BTreeMap::new(),
    };
    (report, units)
}
