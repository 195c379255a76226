//! Closing the loop: who labels what, and how often. Three policies, each explainable — every decision carries the
//! reason a lead can read:
//! - `overlap.rs`: how many more labels a task needs, from the standing of the annotators who labelled it (new, new
//!   to the guideline version, stable over a window of gold checks, or drifting) and whether they agree;
//! - `tiers.rs`: which tier (e.g. junior, senior, arbiter) a task goes to, by difficulty signals, and escalation of
//!   a disagreement to the next tier;
//! - `triggers.rs`: items put back into the queue — an annotator's labels since a drift alarm, items with a label a
//!   guideline change touched (sampled), items where a confident model contradicts the consensus — and the check
//!   of the model itself on the gold set;
//! - `plan.rs`: all of it for a project at a point in time, from its settings (`workflow.routing`), its labels,
//!   gold, drift flags and predictions — what the lead's routing view shows.

pub(crate) mod context;
pub(crate) mod overlap;
pub(crate) mod plan;
pub(crate) mod tiers;
pub(crate) mod triggers;

pub use context::{RoutingContext, RoutingSources, DRIFT_WINDOW};
pub use overlap::{labels_needed, standing, GoldCheck, Need, Standing};
pub use plan::{plan, AnnotatorRoute, ItemRoute, PlanInput, Router, RoutingPlan};
pub use tiers::{escalate, route, Signals};
pub use triggers::{
    choice_gold, drift_requeue, guideline_change_requeue, labels_touched, model_conflict_requeue, model_gold_check,
    model_review, parse_requeue, predicted_objects, requeue_since, sent_back_first, sent_back_to, timed_labels,
    top_predictions, write_requeue, ModelCheck, Requeue, RequeueLine, SentBackQueue, TimedLabel, TopPrediction,
};
