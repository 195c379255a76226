//! `concord pull URL DIR`: mirrors a sync folder (WebDAV) into DIR — the annotators' segments under `logs/` and
//! the lead's files under `lead/` — fetching only what is new or changed since the last pull (`DIR/.concord-pull.json`
//! keeps each file's ETag, or its modification time and size). Nothing local is deleted. Credentials come from the
//! environment, never the command line: `CONCORD_SYNC_TOKEN` (a bearer token), or `CONCORD_SYNC_USER` and
//! `CONCORD_SYNC_PASSWORD` (HTTP Basic).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use concord_engine::bundle::check_sync_url;
use concord_engine::sync::{basic_authorization, encode_path, relative_path, to_fetch, Entry};

use crate::Failure;

/// What a pull did, printed as JSON.
#[derive(serde::Serialize)]
struct Pulled {
    url: String,
    dir: String,
    /// Files the listing holds (folders excluded).
    listed: usize,
    /// Of those, fetched because new or changed.
    fetched: usize,
    /// Bytes fetched.
    bytes: u64,
}

const STATE: &str = ".concord-pull.json";

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut positional = Vec::new();
    let mut p = lexopt::Parser::from_args(args);
    while let Some(arg) = p.next()? {
        match arg {
            lexopt::Arg::Value(v) => positional.push(v),
            other => return Err(Failure::Input(format!("unexpected {}", other.unexpected()))),
        }
    }
    let [url, dir] = positional.as_slice() else {
        return Err(Failure::Input(
            "usage: concord pull URL DIR (the sync folder's URL, and where to mirror it)".into(),
        ));
    };
    let url = url.to_string_lossy().into_owned();
    let url = if url.ends_with('/') { url } else { format!("{url}/") };
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(Failure::Input(format!("`{url}`: the sync folder's URL must be absolute (https://…)")));
    }
    check_sync_url(&url).map_err(|e| Failure::Input(e.to_string()))?;
    let dir = PathBuf::from(dir);
    let client = Client::from_env(&url)?;
    let listing = client.list_tree()?;
    let state_path = dir.join(STATE);
    let mut seen: BTreeMap<String, String> = match std::fs::read_to_string(&state_path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            Failure::Input(format!("{}: not a pull record ({e}); delete it to pull everything", state_path.display()))
        })?,
        Err(_) => BTreeMap::new(),
    };
    let files: Vec<&Entry> = listing.iter().filter(|e| !e.folder).collect();
    // Segments by to_fetch; the lead's files (and anything else) by the same version test.
    let mut wanted: Vec<&Entry> = to_fetch(&listing, &seen);
    wanted.extend(
        files.iter().copied().filter(|e| !e.path.starts_with("logs/") && seen.get(&e.path) != Some(&e.version())),
    );
    let mut bytes = 0;
    for e in &wanted {
        let body = client.get(&e.path)?;
        bytes += body.len() as u64;
        write_atomically(&dir, &e.path, &body)?;
        seen.insert(e.path.clone(), e.version());
        // Recorded after each file: an interrupted pull resumes where it stopped.
        write_atomically(&dir, STATE, serde_json::to_string_pretty(&seen).expect("a map of strings").as_bytes())?;
    }
    Ok(crate::to_json(&Pulled {
        url,
        dir: dir.display().to_string(),
        listed: files.len(),
        fetched: wanted.len(),
        bytes,
    }))
}

/// Writes `dir/path` through a temporary file and a rename, so a reader never sees half a file.
fn write_atomically(dir: &Path, path: &str, body: &[u8]) -> Result<(), Failure> {
    let target = dir.join(path);
    let parent = target.parent().expect("a file path");
    std::fs::create_dir_all(parent).map_err(|e| Failure::Other(format!("{}: {e}", parent.display())))?;
    let tmp = target.with_extension("concord-partial");
    std::fs::write(&tmp, body).map_err(|e| Failure::Other(format!("{}: {e}", tmp.display())))?;
    std::fs::rename(&tmp, &target).map_err(|e| Failure::Other(format!("{}: {e}", target.display())))
}

/// The server, with the credentials the environment gives.
struct Client {
    agent: ureq::Agent,
    url: String,
    /// The folder's URL path (`/team/sync/`), which the listing's `href`s start with.
    base_path: String,
    authorization: Option<String>,
}

