//! `concord tracking GOLD TRACKED [--iou T]` — tracked cuboids against gold: CLEAR MOT's identity switches, misses,
//! false positives, MOTA and MOTP (`scene::tracking_report`).

use std::ffi::OsString;

use lexopt::ValueExt;

use concord_engine::scene::{read_cuboids, tracking_report};

use crate::input;
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut iou = 0.5;
    let common = super::parse(args, |name, p| {
        match name {
            "iou" => iou = iou_value(p)?,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let [gold, tracked] = common.files.as_slice() else {
        return Err(Failure::Input("give two files: GOLD TRACKED".into()));
    };
    let read = |p: &std::path::PathBuf| -> Result<_, Failure> {
        Ok(read_cuboids(&p.display().to_string(), &input::read_to_string(p)?)?)
    };
    let report = tracking_report(&read(gold)?, &read(tracked)?, iou);
    Ok(crate::to_json(&report))
}

/// The value of `--iou T`: a bird's-eye-view IoU threshold in (0, 1].
pub(super) fn iou_value(p: &mut lexopt::Parser) -> Result<f64, Failure> {
    let v = p.value()?.string()?;
    v.parse()
        .ok()
        .filter(|t: &f64| *t > 0.0 && *t <= 1.0)
        .ok_or_else(|| Failure::Input(format!("--iou {v}: a threshold in (0, 1]")))
}
