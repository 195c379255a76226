//! Where annotator mode opens: the position saved on the last visit while it is current, else the first task not
//! yet submitted. Local storage is written lazily: after a crash (a killed browser) the saved position may be
//! missing or older than the log, and the log — committed to IndexedDB action by action — is the better witness.

/// The queue position saved in local storage, with when it was saved (milliseconds since the epoch).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SavedPosition {
    pub position: usize,
    /// 0 for a position saved without a time (an older version saved the bare number).
    pub at: u64,
}

impl SavedPosition {
    /// `{"position": n, "at": ms}`, or a bare number (saved before positions carried their time).
    pub fn parse(text: &str) -> Option<SavedPosition> {
        if let Ok(position) = text.trim().parse() {
            return Some(SavedPosition { position, at: 0 });
        }
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        Some(SavedPosition { position: v["position"].as_u64()? as usize, at: v["at"].as_u64()? })
    }

    pub fn to_text(self) -> String {
        serde_json::json!({ "position": self.position, "at": self.at }).to_string()
    }

    /// The position saved for `project` in this browser's local storage, if any.
    pub fn load(project: &str) -> Option<SavedPosition> {
        Self::parse(&crate::storage::local_storage()?.get_item(&key(project)).ok().flatten()?)
    }

    /// Saves the position for `project` (a failure only loses the position, which the log can rebuild).
    pub fn save(self, project: &str) {
        if let Some(s) = crate::storage::local_storage() {
            let _ = s.set_item(&key(project), &self.to_text());
        }
    }
}

fn key(project: &str) -> String {
    format!("concord:{project}:position")
}

/// The position to open at. `last_event_at`: the newest event of the log; `submitted`: whether each task of the
/// first chunk, in project order, is submitted. A saved position not older than the log stands (the annotator may
/// have moved back to look at a task); otherwise the first task not submitted — past the first chunk when all of
/// it is submitted — or, with no log at all, the start.
pub fn resume_position(
    saved: Option<SavedPosition>,
    last_event_at: Option<u64>,
    submitted: impl IntoIterator<Item = bool>,
) -> usize {
    match (saved, last_event_at) {
        (Some(s), None) => s.position,
        (Some(s), Some(last)) if s.at >= last => s.position,
        (_, None) => 0,
        (_, Some(_)) => {
            let mut n = 0;
            for done in submitted {
                if !done {
                    return n;
                }
                n += 1;
            }
            n
        }
    }
}
