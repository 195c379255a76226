//! The model that learns from the annotator, in the chunk worker (`worker.rs`): the engine's `ProjectLearner` over
//! every task of the project, warmed up from the training gold and the annotator's log, then taught each submission.
//! The page asks it for a task's suggestion (a prediction in the bundle's format) and for the queue re-ranked by its
//! uncertainty; it never computes either itself. The worker keeps one model, for the project last opened.
//!
//! Predictions cross as JSON text (their free `scores` are JSON values, which bincode cannot carry).

use std::cell::RefCell;
use std::collections::HashMap;

use concord_engine::bundle::{load_embeddings, parse_manifest, parse_task_chunk, Embeddings, TaskIds};
use concord_engine::learn::{ProjectLearner, Sample};
use concord_engine::model::{Task, TaskResult};
use serde::{Deserialize, Serialize};

/// A project's files for the model: fetched from `base` (a bundle URL), or given (a bundle opened from disk).
#[derive(Serialize, Deserialize)]
pub struct ModelFiles {
    pub manifest: String,
    /// The bundle folder's URL; empty when `given` holds the files.
    pub base: String,
    /// Path → bytes, for a bundle with no URL: every task chunk and embeddings file.
    pub given: Vec<(String, Vec<u8>)>,
}

/// What the page asks of the model.
#[derive(Serialize, Deserialize)]
pub enum ModelJob {
    /// Starts a model for a project: reads every task (and embeddings), then learns the warm-up labels in order —
    /// the training gold, then the annotator's submitted results — as (task id, result JSON).
    Open { files: ModelFiles, warm_up: Vec<(String, String)> },
    /// Learns one submitted result (task id, result JSON).
    Learn { task: String, result: String },
    /// The model's prediction for these tasks (JSON, in the bundle's predictions format), where it has one.
    Suggest { tasks: Vec<String> },
    /// The queue re-ranked by uncertainty (`ProjectLearner::rank_by_uncertainty`): `keep` (global task indices)
    /// stays first.
    Rank { keep: Vec<u32> },
}

/// The model's answer.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub enum ModelAnswer {
    /// The model is ready: what it learns, and how many labels it has learned from.
    Ready(ModelState),
    /// No model: the project has none to learn, or its files could not be read (why).
    Unavailable(String),
    /// (task id, prediction JSON) for each task asked about that has one.
    Suggestions(Vec<(String, String)>),
    /// Global task indices in queue order.
    Ranked(Vec<u32>),
}

/// What the model is.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ModelState {
    /// The control it learns.
    pub control: String,
    /// Whether it is a span tagger (else a classifier).
    pub tagger: bool,
    /// Labels learned from (gold and the annotator's).
    pub labels: u32,
}

struct LiveModel {
    learner: ProjectLearner,
    tasks: Vec<Task>,
    index: HashMap<String, usize>,
    embeddings: Option<Embeddings>,
    labeled: Vec<bool>,
    /// Labels learned from.
    learned: u32,
}

thread_local! {
    static MODEL: RefCell<Option<LiveModel>> = const { RefCell::new(None) };
}

/// Does one job, in the worker.
pub async fn run(job: ModelJob) -> ModelAnswer {
    match job {
        ModelJob::Open { files, warm_up } => match open(files).await {
            Ok(mut model) => {
                for (task, result) in &warm_up {
                    model.learn(task, result);
                }
                let state = model.state();
                MODEL.with(|m| *m.borrow_mut() = Some(model));
                ModelAnswer::Ready(state)
            }
            Err(why) => {
                MODEL.with(|m| *m.borrow_mut() = None);
                ModelAnswer::Unavailable(why)
            }
        },
        ModelJob::Learn { task, result } => with_model(|m| {
            m.learn(&task, &result);
            ModelAnswer::Ready(m.state())
        }),
        ModelJob::Suggest { tasks } => with_model(|m| {
            ModelAnswer::Suggestions(
                tasks
                    .iter()
                    .filter_map(|id| {
                        let task = &m.tasks[*m.index.get(id)?];
                        let p = m.learner.predict(Sample::of(task, m.embeddings.as_ref()))?;
                        Some((id.clone(), serde_json::to_string(&p).ok()?))
                    })
                    .collect(),
            )
        }),
        ModelJob::Rank { keep } => with_model(|m| {
            let keep: Vec<usize> = keep.iter().map(|&i| i as usize).collect();
            let order = m.learner.rank_by_uncertainty(&m.tasks, m.embeddings.as_ref(), &keep, &m.labeled);
            ModelAnswer::Ranked(order.into_iter().map(|i| i as u32).collect())
        }),
    }
}

