//! Fetching a bundle from its static host: `project.json`, the guideline, and task chunks on demand.
//! Parsing is the engine's; this module only moves bytes and reports progress.

use std::rc::Rc;

use concord_engine::bundle::{
    parse_gold, parse_manifest, parse_predictions, ChunkParser, GoldItem, Prediction, Project, TaskIds,
};
use concord_engine::model::Task;
use concord_engine::rules::{parse_rules, RuleSet};
use concord_engine::InputError;
use gloo_worker::Spawnable;

use crate::worker::{from_wire, Answer, ChunkJob, Job, RunJob};

/// The base of a bundle opened from a folder on the annotator's disk (no server involved).
pub const LOCAL_BASE: &str = "concord-local:/";

thread_local! {
    /// Files of the folder opened from disk, by path relative to the folder holding `project.json`, and the
    /// object URLs handed out for its images.
    static LOCAL: std::cell::RefCell<(std::collections::HashMap<String, web_sys::Blob>, std::collections::HashMap<String, String>)> =
        Default::default();
}

/// Keeps the files of a folder chosen with `<input webkitdirectory>`. Paths are made relative to the folder
/// that holds `project.json`. Returns that folder's name, or why the folder is not a bundle.
pub fn set_local_files(files: &web_sys::FileList) -> Result<String, String> {
    let mut all = Vec::new();
    for i in 0..files.length() {
        if let Some(f) = files.get(i) {
            let rel = js_sys::Reflect::get(&f, &"webkitRelativePath".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            all.push((if rel.is_empty() { f.name() } else { rel }, web_sys::Blob::from(f)));
        }
    }
    keep_local(all)
}

/// Keeps the files of a zipped bundle folder. `deflate` entries are inflated by the browser
/// (`DecompressionStream`); the container is read by the engine (`formats::zip`).
pub async fn set_local_zip(name: &str, bytes: &[u8]) -> Result<String, String> {
    let entries = concord_engine::formats::zip::zip_entries(name, bytes).map_err(|e| e.to_string())?;
    let mut all = Vec::with_capacity(entries.len());
    for e in entries {
        let blob = if e.method == concord_engine::formats::zip::DEFLATE {
            inflate(e.data).await.map_err(|why| format!("{name}: `{}`: {why}", e.name))?
        } else {
            blob_of(e.data)?
        };
        all.push((e.name, blob));
    }
    keep_local(all)
}

/// Keeps what was dropped on the page: a bundle folder (read through the browser's file-system entries) or a
/// zipped one. The entries are taken while the drop event lasts; the files are read after.
pub fn dropped(data: &web_sys::DataTransfer) -> impl std::future::Future<Output = Result<String, String>> {
    use wasm_bindgen::JsCast;
    let items = data.items();
    let entries: Vec<web_sys::FileSystemEntry> =
        (0..items.length()).filter_map(|i| items.get(i)?.webkit_get_as_entry().ok().flatten()).collect();
    // Without entries (a drop synthesised by a script, an old browser), the files themselves.
    let files: Vec<web_sys::File> = match data.files() {
        Some(list) => (0..list.length()).filter_map(|i| list.get(i)).collect(),
        None => Vec::new(),
    };
    async move {
        let zip = match entries.as_slice() {
            [one] if one.is_file() && one.name().to_ascii_lowercase().ends_with(".zip") => {
                Some(entry_file(one.unchecked_ref()).await?)
            }
            [] => files.into_iter().find(|f| f.name().to_ascii_lowercase().ends_with(".zip")),
            _ => None,
        };
        if let Some(file) = zip {
            let bytes = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
                .await
                .map_err(|_| format!("could not read {}", file.name()))?;
            return set_local_zip(&file.name(), &js_sys::Uint8Array::new(&bytes).to_vec()).await;
        }
        if entries.is_empty() {
            return Err("drop a bundle folder (with its project.json) or a .zip of one".into());
        }
        let mut all = Vec::new();
        let mut pending = entries;
        while let Some(entry) = pending.pop() {
            if entry.is_directory() {
                let reader = entry.unchecked_ref::<web_sys::FileSystemDirectoryEntry>().create_reader();
                // readEntries gives a batch at a time, an empty one at the end.
                loop {
                    let batch = js_sys::Promise::new(&mut |ok, fail| {
                        if let Err(e) = reader.read_entries_with_callback_and_callback(&ok, &fail) {
                            let _ = fail.call1(&wasm_bindgen::JsValue::NULL, &e);
                        }
                    });
                    let batch: js_sys::Array = wasm_bindgen_futures::JsFuture::from(batch)
                        .await
                        .map_err(|_| format!("could not read the folder {}", entry.full_path()))?
                        .unchecked_into();
                    if batch.length() == 0 {
                        break;
                    }
                    pending.extend(batch.iter().map(|e| e.unchecked_into::<web_sys::FileSystemEntry>()));
                }
            } else {
                let file = entry_file(entry.unchecked_ref()).await?;
                all.push((entry.full_path().trim_start_matches('/').to_string(), web_sys::Blob::from(file)));
            }
        }
        keep_local(all)
    }
}

async fn entry_file(entry: &web_sys::FileSystemFileEntry) -> Result<web_sys::File, String> {
    use wasm_bindgen::JsCast;
    let file = js_sys::Promise::new(&mut |ok, fail| entry.file_with_callback_and_callback(&ok, &fail));
    wasm_bindgen_futures::JsFuture::from(file)
        .await
        .map(|f| f.unchecked_into())
        .map_err(|_| format!("could not read {}", web_sys::FileSystemEntry::from(entry.clone()).full_path()))
}

fn blob_of(bytes: &[u8]) -> Result<web_sys::Blob, String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(|_| "could not hold the file in memory".to_string())
}

