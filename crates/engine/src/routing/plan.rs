//! The routing plan of a project at a point in time: every annotator's standing (from their gold checks and drift
//! flags, under the current guideline version) and, per task labelled so far, how many more labels it needs, the
//! tier it goes to and whether its disagreement escalates — each with its reason. What the lead reads to see why a
//! task is (re)queued and to whom; the static backend has no server to assign work, so the plan is computed where it
//! is read.

use crate::sorting::LeanSort;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::overlap::{labels_needed, standing, GoldCheck, Standing};
use super::tiers::{escalate, route, Signals};
use super::triggers::{model_gold_check, ModelCheck, TopPrediction};
use crate::bundle::RoutingSettings;
use crate::model::{CategoricalTable, Stamps};

#[derive(Debug, Clone, PartialEq, Serialize)]
/// How one annotator is routed.
pub struct AnnotatorRoute {
    /// The annotator.
    pub annotator: String,
    /// Where they stand.
    pub standing: Standing,
    /// Gold checks in all, and under the current version.
    pub checks: usize,
    /// Gold checks under the current version.
    pub checks_now: usize,
    /// The overlap the annotator's tasks get.
    pub overlap: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// How one task is routed.
pub struct ItemRoute {
    /// The task.
    pub item: String,
    /// (annotator, label), in the order given.
    pub labels: Vec<(String, String)>,
    /// Labels still needed.
    pub more: u32,
    /// Why.
    pub why: String,
    /// The tier it goes to.
    pub tier: String,
    /// Why that tier.
    pub tier_why: String,
    /// The tier a disagreement the current tier could not settle goes to.
    pub escalate_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// The routing of a batch: per annotator, per task that needs more, and the model's check.
pub struct RoutingPlan {
    /// Per annotator.
    pub annotators: Vec<AnnotatorRoute>,
    /// The first `limit` tasks (table order) that need more labels or escalate.
    pub items: Vec<ItemRoute>,
    /// Tasks that need more labels, and tasks whose disagreement escalates, in all.
    pub open: usize,
    /// Tasks whose disagreement escalates.
    pub escalated: usize,
    /// Tasks routed in all.
    pub tasks: usize,
    /// The model on the gold set, when predictions and `model` settings are given.
    pub model: Option<ModelCheck>,
}

/// What the plan is computed from.
pub struct PlanInput<'a> {
    /// The project's routing settings.
    pub settings: &'a RoutingSettings,
    /// The labels so far.
    pub table: &'a CategoricalTable,
    /// When and under which guideline version each label was made (ids of `table`); labels without a stamp count
    /// as made at time 0 under no version.
    pub stamps: &'a Stamps,
    /// Item name → gold label.
    pub gold: &'a BTreeMap<String, String>,
    /// The guideline version now.
    pub current_version: &'a str,
    /// Annotators with a drift alarm.
    pub drifting: &'a [String],
    /// The model's top label per item.
    pub predictions: &'a [TopPrediction],
    /// Item → number of objects (e.g. the regions the model pre-annotated), for `objects_above` rules.
    pub objects: &'a BTreeMap<String, usize>,
}

/// The annotators' standings and the model's check: what routing a task needs (computed once for a plan).
pub struct Router<'a> {
    input: &'a PlanInput<'a>,
    stamp_of: HashMap<(u32, u32), (i64, &'a str)>,
    standings: HashMap<String, Standing>,
    annotators: Vec<AnnotatorRoute>,
    model: Option<ModelCheck>,
    confidence: HashMap<&'a str, f64>,
}

impl<'a> Router<'a> {
    /// A router over `input`.
    pub fn new(input: &'a PlanInput<'a>) -> Router<'a> {
        let (t, policy) = (input.table, &input.settings.overlap);
        let mut stamp_of: HashMap<(u32, u32), (i64, &str)> = HashMap::new();
        for st in &input.stamps.rows {
            stamp_of.insert((st.item, st.annotator), (st.time, input.stamps.versions.name(st.version)));
        }
        // Gold checks per annotator: every label given on a gold item.
        let mut checks: Vec<Vec<GoldCheck>> = vec![Vec::new(); t.annotators.len()];
        for (i, a, l) in t.rows() {
            if let Some(g) = input.gold.get(t.items.name(i)) {
                let (time, version) = stamp_of.get(&(i, a)).copied().unwrap_or((0, ""));
                checks[a as usize].push(GoldCheck { time, correct: t.labels.name(l) == g, version: version.into() });
            }
        }
        let mut standings = HashMap::new();
        let mut annotators = Vec::new();
        for a in 0..t.annotators.len() as u32 {
            let name = t.annotators.name(a).to_string();
            let c = &checks[a as usize];
            let st = standing(policy, c, input.current_version, input.drifting.contains(&name));
            annotators.push(AnnotatorRoute {
                annotator: name.clone(),
                overlap: if st.is_stable() { policy.low } else { policy.high },
                checks: c.len(),
                checks_now: c.iter().filter(|g| g.version == input.current_version).count(),
                standing: st.clone(),
            });
            standings.insert(name, st);
        }
        annotators.lean_sort_by(|a, b| a.annotator.cmp(&b.annotator));
        // The model's confidence counts only when it passes its gold check.
        let model = input
            .settings
            .model
            .as_ref()
            .filter(|_| !input.predictions.is_empty())
            .map(|m| model_gold_check(input.predictions, input.gold, m.min_gold_accuracy));
        let confidence = if model.as_ref().is_none_or(|m| !m.degraded) {
            input.predictions.iter().map(|p| (p.item.as_str(), p.score)).collect()
        } else {
            HashMap::new()
        };
        Router { input, stamp_of, standings, annotators, model, confidence }
    }

