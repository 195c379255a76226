//! Guidelines as versioned documents: a guideline split into its sections (at its Markdown headings, each with the
//! anchor the app and the rules link to), and the difference between two versions — sections added, removed or
//! changed, and within a changed section the lines removed and added (a longest-common-subsequence diff).

pub(crate) mod diff;
pub(crate) mod sections;

pub use diff::{diff_guidelines, LineChange, SectionChange, SectionDiff};
pub use sections::{sections, slug, Section};

use serde::{Deserialize, Serialize};

/// A guideline version recorded by the lead (typically after a calibration meeting): the new version, when, what
/// changed and who recorded it. Charts mark it; the QA report lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionBump {
    /// The new version's name.
    pub version: String,
    /// Seconds since the Unix epoch.
    pub at: i64,
    /// What changed, in a line.
    pub note: String,
    /// Who recorded it.
    pub by: String,
}
