//! `workflow.routing` of `project.json`: the routing policy a project declares — adaptive overlap, tiers and their
//! rules, trust in the shipped model. Data only (read and validated with the manifest); `routing/` applies it.

use serde::{Deserialize, Serialize};

/// `workflow.routing`: how many labels a task needs and who labels it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingSettings {
    #[serde(default)]
    /// How many labels a task gets (adaptive overlap).
    pub overlap: AdaptiveOverlap,
    /// Tiers, most senior first (e.g. `["arbiter", "senior", "junior"]`); a disagreement escalates one step up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<String>,
    /// Which tier a task goes to: the first rule whose condition holds; the most junior tier otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<TierRule>,
    /// When the shipped model's predictions are trusted (to route by and to challenge the consensus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelTrust>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// `workflow.routing.model`: when the shipped model is trusted.
pub struct ModelTrust {
    /// Below this accuracy on the gold set the model is degraded: its confidence routes and challenges nothing.
    pub min_gold_accuracy: f64,
    /// A prediction at least this confident that contradicts the consensus sends the item back.
    pub min_conflict_score: f64,
}

/// Without `workflow.routing.model`: the model is trusted at 80 % on gold, and challenges the consensus at 90 %
/// confidence.
impl Default for ModelTrust {
    fn default() -> Self {
        ModelTrust { min_gold_accuracy: 0.8, min_conflict_score: 0.9 }
    }
}

/// The project's `workflow.routing.overlap` (every field optional, defaults below).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdaptiveOverlap {
    /// Labels per task while any of its annotators is not stable.
    pub high: u32,
    /// Labels per task when every annotator so far is stable (and they agree).
    pub low: u32,
    /// Gold checks under the current guideline version that judge an annotator stable.
    pub window: usize,
    /// Accuracy on those gold checks that judges an annotator stable.
    pub min_accuracy: f64,
}

impl Default for AdaptiveOverlap {
    fn default() -> Self {
        AdaptiveOverlap { high: 3, low: 1, window: 30, min_accuracy: 0.9 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
/// When a tier rule sends a task to its tier.
pub enum TierCondition {
    /// The model's top score is below this.
    ModelConfidenceBelow(f64),
    /// Earlier labels of the task agree less than this (majority share).
    PriorAgreementBelow(f64),
    /// The task holds more than this many objects (e.g. pre-annotated boxes).
    ObjectsAbove(usize),
    /// Every task.
    Always,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// `workflow.routing.rules[]`: a task goes to `tier` when `when` holds.
pub struct TierRule {
    /// The tier the task goes to.
    pub tier: String,
    /// When.
    pub when: TierCondition,
}