fn with_model(f: impl FnOnce(&mut LiveModel) -> ModelAnswer) -> ModelAnswer {
    MODEL.with(|m| match m.borrow_mut().as_mut() {
        Some(model) => f(model),
        None => ModelAnswer::Unavailable("the model is not started".into()),
    })
}

impl LiveModel {
    fn learn(&mut self, task: &str, result: &str) {
        let (Some(&i), Ok(result)) = (self.index.get(task), serde_json::from_str::<TaskResult>(result)) else {
            return;
        };
        if self.learner.learn(Sample::of(&self.tasks[i], self.embeddings.as_ref()), &result) {
            self.labeled[i] = true;
            self.learned += 1;
        }
    }

    fn state(&self) -> ModelState {
        ModelState {
            control: self.learner.control().to_string(),
            tagger: matches!(self.learner, ProjectLearner::Tagger { .. }),
            labels: self.learned,
        }
    }
}

async fn open(files: ModelFiles) -> Result<LiveModel, String> {
    let project = parse_manifest("project.json", &files.manifest).map_err(|e| e.to_string())?;
    let learner = ProjectLearner::for_project(&project, None)?;
    let given: HashMap<&str, &[u8]> = files.given.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    let mut fetched: HashMap<String, Vec<u8>> = HashMap::new();
    let mut paths: Vec<&str> = project.tasks.iter().map(|c| c.path.as_str()).collect();
    paths.extend(project.embeddings.iter().flat_map(|e| e.chunks.iter().map(String::as_str)));
    for path in paths {
        let bytes = match given.get(path) {
            Some(b) => b.to_vec(),
            None if !files.base.is_empty() => fetch_bytes(&files.base, path).await?,
            None => return Err(format!("{path}: not among the project's files")),
        };
        fetched.insert(path.to_string(), bytes);
    }
    let mut ids = TaskIds::default();
    let mut tasks = Vec::new();
    for c in &project.tasks {
        let text = String::from_utf8_lossy(&fetched[&c.path]).into_owned();
        tasks.extend(parse_task_chunk(&c.path, &text, &project, c.count, &mut ids).map_err(|e| e.to_string())?);
    }
    let embeddings = load_embeddings(&project, &tasks, |p| fetched.get(p).cloned().ok_or_else(|| "missing".into()))
        .map_err(|e| e.to_string())?;
    let index = tasks.iter().enumerate().map(|(i, t)| (t.id.clone(), i)).collect();
    let labeled = vec![false; tasks.len()];
    Ok(LiveModel { learner, tasks, index, embeddings, labeled, learned: 0 })
}

async fn fetch_bytes(base: &str, path: &str) -> Result<Vec<u8>, String> {
    let url = web_sys::Url::new_with_base(path, base).map(|u| u.href()).unwrap_or_else(|_| format!("{base}{path}"));
    let resp = gloo::net::http::Request::get(&url).send().await.map_err(|e| format!("{path}: {e}"))?;
    if !resp.ok() {
        return Err(format!("{path}: HTTP {}", resp.status()));
    }
    resp.binary().await.map_err(|e| format!("{path}: {e}"))
}