    /// The route of item `i` of the table.
    pub fn route(&self, i: usize) -> ItemRoute {
        let (t, s) = (self.input.table, self.input.settings);
        let name = t.items.name(i as u32);
        let mut labels: Vec<(i64, String, String)> = t
            .annotators_of(i)
            .iter()
            .zip(t.labels_of(i))
            .map(|(&a, &l)| {
                let time = self.stamp_of.get(&(i as u32, a)).map_or(0, |s| s.0);
                (time, t.annotators.name(a).to_string(), t.labels.name(l).to_string())
            })
            .collect();
        labels.lean_sort();
        let labels: Vec<(String, String)> = labels.into_iter().map(|(_, a, l)| (a, l)).collect();
        let need = labels_needed(&s.overlap, &labels, &self.standings);
        let prior_agreement = (labels.len() >= 2).then(|| {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for (_, l) in &labels {
                *counts.entry(l).or_default() += 1;
            }
            *counts.values().max().unwrap_or(&0) as f64 / labels.len() as f64
        });
        let signals = Signals {
            model_confidence: self.confidence.get(name).copied(),
            prior_agreement,
            objects: self.input.objects.get(name).copied(),
        };
        let (tier, tier_why) = route(&s.rules, &signals, &s.tiers);
        // A disagreement the tier's labels could not settle (no majority once the overlap is reached) goes up.
        let disagree = labels.iter().any(|(_, l)| *l != labels[0].1);
        let escalate_to = (disagree && need.more > 0 && labels.len() as u32 >= s.overlap.high)
            .then(|| escalate(&s.tiers, &tier))
            .flatten();
        ItemRoute { item: name.to_string(), labels, more: need.more, why: need.why, tier, tier_why, escalate_to }
    }
}

/// The plan: every annotator, and the first `limit` tasks that need more labels or escalate (a million-task import
/// keeps only what the lead can read; [`Router::route`] explains any other task).
pub fn plan(input: &PlanInput, limit: usize) -> RoutingPlan {
    let router = Router::new(input);
    let (mut items, mut open, mut escalated) = (Vec::new(), 0, 0);
    for i in 0..input.table.n_items() {
        let r = router.route(i);
        open += (r.more > 0) as usize;
        escalated += r.escalate_to.is_some() as usize;
        if (r.more > 0 || r.escalate_to.is_some()) && items.len() < limit {
            items.push(r);
        }
    }
    RoutingPlan {
        annotators: router.annotators,
        items,
        open,
        escalated,
        tasks: input.table.n_items(),
        model: router.model,
    }
}
