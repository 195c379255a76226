//! Items sent back for re-annotation, each with its trigger and reason (`engine::routing::triggers`): the labels of
//! an annotator since their first flagged drift window (by day), a seeded sample of the labels a guideline change
//! touched, made under an older version, and the items where the shipped model, confident and passing its gold
//! check, contradicts the consensus. The list leaves as `requeue.jsonl` (`{task, trigger, reason, annotator?}` per
//! line) for the next batch. Any item can be looked up: its labels, its route, why it is back and to whom.

use concord_engine::sorting::LeanSort;
use std::rc::Rc;

use concord_engine::routing::Router;
use concord_engine::routing::{
    guideline_change_requeue, model_conflict_requeue, requeue_since, timed_labels, write_requeue, Requeue,
};
use yew::prelude::*;

use super::inputs::number_input;
use crate::import::Imported;
use crate::review::ProjectContext;

pub use super::routing_panel::Props;

#[function_component(RequeuePanel)]
pub fn requeue_panel(props: &Props) -> Html {
    let project = use_context::<ProjectContext>().unwrap_or_default();
    let changed = use_state(|| project.0.as_ref().map(|p| p.changed_labels.clone()).unwrap_or_default());
    let rate = use_state(|| 100.0f64);
    let seed = use_state(|| project.0.as_ref().map_or(1.0, |p| p.seed as f64));
    let explain = use_state(String::new);
    let s = &props.summary;
    let routing = props.routing.clone();
    let current = routing.current_version.clone();
    let proj = project.0.clone();
    let (min_gold, min_score) = (routing.trust.min_gold_accuracy, routing.trust.min_conflict_score);
    let model = routing.model.clone();
    let requeued = {
        let (s, routing, model, proj) = (s.clone(), routing.clone(), model.clone(), proj.clone());
        let key = (s.clone(), (*changed).clone(), (*rate).to_bits(), (*seed).to_bits(), Rc::as_ptr(&routing) as usize);
        use_memo(key, move |(_, changed, rate, seed, _)| {
            let guideline_changed = !routing.current_version.is_empty() && !changed.is_empty();
            // Listing the stamped labels is the costly part (one per label): only when a trigger reads them.
            let labels = if routing.flagged.is_empty() && !guideline_changed {
                Vec::new()
            } else {
                timed_labels(&s.table, &s.stamps)
            };
            let mut out = requeue_since(&labels, &routing.flagged);
            if guideline_changed {
                out.extend(guideline_change_requeue(
                    &labels,
                    changed,
                    &routing.current_version,
                    f64::from_bits(*rate) / 100.0,
                    f64::from_bits(*seed) as u64,
                ));
            }
            if let (Some(check), Some(p)) = (&model, &proj) {
                out.extend(model_conflict_requeue(&p.predictions, &s.final_from.labels, min_score, check));
            }
            out
        })
    };
    if s.stamps.is_empty() && model.is_none() {
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
            v.lean_sort();
            changed.set(v);
        })
    };
    let export = {
        let requeued = requeued.clone();
        Callback::from(move |_: MouseEvent| {
            crate::download::offer("requeue.jsonl", &write_requeue(&requeued), "application/x-ndjson")
        })
    };
    let to_sync = {
        let requeued = requeued.clone();
        Callback::from(move |()| {
            vec![crate::sync::LeadUpload {
                path: concord_engine::sync::REQUEUE_FILE.into(),
                text: write_requeue(&requeued),
                mime: "application/x-ndjson",
            }]
        })
    };
    let count = |t: &str| requeued.iter().filter(|r| r.trigger == t).count();
    html! {
        <section class="requeue" aria-label="Sent back for re-annotation" data-testid="requeue">
            <h2>{ "Sent back for re-annotation" }</h2>
            <p class="hint" data-testid="requeue-count" data-drift={count("drift").to_string()} data-guideline={count("guideline_change").to_string()}
               data-model={count("model_conflict").to_string()}>
                { format!("{} labels: {} after a drift alarm, {} touched by a guideline change, {} where a confident model contradicts the consensus. ",
                    requeued.len(), count("drift"), count("guideline_change"), count("model_conflict")) }
                <button type="button" onclick={export} data-testid="download-requeue">{ "Download requeue.jsonl" }</button>{ " " }
                <super::sync_publish::SyncPublish files={to_sync} name="requeue" />
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
            if let Some(m) = &model {
                <p class="hint" data-testid="model-check" data-degraded={m.degraded.to_string()}
                   data-accuracy={m.accuracy.map(|a| format!("{a:.4}")).unwrap_or_default()}>
                    { match m.accuracy {
                        Some(a) if m.degraded => format!("The model is right on {} of {} gold items ({:.0} %), below {:.0} %: degraded — its conflicts send nothing back.",
                            m.correct, m.gold_items, 100.0 * a, 100.0 * min_gold),
                        Some(a) => format!("The model is right on {} of {} gold items ({:.0} %, at least {:.0} %): its predictions at {:.0} % confidence or more that contradict the consensus come back.",
                            m.correct, m.gold_items, 100.0 * a, 100.0 * min_gold, 100.0 * min_score),
                        None => "The model scored no gold item: its conflicts are not checked against gold.".to_string(),
                    } }
                </p>
            }
            <ol class="requeue-list">
                { for requeued.iter().take(200).map(|r: &Requeue| html! {
                    <li data-item={r.item.clone()} data-trigger={r.trigger} data-annotator={r.annotator.clone().unwrap_or_default()}>
                        <strong>{ &r.item }</strong>{ format!(" — {}", r.reason) }
                    </li>
                }) }
            </ol>
            if requeued.len() > 200 { <p class="hint">{ format!("Showing 200 of {}; the file has all.", requeued.len()) }</p> }
            <label class="explain">{ "Why is this item here? " }
                <input type="text" placeholder="item id" value={(*explain).clone()} data-testid="explain-item"
                       oninput={{ let e = explain.clone(); Callback::from(move |ev: InputEvent| e.set(ev.target_unchecked_into::<web_sys::HtmlInputElement>().value())) }} />
            </label>
            if !explain.is_empty() { { explanation(s, &routing, &requeued, proj.as_deref(), &explain) } }
        </section>
    }
}

