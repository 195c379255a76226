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

impl Task {
    /// The frame's camera named `name`.
    #[cfg(feature = "scene")]
    pub fn camera(&self, name: &str) -> Option<&Camera> {
        self.data.cameras.iter().find(|c| c.name == name)
    }

    /// The size in pixels of the image a 2D control is drawn on: the task's own (`camera` `None`), or a point-cloud
    /// frame's camera's; `None` when the task does not say (a build without point clouds knows no camera).
    pub fn image_size(&self, camera: Option<&str>) -> Option<(f64, f64)> {
        match camera {
            None => self.data.width.zip(self.data.height),
            #[cfg(feature = "scene")]
            Some(name) => self.camera(name).map(|c| (c.width, c.height)),
            #[cfg(not(feature = "scene"))]
            Some(_) => None,
        }
    }

    /// The task as the image `control` is drawn on: itself, or for a point-cloud frame's 2D control a task with the
    /// same id and meta whose image and size are its camera's — what the image views, readers and writers of boxes
    /// and polygons (COCO, Label Studio, CVAT…) take. `None` when the frame lacks that camera.
    pub fn as_image_for(&self, control: &super::Control) -> Option<std::borrow::Cow<'_, Task>> {
        match control.camera.as_deref() {
            None => Some(std::borrow::Cow::Borrowed(self)),
            #[cfg(feature = "scene")]
            Some(name) => self.camera(name).map(|c| {
                std::borrow::Cow::Owned(Task {
                    id: self.id.clone(),
                    data: TaskData {
                        image: Some(c.image.clone()),
                        width: Some(c.width),
                        height: Some(c.height),
                        ..TaskData::default()
                    },
                    meta: self.meta.clone(),
                })
            }),
            #[cfg(not(feature = "scene"))]
            Some(_) => None,
        }
    }
}
