//! Review of individual annotations — the step between the annotators and QC. A reviewer goes through a queue of
//! annotations (by default those that disagree with the item's consensus: where errors are likeliest) and accepts
//! each, fixes it (the reviewer's label is kept beside the annotator's, never over it), or rejects it with an error
//! category, the guideline section it goes against and a comment.
//!
//! - [`review_queue`] (`queue.rs`): the queue and the reviewer's verdicts;
//! - [`error_tally`] (`tally.rs`): errors from reviews and QC checks, by category (Pareto) and by guideline section;
//! - [`throughput`] (`throughput.rs`): items per hour per annotator, from when labels were made;
//! - [`accuracy_over_time`] (`timeline.rs`): accuracy on gold over time per annotator, with guideline-version markers and drift flags;
//! - [`figures_by_version`] (`versions.rs`): agreement and errors per guideline section, per guideline version (did an edit help?);
//! - [`final_labels`] (`final_dataset.rs`): final labels (arbiter > reviewer's fix > consensus) and the final files.

pub(crate) mod batch;
pub(crate) mod final_dataset;
pub(crate) mod queue;
pub(crate) mod regions;
pub(crate) mod tally;
pub(crate) mod throughput;
pub(crate) mod timeline;
pub(crate) mod versions;

pub use final_dataset::{final_label_studio, final_labels, final_labels_csv, reviewed_long_csv, FinalLabel};
pub use queue::{
    latest_reviews, pool_reasons, review_pool, review_queue, QueueEntry, QueueIndex, QueueScope, Review, ReviewError,
    Verdict,
};
pub use regions::{
    final_files, final_regions, region_pool, region_queue, region_set, same_regions, FinalRegions, RegionAgreement,
    RegionItem, RegionKind, RegionSet, VersionChoice, MATCH_IOU,
};
pub use tally::{error_tally, ErrorTally, ParetoBar, SectionErrors, NO_SECTION};

pub use batch::{BatchReport, ReviewOptions};
pub use throughput::{seconds_per_label, throughput, Throughput, IDLE_GAP};
pub use timeline::{accuracy_over_time, AccuracyTimeline};
pub use versions::{figures_by_version, SectionFigures, VersionFigures};
