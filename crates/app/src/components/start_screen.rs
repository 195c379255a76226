//! The way in: the page without `?project=`, and the top bar's **Projects** menu. Opens a folder or a zip from
//! disk (buttons, or dropped anywhere on it), a bundle by URL, a project opened before in this browser (with where
//! the annotator was), or one of the bundled demos (`demo/index.json`: all of them, with what each is).

use yew::prelude::*;

use crate::recent::RecentProject;
use crate::resume::SavedPosition;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open project's `?project=` value, if any (marked in the lists).
    #[prop_or_default]
    pub current: Option<AttrValue>,
    /// A folder or zip was chosen or dropped: the loader keeps its files; `Ok` is the folder's name.
    pub on_folder: Callback<Result<String, String>>,
}

/// A demo as `demo/index.json` lists it.
#[derive(Clone, PartialEq)]
struct Demo {
    name: String,
    path: String,
    description: String,
}

/// The demos `demo/index.json` lists (read as JSON values: a derived reader for this one file would cost the
/// annotator's first load more than it saves).
async fn demos() -> Result<Vec<Demo>, String> {
    let page = gloo::utils::window().location().href().unwrap_or_default();
    let loc = crate::loader::BundleLocation::from_spec("demo/", &page)?;
    let text = crate::loader::fetch_text(&loc, "index.json").await.map_err(|e| e.reason)?;
    let index: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let text_of = |v: &serde_json::Value, key: &str| v[key].as_str().unwrap_or_default().to_string();
    let projects = index["projects"].as_array().ok_or("no `projects` list")?;
    Ok(projects
        .iter()
        .map(|p| Demo { name: text_of(p, "name"), path: text_of(p, "path"), description: text_of(p, "description") })
        .filter(|d| !d.name.is_empty() && !d.path.is_empty())
        .collect())
}

fn open_address(spec: &str) -> String {
    format!("?project={}", js_sys::encode_uri_component(spec))
}

