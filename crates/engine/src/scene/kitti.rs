//! KITTI's tracking label format (Geiger, Lenz & Urtasun 2012; the tracking devkit's `readme.txt`): one text file per
//! sequence, one object per line, 17 values separated by spaces (18 with a detection score):
//!
//! `frame track_id type truncated occluded alpha left top right bottom height width length x y z rotation_y [score]`
//!
//! in the camera's frame (x right, y down, z forward): `x y z` is the bottom face's centre and `rotation_y` the
//! heading about the camera's y axis. Concord's cuboids are in the LiDAR's frame (x forward, y left, z up, centre of
//! the box), and this module converts by KITTI's axis change with no further calibration: x_cam = −y, y_cam = −z
//! (then + h/2 to the bottom face), z_cam = x, and rotation_y = −yaw − π/2. `DontCare` lines (track −1) are read
//! as nothing. A track id that is not a whole number is written as the next free number, in order of appearance.

use crate::sorting::LeanSort;
use std::collections::BTreeMap;
use std::f64::consts::FRAC_PI_2;

use super::cuboid::wrap_angle;
use crate::error::InputError;
use crate::model::Cuboid;

/// Reads a KITTI tracking label file.
pub fn read_kitti_labels(file: &str, text: &str) -> Result<Vec<Cuboid>, InputError> {
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line_no = k + 1;
        let err = |why: String| InputError::at_line(file, line_no, why);
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if words.len() != 17 && words.len() != 18 {
            return Err(err(format!(
                "{} values; a KITTI tracking label has 17 (frame track_id type truncated occluded alpha left top right \
                 bottom height width length x y z rotation_y) or 18 (and a score)",
                words.len()
            )));
        }
        let number = |i: usize, name: &str| -> Result<f64, InputError> {
            let v: f64 = words[i].parse().map_err(|_| err(format!("{name} `{}` is not a number", words[i])))?;
            if v.is_finite() {
                Ok(v)
            } else {
                Err(err(format!("{name} is {v}")))
            }
        };
        let frame: i64 = words[0].parse().map_err(|_| err(format!("frame `{}` is not a whole number", words[0])))?;
        let track: i64 = words[1].parse().map_err(|_| err(format!("track_id `{}` is not a whole number", words[1])))?;
        if words[2] == "DontCare" {
            continue;
        }
        if track < 0 {
            return Err(err(format!("track_id {track} on a {} (only DontCare has −1)", words[2])));
        }
        let (h, w, l) = (number(10, "height")?, number(11, "width")?, number(12, "length")?);
        if !(h > 0.0 && w > 0.0 && l > 0.0) {
            return Err(err(format!("dimensions {h} {w} {l}: each must be above zero")));
        }
        let (x, y, z) = (number(13, "x")?, number(14, "y")?, number(15, "z")?);
        let ry = number(16, "rotation_y")?;
        let mut attributes = BTreeMap::new();
        for (i, name) in [(3, "truncated"), (4, "occluded")] {
            let v = number(i, name)?;
            if v != 0.0 {
                attributes.insert(name.to_string(), words[i].into());
            }
        }
        let bbox: Vec<f64> = (6..10).map(|i| number(i, "bbox")).collect::<Result<_, _>>()?;
        if bbox.iter().any(|v| *v != 0.0) {
            attributes.insert("bbox".into(), words[6..10].join(" ").into());
        }
        if words.len() == 18 {
            number(17, "score")?;
            attributes.insert("score".into(), words[17].into());
        }
        out.push(Cuboid {
            label: words[2].to_string(),
            center: [z, -x, -y + h / 2.0],
            size: [l, w, h],
            yaw: wrap_angle(-ry - FRAC_PI_2),
            frame,
            track_id: Some(track.to_string()),
            attributes,
            interpolated: false,
        })
    }
    Ok(out)
}

/// Writes cuboids as a KITTI tracking label file, by frame then track. A label with white space in it is written
/// with `_` for each space (KITTI's types have none); the `truncated`, `occluded`, `bbox` and `score` attributes fill
/// their columns when they are numbers.
pub fn write_kitti_labels(cuboids: &[Cuboid]) -> String {
    use std::fmt::Write as _;
    let mut ids: BTreeMap<&str, i64> = BTreeMap::new();
    let mut next = cuboids
        .iter()
        .filter_map(|c| c.track_id.as_deref()?.parse::<i64>().ok())
        .filter(|t| *t >= 0)
        .max()
        .map_or(0, |m| m + 1);
    let mut order: Vec<usize> = (0..cuboids.len()).collect();
    order.lean_sort_by_key(|&i| cuboids[i].frame);
    let mut rows: Vec<(i64, i64, String)> = Vec::with_capacity(cuboids.len());
    for i in order {
        let c = &cuboids[i];
        let track = match c.track_id.as_deref() {
            Some(t) => match t.parse::<i64>() {
                Ok(n) if n >= 0 => n,
                _ => *ids.entry(t).or_insert_with(|| {
                    next += 1;
                    next - 1
                }),
            },
            None => {
                next += 1;
                next - 1
            }
        };
        let [l, w, h] = c.size;
        // An attribute KITTI has a column for, when it is numbers (else the column's "unknown").
        let attr = |k: &str, default: &str| {
            let v = attribute_text(c, k)
                .filter(|v| v.split_whitespace().all(|w| w.parse::<f64>().is_ok_and(f64::is_finite)));
            v.filter(|v| v.split_whitespace().count() == default.split_whitespace().count())
                .unwrap_or_else(|| default.to_string())
        };
        let mut line = format!(
            "{} {track} {} {} {} -10 {} {h} {w} {l} {} {} {} {}",
            c.frame,
            c.label.replace(char::is_whitespace, "_"),
            attr("truncated", "0"),
            attr("occluded", "0"),
            attr("bbox", "0 0 0 0"),
            -c.center[1],
            -(c.center[2] - h / 2.0),
            c.center[0],
            wrap_angle(-c.yaw - FRAC_PI_2),
        );
        if let Some(s) = attribute_text(c, "score").filter(|s| s.parse::<f64>().is_ok_and(f64::is_finite)) {
            let _ = write!(line, " {s}");
        }
        rows.push((c.frame, track, line));
    }
    rows.lean_sort_by_key(|r| (r.0, r.1));
    rows.into_iter().map(|r| r.2 + "\n").collect()
}

/// An attribute as KITTI's text: a string as it is, a number as written (`1`, `0.5`); nothing else.
fn attribute_text(c: &Cuboid, name: &str) -> Option<String> {
    match c.attributes.get(name)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
