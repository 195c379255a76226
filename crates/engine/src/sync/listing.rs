//! What a `PROPFIND` listing says, and which files in it are worth fetching.

use std::collections::BTreeMap;

/// One resource of a listing (a WebDAV `PROPFIND` response's `<response>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its path relative to the sync folder (`logs/ann-1a2b3c4d/…jsonl`), decoded.
    pub path: String,
    /// `getetag`, when the server gives one.
    pub etag: Option<String>,
    /// `getlastmodified`, when the server gives one.
    pub modified: Option<String>,
    /// `getcontentlength`.
    pub size: Option<u64>,
    /// A folder (`<collection/>`).
    pub folder: bool,
}

impl Entry {
    /// What tells two states of the file apart: the ETag, else the modification time and the size.
    pub fn version(&self) -> String {
        match &self.etag {
            Some(e) => e.clone(),
            None => format!("{}/{}", self.modified.as_deref().unwrap_or(""), self.size.unwrap_or(0)),
        }
    }
}

/// The segments of `listing` (`.jsonl` files under `logs/`) whose version differs from `seen[path]` (new ones
/// included), in path order.
pub fn to_fetch<'a>(listing: &'a [Entry], seen: &BTreeMap<String, String>) -> Vec<&'a Entry> {
    let mut out: Vec<&Entry> = listing
        .iter()
        .filter(|e| !e.folder && e.path.starts_with(super::LOGS_FOLDER) && e.path.ends_with(".jsonl"))
        .filter(|e| seen.get(&e.path) != Some(&e.version()))
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