#[function_component(StartScreen)]
pub fn start_screen(props: &Props) -> Html {
    let demo_list = use_state(|| None::<Result<Vec<Demo>, String>>);
    {
        let demo_list = demo_list.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { demo_list.set(Some(demos().await)) })
        });
    }
    let recent = use_memo((), |_| crate::recent::load());
    let url_error = use_state(|| None::<String>);
    let dragging = use_state(|| false);
    let folder_input = use_node_ref();
    let zip_input = use_node_ref();

    let on_folder_chosen = {
        let on_folder = props.on_folder.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                on_folder.emit(crate::loader::set_local_files(&files));
            }
        })
    };
    let on_zip_chosen = {
        let on_folder = props.on_folder.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            let on_folder = on_folder.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let outcome = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                    Ok(buf) => crate::loader::set_local_zip(&name, &js_sys::Uint8Array::new(&buf).to_vec()).await,
                    Err(_) => Err(format!("could not read {name}")),
                };
                on_folder.emit(outcome);
            });
        })
    };
    let click = |input: &NodeRef| {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(i) = input.cast::<web_sys::HtmlElement>() {
                i.click();
            }
        })
    };
    let url_input = use_node_ref();
    let on_url = {
        let (url_error, url_input) = (url_error.clone(), url_input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = url_input.cast::<web_sys::HtmlInputElement>() else { return };
            let spec = input.value().trim().to_string();
            let page = gloo::utils::window().location().href().unwrap_or_default();
            match (spec.is_empty(), crate::loader::BundleLocation::from_spec(&spec, &page)) {
                (true, _) => {
                    url_error.set(Some("give the address of a bundle folder (the one with project.json)".into()))
                }
                (false, Err(why)) => url_error.set(Some(why)),
                (false, Ok(_)) => {
                    let _ = gloo::utils::window().location().set_search(&open_address(&spec)[1..]);
                }
            }
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let (on_folder, dragging) = (props.on_folder.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let Some(data) = e.data_transfer() else { return };
            let reading = crate::loader::dropped(&data);
            let on_folder = on_folder.clone();
            wasm_bindgen_futures::spawn_local(async move { on_folder.emit(reading.await) });
        })
    };

    let current = props.current.as_deref().map(|c| c.trim_end_matches('/').to_string());
    let is_current = |spec: &str| current.as_deref() == Some(spec.trim_end_matches('/'));
    html! {
        <section class={classes!("start-screen", dragging.then_some("dragging"))} data-testid="start-screen"
                 aria-label="Projects" {ondragover} {ondragleave} {ondrop}>
            <div class="start-open">
                <h2>{ "Open a project" }</h2>
                <div class="start-buttons">
                    <button type="button" onclick={click(&folder_input)}>{ "Open folder…" }</button>
                    <input ref={folder_input} type="file" hidden=true webkitdirectory={true} multiple={true}
                           data-testid="open-folder" aria-label="Bundle folder" onchange={on_folder_chosen} />
                    <button type="button" onclick={click(&zip_input)}>{ "Open zip…" }</button>
                    <input ref={zip_input} type="file" hidden=true accept=".zip,application/zip" data-testid="open-zip"
                           aria-label="Zipped bundle" onchange={on_zip_chosen} />
                </div>
                <form class="start-url" onsubmit={on_url}>
                    <label for="project-url">{ "Bundle address" }</label>
                    <input ref={url_input} id="project-url" type="text" placeholder="https://example.org/my-project/"
                           aria-describedby="project-url-error" />
                    <button type="submit">{ "Open" }</button>
                </form>
                <p id="project-url-error" class="field-error" role="alert">{ (*url_error).clone().unwrap_or_default() }</p>
                <p class="hint">{ "Or drop a bundle folder, or a .zip of one, on this panel. Files opened from disk stay on this machine." }</p>
            </div>
            <div class="start-recent">
                <h2>{ "Recent projects" }</h2>
                if recent.is_empty() {
                    <p class="hint">{ "None yet: the projects you open in this browser are listed here, with where you were." }</p>
                } else {
                    <ul data-testid="recent-projects">
                        { for recent.iter().map(|r| recent_row(r, is_current(&r.spec))) }
                    </ul>
                }
            </div>
            <div class="start-demos">
                <h2>{ "Demo projects" }</h2>
                { match &*demo_list {
                    None => html! { <p class="hint">{ "Listing the demos…" }</p> },
                    Some(Err(why)) => html! { <p class="field-error">{ format!("Could not list the demos (demo/index.json: {why}).") }</p> },
                    Some(Ok(list)) => html! {
                        <ul data-testid="demo-projects">
                            { for list.iter().map(|d| {
                                let spec = format!("demo/{}", d.path);
                                html! {
                                    <li>
                                        <a href={open_address(&spec)} aria-current={is_current(&spec).then_some("page")}>{ &d.name }</a>
                                        <span class="hint">{ format!(" — {}", d.description) }</span>
                                    </li>
                                }
                            }) }
                        </ul>
                    },
                } }
                <p><a href="?mode=review">{ "Review annotators' files" }</a>{ " (lead mode)" }</p>
            </div>
        </section>
    }
}

/// One remembered project: a link back (or, from disk, the way back), where the annotator was, when, and where its
/// work is kept.
fn recent_row(r: &RecentProject, current: bool) -> Html {
    let position = SavedPosition::load(&r.id).map(|p| p.position);
    let opened = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(r.opened_at as f64));
    let when: String = opened.to_locale_date_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED).into();
    html! {
        <li data-spec={r.spec.clone()}>
            if r.is_local() {
                <span class="recent-name">{ &r.name }</span>
                <span class="hint">{ " (from disk: open its folder or zip again)" }</span>
            } else {
                <a href={open_address(&r.spec)} aria-current={current.then_some("page")}>{ &r.name }</a>
            }
            <span class="recent-detail" data-testid="recent-position">
                { match position {
                    Some(p) => format!(" · task {} of {}", (p + 1).min(r.tasks.max(1)), r.tasks),
                    None => format!(" · {} tasks", r.tasks),
                } }
            </span>
            <span class="recent-detail">{ format!(" · opened {when}") }</span>
            <span class="recent-detail" data-testid="recent-sync">{ " · work kept in this browser (no sync set up)" }</span>
        </li>
    }
}
