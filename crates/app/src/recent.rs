//! The projects opened before in this browser, newest first, for the start screen: where each came from (the
//! `?project=` value), its name and size, when it was last opened. Its position is the one `resume` keeps.

use serde::{Deserialize, Serialize};

const KEY: &str = "concord:recent";
/// The most projects remembered.
pub const KEPT: usize = 8;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecentProject {
    /// What `?project=` said: a URL, or `local:<folder>` for a folder or zip opened from disk.
    pub spec: String,
    pub id: String,
    pub name: String,
    pub tasks: usize,
    /// Milliseconds since the epoch.
    pub opened_at: u64,
}

impl RecentProject {
    /// Opened from disk: reopening needs the folder again (a browser cannot keep a path to it).
    pub fn is_local(&self) -> bool {
        self.spec.starts_with("local:")
    }
}

/// `list` with `opened` first: an earlier entry for the same place is replaced, and at most `KEPT` remain.
pub fn remembered(mut list: Vec<RecentProject>, opened: RecentProject) -> Vec<RecentProject> {
    list.retain(|r| r.spec != opened.spec);
    list.insert(0, opened);
    list.truncate(KEPT);
    list
}

/// The remembered projects; none when storage is unavailable or holds something unreadable (a list of
/// conveniences, never worth an error).
pub fn load() -> Vec<RecentProject> {
    crate::storage::local_storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Remembers that `opened` was opened now.
pub fn remember(opened: RecentProject) {
    if let Some(s) = crate::storage::local_storage() {
        let list = remembered(load(), opened);
        if let Ok(text) = serde_json::to_string(&list) {
            let _ = s.set_item(KEY, &text);
        }
    }
}
