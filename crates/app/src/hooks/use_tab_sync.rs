//! Several tabs of one project: when another tab saves events, this one replays the stored log so both show the same
//! work, and says so. `save` writes this tab's pending events and tells the other tabs on the same channel.

use yew::prelude::*;

use crate::session::{flush, SessionRef};
use crate::state::{Action, AppState, Notice};

#[hook]
pub fn use_tab_sync(state: &UseReducerHandle<AppState>) {
    let state = state.clone();
    let project = state.project.as_ref().map(|p| p.id.clone());
    use_effect_with(project, move |project| {
        let channel = project.as_deref().and_then(tab_channel);
        let listener =
            channel.as_ref().map(|c| gloo::events::EventListener::new(c, "message", move |_| sync_from_store(&state)));
        move || drop((listener, channel))
    });
}

/// Replays the stored log after another tab wrote to it. If this tab has unsaved actions, that waits until they
/// are saved (`save` calls back here), so the stored order stays the one both tabs replay.
fn sync_from_store(state: &UseReducerHandle<AppState>) {
    let Some(session) = state.session.clone() else { return };
    if !session.borrow().settled() {
        session.borrow_mut().remote_changed = true;
        return;
    }
    session.borrow_mut().remote_changed = false;
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let Some(store) = session.borrow().store.clone() else { return };
        let notice = match store.load().await {
            Ok(events) if session.borrow().settled() => match session.borrow_mut().rebuild(events) {
                Ok(changed) if changed.is_empty() => None,
                Ok(changed) => Some(Notice::Info(format!(
                    "Another tab changed task{} {}; this view now shows that work too.",
                    if changed.len() == 1 { "" } else { "s" },
                    changed.join(", ")
                ))),
                Err(why) => Some(Notice::Problem(why)),
            },
            // This tab recorded something meanwhile: its save comes back here.
            Ok(_) => {
                session.borrow_mut().remote_changed = true;
                None
            }
            Err(why) => Some(Notice::Problem(format!("could not read the log another tab wrote: {why}"))),
        };
        state.dispatch(Action::Changed(notice));
    });
}

/// The channel on which tabs of one project tell each other that the stored log changed.
fn tab_channel(project: &str) -> Option<web_sys::BroadcastChannel> {
    web_sys::BroadcastChannel::new(&format!("concord-log:{project}")).ok()
}

/// Writes pending events, re-rendering after each batch (the "saved" state), and tells the other tabs of this
/// project that the log grew.
pub fn save(session: &SessionRef, state: &UseReducerHandle<AppState>) {
    let state = state.clone();
    let channel = tab_channel(&session.borrow().project.id);
    let saved_before = session.borrow().saved;
    let session_after = session.clone();
    flush(session.clone(), move || {
        if session_after.borrow().saved > saved_before {
            if let Some(c) = &channel {
                let _ = c.post_message(&wasm_bindgen::JsValue::from_str("log-grew"));
            }
        }
        state.dispatch(Action::Changed(None));
        let (settled, remote) = {
            let s = session_after.borrow();
            (s.settled(), s.remote_changed)
        };
        if settled && remote {
            sync_from_store(&state);
        }
    });
}
