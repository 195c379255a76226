//! Box annotations of many annotators (or gold, or a model's detections) over images.

use super::region_table::{AnnotatorRegion, RegionTable};

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

/// Boxes of many annotators over images.
pub type BoxTable = RegionTable<BoxRec>;

impl AnnotatorRegion for BoxRec {
    fn item(&self) -> u32 {
        self.item
    }
    fn annotator(&self) -> u32 {
        self.annotator
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
