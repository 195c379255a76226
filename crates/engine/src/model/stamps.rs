//! When each categorical annotation was made and under which guideline version — what throughput, accuracy over
//! time and the guideline-version markers are computed from. Kept beside a [`CategoricalTable`] (same item and
//! annotator ids), only for the annotations whose source says when they were made (a Label Studio `created_at`, a
//! CSV `time` column).

use crate::sorting::LeanSort;
use serde::{Deserialize, Serialize};

use super::{CategoricalTable, Interner};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
/// When one label was made, and under which guideline version.
pub struct Stamp {
    /// The item's id.
    pub item: u32,
    /// The annotator's id.
    pub annotator: u32,
    /// Seconds since the Unix epoch.
    pub time: i64,
    /// Index into [`Stamps::versions`]; the empty name when the source gives no version.
    pub version: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
/// Stamps of a table's labels.
pub struct Stamps {
    /// One per stamped label.
    pub rows: Vec<Stamp>,
    /// Guideline version names.
    pub versions: Interner,
}

impl Stamps {
    /// Stamps the label of `annotator` on `item`.
    pub fn push(&mut self, item: u32, annotator: u32, time: i64, version: &str) {
        let version = self.versions.intern(version);
        self.rows.push(Stamp { item, annotator, time, version });
    }
    /// Whether no label is stamped.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    /// The same stamps in the ids of `to` (a table merged from `from` and others); stamps of items or annotators
    /// `to` does not know are dropped, and `to`'s stamps in `into`.
    pub fn remap_into(&self, from: &CategoricalTable, to: &CategoricalTable, into: &mut Stamps) {
        for s in &self.rows {
            let item = to.items.get(from.items.name(s.item));
            let annotator = to.annotators.get(from.annotators.name(s.annotator));
            if let (Some(item), Some(annotator)) = (item, annotator) {
                into.push(item, annotator, s.time, self.versions.name(s.version));
            }
        }
    }
    /// Version names in the order of their first use in time (the order a project went through them); the
    /// unnamed version is left out.
    pub fn versions_in_time(&self) -> Vec<(String, i64)> {
        let mut first: Vec<Option<i64>> = vec![None; self.versions.len()];
        for s in &self.rows {
            let f = &mut first[s.version as usize];
            *f = Some(f.map_or(s.time, |t| t.min(s.time)));
        }
        let mut out: Vec<(String, i64)> = first
            .iter()
            .enumerate()
            .filter_map(|(v, t)| Some((self.versions.name(v as u32).to_string(), (*t)?)))
            .filter(|(name, _)| !name.is_empty())
            .collect();
        out.lean_sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}
