//! Box annotations of many annotators (or gold, or a model's detections) over images.

use super::table::Interner;
use crate::sorting::LeanSort;

/// An axis-aligned box in pixels, top-left corner, continuous coordinates (COCO convention).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxRec {
    pub item: u32,
    pub annotator: u32,
    pub label: u32,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Detection score (model outputs); None for people.
    pub score: Option<f64>,
}

impl BoxRec {
    pub fn area(&self) -> f64 {
        self.w * self.h
    }
}

#[derive(Debug, Clone, Default)]
pub struct BoxTable {
    pub items: Interner,
    pub annotators: Interner,
    pub labels: Interner,
    pub boxes: Vec<BoxRec>,
    /// (item, annotator) pairs that were annotated, even with no box: sorted, unique.
    pub coverage: Vec<(u32, u32)>,
}

impl BoxTable {
    pub fn cover(&mut self, item: u32, annotator: u32) {
        self.coverage.push((item, annotator));
    }
    /// Sorts boxes by (item, annotator) and de-duplicates coverage.
    pub fn finish(&mut self) {
        self.boxes.lean_sort_by_key(|b| (b.item, b.annotator));
        self.coverage.extend(self.boxes.iter().map(|b| (b.item, b.annotator)));
        self.coverage.lean_sort();
        self.coverage.dedup();
    }
    /// The boxes of `annotator` on `item` (boxes must be finished).
    pub fn of(&self, item: u32, annotator: u32) -> &[BoxRec] {
        let lo = self.boxes.partition_point(|b| (b.item, b.annotator) < (item, annotator));
        let hi = self.boxes.partition_point(|b| (b.item, b.annotator) <= (item, annotator));
        &self.boxes[lo..hi]
    }
}

/// A COCO ground-truth box (`instances` JSON), ids made dense by the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct GtBox {
    pub id: u64,
    pub image: u32,
    pub category: u32,
    pub bbox: crate::model::box_geometry::Xywh,
    pub area: f64,
    /// Crowd regions are ignored as ground truth (pycocotools' `_prepare` sets `ignore = iscrowd`, discarding any
    /// `ignore` field in the file, so Concord reads only `iscrowd`).
    pub iscrowd: bool,
}

/// A COCO detection (`results` JSON), with its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub image: u32,
    pub category: u32,
    pub bbox: crate::model::box_geometry::Xywh,
    pub score: f64,
}
