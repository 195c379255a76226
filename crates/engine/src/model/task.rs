//! A task: one item to label.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[cfg(feature = "scene")]
use super::{Camera, EgoPose};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// What a task shows.
pub struct TaskData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The image's URL (bundle-relative, http(s) or data:image/).
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The document's text.
    pub text: Option<String>,
    /// Natural size of the image in pixels; box coordinates are in these pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The image's natural height in pixels, when known.
    pub height: Option<f64>,
    /// A LiDAR frame's points (bundle-relative): KITTI `.bin` (float32 x, y, z, intensity) or PCD.
    #[cfg(feature = "scene")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<String>,
    /// The sequence the frame belongs to; its frames are the tasks with this sequence, by `frame`.
    #[cfg(feature = "scene")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<String>,
    /// The frame's number in its sequence.
    #[cfg(feature = "scene")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<i64>,
    /// Where the sensor was in the world at this frame (motion checks compensate for it).
    #[cfg(feature = "scene")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pose: Option<EgoPose>,
    /// The cameras that saw the frame, with their images.
    #[cfg(feature = "scene")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cameras: Vec<Camera>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// One task of the bundle.
pub struct Task {
    /// Its id, unique in the bundle.
    pub id: String,
    /// What it shows.
    pub data: TaskData,
    /// Free metadata carried through to exports (source, batch, difficulty…).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub meta: Map<String, Value>,
}