/// Everything about one item: its labels (who, what, when, under which version), the consensus and the model, its
/// route (how many more labels, which tier, why), and every trigger that sends it back, to whom and why.
fn explanation(
    s: &Imported,
    routing: &super::routing_panel::Routing,
    requeued: &[Requeue],
    project: Option<&crate::review::ReviewProject>,
    item: &str,
) -> Html {
    let predictions = project.map_or(&[][..], |p| &p.predictions);
    let Some(i) = s.table.items.get(item) else {
        return html! { <p class="hint" data-testid="explanation">{ format!("No item `{item}` in the imported files.") }</p> };
    };
    let input = routing.input(s);
    let route = Router::new(&input).route(i as usize);
    let stamp = |who: &str| {
        let a = s.table.annotators.get(who)?;
        let st = s.stamps.rows.iter().find(|r| r.item == i && r.annotator == a)?;
        let (date, time) = (concord_engine::model::civil_date(st.time), concord_engine::model::civil_time(st.time));
        Some(format!(" ({date} {time}, guideline {})", s.stamps.versions.name(st.version)))
    };
    let back: Vec<&Requeue> = requeued.iter().filter(|r| r.item == item).collect();
    // What changed in the guideline for the labels this item was given (the sections that define them).
    let changed: Vec<String> = project
        .map(|p| {
            let mut out: Vec<String> = route
                .labels
                .iter()
                .filter_map(|(_, l)| {
                    let section = p.label_sections.get(l)?;
                    p.changed_sections.contains(section).then(|| format!("{section} (defines `{l}`)"))
                })
                .collect();
            out.lean_sort();
            out.dedup();
            out
        })
        .unwrap_or_default();
    let (previous, newer) = project.map_or_else(Default::default, |p| {
        (p.previous_version.clone().unwrap_or_default(), p.guideline_version.clone())
    });
    html! {
        <div class="explanation" data-testid="explanation" data-item={item.to_string()} data-back={back.len().to_string()}>
            <p>{ "Labels: " }{ route.labels.iter().map(|(who, l)| format!("{who}: {l}{}", stamp(who).unwrap_or_default())).collect::<Vec<_>>().join("; ") }</p>
            <p>
                { format!("Consensus: {}", s.final_from.labels.get(item).map_or("–", String::as_str)) }
                if let Some(g) = routing.gold.get(item) { { format!("; gold: {g}") } }
                if let Some(p) = predictions.iter().find(|p| p.item == item) { { format!("; the model: {} ({:.2})", p.label, p.score) } }
            </p>
            <p data-testid="explanation-route">{ format!("Route: {} more label(s) — {}; tier {} ({}){}", route.more, route.why,
                if route.tier.is_empty() { "–" } else { &route.tier }, route.tier_why,
                route.escalate_to.as_ref().map(|u| format!("; escalate to {u}")).unwrap_or_default()) }</p>
            if !changed.is_empty() {
                <p data-testid="explanation-changed">{ format!("Guideline {previous} → {newer}: changed {}", changed.join(", ")) }</p>
            }
            if back.is_empty() {
                <p>{ "Not sent back." }</p>
            } else {
                <ul>
                    { for back.iter().map(|r| html! {
                        <li data-trigger={r.trigger}>{ format!("Sent back ({}) to {}: {}", r.trigger, r.annotator.as_deref().unwrap_or("anyone"), r.reason) }</li>
                    }) }
                </ul>
            }
        </div>
    }
}
