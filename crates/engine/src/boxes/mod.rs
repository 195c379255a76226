//! Box measures: IoU (COCO conventions), optimal one-to-one matching, agreement between annotators, and COCOeval.

pub mod agreement;
pub mod assignment;
pub mod cocoeval;

pub use crate::model::box_geometry::{iou, iou_crowd, Xywh};
pub use agreement::{box_agreement, box_agreement_with_intervals, BoxAgreementReport};
pub use cocoeval::{coco_eval, CocoEvalReport};
