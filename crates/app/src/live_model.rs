//! The model that learns from the annotator, in the chunk worker (`worker.rs`): the engine's `ProjectLearner` over
//! every task of the project, warmed up from the training gold and the annotator's log, then taught each submission.
//! The page asks it for a task's suggestion (a prediction in the bundle's format) and for the queue re-ranked by its
//! uncertainty; it never computes either itself. The worker keeps one model, for the project last opened.
//!
//! Predictions cross as JSON text (their free `scores` are JSON values, which bincode cannot carry).

use std::cell::RefCell;
use std::collections::HashMap;

use concord_engine::bundle::{
    load_embeddings, parse_gold, parse_manifest, parse_task_chunk, Embeddings, GoldItem, TaskIds,
};
use concord_engine::learn::{curve_counts, train, ProjectLearner, Sample, TextIndex};
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
    /// The model's prediction for these tasks (JSON, in the bundle's predictions format), where it has one. A region
    /// labeller labels the regions drawn: `current` holds (task id, result JSON as on screen) for those tasks.
    Suggest { tasks: Vec<String>, current: Vec<(String, String)> },
    /// The queue re-ranked by uncertainty (`ProjectLearner::rank_by_uncertainty`): `keep` (global task indices)
    /// stays first.
    Rank { keep: Vec<u32> },
    /// Review mode: a model trained from scratch on a batch's labels (task id, result JSON) in the order they
    /// were made, with its learning curve on the bundle's gold at about `points` counts (`learn::train`). It does
    /// not replace the annotator's model.
    Train { files: ModelFiles, labels: Vec<(String, String)>, points: u32 },
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
    Trained(TrainedModel),
}

/// A model trained for review mode.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TrainedModel {
    pub control: String,
    /// Labels given, and learned from.
    pub labels: u32,
    pub learned: u32,
    /// Gold tasks scored, and (labels seen, gold accuracy — F1 for spans) along the way.
    pub gold_items: u32,
    pub curve: Vec<(u32, Option<f64>)>,
    /// The model as `concord learn` writes it (`model.json`), and its predictions for every task (JSONL, the
    /// bundle's predictions format).
    pub model: String,
    pub predictions: String,
}

/// What the model is.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ModelState {
    /// The control it learns.
    pub control: String,
    /// Whether it is a span tagger.
    pub tagger: bool,
    /// Whether it labels regions (boxes, polygons): it is asked again after every edit of the open task, and does
    /// not order the queue.
    pub regions: bool,
    /// Labels learned from (gold and the annotator's).
    pub labels: u32,
    /// Milliseconds in the worker (for the benchmark, `tests/bench/ui.mjs`): opening (reading every task) and the
    /// warm-up; the last Learn job; the last Suggest job per task scored; the last Rank job.
    pub timings: Timings,
}

/// Where the model's time goes, in the worker, in milliseconds.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
pub struct Timings {
    pub open: f64,
    pub warm_up: f64,
    pub learn: f64,
    pub suggest_per_task: f64,
    pub rank: f64,
}

/// `performance.now()` of the worker (or the page).
fn now() -> f64 {
    use wasm_bindgen::JsCast;
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

struct LiveModel {
    learner: ProjectLearner,
    tasks: Vec<Task>,
    index: HashMap<String, usize>,
    embeddings: Option<Embeddings>,
    /// A text classifier's queue read for ranking (`ProjectLearner::text_index`), built by the Open job.
    text_index: Option<TextIndex>,
    labeled: Vec<bool>,
    /// Labels learned from.
    learned: u32,
    timings: Timings,
    /// What results are read against (an empty list is spans or choices by its control).
    schema: concord_engine::model::Schema,
}

/// A result's JSON read against `schema`, each value typed by its control.
fn read_result(schema: &concord_engine::model::Schema, json: &str) -> Result<TaskResult, String> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let at = |path: &str, why: String| concord_engine::InputError::at_path("result", path, why);
    concord_engine::bundle::parse_result(Some(&value), schema, &at).map_err(|e| e.to_string())
}

thread_local! {
    static MODEL: RefCell<Option<LiveModel>> = const { RefCell::new(None) };
}

