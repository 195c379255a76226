//! "Send to the sync folder": the lead's files go to `lead/` in the project's sync folder (`crate::sync::publish`),
//! beside the download of the same files, so that annotator mode picks up what was sent back and a pipeline pulls
//! the rest. Shown only when there is a sync folder (the project's, or one chosen on this computer); a 401 asks for the lead's credentials here.

use yew::prelude::*;

use crate::review::SyncFolder;
use crate::sync::LeadUpload;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The files, made when the button is pressed.
    pub files: Callback<(), Vec<LeadUpload>>,
    /// A name for the button's test hook and its status line.
    pub name: AttrValue,
}

#[function_component(SyncPublish)]
pub fn sync_publish(props: &Props) -> Html {
    let folder = use_context::<SyncFolder>().unwrap_or_default();
    let note = use_state(|| None::<Result<String, String>>);
    let busy = use_state(|| false);
    let Some(url) = folder.0.map(|u| u.to_string()) else { return html! {} };
    let send = {
        let (note, busy, files, url) = (note.clone(), busy.clone(), props.files.clone(), url.clone());
        Callback::from(move |()| {
            let files = files.emit(());
            let (note, busy, url) = (note.clone(), busy.clone(), url.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = crate::sync::publish(&url, &files).await;
                let when = js_sys::Date::new_0().to_locale_time_string("en-GB").as_string().unwrap_or_default();
                let names = files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>().join(", ");
                note.set(Some(outcome.map(|()| format!("Sent at {when}: {names}."))));
                busy.set(false);
            });
        })
    };
    let onclick = {
        let send = send.clone();
        Callback::from(move |_: MouseEvent| send.emit(()))
    };
    let sign_in = {
        let (url, send) = (url.clone(), send.clone());
        Callback::from(move |(value, _remember): (String, bool)| {
            crate::sync::keep_authorization(&url, &value, false);
            send.emit(());
        })
    };
    let asks = matches!(&*note, Some(Err(why)) if why.contains("401"));
    let name = props.name.to_string();
    html! {
        <span class="sync-publish" data-testid={format!("publish-{name}")}>
            <button type="button" {onclick} disabled={*busy}>{ "Send to the sync folder" }</button>
            { match &*note {
                Some(Ok(text)) => html! { <span class="hint" role="status" data-sent="true">{ format!(" {text}") }</span> },
                Some(Err(why)) => html! { <span class="import-error" role="alert">{ format!(" {why}") }</span> },
                None => html! {},
            } }
            if asks {
                <super::sync_sign_in::SyncSignIn on_sign_in={sign_in} />
            }
        </span>
    }
}
