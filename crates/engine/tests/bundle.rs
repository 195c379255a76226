//! The bundle parser on a good bundle and on many kinds of bad input: every error must name the file, the place
//! (line or JSON path) and the reason.

use std::collections::HashMap;

use concord_engine::bundle::{load_bundle, parse_manifest, LoadedBundle};
use concord_engine::model::ControlValue;
use concord_engine::{InputError, Place};
use serde_json::{json, Value};

fn manifest() -> Value {
    json!({
        "format": "concord-project",
        "version": 1,
        "id": "shelf",
        "name": "Shelf products",
        "schema": {
            "data": "image",
            "controls": [
                {"name": "category", "type": "single_choice", "labels": [
                    {"value": "apple"}, {"value": "banana", "hotkey": "1"}, {"value": "cherry"}]},
                {"name": "objects", "type": "boxes", "labels": [
                    {"value": "bottle", "color": "#ff0000", "attributes": [
                        {"name": "occluded", "type": "bool"},
                        {"name": "fill", "type": "enum", "values": ["empty", "full"], "required": true}]}]}
            ]
        },
        "guidelines": {"path": "guidelines.md", "version": "1.0"},
        "workflow": {"overlap": 3, "qc_sample_rate": 0.1, "pilot": {"size": 20, "min_agreement": 0.7}},
        "tasks": [{"path": "tasks/000.jsonl", "count": 2}, {"path": "tasks/001.jsonl", "count": 1}],
        "gold": {"path": "gold.jsonl"}
    })
}

fn files() -> HashMap<String, String> {
    let mut f = HashMap::new();
    f.insert("project.json".into(), manifest().to_string());
    f.insert("guidelines.md".into(), "# Guide\n".into());
    f.insert(
        "tasks/000.jsonl".into(),
        "{\"id\":\"t1\",\"data\":{\"image\":\"img/1.svg\",\"width\":640,\"height\":480}}\n\
         {\"id\":\"t2\",\"data\":{\"image\":\"img/2.svg\"},\"meta\":{\"batch\":1}}\n"
            .into(),
    );
    f.insert("tasks/001.jsonl".into(), "{\"id\":\"t3\",\"data\":{\"image\":\"https://example.org/3.png\"}}\r\n".into());
    f.insert(
        "gold.jsonl".into(),
        "{\"task\":\"t1\",\"result\":{\"category\":[\"apple\"],\"objects\":[{\"x\":1,\"y\":2,\"w\":3,\"h\":4,\"label\":\"bottle\"}]},\"section\":\"#fruit\"}\n".into(),
    );
    f
}

fn load(f: &HashMap<String, String>) -> Result<LoadedBundle, InputError> {
    load_bundle(|p| f.get(p).cloned().ok_or_else(|| "not found (HTTP 404)".to_string()))
}

fn with_manifest(edit: impl FnOnce(&mut Value)) -> HashMap<String, String> {
    let mut m = manifest();
    edit(&mut m);
    let mut f = files();
    f.insert("project.json".into(), m.to_string());
    f
}

#[track_caller]
fn assert_err(f: &HashMap<String, String>, file: &str, place: Place, reason_contains: &str) {
    let e = load(f).expect_err("bundle should be rejected");
    assert_eq!(e.file, file, "{e}");
    assert_eq!(e.place, place, "{e}");
    assert!(e.reason.contains(reason_contains), "reason `{}` lacks `{reason_contains}`", e.reason);
}

fn path(p: &str) -> Place {
    Place::JsonPath(p.into())
}
fn line_path(line: usize, p: &str) -> Place {
    Place::LinePath { line, path: p.into() }
}

