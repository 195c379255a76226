//! Span annotations of many annotators: one [`SpanDoc`] per (document, annotator) that annotated it — a document
//! an annotator saw and marked nothing in is an empty `SpanDoc`, not an absent one.

use super::table::Interner;
use crate::sorting::LeanSort;

/// A span `[start, end)` with a label id. Units are Unicode code points (span JSONL) or tokens (IOB2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// Start offset.
    pub start: u32,
    /// End offset (exclusive).
    pub end: u32,
    /// The label's id.
    pub label: u32,
}

#[derive(Debug, Clone, PartialEq)]
/// One annotator's spans on one document.
pub struct SpanDoc {
    /// The document's id.
    pub item: u32,
    /// The annotator's id.
    pub annotator: u32,
    /// Sorted by (start, end, label).
    pub spans: Vec<Span>,
}

/// Whether offsets count code points or tokens; serialised `code_points` or `tokens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanUnit {
    /// Offsets count code points.
    CodePoints,
    /// Offsets count tokens.
    Tokens,
}

#[derive(Debug, Clone)]
/// Spans of many annotators over documents.
pub struct SpanTable {
    /// Document names.
    pub items: Interner,
    /// Annotator names.
    pub annotators: Interner,
    /// Label names.
    pub labels: Interner,
    /// What offsets count.
    pub unit: SpanUnit,
    /// Sorted by (item, annotator).
    pub docs: Vec<SpanDoc>,
}

impl SpanTable {
    /// An empty table whose offsets count `unit`.
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
    /// Sorts documents by (item, annotator) and each one's spans by position.
    pub fn sort(&mut self) {
        for d in &mut self.docs {
            d.spans.lean_sort();
        }
        self.docs.lean_sort_by_key(|d| (d.item, d.annotator));
    }
    /// Spans in the table.
    pub fn n_spans(&self) -> usize {
        self.docs.iter().map(|d| d.spans.len()).sum()
    }
    /// The doc of `annotator` for `item`, if they annotated it (binary search; docs are sorted).
    pub fn doc(&self, item: u32, annotator: u32) -> Option<&SpanDoc> {
        self.docs.binary_search_by_key(&(item, annotator), |d| (d.item, d.annotator)).ok().map(|i| &self.docs[i])
    }
}
