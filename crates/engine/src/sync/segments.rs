//! Segments: a run of one log's events, named by the log and the run's sequence numbers.

use crate::sorting::LeanSort;
use std::collections::{BTreeMap, HashMap};

use crate::error::InputError;
use crate::log::{parse_jsonl, write_jsonl, Event};

/// Where the annotators' folders are, in the sync folder.
pub const LOGS_FOLDER: &str = "logs/";
/// Where the lead's files are, in the sync folder.
pub const LEAD_FOLDER: &str = "lead/";
/// The tasks the lead sends back (`routing::write_requeue`); annotator mode reads it at every sync.
pub const REQUEUE_FILE: &str = "lead/requeue.jsonl";
/// The guideline versions the lead recorded (`guidelines::VersionBump`, a JSON array).
pub const GUIDELINE_VERSIONS_FILE: &str = "lead/guideline-versions.json";
/// Where the lead's final files go (final labels, every label with its review, a Label Studio export).
pub const FINAL_FOLDER: &str = "lead/final/";

/// Events to send as one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Its path in the sync folder: `logs/<annotator folder>/<log id>-<first>-<last>.jsonl`.
    pub path: String,
    /// The log its events come from (one browser tab's log: the part of an event id before `:`).
    pub log_id: String,
    /// The sequence number of its first event.
    pub first: u64,
    /// The sequence number of its last event: once the server has it, the log is sent up to here.
    pub last: u64,
    /// The events, as the log's JSONL.
    pub text: String,
    /// How many events.
    pub events: usize,
}

/// The log id and sequence number of an event id (`<log id>:<sequence>`); None for an id of another shape.
pub fn event_position(id: &str) -> Option<(&str, u64)> {
    let (log, seq) = id.rsplit_once(':')?;
    let ok = !log.is_empty() && log.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then_some(())?;
    Some((log, seq.parse().ok()?))
}

/// The events of `events` that are not yet sent — after `sent[log id]`, the last sequence number the server has
/// of that log — as segments of at most `max_events`, per annotator and log, in sequence order. Events whose id
/// is not `<log id>:<sequence>` are not sent (every event the app writes has that shape). `folder` names an
/// annotator's folder: `annotator_folder`, or `folder_of_nfc` after the caller's own normalisation.
pub fn pending_segments(
    events: &[Event],
    sent: &BTreeMap<String, u64>,
    max_events: usize,
    folder: impl Fn(&str) -> String,
) -> Vec<Segment> {
    let max_events = max_events.max(1);
    // (annotator, log id) → events after what was sent, in sequence order.
    let mut runs: BTreeMap<(&str, &str), Vec<(u64, &Event)>> = BTreeMap::new();
    for e in events {
        let Some((log, seq)) = event_position(&e.id) else { continue };
        if sent.get(log).is_some_and(|&last| seq <= last) {
            continue;
        }
        runs.entry((e.annotator.as_str(), log)).or_default().push((seq, e));
    }
    let mut out = Vec::new();
    for ((annotator, log), mut run) in runs {
        run.lean_sort_by_key(|&(seq, _)| seq);
        let folder = folder(annotator);
        for part in run.chunks(max_events) {
            let (first, last) = (part[0].0, part[part.len() - 1].0);
            let owned: Vec<Event> = part.iter().map(|(_, e)| (*e).clone()).collect();
            out.push(Segment {
                path: format!("{LOGS_FOLDER}{folder}/{log}-{first:08}-{last:08}.jsonl"),
                log_id: log.to_string(),
                first,
                last,
                text: write_jsonl(&owned),
                events: owned.len(),
            });
        }
    }
    out
}

/// The events of `files` (name, JSONL text): each file read as a log (an error names the file and line), an event
/// sent in several segments kept once, in the order they were made (time, then log and sequence). Two events with
/// one id and different contents are an error naming both files: a segment was altered.
pub fn merge_segments(files: &[(String, String)]) -> Result<Vec<Event>, InputError> {
    let mut seen: HashMap<String, (usize, Event)> = HashMap::new();
    for (k, (name, text)) in files.iter().enumerate() {
        for e in parse_jsonl(name, text)? {
            match seen.get(&e.id) {
                Some((first, earlier)) if *earlier != e => {
                    return Err(InputError::whole(
                        name,
                        format!("event `{}` differs from the one in {}: a segment was altered", e.id, files[*first].0),
                    ));
                }
                Some(_) => {}
                None => {
                    seen.insert(e.id.clone(), (k, e));
                }
            }
        }
    }
    let mut events: Vec<Event> = seen.into_values().map(|(_, e)| e).collect();
    events.lean_sort_by(|a, b| {
        let key = |e: &Event| (e.at, event_position(&e.id).map(|(l, s)| (l.to_string(), s)));
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    Ok(events)
}
