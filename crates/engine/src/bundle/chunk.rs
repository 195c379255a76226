//! Task chunks: JSON Lines, one task per line, so that a million tasks load lazily chunk by chunk.

use std::collections::HashMap;

use super::manifest::Project;
use super::urls::check_media_url;
use crate::error::{InputError, Place};
use crate::model::{DataKind, Task};

/// Every task id seen so far across chunks, with where it was first seen (to report duplicates precisely).
#[derive(Debug, Default, Clone)]
pub struct TaskIds {
    first_seen: HashMap<String, (u32, u32)>,
    files: Vec<String>,
}

impl TaskIds {
    /// Whether a task with this id was seen.
    pub fn contains(&self, id: &str) -> bool {
        self.first_seen.contains_key(id)
    }
    /// Tasks seen.
    pub fn len(&self) -> usize {
        self.first_seen.len()
    }
    /// Whether no task was seen.
    pub fn is_empty(&self) -> bool {
        self.first_seen.is_empty()
    }
    fn insert(&mut self, id: &str, file: &str, line: usize) -> Result<(), String> {
        if let Some(&(f, l)) = self.first_seen.get(id) {
            return Err(format!("duplicate task id `{id}` (first at {}:{l})", self.files[f as usize]));
        }
        let fi = match self.files.iter().position(|f| f == file) {
            Some(i) => i,
            None => {
                self.files.push(file.to_string());
                self.files.len() - 1
            }
        };
        self.first_seen.insert(id.to_string(), (fi as u32, line as u32));
        Ok(())
    }
}

/// Parses one chunk. `expected_count` is the count the manifest declares for it; a mismatch is an error, since
/// the app relies on it to locate tasks without loading every chunk. Blank lines are skipped.
pub fn parse_task_chunk(
    file: &str,
    text: &str,
    project: &Project,
    expected_count: usize,
    ids: &mut TaskIds,
) -> Result<Vec<Task>, InputError> {
    let mut parser = ChunkParser::new(file, project, expected_count);
    parser.feed(text, ids)?;
    parser.finish()
}

/// A chunk parsed a piece at a time, so a caller on a UI thread can yield between pieces. Pieces are whole
/// lines, in order; line numbers in errors count from the start of the chunk.
pub struct ChunkParser<'a> {
    file: &'a str,
    project: &'a Project,
    expected_count: usize,
    tasks: Vec<Task>,
    lines: usize,
}

impl<'a> ChunkParser<'a> {
    /// A parser for chunk `file` of `project`, which lists `expected_count` tasks.
    pub fn new(file: &'a str, project: &'a Project, expected_count: usize) -> Self {
        ChunkParser { file, project, expected_count, tasks: Vec::with_capacity(expected_count), lines: 0 }
    }

    /// Parses `piece` (whole lines).
    pub fn feed(&mut self, piece: &str, ids: &mut TaskIds) -> Result<(), InputError> {
        let (file, project) = (self.file, self.project);
        for line in piece.lines() {
            self.lines += 1;
            let line_no = self.lines;
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            let task = parse_task_line(file, line, line_no, project)?;
            let at = |path: &str, why: String| {
                InputError::new(file, Place::LinePath { line: line_no, path: path.into() }, why)
            };
            ids.insert(&task.id, file, line_no).map_err(|why| at("$.id", why))?;
            self.tasks.push(task);
        }
        Ok(())
    }

    /// The tasks read, once the file is done; a count other than the manifest's is an error.
    pub fn finish(self) -> Result<Vec<Task>, InputError> {
        if self.tasks.len() != self.expected_count {
            return Err(InputError::whole(
                self.file,
                format!("holds {} tasks but project.json declares {}", self.tasks.len(), self.expected_count),
            ));
        }
        Ok(self.tasks)
    }
}

