//! A sync folder on this computer, for teams without any server: a folder chosen with the File System Access API
//! (Chromium's `showDirectoryPicker`; a shared or synced drive, say) takes the place of the WebDAV folder. The same
//! layout (`logs/<annotator folder>/<segment>`, `lead/…`), the same outbox and the same reader; only the writes and
//! reads differ. The chosen folder's handle is kept in IndexedDB (the browser clones it there), so that a reload
//! and the chunk worker find it. A folder is named in the app's state by [`DISK_PREFIX`] and its name.

use concord_engine::sorting::LeanSort;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{FileSystemDirectoryHandle, FileSystemFileHandle};

use crate::storage::HandleStore;

/// A sync "URL" that names a folder on this computer: `folder:<its name>`.
pub const DISK_PREFIX: &str = "folder:";

/// Whether this browser can choose a folder to write to.
pub fn available() -> bool {
    js_sys::Reflect::has(&gloo::utils::window(), &"showDirectoryPicker".into()).unwrap_or(false)
}

fn handle_key(scope: &str) -> String {
    format!("sync-disk:{scope}")
}

/// Asks the user for a folder (read and write), and keeps its handle for `scope` (a project id, or review mode's).
/// Must run from a user's gesture.
pub async fn choose(scope: &str) -> Result<FileSystemDirectoryHandle, String> {
    let window = gloo::utils::window();
    let picker: js_sys::Function = js_sys::Reflect::get(&window, &"showDirectoryPicker".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("this browser cannot write to a folder on this computer (the File System Access API)")?;
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"mode".into(), &"readwrite".into());
    let promise: js_sys::Promise =
        picker.call1(&window, &options).map_err(|e| describe(&e))?.dyn_into().map_err(|_| "no folder chosen")?;
    let handle: FileSystemDirectoryHandle =
        JsFuture::from(promise).await.map_err(|e| describe(&e))?.dyn_into().map_err(|_| "not a folder")?;
    let store = HandleStore::open().await?;
    store.put(&handle_key(scope), handle.clone().into()).await?;
    Ok(handle)
}

/// The folder chosen for `scope` earlier, if any.
pub async fn kept(scope: &str) -> Result<Option<FileSystemDirectoryHandle>, String> {
    let store = HandleStore::open().await?;
    Ok(store.get(&handle_key(scope)).await?.and_then(|v| v.dyn_into().ok()))
}

/// Writes `text` at `path` (slash-separated, inside `root`), making the folders on the way. The browser writes to
/// a swap file and moves it into place on close, so a reader never sees half a segment.
pub async fn write(root: &FileSystemDirectoryHandle, path: &str, text: &str) -> Result<(), String> {
    let (folders, name) = split(path)?;
    let dir = walk(root, &folders, true).await?.expect("created on the way");
    let options = web_sys::FileSystemGetFileOptions::new();
    options.set_create(true);
    let file: FileSystemFileHandle = awaited(dir.get_file_handle_with_options(name, &options)).await?;
    let stream: web_sys::FileSystemWritableFileStream = awaited(file.create_writable()).await?;
    JsFuture::from(stream.write_with_str(text).map_err(|e| describe(&e))?).await.map_err(|e| describe(&e))?;
    JsFuture::from(stream.close()).await.map_err(|e| describe(&e))?;
    Ok(())
}

/// The text at `path` with its version (modification time and size), or `None` when it is not there.
pub async fn read(root: &FileSystemDirectoryHandle, path: &str) -> Result<Option<(String, String)>, String> {
    let (folders, name) = split(path)?;
    let Some(dir) = walk(root, &folders, false).await? else { return Ok(None) };
    let file: FileSystemFileHandle = match awaited(dir.get_file_handle(name)).await {
        Ok(f) => f,
        Err(why) if why.starts_with("NotFoundError") => return Ok(None),
        Err(why) => return Err(why),
    };
    let file: web_sys::File = awaited(file.get_file()).await?;
    let text = JsFuture::from(file.text()).await.map_err(|e| describe(&e))?.as_string().unwrap_or_default();
    Ok(Some((text, version(&file))))
}