#[test]
fn good_bundle_loads_everything() {
    let b = load(&files()).unwrap();
    assert_eq!(b.project.name, "Shelf products");
    assert_eq!(b.project.task_count(), 3);
    assert_eq!(b.tasks.len(), 3);
    assert_eq!(b.tasks[2].id, "t3");
    assert_eq!(b.project.workflow.overlap, 3);
    assert_eq!(b.gold.len(), 1);
    assert_eq!(b.gold[0].result.0["category"], ControlValue::Choices(vec!["apple".into()]));
    // banana keeps its explicit hotkey; apple and cherry get the next free keys in order.
    let keys: Vec<_> = b.project.schema.controls[0].labels.iter().map(|l| l.hotkey.clone().unwrap()).collect();
    assert_eq!(keys, ["2", "1", "3"]);
    assert_eq!(b.guidelines, "# Guide\n");
}

#[test]
fn unknown_format_version() {
    let f = with_manifest(|m| m["version"] = json!(2));
    assert_err(&f, "project.json", path("$.version"), "unsupported format version 2");
}

#[test]
fn wrong_format_id() {
    let f = with_manifest(|m| m["format"] = json!("label-studio"));
    assert_err(&f, "project.json", path("$.format"), "expected \"concord-project\"");
}

#[test]
fn missing_field_names_its_parent() {
    let f = with_manifest(|m| {
        m["schema"]["controls"][1].as_object_mut().unwrap().remove("labels");
    });
    assert_err(&f, "project.json", path("$.schema.controls[1]"), "missing field `labels`");
}

#[test]
fn unknown_field_is_rejected() {
    let f = with_manifest(|m| m["schema"]["controls"][0]["lables"] = json!([]));
    assert_err(&f, "project.json", path("$.schema.controls[0].lables"), "unknown field `lables`");
}

#[test]
fn unknown_control_type() {
    let f = with_manifest(|m| m["schema"]["controls"][0]["type"] = json!("polygon"));
    assert_err(&f, "project.json", path("$.schema.controls[0].type"), "unknown variant `polygon`");
}

#[test]
fn json_syntax_error_has_line_and_column() {
    let mut f = files();
    f.insert("project.json".into(), "{\n  \"format\": \"concord-project\",\n  \"version\": 1,\n  oops\n}".into());
    assert_err(&f, "project.json", Place::Line { line: 4, column: Some(3) }, "key must be a string");
}

#[test]
fn duplicate_label_and_hotkey() {
    let f = with_manifest(|m| m["schema"]["controls"][0]["labels"][2]["value"] = json!("apple"));
    assert_err(&f, "project.json", path("$.schema.controls[0].labels[2].value"), "duplicate label `apple`");
    let f = with_manifest(|m| m["schema"]["controls"][0]["labels"][0]["hotkey"] = json!("1"));
    assert_err(&f, "project.json", path("$.schema.controls[0].labels[1].hotkey"), "used twice");
}

#[test]
fn control_kind_must_fit_the_data() {
    let f = with_manifest(|m| m["schema"]["controls"][1]["type"] = json!("spans"));
    assert_err(&f, "project.json", path("$.schema.controls[1].type"), "needs text data");
}

#[test]
fn bad_workflow_values() {
    let f = with_manifest(|m| m["workflow"]["qc_sample_rate"] = json!(1.5));
    assert_err(&f, "project.json", path("$.workflow.qc_sample_rate"), "not a rate");
    let f = with_manifest(|m| m["workflow"]["overlap"] = json!(0));
    assert_err(&f, "project.json", path("$.workflow.overlap"), "at least 1");
}

#[test]
fn chunk_path_must_stay_in_bundle() {
    let f = with_manifest(|m| m["tasks"][1]["path"] = json!("../../etc/passwd"));
    assert_err(&f, "project.json", path("$.tasks[1].path"), "`..`");
}

#[test]
fn duplicate_task_id_across_chunks() {
    let mut f = files();
    f.insert("tasks/001.jsonl".into(), "{\"id\":\"t1\",\"data\":{\"image\":\"x.png\"}}\n".into());
    assert_err(&f, "tasks/001.jsonl", line_path(1, "$.id"), "duplicate task id `t1` (first at tasks/000.jsonl:1)");
}