fn parse_task_line(file: &str, line: &str, line_no: usize, project: &Project) -> Result<Task, InputError> {
    let task: Task = crate::json_path::from_str(line).map_err(|e| {
        if e.inner().is_syntax() || e.inner().is_eof() {
            InputError::new(
                file,
                Place::Line { line: line_no, column: Some(e.inner().column()) },
                format!("invalid JSON: {}", strip_position(&e.inner().to_string())),
            )
        } else {
            InputError::from_path_error(file, Some(line_no), e)
        }
    })?;
    let at = |path: &str, why: String| InputError::new(file, Place::LinePath { line: line_no, path: path.into() }, why);
    if task.id.trim().is_empty() {
        return Err(at("$.id", "task id must not be empty".into()));
    }
    match project.schema.data {
        DataKind::Image => {
            let url = task
                .data
                .image
                .as_deref()
                .ok_or_else(|| at("$.data", "missing `image` (this project shows images)".into()))?;
            check_media_url(url).map_err(|why| at("$.data.image", why.to_string()))?;
            for (name, v) in [("width", task.data.width), ("height", task.data.height)] {
                if let Some(v) = v {
                    if !(v.is_finite() && v > 0.0) {
                        return Err(at(&format!("$.data.{name}"), format!("{v} is not a positive size")));
                    }
                }
            }
        }
        DataKind::Text => {
            if task.data.text.is_none() {
                return Err(at("$.data", "missing `text` (this project shows text)".into()));
            }
        }
        #[cfg(feature = "scene")]
        DataKind::PointCloud => {
            check_point_cloud_frame(&task.data).map_err(|(path, why)| at(&path, why))?;
            // Every frame has the image the project's 2D controls are drawn on.
            for c in &project.schema.controls {
                if let Some(camera) = c.camera.as_deref().filter(|name| task.camera(name).is_none()) {
                    return Err(at(
                        "$.data.cameras",
                        format!("no camera `{camera}`, whose image control `{}` is drawn on", c.name),
                    ));
                }
            }
        }
        #[cfg(not(feature = "scene"))]
        DataKind::PointCloud => {
            return Err(at("$.data", "this build reads no point-cloud frames: they open in the 3D mode".into()))
        }
    }
    Ok(task)
}

pub(crate) fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(feature = "scene")]
/// A point-cloud task's data: its points file (`.bin` or `.pcd`), a frame number of 0 or more, a finite pose, and
/// cameras with usable intrinsics and images. Errors are (JSON path, why).
fn check_point_cloud_frame(data: &crate::model::TaskData) -> Result<(), (String, String)> {
    let points = data
        .points
        .as_deref()
        .ok_or(("$.data".to_string(), "missing `points` (this project shows point clouds)".to_string()))?;
    check_media_url(points).map_err(|why| ("$.data.points".to_string(), why.to_string()))?;
    let lower = points.to_ascii_lowercase();
    if points.starts_with("data:") || !(lower.ends_with(".bin") || lower.ends_with(".pcd")) {
        return Err(("$.data.points".into(), format!("`{points}` is not a KITTI `.bin` or a `.pcd` file")));
    }
    if let Some(f) = data.frame {
        if f < 0 {
            return Err(("$.data.frame".into(), format!("frame {f} is negative")));
        }
    }
    #[cfg(feature = "scene")]
    check_pose_and_cameras(data)?;
    Ok(())
}

/// A frame's pose is finite and of its frame; its cameras are usable.
#[cfg(feature = "scene")]
fn check_pose_and_cameras(data: &crate::model::TaskData) -> Result<(), (String, String)> {
    if let Some(pose) = &data.pose {
        if !(pose.translation.iter().all(|x| x.is_finite()) && pose.yaw.is_finite() && pose.timestamp.is_finite()) {
            return Err(("$.data.pose".into(), "the pose's translation, yaw and timestamp must be finite".into()));
        }
        if data.frame.is_some_and(|f| f != pose.frame) {
            return Err((
                "$.data.pose.frame".into(),
                format!("pose of frame {} on frame {}", pose.frame, data.frame.unwrap_or(0)),
            ));
        }
    }
    for (i, camera) in data.cameras.iter().enumerate() {
        check_media_url(&camera.image).map_err(|why| (format!("$.data.cameras[{i}].image"), why.to_string()))?;
        if !camera.is_valid() {
            return Err((
                format!("$.data.cameras[{i}]"),
                "a camera needs a positive image size, finite extrinsics and intrinsics [[fx, s, cx], [0, fy, cy], [0, 0, 1]] with fx, fy > 0".into(),
            ));
        }
    }
    Ok(())
}
