//! Review mode's model: trained in the worker (`live_model`, `learn::train`) on the batch's labels in the order they
//! were made, from scratch; its learning curve (gold accuracy against labels seen), its conflicts with the
//! consensus beside the shipped model's (`routing::model_review`), and the model and its predictions to download —
//! the bundle's predictions format, ready for the next round. `concord learn --curve` gives the same figures.

use std::rc::Rc;

use concord_engine::bundle::{parse_predictions, Prediction};
use concord_engine::learn::{labels_in_order, learn_plan, LearnerKind};
use concord_engine::routing::{model_review, ModelCheck, Requeue};
use yew::prelude::*;

use crate::import::Imported;
use crate::live_model::{model_files, ModelAnswer, ModelJob, TrainedModel};
use crate::review::ProjectContext;

#[derive(Properties, PartialEq)]
pub struct ModelPanelProps {
    pub summary: Imported,
}

#[derive(Clone, PartialEq)]
enum Stage {
    Idle,
    Training,
    Failed(String),
    Done(Rc<Trained>),
}

#[derive(PartialEq)]
struct Trained {
    model: TrainedModel,
    live: (ModelCheck, Vec<Requeue>),
    shipped: Option<(ModelCheck, Vec<Requeue>)>,
}

#[function_component(ModelPanel)]
pub fn model_panel(p: &ModelPanelProps) -> Html {
    let project = use_context::<ProjectContext>().unwrap_or_default();
    let stage = use_state(|| Stage::Idle);
    // The schema and the control a classifier learns, once per project (a classifier only: the batch's table holds
    // choice labels).
    let learned = use_memo(project.clone(), |project| {
        let manifest = concord_engine::bundle::parse_manifest("project.json", &project.0.as_ref()?.manifest).ok()?;
        let plan = learn_plan(&manifest, None).ok().filter(|p| matches!(p.kind, LearnerKind::Classifier(_)))?;
        Some((Rc::new(manifest.schema), plan.control))
    });
    let (Some(rp), Some((schema, control))) = (project.0.clone(), (*learned).clone()) else { return html! {} };
    let train = {
        let (stage, summary, rp, control, schema) =
            (stage.clone(), p.summary.clone(), rp.clone(), control.clone(), schema.clone());
        Callback::from(move |_| {
            let (stage, summary, rp, control, schema) =
                (stage.clone(), summary.clone(), rp.clone(), control.clone(), schema.clone());
            stage.set(Stage::Training);
            wasm_bindgen_futures::spawn_local(async move {
                let labels = labels_in_order(&summary.table, &summary.stamps, &control)
                    .into_iter()
                    .map(|(t, r)| (t, serde_json::to_string(&r).unwrap_or_default()))
                    .collect();
                let files = match model_files(rp.manifest.clone(), &rp.base).await {
                    Ok(f) => f,
                    Err(why) => return stage.set(Stage::Failed(why)),
                };
                match crate::loader::model_in_worker(ModelJob::Train { files, labels, points: 20 }).await {
                    Some(ModelAnswer::Trained(model)) => {
                        stage.set(match reviewed(model, &summary, &rp, &schema, &control) {
                            Ok(t) => Stage::Done(Rc::new(t)),
                            Err(why) => Stage::Failed(why),
                        })
                    }
                    Some(ModelAnswer::Unavailable(why)) => stage.set(Stage::Failed(why)),
                    _ => stage.set(Stage::Failed("the worker did not answer".into())),
                }
            });
        })
    };
    let body = match &*stage {
        Stage::Idle => html! {},
        Stage::Training => html! { <p aria-busy="true">{ "Training on the batch's labels, in order…" }</p> },
        Stage::Failed(why) => html! { <p class="import-error" role="alert" data-testid="model-error">{ why }</p> },
        Stage::Done(t) => done(t, &rp.id),
    };
    html! {
        <section class="model-panel" data-testid="model-panel">
            <h2>{ "A model trained on these labels" }</h2>
            <p class="muted">{ format!("Learns `{control}` from the batch's labels in the order they were made, in this browser; scored on the bundle's training gold, which no label here touches.") }</p>
            <button data-testid="train-model" onclick={train} disabled={*stage == Stage::Training}>{ "Train the model" }</button>
            { body }
        </section>
    }
}