async fn inflate(bytes: &[u8]) -> Result<web_sys::Blob, String> {
    use wasm_bindgen::JsCast;
    let fail = |_| "could not decompress (deflate)".to_string();
    let ctor: js_sys::Function = js_sys::Reflect::get(&gloo::utils::window(), &"DecompressionStream".into())
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "this browser cannot decompress ZIP entries".to_string())?;
    let inflater = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(&"deflate-raw".into())).map_err(fail)?;
    let stream = blob_of(bytes)?.stream();
    let pipe: js_sys::Function = js_sys::Reflect::get(&stream, &"pipeThrough".into())
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| fail(wasm_bindgen::JsValue::NULL))?;
    let inflated: web_sys::ReadableStream =
        pipe.call1(&stream, &inflater).map_err(fail)?.dyn_into().map_err(|_| fail(wasm_bindgen::JsValue::NULL))?;
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&inflated)).map_err(fail)?;
    let blob = wasm_bindgen_futures::JsFuture::from(response.blob().map_err(fail)?).await.map_err(fail)?;
    blob.dyn_into().map_err(|_| fail(wasm_bindgen::JsValue::NULL))
}

/// Keeps (path, content) pairs as the local bundle, paths made relative to the folder holding `project.json`;
/// images get their MIME type from the extension (an `<img>` of an SVG blob needs it).
fn keep_local(all: Vec<(String, web_sys::Blob)>) -> Result<String, String> {
    let root = all
        .iter()
        .filter(|(p, _)| p == "project.json" || p.ends_with("/project.json"))
        .map(|(p, _)| p.trim_end_matches("project.json").to_string())
        .min_by_key(|p| p.len())
        .ok_or("no project.json in the chosen folder or archive")?;
    let map =
        all.into_iter().filter_map(|(p, f)| p.strip_prefix(&root).map(|r| (r.to_string(), typed(r, f)))).collect();
    LOCAL.with(|l| {
        let mut l = l.borrow_mut();
        for url in l.1.values() {
            let _ = web_sys::Url::revoke_object_url(url);
        }
        *l = (map, Default::default());
    });
    Ok(root.trim_end_matches('/').rsplit('/').next().unwrap_or("folder").to_string())
}

fn typed(path: &str, blob: web_sys::Blob) -> web_sys::Blob {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let mime = match ext.as_str() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        _ => return blob,
    };
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    web_sys::Blob::new_with_blob_sequence_and_options(&js_sys::Array::of1(&blob), &opts).unwrap_or(blob)
}

/// An object URL for a file of the local folder (images), made once per file.
pub fn local_media_url(path: &str) -> Option<String> {
    LOCAL.with(|l| {
        let mut l = l.borrow_mut();
        if let Some(u) = l.1.get(path) {
            return Some(u.clone());
        }
        let file = l.0.get(path)?.clone();
        let url = web_sys::Url::create_object_url_with_blob(&file).ok()?;
        l.1.insert(path.to_string(), url.clone());
        Some(url)
    })
}

async fn read_local(path: &str) -> Result<String, InputError> {
    let file = LOCAL.with(|l| l.borrow().0.get(path).cloned()).ok_or_else(|| {
        InputError::whole(path, "not in the folder opened from disk (choose the folder again after a reload)")
    })?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| InputError::whole(path, "could not read the file from disk"))?;
    Ok(text.as_string().unwrap_or_default())
}

