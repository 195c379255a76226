//! `concord pull` against a real WebDAV server (nginx with its DAV modules, started here on loopback and stopped by
//! its PID): the mirror holds every segment, a second pull fetches only what changed, and `concord agreement` on
//! the mirror gives the figures of the logs the annotators made.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use concord_engine::log::{write_jsonl, Event, Op};
use concord_engine::sync::{annotator_folder, pending_segments};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// nginx serving a DAV folder at `http://127.0.0.1:PORT/sync/`, from `tests/dav-server.mjs`'s config; killed on drop.
struct Dav {
    child: Child,
    url: String,
    root: PathBuf,
}

impl Dav {
    fn start(port: u16) -> Option<Dav> {
        if !Path::new("/usr/sbin/nginx").exists() {
            assert!(std::env::var("CI").is_err(), "nginx is missing: `cargo xtask setup` installs it");
            eprintln!("skipped: nginx is missing (`cargo xtask setup` installs it)");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("concord-dav-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = Command::new("node")
            .arg(root().join("tests/dav-server.mjs"))
            .arg(&dir)
            .arg(port.to_string())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let command = String::from_utf8(out.stdout).unwrap();
        let mut words = command.split_whitespace();
        let child = Command::new(words.next().unwrap()).args(words).spawn().unwrap();
        let url = format!("http://127.0.0.1:{port}/sync/");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Some(Dav { child, url, root: dir.join("root") })
    }

    fn put(&self, path: &str, body: &str) {
        let r = ureq::put(&format!("{}{path}", self.url)).send(body).unwrap();
        assert!(r.status().is_success(), "PUT {path}: {}", r.status());
    }
}

impl Drop for Dav {
    /// SIGTERM, not SIGKILL: nginx's master stops its workers only when it is asked, not killed.
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}

fn concord(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_concord")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn json(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = concord(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

/// `annotator` labels the retail demo's first `n` tasks (ids p0001…) in one tab, then relabels one in another.
fn work(annotator: &str, tab: &str, n: usize, pick: impl Fn(usize) -> &'static str) -> Vec<Event> {
    let ev = |log: &str, seq: u64, at: u64, task: String, op: Op| Event {
        id: format!("{log}:{seq}"),
        at,
        annotator: annotator.into(),
        task,
        guidelines: "1.0".into(),
        op,
    };
    let mut out = Vec::new();
    for i in 0..n {
        let task = format!("p{:04}", i + 1);
        let choose = Op::Choose { control: "category".into(), labels: vec![pick(i).into()] };
        out.push(ev(tab, 2 * i as u64 + 1, 1_000 + 10 * i as u64, task.clone(), choose));
        out.push(ev(tab, 2 * i as u64 + 2, 1_005 + 10 * i as u64, task, Op::Submit { warnings: vec![] }));
    }
    out
}

#[test]
fn pull_mirrors_the_sync_folder_and_the_mirror_gives_the_annotators_figures() {
    let Some(dav) = Dav::start(8941) else { return };
    let labels = ["apple", "banana", "orange"];
    let ann = work("Ann", "a1", 12, |i| labels[i % 3]);
    let bo = work("Bo", "b1", 12, |i| labels[(i / 2) % 3]);
    // Ann's log went up in two pushes, the second resending part of the first (a retry after a timeout).
    let mut sent = std::collections::BTreeMap::new();
    for s in pending_segments(&ann[..10], &sent, 4, annotator_folder).iter().chain(&pending_segments(
        &bo,
        &sent,
        100,
        annotator_folder,
    )) {
        dav.put(&s.path, &s.text);
    }
    sent.insert("a1".to_string(), 8);
    for s in pending_segments(&ann, &sent, 100, annotator_folder) {
        dav.put(&s.path, &s.text);
    }
    dav.put("lead/requeue.jsonl", "");
    let mirror = std::env::temp_dir().join(format!("concord-pulled-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&mirror);
    let first = json(&["pull", &dav.url, mirror.to_str().unwrap()]);
    assert_eq!((first["listed"].as_u64(), first["fetched"].as_u64()), (Some(6), Some(6)), "{first}");
    for entry in walk(&dav.root) {
        let rel = entry.strip_prefix(&dav.root).unwrap();
        assert_eq!(std::fs::read(&entry).unwrap(), std::fs::read(mirror.join(rel)).unwrap(), "{}", rel.display());
    }
    // Nothing new: nothing fetched. One new segment: one fetched.
    let again = json(&["pull", &dav.url, mirror.to_str().unwrap()]);
    assert_eq!(again["fetched"].as_u64(), Some(0), "{again}");
    let late = work("Bo", "b2", 1, |_| "milk");
    let seg = &pending_segments(&late, &Default::default(), 10, annotator_folder)[0];
    dav.put(&seg.path, &seg.text);
    let third = json(&["pull", &dav.url, mirror.to_str().unwrap()]);
    assert_eq!((third["listed"].as_u64(), third["fetched"].as_u64()), (Some(7), Some(1)), "{third}");
    // The figures from the mirror are the figures of the logs as the annotators made them.
    let bundle = root().join("www/demo/retail");
    let pulled: Vec<String> = walk(&mirror.join("logs")).iter().map(|p| p.display().to_string()).collect();
    let mut args = vec!["agreement", "--bundle", bundle.to_str().unwrap()];
    args.extend(pulled.iter().map(String::as_str));
    let from_mirror = json(&args);
    let whole = std::env::temp_dir().join(format!("concord-whole-{}", std::process::id()));
    std::fs::create_dir_all(&whole).unwrap();
    let mut bo_all = bo.clone();
    bo_all.extend(late);
    let (a, b) = (whole.join("ann.jsonl"), whole.join("bo.jsonl"));
    std::fs::write(&a, write_jsonl(&ann)).unwrap();
    std::fs::write(&b, write_jsonl(&bo_all)).unwrap();
    let from_logs =
        json(&["agreement", "--bundle", bundle.to_str().unwrap(), a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(from_mirror, from_logs);
    assert_eq!(from_mirror["annotations"].as_u64(), Some(24), "12 each; Bo's late label is a 13th task");
}

#[test]
fn pull_says_what_the_server_wants() {
    let Some(dav) = Dav::start(8942) else { return };
    let dir = std::env::temp_dir().join(format!("concord-pulled-bad-{}", std::process::id()));
    let (code, _, err) = concord(&["pull", &format!("{}missing/", dav.url), dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("404 — no such folder"), "{err}");
    let (code, _, err) = concord(&["pull", "http://dav.example.org/sync/", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("plain http:// only reaches this machine"), "{err}");
    drop(dav);
    let (code, _, err) = concord(&["pull", "http://127.0.0.1:8942/sync/", dir.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("cannot be reached"), "{err}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.file_name().unwrap().to_string_lossy().starts_with('.') {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