#[test]
fn bad_media_url() {
    let mut f = files();
    f.insert(
        "tasks/000.jsonl".into(),
        "{\"id\":\"t1\",\"data\":{\"image\":\"a.png\"}}\n{\"id\":\"t2\",\"data\":{\"image\":\"javascript:alert(1)\"}}\n".into(),
    );
    assert_err(&f, "tasks/000.jsonl", line_path(2, "$.data.image"), "scheme not allowed");
}

#[test]
fn missing_data_field_for_the_schema() {
    let mut f = files();
    f.insert("tasks/001.jsonl".into(), "{\"id\":\"t3\",\"data\":{\"text\":\"hello\"}}\n".into());
    assert_err(&f, "tasks/001.jsonl", line_path(1, "$.data"), "missing `image`");
}

#[test]
fn invalid_json_line_in_chunk() {
    let mut f = files();
    f.insert("tasks/001.jsonl".into(), "\n\n{\"id\":\"t3\",\"data\":{\"image\":\"a.png\"}\n".into());
    let e = load(&f).unwrap_err();
    assert_eq!(e.file, "tasks/001.jsonl");
    assert!(matches!(e.place, Place::Line { line: 3, .. }), "{e}");
    assert!(e.reason.starts_with("invalid JSON"), "{e}");
}

#[test]
fn chunk_count_mismatch() {
    let f = with_manifest(|m| m["tasks"][0]["count"] = json!(5));
    assert_err(&f, "tasks/000.jsonl", Place::File, "holds 2 tasks but project.json declares 5");
}

#[test]
fn unknown_label_in_gold() {
    let mut f = files();
    f.insert("gold.jsonl".into(), "{\"task\":\"t2\",\"result\":{\"category\":[\"durian\"]}}\n".into());
    assert_err(&f, "gold.jsonl", line_path(1, "$.result.category[0]"), "unknown label `durian`");
}

#[test]
fn gold_for_unknown_task_and_bad_region() {
    let mut f = files();
    f.insert("gold.jsonl".into(), "{\"task\":\"t9\",\"result\":{}}\n".into());
    assert_err(&f, "gold.jsonl", line_path(1, "$.task"), "unknown task id `t9`");
    f.insert(
        "gold.jsonl".into(),
        "{\"task\":\"t1\",\"result\":{\"objects\":[{\"x\":1,\"y\":2,\"w\":3,\"label\":\"bottle\"}]}}\n".into(),
    );
    assert_err(&f, "gold.jsonl", line_path(1, "$.result.objects[0]"), "missing field `h`");
}

#[test]
fn single_choice_with_two_labels_in_gold() {
    let mut f = files();
    f.insert("gold.jsonl".into(), "{\"task\":\"t1\",\"result\":{\"category\":[\"apple\",\"cherry\"]}}\n".into());
    assert_err(&f, "gold.jsonl", line_path(1, "$.result.category"), "single-choice");
}

#[test]
fn missing_file_is_named() {
    let mut f = files();
    f.remove("guidelines.md");
    assert_err(&f, "guidelines.md", Place::File, "404");
}

#[test]
fn error_display_is_one_readable_line() {
    let e = parse_manifest("project.json", "{\"format\":\"concord-project\",\"version\":7}").unwrap_err();
    assert_eq!(e.to_string(), "project.json: $.version: unsupported format version 7: this Concord reads version 1");
}

#[test]
fn a_chunk_fed_in_pieces_parses_like_the_whole_and_reports_the_same_lines() {
    use concord_engine::bundle::{parse_task_chunk, ChunkParser, TaskIds};
    let project = parse_manifest("project.json", &manifest().to_string()).unwrap();
    let lines: Vec<String> =
        (0..50).map(|i| format!("{{\"id\":\"t{i}\",\"data\":{{\"image\":\"img/{i}.svg\"}}}}\n")).collect();
    let whole: String = lines.concat();
    let expected = parse_task_chunk("c.jsonl", &whole, &project, 50, &mut TaskIds::default()).unwrap();
    for piece in [1, 7, 50] {
        let mut ids = TaskIds::default();
        let mut p = ChunkParser::new("c.jsonl", &project, 50);
        for group in lines.chunks(piece) {
            p.feed(&group.concat(), &mut ids).unwrap();
        }
        assert_eq!(p.finish().unwrap(), expected, "pieces of {piece}");
    }
    // An error on line 23 is reported as line 23 whatever the piece it arrives in.
    let mut broken = lines.clone();
    broken[22] = "{\"id\":\"t22\",\"data\":{}}\n".into();
    let mut ids = TaskIds::default();
    let mut p = ChunkParser::new("c.jsonl", &project, 50);
    let err = broken.chunks(10).find_map(|g| p.feed(&g.concat(), &mut ids).err()).unwrap();
    assert_eq!(err.place, line_path(23, "$.data"));
    let whole_err = parse_task_chunk("c.jsonl", &broken.concat(), &project, 50, &mut TaskIds::default()).unwrap_err();
    assert_eq!(err, whole_err);
}

