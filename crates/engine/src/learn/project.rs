//! A project's learner: what the schema's control needs — a classifier (a choice or rating control on texts, or on
//! images with embeddings), a span tagger (a spans control), or a region labeller (a boxes or polygons control on
//! images) — fed the project's results one by one and asked for predictions in the bundle's predictions format. The app's worker and `concord learn` both use it, so the same labels in the same
//! order give the same model in both.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::features::{embedding_features, SparseVector, TextFeatures};
use super::logistic::{LogisticSettings, OnlineLogistic};
use super::region_features::{RegionFeatures, RegionShape};
use super::rehearsal::Rehearsal;
use super::tagger::AveragedPerceptron;
use super::text_index::TextIndex;
use crate::bundle::{Embeddings, Prediction, Project};
use crate::model::{tokens, ControlKind, ControlValue, DataKind, SpanRegion, Task, TaskResult};
use crate::sorting::LeanSort;

/// The model's name in the predictions it writes.
pub const MODEL_NAME: &str = "concord-online";

/// Old examples a region labeller learns from again after each new region. A region's vector has a few dozen
/// non-zero features against a text's hundreds in 2^18 buckets, so four times the text classifier's replays cost
/// less than its update; on the aerial demo they take the gold accuracy after 20 images from 91.4 % to 96.6 %
/// (scikit-learn's batch fit of the same regions: 100 %).
pub const REGION_REPLAYS: usize = 64;

/// What a project learns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ProjectLearner {
    /// One label per text, from its hashed n-grams.
    Classifier {
        /// The control.
        control: String,
        /// Its labels, by class index.
        labels: Vec<String>,
        /// What the model reads of a task.
        features: Features,
        /// The model.
        model: OnlineLogistic,
        /// The examples it learns from again.
        #[serde(default)]
        rehearsal: Rehearsal,
    },
    /// Spans as BIO tags over the text's tokens.
    Tagger {
        /// The control.
        control: String,
        /// The tagger (tags `O`, then `B-X`, `I-X` per label).
        tagger: AveragedPerceptron,
    },
    /// One label per region (a box or a polygon) from its geometry and the image's other labels
    /// ([`RegionFeatures`]): each labelled region of a result is one example. It suggests labels for regions already
    /// drawn ([`ProjectLearner::relabel`]); it draws none.
    Regions {
        /// The control.
        control: String,
        /// Its labels, by class index.
        labels: Vec<String>,
        /// How a region becomes features.
        features: RegionFeatures,
        /// The model.
        model: OnlineLogistic,
        /// The examples it learns from again.
        #[serde(default)]
        rehearsal: Rehearsal,
    },
}

/// What a classifier reads of a task.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Features {
    /// The text's hashed n-grams.
    Text(TextFeatures),
    /// The bundle's embedding vector of the task, `dimension` values (`bundle::Embeddings`).
    Embedding {
        /// Values per vector.
        dimension: usize,
    },
}

impl Features {
    /// The features of `task` (`vector`: its embedding, when the bundle has them); `None` when it has nothing to
    /// read.
    fn of(&self, task: &Task, vector: Option<&[f32]>) -> Option<SparseVector> {
        match self {
            Features::Text(f) => Some(f.features(task.data.text.as_deref()?)),
            Features::Embedding { dimension } => {
                let v = vector?;
                (v.len() == *dimension).then(|| embedding_features(v))
            }
        }
    }
}

/// A task as a learner reads it: the task and, when the bundle ships embeddings, its vector.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    /// The task.
    pub task: &'a Task,
    /// Its embedding.
    pub vector: Option<&'a [f32]>,
}

impl<'a> Sample<'a> {
    /// `task`, with its vector from `embeddings` when there are some.
    pub fn of(task: &'a Task, embeddings: Option<&'a Embeddings>) -> Sample<'a> {
        Sample { task, vector: embeddings.and_then(|e| e.get(&task.id)) }
    }
}