/// Where a bundle lives: the folder URL its relative paths resolve against.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleLocation {
    pub base: String,
}

impl BundleLocation {
    /// `spec` is what `?project=` says: a folder (`demo/news/`) or its `project.json`, relative to the page.
    pub fn from_spec(spec: &str, page: &str) -> Result<Self, String> {
        if spec.starts_with("local:") {
            return Ok(BundleLocation { base: LOCAL_BASE.to_string() });
        }
        let folder = match spec.strip_suffix("project.json") {
            Some(f) => f.to_string(),
            None if spec.ends_with('/') => spec.to_string(),
            None => format!("{spec}/"),
        };
        let url = web_sys::Url::new_with_base(&folder, page).map_err(|_| format!("`{spec}` is not a valid URL"))?;
        Ok(BundleLocation { base: url.href() })
    }

    pub fn url_of(&self, path: &str) -> String {
        web_sys::Url::new_with_base(path, &self.base)
            .map(|u| u.href())
            .unwrap_or_else(|_| format!("{}{}", self.base, path))
    }
}

/// Fetches one file of the bundle as text; a failure names the file.
pub async fn fetch_text(loc: &BundleLocation, path: &str) -> Result<String, InputError> {
    if loc.base == LOCAL_BASE {
        return read_local(path).await;
    }
    let url = loc.url_of(path);
    let resp = gloo::net::http::Request::get(&url)
        .send()
        .await
        .map_err(|e| InputError::whole(path, format!("could not fetch {url}: {e}")))?;
    if !resp.ok() {
        return Err(InputError::whole(path, format!("HTTP {} {} for {url}", resp.status(), resp.status_text())));
    }
    resp.text().await.map_err(|e| InputError::whole(path, format!("could not read {url}: {e}")))
}

/// Fetches `url`'s bytes; a failure says what went wrong with the URL (callers name their file).
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let resp = gloo::net::http::Request::get(url).send().await.map_err(|e| format!("could not fetch {url}: {e}"))?;
    if !resp.ok() {
        return Err(format!("HTTP {} {} for {url}", resp.status(), resp.status_text()));
    }
    resp.binary().await.map_err(|e| format!("could not read {url}: {e}"))
}

/// What is known right after opening: the validated project, its guideline, its rules, the first chunk, and
/// the training gold and predictions (task ids are checked against the chunks when the CLI validates the
/// bundle; here a gold line for an unknown task simply never matches).
pub struct Opened {
    pub project: Rc<Project>,
    /// `project.json` as read: what the workers parse (sending it on rather than serialising `project` again
    /// keeps the manifest's serialiser out of the page's wasm).
    pub manifest: Rc<str>,
    pub guidelines: Rc<str>,
    pub first_chunk: Rc<Vec<Task>>,
    pub rules: Option<RuleSet>,
    /// The rule file as read (for the workers).
    pub rules_text: Option<Rc<str>>,
    pub gold: Vec<GoldItem>,
    pub predictions: Vec<Prediction>,
}

/// Opens a bundle, calling `progress(step, steps, what)` before each file.
pub async fn open(loc: &BundleLocation, mut progress: impl FnMut(u32, u32, &str)) -> Result<Opened, InputError> {
    const STEPS: u32 = 6;
    progress(0, STEPS, "project.json");
    let manifest: Rc<str> = fetch_text(loc, "project.json").await?.into();
    let project = parse_manifest("project.json", &manifest)?;
    if project.schema.data == concord_engine::model::DataKind::PointCloud && !cfg!(feature = "scene") {
        return Err(crate::views::to_scene_mode());
    }
    progress(1, STEPS, &project.guidelines.path);
    let guidelines = fetch_text(loc, &project.guidelines.path).await?;
    let (rules, rules_text) = match &project.rules {
        Some(r) => {
            progress(2, STEPS, &r.path);
            let text: Rc<str> = fetch_text(loc, &r.path).await?.into();
            (Some(parse_rules(&r.path, &text, Some(&project.schema))?), Some(text))
        }
        None => (None, None),
    };
    let gold = match &project.gold {
        Some(g) => {
            progress(3, STEPS, &g.path);
            parse_gold(&g.path, &fetch_text(loc, &g.path).await?, &project.schema, None)?
        }
        None => Vec::new(),
    };
    let predictions = match &project.predictions {
        Some(p) => {
            progress(4, STEPS, &p.path);
            parse_predictions(&p.path, &fetch_text(loc, &p.path).await?, &project.schema, None)?
        }
        None => Vec::new(),
    };
    progress(5, STEPS, &project.tasks[0].path);
    // The first chunk is parsed on this thread (in slices): starting the worker would fetch and compile its wasm
    // before the first task could be shown. The worker parses the chunks after it.
    let first_chunk = {
        let text = fetch_text(loc, &project.tasks[0].path).await?;
        parse_here(&project, 0, &text).await?
    };
    progress(STEPS, STEPS, "done");
    Ok(Opened {
        project: Rc::new(project),
        manifest,
        guidelines: guidelines.into(),
        first_chunk,
        rules,
        rules_text,
        gold,
        predictions,
    })
}

