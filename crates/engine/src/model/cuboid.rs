//! A 3D box of a LiDAR frame, in the sensor's frame: x forward, y left, z up, metres and radians; and the sensor's
//! pose in the world per frame. Model types, because results hold cuboids and tasks hold poses; the measures over
//! them are in `scene`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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
    /// Attribute values by name (e.g. `"pedestrian.moving": true`, KITTI's `"occluded": "1"`), checked against the
    /// control's attributes like a box's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, serde_json::Value>,
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

    /// The eight corners: the footprint's four at the bottom, then the same four at the top.
    pub fn corners(&self) -> [[f64; 3]; 8] {
        let f = self.footprint();
        let (bottom, top) = self.z_range();
        std::array::from_fn(|i| [f[i % 4][0], f[i % 4][1], if i < 4 { bottom } else { top }])
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

    /// Whether its values are usable: finite, sizes above zero (every reader refuses one that is not).
    pub fn is_valid(&self) -> bool {
        self.size.iter().all(|s| s.is_finite() && *s > 0.0)
            && self.center.iter().all(|x| x.is_finite())
            && self.yaw.is_finite()
    }
}

/// The sensor's pose in the world at one frame: p_world = R(yaw) · p_sensor + translation. Motion is measured in
/// the world, not relative to a moving car (a parked car seen from a moving one does not move).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EgoPose {
    /// The frame.
    pub frame: i64,
    /// Seconds, on any clock common to the sequence.
    pub timestamp: f64,
    /// Where the sensor was, metres.
    pub translation: [f64; 3],
    /// Its heading about the vertical axis, radians.
    #[serde(default)]
    pub yaw: f64,
}

impl EgoPose {
    /// A point of the sensor's frame in the world's.
    pub fn to_world(&self, p: [f64; 3]) -> [f64; 3] {
        let (s, c) = self.yaw.sin_cos();
        [
            c * p[0] - s * p[1] + self.translation[0],
            s * p[0] + c * p[1] + self.translation[1],
            p[2] + self.translation[2],
        ]
    }
}

/// A cuboid drawn by one annotator (or gold, or a model) on one frame: a row of a [`CuboidTable`].
#[derive(Debug, Clone, PartialEq)]
pub struct CuboidRec {
    /// The frame's (task's) id.
    pub item: u32,
    /// Who drew it.
    pub annotator: u32,
    /// The label's id.
    pub label: u32,
    /// The box.
    pub cuboid: Cuboid,
}

/// Cuboids of many annotators over frames: the region machinery (matching, per-class F1, consensus) runs on it as
/// on boxes, with 3D IoU.
pub type CuboidTable = super::RegionTable<CuboidRec>;

impl super::AnnotatorRegion for CuboidRec {
    fn item(&self) -> u32 {
        self.item
    }
    fn annotator(&self) -> u32 {
        self.annotator
    }
}
