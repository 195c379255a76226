//! Agreement between annotators' cuboids with the region machinery of boxes and polygons: per frame, one-to-one
//! matches of the same label at 3D IoU ≥ 0.5 and 0.75 (KITTI's 3D benchmark matches cars at 0.7 and pedestrians
//! at 0.5), F1 per label and per annotator pair.

use crate::boxes::agreement::{region_agreement, BoxAgreementReport, Regions, Shape};
use crate::model::{CuboidRec, CuboidTable};
use crate::resample::BootstrapSettings;

impl Shape for CuboidRec {
    fn annotator(&self) -> u32 {
        self.annotator
    }
    fn label(&self) -> u32 {
        self.label
    }
    fn iou(&self, other: &Self) -> f64 {
        crate::model::cuboid_geometry::iou_3d(&self.cuboid, &other.cuboid)
    }
}

/// Pairwise cuboid agreement: F1 of one-to-one matches at 3D IoU ≥ 0.5 and 0.75 per label, as for boxes.
pub fn cuboid_agreement(t: &CuboidTable) -> BoxAgreementReport {
    agreement(t, None)
}

/// [`cuboid_agreement`] with intervals over frames next to each F1.
pub fn cuboid_agreement_with_intervals(t: &CuboidTable, settings: BootstrapSettings) -> BoxAgreementReport {
    agreement(t, Some(settings))
}

fn agreement(t: &CuboidTable, settings: Option<BootstrapSettings>) -> BoxAgreementReport {
    region_agreement(
        Regions { items: &t.items, annotators: &t.annotators, labels: &t.labels, coverage: &t.coverage },
        t.regions.len(),
        |i, a| t.of(i, a),
        settings,
    )
}
