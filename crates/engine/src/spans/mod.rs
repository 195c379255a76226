//! Span measures: matching two span sets (exact or overlap), agreement between annotators and scores against gold.
//! Precision, recall and F1 follow seqeval: micro-averaged counts, and 0 where a ratio has a zero denominator
//! (seqeval's `zero_division=0`).

pub(crate) mod agreement;
pub(crate) mod gold;
pub(crate) mod matching;
pub(crate) mod policy;

pub use agreement::{span_agreement, span_agreement_with_intervals, SpanAgreementReport, SpanPair};
pub use gold::{span_gold, AnnotatorSpanScore, SpanGoldReport, TypeScore};
pub use matching::{exact_matches, for_each_exact_match, overlap_matches, Prf};
pub use policy::overlap_conflict;
