//! Opens the project: the bundle (with progress), then this browser's log of it from IndexedDB, and where the
//! annotator was; dispatches `Opened` (or `Failed`). A project chosen while another opens wins: nothing of the
//! earlier one reaches the state.

use std::rc::Rc;

use yew::prelude::*;

use crate::loader::{self, BundleLocation};
use crate::session::Session;
use crate::state::{Action, AppState, Notice};
use crate::storage::{local_storage, LogStore};

/// Where the annotator's name is kept in this browser.
pub const ANNOTATOR_KEY: &str = "concord:annotator";

#[hook]
pub fn use_open_project(state: &UseReducerHandle<AppState>, location: &Rc<Result<BundleLocation, String>>) {
    let state = state.clone();
    use_effect_with(location.clone(), move |location| {
        let location = (**location).clone();
        // Another project may be chosen while this one opens: then nothing of this one may reach the state.
        let stale = Rc::new(std::cell::Cell::new(false));
        let stale_at_cleanup = stale.clone();
        let state = state.clone();
        let state_for_task = state.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let state = StaleGuard { state: state_for_task, stale };
            let loc = match location {
                Ok(l) => l,
                Err(why) => {
                    state.dispatch(Action::Failed(concord_engine::InputError::whole("?project=", why)));
                    return;
                }
            };
            let progress = {
                let state = state.clone();
                move |step, steps, file: &str| state.dispatch(Action::Progress { step, steps, file: file.into() })
            };
            let o = match loader::open(&loc, progress).await {
                Ok(o) => o,
                Err(e) => return state.dispatch(Action::Failed(e)),
            };
            let mut session = Session::new(o.project.clone(), o.rules, o.gold, o.predictions, new_log_id());
            session.rules_text = o.rules_text;
            session.annotator =
                local_storage().and_then(|s| s.get_item(ANNOTATOR_KEY).ok().flatten()).unwrap_or_default();
            let mut notice = None;
            match LogStore::open(&o.project.id).await {
                Ok(store) => {
                    match store.load().await {
                        Ok(events) => {
                            // localStorage is written lazily: after a crash the log is the better witness.
                            if session.annotator.is_empty() {
                                session.annotator = events.last().map(|e| e.annotator.clone()).unwrap_or_default();
                            }
                            if let Err(why) = session.restore(events) {
                                notice = Some(Notice::Problem(why));
                            }
                        }
                        Err(why) => notice = Some(Notice::Problem(format!("could not read your saved work: {why}"))),
                    }
                    session.store = Some(Rc::new(store));
                }
                Err(why) => {
                    notice = Some(Notice::Problem(format!(
                    "IndexedDB is unavailable ({why}): your work is kept in this tab only — export it before closing"
                )))
                }
            }
            // Ask the browser not to evict the log under storage pressure.
            if let Ok(p) = gloo::utils::window().navigator().storage().persist() {
                let _ = wasm_bindgen_futures::JsFuture::from(p).await;
            }
            let position = crate::resume::resume_position(
                crate::resume::SavedPosition::load(&o.project.id),
                session.events.iter().map(|e| e.at).max(),
                o.first_chunk.iter().map(|t| session.replay.task(&t.id).is_some_and(|l| l.submitted.is_some())),
            );
            state.dispatch(Action::Opened {
                project: o.project,
                manifest: o.manifest,
                guidelines: o.guidelines,
                first_chunk: o.first_chunk,
                session: Rc::new(std::cell::RefCell::new(session)),
                position,
            });
            if notice.is_some() {
                state.dispatch(Action::Changed(notice));
            }
        });
        drop(state);
        move || stale_at_cleanup.set(true)
    });
}

/// The state handle of one opening: dispatches are dropped once another project has been chosen.
#[derive(Clone)]
struct StaleGuard {
    state: UseReducerHandle<AppState>,
    stale: Rc<std::cell::Cell<bool>>,
}

impl StaleGuard {
    fn dispatch(&self, action: Action) {
        if !self.stale.get() {
            self.state.dispatch(action);
        }
    }
}

/// A random id for this tab's events (`<id>:<seq>`), so logs from several tabs and devices merge.
fn new_log_id() -> String {
    let mut bytes = [0u8; 8];
    if let Ok(c) = gloo::utils::window().crypto() {
        let _ = c.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
