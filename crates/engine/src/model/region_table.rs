//! Regions of many annotators (or gold, or a model's output) over images: one table for every region shape.

use super::table::Interner;
use crate::sorting::LeanSort;

/// A region drawn by one annotator on one item: what [`RegionTable`] sorts and looks up by.
pub trait AnnotatorRegion {
    /// The item (image) it is drawn on, as an index into [`RegionTable::items`].
    fn item(&self) -> u32;
    /// Who drew it, as an index into [`RegionTable::annotators`].
    fn annotator(&self) -> u32;
}

/// Regions of one shape, with who covered which item (an annotator may look at an image and draw nothing).
#[derive(Debug, Clone)]
pub struct RegionTable<R> {
    /// Item (image) names.
    pub items: Interner,
    /// Annotator names.
    pub annotators: Interner,
    /// Label names.
    pub labels: Interner,
    /// The regions, sorted by (item, annotator) once [`finish`](Self::finish)ed.
    pub regions: Vec<R>,
    /// (item, annotator) pairs that were annotated, even with no region: sorted, unique.
    pub coverage: Vec<(u32, u32)>,
}

// Not derived: a derive would ask `R: Default`.
impl<R> Default for RegionTable<R> {
    fn default() -> Self {
        RegionTable {
            items: Interner::default(),
            annotators: Interner::default(),
            labels: Interner::default(),
            regions: Vec::new(),
            coverage: Vec::new(),
        }
    }
}

impl<R: AnnotatorRegion> RegionTable<R> {
    /// Records that `annotator` annotated `item`, whether or not they drew anything.
    pub fn cover(&mut self, item: u32, annotator: u32) {
        self.coverage.push((item, annotator));
    }
    /// Sorts regions by (item, annotator) and de-duplicates coverage.
    pub fn finish(&mut self) {
        self.regions.lean_sort_by_key(|r| (r.item(), r.annotator()));
        self.coverage.extend(self.regions.iter().map(|r| (r.item(), r.annotator())));
        self.coverage.lean_sort();
        self.coverage.dedup();
    }
    /// The regions of `annotator` on `item` (the table must be finished).
    pub fn of(&self, item: u32, annotator: u32) -> &[R] {
        let key = (item, annotator);
        let lo = self.regions.partition_point(|r| (r.item(), r.annotator()) < key);
        let hi = self.regions.partition_point(|r| (r.item(), r.annotator()) <= key);
        &self.regions[lo..hi]
    }
}
