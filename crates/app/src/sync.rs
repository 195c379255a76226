//! Annotator mode's outbox: the log in IndexedDB goes up to the project's sync folder (WebDAV) as append-only
//! segments (`engine::sync`), from the chunk worker, so the page never waits on the network. One pass sends what is
//! pending, oldest first, and stops at the first refusal; the page runs passes after saves, on an interval and when
//! the browser comes back online, backing off while the server is away. The local log stays the source of truth:
//! a pass only reads it, and what the server has is recorded per log (`sync-sent:<project>` in the work store), so a
//! reload, a crash or a second tab resends at most a segment, which the merge deduplicates by event id.

use std::collections::BTreeMap;

use concord_engine::sync::{pending_segments, REQUEUE_FILE};
use serde::{Deserialize, Serialize};

use crate::disk_folder::DISK_PREFIX;
use crate::storage::{LogStore, WorkStore};

/// Events per segment: a segment is one PUT.
const SEGMENT_EVENTS: usize = 500;
/// A request that takes longer is abandoned (and retried on a later pass).
const REQUEST_MS: i32 = 15_000;
/// Segments per pass, so that a pass after a long time offline ends and reports progress.
const PASS_SEGMENTS: usize = 20;

/// One pass, as the page asks for it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SyncJob {
    pub project_id: String,
    /// The sync folder's absolute URL, ending with `/`.
    pub url: String,
    /// `Basic …` or `Bearer …`, when the server asked for credentials and the annotator gave them.
    pub authorization: Option<String>,
    /// The version (ETag) of the lead's `requeue.jsonl` this page last applied: the pass fetches it only if changed.
    #[serde(default)]
    pub sent_back_version: Option<String>,
}

/// A file of the lead's, read from the sync folder, with its version (ETag, else Last-Modified, else a hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadFile {
    pub text: String,
    pub version: String,
}

/// How a pass ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    /// Everything pending was sent.
    Done,
    /// 401: the server wants credentials (or refused the ones given).
    NeedCredentials,
    /// 403: these credentials may not write here; the server's reason.
    Refused(String),
    /// 507: the server's storage is full.
    StorageFull,
    /// The server did not answer, or answered 423, 5xx or another status worth retrying.
    Retry(String),
    /// The local log could not be read.
    Local(String),
}

/// What a pass did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncAnswer {
    pub outcome: Outcome,
    /// Events sent in this pass.
    pub sent: usize,
    /// Events still waiting.
    pub waiting: usize,
    /// The time (ms since the epoch) of the latest event the server has, of those this browser made.
    pub up_to: Option<u64>,
    /// The lead's `requeue.jsonl`, when it changed since `SyncJob::sent_back_version`.
    #[serde(default)]
    pub sent_back: Option<LeadFile>,
    /// Why the lead's list could not be read (the uploads went on regardless).
    #[serde(default)]
    pub lead_problem: Option<String>,
}

impl SyncAnswer {
    /// A pass that ended before sending anything, with `waiting` events still to send.
    fn nothing_sent(outcome: Outcome, waiting: usize) -> SyncAnswer {
        SyncAnswer { outcome, sent: 0, waiting, up_to: None, sent_back: None, lead_problem: None }
    }
}

/// The sync folder as requests see it: its URL and the credentials to send.
struct Folder<'a> {
    url: &'a str,
    authorization: Option<&'a str>,
}

impl Folder<'_> {
    /// A request for `path` in the folder. Without browser credentials: the `Authorization` header is the only one,
    /// and the browser never answers a 401 with its own sign-in dialog (which a worker's request would wait on).
    fn request(&self, method: &str, path: &str) -> gloo::net::http::RequestBuilder {
        let method = gloo::net::http::Method::from_bytes(method.as_bytes()).expect("a method name");
        let target = format!("{}{}", self.url, concord_engine::sync::encode_path(path));
        let builder =
            gloo::net::http::Request::get(&target).method(method).credentials(web_sys::RequestCredentials::Omit);
        match self.authorization {
            Some(a) => builder.header("Authorization", a),
            None => builder,
        }
    }
}