/// What a project's model learns, decided from its manifest alone (cheap: the app asks it before starting a
/// model): the control, its labels, and which learner.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnPlan {
    /// The control learned.
    pub control: String,
    /// Its labels, in the schema's order.
    pub labels: Vec<String>,
    /// The learner.
    pub kind: LearnerKind,
}

/// Which learner a plan makes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LearnerKind {
    /// A classifier of whole tasks, reading them so.
    Classifier(Features),
    /// A span tagger, over the text.
    Tagger,
    /// A region labeller.
    Regions(RegionFeatures),
}

/// What `project` learns for `control`. Unnamed, it is the first single-choice, rating or spans control the project
/// can learn, else the first boxes or polygons control. A classifier reads the bundle's embeddings when it ships
/// some, and a text's n-grams otherwise (an image project's choices without embeddings have no learner, and the
/// error says so); a region labeller learns the boxes or polygons of an image project (not a point cloud's camera
/// images).
pub fn learn_plan(project: &Project, control: Option<&str>) -> Result<LearnPlan, LearnPlanError> {
    let schema = &project.schema;
    let plan = |c: &crate::model::Control| -> Result<LearnPlan, LearnPlanError> {
        let kind = match c.kind {
            ControlKind::Spans if schema.data != DataKind::Text => {
                return Err(LearnPlanError::SpansWithoutText(c.name.clone()))
            }
            ControlKind::Spans => LearnerKind::Tagger,
            ControlKind::SingleChoice | ControlKind::Rating => match (&project.embeddings, schema.data) {
                (Some(e), _) => LearnerKind::Classifier(Features::Embedding { dimension: e.dimension }),
                (None, DataKind::Text) => LearnerKind::Classifier(Features::Text(TextFeatures::default())),
                (None, _) => return Err(LearnPlanError::NoEmbeddings),
            },
            ControlKind::Boxes | ControlKind::Polygons if schema.data == DataKind::Image => {
                LearnerKind::Regions(RegionFeatures::default())
            }
            kind => return Err(LearnPlanError::KindNotLearned { control: c.name.clone(), kind }),
        };
        Ok(LearnPlan { control: c.name.clone(), labels: c.labels.iter().map(|l| l.value.clone()).collect(), kind })
    };
    if let Some(name) = control {
        return plan(schema.control(name).ok_or_else(|| LearnPlanError::NoSuchControl(name.to_string()))?);
    }
    let whole = |k: ControlKind| matches!(k, ControlKind::SingleChoice | ControlKind::Rating | ControlKind::Spans);
    let regions = |k: ControlKind| matches!(k, ControlKind::Boxes | ControlKind::Polygons);
    let candidates =
        schema.controls.iter().filter(|c| whole(c.kind)).chain(schema.controls.iter().filter(|c| regions(c.kind)));
    let mut first_refusal = None;
    for c in candidates {
        match plan(c) {
            Ok(p) => return Ok(p),
            Err(why) => {
                first_refusal.get_or_insert(why);
            }
        }
    }
    Err(first_refusal.unwrap_or(LearnPlanError::NothingToLearn))
}

/// Why a project has no learner for a control ([`learn_plan`]'s refusal); the sentence is its `Display`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LearnPlanError {
    /// The control asked for is not in the schema.
    NoSuchControl(String),
    /// No control was named, and the schema has none a learner learns.
    NothingToLearn,
    /// The control is of a kind the learners do not learn (multiple choices, cuboids, a point cloud's camera
    /// boxes and polygons).
    KindNotLearned {
        /// The control.
        control: String,
        /// Its kind.
        kind: ControlKind,
    },
    /// A spans control in a project whose data is not text.
    SpansWithoutText(String),
    /// An image project that ships no embeddings to learn from.
    NoEmbeddings,
}

