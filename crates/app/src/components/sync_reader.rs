//! Review mode reads the sync folder: every annotator's segments (PROPFIND, then only the new or changed ones
//! fetched), imported like files dropped here — on demand, and every 15 seconds while "keep reading" is on (a read
//! that finds nothing new costs one PROPFIND per annotator folder and imports nothing).

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::File;
use yew::prelude::*;

use crate::sync::{read_folder, FolderCache};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The sync folder's URL.
    pub url: AttrValue,
    /// Starts an import of these files (the segments, named by their paths).
    pub on_files: Callback<Vec<File>>,
}

const EVERY_MS: i32 = 15_000;

#[function_component(SyncReader)]
pub fn sync_reader(props: &Props) -> Html {
    let cache = use_mut_ref(FolderCache::default);
    let note = use_state(|| None::<Result<String, String>>);
    let keep = use_state(|| true);
    let read = {
        let (cache, note, url, on_files) = (cache.clone(), note.clone(), props.url.to_string(), props.on_files.clone());
        Rc::new(move || {
            let (cache, note, url, on_files) = (cache.clone(), note.clone(), url.clone(), on_files.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut c = std::mem::take(&mut *cache.borrow_mut());
                let outcome = read_folder(&url, &mut c).await;
                *cache.borrow_mut() = c;
                match outcome {
                    Ok(r) => {
                        let when = js_sys::Date::new_0().to_locale_time_string("en-GB").as_string().unwrap_or_default();
                        note.set(Some(Ok(format!(
                            "Read at {when}: {} annotator folders, {} segments ({} new or changed).",
                            r.folders,
                            r.files.len(),
                            r.fetched
                        ))));
                        if r.fetched > 0 {
                            on_files.emit(r.files);
                        }
                    }
                    Err(why) => note.set(Some(Err(why))),
                }
            });
        })
    };
    {
        let read = read.clone();
        use_effect_with((props.url.clone(), *keep), move |(_, keep)| {
            read();
            let tick: Closure<dyn FnMut()> = Closure::new(move || read());
            let id = keep.then(|| {
                gloo::utils::window()
                    .set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), EVERY_MS)
                    .unwrap_or(0)
            });
            move || {
                if let Some(id) = id {
                    gloo::utils::window().clear_interval_with_handle(id);
                }
                drop(tick);
            }
        });
    }
    let onclick = {
        let read = read.clone();
        Callback::from(move |_: MouseEvent| read())
    };
    let toggle = {
        let keep = keep.clone();
        Callback::from(move |_: Event| keep.set(!*keep))
    };
    let sign_in = {
        let (url, read) = (props.url.to_string(), read.clone());
        Callback::from(move |(value, _remember): (String, bool)| {
            crate::sync::keep_authorization(&url, &value, false);
            read();
        })
    };
    let asks = matches!(&*note, Some(Err(why)) if why.contains("401"));
    html! {
        <div class="sync-reader" data-testid="sync-reader">
            <p>{ format!("Sync folder: {} ", props.url) }
                <button type="button" {onclick} data-testid="sync-read">{ "Read now" }</button>
                <label><input type="checkbox" checked={*keep} onchange={toggle} />{ " keep reading every 15 s" }</label></p>
            { match &*note {
                Some(Ok(text)) => html! { <p class="hint" role="status" data-testid="sync-read-note">{ text }</p> },
                Some(Err(why)) => html! { <p class="import-error" role="alert" data-testid="sync-read-note">{ why }</p> },
                None => html! {},
            } }
            if asks {
                <super::sync_sign_in::SyncSignIn on_sign_in={sign_in} />
            }
        </div>
    }
}