/// Where the outbox writes and the reader reads: a WebDAV folder, or a folder on this computer (`disk_folder`).
enum Store<'a> {
    Dav(Folder<'a>),
    Disk(web_sys::FileSystemDirectoryHandle),
}

impl<'a> Store<'a> {
    /// The store `url` names: `folder:…` is the folder chosen on this computer for `scope` (a project, or review
    /// mode), anything else a WebDAV folder.
    async fn open(url: &'a str, authorization: Option<&'a str>, scope: &str) -> Result<Store<'a>, String> {
        match url.strip_prefix(DISK_PREFIX) {
            Some(name) => crate::disk_folder::kept(scope).await?.map(Store::Disk).ok_or_else(|| {
                format!("the folder `{name}` chosen on this computer is not known in this browser: choose it again")
            }),
            None => Ok(Store::Dav(Folder { url, authorization })),
        }
    }

    async fn put(&self, path: &str, text: &str, mime: &str) -> Result<(), Outcome> {
        match self {
            Store::Dav(folder) => put(folder, path, text, mime).await,
            Store::Disk(dir) => crate::disk_folder::write(dir, path, text).await.map_err(Outcome::Refused),
        }
    }

    async fn fetch_changed(&self, path: &str, known: Option<&str>) -> Result<Option<LeadFile>, String> {
        match self {
            Store::Dav(folder) => fetch_changed(folder, path, known).await,
            Store::Disk(dir) => Ok(crate::disk_folder::read(dir, path)
                .await?
                .filter(|(_, version)| Some(version.as_str()) != known)
                .map(|(text, version)| LeadFile { text, version })),
        }
    }

    async fn list(&self, folder: &str, base: &str) -> Result<Vec<concord_engine::sync::Entry>, String> {
        match self {
            Store::Dav(server) => list(server, folder, base).await,
            Store::Disk(dir) => crate::disk_folder::list(dir, folder).await,
        }
    }

    async fn fetch_text(&self, path: &str) -> Result<String, String> {
        match self {
            Store::Dav(server) => fetch_text(server, path).await,
            Store::Disk(dir) => {
                crate::disk_folder::read(dir, path).await?.map(|(text, _)| text).ok_or(format!("{path}: gone"))
            }
        }
    }
}

/// Review mode's folder on this computer is kept under this scope.
pub const REVIEW_SCOPE: &str = "review";

fn sent_key(project_id: &str) -> String {
    format!("sync-sent:{project_id}")
}

/// One pass: every pending segment PUT in order; stops at the first that fails.
pub async fn run_pass(job: SyncJob) -> SyncAnswer {
    let local = |why: String| SyncAnswer::nothing_sent(Outcome::Local(why), 0);
    let events = match LogStore::open(&job.project_id).await {
        Ok(store) => match store.load().await {
            Ok(events) => events,
            Err(why) => return local(why),
        },
        Err(why) => return local(why),
    };
    let work = match WorkStore::open().await {
        Ok(w) => w,
        Err(why) => return local(why),
    };
    let mut sent: BTreeMap<String, u64> = match work.get(&sent_key(&job.project_id)).await {
        Ok(Some(text)) => serde_json::from_str(&text).unwrap_or_default(),
        Ok(None) => BTreeMap::new(),
        Err(why) => return local(why),
    };
    // Names in Unicode form C by the browser's own tables (the engine's would cost this worker 64 KB).
    let folder = |name: &str| {
        let nfc: String = js_sys::JsString::from(name.trim()).normalize("NFC").into();
        concord_engine::sync::folder_of_nfc(&nfc)
    };
    let segments = pending_segments(&events, &sent, SEGMENT_EVENTS, folder);
    let mut waiting: usize = segments.iter().map(|s| s.events).sum();
    let store = match Store::open(&job.url, job.authorization.as_deref(), &job.project_id).await {
        Ok(store) => store,
        Err(why) => {
            return SyncAnswer::nothing_sent(Outcome::Refused(why), waiting);
        }
    };
    let mut outcome = Outcome::Done;
    let mut sent_now = 0;
    for s in segments.iter().take(PASS_SEGMENTS) {
        match store.put(&s.path, &s.text, "application/x-ndjson").await {
            Ok(()) => {
                let last = sent.entry(s.log_id.clone()).or_insert(0);
                *last = (*last).max(s.last);
                // Recorded after each segment: an interrupted pass resumes after the last one the server has.
                let record = serde_json::to_string(&sent).expect("a map of numbers");
                if let Err(why) = work.put(&sent_key(&job.project_id), record).await {
                    outcome = Outcome::Local(why);
                    break;
                }
                sent_now += s.events;
                waiting -= s.events;
            }
            Err(o) => {
                outcome = o;
                break;
            }
        }
    }
    let up_to = events
        .iter()
        .filter(|e| {
            concord_engine::sync::event_position(&e.id)
                .is_some_and(|(log, seq)| sent.get(log).is_some_and(|&s| seq <= s))
        })
        .map(|e| e.at)
        .max();
    // Once the log is up, what the lead sent back (a 304 when unchanged). Its failure never holds the uploads.
    let (mut sent_back, mut lead_problem) = (None, None);
    if outcome == Outcome::Done {
        match store.fetch_changed(REQUEUE_FILE, job.sent_back_version.as_deref()).await {
            Ok(file) => sent_back = file,
            Err(why) => lead_problem = Some(why),
        }
    }
    SyncAnswer { outcome, sent: sent_now, waiting, up_to, sent_back, lead_problem }
}

