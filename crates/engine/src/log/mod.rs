//! The annotation log: what an annotator did, as an append-only list of events. The state of every task — its
//! current result, whether it was submitted, skipped or flagged, and its undo/redo history — is derived by
//! replaying the log ([`Replay`]). Nothing is ever overwritten: an edit, an undo, a resubmission are new events.
//!
//! The app writes each event to IndexedDB before it treats the action as done, exports the log as JSONL
//! (`write_jsonl`), and imports such a file elsewhere to continue (`parse_jsonl`, checked against the schema).

mod event;
mod rejection;
mod replay;
mod stats;

pub use event::{parse_jsonl, write_jsonl, Event, Op, Region};
pub use rejection::Rejection;
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

/// The submitted annotations of a log file holding one or more annotators' events, each with the time it was
/// submitted (ms since the epoch): every annotator's events are replayed on their own, and the last submission of
/// each task counts. An event that does not fit the schema is an error naming the file and the event's position.
pub fn timed_records(
    file: &str,
    schema: &crate::model::Schema,
    events: &[Event],
) -> Result<Vec<(crate::bundle::AnnotationRecord, u64)>, crate::InputError> {
    let mut by_annotator: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        match by_annotator.iter_mut().find(|(a, _)| *a == e.annotator) {
            Some((_, v)) => v.push(i),
            None => by_annotator.push((&e.annotator, vec![i])),
        }
    }
    let mut out = Vec::new();
    for (_, indices) in by_annotator {
        let replay = Replay::from_events(schema, indices.iter().map(|&i| &events[i])).map_err(|(k, why)| {
            crate::InputError::whole(file, format!("event {} of the file: {why}", indices[k - 1] + 1))
        })?;
        for task in &replay.order {
            if let Some(s) = replay.task(task).and_then(|t| t.submitted.as_ref()) {
                let record = crate::bundle::AnnotationRecord {
                    task: task.clone(),
                    annotator: s.annotator.clone(),
                    result: s.result.clone(),
                    guideline_version: s.guidelines.clone(),
                };
                out.push((record, s.at));
            }
        }
    }
    Ok(out)
}
