//! The annotation log: what an annotator did, as an append-only list of events. The state of every task — its
//! current result, whether it was submitted, skipped or flagged, and its undo/redo history — is derived by
//! replaying the log ([`Replay`]). Nothing is ever overwritten: an edit, an undo, a resubmission are new events.
//!
//! The app writes each event to IndexedDB before it treats the action as done, exports the log as JSONL
//! (`write_jsonl`), and imports such a file elsewhere to continue (`parse_jsonl`, checked against the schema).

mod event;
mod replay;
mod stats;

pub use event::{parse_jsonl, write_jsonl, Event, Op, Region};
pub use replay::{Replay, Submission, TaskLog, TaskStatus};
pub use stats::{personal_stats, PersonalStats};

/// Submitted results as annotation records (the form every other reader of annotations takes), in the order
/// the tasks first appear in the log.
pub fn submitted_records(replay: &Replay) -> Vec<crate::bundle::AnnotationRecord> {
    replay
        .order
        .iter()
        .filter_map(|task| {
            let s = replay.task(task)?.submitted.as_ref()?;
            Some(crate::bundle::AnnotationRecord {
                task: task.to_string(),
                annotator: s.annotator.clone(),
                result: s.result.clone(),
                guideline_version: s.guidelines.clone(),
            })
        })
        .collect()
}
