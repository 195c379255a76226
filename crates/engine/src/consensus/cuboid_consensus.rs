//! Consensus cuboids: clustered as boxes and polygons are (greedy, 3D IoU ≥ threshold, one cuboid per annotator
//! per cluster, a quorum of annotators; see `box_consensus.rs`), and represented by the medoid, as polygons are
//! (`polygon_consensus.rs`): averaging yaws near ±π, or boxes whose length and width are swapped with a quarter
//! turn, gives a box nobody drew. The label is the members' majority.

use super::polygon_consensus::medoid_consensus;
use crate::model::{CuboidRec, CuboidTable};

/// A consensus cuboid and its support.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsensusCuboid {
    /// Annotator set to `u32::MAX`; the cuboid's label is the majority's.
    pub cuboid: CuboidRec,
    /// Share of the frame's annotators in the cluster.
    pub support: f64,
    /// Mean 3D IoU of the other members with the medoid (1 for a cluster of one).
    pub mean_iou: f64,
}

/// Consensus cuboids per frame, in item order.
pub fn cuboid_consensus(t: &CuboidTable, iou_threshold: f64, quorum: usize) -> Vec<ConsensusCuboid> {
    medoid_consensus(t, iou_threshold, quorum, |c, label| {
        let mut cuboid = c.cuboid.clone();
        cuboid.label = t.labels.name(label).to_string();
        CuboidRec { annotator: u32::MAX, label, cuboid, ..*c }
    })
    .into_iter()
    .map(|m| ConsensusCuboid { cuboid: m.region, support: m.support, mean_iou: m.mean_iou })
    .collect()
}
