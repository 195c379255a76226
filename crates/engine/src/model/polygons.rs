//! Polygon annotations (2D segmentation) of many annotators, or gold, over images.

use super::table::Interner;
use crate::model::polygon_geometry::Point;
use crate::sorting::LeanSort;

/// One polygon instance in pixels: one ring for a drawn polygon, several for a COCO instance in parts.
#[derive(Debug, Clone, PartialEq)]
pub struct PolygonRec {
    pub item: u32,
    pub annotator: u32,
    pub label: u32,
    pub rings: Vec<Vec<Point>>,
}

#[derive(Debug, Clone, Default)]
pub struct PolygonTable {
    pub items: Interner,
    pub annotators: Interner,
    pub labels: Interner,
    pub polygons: Vec<PolygonRec>,
    /// (item, annotator) pairs that were annotated, even with no polygon: sorted, unique.
    pub coverage: Vec<(u32, u32)>,
}

impl PolygonTable {
    pub fn cover(&mut self, item: u32, annotator: u32) {
        self.coverage.push((item, annotator));
    }
    /// Sorts polygons by (item, annotator) and de-duplicates coverage.
    pub fn finish(&mut self) {
        self.polygons.lean_sort_by_key(|p| (p.item, p.annotator));
        self.coverage.extend(self.polygons.iter().map(|p| (p.item, p.annotator)));
        self.coverage.lean_sort();
        self.coverage.dedup();
    }
    /// The polygons of `annotator` on `item` (the table must be finished).
    pub fn of(&self, item: u32, annotator: u32) -> &[PolygonRec] {
        let lo = self.polygons.partition_point(|p| (p.item, p.annotator) < (item, annotator));
        let hi = self.polygons.partition_point(|p| (p.item, p.annotator) <= (item, annotator));
        &self.polygons[lo..hi]
    }
}
