//! Routing (`engine::routing::plan`): every annotator's standing with its evidence and the overlap their tasks get,
//! and the tasks that need more labels — how many, which tier, whether the disagreement escalates — each with the
//! engine's reason. The project's `workflow.routing` sets the policy; without it the defaults apply and the panel
//! says so.

use std::collections::BTreeMap;
use std::rc::Rc;

use concord_engine::guidelines::VersionBump;
use concord_engine::routing::Standing;
use concord_engine::routing::{plan, PlanInput, RoutingPlan};
use concord_engine::routing::{RoutingContext, RoutingSources};
use yew::prelude::*;

use crate::import::Imported;
use crate::review::ReviewProject;

/// What routing and the re-annotation triggers share, computed once per import (and per recorded version) by the
/// engine (`routing::context`). The plan itself is computed only where it is shown (a project is open): routing
/// every task of a million-label import costs the page's thread.
#[derive(Debug)]
pub struct Routing {
    pub context: RoutingContext,
    /// The project (its predictions and their objects).
    pub project: Option<Rc<ReviewProject>>,
    no_objects: BTreeMap<String, usize>,
}

impl std::ops::Deref for Routing {
    type Target = RoutingContext;
    fn deref(&self) -> &RoutingContext {
        &self.context
    }
}

/// Tasks of the plan listed (the rest are counted; the explanation box routes any task).
const LISTED: usize = 100;

pub fn routing_of(s: &Imported, bumps: &[VersionBump], project: Option<Rc<ReviewProject>>) -> Routing {
    let p = project.as_deref();
    let no_gold = BTreeMap::new();
    let recorded: Vec<String> = bumps.iter().map(|b| b.version.clone()).collect();
    let context = RoutingContext::build(&RoutingSources {
        table: &s.table,
        stamps: &s.stamps,
        gold_labels: &s.gold_labels,
        training_gold: p.map_or(&no_gold, |p| &p.training_gold),
        settings: p.and_then(|p| p.routing.as_ref()),
        recorded_versions: &recorded,
        bundle_version: p.map(|p| p.guideline_version.as_str()),
        predictions: p.map_or(&[][..], |p| &p.predictions),
    });
    Routing { context, project, no_objects: BTreeMap::new() }
}

impl Routing {
    /// What the engine's router takes, over an import's table.
    pub fn input<'a>(&'a self, s: &'a Imported) -> PlanInput<'a> {
        self.context.input(
            &s.table,
            &s.stamps,
            self.project.as_deref().map_or(&[][..], |p| &p.predictions),
            self.project.as_deref().map_or(&self.no_objects, |p| &p.objects),
        )
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