impl Client {
    fn from_env(url: &str) -> Result<Client, Failure> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let authorization = match (var("CONCORD_SYNC_TOKEN"), var("CONCORD_SYNC_USER"), var("CONCORD_SYNC_PASSWORD")) {
            (Some(t), _, _) => Some(format!("Bearer {t}")),
            (None, Some(u), Some(p)) => Some(basic_authorization(&u, &p)),
            (None, Some(_), None) => {
                return Err(Failure::Input("CONCORD_SYNC_USER is set but CONCORD_SYNC_PASSWORD is not".into()))
            }
            _ => None,
        };
        let after_scheme = &url[url.find("://").expect("checked") + 3..];
        let base_path = after_scheme.find('/').map_or("/".to_string(), |i| after_scheme[i..].to_string());
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // PROPFIND is WebDAV's, not HTTP's own.
            .allow_non_standard_methods(true)
            .timeout_global(Some(std::time::Duration::from_secs(60)))
            .build();
        Ok(Client { agent: config.into(), url: url.to_string(), base_path, authorization })
    }

    fn request(&self, method: &str, path: &str, depth: Option<&str>) -> Result<(u16, Vec<u8>), Failure> {
        let target = format!("{}{}", self.url, encode_path(path));
        let mut builder = ureq::http::Request::builder().method(method).uri(&target);
        if let Some(a) = &self.authorization {
            builder = builder.header("Authorization", a);
        }
        if let Some(d) = depth {
            builder = builder.header("Depth", d).header("Content-Type", "application/xml");
        }
        let request = builder.body(()).map_err(|e| Failure::Input(format!("{target}: {e}")))?;
        let mut response = self
            .agent
            .run(request)
            .map_err(|e| Failure::Other(format!("{target}: the server cannot be reached ({e})")))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .map_err(|e| Failure::Other(format!("{target}: the answer broke off ({e})")))?;
        match status {
            200..=299 => Ok((status, body)),
            401 => Err(Failure::Input(format!(
                "{target}: 401 — the server wants credentials (set CONCORD_SYNC_TOKEN, or CONCORD_SYNC_USER and CONCORD_SYNC_PASSWORD)"
            ))),
            403 => Err(Failure::Input(format!("{target}: 403 — these credentials may not read this folder"))),
            404 => Err(Failure::Input(format!("{target}: 404 — no such folder or file on the server"))),
            s => Err(Failure::Other(format!("{target}: the server answered {s}"))),
        }
    }

    fn get(&self, path: &str) -> Result<Vec<u8>, Failure> {
        Ok(self.request("GET", path, None)?.1)
    }

    /// Every file and folder below the sync folder: `PROPFIND` with `Depth: 1`, folder by folder (servers need not
    /// answer `Depth: infinity`).
    fn list_tree(&self) -> Result<Vec<Entry>, Failure> {
        let mut out = Vec::new();
        let mut folders = vec![String::new()];
        while let Some(folder) = folders.pop() {
            let (_, body) = self.request("PROPFIND", &folder, Some("1"))?;
            let text = String::from_utf8_lossy(&body);
            for e in parse_multistatus(&text, &self.base_path)
                .map_err(|why| Failure::Other(format!("{}{folder}: the listing is not WebDAV XML ({why})", self.url)))?
            {
                if e.path == folder {
                    continue;
                }
                if e.folder && e.path.matches('/').count() <= 3 {
                    folders.push(e.path.clone());
                }
                out.push(e);
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }
}

/// The `<response>`s of a `207 Multi-Status` body as entries relative to the folder at `base_path`; responses for
/// the folder itself or outside it are left out.
fn parse_multistatus(xml: &str, base_path: &str) -> Result<Vec<Entry>, String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
    let dav = |n: &roxmltree::Node, name: &str| n.tag_name().name() == name && n.tag_name().namespace() == Some("DAV:");
    let mut out = Vec::new();
    for response in doc.descendants().filter(|n| dav(n, "response")) {
        let text_of = |name: &str| {
            response.descendants().find(|n| dav(n, name)).and_then(|n| n.text()).map(|t| t.trim().to_string())
        };
        let Some(href) = text_of("href") else { continue };
        let Some(path) = relative_path(&href, base_path) else { continue };
        out.push(Entry {
            folder: response.descendants().any(|n| dav(&n, "collection")) || path.ends_with('/'),
            etag: text_of("getetag").filter(|t| !t.is_empty()),
            modified: text_of("getlastmodified").filter(|t| !t.is_empty()),
            size: text_of("getcontentlength").and_then(|t| t.parse().ok()),
            path,
        });
    }
    Ok(out)
}
