//! `concord tracks --bundle DIR ANNOTATIONS... [--iou T]` — the tracks queue of a point-cloud project's
//! annotations: every annotator's track against the others' cuboids, most identity switches first
//! (`scene::track_queue`); what review mode lists for a 3D batch.

use std::ffi::OsString;

use concord_engine::formats::bio::ChunkMode;
use concord_engine::scene::{TrackQueue, TRACK_QUEUE_IOU};

use crate::input::{load_with, Dataset};
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut iou = TRACK_QUEUE_IOU;
    let common = super::parse(args, |name, p| {
        match name {
            "iou" => iou = super::tracking::iou_value(p)?,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let mode = if common.strict { ChunkMode::Strict } else { ChunkMode::Lenient };
    let (_, dataset) = load_with(&common.files, common.format.as_deref(), mode, &common.sources())?;
    let Dataset::Cuboids(table) = dataset else {
        return Err(Failure::Input(
            "tracks reads cuboids: a point-cloud project's annotations or logs, with --bundle DIR".into(),
        ));
    };
    Ok(crate::to_json(&TrackQueue::of(&table, iou)))
}
