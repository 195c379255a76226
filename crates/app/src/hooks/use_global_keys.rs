//! The keys of annotator mode that no view took: the open view is offered every key first (labels, selection,
//! nudges) through the `KeyBus`; what it leaves is global — Enter submits (unless a control outside the view has the
//! focus), Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo and redo, PageDown / PageUp and → / ← move through the queue,
//! Shift+S skips, Shift+A accepts the model's suggestion.

use concord_engine::log::Op;
use yew::prelude::*;

use crate::perf;
use crate::state::{Action, AppState, Phase};
use crate::views::KeyBus;

#[hook]
pub fn use_global_keys(
    state: &UseReducerHandle<AppState>,
    keys: &KeyBus,
    actions: &super::TaskCallbacks,
    accept: &Callback<()>,
    task_id: Option<String>,
) {
    let (state, keys, accept) = (state.clone(), keys.clone(), accept.clone());
    let (record, submit, skip) = (actions.record.clone(), actions.submit.clone(), actions.skip.clone());
    use_effect_with((state.position, state.generation, task_id.clone()), move |_| {
        // Not passive: handled keys must cancel the browser's own action (its undo, its scrolling).
        let options = gloo::events::EventListenerOptions::enable_prevent_default();
        let listener =
            gloo::events::EventListener::new_with_options(&gloo::utils::window(), "keydown", options, move |e| {
                let e: &KeyboardEvent = wasm_bindgen::JsCast::unchecked_ref(e);
                if !matches!(state.phase, Phase::Ready) {
                    return;
                }
                keys.offer(e);
                if e.default_prevented() || crate::views::from_text_field(e) {
                    return;
                }
                let ctrl = e.ctrl_key() || e.meta_key();
                let (can_undo, can_redo) = match (&state.session, &task_id) {
                    (Some(s), Some(t)) => {
                        s.borrow().replay.task(t).map_or((false, false), |t| (t.can_undo(), t.can_redo()))
                    }
                    _ => (false, false),
                };
                let key = e.key();
                match key.as_str() {
                    "z" | "Z" if ctrl && e.shift_key() && can_redo => record.emit(Op::Redo),
                    "y" if ctrl && can_redo => record.emit(Op::Redo),
                    "z" if ctrl && can_undo => record.emit(Op::Undo),
                    "Enter" if !ctrl && !crate::views::from_page_control(e) => submit.emit(()),
                    "PageDown" => {
                        perf::input();
                        state.dispatch(Action::GoTo(state.position + 1))
                    }
                    "PageUp" => state.dispatch(Action::GoTo(state.position.saturating_sub(1))),
                    "ArrowRight" if !e.shift_key() => state.dispatch(Action::GoTo(state.position + 1)),
                    "ArrowLeft" if !e.shift_key() => state.dispatch(Action::GoTo(state.position.saturating_sub(1))),
                    "S" if e.shift_key() => skip.emit(()),
                    "A" if e.shift_key() => accept.emit(()),
                    _ => return,
                }
                e.prevent_default();
            });
        move || drop(listener)
    });
}
