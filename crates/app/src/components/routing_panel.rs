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

/// What routing and the re-annotation triggers share, computed once per import (and per recorded version). The
/// plan itself is computed only where it is shown (a project is open): routing every task of a million-label import
/// costs the page's thread.
#[derive(Debug)]
pub struct Routing {
    pub settings: RoutingSettings,
    /// Whether the project sets `workflow.routing` (else `settings` are the defaults).
    pub from_project: bool,
    /// Item → gold label: the bundle's training gold, overridden by the gold imported here (honeypots).
    pub gold: BTreeMap<String, String>,
    /// Annotators with a drift alarm (by day) and the start of their first flagged day.
    pub flagged: Vec<(String, i64)>,
    pub drifting: Vec<String>,
    /// The guideline version now: the last the lead recorded, else the latest the files name.
    pub current: String,
    /// The model's trust (`workflow.routing.model`, else [`DEFAULT_MODEL_TRUST`]) and its gold check, when the
    /// bundle ships predictions.
    pub trust: (f64, f64),
    pub model: Option<ModelCheck>,
    /// The project (its predictions and their objects).
    pub project: Option<Rc<ReviewProject>>,
    no_objects: BTreeMap<String, usize>,
}

/// The model's trust when the project sets none: 80 % on gold, conflicts at 90 % confidence.
pub const DEFAULT_MODEL_TRUST: (f64, f64) = (0.8, 0.9);

/// Tasks of the plan listed (the rest are counted; the explanation box routes any task).
const LISTED: usize = 100;

pub fn routing_of(s: &Imported, bumps: &[VersionBump], project: Option<Rc<ReviewProject>>) -> Routing {
    let p = project.as_deref();
    let mut gold: BTreeMap<String, String> = p.map(|p| p.training_gold.clone()).unwrap_or_default();
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
        .or_else(|| p.map(|p| p.guideline_version.clone()))
        .unwrap_or_default();
    let settings = p.and_then(|p| p.routing.clone()).unwrap_or_default();
    let trust = settings.model.as_ref().map_or(DEFAULT_MODEL_TRUST, |m| (m.min_gold_accuracy, m.min_conflict_score));
    let predictions = p.map_or(&[][..], |p| &p.predictions);
    let model = (!predictions.is_empty()).then(|| model_gold_check(predictions, &gold, trust.0));
    Routing {
        from_project: p.is_some_and(|p| p.routing.is_some()),
        drifting: flagged.iter().map(|f| f.0.clone()).collect(),
        settings,
        gold,
        flagged,
        current,
        trust,
        model,
        project,
        no_objects: BTreeMap::new(),
    }
}

impl Routing {
    /// What the engine's router takes, over an import's table.
    pub fn input<'a>(&'a self, s: &'a Imported) -> PlanInput<'a> {
        PlanInput {
            settings: &self.settings,
            table: &s.table,
            stamps: &s.stamps,
            gold: &self.gold,
            current_version: &self.current,
            drifting: &self.drifting,
            predictions: self.project.as_deref().map_or(&[][..], |p| &p.predictions),
            objects: self.project.as_deref().map_or(&self.no_objects, |p| &p.objects),
        }
    }
}

/// The routing and requeue panels' props: the import and what routing derives from it.
#[derive(Properties)]
pub struct Props {
    pub summary: Imported,
    pub routing: Rc<Routing>,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        self.summary == other.summary && Rc::ptr_eq(&self.routing, &other.routing)
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
    let plan = {
        let key = (props.summary.clone(), Rc::as_ptr(r) as usize);
        let (s, r) = (props.summary.clone(), r.clone());
        use_memo(key, move |_| plan(&r.input(&s), LISTED))
    };
    let p: &RoutingPlan = &plan;
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
