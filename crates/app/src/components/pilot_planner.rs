//! How many items the pilot needs, asked in review mode: the expected α and the accepted risk in, the engine's
//! simulation (`engine::pilot::plan_pilot`, in the import worker, off this thread) out, with the chance the gate
//! opens at each size tried. `concord plan --pilot` gives the same answer.

use std::cell::RefCell;
use std::rc::Rc;

use concord_engine::bundle::GateRule;
use concord_engine::pilot::PilotPlan;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};
use yew::prelude::*;

use super::import_panel::spawn_worker;
use crate::import::{Message, PlanRequest};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub labels: u32,
    pub annotators: u32,
    pub min_agreement: f64,
    pub rule: GateRule,
}

#[derive(Clone, PartialEq)]
enum Stage {
    Idle,
    Running(usize),
    Done(PilotPlan),
    Failed(String),
}

/// The worker and its handler, kept while a plan runs.
type Running = Rc<RefCell<Option<(Worker, Closure<dyn FnMut(MessageEvent)>)>>>;

#[function_component(PilotPlanner)]
pub fn pilot_planner(props: &Props) -> Html {
    let expected = use_state(|| (props.min_agreement + 0.1).min(0.95));
    let risk = use_state(|| 0.2_f64);
    let stage = use_state(|| Stage::Idle);
    let running: Running = use_mut_ref(|| None);
    let plan = {
        let request = PlanRequest {
            labels: props.labels,
            annotators: props.annotators,
            expected_alpha: *expected,
            min_agreement: props.min_agreement,
            rule: props.rule,
            risk: *risk,
        };
        let (stage, running) = (stage.clone(), running.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let worker = match spawn_worker() {
                Ok(w) => w,
                Err(why) => return stage.set(Stage::Failed(why)),
            };
            stage.set(Stage::Running(0));
            let text = serde_json::to_string(&request).expect("requests serialise");
            let (sender, stage, done) = (worker.clone(), stage.clone(), running.clone());
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let m = e.data().as_string().and_then(|t| serde_json::from_str::<Message>(&t).ok());
                match m {
                    Some(Message::Ready) => drop(sender.post_message(&JsValue::from_str(&text))),
                    Some(Message::Planning { sizes }) => stage.set(Stage::Running(sizes)),
                    Some(Message::Planned(plan)) => {
                        stage.set(Stage::Done(plan));
                        end(&done);
                    }
                    Some(Message::Failed { message }) => {
                        stage.set(Stage::Failed(message));
                        end(&done);
                    }
                    _ => {}
                }
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            *running.borrow_mut() = Some((worker, on_message));
        })
    };
    let on_expected = super::inputs::number_input(&expected);
    let on_risk = super::inputs::number_input(&risk);
    html! {
        <form class="pilot-planner" data-testid="pilot-planner" onsubmit={plan} aria-label="Plan the pilot's size">
            <h3>{ "How many items does the pilot need?" }</h3>
            <p>
                <label>{ "Expected α " }<input type="number" step="any" min="-1" max="1" value={expected.to_string()} onchange={on_expected} aria-label="Expected agreement" /></label>
                <label>{ " Accepted risk of a needless second pilot " }<input type="number" step="any" min="0.01" max="0.49" value={risk.to_string()} onchange={on_risk} aria-label="Accepted risk" /></label>
                <button type="submit">{ "Plan the pilot" }</button>
            </p>
            { outcome(&stage, props) }
        </form>
    }
}

fn end(running: &Running) {
    if let Some((worker, _)) = running.borrow_mut().take() {
        worker.terminate();
    }
}

fn outcome(stage: &Stage, props: &Props) -> Html {
    match stage {
        Stage::Idle => html! {},
        Stage::Running(sizes) => html! { <p role="status">{ format!("Simulating pilots… {sizes} sizes tried") }</p> },
        Stage::Failed(why) => html! { <p class="import-error" role="alert">{ why }</p> },
        Stage::Done(plan) => {
            let answer = match (plan.items, plan.probability_open) {
                (Some(n), Some(p)) => format!(
                    "{n} items: a team truly at α = {} opens the gate (α ≥ {}) with probability {:.2}, over {} labels and {} annotators per item.",
                    plan.expected_alpha, props.min_agreement, p, plan.labels, plan.annotators
                ),
                _ => format!("No pilot up to {} items opens the gate often enough at α = {}.", concord_engine::pilot::MAX_PILOT, plan.expected_alpha),
            };
            html! { <>
                <p role="status" data-testid="pilot-plan" data-items={plan.items.map_or(String::new(), |n| n.to_string())}>{ answer }</p>
                <p class="hint">{ format!("Sizes tried: {}.", plan.tried.iter().map(|(n, p)| format!("{n} ({p:.2})")).collect::<Vec<_>>().join(", ")) }</p>
            </> }
        }
    }
}
