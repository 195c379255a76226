//! Runs annotator mode's outbox (`crate::sync`): a pass in the chunk worker whenever the log has grown, when the
//! browser comes back online, and while something waits — backing off from 2 s to 5 min while the server is away.
//! Credentials are kept for the session (sessionStorage), or on this device if the annotator asks; never in the
//! log, an export or the URL.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::state::AppState;
use crate::sync::{Outcome, SyncAnswer, SyncJob};

/// What the top bar shows.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncStatus {
    /// The project has no sync folder and none was entered.
    Off,
    /// A pass is running.
    Syncing { waiting: usize },
    /// The server has everything: up to the given time (ms since the epoch).
    Synced { up_to: Option<u64> },
    /// The last pass failed with a reason worth retrying; the next attempt is after `retry_ms`.
    Offline { waiting: usize, why: String, retry_ms: f64 },
    /// The server wants credentials.
    NeedCredentials { waiting: usize },
    /// The server refused (403) or is full (507): retried only when the annotator asks.
    Refused { waiting: usize, why: String },
}

/// The outbox's state and what the annotator can do about it.
#[derive(Clone, PartialEq)]
pub struct SyncHandle {
    pub status: SyncStatus,
    /// The sync folder in use.
    pub url: Option<String>,
    /// Gives credentials (`Basic …`/`Bearer …`), kept on this device if `remember`, and retries.
    pub sign_in: Callback<(String, bool)>,
    /// Sets the sync folder (an absolute URL) for this project on this device, and syncs.
    pub set_url: Callback<String>,
    /// Tries again now.
    pub retry: Callback<()>,
}

struct Runner {
    in_flight: bool,
    saved_seen: Option<usize>,
    failures: u32,
    next_try: f64,
    waiting: usize,
    /// Refused or waiting for credentials: no automatic pass until the annotator acts.
    parked: bool,
}

fn url_key(project: &str) -> String {
    format!("concord:sync-url:{project}")
}

fn stored(key: &str) -> Option<String> {
    crate::storage::local_storage().and_then(|s| s.get_item(key).ok().flatten())
}