impl std::fmt::Display for LearnPlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LearnPlanError::NoSuchControl(name) => write!(f, "the project has no control `{name}`"),
            LearnPlanError::NothingToLearn => {
                f.write_str("the project has no single-choice, rating, spans, boxes or polygons control to learn")
            }
            LearnPlanError::KindNotLearned { control, kind } => {
                write!(
                    f,
                    "control `{control}` is a {kind:?}: the learners learn single choices, ratings, spans, and an \
                     image's boxes and polygons"
                )
            }
            LearnPlanError::SpansWithoutText(name) => {
                write!(f, "control `{name}` marks spans, which only a text project has")
            }
            LearnPlanError::NoEmbeddings => f.write_str(
                "an image project learns from embeddings shipped in its bundle (`embeddings` in project.json), \
                 which this one has none of",
            ),
        }
    }
}

impl std::error::Error for LearnPlanError {}

impl ProjectLearner {
    /// The learner [`learn_plan`] decides for `control` of `project`, untrained.
    pub fn for_project(project: &Project, control: Option<&str>) -> Result<ProjectLearner, LearnPlanError> {
        let LearnPlan { control, labels, kind } = learn_plan(project, control)?;
        Ok(match kind {
            LearnerKind::Tagger => {
                let mut tags = vec!["O".to_string()];
                for l in &labels {
                    tags.push(format!("B-{l}"));
                    tags.push(format!("I-{l}"));
                }
                ProjectLearner::Tagger { control, tagger: AveragedPerceptron::new(tags) }
            }
            LearnerKind::Regions(features) => {
                let model = OnlineLogistic::new(labels.len(), features.dimension(), LogisticSettings::default());
                ProjectLearner::Regions { control, labels, features, model, rehearsal: Rehearsal::default() }
            }
            LearnerKind::Classifier(features) => {
                let dimension = match features {
                    Features::Text(f) => f.dimension(),
                    Features::Embedding { dimension } => dimension,
                };
                let model = OnlineLogistic::new(labels.len(), dimension, LogisticSettings::default());
                ProjectLearner::Classifier { control, labels, features, model, rehearsal: Rehearsal::default() }
            }
        })
    }

    /// The control it learns.
    pub fn control(&self) -> &str {
        match self {
            ProjectLearner::Classifier { control, .. }
            | ProjectLearner::Tagger { control, .. }
            | ProjectLearner::Regions { control, .. } => control,
        }
    }

    /// Learns from one task's result (a result without the control, or with a label the schema lacks, teaches
    /// nothing). Returns whether it learned.
    pub fn learn(&mut self, sample: Sample, result: &TaskResult) -> bool {
        match self {
            ProjectLearner::Classifier { control, labels, features, model, rehearsal } => {
                let Some(ControlValue::Choices(chosen)) = result.0.get(control.as_str()) else { return false };
                let Some(class) = chosen.first().and_then(|l| labels.iter().position(|x| x == l)) else { return false };
                let Some(x) = features.of(sample.task, sample.vector) else { return false };
                rehearsal.learn(model, x, class, super::REPLAYS);
                true
            }
            ProjectLearner::Tagger { control, tagger } => {
                let Some(text) = sample.task.data.text.as_deref() else { return false };
                // A submitted result without spans says the text has none: every token is `O`.
                let spans: &[SpanRegion] = match result.0.get(control.as_str()) {
                    Some(ControlValue::Spans(spans)) => spans,
                    None => &[],
                    Some(_) => return false,
                };
                let (toks, words) = words_of(text);
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                let tags = bio_tags(&toks, spans);
                let Some(truth) =
                    tags.iter().map(|t| tagger.tags().iter().position(|x| x == t)).collect::<Option<Vec<usize>>>()
                else {
                    return false;
                };
                tagger.train(&words, &truth);
                true
            }
            ProjectLearner::Regions { control, labels, features, model, rehearsal } => {
                let Some(value) = result.0.get(control.as_str()) else { return false };
                let image = sample.task.image_size(None);
                let mut learned = false;
                for (x, label) in region_examples(features, value, image) {
                    let Some(class) = labels.iter().position(|l| *l == label) else { continue };
                    rehearsal.learn(model, x, class, REGION_REPLAYS);
                    learned = true;
                }
                learned
            }
        }
    }