#[test]
fn guideline_history_is_checked_and_its_files_must_exist() {
    let f = with_manifest(|m| {
        m["guidelines"]["history"] =
            serde_json::json!([{"version": "0.9", "date": "2026-10-15", "path": "guidelines/0.9.md"}]);
    });
    assert_err(&f, "guidelines/0.9.md", Place::File, "not found");
    let mut with_file = f.clone();
    with_file.insert("guidelines/0.9.md".into(), "# Old\n".into());
    let b = load(&with_file).unwrap();
    assert_eq!(b.project.guidelines.history[0].version, "0.9");
    let current = b.project.guidelines.version.clone();
    let twice = with_manifest(|m| {
        m["guidelines"]["history"] = serde_json::json!([{"version": current, "path": "old.md"}]);
    });
    assert_err(&twice, "project.json", path("$.guidelines.history[0].version"), "listed twice");
    let escaping = with_manifest(|m| {
        m["guidelines"]["history"] = serde_json::json!([{"version": "0.1", "path": "../secret.md"}]);
    });
    assert_err(&escaping, "project.json", path("$.guidelines.history[0].path"), "");
}

#[test]
fn routing_settings_are_checked_with_their_paths() {
    let ok = with_manifest(|m| {
        m["workflow"]["routing"] = json!({"overlap": {"high": 3, "low": 1, "window": 20, "min_accuracy": 0.9},
            "tiers": ["arbiter", "senior", "junior"],
            "rules": [{"tier": "senior", "when": {"model_confidence_below": 0.6}}],
            "model": {"min_gold_accuracy": 0.8, "min_conflict_score": 0.9}})
    });
    let b = load(&ok).unwrap();
    let r = b.project.workflow.routing.unwrap();
    assert_eq!((r.overlap.high, r.overlap.window, r.tiers.len()), (3, 20, 3));
    let f = with_manifest(|m| m["workflow"]["routing"] = json!({"overlap": {"high": 1, "low": 2}}));
    assert_err(&f, "project.json", path("$.workflow.routing.overlap"), "1 ≤ low ≤ high");
    let f = with_manifest(|m| {
        m["workflow"]["routing"] = json!({"tiers": ["senior"], "rules": [{"tier": "expert", "when": "always"}]})
    });
    assert_err(&f, "project.json", path("$.workflow.routing.rules[0].tier"), "`expert` is not one of the tiers");
    let f = with_manifest(|m| {
        m["workflow"]["routing"] =
            json!({"tiers": ["a"], "rules": [{"tier": "a", "when": {"prior_agreement_below": 2}}]})
    });
    assert_err(&f, "project.json", path("$.workflow.routing.rules[0].when"), "[0, 1]");
    let f = with_manifest(|m| m["workflow"]["routing"] = json!({"overlap": {"hgh": 3}}));
    assert_err(&f, "project.json", path("$.workflow.routing.overlap.hgh"), "unknown field `hgh`");
}

mod new_bundle {
    use concord_engine::bundle::{load_bundle, new_bundle, NewProject};
    use concord_engine::model::{ControlKind, DataKind};
    use concord_engine::Place;

