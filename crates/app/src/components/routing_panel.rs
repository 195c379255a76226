//! Routing (`engine::routing::plan`): every annotator's standing with its evidence and the overlap their tasks get,
//! and the tasks that need more labels — how many, which tier, whether the disagreement escalates — each with the
//! engine's reason. The project's `workflow.routing` sets the policy; without it the defaults apply and the panel
//! says so.

use std::collections::BTreeMap;
use std::rc::Rc;

use concord_engine::bundle::RoutingSettings;
use concord_engine::drift::{DriftOptions, Window};
use concord_engine::guidelines::VersionBump;
use concord_engine::review::accuracy_over_time;
use concord_engine::routing::overlap::Standing;
use concord_engine::routing::plan::{plan, PlanInput, RoutingPlan};
use concord_engine::routing::triggers::{model_gold_check, ModelCheck};
use yew::prelude::*;

use crate::import::Imported;
use crate::review::ReviewProject;

/// What routing and the re-annotation triggers share, computed once per import (and per recorded version).
#[derive(Debug, PartialEq)]
pub struct Routing {
    pub settings: RoutingSettings,
    /// Whether the project sets `workflow.routing` (else `settings` are the defaults).
    pub from_project: bool,
    /// Item → gold label: the bundle's training gold, overridden by the gold imported here (honeypots).
    pub gold: BTreeMap<String, String>,
    /// Annotators with a drift alarm (by day) and the start of their first flagged day.
    pub flagged: Vec<(String, i64)>,
    /// The guideline version now: the last the lead recorded, else the latest the files name.
    pub current: String,
    pub plan: RoutingPlan,
    /// The model's trust (`workflow.routing.model`, else [`DEFAULT_MODEL_TRUST`]) and its gold check, when the
    /// bundle ships predictions.
    pub trust: (f64, f64),
    pub model: Option<ModelCheck>,
    /// Item → regions the model proposes.
    pub objects: BTreeMap<String, usize>,
}

/// The model's trust when the project sets none: 80 % on gold, conflicts at 90 % confidence.
pub const DEFAULT_MODEL_TRUST: (f64, f64) = (0.8, 0.9);

/// Tasks of the plan listed (the rest are counted; the explanation box routes any task).
const LISTED: usize = 100;

pub fn routing_of(s: &Imported, bumps: &[VersionBump], project: Option<&ReviewProject>) -> Routing {
    let mut gold: BTreeMap<String, String> = project.map(|p| p.training_gold.clone()).unwrap_or_default();
    for (i, g) in s.gold_labels.iter().enumerate() {
        if let Some(l) = g {
            gold.insert(s.table.items.name(i as u32).to_string(), s.table.labels.name(*l).to_string());
        }
    }
    let opts = DriftOptions { window: Window::Seconds(86_400), ..DriftOptions::default() };
    let flagged = accuracy_over_time(&s.table, &s.stamps, &s.gold_labels, opts).first_flags();
    let current = bumps
        .last()
        .map(|b| b.version.clone())
        .or_else(|| s.stamps.versions_in_time().last().map(|v| v.0.clone()))
        .or_else(|| project.map(|p| p.guideline_version.clone()))
        .unwrap_or_default();
    let from_project = project.is_some_and(|p| p.routing.is_some());
    let settings = project.and_then(|p| p.routing.clone()).unwrap_or_default();
    let drifting: Vec<String> = flagged.iter().map(|f| f.0.clone()).collect();
    let predictions = project.map(|p| p.predictions.as_slice()).unwrap_or(&[]);
    let objects = project.map(|p| p.objects.clone()).unwrap_or_default();
    let input = PlanInput {
        settings: &settings,
        table: &s.table,
        stamps: &s.stamps,
        gold: &gold,
        current_version: &current,
        drifting: &drifting,
        predictions,
        objects: &objects,
    };
    let plan = plan(&input, LISTED);
    let trust = settings.model.as_ref().map_or(DEFAULT_MODEL_TRUST, |m| (m.min_gold_accuracy, m.min_conflict_score));
    let model = (!predictions.is_empty()).then(|| model_gold_check(predictions, &gold, trust.0));
    Routing { settings, from_project, gold, flagged, current, plan, trust, model, objects }
}

