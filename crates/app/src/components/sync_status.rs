//! The outbox in the top bar: synced up to when, how many actions wait, offline (retrying when), or what the server
//! refused and why; a sign-in form when the server asks, and, when the project names no sync folder, a field for
//! one or a folder chosen on this computer.

use yew::prelude::*;

use crate::hooks::{SyncHandle, SyncStatus};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub sync: SyncHandle,
}

fn actions(n: usize) -> String {
    if n == 1 {
        "1 action".into()
    } else {
        format!("{n} actions")
    }
}

fn clock(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!("{:02}:{:02}:{:02}", d.get_hours(), d.get_minutes(), d.get_seconds())
}

#[function_component(SyncStatusBar)]
pub fn sync_status(props: &Props) -> Html {
    let s = &props.sync;
    let input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let folder = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let (text, state) = match &s.status {
        SyncStatus::Off => ("Not synced: work is kept in this browser".to_string(), "off"),
        SyncStatus::Syncing { waiting } => (format!("Syncing… {} waiting", actions(*waiting)), "syncing"),
        SyncStatus::Synced { up_to } => {
            (up_to.map_or("Synced".into(), |t| format!("Synced up to {}", clock(t as f64))), "synced")
        }
        SyncStatus::Offline { waiting, why, retry_ms } => {
            (format!("Offline: {} waiting ({why}); retrying at {}", actions(*waiting), clock(*retry_ms)), "offline")
        }
        SyncStatus::NeedCredentials { waiting } => {
            (format!("The sync server asks who you are: {} waiting", actions(*waiting)), "credentials")
        }
        SyncStatus::Refused { waiting, why } => {
            (format!("Not synced — {why}: {} waiting", actions(*waiting)), "refused")
        }
    };
    let set_folder = {
        let (folder, problem, on) = (folder.clone(), problem.clone(), s.set_url.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let url = folder.trim().to_string();
            let url = if url.ends_with('/') { url } else { format!("{url}/") };
            match concord_engine::bundle::check_sync_url(&url) {
                Ok(()) if url.contains("://") => {
                    problem.set(None);
                    on.emit(url);
                }
                Ok(()) => problem.set(Some("give the folder's whole address (https://…)".into())),
                Err(why) => problem.set(Some(why.to_string())),
            }
        })
    };
    let retry = {
        let r = s.retry.clone();
        Callback::from(move |_: MouseEvent| r.emit(()))
    };
    let choose_folder = {
        let c = s.choose_folder.clone();
        Callback::from(move |_: MouseEvent| c.emit(()))
    };
    let on_disk = s.url.as_deref().is_some_and(|u| u.starts_with(crate::disk_folder::DISK_PREFIX));
    // A folder on this computer: chosen when there is no sync folder, chosen again when the browser's permission
    // lapsed (it asks for it on a click).
    let offer_disk = crate::disk_folder::available()
        && (s.url.is_none() || (on_disk && matches!(s.status, SyncStatus::Refused { .. })));
    html! {
        <details class={classes!("sync", state)} data-testid="sync" data-sync={state}>
            // The state is announced from a live region inside the summary: a summary with a role of its own loses
            // its name for assistive technology.
            <summary><span role="status">{ text }</span></summary>
            <div class="sync-panel">
                if let Some(url) = &s.url {
                    <p class="hint">{ match url.strip_prefix(crate::disk_folder::DISK_PREFIX) {
                        Some(name) => format!("Sync folder: {name} (a folder on this computer)"),
                        None => format!("Sync folder: {url}"),
                    } }</p>
                }
                if matches!(s.status, SyncStatus::NeedCredentials { .. } | SyncStatus::Refused { .. }) {
                    <super::sync_sign_in::SyncSignIn on_sign_in={s.sign_in.clone()} offer_remember={true} />
                }
                if matches!(s.status, SyncStatus::Refused { .. } | SyncStatus::Offline { .. }) {
                    <button type="button" onclick={retry}>{ "Try again now" }</button>
                }
                if offer_disk {
                    <button type="button" onclick={choose_folder} data-testid="sync-choose-folder">
                        { if on_disk { "Choose the folder again…" } else { "Sync to a folder on this computer…" } }
                    </button>
                }
                if s.url.is_none() {
                    <form onsubmit={set_folder} aria-label="Sync folder">
                        <label>{ "Sync folder (WebDAV) " }<input type="url" placeholder="https://…/sync/" value={(*folder).clone()} oninput={input(&folder)} /></label>
                        <button type="submit">{ "Sync here" }</button>
                        if let Some(p) = &*problem { <p class="import-error" role="alert">{ p.clone() }</p> }
                    </form>
                }
            </div>
        </details>
    }
}
