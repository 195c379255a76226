//! Scoring annotations against a golden set. Classification here; spans in `crate::spans::gold`; boxes in
//! `crate::boxes::cocoeval`.

pub mod classification;
pub mod feedback;
pub mod wilson;

pub use classification::{classification_gold, ClassificationGoldReport};
pub use feedback::{feedback, GoldFeedback};
pub use wilson::wilson_interval;
