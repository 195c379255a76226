//! Reading cuboid lists in any of the formats Concord knows.

use crate::error::InputError;
use crate::model::Cuboid;

/// Reads cuboids from JSON (a list of [`Cuboid`]), naming the path of a bad value.
pub fn parse_cuboids(file: &str, text: &str) -> Result<Vec<Cuboid>, InputError> {
    let v: Vec<Cuboid> = crate::json_path::from_str(text).map_err(|e| InputError::from_json_document(file, e))?;
    for (i, c) in v.iter().enumerate() {
        if !c.is_valid() {
            return Err(InputError::at_path(file, format!("$[{i}]"), "centre, size and yaw must be finite, sizes > 0"));
        }
    }
    Ok(v)
}

/// Reads cuboids in whichever format `text` is: a JSON list of sample annotations (nuScenes-style, its items have
/// a `sample_token`), a JSON list of [`Cuboid`]s, or KITTI tracking labels (any text not starting with `[`).
pub fn read_cuboids(file: &str, text: &str) -> Result<Vec<Cuboid>, InputError> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('[') {
        return super::read_kitti_labels(file, text);
    }
    let first_is_nuscenes = trimmed[1..].trim_start().starts_with('{')
        && serde_json::from_str::<Vec<serde_json::Value>>(text)
            .ok()
            .and_then(|v| v.first().map(|f| f.get("sample_token").is_some()))
            .unwrap_or(false);
    if first_is_nuscenes {
        super::read_nuscenes(file, text)
    } else {
        parse_cuboids(file, text)
    }
}

/// An angle in (−π, π].
pub fn wrap_angle(a: f64) -> f64 {
    let tau = std::f64::consts::TAU;
    let r = a.rem_euclid(tau);
    if r > std::f64::consts::PI {
        r - tau
    } else {
        r
    }
}
