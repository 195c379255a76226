//! The 2D side of a point-cloud project. Its boxes and polygons are drawn on a camera's image
//! ([`crate::model::Control::camera`]), so the image formats (COCO, Label Studio, CVAT, Pascal VOC, YOLO) take them
//! as an image project, one per camera: each frame becomes that camera's image under the frame's id (so a Label Studio
//! or COCO file of it reads back onto the frames), and each annotation keeps only the controls drawn on that camera.

use crate::bundle::AnnotationRecord;
use crate::model::{DataKind, Schema, Task, TaskResult};

/// One camera's share of a point-cloud project, as an image project.
pub struct CameraSide {
    /// The camera's name.
    pub camera: String,
    /// An image project's schema: the controls drawn on this camera (their `camera` cleared).
    pub schema: Schema,
    /// Every frame that has this camera, as its image ([`Task::as_image_for`]).
    pub tasks: Vec<Task>,
    /// Every annotation of those frames with only this camera's controls (an annotation that drew none of them
    /// stays, empty: the frame was submitted with nothing marked in this image).
    pub records: Vec<AnnotationRecord>,
}

impl CameraSide {
    /// A frame's result (an annotation, gold, a prediction) with only this camera's controls.
    pub fn keep(&self, result: &TaskResult) -> TaskResult {
        let mine = result.0.iter().filter(|(name, _)| self.schema.control(name).is_some());
        TaskResult(mine.map(|(n, v)| (n.clone(), v.clone())).collect())
    }
}

/// The camera sides of a project, one per camera its controls name, in the order the controls first name them;
/// none for a project without camera controls (an image project is its own 2D side).
pub fn camera_sides(schema: &Schema, tasks: &[&Task], records: &[AnnotationRecord]) -> Vec<CameraSide> {
    let mut cameras: Vec<&str> = Vec::new();
    for name in schema.controls.iter().filter_map(|c| c.camera.as_deref()) {
        if !cameras.contains(&name) {
            cameras.push(name);
        }
    }
    cameras
        .into_iter()
        .map(|camera| {
            let controls: Vec<_> = schema.controls.iter().filter(|c| c.camera.as_deref() == Some(camera)).collect();
            let side_schema = Schema {
                data: DataKind::Image,
                controls: controls.iter().map(|c| crate::model::Control { camera: None, ..(*c).clone() }).collect(),
            };
            let tasks: Vec<Task> =
                tasks.iter().filter_map(|t| t.as_image_for(controls[0])).map(std::borrow::Cow::into_owned).collect();
            let mut side = CameraSide { camera: camera.to_string(), schema: side_schema, tasks, records: Vec::new() };
            let ids: std::collections::HashSet<&str> = side.tasks.iter().map(|t| t.id.as_str()).collect();
            let kept = records
                .iter()
                .filter(|r| ids.contains(r.task.as_str()))
                .map(|r| AnnotationRecord { result: side.keep(&r.result), ..r.clone() })
                .collect();
            side.records = kept;
            side
        })
        .collect()
}