    /// A region labeller's suggestion for the regions of `current` (the open task's result as it is now): the
    /// control's regions as they are, each with the model's label and that label's probability as its `score`, in
    /// the bundle's predictions format. Each region is read among the others' labels as `current` has them. `None`
    /// for another learner, or a result without regions of the control.
    pub fn relabel(&self, sample: Sample, current: &TaskResult) -> Option<Prediction> {
        let ProjectLearner::Regions { control, labels, features, model, .. } = self else { return None };
        let value = current.0.get(control.as_str())?;
        let image = sample.task.image_size(None);
        let mut guesses = region_examples(features, value, image).into_iter().map(|(x, _)| {
            let (best, p) = model.predict(&x);
            (labels[best].clone(), p)
        });
        let value = match value {
            ControlValue::Boxes(boxes) => ControlValue::Boxes(
                boxes
                    .iter()
                    .zip(guesses.by_ref())
                    .map(|(b, (label, p))| crate::model::BoxRegion { label, score: Some(p), ..b.clone() })
                    .collect(),
            ),
            ControlValue::Polygons(polygons) => ControlValue::Polygons(
                polygons
                    .iter()
                    .zip(guesses.by_ref())
                    .map(|(q, (label, p))| crate::model::PolygonRegion { label, score: Some(p), ..q.clone() })
                    .collect(),
            ),
            _ => return None,
        };
        Some(Prediction {
            task: sample.task.id.clone(),
            model: MODEL_NAME.to_string(),
            result: TaskResult(BTreeMap::from([(control.clone(), value)])),
            scores: Map::new(),
        })
    }

    /// The model's predictions in the bundle's predictions format, as JSONL: a region labeller's relabelling of
    /// each task's regions in `results` (the last result of each task, in the order of their first appearance), any
    /// other learner's prediction for every task it can read (`results` unused).
    pub fn predictions_of(
        &self,
        tasks: &[Task],
        embeddings: Option<&Embeddings>,
        results: &[(String, TaskResult)],
    ) -> String {
        if !matches!(self, ProjectLearner::Regions { .. }) {
            return self.predictions_jsonl(tasks, embeddings);
        }
        let by_id: BTreeMap<&str, &Task> = tasks.iter().map(|t| (t.id.as_str(), t)).collect();
        let mut last: Vec<(&str, &TaskResult)> = Vec::new();
        for (task, result) in results {
            match last.iter_mut().find(|(t, _)| *t == task) {
                Some(slot) => slot.1 = result,
                None => last.push((task, result)),
            }
        }
        last.into_iter()
            .filter_map(|(t, r)| self.relabel(Sample::of(by_id.get(t)?, embeddings), r))
            .map(|p| serde_json::to_string(&p).expect("a prediction serialises") + "\n")
            .collect()
    }

    /// The feature vector a classifier reads of a task (`None` for a tagger, or a task with nothing to read): what
    /// `concord learn --features` writes, so that a reference model can be trained on exactly the same inputs.
    pub fn features(&self, sample: Sample) -> Option<SparseVector> {
        match self {
            ProjectLearner::Classifier { features, .. } => features.of(sample.task, sample.vector),
            ProjectLearner::Tagger { .. } | ProjectLearner::Regions { .. } => None,
        }
    }

    /// A region labeller's examples in `result`: each region of its control as the model reads it (among the other
    /// regions' labels) with its label — what `concord learn --features` writes for a reference model. `None` for
    /// another learner.
    pub fn region_examples(&self, sample: Sample, result: &TaskResult) -> Option<Vec<(SparseVector, String)>> {
        let ProjectLearner::Regions { control, features, .. } = self else { return None };
        Some(
            result
                .0
                .get(control.as_str())
                .map_or_else(Vec::new, |v| region_examples(features, v, sample.task.image_size(None))),
        )
    }

