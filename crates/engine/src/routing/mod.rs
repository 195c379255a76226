//! Closing the loop: who labels what, and how often. Three policies, each explainable — every decision carries the
//! reason a lead can read:
//! - [`overlap`]: how many more labels a task needs, from the standing of the annotators who labelled it (new, new
//!   to the guideline version, stable over a window of gold checks, or drifting) and whether they agree;
//! - [`tiers`]: which tier (e.g. junior, senior, arbiter) a task goes to, by difficulty signals, and escalation of
//!   a disagreement to the next tier;
//! - [`triggers`]: items put back into the queue — an annotator's labels since a drift alarm, items with a label a
//!   guideline change touched (sampled), items where a confident model contradicts the consensus — and the check
//!   of the model itself on the gold set;
//! - [`plan`]: all of it for a project at a point in time, from its settings (`workflow.routing`), its labels,
//!   gold, drift flags and predictions — what the lead's routing view shows.

pub mod context;
pub mod overlap;
pub mod plan;
pub mod tiers;
pub mod triggers;
