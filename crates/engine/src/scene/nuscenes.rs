//! A nuScenes-style JSON of sample annotations (Caesar et al. 2020, "nuScenes: A multimodal dataset for autonomous
//! driving", CVPR; the schema's `sample_annotation` table): a list of
//!
//! `{"token", "sample_token", "instance_token", "category_name", "translation": [x, y, z], "size": [w, l, h],
//!   "rotation": [w, x, y, z], "attribute_names": [...], "num_lidar_pts"}`
//!
//! with the box centre in `translation`, width before length in `size`, and the heading as a unit quaternion about
//! the vertical axis. The instance token is the track. The sample token names the frame: `frame-N` is frame N;
//! other tokens are numbered in order of first appearance. Coordinates are taken as they are (Concord's cuboids are
//! in the sensor's frame; a real nuScenes export's are global).

use serde::{Deserialize, Serialize};

use super::cuboid::wrap_angle;
use crate::error::InputError;
use crate::model::Cuboid;

/// One sample annotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SampleAnnotation {
    #[serde(default)]
    token: String,
    sample_token: String,
    #[serde(default)]
    instance_token: Option<String>,
    category_name: String,
    translation: [f64; 3],
    size: [f64; 3],
    rotation: [f64; 4],
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    attribute_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    num_lidar_pts: Option<i64>,
}

/// How far a quaternion may tilt from a rotation about the vertical axis (|x|, |y| of a unit quaternion).
const TILT: f64 = 1e-3;

/// Reads a nuScenes-style list of sample annotations.
pub fn read_nuscenes(file: &str, text: &str) -> Result<Vec<Cuboid>, InputError> {
    let list: Vec<SampleAnnotation> =
        crate::json_path::from_str(text).map_err(|e| InputError::from_json_document(file, e))?;
    let mut frames: std::collections::HashMap<String, i64> = Default::default();
    let mut out = Vec::with_capacity(list.len());
    for (i, a) in list.into_iter().enumerate() {
        let at = |field: &str, why: String| InputError::at_path(file, format!("$[{i}].{field}"), why);
        let [qw, qx, qy, qz] = a.rotation;
        let norm = (qw * qw + qx * qx + qy * qy + qz * qz).sqrt();
        if !(norm.is_finite() && (norm - 1.0).abs() < 1e-6) {
            return Err(at("rotation", format!("a quaternion of norm {norm}, not a unit one")));
        }
        if qx.abs() > TILT || qy.abs() > TILT {
            return Err(at(
                "rotation",
                format!("tilts the box (x {qx}, y {qy}): only rotations about the vertical axis are read"),
            ));
        }
        let [w, l, h] = a.size;
        if !a.size.iter().all(|s| s.is_finite() && *s > 0.0) {
            return Err(at("size", format!("{w} {l} {h}: each must be above zero")));
        }
        if !a.translation.iter().all(|x| x.is_finite()) {
            return Err(at("translation", "must be finite".into()));
        }
        let frame = match a.sample_token.strip_prefix("frame-").and_then(|n| n.parse::<i64>().ok()) {
            Some(n) => n,
            None => {
                let next = frames.len() as i64;
                *frames.entry(a.sample_token.clone()).or_insert(next)
            }
        };
        let mut c = Cuboid::new(&a.category_name, a.translation, [l, w, h], wrap_angle(2.0 * qz.atan2(qw)));
        c.frame = frame;
        c.track_id = a.instance_token;
        for name in a.attribute_names {
            c.attributes.insert(name, true.into());
        }
        if let Some(n) = a.num_lidar_pts {
            c.attributes.insert("num_lidar_pts".into(), n.into());
        }
        out.push(c);
    }
    Ok(out)
}

/// Writes cuboids as a nuScenes-style list of sample annotations (attributes set to `true`, or `"true"`, become
/// `attribute_names`).
pub fn write_nuscenes(cuboids: &[Cuboid]) -> String {
    let list: Vec<SampleAnnotation> = cuboids
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let [l, w, h] = c.size;
            let (s, co) = (c.yaw / 2.0).sin_cos();
            SampleAnnotation {
                token: format!("ann-{i:06}"),
                sample_token: format!("frame-{}", c.frame),
                instance_token: c.track_id.clone(),
                category_name: c.label.clone(),
                translation: c.center,
                size: [w, l, h],
                rotation: [co, 0.0, 0.0, s],
                attribute_names: c
                    .attributes
                    .iter()
                    .filter(|(_, v)| **v == serde_json::Value::Bool(true) || v.as_str() == Some("true"))
                    .map(|(k, _)| k.clone())
                    .collect(),
                num_lidar_pts: c
                    .attributes
                    .get("num_lidar_pts")
                    .and_then(|n| n.as_i64().or_else(|| n.as_str().and_then(|s| s.parse().ok()))),
            }
        })
        .collect();
    serde_json::to_string_pretty(&list).expect("annotations serialise") + "\n"
}