const SLICE_MS: f64 = 6.0;

enum WorkerState {
    Untried,
    Ready(gloo_worker::oneshot::OneshotBridge<RunJob>),
    Unavailable,
}

thread_local! {
    static WORKER: std::cell::RefCell<WorkerState> = const { std::cell::RefCell::new(WorkerState::Untried) };
}

/// The chunk worker, started on first use; `None` when it could not start or once it failed to answer.
fn worker_bridge() -> Option<gloo_worker::oneshot::OneshotBridge<RunJob>> {
    WORKER.with(|w| {
        let mut w = w.borrow_mut();
        if matches!(*w, WorkerState::Untried) {
            // Its loader file (`www/concord-worker_loader.js`), not a blob: URL (gloo-worker's `spawn`): the CSP
            // needs no `worker-src blob:`.
            // The 3D mode has its own, built with `scene`.
            let loader =
                if cfg!(feature = "scene") { "./concord-scene-worker_loader.js" } else { "./concord-worker_loader.js" };
            *w = WorkerState::Ready(RunJob::spawner().spawn_with_loader(loader));
        }
        match &*w {
            WorkerState::Ready(b) => Some(b.fork()),
            _ => None,
        }
    })
}

/// Runs `job` in the worker. `None` when no worker answers (it could not start, or did not answer within
/// `WORKER_TIMEOUT_MS`): the caller then does the work another way.
async fn in_worker(job: Job) -> Option<Answer> {
    deferred_code().await;
    let mut bridge = worker_bridge()?;
    let run = Box::pin(bridge.run(job));
    let timeout = Box::pin(sleep_ms(WORKER_TIMEOUT_MS));
    let answer = match futures::future::select(run, timeout).await {
        futures::future::Either::Left((answer, _)) => Some(answer),
        futures::future::Either::Right(_) => {
            WORKER.with(|w| *w.borrow_mut() = WorkerState::Unavailable);
            None
        }
    };
    answer // bound first: the futures borrow `bridge` and must be dropped before it
}

/// Parses a chunk in the Web Worker; `None` when no worker answers (the caller parses on this thread, in slices).
async fn parse_in_worker(manifest: &str, index: usize, text: &str) -> Option<Result<Rc<Vec<Task>>, InputError>> {
    let job = ChunkJob { manifest: manifest.to_string(), index: index as u32, text: text.to_string() };
    match in_worker(Job::Chunk(job)).await? {
        Answer::Tasks(Ok(wire)) => {
            let t0 = crate::perf::now();
            let tasks: Vec<Task> = wire.into_iter().map(from_wire).collect();
            crate::perf::record("worker_decode", crate::perf::now() - t0);
            Some(Ok(Rc::new(tasks)))
        }
        Answer::Tasks(Err(e)) => Some(Err(e.into())),
        _ => None,
    }
}

/// The physics rules over a sequence, in the chunk worker; `None` when no worker runs.
#[cfg(feature = "scene")]
pub async fn sequence_in_worker(
    job: crate::scene::SequenceJob,
) -> Option<Result<crate::scene::SequenceAnswer, String>> {
    match in_worker(Job::Sequence(job)).await? {
        Answer::Sequence(a) => Some(a),
        _ => None,
    }
}

/// Runs `job` in the worker with no time limit (for jobs that bound their own time, or that may take long);
/// `None` when no worker runs.
async fn in_worker_untimed(job: Job) -> Option<Answer> {
    deferred_code().await;
    let mut bridge = worker_bridge()?;
    let answer = bridge.run(job).await;
    Some(answer)
}

/// One sync pass (`crate::sync`) in the chunk worker; `None` when no worker runs. No time limit here: a pass
/// bounds its own requests, and a slow server must not mark the worker unavailable for chunks.
pub async fn sync_in_worker(job: crate::sync::SyncJob) -> Option<crate::sync::SyncAnswer> {
    match in_worker_untimed(Job::Sync(job)).await? {
        Answer::Synced(a) => Some(a),
        _ => None,
    }
}