/// Does one job, in the worker.
pub async fn run(job: ModelJob) -> ModelAnswer {
    match job {
        ModelJob::Train { files, labels, points } => match open(files).await {
            Ok((model, gold)) => trained(model, gold, &labels, points as usize),
            Err(why) => ModelAnswer::Unavailable(why),
        },
        ModelJob::Open { files, warm_up } => match open(files).await {
            Ok((mut model, _)) => {
                let t0 = now();
                // Read for ranking here, not in `open`: review mode's training never ranks.
                model.text_index = model.learner.text_index(&model.tasks);
                model.timings.open += now() - t0;
                let t0 = now();
                for (task, result) in &warm_up {
                    model.learn(task, result);
                }
                model.timings.warm_up = now() - t0;
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
            let t0 = now();
            m.learn(&task, &result);
            m.timings.learn = now() - t0;
            ModelAnswer::Ready(m.state())
        }),
        ModelJob::Suggest { tasks, current } => with_model(|m| {
            let t0 = now();
            let found: Vec<(String, String)> = tasks
                .iter()
                .filter_map(|id| {
                    let task = &m.tasks[*m.index.get(id)?];
                    let sample = Sample::of(task, m.embeddings.as_ref());
                    let p = match &m.learner {
                        ProjectLearner::Regions { .. } => {
                            let json = &current.iter().find(|(t, _)| t == id)?.1;
                            m.learner.relabel(sample, &read_result(&m.schema, json).ok()?)?
                        }
                        _ => m.learner.predict(sample)?,
                    };
                    Some((id.clone(), serde_json::to_string(&p).ok()?))
                })
                .collect();
            m.timings.suggest_per_task = (now() - t0) / tasks.len().max(1) as f64;
            ModelAnswer::Suggestions(found)
        }),
        ModelJob::Rank { keep } => with_model(|m| {
            let t0 = now();
            let keep: Vec<usize> = keep.iter().map(|&i| i as usize).collect();
            let order = m.learner.rank_by_uncertainty(
                &m.tasks,
                m.embeddings.as_ref(),
                m.text_index.as_ref(),
                &keep,
                &m.labeled,
            );
            m.timings.rank = now() - t0;
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
        let (Some(&i), Ok(result)) = (self.index.get(task), read_result(&self.schema, result)) else {
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
            regions: matches!(self.learner, ProjectLearner::Regions { .. }),
            labels: self.learned,
            timings: self.timings.clone(),
        }
    }
}

/// Trains `model` (fresh) on `labels` and answers with its curve, the model and its predictions.
fn trained(mut m: LiveModel, gold: Vec<GoldItem>, labels: &[(String, String)], points: usize) -> ModelAnswer {
    let parsed: Result<Vec<(String, TaskResult)>, String> = labels
        .iter()
        .map(|(t, r)| read_result(&m.schema, r).map(|r| (t.clone(), r)).map_err(|e| format!("a label of `{t}`: {e}")))
        .collect();
    let parsed = match parsed {
        Ok(p) => p,
        Err(why) => return ModelAnswer::Unavailable(why),
    };
    let at = curve_counts(parsed.len(), points);
    let training = match train(&mut m.learner, &m.tasks, m.embeddings.as_ref(), &parsed, &gold, &at) {
        Ok(t) => t,
        Err(why) => return ModelAnswer::Unavailable(why),
    };
    let predictions = m.learner.predictions_of(&m.tasks, m.embeddings.as_ref(), &parsed);
    let gold_items = training.curve.last().map_or(0, |p| p.gold.items as u32);
    ModelAnswer::Trained(TrainedModel {
        control: m.learner.control().to_string(),
        labels: training.labels as u32,
        learned: training.learned as u32,
        gold_items,
        curve: training.curve.iter().map(|p| (p.labels as u32, p.gold.accuracy)).collect(),
        model: m.learner.model_json(),
        predictions,
    })
}

/// The project's model, untrained, over every task, with the bundle's training gold.
async fn open(files: ModelFiles) -> Result<(LiveModel, Vec<GoldItem>), String> {
    let t0 = now();
    let project = parse_manifest("project.json", &files.manifest).map_err(|e| e.to_string())?;
    let learner = ProjectLearner::for_project(&project, None).map_err(|e| e.to_string())?;
    let given: HashMap<&str, &[u8]> = files.given.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    let mut fetched: HashMap<String, Vec<u8>> = HashMap::new();
    let mut paths: Vec<&str> = project.tasks.iter().map(|c| c.path.as_str()).collect();
    paths.extend(project.embeddings.iter().flat_map(|e| e.chunks.iter().map(String::as_str)));
    paths.extend(project.gold.iter().map(|g| g.path.as_str()));
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
    let gold = match &project.gold {
        Some(g) => parse_gold(&g.path, &String::from_utf8_lossy(&fetched[&g.path]), &project.schema, Some(&ids))
            .map_err(|e| e.to_string())?,
        None => Vec::new(),
    };
    let index = tasks.iter().enumerate().map(|(i, t)| (t.id.clone(), i)).collect();
    let labeled = vec![false; tasks.len()];
    let timings = Timings { open: now() - t0, ..Timings::default() };
    let schema = project.schema.clone();
    Ok((LiveModel { learner, tasks, index, embeddings, text_index: None, labeled, learned: 0, timings, schema }, gold))
}

async fn fetch_bytes(base: &str, path: &str) -> Result<Vec<u8>, String> {
    let url = web_sys::Url::new_with_base(path, base).map(|u| u.href()).unwrap_or_else(|_| format!("{base}{path}"));
    let resp = gloo::net::http::Request::get(&url).send().await.map_err(|e| format!("{path}: {e}"))?;
    if !resp.ok() {
        return Err(format!("{path}: HTTP {}", resp.status()));
    }
    resp.binary().await.map_err(|e| format!("{path}: {e}"))
}

/// The files the model reads, for the page to send: the bundle's URL, or, for a bundle opened from disk (no URL),
/// every task chunk, embeddings file and the gold, read here.
pub async fn model_files(manifest: String, base: &str) -> Result<ModelFiles, String> {
    if base != crate::loader::LOCAL_BASE {
        return Ok(ModelFiles { manifest, base: base.to_string(), given: Vec::new() });
    }
    let project = parse_manifest("project.json", &manifest).map_err(|e| e.to_string())?;
    let chunks = project.tasks.iter().map(|c| &c.path);
    let paths =
        chunks.chain(project.embeddings.iter().flat_map(|e| &e.chunks)).chain(project.gold.iter().map(|g| &g.path));
    let mut given = Vec::new();
    for path in paths {
        given.push((path.clone(), crate::loader::local_bytes(path).await.map_err(|e| e.to_string())?));
    }
    Ok(ModelFiles { manifest, base: String::new(), given })
}
