//! The arbitration pool: each unsettled item with every annotator's label and the consensus preselected; the
//! arbiter picks the final label and gives a reason. The decisions are kept by `review_work.rs` and leave the
//! browser as the final labels CSV (`engine::arbitration`).

use std::rc::Rc;

use concord_engine::arbitration::{Decision, PoolItem};
use yew::prelude::*;

use super::deferred::in_groups;
use super::verdict_form::page_turner;
use crate::import::Imported;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub summary: Imported,
    pub decisions: Rc<Vec<Decision>>,
    pub decide: Callback<Decision>,
    /// Items review and QC sent here (rejections, split fixes, failed checks), besides the agreement pool.
    pub extra: Rc<Vec<PoolItem>>,
    /// Review's and QC's reasons by item, shown on the agreement pool's items too.
    pub reasons: Rc<std::collections::BTreeMap<String, String>>,
}

/// Pool items shown at once.
const PAGE: usize = 100;
/// Rows built per task: a row is about 26 nodes.
const ROWS_PER_TASK: usize = 25;

#[function_component(ArbitrationPool)]
pub fn arbitration_pool(props: &Props) -> Html {
    let decisions = props.decisions.clone();
    let decide = props.decide.clone();
    let arbiter = use_state(|| "lead".to_string());
    // The pool a page at a time: it runs to a thousand items, each a form.
    let page = use_state(|| 0usize);
    let s = &props.summary;
    let on_arbiter = {
        let arbiter = arbiter.clone();
        Callback::from(move |e: InputEvent| arbiter.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    // One lookup per row, not a scan of the decisions.
    let by_item: std::collections::HashMap<&str, &Decision> = decisions.iter().map(|d| (d.item.as_str(), d)).collect();
    let shown: Vec<&PoolItem> = props.extra.iter().chain(s.pool.iter()).collect();
    let decided = shown.iter().filter(|p| by_item.contains_key(p.item.as_str())).count();
    let pages = shown.len().div_ceil(PAGE).max(1);
    let at = (*page).min(pages - 1);
    html! {
        <section class="arbitration" aria-label="Arbitration" data-testid="arbitration">
            <h2>{ format!("Arbitration: {} items below {:.0} % agreement or tied, {} sent by review and QC",
                          s.pool_size, 100.0 * concord_engine::review::ReviewOptions::default().pool_agreement, props.extra.len()) }</h2>
            <p class="hint" data-testid="arbitration-count" data-decided={decided.to_string()} data-shown={shown.len().to_string()}>
                { format!("{decided} of {} decided. ", shown.len()) }
                if s.pool_size > s.pool.len() { { format!("Showing the {} least agreed. ", s.pool.len()) } }
                <label>{ "Arbiter " }<input type="text" value={(*arbiter).clone()} oninput={on_arbiter} data-testid="arbiter-name" /></label>
                { " " }{ page_turner(&page, at, pages) }
            </p>
            <ol class="pool" start={(at * PAGE + 1).to_string()}>
                { in_groups(shown.iter().skip(at * PAGE).take(PAGE).map(|p| {
                    let current = by_item.get(p.item.as_str()).map(|d| (*d).clone());
                    let mut item = (*p).clone();
                    if let Some(more) = props.reasons.get(&p.item).filter(|r| !item.why.contains(r.as_str())) {
                        item.why = format!("{}; {more}", item.why);
                    }
                    html! { <PoolRow key={p.item.clone()} {item} decision={current} arbiter={(*arbiter).clone()} decide={decide.clone()} /> }
                }), ROWS_PER_TASK) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    item: PoolItem,
    decision: Option<Decision>,
    arbiter: String,
    decide: Callback<Decision>,
}

#[function_component(PoolRow)]
fn pool_row(p: &RowProps) -> Html {
    let item = &p.item;
    // The choices: the labels given, in order of first appearance.
    let mut options: Vec<String> = Vec::new();
    for (_, l) in &item.labels {
        if !options.contains(l) {
            options.push(l.clone());
        }
    }
    let start = p.decision.as_ref().map(|d| d.label.clone()).or_else(|| item.consensus.clone()).unwrap_or_default();
    let chosen = use_state(move || start);
    let reason = use_state(|| p.decision.as_ref().map(|d| d.reason.clone()).unwrap_or_default());
    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |e: InputEvent| reason.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let confirm = {
        let (chosen, reason, decide, arbiter, id) =
            (chosen.clone(), reason.clone(), p.decide.clone(), p.arbiter.clone(), item.item.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            decide.emit(Decision {
                item: id.clone(),
                label: (*chosen).clone(),
                reason: reason.trim().to_string(),
                arbiter: arbiter.clone(),
            });
        })
    };
    let group = format!("final-{}", item.item);
    html! {
        <li class={classes!("pool-item", p.decision.is_some().then_some("decided"))} data-item={item.item.clone()}>
            <form onsubmit={confirm} aria-label={format!("Decide item {}", item.item)}>
                <div class="pool-head">
                    <strong>{ &item.item }</strong>
                    <span class="hint">{ format!(" {:.0} % agree{}", 100.0 * item.agreement, if item.tie { " · tie" } else { "" }) }</span>
                    if !item.why.is_empty() { <span class="hint pool-why">{ format!(" · {}", item.why) }</span> }
                    if let Some(d) = &p.decision {
                        <span class="pool-decided" data-testid="decided">{ format!(" Decided: {} ({}) — {}", d.label, d.arbiter, d.reason) }</span>
                    }
                </div>
                <ul class="pool-labels">
                    { for item.labels.iter().map(|(who, l)| html! { <li>{ format!("{who}: {l}") }</li> }) }
                </ul>
                <fieldset>
                    <legend class="sr">{ "Final label" }</legend>
                    { for options.iter().map(|l| {
                        let onchange = {
                            let (chosen, l) = (chosen.clone(), l.clone());
                            Callback::from(move |_: Event| chosen.set(l.clone()))
                        };
                        let suggested = item.consensus.as_deref() == Some(l.as_str());
                        html! {
                            <label class="pool-choice">
                                <input type="radio" name={group.clone()} value={l.clone()} checked={*chosen == *l} {onchange} />
                                { l }{ if suggested { " (consensus)" } else { "" } }
                            </label>
                        }
                    }) }
                </fieldset>
                <input type="text" placeholder="Reason (guideline section, what decided it)" value={(*reason).clone()}
                       oninput={on_reason} required={true} aria-label={format!("Reason for item {}", item.item)} />
                <button type="submit">{ if p.decision.is_some() { "Change" } else { "Decide" } }</button>
            </form>
        </li>
    }
}