    fn spec(kind: ControlKind, labels: &[&str]) -> NewProject {
        NewProject {
            id: "mine".into(),
            name: "My project".into(),
            kind,
            control: "label".into(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            prompt: "What is it?".into(),
            overlap: 2,
            chunk_size: 2,
        }
    }

    fn err(csv: &str, kind: ControlKind, labels: &[&str]) -> concord_engine::InputError {
        new_bundle("items.csv", csv.as_bytes(), &spec(kind, labels)).expect_err("must be refused")
    }

    #[test]
    fn a_csv_of_image_urls_becomes_a_bundle_that_opens_with_one_task_per_row() {
        let csv = "id,image,width,height,aisle\n\
                   p1,images/p1.jpg,640,480,dairy\n\
                   p2,https://example.org/p2.png,,,\n\
                   p3,images/p3.jpg,800,600,fruit\n";
        let made = new_bundle("items.csv", csv.as_bytes(), &spec(ControlKind::SingleChoice, &["milk", "Fresh fruit"]))
            .unwrap();
        assert_eq!((made.tasks, made.data), (3, DataKind::Image));
        let paths: Vec<&str> = made.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["project.json", "guidelines.md", "tasks/000.jsonl", "tasks/001.jsonl"]);
        let b =
            load_bundle(|p| made.files.iter().find(|(q, _)| q == p).map(|(_, t)| t.clone()).ok_or_default()).unwrap();
        assert_eq!(b.tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["p1", "p2", "p3"]);
        assert_eq!(b.tasks[0].data.width, Some(640.0));
        assert_eq!(b.tasks[1].data.width, None);
        assert_eq!(b.tasks[0].meta["aisle"], "dairy");
        assert!(b.tasks[1].meta.is_empty(), "empty cells are not kept as meta");
        assert_eq!(b.project.workflow.overlap, 2);
        let control = &b.project.schema.controls[0];
        assert_eq!(control.labels[1].section, "#fresh-fruit");
        assert!(b.guidelines.contains("\n## Fresh fruit\n"), "each label has a section to fill in");
        // Hotkeys are assigned by the parser, as for any bundle without them.
        assert_eq!(control.labels.iter().map(|l| l.hotkey.clone().unwrap()).collect::<Vec<_>>(), ["1", "2"]);
    }

    trait OrDefault {
        fn ok_or_default(self) -> Result<String, String>;
    }
    impl OrDefault for Option<String> {
        fn ok_or_default(self) -> Result<String, String> {
            self.ok_or_else(|| "missing".to_string())
        }
    }

    #[test]
    fn texts_without_ids_are_numbered_by_row_and_can_take_spans() {
        let made = new_bundle(
            "t.csv",
            "text\nAda went to Paris.\n\"Quoted, with a comma\"\n".as_bytes(),
            &spec(ControlKind::Spans, &["PER", "LOC"]),
        )
        .unwrap();
        let b =
            load_bundle(|p| made.files.iter().find(|(q, _)| q == p).map(|(_, t)| t.clone()).ok_or_default()).unwrap();
        assert_eq!(b.tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["t000001", "t000002"]);
        assert_eq!(b.tasks[1].data.text.as_deref(), Some("Quoted, with a comma"));
        assert_eq!(b.project.schema.data, DataKind::Text);
    }

