//! A 3D box of a LiDAR frame, in the sensor's frame: x forward, y left, z up, metres and radians.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::InputError;

/// A 3D box of a LiDAR frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cuboid {
    /// The object's class.
    pub label: String,
    /// Centre (x, y, z), in metres.
    pub center: [f64; 3],
    /// Length (along yaw), width, height.
    pub size: [f64; 3],
    /// Heading about the vertical axis, in radians (0: along +x, counter-clockwise seen from above).
    #[serde(default)]
    pub yaw: f64,
    /// The frame it is in.
    #[serde(default)]
    pub frame: i64,
    /// Which object across frames it is.
    #[serde(default)]
    pub track_id: Option<String>,
    /// Attributes (e.g. `pedestrian.moving`, `occluded: 1`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// Made by interpolating its track between keyframes, not placed by hand.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interpolated: bool,
}

impl Cuboid {
    /// A cuboid of `label` at `center` with `size` and `yaw`, in frame 0, with no track.
    pub fn new(label: &str, center: [f64; 3], size: [f64; 3], yaw: f64) -> Cuboid {
        Cuboid {
            label: label.to_string(),
            center,
            size,
            yaw,
            frame: 0,
            track_id: None,
            attributes: BTreeMap::new(),
            interpolated: false,
        }
    }

    /// The footprint's corners (x, y), counter-clockwise seen from above.
    pub fn footprint(&self) -> [[f64; 2]; 4] {
        let (s, c) = self.yaw.sin_cos();
        let (hl, hw) = (self.size[0] / 2.0, self.size[1] / 2.0);
        [(hl, -hw), (hl, hw), (-hl, hw), (-hl, -hw)]
            .map(|(dx, dy)| [self.center[0] + dx * c - dy * s, self.center[1] + dx * s + dy * c])
    }

    /// The bottom and top faces' heights.
    pub fn z_range(&self) -> (f64, f64) {
        (self.center[2] - self.size[2] / 2.0, self.center[2] + self.size[2] / 2.0)
    }

    /// Its volume.
    pub fn volume(&self) -> f64 {
        self.size[0] * self.size[1] * self.size[2]
    }

    /// Whether point (x, y, z) is inside (the faces included).
    pub fn contains(&self, p: [f64; 3]) -> bool {
        let (s, c) = self.yaw.sin_cos();
        let (dx, dy) = (p[0] - self.center[0], p[1] - self.center[1]);
        // The point in the box's own axes.
        let (u, v) = (dx * c + dy * s, -dx * s + dy * c);
        let (bottom, top) = self.z_range();
        u.abs() <= self.size[0] / 2.0 && v.abs() <= self.size[1] / 2.0 && p[2] >= bottom && p[2] <= top
    }

    /// Whether its values are usable: finite, sizes above zero.
    pub(crate) fn is_valid(&self) -> bool {
        self.size.iter().all(|s| s.is_finite() && *s > 0.0)
            && self.center.iter().all(|x| x.is_finite())
            && self.yaw.is_finite()
    }
}

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
