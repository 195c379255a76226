//! Runs annotator mode's outbox (`crate::sync`): a pass in the chunk worker whenever the log has grown, when the
//! browser comes back online, at least every minute, and while something waits — backing off from 2 s to 5 min while
//! the server is away. A pass also brings the lead's `requeue.jsonl` when it changed: the tasks sent back to this
//! annotator then come first, as if the file had been chosen by hand.
//! Credentials are kept for the session (sessionStorage), or on this device if the annotator asks; never in the
//! log, an export or the URL.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::state::{Action, AppState, Notice};
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
    /// Asks for a folder on this computer (the File System Access API) and syncs there.
    pub choose_folder: Callback<()>,
}

struct Runner {
    in_flight: bool,
    saved_seen: Option<usize>,
    failures: u32,
    next_try: f64,
    waiting: usize,
    /// Refused or waiting for credentials: no automatic pass until the annotator acts.
    parked: bool,
    /// When the last pass started: an idle page still passes every minute, for what the lead sent back.
    last_pass: f64,
    /// The last problem reading the lead's list, so that it is reported once.
    lead_problem: Option<String>,
}

/// A pass at least this often, for the lead's list.
const IDLE_PASS_MS: f64 = 60_000.0;

fn sent_back_version_key(project: &str) -> String {
    format!("concord:{project}:sent-back-version")
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
        last_pass: 0.0,
        lead_problem: None,
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
        let (state, location) = (state.clone(), location.clone());
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
                        && (r.saved_seen != Some(saved) || r.waiting > 0 || now >= r.last_pass + IDLE_PASS_MS)
                        && now >= r.next_try
                };
                if !due {
                    return;
                }
                {
                    let mut r = runner.borrow_mut();
                    r.in_flight = true;
                    r.saved_seen = Some(saved);
                    r.last_pass = now;
                }
                status.set(SyncStatus::Syncing { waiting: runner.borrow().waiting });
                let (status, runner) = (status.clone(), runner.clone());
                let (state, location) = (state.clone(), location.clone());
                let version_key = sent_back_version_key(&project_id);
                let job = SyncJob {
                    authorization: crate::sync::stored_authorization(&url),
                    sent_back_version: stored(&version_key),
                    project_id,
                    url,
                };
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = crate::loader::sync_in_worker(job).await;
                    if let Some(a) = &answer {
                        lead_news(&state, &location, &session, &mut runner.borrow_mut(), a, &version_key);
                    }
                    let saved_now = session.borrow().saved;
                    let shown = settle(&mut runner.borrow_mut(), answer, saved_now);
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
            crate::sync::keep_authorization(&url, &authorization, remember);
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
    let choose_folder = {
        let (set_url, status) = (set_url.clone(), status.clone());
        let id = project.as_ref().map(|p| p.id.clone());
        Callback::from(move |()| {
            let Some(id) = id.clone() else { return };
            let (set_url, status) = (set_url.clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match crate::disk_folder::choose(&id).await {
                    Ok(handle) => set_url.emit(format!("{}{}", crate::disk_folder::DISK_PREFIX, handle.name())),
                    Err(why) => status.set(SyncStatus::Refused { waiting: 0, why }),
                }
            });
        })
    };
    let shown = if url.is_none() { SyncStatus::Off } else { (*status).clone() };
    SyncHandle { status: shown, url, sign_in, set_url, retry, choose_folder }
}

/// What the lead sent back, from a pass's answer: applied when it names this annotator's tasks (or anyone's), its
/// version kept so that it is fetched again only when it changes; a list that cannot be read, or a folder that
/// cannot be, is reported once.
fn lead_news(
    state: &UseReducerHandle<AppState>,
    location: &Rc<Result<crate::loader::BundleLocation, String>>,
    session: &crate::session::SessionRef,
    r: &mut Runner,
    answer: &SyncAnswer,
    version_key: &str,
) {
    let annotator = session.borrow().annotator.clone();
    let problem = match &answer.sent_back {
        // Before the annotator has given a name there is no one to send back to: read it again later.
        Some(_) if annotator.is_empty() => None,
        Some(file) => {
            let name = concord_engine::sync::REQUEUE_FILE;
            let problem = match concord_engine::routing::parse_requeue(name, &file.text) {
                Ok(lines) => {
                    if !concord_engine::routing::sent_back_to(&lines, &annotator).is_empty() {
                        crate::hooks::receive_sent_back(state, location, session, lines);
                    }
                    None
                }
                Err(e) => Some(format!("the lead's list in the sync folder cannot be read: {e}")),
            };
            if let Some(s) = crate::storage::local_storage() {
                let _ = s.set_item(version_key, &file.version);
            }
            problem
        }
        None => answer.lead_problem.clone().map(|why| format!("the lead's list in the sync folder: {why}")),
    };
    if problem.is_some() && problem != r.lead_problem {
        state.dispatch(Action::Changed(problem.clone().map(Notice::Problem)));
    }
    r.lead_problem = problem;
}

/// What a pass's answer means for the next one, and for the top bar. `saved_now`: the actions saved by now, some
/// perhaps after the pass read the log.
fn settle(r: &mut Runner, answer: Option<SyncAnswer>, saved_now: usize) -> SyncStatus {
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
            // Saved while the pass ran: not on the server yet, so not "synced" (the next pass is due).
            let since = r.saved_seen.map_or(0, |seen| saved_now.saturating_sub(seen));
            if a.waiting > 0 {
                // More than one pass holds: go on at once.
                r.saved_seen = None;
                SyncStatus::Syncing { waiting: a.waiting + since }
            } else if since > 0 {
                SyncStatus::Syncing { waiting: since }
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
