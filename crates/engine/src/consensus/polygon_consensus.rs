//! Consensus polygons. Polygons are clustered as boxes are (CVAT's consensus merge: greedy, IoU ≥ threshold, one
//! polygon per annotator per cluster, a quorum of annotators; see `box_consensus.rs`) with the exact polygon IoU.
//! Averaging coordinates means nothing for polygons whose vertices differ in number and placement, so a cluster is
//! represented by its medoid: the member whose summed IoU with the other members is largest (ties to the first
//! drawn) — a shape one annotator actually drew, the one the others agree with most. The label is the members'
//! majority.

use super::box_consensus::{clusters, majority_label};
use crate::boxes::agreement::Shape;
use crate::model::polygon_geometry as geometry;
use crate::model::{AnnotatorRegion, PolygonRec, PolygonTable, RegionTable};

impl Shape for PolygonRec {
    fn annotator(&self) -> u32 {
        self.annotator
    }
    fn label(&self) -> u32 {
        self.label
    }
    fn iou(&self, other: &Self) -> f64 {
        geometry::iou(&self.rings, &other.rings)
    }
}

/// A consensus polygon and its support.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsensusPolygon {
    /// Annotator set to `u32::MAX`.
    pub polygon: PolygonRec,
    /// Share of the image's annotators in the cluster.
    pub support: f64,
    /// Mean IoU of the other members with the medoid (1 for a cluster of one).
    pub mean_iou: f64,
}

/// Consensus polygons per image, in item order.
pub fn polygon_consensus(t: &PolygonTable, iou_threshold: f64, quorum: usize) -> Vec<ConsensusPolygon> {
    medoid_consensus(t, iou_threshold, quorum, |p, label| PolygonRec { annotator: u32::MAX, label, ..p.clone() })
        .into_iter()
        .map(|m| ConsensusPolygon { polygon: m.region, support: m.support, mean_iou: m.mean_iou })
        .collect()
}

/// A cluster's medoid (made by `consensus_of` from the member and the majority label), its support and mean IoU.
pub(crate) struct Medoid<R> {
    pub region: R,
    pub support: f64,
    pub mean_iou: f64,
}

/// The medoid consensus of any region table whose regions have an IoU (polygons, cuboids): per item, clusters of
/// at least `quorum` annotators, each represented by its medoid under the majority label.
pub(crate) fn medoid_consensus<R: Shape + AnnotatorRegion>(
    t: &RegionTable<R>,
    iou_threshold: f64,
    quorum: usize,
    consensus_of: impl Fn(&R, u32) -> R,
) -> Vec<Medoid<R>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < t.regions.len() {
        let item = t.regions[start].item();
        let end = start + t.regions[start..].iter().take_while(|p| p.item() == item).count();
        let annotators = t.coverage.iter().filter(|cv| cv.0 == item).count().max(1) as f64;
        for c in clusters(&t.regions[start..end], iou_threshold).iter().filter(|c| c.len() >= quorum) {
            let sums: Vec<f64> =
                (0..c.len()).map(|i| (0..c.len()).filter(|&j| j != i).map(|j| c[i].iou(c[j])).sum::<f64>()).collect();
            let medoid = (0..c.len()).fold(0, |best, i| if sums[i] > sums[best] { i } else { best });
            out.push(Medoid {
                region: consensus_of(c[medoid], majority_label(c)),
                support: c.len() as f64 / annotators,
                mean_iou: if c.len() > 1 { sums[medoid] / (c.len() - 1) as f64 } else { 1.0 },
            });
        }
        start = end;
    }
    out
}
