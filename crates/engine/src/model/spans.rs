//! Span annotations of many annotators: one [`SpanDoc`] per (document, annotator) that annotated it — a document
//! an annotator saw and marked nothing in is an empty `SpanDoc`, not an absent one.

use super::table::Interner;
use crate::sorting::LeanSort;

/// A span `[start, end)` with a label id. Units are Unicode code points (span JSONL) or tokens (IOB2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub label: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SpanDoc {
    pub item: u32,
    pub annotator: u32,
    /// Sorted by (start, end, label).
    pub spans: Vec<Span>,
}

/// Whether offsets count code points or tokens; serialised `code_points` or `tokens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanUnit {
    CodePoints,
    Tokens,
}

#[derive(Debug, Clone)]
pub struct SpanTable {
    pub items: Interner,
    pub annotators: Interner,
    pub labels: Interner,
    pub unit: SpanUnit,
    /// Sorted by (item, annotator).
    pub docs: Vec<SpanDoc>,
}

impl SpanTable {
    pub fn new(unit: SpanUnit) -> Self {
        SpanTable {
            items: Interner::default(),
            annotators: Interner::default(),
            labels: Interner::default(),
            unit,
            docs: Vec::new(),
        }
    }
    /// Adds one annotator's documents (as read by a span reader).
    pub fn add_annotator(&mut self, annotator: &str, docs: Vec<(u32, Vec<Span>)>) {
        let a = self.annotators.intern(annotator);
        self.docs.extend(docs.into_iter().map(|(item, spans)| SpanDoc { item, annotator: a, spans }));
        self.sort();
    }
    pub fn sort(&mut self) {
        for d in &mut self.docs {
            d.spans.lean_sort();
        }
        self.docs.lean_sort_by_key(|d| (d.item, d.annotator));
    }
    pub fn n_spans(&self) -> usize {
        self.docs.iter().map(|d| d.spans.len()).sum()
    }
    /// The doc of `annotator` for `item`, if they annotated it (binary search; docs are sorted).
    pub fn doc(&self, item: u32, annotator: u32) -> Option<&SpanDoc> {
        self.docs.binary_search_by_key(&(item, annotator), |d| (d.item, d.annotator)).ok().map(|i| &self.docs[i])
    }
}
