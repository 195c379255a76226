//! `<concord-agreement-matrix>`: pairwise agreement between annotators as a heat-map grid (Cohen's kappa or percent
//! agreement), with the overall figures above it. The grid follows the ARIA grid pattern: one cell in the tab
//! order, arrow keys move, Enter or a click tells the host which pair (`concord-pair-select`).

use std::collections::BTreeMap;

use serde::Serialize;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::scale::{heat, number, percent};
use crate::inbox::{use_inbox, Inbox};
use crate::shapes::{Bounds, MatrixData, Pair};
use crate::Emitter;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub inbox: Inbox<MatrixData>,
    pub emit: Emitter,
}

#[derive(Serialize)]
struct PairPicked<'a> {
    a: &'a str,
    b: &'a str,
    items: u64,
    measure: &'a str,
    value: Option<f64>,
}

#[function_component(AgreementMatrix)]
pub fn agreement_matrix(props: &Props) -> Html {
    let data = use_inbox(&props.inbox);
    let active = use_state(|| (0usize, 1usize));
    let grid = use_node_ref();
    let Some(data) = data else {
        return html! { <section class="concord matrix" aria-label="Pairwise agreement"><p class="muted">{"No data yet"}</p></section> };
    };
    let r = &data.report;
    let kappa = data.measure.as_deref() != Some("percent_agreement");
    let (measure, measure_name) =
        if kappa { ("cohen_kappa", "Cohen's κ") } else { ("percent_agreement", "percent agreement") };
    // The annotators, in name order, and each pair's figure both ways round.
    let mut names: Vec<&str> = r.pairwise.iter().flat_map(|p| [p.a.as_str(), p.b.as_str()]).collect();
    names.sort_unstable();
    names.dedup();
    let mut cell: BTreeMap<(&str, &str), &Pair> = BTreeMap::new();
    for p in &r.pairwise {
        cell.insert((&p.a, &p.b), p);
        cell.insert((&p.b, &p.a), p);
    }
    let value = |p: &Pair| if kappa { p.cohen_kappa } else { p.percent_agreement };
    let bounds = |p: &Pair| if kappa { p.cohen_kappa_interval } else { p.percent_agreement_interval };
    let minimum = data.minimum;
    let n = names.len();

    let onkeydown = {
        let (active, grid) = (active.clone(), grid.clone());
        Callback::from(move |e: KeyboardEvent| {
            let (mut row, mut col) = *active;
            match e.key().as_str() {
                "ArrowUp" => row = row.saturating_sub(1),
                "ArrowDown" => row = (row + 1).min(n.saturating_sub(1)),
                "ArrowLeft" => col = col.saturating_sub(1),
                "ArrowRight" => col = (col + 1).min(n.saturating_sub(1)),
                "Home" => col = 0,
                "End" => col = n.saturating_sub(1),
                _ => return,
            }
            e.prevent_default();
            active.set((row, col));
            focus_cell(&grid, row, col);
        })
    };

    let header = html! {
        <tr>
            <th scope="col"><span class="sr">{"Annotator"}</span></th>
            { for names.iter().map(|b| html! { <th scope="col">{ *b }</th> }) }
        </tr>
    };
    let rows = names.iter().enumerate().map(|(i, a)| {
        let cells = names.iter().enumerate().map(|(j, b)| {
            let focusable = (i, j) == *active;
            let tabindex = if focusable { "0" } else { "-1" };
            if i == j {
                return html! {
                    <td role="gridcell" class="self" tabindex={tabindex} data-r={i.to_string()} data-c={j.to_string()}
                        aria-label={format!("{a} with themselves")}>{"—"}</td>
                };
            }
            let Some(p) = cell.get(&(*a, *b)).copied() else {
                return html! {
                    <td role="gridcell" class="none" tabindex={tabindex} data-r={i.to_string()} data-c={j.to_string()}
                        aria-label={format!("{a} and {b}: no items in common")}>{"·"}</td>
                };
            };
            let v = value(p);
            let shown = if kappa { number(v) } else { percent(v) };
            let fmt = |x: f64| if kappa { number(Some(x)) } else { percent(Some(x)) };
            let range = bounds(p).map_or(String::new(), |i| format!(", 95 % interval [{}, {}]", fmt(i.low), fmt(i.high)));
            // The interval reaches across the minimum: not enough evidence to say on which side the pair is.
            let uncertain = matches!((minimum, bounds(p)), (Some(m), Some(i)) if i.low < m && m <= i.high);
            let note = if uncertain { " — too uncertain to call against the minimum" } else { "" };
            let label = format!("{a} and {b}: {measure_name} {shown} over {} items{range}{note}", p.items);
            let pick = {
                let (emit, a, b, items) = (props.emit.clone(), a.to_string(), b.to_string(), p.items);
                let active = active.clone();
                move || {
                    active.set((i, j));
                    emit.emit("concord-pair-select", &PairPicked { a: &a, b: &b, items, measure, value: v });
                }
            };
            let onclick = {
                let pick = pick.clone();
                Callback::from(move |_: MouseEvent| pick())
            };
            let onkeydown = Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    pick();
                }
            });
            html! {
                <td role="gridcell" tabindex={tabindex} data-r={i.to_string()} data-c={j.to_string()} data-value={number(v)}
                    data-uncertain={uncertain.to_string()} class={classes!(uncertain.then_some("uncertain"))}
                    aria-label={label.clone()} title={label} {onclick} {onkeydown}>
                    <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true" focusable="false">
                        <rect width="10" height="10" rx="1.5" fill={heat(v)} />
                        if uncertain { <path d="M0 10L10 0M-2 2L2 -2M8 12L12 8" stroke="rgba(0,0,0,0.55)" stroke-width="1.5" /> }
                    </svg>
                    <span class="value">{ shown }</span>
                </td>
            }
        });
        html! { <tr><th scope="row">{ *a }</th>{ for cells }</tr> }
    });

    html! {
        <section class="concord matrix" aria-label="Pairwise agreement">
            <dl class="figures">
                <div><dt>{"Krippendorff's α"}</dt><dd data-figure="alpha">{ number(r.krippendorff_alpha.nominal) }</dd>
                    { interval(r.krippendorff_alpha_interval.nominal, "alpha", |x| number(Some(x))) }</div>
                <div><dt>{"Fleiss' κ"}</dt><dd data-figure="fleiss">{ number(r.fleiss_kappa) }</dd>
                    { interval(r.fleiss_kappa_interval, "fleiss", |x| number(Some(x))) }</div>
                <div><dt>{"Percent agreement"}</dt><dd data-figure="percent">{ percent(r.percent_agreement) }</dd>
                    { interval(r.percent_agreement_interval, "percent", |x| percent(Some(x))) }</div>
                <div><dt>{"Items · annotators"}</dt><dd>{ format!("{} · {}", r.items, r.annotators) }</dd></div>
            </dl>
            <table role="grid" ref={grid} aria-label={format!("Pairwise {measure_name} between {n} annotators")} {onkeydown}>
                <caption>{ format!("Pairwise {measure_name}") }</caption>
                <thead>{ header }</thead>
                <tbody>{ for rows }</tbody>
            </table>
        </section>
    }
}

/// A figure's 95 % interval, `[lo, hi]`, beside it; nothing without one.
fn interval(bounds: Option<Bounds>, key: &str, shown: impl Fn(f64) -> String) -> Html {
    match bounds {
        Some(b) => html! {
            <dd class="interval" data-interval={key.to_string()} title="95 % bootstrap interval">
                { format!("[{}, {}]", shown(b.low), shown(b.high)) }</dd>
        },
        None => html! {},
    }
}

fn focus_cell(grid: &NodeRef, row: usize, col: usize) {
    let Some(table) = grid.cast::<web_sys::Element>() else { return };
    if let Ok(Some(cell)) = table.query_selector(&format!("td[data-r=\"{row}\"][data-c=\"{col}\"]")) {
        if let Ok(cell) = cell.dyn_into::<web_sys::HtmlElement>() {
            let _ = cell.focus();
        }
    }
}
