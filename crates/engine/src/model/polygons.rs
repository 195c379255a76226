//! Polygon annotations (2D segmentation) of many annotators, or gold, over images.

use super::region_table::{AnnotatorRegion, RegionTable};
use crate::model::polygon_geometry::Point;

/// One polygon instance in pixels: one ring for a drawn polygon, several for a COCO instance in parts.
#[derive(Debug, Clone, PartialEq)]
pub struct PolygonRec {
    /// The image's id.
    pub item: u32,
    /// Who drew it.
    pub annotator: u32,
    /// The label's id.
    pub label: u32,
    /// Its rings (outer boundaries of its parts), each a list of vertices.
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
