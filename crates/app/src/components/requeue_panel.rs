//! Items sent back for re-annotation, each with its trigger and reason (`engine::routing::triggers`): the labels of
//! an annotator since their first flagged drift window (by day), and a seeded sample of the labels a guideline
//! change touched, made under an older version. The list leaves as `requeue.jsonl` (`{task, trigger, reason,
//! annotator?}` per line) for the next batch.

use std::rc::Rc;

use concord_engine::drift::{DriftOptions, Window};
use concord_engine::guidelines::VersionBump;
use concord_engine::review::accuracy_over_time;
use concord_engine::routing::triggers::{
    guideline_change_requeue, requeue_since, timed_labels, write_requeue, Requeue,
};
use yew::prelude::*;

use super::export_bar::download;
use super::qc_panel::number_input;
use crate::import::Imported;
use crate::review::ProjectContext;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub summary: Imported,
    pub bumps: Rc<Vec<VersionBump>>,
}

#[function_component(RequeuePanel)]
pub fn requeue_panel(props: &Props) -> Html {
    let project = use_context::<ProjectContext>().unwrap_or_default();
    let changed = use_state(|| project.0.as_ref().map(|p| p.changed_labels.clone()).unwrap_or_default());
    let rate = use_state(|| 100.0f64);
    let seed = use_state(|| project.0.as_ref().map_or(1.0, |p| p.seed as f64));
    let s = &props.summary;
    // The version now: the last the lead recorded, else the latest the files name.
    let current = props
        .bumps
        .last()
        .map(|b| b.version.clone())
        .or_else(|| s.stamps.versions_in_time().last().map(|v| v.0.clone()))
        .unwrap_or_default();
    let requeued = {
        let s = s.clone();
        let key = (s.clone(), (*changed).clone(), current.clone(), (*rate).to_bits(), (*seed).to_bits());
        use_memo(key, move |(_, changed, current, rate, seed)| {
            let labels = timed_labels(&s.table, &s.stamps);
            let opts = DriftOptions { window: Window::Seconds(86_400), ..DriftOptions::default() };
            let timeline = accuracy_over_time(&s.table, &s.stamps, &s.gold_labels, opts);
            let flagged: Vec<(String, i64)> = timeline
                .annotators
                .iter()
                .filter_map(|(name, d)| Some((name.clone(), d.windows.iter().find(|w| w.flagged)?.start)))
                .collect();
            let mut out = requeue_since(&labels, &flagged);
            if !current.is_empty() && !changed.is_empty() {
                out.extend(guideline_change_requeue(
                    &labels,
                    changed,
                    current,
                    f64::from_bits(*rate) / 100.0,
                    f64::from_bits(*seed) as u64,
                ));
            }
            out
        })
    };
    if s.stamps.is_empty() {
        return html! {};
    }
    let toggle = |label: String| {
        let changed = changed.clone();
        Callback::from(move |_: Event| {
            let mut v = (*changed).clone();
            match v.iter().position(|l| *l == label) {
                Some(i) => {
                    v.remove(i);
                }
                None => v.push(label.clone()),
            }
            v.sort();
            changed.set(v);
        })
    };
    let export = {
        let requeued = requeued.clone();
        Callback::from(move |_: MouseEvent| {
            download("requeue.jsonl", &write_requeue(&requeued), "application/x-ndjson")
        })
    };
    let count = |t: &str| requeued.iter().filter(|r| r.trigger == t).count();
    html! {
        <section class="requeue" aria-label="Sent back for re-annotation" data-testid="requeue">
            <h2>{ "Sent back for re-annotation" }</h2>
            <p class="hint" data-testid="requeue-count" data-drift={count("drift").to_string()} data-guideline={count("guideline_change").to_string()}>
                { format!("{} labels: {} after a drift alarm, {} touched by a guideline change. ", requeued.len(), count("drift"), count("guideline_change")) }
                <button type="button" onclick={export} data-testid="download-requeue">{ "Download requeue.jsonl" }</button>
            </p>
            <details>
                <summary>{ format!("Guideline change: labels made before version {} with these labels", if current.is_empty() { "–" } else { &current }) }</summary>
                <p class="requeue-labels">
                    { for s.labels.iter().map(|l| html! {
                        <label><input type="checkbox" checked={changed.contains(l)} onchange={toggle(l.clone())} data-label={l.clone()} />{ format!(" {l}") }</label>
                    }) }
                </p>
                <p>
                    <label>{ "Sample " }<input type="number" min="0" max="100" value={rate.to_string()} onchange={number_input(&rate)} aria-label="Requeue sample, percent" />{ " % " }</label>
                    <label>{ "seed " }<input type="number" min="0" value={seed.to_string()} onchange={number_input(&seed)} aria-label="Requeue seed" /></label>
                </p>
            </details>
            <ol class="requeue-list">
                { for requeued.iter().take(200).map(|r: &Requeue| html! {
                    <li data-item={r.item.clone()} data-trigger={r.trigger} data-annotator={r.annotator.clone().unwrap_or_default()}>
                        <strong>{ &r.item }</strong>{ format!(" — {}", r.reason) }
                    </li>
                }) }
            </ol>
            if requeued.len() > 200 { <p class="hint">{ format!("Showing 200 of {}; the file has all.", requeued.len()) }</p> }
        </section>
    }
}