/// `path` if it is there and differs from version `known`; `None` when it is absent (nothing sent back yet) or
/// unchanged.
async fn fetch_changed(folder: &Folder<'_>, path: &str, known: Option<&str>) -> Result<Option<LeadFile>, String> {
    let mut builder = folder.request("GET", path).cache(web_sys::RequestCache::NoStore);
    if let Some(etag) = known.filter(|v| v.starts_with('"') || v.starts_with("W/")) {
        builder = builder.header("If-None-Match", etag);
    }
    let request = builder.build().map_err(|e| e.to_string())?;
    let response = send(request).await.map_err(|o| format!("{path}: {}", outcome_text(&o)))?;
    match response.status() {
        304 | 404 => Ok(None),
        200 => {
            let headers = response.headers();
            let named = headers.get("etag").or_else(|| headers.get("last-modified"));
            let text = response.text().await.map_err(|e| format!("{path}: {e}"))?;
            let version = named.unwrap_or_else(|| format!("fnv:{:016x}", fnv1a(text.as_bytes())));
            Ok((known != Some(version.as_str())).then_some(LeadFile { text, version }))
        }
        s => Err(format!("{path}: {}", outcome_text(&refusal(s)))),
    }
}

/// FNV-1a, 64 bits: a version for a file whose server names none.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// What an outcome means, in words.
pub fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Done => "done".into(),
        Outcome::NeedCredentials => "401 — the server asks who you are".into(),
        Outcome::Refused(why) | Outcome::Retry(why) | Outcome::Local(why) => why.clone(),
        Outcome::StorageFull => "507 — the server's storage is full".into(),
    }
}

/// A file the lead sends to the sync folder.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadUpload {
    /// Its path in the sync folder (under `lead/`).
    pub path: String,
    pub text: String,
    pub mime: &'static str,
}

/// Review mode sends the lead's files to the sync folder at `url`, in order, with the credentials kept for it;
/// stops at the first refusal and says which file and why.
pub async fn publish(url: &str, files: &[LeadUpload]) -> Result<(), String> {
    let authorization = stored_authorization(url);
    let store = Store::open(url, authorization.as_deref(), REVIEW_SCOPE).await?;
    for f in files {
        store.put(&f.path, &f.text, f.mime).await.map_err(|o| {
            let why = match o {
                Outcome::Refused(_) => "403 — these credentials may not write the lead's folder".into(),
                o => outcome_text(&o),
            };
            format!("{url}{}: {why}", f.path)
        })?;
    }
    Ok(())
}