    /// The class probabilities of a task (a classifier's; `None` for a tagger, or a task with nothing to read).
    pub fn probabilities(&self, sample: Sample) -> Option<Vec<f64>> {
        match self {
            ProjectLearner::Classifier { features, model, .. } => {
                Some(model.probabilities(&features.of(sample.task, sample.vector)?))
            }
            ProjectLearner::Tagger { .. } | ProjectLearner::Regions { .. } => None,
        }
    }

    /// The model's answer for a task, in the bundle's predictions format: a classifier's top label with every
    /// label's probability in `scores`, or a tagger's spans (`None` from a region labeller, which labels regions
    /// drawn: [`ProjectLearner::relabel`]).
    pub fn predict(&self, sample: Sample) -> Option<Prediction> {
        let task = sample.task;
        let (control, value, scores) = match self {
            ProjectLearner::Classifier { control, labels, .. } => {
                let p = self.probabilities(sample)?;
                let best = p.iter().enumerate().fold(0, |b, (i, q)| if *q > p[b] { i } else { b });
                let per: Map<String, Value> =
                    labels.iter().zip(&p).map(|(l, q)| (l.clone(), Value::from(*q))).collect();
                let mut scores = Map::new();
                scores.insert(control.clone(), Value::Object(per));
                (control.clone(), ControlValue::Choices(vec![labels[best].clone()]), scores)
            }
            ProjectLearner::Tagger { control, tagger } => {
                let (toks, words) = words_of(task.data.text.as_deref()?);
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                let tags: Vec<&str> = tagger.tag(&words).into_iter().map(|t| tagger.tags()[t].as_str()).collect();
                (control.clone(), ControlValue::Spans(spans_of_tags(&toks, &tags)), Map::new())
            }
            ProjectLearner::Regions { .. } => return None,
        };
        Some(Prediction {
            task: task.id.clone(),
            model: MODEL_NAME.to_string(),
            result: TaskResult(BTreeMap::from([(control, value)])),
            scores,
        })
    }
}

impl ProjectLearner {
    /// The queue re-ranked by the model's uncertainty, for "most uncertain first" as the model learns: the
    /// positions in `keep` first, as they are (where the annotator has been); then the tasks not yet `labeled`, least
    /// confident first (ties, and tasks the model cannot read, in project order); then the labeled ones in project
    /// order. Returns a permutation of the indices of `tasks`. A tagger's uncertainty is its least token margin
    /// ([`AveragedPerceptron::least_margin`]): the smallest margin first. `index`, [`ProjectLearner::text_index`] of the same tasks, makes a text classifier's ranking
    /// several times faster (the same scores up to rounding in the last bits).
    pub fn rank_by_uncertainty(
        &self,
        tasks: &[Task],
        embeddings: Option<&Embeddings>,
        index: Option<&TextIndex>,
        keep: &[usize],
        labeled: &[bool],
    ) -> Vec<usize> {
        let mut placed = vec![false; tasks.len()];
        let mut order: Vec<usize> = Vec::with_capacity(tasks.len());
        for &i in keep {
            if i < tasks.len() && !std::mem::replace(&mut placed[i], true) {
                order.push(i);
            }
        }
        let waiting = |i: usize| !placed[i] && !labeled.get(i).copied().unwrap_or(false);
        let mut scored: Vec<(usize, f64)> = Vec::with_capacity(tasks.len());
        match (self, index) {
            (ProjectLearner::Classifier { features: Features::Text(f), model, .. }, Some(index))
                if index.len() == tasks.len() && index.features() == *f =>
            {
                let mut uncertainty = vec![f64::NEG_INFINITY; tasks.len()];
                index.scores(model, |i| !waiting(i), |i, s| uncertainty[i] = least_confidence_of_scores(s));
                scored.extend((0..tasks.len()).filter(|&i| waiting(i)).map(|i| (i, uncertainty[i])));
            }
            (ProjectLearner::Tagger { tagger, .. }, _) => {
                scored.extend((0..tasks.len()).filter(|&i| waiting(i)).map(|i| {
                    let margin = tasks[i].data.text.as_deref().and_then(|text| {
                        let (_, words) = words_of(text);
                        tagger.least_margin(&words.iter().map(String::as_str).collect::<Vec<_>>())
                    });
                    (i, margin.map_or(f64::NEG_INFINITY, |m| -m))
                }))
            }
            _ => scored.extend((0..tasks.len()).filter(|&i| waiting(i)).map(|i| {
                let lc = self
                    .probabilities(Sample::of(&tasks[i], embeddings))
                    .map_or(f64::NEG_INFINITY, |p| super::least_confidence(&p));
                (i, lc)
            })),
        }
        scored.lean_sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (i, _) in scored {
            placed[i] = true;
            order.push(i);
        }
        order.extend((0..tasks.len()).filter(|&i| !placed[i]));
        order
    }