/// A job for the model that learns from the annotator (`crate::live_model`), in the chunk worker; `None` when no
/// worker runs. No time limit: opening reads every task of the project.
pub async fn model_in_worker(job: crate::live_model::ModelJob) -> Option<crate::live_model::ModelAnswer> {
    match in_worker_untimed(Job::Model(job)).await? {
        Answer::Model(a) => Some(a),
        _ => None,
    }
}

/// The bytes of a file of the folder or zip opened from disk.
pub async fn local_bytes(path: &str) -> Result<Vec<u8>, InputError> {
    let file = LOCAL.with(|l| l.borrow().0.get(path).cloned()).ok_or_else(|| {
        InputError::whole(path, "not in the folder opened from disk (choose the folder again after a reload)")
    })?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| InputError::whole(path, "could not read the file from disk"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Guideline markdown fragments as safe HTML, rendered in the worker (the Markdown parser lives there, not in
/// annotator mode's wasm). Asked for after the first task is on screen, so the worker never delays it. `None` when
/// no worker answers: the guideline then stays as plain text.
pub async fn render_markdown(fragments: Vec<String>) -> Option<Vec<String>> {
    // The first task's effects (and `concord-ready`) run in the current turn; start the worker after them.
    sleep_ms(0).await;
    let n = fragments.len();
    match in_worker(Job::Markdown(fragments)).await? {
        Answer::Html(html) if html.len() == n => Some(html),
        _ => None,
    }
}

const WORKER_TIMEOUT_MS: i32 = 20_000;

/// Resolves once the rest of the mode's code is in: the page modes' wasm holds what their first task runs, and
/// `www/boot.js` fetches the rest after it is shown (`concordDeferredCode`; at once in a build that is not split).
/// The work that starts after the first task (the worker, the live model) waits for it here, so that it never
/// fetches that code synchronously, one call at a time.
pub async fn deferred_code() {
    use wasm_bindgen::JsCast;
    let promise = js_sys::Reflect::get(&js_sys::global(), &"concordDeferredCode".into())
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    if let Some(p) = promise {
        let _ = wasm_bindgen_futures::JsFuture::from(p).await;
    }
}

/// Resolves after `ms` milliseconds (0: on the next turn of the event loop, input and rendering run in between).
/// The global `setTimeout`, so it works in a page and in a worker.
pub async fn sleep_ms(ms: i32) {
    use wasm_bindgen::JsCast;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let set_timeout = js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(f) = set_timeout {
            let _ = f.call2(&wasm_bindgen::JsValue::UNDEFINED, &resolve, &ms.into());
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Loads chunk `index`. Task ids are checked for duplicates within the chunk; across chunks the check runs
/// when the whole bundle is validated (the CLI, or a Worker in a later mode), not on the UI thread.
pub async fn load_chunk(
    loc: &BundleLocation,
    project: &Project,
    manifest: &str,
    index: usize,
) -> Result<Rc<Vec<Task>>, InputError> {
    let chunk = &project.tasks[index];
    let text = fetch_text(loc, &chunk.path).await?;
    if let Some(tasks) = parse_in_worker(manifest, index, &text).await {
        return tasks;
    }
    parse_here(project, index, &text).await
}

/// Parses chunk `index` on this thread.
async fn parse_here(project: &Project, index: usize, text: &str) -> Result<Rc<Vec<Task>>, InputError> {
    let chunk = &project.tasks[index];
    let mut ids = TaskIds::default();
    // Without a worker: parsed in slices of about `SLICE_MS`, yielding to the event loop between them, so that a chunk of
    // 10,000 tasks never holds the UI thread for more than a frame.
    let mut parser = ChunkParser::new(&chunk.path, project, chunk.count);
    let mut rest = text;
    let mut lines_per_slice = 64; // small first: the speed is not known yet
    while !rest.is_empty() {
        let cut = rest.match_indices('\n').nth(lines_per_slice - 1).map_or(rest.len(), |(i, _)| i + 1);
        let (piece, tail) = rest.split_at(cut);
        let t0 = crate::perf::now();
        parser.feed(piece, &mut ids)?;
        let spent = crate::perf::now() - t0;
        crate::perf::record("parse_slice", spent);
        rest = tail;
        if !rest.is_empty() {
            // Aim each slice at SLICE_MS from the speed just measured.
            let per_line = spent.max(0.01) / lines_per_slice as f64;
            lines_per_slice = ((SLICE_MS / per_line) as usize).clamp(64, 20_000);
            sleep_ms(0).await;
        }
    }
    Ok(Rc::new(parser.finish()?))
}