/// PUTs `text` at `path`; a missing folder (404 from rclone, 409 from servers that do not create parents) is made
/// with MKCOL, one level at a time, and the PUT tried again.
async fn put(folder: &Folder<'_>, path: &str, text: &str, mime: &str) -> Result<(), Outcome> {
    match status(folder, "PUT", path, Some((text, mime))).await? {
        404 | 409 => {
            let mut parent = String::new();
            for part in path.split('/').take(path.split('/').count() - 1) {
                parent.push_str(part);
                parent.push('/');
                // 405 is "already there"; anything else worth knowing shows on the PUT.
                status(folder, "MKCOL", &parent, None).await?;
            }
            match status(folder, "PUT", path, Some((text, mime))).await? {
                200..=299 => Ok(()),
                s => Err(refusal(s)),
            }
        }
        200..=299 => Ok(()),
        s => Err(refusal(s)),
    }
}

fn refusal(status: u16) -> Outcome {
    match status {
        401 => Outcome::NeedCredentials,
        403 => Outcome::Refused("403: these credentials may not write to this folder".into()),
        507 => Outcome::StorageFull,
        s => Outcome::Retry(format!("the server answered {s}")),
    }
}

/// One request; its status, or the outcome when the server did not answer in time.
async fn status(folder: &Folder<'_>, method: &str, path: &str, body: Option<(&str, &str)>) -> Result<u16, Outcome> {
    let builder = folder.request(method, path);
    let request = match body {
        Some((text, mime)) => builder.header("Content-Type", mime).body(text.to_string()),
        None => builder.build(),
    }
    .map_err(|e| Outcome::Retry(e.to_string()))?;
    Ok(send(request).await?.status())
}

/// Sends `request`; `Retry` when the server cannot be reached or does not answer in time.
async fn send(request: gloo::net::http::Request) -> Result<gloo::net::http::Response, Outcome> {
    let send = Box::pin(request.send());
    let timeout = Box::pin(crate::loader::sleep_ms(REQUEST_MS));
    match futures::future::select(send, timeout).await {
        futures::future::Either::Left((Ok(r), _)) => Ok(r),
        futures::future::Either::Left((Err(e), _)) => {
            Err(Outcome::Retry(format!("the server cannot be reached ({e})")))
        }
        futures::future::Either::Right(_) => Err(Outcome::Retry(format!("no answer within {} s", REQUEST_MS / 1000))),
    }
}

/// Where this browser keeps the credentials for the sync folder at `url` (sessionStorage, or localStorage when the
/// user asked to be remembered).
fn auth_key(url: &str) -> String {
    format!("concord:sync-auth:{url}")
}

/// Keeps the credentials for `url`: for this session, or on this device when `remember`.
pub fn keep_authorization(url: &str, authorization: &str, remember: bool) {
    let keep =
        if remember { crate::storage::local_storage() } else { gloo::utils::window().session_storage().ok().flatten() };
    if let Some(s) = keep {
        let _ = s.set_item(&auth_key(url), authorization);
    }
}

/// The credentials kept for `url`, the session's first.
pub fn stored_authorization(url: &str) -> Option<String> {
    let key = auth_key(url);
    let session = gloo::utils::window().session_storage().ok().flatten().and_then(|s| s.get_item(&key).ok().flatten());
    session.or_else(|| crate::storage::local_storage().and_then(|s| s.get_item(&key).ok().flatten()))
}

/// Review mode's view of a sync folder: every segment read so far, by path, with the version it was read at.
#[derive(Default)]
pub struct FolderCache {
    seen: BTreeMap<String, String>,
    texts: BTreeMap<String, String>,
}

/// What one read of the folder found.
pub struct FolderRead {
    /// Every segment known, as files for the import (path as the name).
    pub files: Vec<web_sys::File>,
    /// Segments fetched by this read (new or changed).
    pub fetched: usize,
    /// Annotator folders listed.
    pub folders: usize,
}

