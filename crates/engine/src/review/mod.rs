//! Review of individual annotations — the step between the annotators and QC. A reviewer goes through a queue of
//! annotations (by default those that disagree with the item's consensus: where errors are likeliest) and accepts
//! each, fixes it (the reviewer's label is kept beside the annotator's, never over it), or rejects it with an error
//! category, the guideline section it goes against and a comment.
//!
//! - [`queue`]: the queue and the reviewer's verdicts;
//! - [`tally`]: errors from reviews and QC checks, by category (Pareto) and by guideline section;
//! - [`throughput`]: items per hour per annotator, from when labels were made;
//! - [`timeline`]: accuracy on gold over time per annotator, with guideline-version markers and drift flags;
//! - [`versions`]: agreement and errors per guideline section, per guideline version (did an edit help?);
//! - [`final_dataset`]: final labels (arbiter > reviewer's fix > consensus) and the final files.

pub mod batch;
pub mod final_dataset;
pub mod queue;
pub mod regions;
pub mod tally;
pub mod throughput;
pub mod timeline;
pub mod versions;

pub use batch::{BatchReport, ReviewOptions};
pub use final_dataset::{final_labels, FinalLabel};
pub use queue::{pool_reasons, review_pool, review_queue, QueueEntry, QueueIndex, QueueScope, Review, Verdict};
pub use tally::{error_tally, ErrorTally};
pub use throughput::{seconds_per_label, throughput, Throughput, IDLE_GAP};
pub use timeline::{accuracy_over_time, AccuracyTimeline};
pub use versions::{figures_by_version, SectionFigures, VersionFigures};
