//! The model's suggestion for the open task (`hooks::use_live_model`): its top label with its probability, or the
//! spans it would mark, accepted with one key (Shift+A); how many labels it has learned from; and the switch that
//! turns it off. A suggestion is a hint: nothing is filled in until the annotator accepts it.

use concord_engine::bundle::Prediction;
use concord_engine::model::ControlValue;
use yew::prelude::*;

use crate::hooks::ModelStatus;

#[derive(Properties, PartialEq)]
pub struct ModelSuggestionProps {
    pub status: ModelStatus,
    /// The model's prediction for the open task, when it has one.
    pub suggestion: Option<Prediction>,
    /// The open task's text (to show suggested spans), if it has one.
    pub text: Option<AttrValue>,
    pub on_accept: Callback<()>,
    pub on_toggle: Callback<()>,
}

#[function_component(ModelSuggestion)]
pub fn model_suggestion(p: &ModelSuggestionProps) -> Html {
    let toggle = {
        let t = p.on_toggle.clone();
        Callback::from(move |_| t.emit(()))
    };
    let accept = {
        let a = p.on_accept.clone();
        Callback::from(move |_| a.emit(()))
    };
    let body = match &p.status {
        ModelStatus::NotForThisProject => return html! {},
        ModelStatus::Off => html! { <span class="muted">{ "Model suggestions are off." }</span> },
        ModelStatus::Starting => {
            html! { <span class="muted" aria-busy="true">{ "The model is learning from the gold and your labels…" }</span> }
        }
        ModelStatus::Unavailable(why) => {
            html! { <span class="muted">{ format!("No model for this project: {why}.") }</span> }
        }
        ModelStatus::Ready(state) => {
            let learned = html! {
                <span class="muted" data-testid="model-labels">{ format!("learned from {} labels", state.labels) }</span>
            };
            match p.suggestion.as_ref().and_then(|s| describe(s, p.text.as_deref())) {
                Some(what) => html! {
                    <>
                    <span data-testid="model-suggestion">{ "Model: " }<strong>{ what }</strong></span>
                    <button data-testid="model-accept" onclick={accept} title="Fill in the model's suggestion">
                        <kbd>{ "Shift+A" }</kbd>{ "Accept" }
                    </button>
                    { learned }
                    </>
                },
                None => {
                    html! { <><span class="muted">{ "The model has no suggestion for this task yet;" }</span>{ " " }{ learned }</> }
                }
            }
        }
    };
    let on = !matches!(p.status, ModelStatus::Off);
    // The worker's own timings, for the benchmark (`tests/bench/ui.mjs`).
    let t = match &p.status {
        ModelStatus::Ready(s) => s.timings.clone(),
        _ => Default::default(),
    };
    html! {
        <div class="model-bar" role="status" aria-live="polite" data-open-ms={t.open.to_string()} data-warm-up-ms={t.warm_up.to_string()}
             data-learn-ms={t.learn.to_string()} data-suggest-ms={t.suggest_per_task.to_string()} data-rank-ms={t.rank.to_string()}>
            { body }
            <button class="link" data-testid="model-toggle" onclick={toggle}>
                { if on { "Turn off" } else { "Turn on" } }
            </button>
        </div>
    }
}

/// A prediction in words: "apple · 87 %", or the spans it marks ("José Núñez PER, Acme Corp ORG").
fn describe(p: &Prediction, text: Option<&str>) -> Option<String> {
    let (control, value) = p.result.0.iter().next()?;
    match value {
        ControlValue::Choices(labels) => {
            let label = labels.first()?;
            let score = p.scores.get(control).and_then(|s| s.get(label)).and_then(|v| v.as_f64());
            Some(match score {
                Some(q) => format!("{label} · {:.0} %", q * 100.0),
                None => label.clone(),
            })
        }
        ControlValue::Spans(spans) if spans.is_empty() => Some("no spans".into()),
        ControlValue::Spans(spans) => {
            let chars: Vec<char> = text?.chars().collect();
            let named: Vec<String> = spans
                .iter()
                .filter_map(|s| Some(format!("{} {}", chars.get(s.start..s.end)?.iter().collect::<String>(), s.label)))
                .collect();
            Some(named.join(", "))
        }
        _ => None,
    }
}
