//! Box annotations of many annotators (or gold, or a model's detections) over images.

use super::region_table::{AnnotatorRegion, RegionTable};

/// An axis-aligned box in pixels, top-left corner, continuous coordinates (COCO convention).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxRec {
    /// The image's id.
    pub item: u32,
    /// Who drew it (or the model's id).
    pub annotator: u32,
    /// The label's id.
    pub label: u32,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Detection score (model outputs); None for people.
    pub score: Option<f64>,
}

impl BoxRec {
    /// Width × height.
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
    /// Its COCO annotation id.
    pub id: u64,
    /// The image's dense id.
    pub image: u32,
    /// The category's dense id.
    pub category: u32,
    /// Its box.
    pub bbox: crate::model::box_geometry::Xywh,
    /// Its `area` (the segmentation's, which COCOeval's area ranges use).
    pub area: f64,
    /// Crowd regions are ignored as ground truth (pycocotools' `_prepare` sets `ignore = iscrowd`, discarding any
    /// `ignore` field in the file, so Concord reads only `iscrowd`).
    pub iscrowd: bool,
}

/// A COCO detection (`results` JSON), with its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// The image's dense id.
    pub image: u32,
    /// The category's dense id.
    pub category: u32,
    /// Its box.
    pub bbox: crate::model::box_geometry::Xywh,
    /// The model's confidence.
    pub score: f64,
}
