//! Sync through a WebDAV folder: names that never collide or escape, segments that are safe to send twice, and a
//! log that survives overlapping segments.

use std::collections::BTreeMap;

use concord_engine::log::{Event, Op};
use concord_engine::sync::{annotator_folder, merge_segments, pending_segments, to_fetch, Entry};

fn ev(log: &str, seq: u64, at: u64, annotator: &str, task: &str, label: &str) -> Event {
    Event {
        id: format!("{log}:{seq}"),
        at,
        annotator: annotator.into(),
        task: task.into(),
        guidelines: "1".into(),
        op: Op::Choose { control: "class".into(), labels: vec![label.into()] },
    }
}

#[test]
fn a_name_becomes_one_safe_folder_and_names_that_differ_only_in_case_stay_apart() {
    let folders: Vec<String> = ["Ann", "ann", "ANN", "../../etc/passwd", "", "Zoë Ortiz", "李明", "a/b\\c"]
        .iter()
        .map(|n| annotator_folder(n))
        .collect();
    for f in &folders {
        assert!(f.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{f}");
        assert!(!f.starts_with('-') && !f.contains(".."), "{f}");
    }
    let lower: std::collections::BTreeSet<String> = folders.iter().map(|f| f.to_lowercase()).collect();
    assert_eq!(lower.len(), folders.len(), "distinct even on a store that ignores case: {folders:?}");
    assert!(folders[0].starts_with("ann-") && folders[3].starts_with("etc-passwd-"), "{folders:?}");
    assert!(folders[4].starts_with("annotator-") && folders[6].starts_with("annotator-"), "no letter to show");
    // One name in two Unicode forms: é as one code point (NFC) and as e + U+0301 (NFD).
    assert_eq!(annotator_folder("Jos\u{e9}"), annotator_folder("Jose\u{301}"));
    assert_eq!(annotator_folder(" Ann "), annotator_folder("Ann"), "surrounding blanks are not part of a name");
    assert_eq!(annotator_folder("Ann"), folders[0], "stable");
}

#[test]
fn pending_events_go_up_as_segments_per_annotator_and_log_named_by_their_sequence() {
    let events: Vec<Event> = (1..=5)
        .map(|s| ev("tab1", s, 100 + s, "Ann", &format!("t{s}"), "cat"))
        .chain((1..=2).map(|s| ev("tab2", s, 200 + s, "Ann", "t9", "dog")))
        .chain([ev("tab3", 1, 300, "Bo", "t1", "dog")])
        .collect();
    let none = BTreeMap::new();
    let all = pending_segments(&events, &none, 3, annotator_folder);
    let ann = annotator_folder("Ann");
    let paths: Vec<&str> = all.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            format!("logs/{ann}/tab1-00000001-00000003.jsonl"),
            format!("logs/{ann}/tab1-00000004-00000005.jsonl"),
            format!("logs/{ann}/tab2-00000001-00000002.jsonl"),
            format!("logs/{}/tab3-00000001-00000001.jsonl", annotator_folder("Bo")),
        ]
    );
    assert_eq!(all.iter().map(|s| s.events).sum::<usize>(), events.len());
    assert_eq!(
        pending_segments(&events, &none, 3, annotator_folder),
        all,
        "the same pending events make the same files, byte for byte"
    );
    let sent = BTreeMap::from([("tab1".to_string(), 4), ("tab3".to_string(), 1)]);
    let rest = pending_segments(&events, &sent, 100, annotator_folder);
    let rest: Vec<(&str, u64, u64)> = rest.iter().map(|s| (s.log_id.as_str(), s.first, s.last)).collect();
    assert_eq!(rest, [("tab1", 5, 5), ("tab2", 1, 2)]);
}