    /// A text classifier's [`TextIndex`] of `tasks`, for [`ProjectLearner::rank_by_uncertainty`] (`None` for any
    /// other learner).
    pub fn text_index(&self, tasks: &[Task]) -> Option<TextIndex> {
        match self {
            ProjectLearner::Classifier { features: Features::Text(f), .. } => {
                Some(TextIndex::build(*f, tasks.iter().map(|t| t.data.text.as_deref())))
            }
            _ => None,
        }
    }
}

/// Least confidence, 1 − max softmax(s), from class scores: 1 − 1 / Σ_c exp(s_c − max s).
fn least_confidence_of_scores(scores: &[f64]) -> f64 {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    1.0 - 1.0 / scores.iter().map(|s| libm::exp(s - max)).sum::<f64>()
}

/// How well the model answers the gold tasks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Gold tasks scored (those with the control and a text); a region labeller's: gold regions scored.
    pub items: usize,
    /// A classifier: the share of gold tasks whose top label is the gold one. A tagger: the micro F1 of exact
    /// (start, end, label) spans. A region labeller: the share of the gold tasks' regions whose suggested label is
    /// the gold one.
    pub accuracy: Option<f64>,
}

impl ProjectLearner {
    /// `model.json`: [`ProjectLearner::export`] on one line. `concord learn` and review mode both write it so.
    pub fn model_json(&self) -> String {
        serde_json::to_string(&self.export()).expect("a model serialises") + "\n"
    }

    /// `predictions.jsonl` (the bundle's predictions format): the model's prediction for each of `tasks` it can
    /// read, in order.
    pub fn predictions_jsonl(&self, tasks: &[Task], embeddings: Option<&Embeddings>) -> String {
        tasks
            .iter()
            .filter_map(|t| self.predict(Sample::of(t, embeddings)))
            .map(|p| serde_json::to_string(&p).expect("a prediction serialises") + "\n")
            .collect()
    }

    /// The model as JSON: its kind, control, labels or tags, feature settings, and every non-zero weight (hashed
    /// features are indices of `2^bits` buckets; the tagger's are FNV-1a hashes of its feature strings).
    pub fn export(&self) -> Value {
        match self {
            ProjectLearner::Classifier { control, labels, features, model, .. } => serde_json::json!({
                "kind": "logistic_regression",
                "control": control,
                "labels": labels,
                "features": features,
                "settings": model.settings,
                "rehearsal": {"replays": super::REPLAYS, "capacity": super::REHEARSAL_CAPACITY},
                "updates": model.seen,
                "bias": model.biases(),
                "weights": model.nonzero_weights(),
            }),
            ProjectLearner::Regions { control, labels, features, model, .. } => serde_json::json!({
                "kind": "logistic_regression_of_regions",
                "control": control,
                "labels": labels,
                "features": features,
                "settings": model.settings,
                "rehearsal": {"replays": REGION_REPLAYS, "capacity": super::REHEARSAL_CAPACITY},
                "updates": model.seen,
                "bias": model.biases(),
                "weights": model.nonzero_weights(),
            }),
            ProjectLearner::Tagger { control, tagger } => serde_json::json!({
                "kind": "averaged_perceptron",
                "control": control,
                "tags": tagger.tags(),
                "weights": tagger.averaged_weights().into_iter().map(|(f, t, w)| serde_json::json!([f.to_string(), t, w])).collect::<Vec<_>>(),
            }),
        }
    }