#[derive(Properties)]
pub struct Props {
    pub routing: Rc<Routing>,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.routing, &other.routing)
    }
}

fn standing_text(s: &Standing) -> String {
    match s {
        Standing::New { checks } => format!("new ({checks} gold checks)"),
        Standing::NewVersion { checks, version } => format!("new to guideline {version} ({checks} checks under it)"),
        Standing::Stable { accuracy } => format!("stable ({:.0} % on gold)", 100.0 * accuracy),
        Standing::Unstable { accuracy } => format!("below the minimum ({:.0} % on gold)", 100.0 * accuracy),
        Standing::Drifting => "drifting (a drift alarm)".into(),
    }
}

fn standing_key(s: &Standing) -> &'static str {
    match s {
        Standing::New { .. } => "new",
        Standing::NewVersion { .. } => "new_version",
        Standing::Stable { .. } => "stable",
        Standing::Unstable { .. } => "unstable",
        Standing::Drifting => "drifting",
    }
}

#[function_component(RoutingPanel)]
pub fn routing_panel(props: &Props) -> Html {
    let r = &props.routing;
    let p = &r.plan;
    let policy = &r.settings.overlap;
    html! {
        <section class="routing" aria-label="Routing" data-testid="routing">
            <h2>{ "Routing: who labels what, and how often" }</h2>
            <p class="hint">
                { format!("Overlap {} while an annotator is new, new to the guideline version, below {:.0} % on their last {} gold checks or drifting; {} once stable. ",
                    policy.high, 100.0 * policy.min_accuracy, policy.window, policy.low) }
                if !r.from_project { { "(Defaults: the project sets no workflow.routing.)" } }
            </p>
            if let Some(m) = &p.model {
                <p class="hint" data-testid="routing-model" data-degraded={m.degraded.to_string()}>
                    { format!("The model on gold: {} of {} right{}.", m.correct, m.gold_items,
                        if m.degraded { " — degraded: its confidence routes nothing" } else { " — trusted" }) }
                </p>
            }
            <table class="routing-annotators" data-testid="routing-annotators">
                <thead><tr><th>{ "Annotator" }</th><th>{ "Standing" }</th><th>{ "Gold checks (this version / all)" }</th><th>{ "Overlap" }</th></tr></thead>
                <tbody>
                    { for p.annotators.iter().map(|a| html! {
                        <tr data-annotator={a.annotator.clone()} data-standing={standing_key(&a.standing)} data-overlap={a.overlap.to_string()}>
                            <td>{ &a.annotator }</td><td>{ standing_text(&a.standing) }</td>
                            <td>{ format!("{} / {}", a.checks_now, a.checks) }</td><td>{ a.overlap }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p data-testid="routing-open" data-open={p.open.to_string()} data-escalated={p.escalated.to_string()}>
                { format!("{} of {} tasks need more labels; {} {} up a tier.", p.open, p.tasks, p.escalated,
                    if p.escalated == 1 { "disagreement goes" } else { "disagreements go" }) }
            </p>
            <ol class="routing-items">
                { for p.items.iter().map(|i| html! {
                    <li data-item={i.item.clone()} data-more={i.more.to_string()} data-tier={i.tier.clone()}
                        data-escalate={i.escalate_to.clone().unwrap_or_default()}>
                        <strong>{ &i.item }</strong>
                        { format!(" — {} more ({}); tier {} ({})", i.more, i.why, if i.tier.is_empty() { "–" } else { &i.tier }, i.tier_why) }
                        if let Some(up) = &i.escalate_to { { format!("; escalate to {up}") } }
                    </li>
                }) }
            </ol>
            if p.open > p.items.len() { <p class="hint">{ format!("Showing the first {} (the explanation box below routes any task).", p.items.len()) }</p> }
        </section>
    }
}
