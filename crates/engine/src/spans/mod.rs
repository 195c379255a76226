//! Span measures: matching two span sets (exact or overlap), agreement between annotators and scores against gold.
//! Precision, recall and F1 follow seqeval: micro-averaged counts, and 0 where a ratio has a zero denominator
//! (seqeval's `zero_division=0`).

pub mod agreement;
pub mod gold;
pub mod matching;
pub mod policy;

pub use agreement::{span_agreement, span_agreement_with_intervals, SpanAgreementReport};
pub use gold::{span_gold, SpanGoldReport};
pub use matching::{exact_matches, overlap_matches, Prf};