    /// The model on the gold tasks (`tasks` gives their texts, `embeddings` their vectors). A region labeller is
    /// scored on every gold region: relabelled among the gold's other labels, its label right or wrong.
    pub fn evaluate(
        &self,
        tasks: &[Task],
        embeddings: Option<&Embeddings>,
        gold: &[crate::bundle::GoldItem],
    ) -> Evaluation {
        let by_id: BTreeMap<&str, &Task> = tasks.iter().map(|t| (t.id.as_str(), t)).collect();
        let (mut items, mut right, mut tp, mut predicted, mut truth) = (0usize, 0usize, 0usize, 0usize, 0usize);
        for g in gold {
            let (Some(task), Some(want)) = (by_id.get(g.task.as_str()), g.result.0.get(self.control())) else {
                continue;
            };
            let p = match self {
                ProjectLearner::Regions { .. } => self.relabel(Sample::of(task, embeddings), &g.result),
                _ => self.predict(Sample::of(task, embeddings)),
            };
            let Some(p) = p else { continue };
            items += 1;
            match (want, p.result.0.get(self.control())) {
                (ControlValue::Boxes(w), Some(ControlValue::Boxes(got))) => {
                    right += w.iter().zip(got).filter(|(a, b)| a.label == b.label).count();
                    truth += w.len();
                }
                (ControlValue::Polygons(w), Some(ControlValue::Polygons(got))) => {
                    right += w.iter().zip(got).filter(|(a, b)| a.label == b.label).count();
                    truth += w.len();
                }
                (ControlValue::Choices(w), Some(ControlValue::Choices(got))) => {
                    right += usize::from(w.first() == got.first())
                }
                (ControlValue::Spans(w), Some(ControlValue::Spans(got))) => {
                    let key = |s: &SpanRegion| (s.start, s.end, s.label.clone());
                    let want: std::collections::BTreeSet<_> = w.iter().map(key).collect();
                    tp += got.iter().filter(|s| want.contains(&key(s))).count();
                    predicted += got.len();
                    truth += w.len();
                }
                _ => {}
            }
        }
        let accuracy = match self {
            ProjectLearner::Classifier { .. } => (items > 0).then(|| right as f64 / items as f64),
            ProjectLearner::Tagger { .. } => {
                (predicted + truth > 0).then(|| 2.0 * tp as f64 / (predicted + truth) as f64)
            }
            ProjectLearner::Regions { .. } => {
                items = truth;
                (truth > 0).then(|| right as f64 / truth as f64)
            }
        };
        Evaluation { items, accuracy }
    }
}

/// A region the region labeller would label otherwise than the annotator did.
#[derive(Debug, Clone, PartialEq)]
pub struct Relabel {
    /// Its index in the control's list.
    pub index: usize,
    /// The label the annotator gave it.
    pub from: String,
    /// The model's label.
    pub label: String,
    /// The model's probability of it.
    pub probability: f64,
}