/// The entries of `folder` (relative to `root`, ending with `/`), as a WebDAV listing would give them: paths
/// relative to `root`, folders ending with `/`, files with a version. An absent folder lists nothing.
pub async fn list(root: &FileSystemDirectoryHandle, folder: &str) -> Result<Vec<concord_engine::sync::Entry>, String> {
    let parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    let Some(dir) = walk(root, &parts, false).await? else { return Ok(Vec::new()) };
    let entries = dir.values();
    let mut out = Vec::new();
    loop {
        let step = JsFuture::from(entries.next().map_err(|e| describe(&e))?).await.map_err(|e| describe(&e))?;
        let step: js_sys::IteratorNext = step.unchecked_into();
        if step.done() {
            break;
        }
        let handle: web_sys::FileSystemHandle = step.value().unchecked_into();
        let name = handle.name();
        if handle.kind() == web_sys::FileSystemHandleKind::Directory {
            out.push(entry(format!("{folder}{name}/"), None, true));
        } else if !name.starts_with('.') && !name.ends_with(".crswap") {
            // Not the browser's swap files of writes in progress, nor hidden files a synced drive leaves.
            let file: web_sys::File = awaited(handle.unchecked_into::<FileSystemFileHandle>().get_file()).await?;
            out.push(entry(format!("{folder}{name}"), Some(version(&file)), false));
        }
    }
    out.lean_sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn entry(path: String, etag: Option<String>, folder: bool) -> concord_engine::sync::Entry {
    concord_engine::sync::Entry { path, etag, modified: None, size: None, folder }
}

fn version(file: &web_sys::File) -> String {
    format!("{}-{}", file.last_modified(), file.size())
}

/// `a/b/c.jsonl` → (["a", "b"], "c.jsonl"); no empty, `.` or `..` part.
fn split(path: &str) -> Result<(Vec<&str>, &str), String> {
    let parts: Vec<&str> = path.split('/').collect();
    if parts.iter().any(|p| p.is_empty() || *p == "." || *p == "..") {
        return Err(format!("{path}: not a path inside the folder"));
    }
    let (name, folders) = parts.split_last().expect("split gives one part at least");
    Ok((folders.to_vec(), name))
}

/// The folder at `parts` under `root`; made when `create`, else `None` when one is missing.
async fn walk(
    root: &FileSystemDirectoryHandle,
    parts: &[&str],
    create: bool,
) -> Result<Option<FileSystemDirectoryHandle>, String> {
    let options = web_sys::FileSystemGetDirectoryOptions::new();
    options.set_create(create);
    let mut dir = root.clone();
    for part in parts {
        dir = match awaited(dir.get_directory_handle_with_options(part, &options)).await {
            Ok(d) => d,
            Err(why) if !create && why.starts_with("NotFoundError") => return Ok(None),
            Err(why) => return Err(why),
        };
    }
    Ok(Some(dir))
}

async fn awaited<T: JsCast>(promise: js_sys::Promise) -> Result<T, String> {
    JsFuture::from(promise).await.map_err(|e| describe(&e))?.dyn_into().map_err(|_| "an unexpected answer".to_string())
}

/// `Name: message` of a DOMException (`NotFoundError`, `NotAllowedError` when the permission lapsed, `AbortError`
/// when the picker was closed), or the value as text.
fn describe(e: &JsValue) -> String {
    match e.dyn_ref::<web_sys::DomException>() {
        Some(d) if d.name() == "NotAllowedError" => {
            "NotAllowedError: the browser needs your permission again to write to the folder — choose it again".into()
        }
        Some(d) if d.name() == "AbortError" => "AbortError: no folder was chosen".into(),
        Some(d) => format!("{}: {}", d.name(), d.message()),
        None => e.as_string().unwrap_or_else(|| format!("{e:?}")),
    }
}