/// The trained model's predictions read back, and its conflicts with the consensus beside the shipped model's.
fn reviewed(
    model: TrainedModel,
    summary: &Imported,
    rp: &crate::review::ReviewProject,
    schema: &concord_engine::model::Schema,
    control: &str,
) -> Result<Trained, String> {
    let predictions: Vec<Prediction> =
        parse_predictions("predictions.jsonl", &model.predictions, schema, None).map_err(|e| e.to_string())?;
    let trust = rp.routing.as_ref().and_then(|r| r.model.clone()).unwrap_or_default();
    let consensus = &summary.final_from.labels;
    let live = model_review(&predictions, control, consensus, &rp.training_gold, &trust);
    let shipped =
        (!rp.shipped.is_empty()).then(|| model_review(&rp.shipped, control, consensus, &rp.training_gold, &trust));
    Ok(Trained { model, live, shipped })
}

fn done(t: &Trained, project: &str) -> Html {
    let m = &t.model;
    let last = m.curve.last().and_then(|(_, a)| *a);
    let model = m.model.clone();
    let predictions = m.predictions.clone();
    let (model_name, predictions_name) = (format!("{project}-model.json"), format!("{project}-predictions.jsonl"));
    let conflicts = |name: &str, testid: &'static str, (check, list): &(ModelCheck, Vec<Requeue>)| {
        let accuracy = check
            .accuracy
            .map_or("no gold scored".into(), |a| format!("{:.1} % on {} gold items", a * 100.0, check.gold_items));
        html! {
            <div data-testid={testid}>
                <h3>{ format!("{name}: {accuracy}{}", if check.degraded { " — degraded: its confidence challenges nothing" } else { "" }) }</h3>
                <p>{ format!("{} conflicts with the consensus", list.len()) }</p>
                <ul>{ for list.iter().take(50).map(|r| html! { <li data-item={r.item.clone()}>{ format!("{}: {}", r.item, r.reason) }</li> }) }</ul>
            </div>
        }
    };
    html! {
        <>
        <p data-testid="model-summary">{ format!(
            "Learned from {} of {} labels; gold accuracy {} on {} gold tasks.",
            m.learned, m.labels, last.map_or("–".into(), |a| format!("{:.1} %", a * 100.0)), m.gold_items) }</p>
        { curve(&m.curve) }
        <div class="model-conflicts">
            { conflicts("The model trained here", "live-conflicts", &t.live) }
            if let Some(s) = &t.shipped { { conflicts("The shipped model", "shipped-conflicts", s) } }
        </div>
        <button data-testid="download-model" onclick={Callback::from(move |_| crate::download::offer(&model_name, &model, "application/json"))}>{ "Download the model (JSON)" }</button>
        <button data-testid="download-predictions" onclick={Callback::from(move |_| crate::download::offer(&predictions_name, &predictions, "application/x-ndjson"))}>{ "Download its predictions (JSONL)" }</button>
        </>
    }
}

/// The learning curve: gold accuracy (0–100 %) against labels seen, as a line, with its points in a table.
fn curve(points: &[(u32, Option<f64>)]) -> Html {
    let n = points.last().map_or(1, |p| p.0.max(1)) as f64;
    let (w, h, pad) = (360.0, 160.0, 28.0);
    let xy: Vec<String> = points
        .iter()
        .filter_map(|(k, a)| {
            Some(format!("{:.1},{:.1}", pad + (w - 2.0 * pad) * f64::from(*k) / n, h - pad - (h - 2.0 * pad) * (*a)?))
        })
        .collect();
    html! {
        <figure class="learning-curve">
            <svg data-testid="learning-curve" viewBox={format!("0 0 {w} {h}")} width={w.to_string()} height={h.to_string()} role="img"
                 aria-label="Gold accuracy against labels seen">
                <line x1={pad.to_string()} y1={(h - pad).to_string()} x2={(w - pad).to_string()} y2={(h - pad).to_string()} stroke="#999" />
                <line x1={pad.to_string()} y1={pad.to_string()} x2={pad.to_string()} y2={(h - pad).to_string()} stroke="#999" />
                <text x="2" y={(pad + 4.0).to_string()} font-size="10">{ "100 %" }</text>
                <text x="2" y={(h - pad).to_string()} font-size="10">{ "0 %" }</text>
                <text x={(w - pad).to_string()} y={(h - 8.0).to_string()} font-size="10" text-anchor="end">{ format!("{n:.0} labels") }</text>
                <polyline fill="none" stroke="#c0392b" stroke-width="2" points={xy.join(" ")} />
            </svg>
            <table data-testid="curve-points">
                <tr><th>{ "labels" }</th>{ for points.iter().map(|(k, _)| html! { <td>{ k }</td> }) }</tr>
                <tr><th>{ "gold" }</th>{ for points.iter().map(|(_, a)| html! { <td>{ a.map_or("–".into(), |a| format!("{:.3}", a)) }</td> }) }</tr>
            </table>
        </figure>
    }
}
