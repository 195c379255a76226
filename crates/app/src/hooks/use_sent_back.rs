//! Tasks the lead sent back (review mode's `requeue.jsonl`): first in the queue, each with its reason. The list is
//! kept with when it was loaded, so that after a reload the queue opens at the first task not redone since.

use std::rc::Rc;

use concord_engine::routing::{sent_back_first, sent_back_to, RequeueLine, SentBackQueue};
use yew::prelude::*;

use super::all_chunks;
use crate::loader::BundleLocation;
use crate::session::SessionRef;
use crate::state::{Action, AppState, Notice};
use crate::storage::local_storage;

/// Restores a list kept from an earlier visit.
#[hook]
pub fn use_sent_back(state: &UseReducerHandle<AppState>, location: &Rc<Result<BundleLocation, String>>) {
    let (state, location) = (state.clone(), location.clone());
    let annotator = state.session.as_ref().map(|s| s.borrow().annotator.clone()).filter(|a| !a.is_empty());
    let key = state.project.as_ref().map(|p| p.id.clone()).zip(annotator);
    use_effect_with(key, move |key| {
        let kept = key.as_ref().and_then(|(p, _)| local_storage()?.get_item(&sent_back_key(p)).ok().flatten());
        let kept: Option<serde_json::Value> = kept.and_then(|k| serde_json::from_str(&k).ok());
        if let (Some(kept), Some(session)) = (kept, state.session.clone()) {
            let lines: Option<Vec<RequeueLine>> = serde_json::from_value(kept["lines"].clone()).ok();
            if let (Some(lines), Some(at)) = (lines, kept["loaded_at"].as_f64()) {
                apply_sent_back(&state, &location, &session, lines, at);
            }
        }
    });
}

pub fn sent_back_key(project: &str) -> String {
    format!("concord:{project}:sent-back")
}

/// A list from the lead (a `requeue.jsonl` chosen by hand, or read from the sync folder): kept with when it was
/// loaded, so that a reload puts the queue back at the first task not redone since, and applied.
pub fn receive_sent_back(
    state: &UseReducerHandle<AppState>,
    location: &Rc<Result<BundleLocation, String>>,
    session: &SessionRef,
    lines: Vec<RequeueLine>,
) {
    let loaded_at = js_sys::Date::now();
    if let (Some(p), Some(store)) = (state.project.as_ref(), local_storage()) {
        let kept = serde_json::json!({"loaded_at": loaded_at, "lines": lines});
        let _ = store.set_item(&sent_back_key(&p.id), &kept.to_string());
    }
    apply_sent_back(state, location, session, lines, loaded_at);
}

/// Puts the tasks `lines` send to this annotator first in the queue, each with its reason, and stands on the first
/// not submitted since `loaded_at` (ms).
pub fn apply_sent_back(
    state: &UseReducerHandle<AppState>,
    location: &Rc<Result<BundleLocation, String>>,
    session: &SessionRef,
    lines: Vec<RequeueLine>,
    loaded_at: f64,
) {
    let (state, location, session) = (state.clone(), location.clone(), session.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let (Some(project), Ok(loc)) = (state.project.clone(), (*location).clone()) else { return };
        let Some(chunks) = all_chunks(&state, &loc, &project, "the tasks sent back").await else { return };
        let ids: Vec<&str> = chunks.iter().flat_map(|c| c.iter().map(|t| t.id.as_str())).collect();
        let annotator = session.borrow().annotator.clone();
        let back = sent_back_to(&lines, &annotator);
        let SentBackQueue { order, first: n, unknown, reasons } = sent_back_first(&ids, back);
        let redone = |id: &str| {
            let s = session.borrow();
            s.replay.task(id).and_then(|t| t.submitted.as_ref()).is_some_and(|sub| sub.at as f64 >= loaded_at)
        };
        let position = order[..n].iter().position(|&i| !redone(ids[i])).unwrap_or(n);
        let reasons = reasons.into_iter().collect();
        state.dispatch(Action::SentBack { reasons: Rc::new(reasons), order: Rc::new(order), position });
        let note =
            if unknown > 0 { format!(" ({unknown} tasks not in this project were left out)") } else { String::new() };
        state.dispatch(Action::Changed(Some(Notice::Info(format!(
            "{n} tasks were sent back to you for re-annotation; they come first{note}."
        )))));
    });
}
