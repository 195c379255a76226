//! The projects opened before in this browser, newest first, for the start screen: where each came from (the
//! `?project=` value), its name and size, when it was last opened. Its position is the one `resume` keeps.

const KEY: &str = "concord:recent";
/// The most projects remembered.
pub const KEPT: usize = 8;

#[derive(Debug, Clone, PartialEq)]
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

/// The list as stored: a JSON array of objects (written and read as JSON values, not derived: no reader of its own
/// in the annotator's wasm for a list of conveniences).
pub fn to_text(list: &[RecentProject]) -> String {
    serde_json::Value::Array(
        list.iter()
            .map(|r| {
                serde_json::json!({"spec": r.spec, "id": r.id, "name": r.name, "tasks": r.tasks, "opened_at": r.opened_at})
            })
            .collect(),
    )
    .to_string()
}

/// What [`to_text`] wrote; entries that do not read are left out.
pub fn from_text(text: &str) -> Vec<RecentProject> {
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str(text) else { return Vec::new() };
    items
        .iter()
        .filter_map(|v| {
            Some(RecentProject {
                spec: v["spec"].as_str()?.to_string(),
                id: v["id"].as_str()?.to_string(),
                name: v["name"].as_str()?.to_string(),
                tasks: v["tasks"].as_u64()? as usize,
                opened_at: v["opened_at"].as_u64()?,
            })
        })
        .collect()
}

/// The remembered projects; none when storage is unavailable or holds something unreadable (a list of
/// conveniences, never worth an error).
pub fn load() -> Vec<RecentProject> {
    crate::storage::local_storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .map(|text| from_text(&text))
        .unwrap_or_default()
}

/// Remembers that `opened` was opened now.
pub fn remember(opened: RecentProject) {
    if let Some(s) = crate::storage::local_storage() {
        let _ = s.set_item(KEY, &to_text(&remembered(load(), opened)));
    }
}
