use yew::prelude::*;

/// The bundled demo projects, as links that reopen the app on `?project=`, and a bundle folder from disk.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub current: AttrValue,
    /// A folder was chosen from disk: its files are kept by the loader; the name is the folder's.
    pub on_folder: Callback<Result<String, String>>,
}

const DEMOS: [(&str, &str); 4] = [
    ("demo/retail/", "Retail products"),
    ("demo/news/", "News entities"),
    ("demo/shelf/", "Shelves and streets"),
    ("demo/tickets/", "Ticket urgency"),
];

#[function_component(ProjectPicker)]
pub fn project_picker(props: &Props) -> Html {
    let onchange = {
        let on_folder = props.on_folder.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                on_folder.emit(crate::loader::set_local_files(&files));
            }
        })
    };
    let on_zip = {
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
    html! {
        <nav class="project-picker" aria-label="Demo projects">
            { for DEMOS.iter().map(|(path, name)| {
                let current = props.current.trim_end_matches('/') == path.trim_end_matches('/');
                html! {
                    <a href={format!("?project={path}")} aria-current={current.then_some("page")}>{ *name }</a>
                }
            }) }
            <label class="open-folder">{ "Open folder…" }
                <input type="file" webkitdirectory={true} multiple={true} data-testid="open-folder" onchange={onchange} />
            </label>
            <label class="open-folder">{ "Open zip…" }
                <input type="file" accept=".zip,application/zip" data-testid="open-zip" onchange={on_zip} />
            </label>
            // A project from disk has no address to pass on: review it without one.
            <a href={if props.current.starts_with("local:") { "?mode=review".to_string() } else { format!("?mode=review&project={}", props.current) }}>{ "Review" }</a>
        </nav>
    }
}
