//! Box measures: IoU (COCO conventions), optimal one-to-one matching, agreement between annotators, and COCOeval.

pub(crate) mod agreement;
pub(crate) mod assignment;
pub(crate) mod cocoeval;

pub use agreement::{
    box_agreement, box_agreement_with_intervals, region_agreement, BoxAgreementReport, BoxPair, LabelBoxAgreement,
    Regions, Shape, THRESHOLDS,
};
pub use assignment::{assign_min, max_weight_pairs};
pub use cocoeval::{coco_eval, CategoryAp, CocoData, CocoEvalReport};

pub use crate::model::box_geometry::{iou, iou_crowd, Xywh};