    #[test]
    fn bad_items_are_refused_with_the_file_line_and_reason() {
        let at = |e: concord_engine::InputError, line: usize, reason: &str| {
            assert_eq!((e.file.as_str(), &e.place), ("items.csv", &Place::Line { line, column: None }), "{e}");
            assert!(e.reason.contains(reason), "{e}");
        };
        at(err("id,text\na,x\na,y\n", ControlKind::SingleChoice, &["x"]), 3, "task id `a` is used twice");
        at(err("id,text\na,x\n,y\n", ControlKind::SingleChoice, &["x"]), 3, "the `id` cell is empty");
        at(err("text\nok\n\"\"\n", ControlKind::SingleChoice, &["x"]), 3, "the `text` cell is empty");
        at(err("image\njavascript:alert(1)\n", ControlKind::Boxes, &["car"]), 2, "javascript:alert(1)");
        at(err("image,width\na.png,-3\n", ControlKind::Boxes, &["car"]), 2, "positive number of pixels");
        let whole = |e: concord_engine::InputError, reason: &str| {
            assert_eq!(e.place, Place::File, "{e}");
            assert!(e.reason.contains(reason), "{e}");
        };
        whole(err("name\nx\n", ControlKind::SingleChoice, &["x"]), "needs a `text` column");
        whole(err("text,image\nx,y\n", ControlKind::SingleChoice, &["x"]), "both a `text` and an `image`");
        whole(err("text\nhello\n", ControlKind::Boxes, &["car"]), "boxes need image data");
        whole(err("image\na.png\n", ControlKind::Spans, &["PER"]), "spans need text data");
        whole(err("text\n", ControlKind::SingleChoice, &["x"]), "no items");
        whole(err("text\nx\n", ControlKind::SingleChoice, &[]), "give the labels");
        whole(err("text\nx\n", ControlKind::SingleChoice, &["a", "a"]), "`a` is given twice");
        whole(err("text\nx\n", ControlKind::Rating, &["1", "low"]), "`low` is not");
        whole(err("text\nx\n", ControlKind::Rating, &["3", "2"]), "ascending");
    }
}

#[test]
fn the_pilot_gate_rule_defaults_to_the_lower_bound_and_a_risk_outside_zero_to_a_half_is_refused() {
    use concord_engine::bundle::GateRule;
    let b = load(&files()).unwrap();
    assert_eq!(b.project.workflow.pilot.unwrap().decide_by, GateRule::LowerBound);
    let f = with_manifest(|m| m["workflow"]["pilot"]["decide_by"] = json!({"risk": 0.05}));
    assert_eq!(load(&f).unwrap().project.workflow.pilot.unwrap().decide_by, GateRule::Risk(0.05));
    let f = with_manifest(|m| m["workflow"]["pilot"]["decide_by"] = json!("point_estimate"));
    assert_eq!(load(&f).unwrap().project.workflow.pilot.unwrap().decide_by, GateRule::PointEstimate);
    let f = with_manifest(|m| m["workflow"]["pilot"]["decide_by"] = json!({"risk": 0.7}));
    assert_err(&f, "project.json", path("$.workflow.pilot.decide_by.risk"), "0.7 is not a risk in (0, 0.5)");
    let f = with_manifest(|m| m["workflow"]["pilot"]["decide_by"] = json!("median"));
    assert_err(&f, "project.json", path("$.workflow.pilot.decide_by"), "unknown variant `median`");
}

#[test]
fn a_sync_folder_is_https_or_this_machine_or_beside_the_bundle() {
    for ok in [
        "../sync/",
        "sync/",
        "https://dav.example.org/team/",
        "http://127.0.0.1:8090/sync/",
        "http://localhost/s/",
        "http://[::1]:9/s/",
    ] {
        let f = with_manifest(|m| m["sync"] = json!({"url": ok}));
        let b = load(&f).unwrap_or_else(|e| panic!("{ok}: {e}"));
        assert_eq!(b.project.sync.as_ref().map(|s| s.url.as_str()), Some(ok));
    }
    for (bad, why) in [
        ("http://dav.example.org/team/", "plain http:// only reaches this machine"),
        ("http://127.0.0.1.evil.org/s/", "plain http:// only reaches this machine"),
        ("http://localhost@evil.org/s/", "plain http:// only reaches this machine"),
        ("https://dav.example.org/team", "must end with `/`"),
        ("ftp://x/s/", "URL scheme not allowed"),
        ("javascript:alert(1)//", "URL scheme not allowed"),
        ("//evil.org/s/", "protocol-relative"),
        (" sync/", "surrounding whitespace"),
    ] {
        let f = with_manifest(|m| m["sync"] = json!({"url": bad}));
        assert_err(&f, "project.json", path("$.sync.url"), why);
    }
    let f = with_manifest(|m| m["sync"] = json!({"url": "sync/", "token": "secret"}));
    assert_err(&f, "project.json", path("$.sync.token"), "unknown field `token`");
}
