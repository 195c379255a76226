//! Polygon measures (2D segmentation): exact polygon IoU, and agreement between annotators with the box
//! machinery (one-to-one matching at IoU ≥ 0.5 and 0.75) — consensus is in `consensus::polygon_consensus`.

/// Polygon geometry in image pixels (area, simplicity, containment, exact intersection and IoU).
pub mod geometry {
    pub use crate::model::polygon_geometry::*;
}

use crate::boxes::agreement::{region_agreement, BoxAgreementReport, Regions};
use crate::model::PolygonTable;

pub use crate::model::polygon_geometry::{area, intersection_area, iou, self_intersection, Point};

/// Pairwise polygon agreement: F1 of one-to-one matches at IoU ≥ 0.5 and 0.75 per label, as for boxes.
pub fn polygon_agreement(t: &PolygonTable) -> BoxAgreementReport {
    polygon_agreement_bootstrapped(t, None)
}

/// [`polygon_agreement`] with intervals over images next to each F1.
pub fn polygon_agreement_with_intervals(
    t: &PolygonTable,
    settings: crate::resample::BootstrapSettings,
) -> BoxAgreementReport {
    polygon_agreement_bootstrapped(t, Some(settings))
}

fn polygon_agreement_bootstrapped(
    t: &PolygonTable,
    settings: Option<crate::resample::BootstrapSettings>,
) -> BoxAgreementReport {
    region_agreement(
        Regions { items: &t.items, annotators: &t.annotators, labels: &t.labels, coverage: &t.coverage },
        t.regions.len(),
        |i, a| t.of(i, a),
        settings,
    )
}
