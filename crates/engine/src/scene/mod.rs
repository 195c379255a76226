//! LiDAR scenes: point clouds, 3D cuboids and tracks across frames.
//!
//! - [`Cuboid`] — a 3D box (centre, size, yaw, label, track, attributes) in the sensor's frame; [`read_cuboids`]
//!   reads a list of them in any of the formats below, [`cuboids_by_frame`] checks them for a sequence;
//! - [`bev_iou`], [`iou_3d`] — exact overlap of yaw-rotated boxes (convex clipping of the footprints);
//! - [`read_kitti_bin`], [`read_pcd`] — point clouds, strictly ([`read_points`]: by the file's name); [`points_inside`]
//!   a cuboid;
//! - [`read_kitti_labels`], [`write_kitti_labels`], [`read_nuscenes`], [`write_nuscenes`] — cuboid labels in KITTI's
//!   tracking format and a nuScenes-style JSON;
//! - [`interpolate_tracks`], [`copy_to_frame`], [`timeline`] — tracks between keyframes;
//! - [`EgoPose`] — the sensor in the world per frame, for motion checks (`rules::validate_scene`);
//! - [`cuboid_agreement`] — per-class F1 between annotators at 3D IoU (the region machinery of boxes);
//! - [`tracking_report`] — identity switches and MOTA against gold (CLEAR MOT);
//! - [`track_queue`] — every annotator's track against the other annotators' cuboids, most identity switches first
//!   (review's tracks queue).

mod agreement;
mod cuboid;
mod kitti;
mod nuscenes;
mod points;
mod track_review;
mod tracking;
mod tracks;

pub use crate::model::cuboid_geometry::{bev_iou, footprint_intersection, iou_3d};
pub use crate::model::{Cuboid, EgoPose};
pub use agreement::{cuboid_agreement, cuboid_agreement_with_intervals};
pub use cuboid::{cuboids_by_frame, parse_cuboids, read_cuboids, wrap_angle};
pub use kitti::{read_kitti_labels, write_kitti_labels};
pub use nuscenes::{read_nuscenes, write_nuscenes};
pub use points::{fit_height, fit_to_points, points_inside, read_kitti_bin, read_pcd, read_points, PointCloud};
pub use track_review::{track_queue, TrackQueue, TrackRow, TRACK_QUEUE_IOU};
pub use tracking::{tracking_report, TrackingReport};
pub use tracks::{copy_to_frame, interpolate, interpolate_tracks, timeline, TrackMark};