#[test]
fn segments_read_back_give_the_log_once_whatever_was_sent_twice() {
    let events: Vec<Event> = (1..=6).map(|s| ev("a1", s, 1000 + 10 * s, "Ann", &format!("t{s}"), "cat")).collect();
    let first = pending_segments(&events[..4], &BTreeMap::new(), 100, annotator_folder);
    // A retry after a timeout resent 3..=4 with the rest: overlapping segments.
    let second = pending_segments(&events, &BTreeMap::from([("a1".to_string(), 2)]), 100, annotator_folder);
    let files: Vec<(String, String)> =
        first.iter().chain(&second).chain(&second).map(|s| (s.path.clone(), s.text.clone())).collect();
    assert_eq!(merge_segments(&files).unwrap(), events);
    // Another tab's events interleave by time.
    let other = [ev("b2", 1, 1015, "Ann", "t9", "dog")];
    let mut with_other = files.clone();
    with_other.push((
        "logs/x/b2-00000001-00000001.jsonl".into(),
        pending_segments(&other, &BTreeMap::new(), 9, annotator_folder)[0].text.clone(),
    ));
    let merged = merge_segments(&with_other).unwrap();
    assert_eq!(
        merged.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["a1:1", "b2:1", "a1:2", "a1:3", "a1:4", "a1:5", "a1:6"]
    );
    // An event altered on the server: refused, naming both files.
    let mut altered = files.clone();
    altered[1].1 = altered[1].1.replace("\"cat\"", "\"dog\"");
    let err = merge_segments(&altered).unwrap_err();
    assert_eq!(err.file, files[1].0);
    assert!(err.reason.contains(&files[0].0) || err.reason.contains("a1:"), "{err}");
    // A broken line names the file and the line.
    let broken = vec![("logs/x/bad.jsonl".to_string(), "{\"id\": 1}\n".to_string())];
    let err = merge_segments(&broken).unwrap_err();
    assert_eq!(err.file, "logs/x/bad.jsonl");
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[test]
fn only_new_or_changed_segments_are_fetched() {
    let entry = |path: &str, etag: Option<&str>, modified: &str, folder: bool| Entry {
        path: path.into(),
        etag: etag.map(str::to_string),
        modified: Some(modified.into()),
        size: Some(10),
        folder,
    };
    let listing = vec![
        entry("logs/ann-1/", None, "x", true),
        entry("logs/ann-1/a-00000001-00000002.jsonl", Some("\"e1\""), "Mon", false),
        entry("logs/ann-1/a-00000003-00000003.jsonl", Some("\"e2\""), "Mon", false),
        entry("logs/bo-2/b-00000001-00000001.jsonl", None, "Tue", false),
        entry("lead/requeue.jsonl", Some("\"e3\""), "Tue", false),
        entry("logs/ann-1/notes.txt", Some("\"e4\""), "Tue", false),
    ];
    let first: Vec<&str> = to_fetch(&listing, &BTreeMap::new()).iter().map(|e| e.path.as_str()).collect();
    assert_eq!(first.len(), 3, "{first:?}");
    let seen: BTreeMap<String, String> = listing.iter().map(|e| (e.path.clone(), e.version())).collect();
    assert!(to_fetch(&listing, &seen).is_empty(), "nothing changed");
    let mut changed = listing.clone();
    changed[2].etag = Some("\"e2b\"".into());
    changed[3].modified = Some("Wed".into());
    let again: Vec<&str> = to_fetch(&changed, &seen).iter().map(|e| e.path.as_str()).collect();
    assert_eq!(again, ["logs/ann-1/a-00000003-00000003.jsonl", "logs/bo-2/b-00000001-00000001.jsonl"]);
}

#[test]
fn hrefs_become_paths_inside_the_sync_folder_or_nothing() {
    use concord_engine::sync::relative_path;
    let base = "/team/sync/";
    assert_eq!(relative_path("/team/sync/logs/ann-1/a.jsonl", base).as_deref(), Some("logs/ann-1/a.jsonl"));
    assert_eq!(relative_path("https://dav.example.org/team/sync/logs/", base).as_deref(), Some("logs/"));
    assert_eq!(relative_path("/team/sync/logs/Zo%C3%AB/a%20b.jsonl", base).as_deref(), Some("logs/Zoë/a b.jsonl"));
    assert_eq!(relative_path("/team/s%79nc/lead/x", base).as_deref(), Some("lead/x"), "escapes in the base too");
    for outside in [
        "/team/sync/",
        "/team/other/x",
        "/team/sync/logs/../../etc/passwd",
        "/team/sync/a//b",
        "/team/sync/%ZZ",
        "/team/sync/%2e%2e/x",
    ] {
        assert_eq!(relative_path(outside, base), None, "{outside}");
    }
}

#[test]
fn paths_and_credentials_go_over_http_as_the_rfcs_say() {
    use concord_engine::sync::{basic_authorization, encode_path};
    assert_eq!(encode_path("logs/zoë-1a/a b#?.jsonl"), "logs/zo%C3%AB-1a/a%20b%23%3F.jsonl");
    // RFC 7617's example.
    assert_eq!(basic_authorization("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    assert_eq!(basic_authorization("a", "b"), "Basic YTpi");
    assert_eq!(basic_authorization("ab", "c"), "Basic YWI6Yw==");
}

#[test]
fn the_folders_named_in_the_deployment_guide_are_the_annotators() {
    // docs/sync.md's nginx map names these folders for the annotators Ann and Bo.
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/sync.md")).unwrap();
    for name in ["Ann", "Bo"] {
        let folder = annotator_folder(name);
        assert!(guide.contains(&format!(":{folder}\"")), "docs/sync.md names {name}'s folder as {folder}");
    }
}

#[test]
fn the_leads_files_live_in_the_lead_folder_apart_from_every_annotator() {
    use concord_engine::sync::{FINAL_FOLDER, GUIDELINE_VERSIONS_FILE, LEAD_FOLDER, LOGS_FOLDER, REQUEUE_FILE};
    for path in [REQUEUE_FILE, GUIDELINE_VERSIONS_FILE, FINAL_FOLDER] {
        assert!(path.starts_with(LEAD_FOLDER), "{path} is under {LEAD_FOLDER}");
        assert!(!path.starts_with(LOGS_FOLDER));
    }
    // docs/sync.md's layout names them as they are.
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/sync.md")).unwrap();
    for path in [REQUEUE_FILE, GUIDELINE_VERSIONS_FILE, FINAL_FOLDER] {
        let name = path.trim_start_matches(LEAD_FOLDER);
        assert!(guide.contains(name), "docs/sync.md names {path}");
    }
}
