//! Scoring annotations against a golden set. Classification here; spans in `crate::spans::gold`; boxes in
//! `crate::boxes::cocoeval`.

pub(crate) mod classification;
pub(crate) mod feedback;
pub(crate) mod wilson;

pub use classification::{classification_gold, Accuracy, ClassificationGoldReport, Confusion, LabelScore};
pub use feedback::{feedback, ControlFeedback, GoldFeedback, MIN_IOU};
pub use wilson::{wilson_interval, Z95};