/// The regions of `control` in `current` that `suggestion` — a region labeller's [`ProjectLearner::relabel`] of
/// them — labels otherwise, each only while it is where it was when the suggestion was made (a region moved or
/// resized since has none until the model is asked again).
pub fn relabels(control: &str, current: Option<&TaskResult>, suggestion: &Prediction) -> Vec<Relabel> {
    let (Some(now), Some(then)) = (current.and_then(|r| r.0.get(control)), suggestion.result.0.get(control)) else {
        return Vec::new();
    };
    let differs = |index: usize, from: &str, label: &str, score: Option<f64>| {
        (from != label).then(|| Relabel {
            index,
            from: from.to_string(),
            label: label.to_string(),
            probability: score.unwrap_or(0.0),
        })
    };
    match (now, then) {
        (ControlValue::Boxes(now), ControlValue::Boxes(then)) => now
            .iter()
            .zip(then)
            .enumerate()
            .filter(|(_, (a, b))| (a.x, a.y, a.w, a.h) == (b.x, b.y, b.w, b.h))
            .filter_map(|(k, (a, b))| differs(k, &a.label, &b.label, b.score))
            .collect(),
        (ControlValue::Polygons(now), ControlValue::Polygons(then)) => now
            .iter()
            .zip(then)
            .enumerate()
            .filter(|(_, (a, b))| a.points == b.points)
            .filter_map(|(k, (a, b))| differs(k, &a.label, &b.label, b.score))
            .collect(),
        _ => Vec::new(),
    }
}

/// The examples of a control's regions (boxes or polygons): each region's features, read among the other regions'
/// labels, and its label.
fn region_examples(
    features: &RegionFeatures,
    value: &ControlValue,
    image: Option<(f64, f64)>,
) -> Vec<(SparseVector, String)> {
    let regions: Vec<(RegionShape, &str)> = match value {
        ControlValue::Boxes(b) => b.iter().map(|b| (RegionShape::of_box(b), b.label.as_str())).collect(),
        ControlValue::Polygons(p) => p.iter().map(|p| (RegionShape::of_polygon(p), p.label.as_str())).collect(),
        _ => return Vec::new(),
    };
    let all: Vec<&str> = regions.iter().map(|r| r.1).collect();
    regions
        .iter()
        .enumerate()
        .map(|(i, (shape, label))| {
            let others: Vec<&str> = all.iter().enumerate().filter(|(k, _)| *k != i).map(|(_, l)| *l).collect();
            (features.features(shape, image, &others), label.to_string())
        })
        .collect()
}

/// A text's tokens (code-point ranges, as spans snap to them) and their words.
fn words_of(text: &str) -> (Vec<(usize, usize)>, Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let toks = tokens(&chars);
    let words = toks.iter().map(|&(a, b)| chars[a..b].iter().collect()).collect();
    (toks, words)
}

/// BIO tags of `spans` over `tokens` (a token inside a span is tagged; the first one `B-`).
pub fn bio_tags(tokens: &[(usize, usize)], spans: &[SpanRegion]) -> Vec<String> {
    let mut tags = vec!["O".to_string(); tokens.len()];
    for s in spans {
        let mut first = true;
        for (k, &(a, b)) in tokens.iter().enumerate() {
            if a >= s.start && b <= s.end {
                tags[k] = format!("{}-{}", if first { "B" } else { "I" }, s.label);
                first = false;
            }
        }
    }
    tags
}

/// Spans from BIO tags over `tokens` (lenient: an `I-X` after something else starts a span).
pub fn spans_of_tags(tokens: &[(usize, usize)], tags: &[&str]) -> Vec<SpanRegion> {
    let mut out: Vec<SpanRegion> = Vec::new();
    let mut open: Option<(usize, usize, String)> = None;
    for (&(a, b), tag) in tokens.iter().zip(tags) {
        let (kind, label) = tag.split_once('-').unwrap_or(("O", ""));
        match (kind, &mut open) {
            ("I", Some((_, end, l))) if l == label => *end = b,
            ("B" | "I", _) => {
                if let Some((s, e, l)) = open.take() {
                    out.push(SpanRegion { start: s, end: e, label: l, score: None });
                }
                open = Some((a, b, label.to_string()));
            }
            _ => {
                if let Some((s, e, l)) = open.take() {
                    out.push(SpanRegion { start: s, end: e, label: l, score: None });
                }
            }
        }
    }
    if let Some((s, e, l)) = open {
        out.push(SpanRegion { start: s, end: e, label: l, score: None });
    }
    out
}
