//! The project bundle, format v1: Concord's static backend (see `docs/bundle-format.md`).
//!
//! Everything here works on strings already read by the caller (the app fetches, the CLI reads files), so the
//! same parser runs in the browser and natively. [`load_bundle`] strings the steps together for callers that can
//! read synchronously.

mod chunk;
mod embeddings;
mod manifest;
mod new;
mod results;
mod routing_settings;
mod urls;

pub use chunk::{parse_task_chunk, ChunkParser, TaskIds};
pub use embeddings::{
    f16_to_f32, load_embeddings, parse_embedding_chunk, Embeddings, EmbeddingsRef, VectorType, MAX_DIMENSION,
};
pub use manifest::{
    parse_manifest, ChunkRef, FileRef, GateRule, GuidelineVersion, GuidelinesRef, PilotSettings, Project, Workflow,
    FORMAT_ID, FORMAT_VERSION,
};
pub use new::{draft_guidelines, draft_label, new_bundle, NewBundle, NewProject};
pub use results::{
    parse_annotations, parse_gold, parse_predictions, parse_result, AnnotationRecord, GoldItem, Prediction,
};
pub use routing_settings::{AdaptiveOverlap, ModelTrust, RoutingSettings, TierCondition, TierRule};
pub use urls::{check_bundle_path, check_media_url, check_sync_url, UrlError};

use crate::error::InputError;
use crate::model::Task;

/// A bundle with everything an annotator may load: project, guideline text, tasks, training gold, predictions.
/// Hidden honeypot answers are never part of a bundle; the lead loads them separately in review.
#[derive(Debug, Clone)]
pub struct LoadedBundle {
    /// The manifest.
    pub project: Project,
    /// The current guideline's Markdown.
    pub guidelines: String,
    /// The rules file, when the bundle has one.
    pub rules: Option<serde_json::Value>,
    /// Every task, in chunk order.
    pub tasks: Vec<Task>,
    /// The gold answers.
    pub gold: Vec<GoldItem>,
    /// The model's predictions.
    pub predictions: Vec<Prediction>,
}

/// Loads a whole bundle through `read(path) -> text`, where `path` is relative to the bundle folder
/// (`project.json`, then the files it names). Stops at the first error.
pub fn load_bundle(mut read: impl FnMut(&str) -> Result<String, String>) -> Result<LoadedBundle, InputError> {
    let mut read_file = |path: &str| read(path).map_err(|why| InputError::whole(path, why));
    let project = parse_manifest("project.json", &read_file("project.json")?)?;
    let guidelines = read_file(&project.guidelines.path)?;
    // Earlier versions are read only to show differences; here they must at least be there.
    for h in &project.guidelines.history {
        read_file(&h.path)?;
    }
    let rules = match &project.rules {
        Some(r) => {
            let text = read_file(&r.path)?;
            Some(serde_json::from_str(&text).map_err(|e| InputError::from_json(&r.path, &e))?)
        }
        None => None,
    };
    let mut ids = TaskIds::default();
    let mut tasks = Vec::new();
    for chunk in &project.tasks {
        let text = read_file(&chunk.path)?;
        tasks.extend(parse_task_chunk(&chunk.path, &text, &project, chunk.count, &mut ids)?);
    }
    let gold = match &project.gold {
        Some(g) => parse_gold(&g.path, &read_file(&g.path)?, &project.schema, Some(&ids))?,
        None => Vec::new(),
    };
    let predictions = match &project.predictions {
        Some(p) => parse_predictions(&p.path, &read_file(&p.path)?, &project.schema, Some(&ids))?,
        None => Vec::new(),
    };
    Ok(LoadedBundle { project, guidelines, rules, tasks, gold, predictions })
}
