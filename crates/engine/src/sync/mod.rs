//! Work that leaves the browser through a WebDAV folder, with no application server: each annotator's log goes up
//! as append-only segments under the annotator's own folder, and the lead's files (`requeue.jsonl`, guideline
//! versions, the final files) under `lead/`.
//!
//! - [`annotator_folder`]: a name as a path segment — no traversal, and two names that differ only in case stay
//!   apart even on a case-insensitive store, while two spellings of one name in different Unicode forms meet;
//! - [`pending_segments`]: what a browser still has to send, as segments named by log and sequence range, so that
//!   a segment sent twice (two tabs, a retry after a timeout) is the same file with the same bytes;
//! - [`merge_segments`]: the segments read back, events deduplicated by id (how a log survives overlapping
//!   segments), in the order they were made;
//! - [`to_fetch`]: from a listing (WebDAV `PROPFIND`), the segments that are new or changed since the last read.
//!
//! The local log stays the source of truth: nothing here deletes or rewrites an event.

mod folder;
mod http;
mod listing;
mod segments;

#[cfg(feature = "nfc")]
pub use folder::annotator_folder;
pub use folder::folder_of_nfc;
pub use http::{basic_authorization, encode_path};
pub use listing::{relative_path, to_fetch, Entry};
pub use segments::{event_position, merge_segments, pending_segments, Segment};
pub use segments::{FINAL_FOLDER, GUIDELINE_VERSIONS_FILE, LEAD_FOLDER, LOGS_FOLDER, REQUEUE_FILE};
