//! Off the UI thread, in a Web Worker (gloo-worker): a chunk of tasks parsed and checked by the engine,
//! guideline markdown rendered to safe HTML, sync passes, and the model that learns from the annotator
//! (`live_model`). For a chunk the UI sends its text and the project's `project.json`;
//! the worker answers with the tasks in a flat form that bincode carries cheaply (a task's free `meta` travels as
//! JSON text), or the engine's error. Decoding that on the UI thread costs a small part of parsing JSON Lines
//! there. Markdown is rendered here so that the Markdown parser is not part of annotator mode's first load.

use concord_engine::bundle::{parse_manifest, parse_task_chunk, TaskIds};
use concord_engine::model::{Task, TaskData};
use concord_engine::{InputError, Place};
use gloo_worker::oneshot::oneshot;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct ChunkJob {
    pub manifest: String,
    pub index: u32,
    pub text: String,
}

#[derive(Serialize, Deserialize)]
pub struct WireTask {
    id: String,
    image: Option<String>,
    text: Option<String>,
    width: Option<f64>,
    height: Option<f64>,
    /// `meta` as JSON text; empty when there is none.
    meta: String,
    /// A point-cloud frame's fields (points, sequence, frame, pose, cameras) as JSON text; empty for other tasks.
    frame: String,
}

#[derive(Serialize, Deserialize)]
pub enum WirePlace {
    File,
    Line(u64, Option<u64>),
    JsonPath(String),
    LinePath(u64, String),
}

#[derive(Serialize, Deserialize)]
pub struct WireError {
    file: String,
    place: WirePlace,
    reason: String,
}

impl From<InputError> for WireError {
    fn from(e: InputError) -> Self {
        let place = match e.place {
            Place::File => WirePlace::File,
            Place::Line { line, column } => WirePlace::Line(line as u64, column.map(|c| c as u64)),
            Place::JsonPath(p) => WirePlace::JsonPath(p),
            Place::LinePath { line, path } => WirePlace::LinePath(line as u64, path),
        };
        WireError { file: e.file, place, reason: e.reason }
    }
}

impl From<WireError> for InputError {
    fn from(e: WireError) -> Self {
        let place = match e.place {
            WirePlace::File => Place::File,
            WirePlace::Line(line, column) => Place::Line { line: line as usize, column: column.map(|c| c as usize) },
            WirePlace::JsonPath(p) => Place::JsonPath(p),
            WirePlace::LinePath(line, path) => Place::LinePath { line: line as usize, path },
        };
        InputError::new(e.file, place, e.reason)
    }
}

pub fn to_wire(t: Task) -> WireTask {
    let meta = if t.meta.is_empty() { String::new() } else { serde_json::to_string(&t.meta).unwrap_or_default() };
    let data = t.data;
    // A frame's fields travel as the task data's own JSON, without what the other fields carry.
    #[cfg(feature = "scene")]
    let frame = if data.points.is_some() {
        let fields = TaskData { image: None, text: None, width: None, height: None, ..data.clone() };
        serde_json::to_string(&fields).unwrap_or_default()
    } else {
        String::new()
    };
    #[cfg(not(feature = "scene"))]
    let frame = String::new();
    WireTask { id: t.id, image: data.image, text: data.text, width: data.width, height: data.height, meta, frame }
}

pub fn from_wire(t: WireTask) -> Task {
    #[cfg(feature = "scene")]
    let data = {
        let frame: TaskData =
            if t.frame.is_empty() { TaskData::default() } else { serde_json::from_str(&t.frame).unwrap_or_default() };
        TaskData { image: t.image, text: t.text, width: t.width, height: t.height, ..frame }
    };
    // A build without frames never gets one (point-cloud projects open in the 3D mode). (The update fills the frame
    // fields when a workspace build unifies the engine's features.)
    #[cfg(not(feature = "scene"))]
    #[allow(clippy::needless_update)]
    let data = TaskData { image: t.image, text: t.text, width: t.width, height: t.height, ..Default::default() };
    Task {
        id: t.id,
        data,
        meta: if t.meta.is_empty() { Default::default() } else { serde_json::from_str(&t.meta).unwrap_or_default() },
    }
}

/// What the worker is asked to do.
#[derive(Serialize, Deserialize)]
pub enum Job {
    /// Parse a chunk of tasks.
    Chunk(ChunkJob),
    /// Render markdown fragments to safe HTML (`markdown::to_safe_html`), in order.
    Markdown(Vec<String>),
    /// Send the log's pending events to the sync folder (`crate::sync`).
    Sync(crate::sync::SyncJob),
    /// The model that learns from the annotator (`crate::live_model`).
    Model(crate::live_model::ModelJob),
    /// The physics rules over a whole sequence (`crate::scene`); last, so that builds without it agree on the
    /// other variants' numbers.
    #[cfg(feature = "scene")]
    Sequence(crate::scene::SequenceJob),
}

/// The worker's answer to a [`Job`] of the same kind.
#[derive(Serialize, Deserialize)]
pub enum Answer {
    Tasks(Result<Vec<WireTask>, WireError>),
    Html(Vec<String>),
    Synced(crate::sync::SyncAnswer),
    Model(crate::live_model::ModelAnswer),
    #[cfg(feature = "scene")]
    Sequence(Result<crate::scene::SequenceAnswer, String>),
}

/// Does one [`Job`].
#[oneshot]
#[allow(non_snake_case)]
pub async fn RunJob(job: Job) -> Answer {
    match job {
        Job::Chunk(job) => Answer::Tasks(parse_chunk(job)),
        Job::Markdown(fragments) => Answer::Html(fragments.iter().map(|m| crate::markdown::to_safe_html(m)).collect()),
        Job::Sync(job) => Answer::Synced(crate::sync::run_pass(job).await),
        Job::Model(job) => Answer::Model(crate::live_model::run(job).await),
        #[cfg(feature = "scene")]
        Job::Sequence(job) => Answer::Sequence(crate::scene::run_sequence_job(job).await),
    }
}

/// Parses chunk `index` of the project described by `manifest`, exactly as the UI thread would.
fn parse_chunk(job: ChunkJob) -> Result<Vec<WireTask>, WireError> {
    let project = parse_manifest("project.json", &job.manifest)?;
    let chunk = project
        .tasks
        .get(job.index as usize)
        .ok_or_else(|| InputError::whole("project.json", format!("no chunk {}", job.index)))?;
    let mut ids = TaskIds::default();
    let tasks = parse_task_chunk(&chunk.path, &job.text, &project, chunk.count, &mut ids)?;
    Ok(tasks.into_iter().map(to_wire).collect())
}
