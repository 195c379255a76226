//! What a `PROPFIND` listing says, and which files in it are worth fetching.

use crate::sorting::LeanSort;
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
    out.lean_sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// A listing's `href` as a path relative to the sync folder at `base` (the folder's URL path, e.g. `/team/sync/`),
/// percent-decoded; None for the folder itself, for an `href` outside it, or for one that would climb out of it
/// (`..`, an empty or `.` segment). A server may give `href`s as paths or as whole URLs.
pub fn relative_path(href: &str, base: &str) -> Option<String> {
    let path = match href.find("://") {
        Some(i) => href[i + 3..].find('/').map_or("/", |j| &href[i + 3 + j..]),
        None => href,
    };
    let rest = decode(path)?.strip_prefix(&decode(base)?)?.to_string();
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    if rest.is_empty() || segments.iter().any(|s| s.is_empty() || *s == "." || *s == "..") {
        return None;
    }
    Some(rest)
}

/// Percent-decoding of a URL path (RFC 3986); None when it is not UTF-8 or an escape is broken.
fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