#[hook]
pub fn use_sync(
    state: &UseReducerHandle<AppState>,
    location: &Rc<Result<crate::loader::BundleLocation, String>>,
) -> SyncHandle {
    let status = use_state(|| SyncStatus::Off);
    let runner = use_mut_ref(|| Runner {
        in_flight: false,
        saved_seen: None,
        failures: 0,
        next_try: 0.0,
        waiting: 0,
        parked: false,
    });
    let project = state.project.clone();
    let entered = use_state(|| None::<String>);
    // The folder: the project's (relative to the bundle), else the one entered on this device. Worked out once
    // per project, not on every render of the root.
    let resolved = {
        let location = location.clone();
        use_memo(project.as_ref().map(|p| p.id.clone()), move |_| {
            project.as_ref().and_then(|p| {
                let from_project = p.sync.as_ref().and_then(|s| (*location).as_ref().ok().map(|l| l.url_of(&s.url)));
                from_project.or_else(|| stored(&url_key(&p.id)))
            })
        })
    };
    let project = state.project.clone();
    let url = (*entered)
        .clone()
        .filter(|_| project.as_ref().is_some_and(|p| p.sync.is_none()))
        .or_else(|| (*resolved).clone());
    {
        let (status, runner, session, url) = (status.clone(), runner.clone(), state.session.clone(), url.clone());
        let project_id = project.as_ref().map(|p| p.id.clone());
        use_effect_with((url.clone(), project_id.clone()), move |_| {
            let tick: Closure<dyn FnMut()> = Closure::new(move || {
                let (Some(url), Some(project_id), Some(session)) = (url.clone(), project_id.clone(), session.clone())
                else {
                    return;
                };
                let saved = session.borrow().saved;
                let now = js_sys::Date::now();
                let due = {
                    let r = runner.borrow();
                    !r.in_flight
                        && !r.parked
                        && (r.saved_seen != Some(saved) || (r.waiting > 0 && now >= r.next_try))
                        && now >= r.next_try
                };
                if !due {
                    return;
                }
                {
                    let mut r = runner.borrow_mut();
                    r.in_flight = true;
                    r.saved_seen = Some(saved);
                }
                status.set(SyncStatus::Syncing { waiting: runner.borrow().waiting });
                let (status, runner) = (status.clone(), runner.clone());
                let job = SyncJob { project_id, authorization: crate::sync::stored_authorization(&url), url };
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = crate::loader::sync_in_worker(job).await;
                    let shown = settle(&mut runner.borrow_mut(), answer);
                    status.set(shown);
                });
            });
            let window = gloo::utils::window();
            let id = window
                .set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 1000)
                .unwrap_or(0);
            move || {
                gloo::utils::window().clear_interval_with_handle(id);
                drop(tick);
            }
        });
    }
    // Back online: try now.
    {
        let runner = runner.clone();
        use_effect_with((), move |_| {
            let listener = gloo::events::EventListener::new(&gloo::utils::window(), "online", move |_| {
                let mut r = runner.borrow_mut();
                r.next_try = 0.0;
                r.failures = 0;
            });
            move || drop(listener)
        });
    }
    let retry = {
        let runner = runner.clone();
        Callback::from(move |_| {
            let mut r = runner.borrow_mut();
            (r.parked, r.next_try, r.failures, r.saved_seen) = (false, 0.0, 0, None);
        })
    };
    let sign_in = {
        let (retry, url) = (retry.clone(), url.clone());
        Callback::from(move |(authorization, remember): (String, bool)| {
            let Some(url) = url.clone() else { return };
            let w = gloo::utils::window();
            let keep = if remember { crate::storage::local_storage() } else { w.session_storage().ok().flatten() };
            if let Some(s) = keep {
                let _ = s.set_item(&crate::sync::auth_key(&url), &authorization);
            }
            retry.emit(());
        })
    };
    let set_url = {
        let (entered, retry) = (entered.clone(), retry.clone());
        let id = project.as_ref().map(|p| p.id.clone());
        Callback::from(move |u: String| {
            if let (Some(id), Some(s)) = (&id, crate::storage::local_storage()) {
                let _ = s.set_item(&url_key(id), &u);
            }
            entered.set(Some(u));
            retry.emit(());
        })
    };
    let shown = if url.is_none() { SyncStatus::Off } else { (*status).clone() };
    SyncHandle { status: shown, url, sign_in, set_url, retry }
}

/// What a pass's answer means for the next one, and for the top bar.
fn settle(r: &mut Runner, answer: Option<SyncAnswer>) -> SyncStatus {
    r.in_flight = false;
    let Some(a) = answer else {
        r.failures += 1;
        r.next_try = js_sys::Date::now() + backoff_ms(r.failures);
        return SyncStatus::Offline {
            waiting: r.waiting,
            why: "the worker did not answer".into(),
            retry_ms: r.next_try,
        };
    };
    r.waiting = a.waiting;
    match a.outcome {
        Outcome::Done => {
            r.failures = 0;
            r.next_try = 0.0;
            if a.waiting > 0 {
                // More than one pass holds: go on at once.
                r.saved_seen = None;
                SyncStatus::Syncing { waiting: a.waiting }
            } else {
                SyncStatus::Synced { up_to: a.up_to }
            }
        }
        Outcome::Retry(why) => {
            r.failures += 1;
            r.next_try = js_sys::Date::now() + backoff_ms(r.failures);
            SyncStatus::Offline { waiting: a.waiting, why, retry_ms: r.next_try }
        }
        Outcome::NeedCredentials => {
            r.parked = true;
            SyncStatus::NeedCredentials { waiting: a.waiting }
        }
        Outcome::Refused(why) => {
            r.parked = true;
            SyncStatus::Refused { waiting: a.waiting, why }
        }
        Outcome::StorageFull => {
            r.parked = true;
            SyncStatus::Refused { waiting: a.waiting, why: "507: the server's storage is full".into() }
        }
        Outcome::Local(why) => {
            r.parked = true;
            SyncStatus::Refused { waiting: a.waiting, why: format!("this browser's log could not be read: {why}") }
        }
    }
}

/// 2 s, 4 s, 8 s … at most 5 minutes.
fn backoff_ms(failures: u32) -> f64 {
    (2_000.0 * 2f64.powi(failures.saturating_sub(1).min(8) as i32)).min(300_000.0)
}