/// Lists `logs/` and each annotator's folder (PROPFIND, depth 1) and fetches the segments that are new or changed
/// since `cache` last saw them. An error says what the server answered.
pub async fn read_folder(url: &str, cache: &mut FolderCache) -> Result<FolderRead, String> {
    let authorization = stored_authorization(url);
    let folder = Store::open(url, authorization.as_deref(), REVIEW_SCOPE).await?;
    let base = url
        .find("://")
        .and_then(|i| url[i + 3..].find('/').map(|j| url[i + 3 + j..].to_string()))
        .unwrap_or("/".into());
    let top = folder.list(concord_engine::sync::LOGS_FOLDER, &base).await?;
    let folders: Vec<String> = top
        .iter()
        .filter(|e| e.folder && e.path != concord_engine::sync::LOGS_FOLDER)
        .map(|e| e.path.clone())
        .collect();
    let mut listing = Vec::new();
    for f in &folders {
        listing.extend(folder.list(f, &base).await?);
    }
    let wanted: Vec<(String, String)> = concord_engine::sync::to_fetch(&listing, &cache.seen)
        .into_iter()
        .map(|e| (e.path.clone(), e.version()))
        .collect();
    for (path, version) in &wanted {
        let text = folder.fetch_text(path).await?;
        cache.texts.insert(path.clone(), text);
        cache.seen.insert(path.clone(), version.clone());
    }
    let files = cache
        .texts
        .iter()
        .filter_map(|(path, text)| {
            let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
            web_sys::File::new_with_str_sequence(&parts, path).ok()
        })
        .collect();
    Ok(FolderRead { files, fetched: wanted.len(), folders: folders.len() })
}

/// One folder's entries (PROPFIND, depth 1), relative to the sync folder.
async fn list(server: &Folder<'_>, folder: &str, base: &str) -> Result<Vec<concord_engine::sync::Entry>, String> {
    let target = format!("{}{folder}", server.url);
    let response = server
        .request("PROPFIND", folder)
        .header("Depth", "1")
        .send()
        .await
        .map_err(|e| format!("{target}: the server cannot be reached ({e})"))?;
    match response.status() {
        207 | 200 => {}
        404 => return Ok(Vec::new()), // no annotator has synced yet
        s => return Err(refused(&target, s)),
    }
    let xml = response.text().await.map_err(|e| format!("{target}: {e}"))?;
    let parser = web_sys::DomParser::new().map_err(|_| "this browser cannot read XML".to_string())?;
    let doc = parser
        .parse_from_string(&xml, web_sys::SupportedType::ApplicationXml)
        .map_err(|_| format!("{target}: the listing is not XML"))?;
    let responses =
        doc.get_elements_by_tag_name_ns(Some("DAV:"), "response").map_err(|_| format!("{target}: no responses"))?;
    let mut out = Vec::new();
    for i in 0..responses.length() {
        let Some(r) = responses.item(i) else { continue };
        let text = |name: &str| {
            r.get_elements_by_tag_name_ns(Some("DAV:"), name)
                .ok()?
                .item(0)
                .and_then(|n| n.text_content())
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        let Some(path) = text("href").and_then(|h| concord_engine::sync::relative_path(&h, base)) else { continue };
        if path == folder {
            continue; // the folder itself
        }
        out.push(concord_engine::sync::Entry {
            etag: text("getetag"),
            modified: text("getlastmodified"),
            size: text("getcontentlength").and_then(|t| t.parse().ok()),
            folder: r.get_elements_by_tag_name_ns(Some("DAV:"), "collection").is_ok_and(|c| c.length() > 0)
                || path.ends_with('/'),
            path,
        });
    }
    Ok(out)
}

async fn fetch_text(server: &Folder<'_>, path: &str) -> Result<String, String> {
    let target = format!("{}{path}", server.url);
    let response = server
        .request("GET", path)
        .send()
        .await
        .map_err(|e| format!("{target}: the server cannot be reached ({e})"))?;
    match response.status() {
        200 => response.text().await.map_err(|e| format!("{target}: {e}")),
        s => Err(refused(&target, s)),
    }
}

fn refused(target: &str, status: u16) -> String {
    match status {
        401 => format!("{target}: 401 — the server asks who you are (sign in below)"),
        403 => format!("{target}: 403 — these credentials may not read the sync folder"),
        s => format!("{target}: the server answered {s}"),
    }
}
