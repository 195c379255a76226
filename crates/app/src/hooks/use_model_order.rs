//! "Most uncertain first": the queue ordered by the model's least confident prediction, and back to the bundle's
//! order on the second press. The model learning from the annotator orders it when it is ready (re-ranked as it
//! learns, `use_live_model`); otherwise the bundle's shipped predictions do (every chunk read for it).

use std::rc::Rc;

use yew::prelude::*;

use super::all_chunks;
use crate::loader::BundleLocation;
use crate::state::{Action, AppState, Notice};

#[hook]
pub fn use_model_order(
    state: &UseReducerHandle<AppState>,
    location: &Rc<Result<BundleLocation, String>>,
    live: &super::LiveModel,
) -> Callback<()> {
    let (state, location, live) = (state.clone(), location.clone(), live.clone());
    Callback::from(move |_: ()| {
        if live.ranked || live.orders && matches!(&live.status, super::ModelStatus::Ready(_)) && state.order.is_none() {
            return live.rank.emit(());
        }
        if state.order.is_some() {
            return state.dispatch(Action::SetOrder(None));
        }
        let (state, location) = (state.clone(), location.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let (Some(project), Some(session), Ok(loc)) =
                (state.project.clone(), state.session.clone(), (*location).clone())
            else {
                return;
            };
            let Some(chunks) = all_chunks(&state, &loc, &project, "the model's order").await else {
                return;
            };
            let ids: Vec<&str> = chunks.iter().flat_map(|c| c.iter().map(|t| t.id.as_str())).collect();
            let Some(control) = project.schema.controls.iter().find(|c| c.kind.is_choice()) else { return };
            let predictions: Vec<_> = session.borrow().predictions.values().cloned().collect();
            let order = concord_engine::sampling::uncertainty_queue(
                &ids,
                &predictions,
                control,
                concord_engine::sampling::Uncertainty::LeastConfidence,
            );
            state.dispatch(Action::SetOrder(Some(Rc::new(order))));
            state.dispatch(Action::Changed(Some(Notice::Info(
                "Queue ordered by the model's uncertainty (least confident first).".into(),
            ))));
        });
    })
}
