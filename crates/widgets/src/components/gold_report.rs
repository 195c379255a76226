//! `<concord-gold-report>`: each annotator's accuracy on gold items with its Wilson 95 % interval (a bar with the
//! interval drawn over it), the overall figure, and the confusion matrix (gold × given). Choosing an annotator
//! tells the host (`concord-annotator-select`).

use serde::Serialize;
use yew::prelude::*;

use super::scale::{heat, percent};
use crate::inbox::{use_inbox, Inbox};
use crate::shapes::{Accuracy, GoldData};
use crate::Emitter;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub inbox: Inbox<GoldData>,
    pub emit: Emitter,
}

#[derive(Serialize)]
struct AnnotatorPicked<'a> {
    annotator: &'a str,
    items: u64,
    correct: u64,
    accuracy: Option<f64>,
}

#[function_component(GoldReport)]
pub fn gold_report(props: &Props) -> Html {
    let Some(data) = use_inbox(&props.inbox) else {
        return html! { <section class="concord gold" aria-label="Gold accuracy"><p class="muted">{"No data yet"}</p></section> };
    };
    let r = &data.report;
    let rows = r.annotators.iter().map(|(name, acc)| {
        let onclick = {
            let (emit, name, acc) = (props.emit.clone(), name.clone(), acc.clone());
            Callback::from(move |_: MouseEvent| {
                emit.emit(
                    "concord-annotator-select",
                    &AnnotatorPicked {
                        annotator: &name,
                        items: acc.items,
                        correct: acc.correct,
                        accuracy: acc.accuracy,
                    },
                )
            })
        };
        html! {
            <tr data-annotator={name.clone()}>
                <th scope="row"><button type="button" {onclick}>{ name }</button></th>
                <td class="num" data-figure="accuracy">{ percent(acc.accuracy) }</td>
                <td class="num">{ format!("{} / {}", acc.correct, acc.items) }</td>
                <td>{ bar(name, acc) }</td>
            </tr>
        }
    });
    let c = &r.confusion;
    html! {
        <section class="concord gold" aria-label="Gold accuracy">
            <p class="overall">{"Overall "}<strong data-figure="overall">{ percent(r.overall.accuracy) }</strong>
                { format!(" on {} gold answers", r.overall.items) }</p>
            <table class="accuracy">
                <caption>{"Accuracy on gold items, with 95 % (Wilson) intervals"}</caption>
                <thead><tr><th scope="col">{"Annotator"}</th><th scope="col">{"Accuracy"}</th>
                    <th scope="col">{"Correct"}</th><th scope="col">{"Interval"}</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <table class="confusion">
                <caption>{"Confusion: gold label (rows) × given label (columns)"}</caption>
                <thead><tr><th scope="col"><span class="sr">{"Gold"}</span></th>
                    { for c.labels.iter().map(|l| html! { <th scope="col">{ l }</th> }) }</tr></thead>
                <tbody>
                    { for c.labels.iter().zip(&c.matrix).enumerate().map(|(i, (l, row))| {
                        html! { <tr><th scope="row">{ l }</th>{ for row.iter().enumerate().map(|(j, n)| {
                            // Right answers on the diagonal; a non-zero count off it is a confusion to look at.
                            let class = match (i == j, *n > 0) {
                                (true, _) => "num right",
                                (false, true) => "num wrong",
                                (false, false) => "num",
                            };
                            html! { <td class={class}>{ n }</td> }
                        }) }</tr> }
                    }) }
                </tbody>
            </table>
        </section>
    }
}

/// The accuracy as a bar on [0, 1] with its interval as a line over it.
fn bar(name: &str, acc: &Accuracy) -> Html {
    let a = acc.accuracy.unwrap_or(0.0);
    let label = match (acc.accuracy, acc.accuracy_ci95) {
        (Some(x), Some([lo, hi])) => {
            format!("{name}: accuracy {:.1} %, 95 % interval {:.1}–{:.1} %", 100.0 * x, 100.0 * lo, 100.0 * hi)
        }
        _ => format!("{name}: no gold items answered"),
    };
    let interval = acc.accuracy_ci95.map(|[lo, hi]| {
        html! { <line x1={format!("{:.1}", 100.0 * lo)} x2={format!("{:.1}", 100.0 * hi)} y1="5" y2="5"
        stroke="#1d2430" stroke-width="1.5" /> }
    });
    html! {
        <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label={label}>
            <rect width="100" height="10" fill="#e6e9ee" />
            <rect width={format!("{:.1}", 100.0 * a)} height="10" fill={heat(acc.accuracy)} />
            { for interval }
        </svg>
    }
}
