//! Polygon annotations (2D segmentation) of many annotators, or gold, over images.

use super::region_table::{AnnotatorRegion, RegionTable};
use crate::model::polygon_geometry::Point;

/// One polygon instance in pixels: one ring for a drawn polygon, several for a COCO instance in parts.
#[derive(Debug, Clone, PartialEq)]
pub struct PolygonRec {
    pub item: u32,
    pub annotator: u32,
    pub label: u32,
    pub rings: Vec<Vec<Point>>,
}

/// Polygons of many annotators over images.
pub type PolygonTable = RegionTable<PolygonRec>;

impl AnnotatorRegion for PolygonRec {
    fn item(&self) -> u32 {
        self.item
    }
    fn annotator(&self) -> u32 {
        self.annotator
    }
}
