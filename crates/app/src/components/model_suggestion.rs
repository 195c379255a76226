//! The model's suggestion for the open task (`hooks::use_live_model`): its top label with its probability, the
//! spans it would mark, or the regions it would label otherwise, accepted with one key (Shift+A); how many labels
//! it has learned from; and the switch that turns it off. A suggestion is a hint: nothing is filled in until the annotator accepts it.

use concord_engine::bundle::Prediction;
use concord_engine::model::{ControlValue, TaskResult};
use yew::prelude::*;

use crate::hooks::ModelStatus;

#[derive(Properties, PartialEq)]
pub struct ModelSuggestionProps {
    pub status: ModelStatus,
    /// The model's prediction for the open task, when it has one.
    pub suggestion: Option<Prediction>,
    /// The open task's text (to show suggested spans), if it has one.
    pub text: Option<AttrValue>,
    /// The open task's result as it is (what a region labeller's suggestion is read against).
    pub current: Option<TaskResult>,
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
            match p.suggestion.as_ref().and_then(|s| describe(s, p.text.as_deref(), p.current.as_ref())) {
                Some((what, acceptable)) => html! {
                    <>
                    <span data-testid="model-suggestion">{ "Model: " }<strong>{ what }</strong></span>
                    if acceptable {
                        <button data-testid="model-accept" onclick={accept} title="Fill in the model's suggestion">
                            <kbd>{ "Shift+A" }</kbd>{ "Accept" }
                        </button>
                    }
                    { learned }
                    </>
                },
                None => {
                    let why = if state.regions {
                        "Draw a region: the model suggests its label;"
                    } else {
                        "The model has no suggestion for this task yet;"
                    };
                    html! { <><span class="muted">{ why }</span>{ " " }{ learned }</> }
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

/// A prediction in words, and whether Shift+A would change anything: "apple · 87 %", the spans it marks ("José
/// Núñez PER, Acme Corp ORG"), or the regions it labels otherwise ("box 3: bottle · 91 % (yours: can)").
fn describe(p: &Prediction, text: Option<&str>, current: Option<&TaskResult>) -> Option<(String, bool)> {
    let (control, value) = p.result.0.iter().next()?;
    match value {
        ControlValue::Choices(labels) => {
            let label = labels.first()?;
            let score = p.scores.get(control).and_then(|s| s.get(label)).and_then(|v| v.as_f64());
            Some((
                match score {
                    Some(q) => format!("{label} · {:.0} %", q * 100.0),
                    None => label.clone(),
                },
                true,
            ))
        }
        ControlValue::Spans(spans) if spans.is_empty() => Some(("no spans".into(), true)),
        ControlValue::Spans(spans) => {
            let chars: Vec<char> = text?.chars().collect();
            let named: Vec<String> = spans
                .iter()
                .filter_map(|s| Some(format!("{} {}", chars.get(s.start..s.end)?.iter().collect::<String>(), s.label)))
                .collect();
            Some((named.join(", "), true))
        }
        ControlValue::Boxes(_) | ControlValue::Polygons(_) => {
            let (one, many) =
                if matches!(value, ControlValue::Boxes(_)) { ("box", "boxes") } else { ("polygon", "polygons") };
            let drawn = match current.and_then(|r| r.0.get(control)) {
                Some(ControlValue::Boxes(b)) => b.len(),
                Some(ControlValue::Polygons(q)) => q.len(),
                _ => 0,
            };
            if drawn == 0 {
                return None;
            }
            let changes = concord_engine::learn::relabels(control, current, p);
            if changes.is_empty() {
                let what = if drawn == 1 { one } else { many };
                return Some((format!("agrees with the labels of your {drawn} {what}"), false));
            }
            let mut named: Vec<String> = changes
                .iter()
                .take(3)
                .map(|c| {
                    format!("{one} {}: {} · {:.0} % (yours: {})", c.index + 1, c.label, c.probability * 100.0, c.from)
                })
                .collect();
            if changes.len() > 3 {
                named.push(format!("and {} more", changes.len() - 3));
            }
            Some((named.join("; "), true))
        }
        // Cuboids, in the 3D mode's build.
        #[allow(unreachable_patterns)]
        _ => None,
    }
}
