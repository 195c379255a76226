//! What routing needs besides the labels, settled in one place for review mode and `concord route`: the gold (the
//! bundle's training gold, overridden by the hidden gold imported with the labels), who is drifting (daily windows of
//! accuracy on gold, [`crate::review::accuracy_over_time`]), the guideline version now, and the shipped model's
//! trust with its check on the gold.

use std::collections::BTreeMap;

use serde::Serialize;

use super::plan::PlanInput;
use super::triggers::{model_gold_check, ModelCheck, TopPrediction};
use crate::bundle::{ModelTrust, RoutingSettings};
use crate::drift::{DriftOptions, Window};
use crate::model::{CategoricalTable, Stamps};
use crate::review::accuracy_over_time;

/// Routing judges drift by day: an annotator's daily accuracy on gold against their own earlier days.
pub const DRIFT_WINDOW: Window = Window::Seconds(86_400);

/// What a routing decision is made from, besides the table's labels.
pub struct RoutingSources<'a> {
    /// The labels.
    pub table: &'a CategoricalTable,
    /// When and under which version each label was made.
    pub stamps: &'a Stamps,
    /// The hidden gold imported with the labels: a label id per item of `table`.
    pub gold_labels: &'a [Option<u32>],
    /// The bundle's training gold for the choice control: item → label.
    pub training_gold: &'a BTreeMap<String, String>,
    /// The project's `workflow.routing`, if it sets one.
    pub settings: Option<&'a RoutingSettings>,
    /// The guideline versions the lead recorded, oldest first.
    pub recorded_versions: &'a [String],
    /// The bundle's guideline version.
    pub bundle_version: Option<&'a str>,
    /// The shipped model's top label per item.
    pub predictions: &'a [TopPrediction],
}

/// The routing context of a batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoutingContext {
    /// The project's settings, or the defaults (`from_project` says which).
    pub settings: RoutingSettings,
    /// Whether `settings` came from the project.
    pub from_project: bool,
    /// Item → gold label.
    #[serde(skip)]
    pub gold: BTreeMap<String, String>,
    /// Annotators with a drift alarm and the start of their first flagged day.
    pub flagged: Vec<(String, i64)>,
    /// The annotators flagged, by name.
    pub drifting: Vec<String>,
    /// The guideline version now: the last the lead recorded, else the latest the labels name, else the bundle's.
    pub current_version: String,
    /// The model's trust (the project's, else [`ModelTrust::default`]).
    pub trust: ModelTrust,
    /// The model's check on the gold, when there are predictions.
    pub model: Option<ModelCheck>,
}

impl RoutingContext {
    /// The context of the batch `s` describes.
    pub fn build(s: &RoutingSources) -> RoutingContext {
        let mut gold = s.training_gold.clone();
        for (i, g) in s.gold_labels.iter().enumerate() {
            if let Some(l) = g {
                gold.insert(s.table.items.name(i as u32).to_string(), s.table.labels.name(*l).to_string());
            }
        }
        let opts = DriftOptions { window: DRIFT_WINDOW, ..DriftOptions::default() };
        let flagged = accuracy_over_time(s.table, s.stamps, s.gold_labels, opts).first_flags();
        let current_version = s
            .recorded_versions
            .last()
            .cloned()
            .or_else(|| s.stamps.versions_in_time().last().map(|v| v.0.clone()))
            .or_else(|| s.bundle_version.map(str::to_string))
            .unwrap_or_default();
        let settings = s.settings.cloned().unwrap_or_default();
        let trust = settings.model.clone().unwrap_or_default();
        let model =
            (!s.predictions.is_empty()).then(|| model_gold_check(s.predictions, &gold, trust.min_gold_accuracy));
        RoutingContext {
            from_project: s.settings.is_some(),
            drifting: flagged.iter().map(|f| f.0.clone()).collect(),
            settings,
            gold,
            flagged,
            current_version,
            trust,
            model,
        }
    }

    /// What the router takes, over the batch's table.
    pub fn input<'a>(
        &'a self,
        table: &'a CategoricalTable,
        stamps: &'a Stamps,
        predictions: &'a [TopPrediction],
        objects: &'a BTreeMap<String, usize>,
    ) -> PlanInput<'a> {
        PlanInput {
            settings: &self.settings,
            table,
            stamps,
            gold: &self.gold,
            current_version: &self.current_version,
            drifting: &self.drifting,
            predictions,
            objects,
        }
    }
}
