//! A real Label Studio server (the version `cargo xtask setup` installs into `target/label-studio-venv`), started
//! on loopback with a token and stopped by its PID. Annotations go in through its REST API as an annotator makes
//! them; the server exports them as JSON, JSON_MIN, CSV and TSV; Concord reads each export back to the same
//! annotations: exact classes and ratings, exact code-point offsets on text with emoji, CJK and a combining mark.
//!
//! Concord bundles go in as `concord bundle to-label-studio` writes them (label config, tasks with gold and
//! predictions); Concord's annotations are posted; JSON, JSON_MIN, CSV, COCO and YOLO exports come back to 1e-6 px.
//!
//! Without the virtualenv the test says so and passes; under `CI=true` it fails (setup installs the server).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use concord_engine::bundle::AnnotationRecord;
use concord_engine::formats::label_studio::{read_label_studio, LsExport, Region};
use concord_engine::formats::label_studio_config::parse_label_config;
use concord_engine::formats::label_studio_flat::{read_label_studio_csv, read_label_studio_min};
use concord_engine::formats::{detect_format, label_studio_csv_delimiter, Format};
use concord_engine::model::{BoxRegion, ControlValue, TaskResult};

const PORT: u16 = 8977;
const TOKEN: &str = "0123456789abcdef0123456789abcdef";

const CONFIG: &str = r#"<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
  <Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices>
  <Rating name="quality" toName="text" maxRating="5"/>
</View>"#;

/// Texts whose code points, UTF-16 units and bytes all differ, with CRLF and a blank line in one.
const TEXTS: [&str; 3] = [
    "😀😀 Ann met Bea in 東京 with Zoe\u{301}.",
    "No one here.\r\n\r\nJust 🌧️ rain over Zürich.",
    "Li Wei (李伟) flew to Zoe\u{301}'s town 🛫 on Monday.",
];

/// What the annotator gives each text: (spans as (text, label), sentiment, rating).
fn answers() -> [(Vec<(&'static str, &'static str)>, &'static str, u32); 3] {
    [
        (vec![("Ann", "PER"), ("東京", "LOC"), ("Zoe\u{301}", "PER")], "Positive", 4),
        (vec![("Zürich", "LOC")], "Negative", 2),
        (vec![("Li Wei", "PER"), ("李伟", "PER"), ("Zoe\u{301}", "PER")], "Positive", 5),
    ]
}

/// Code-point offsets of `needle` in `text`, worked out here apart from the engine.
fn span(text: &str, needle: &str) -> (u32, u32) {
    let byte = text.find(needle).unwrap();
    let start = text[..byte].chars().count() as u32;
    (start, start + needle.chars().count() as u32)
}

struct Server {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        // Stopped by the PID it was started with.
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(venv: &std::path::Path) -> Server {
        let data = std::env::temp_dir().join(format!("concord-label-studio-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).unwrap();
        let log = std::fs::File::create(data.join("server.log")).unwrap();
        let child = Command::new(venv.join("bin/label-studio"))
            .args(["start", "--internal-host", "127.0.0.1", "--port", &PORT.to_string(), "--no-browser"])
            .arg("--data-dir")
            .arg(&data)
            .args(["--username", "annotator@concord.test", "--password", "concord-pass-1", "--user-token", TOKEN])
            .arg("--enable-legacy-api-token")
            .env("LATEST_VERSION_CHECK", "false")
            .env("COLLECT_ANALYTICS", "false")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("label-studio starts");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .new_agent();
        let server = Server { child, base: format!("http://127.0.0.1:{PORT}"), agent };
        let t0 = Instant::now();
        while server.call("GET", "/health", None).map(|(s, _)| s) != Ok(200) {
            assert!(
                t0.elapsed() < Duration::from_secs(240),
                "Label Studio did not answer on port {PORT} within 4 minutes: {}",
                std::fs::read_to_string(data.join("server.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(500));
        }
        server
    }

    fn call(&self, method: &str, path: &str, body: Option<&serde_json::Value>) -> Result<(u16, String), String> {
        let (status, bytes) = self.call_bytes(method, path, body)?;
        Ok((status, String::from_utf8(bytes).map_err(|e| e.to_string())?))
    }

    fn call_bytes(&self, method: &str, path: &str, body: Option<&serde_json::Value>) -> Result<(u16, Vec<u8>), String> {
        let builder = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("Authorization", format!("Token {TOKEN}"))
            .header("Content-Type", "application/json");
        let request = builder.body(body.map(|b| b.to_string()).unwrap_or_default()).map_err(|e| e.to_string())?;
        let mut response = self.agent.run(request).map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let bytes = response.body_mut().with_config().limit(1 << 28).read_to_vec().map_err(|e| e.to_string())?;
        Ok((status, bytes))
    }

    fn json(&self, method: &str, path: &str, body: Option<&serde_json::Value>) -> serde_json::Value {
        let (status, text) = self.call(method, path, body).unwrap();
        assert!((200..300).contains(&status), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}"))
    }
}

fn venv() -> Option<PathBuf> {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/label-studio-venv");
    if venv.join("bin/label-studio").exists() {
        return Some(venv);
    }
    let why = format!("{} is missing: run `cargo xtask setup`", venv.display());
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{why}");
    eprintln!("skipped: {why}");
    None
}

/// A CONLL2003 export's documents (strict chunks) and the labels they name.
fn conll_documents(conll: &str) -> (Vec<(u32, Vec<concord_engine::model::Span>)>, concord_engine::model::Interner) {
    let (mut items, mut labels) = (Default::default(), Default::default());
    let docs = concord_engine::formats::bio::read_conll2003(
        "export.conll",
        conll,
        concord_engine::formats::bio::ChunkMode::Strict,
        &mut items,
        &mut labels,
    )
    .unwrap();
    (docs, labels)
}

/// Each annotation's regions, in an order of their own.
fn regions(e: &LsExport) -> Vec<(String, Vec<String>)> {
    let mut v: Vec<(String, Vec<String>)> = e
        .annotations
        .iter()
        .map(|a| {
            let mut r: Vec<String> = a.regions.iter().map(|r| format!("{r:?}")).collect();
            r.sort();
            (a.task.clone(), r)
        })
        .collect();
    v.sort();
    v
}

/// One server for every project (it takes seconds to start): a text project made through the API, and projects
/// made from Concord bundles with `bundle to-label-studio`'s files.
#[test]
fn a_real_label_studio_server_round_trips_concord_projects_and_annotations() {
    let Some(venv) = venv() else { return };
    let server = Server::start(&venv);
    let version = server.json("GET", "/api/version", None);
    assert_eq!(version["release"], "1.23.2", "{version}");
    annotations_made_through_the_api_read_back_the_same_from_json_json_min_csv_tsv_and_conll(&server);
    a_box_bundle_goes_in_and_its_gold_and_annotations_come_back_from_json_json_min_csv_coco_yolo_and_voc(&server);
    a_bundle_with_predictions_goes_in_and_they_come_back(&server);
    a_span_bundle_goes_in_and_its_gold_comes_back_from_json_and_conll(&server);
    a_polygon_bundle_goes_in_and_its_gold_comes_back_from_json_and_yolo(&server);
    a_point_cloud_bundles_camera_boxes_go_in_and_their_gold_comes_back(&server);
}

fn annotations_made_through_the_api_read_back_the_same_from_json_json_min_csv_tsv_and_conll(server: &Server) {
    let project =
        server.json("POST", "/api/projects", Some(&serde_json::json!({"title": "Round trip", "label_config": CONFIG})));
    let pid = project["id"].as_u64().unwrap();
    let tasks: Vec<serde_json::Value> = TEXTS.iter().map(|t| serde_json::json!({"data": {"text": t}})).collect();
    server.json("POST", &format!("/api/projects/{pid}/import"), Some(&serde_json::Value::Array(tasks)));
    let listed = server.json("GET", &format!("/api/tasks?project={pid}&page_size=100"), None);
    let listed = listed.get("tasks").cloned().unwrap_or(listed);
    let mut ids: Vec<(u64, String)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_u64().unwrap(), t["data"]["text"].as_str().unwrap().to_string()))
        .collect();
    ids.sort();
    assert_eq!(ids.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>(), TEXTS, "the server keeps the texts as sent");

    // The annotator's annotations, posted as the frontend posts them; and what Concord must read back, built here.
    let mut expected: Vec<(String, Vec<String>)> = Vec::new();
    for ((tid, text), (spans, sentiment, rating)) in ids.iter().zip(answers()) {
        let mut result = vec![
            serde_json::json!({"from_name": "sentiment", "to_name": "text", "type": "choices", "origin": "manual", "value": {"choices": [sentiment]}}),
            serde_json::json!({"from_name": "quality", "to_name": "text", "type": "rating", "origin": "manual", "value": {"rating": rating}}),
        ];
        let mut regions = vec![
            format!("{:?}", Region::Choices { control: "sentiment".into(), choices: vec![sentiment.into()] }),
            format!("{:?}", Region::Choices { control: "quality".into(), choices: vec![rating.to_string()] }),
        ];
        for (k, (needle, label)) in spans.iter().enumerate() {
            let (start, end) = span(text, needle);
            result.push(serde_json::json!({"id": format!("s{k}"), "from_name": "ner", "to_name": "text", "type": "labels", "origin": "manual",
                "value": {"start": start, "end": end, "text": needle, "labels": [label]}}));
            regions.push(format!(
                "{:?}",
                Region::Span {
                    control: "ner".into(),
                    start,
                    end,
                    labels: vec![label.to_string()],
                    attributes: Default::default()
                }
            ));
        }
        regions.sort();
        expected.push((tid.to_string(), regions));
        server.json(
            "POST",
            &format!("/api/tasks/{tid}/annotations/?project={pid}"),
            Some(&serde_json::json!({"result": result})),
        );
    }
    expected.sort();

    let config = parse_label_config("config.xml", CONFIG).unwrap();
    let export = |kind: &str| {
        let (status, text) =
            server.call("GET", &format!("/api/projects/{pid}/export?exportType={kind}"), None).unwrap();
        assert_eq!(status, 200, "{kind}: {text}");
        text
    };
    // Each export is told apart by its content, as the CLI does, and read.
    let full = export("JSON");
    assert_eq!(detect_format("export.json", "json", full.as_bytes()).unwrap(), Format::LabelStudio);
    let full = read_label_studio("export.json", &full).unwrap();
    assert_eq!(regions(&full), expected, "JSON");
    let annotator = full.annotations[0].annotator.clone();
    assert!(full.annotations.iter().all(|a| a.annotator == annotator && !a.ground_truth));

    let min = export("JSON_MIN");
    assert_eq!(detect_format("export.json", "json", min.as_bytes()).unwrap(), Format::LabelStudioMin);
    let min = read_label_studio_min("export_min.json", &min, &config).unwrap();
    assert_eq!(regions(&min), expected, "JSON_MIN");
    for kind in ["CSV", "TSV"] {
        let text = export(kind);
        assert_eq!(detect_format("export.csv", "csv", text.as_bytes()).unwrap(), Format::LabelStudioCsv, "{kind}");
        let delimiter = label_studio_csv_delimiter(text.as_bytes());
        assert_eq!(delimiter, if kind == "TSV" { b'\t' } else { b',' });
        let read = read_label_studio_csv("export.csv", text.as_bytes(), &config, delimiter).unwrap();
        assert_eq!(regions(&read), expected, "{kind}");
        // Every export names the annotator alike.
        assert!(read.annotations.iter().all(|a| a.annotator == annotator), "{kind}");
    }
    assert!(min.annotations.iter().all(|a| a.annotator == annotator));

    // CONLL2003: Treebank tokens, no task id, no annotator, one block per annotation in task order. What survives is
    // each document's entities in order: every span here covers whole tokens, so each is one chunk of its label.
    let conll = export("CONLL2003");
    assert_eq!(detect_format("export.conll", "conll", conll.as_bytes()).unwrap(), Format::Conll2003);
    let (docs, labels) = conll_documents(&conll);
    assert_eq!(docs.len(), TEXTS.len());
    for ((_, chunks), (text, (spans, _, _))) in docs.iter().zip(TEXTS.iter().zip(answers())) {
        let mut by_start: Vec<(u32, &str)> =
            spans.iter().map(|(needle, label)| (span(text, needle).0, *label)).collect();
        by_start.sort();
        let got: Vec<&str> = chunks.iter().map(|c| labels.name(c.label)).collect();
        assert_eq!(got, by_start.iter().map(|(_, l)| *l).collect::<Vec<_>>(), "{text}");
    }
}

/// A demo bundle as `concord bundle to-label-studio` writes it (the CLI, as a user runs it).
fn to_label_studio(bundle: &str) -> (String, serde_json::Value) {
    to_label_studio_in(bundle, "")
}

/// The label config and tasks `concord bundle to-label-studio` writes in `folder` of its output (a point-cloud
/// bundle's camera side is in a folder per camera).
fn to_label_studio_in(bundle: &str, folder: &str) -> (String, serde_json::Value) {
    let out = std::env::temp_dir().join(format!("concord-to-ls-{bundle}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/demo").join(bundle);
    let run = Command::new(env!("CARGO_BIN_EXE_concord"))
        .args(["bundle", "to-label-studio"])
        .arg(&demo)
        .arg(&out)
        .args(["--image-root", "http://127.0.0.1:9/images-are-not-fetched"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let config = std::fs::read_to_string(out.join(folder).join("label_config.xml")).unwrap();
    let tasks = serde_json::from_str(&std::fs::read_to_string(out.join(folder).join("tasks.json")).unwrap()).unwrap();
    let _ = std::fs::remove_dir_all(&out);
    (config, tasks)
}

fn load_demo(bundle: &str) -> concord_engine::bundle::LoadedBundle {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/demo").join(bundle);
    concord_engine::bundle::load_bundle(|p| std::fs::read_to_string(dir.join(p)).map_err(|e| e.to_string())).unwrap()
}

/// The bundle's task whose image an export names: Label Studio writes `<8 hex>__<image name>` (YOLO's label files
/// and COCO's file names), with the image's extension or the label file's.
fn task_showing<'b>(bundle: &'b concord_engine::bundle::LoadedBundle, file: &str) -> &'b concord_engine::model::Task {
    let stem_of = |name: &str| {
        let name = name.rsplit('/').next().unwrap();
        let name = name.split_once("__").map_or(name, |(_, n)| n);
        name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
    };
    let stem = stem_of(file);
    bundle
        .tasks
        .iter()
        .find(|t| t.data.image.as_deref().is_some_and(|i| stem_of(i) == stem))
        .unwrap_or_else(|| panic!("no task shows {file}"))
}

/// A project made from `config`, with `tasks` imported; its tasks' Label Studio ids by Concord id.
fn project(server: &Server, title: &str, config: &str, tasks: &serde_json::Value) -> (u64, BTreeMap<String, u64>) {
    let p = server.json("POST", "/api/projects", Some(&serde_json::json!({"title": title, "label_config": config})));
    let pid = p["id"].as_u64().unwrap();
    let imported = server.json("POST", &format!("/api/projects/{pid}/import"), Some(tasks));
    assert_eq!(imported["task_count"].as_u64(), Some(tasks.as_array().unwrap().len() as u64), "{imported}");
    let listed = server.json("GET", &format!("/api/tasks?project={pid}&page_size=1000"), None);
    let listed = listed.get("tasks").cloned().unwrap_or(listed);
    let ids = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["data"]["concord_id"].as_str().unwrap().to_string(), t["id"].as_u64().unwrap()))
        .collect();
    (pid, ids)
}

fn export_bytes(server: &Server, pid: u64, kind: &str) -> Vec<u8> {
    let (status, bytes) =
        server.call_bytes("GET", &format!("/api/projects/{pid}/export?exportType={kind}"), None).unwrap();
    assert_eq!(status, 200, "{kind}");
    bytes
}

/// The files of a zipped export, unpacked with Python's zipfile (the server's own runtime).
fn unzip(bytes: &[u8], kind: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("concord-ls-{kind}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("export.zip"), bytes).unwrap();
    let ok =
        Command::new("python3").args(["-m", "zipfile", "-e", "export.zip", "."]).current_dir(&dir).status().unwrap();
    assert!(ok.success(), "{kind}: not a zip");
    dir
}

/// Boxes equal to 1e-6 px, with labels and attributes equal.
fn same_boxes(got: &[BoxRegion], want: &[BoxRegion]) -> bool {
    got.len() == want.len()
        && got.iter().zip(want).all(|(a, b)| {
            a.label == b.label
                && a.attributes == b.attributes
                && [(a.x, b.x), (a.y, b.y), (a.w, b.w), (a.h, b.h)].iter().all(|(p, q)| (p - q).abs() <= 1e-6)
        })
}

fn boxes_of(result: &TaskResult, control: &str) -> Vec<BoxRegion> {
    match result.0.get(control) {
        Some(ControlValue::Boxes(b)) => b.clone(),
        _ => Vec::new(),
    }
}

/// The shelf demo (boxes with bool attributes) goes in with its gold as ground truth; an annotator's work, made in
/// Concord, is posted through the API; each export brings back the gold and the annotations to 1e-6 px.
fn a_box_bundle_goes_in_and_its_gold_and_annotations_come_back_from_json_json_min_csv_coco_yolo_and_voc(
    server: &Server,
) {
    use concord_engine::formats::coco::read_coco_ground_truth;
    use concord_engine::formats::label_studio_bundle::{result_from_regions, schema_from_label_config};
    use concord_engine::formats::label_studio_write::write_label_studio;
    use concord_engine::formats::yolo::{read_yolo_classes, read_yolo_labels};

    let bundle = load_demo("shelf");
    let (config_text, tasks) = to_label_studio("shelf");
    let (pid, ids) = project(server, "Shelves from Concord", &config_text, &tasks);
    assert_eq!(ids.len(), bundle.tasks.len());
    let config = parse_label_config("label_config.xml", &config_text).unwrap();
    let schema = schema_from_label_config("label_config.xml", &config).unwrap();

    // An annotator's work done in Concord on the first gold tasks: the gold, nudged by fractions of a pixel.
    let mut records = Vec::new();
    for g in bundle.gold.iter().take(6) {
        let mut result = g.result.clone();
        if let Some(ControlValue::Boxes(boxes)) = result.0.get_mut("objects") {
            for b in boxes.iter_mut() {
                b.x += 0.37;
                b.y = (b.y - 0.21).max(0.0);
            }
        }
        records.push(AnnotationRecord {
            task: g.task.clone(),
            annotator: "annotator@concord.test".into(),
            result,
            guideline_version: String::new(),
        });
    }
    let task_refs: Vec<&concord_engine::model::Task> = bundle.tasks.iter().collect();
    let concord_export: serde_json::Value =
        serde_json::from_str(&write_label_studio(&task_refs, &records).unwrap()).unwrap();
    for t in concord_export.as_array().unwrap() {
        let id = t["data"]["concord_id"].as_str().unwrap();
        let result = &t["annotations"][0]["result"];
        server.json(
            "POST",
            &format!("/api/tasks/{}/annotations/?project={pid}", ids[id]),
            Some(&serde_json::json!({"result": result})),
        );
    }
    let gold: BTreeMap<&str, &TaskResult> = bundle.gold.iter().map(|g| (g.task.as_str(), &g.result)).collect();
    let made: BTreeMap<&str, &TaskResult> = records.iter().map(|r| (r.task.as_str(), &r.result)).collect();

    // JSON, JSON_MIN, CSV: every annotation, ground truth apart, under the bundle's task ids. The flat exports list
    // per-region choices as one column per annotation without their regions (26 values for 33 boxes): attributes
    // come back from JSON only.
    let without_attributes = |mut boxes: Vec<BoxRegion>| {
        boxes.iter_mut().for_each(|b| b.attributes.clear());
        boxes
    };
    let check = |what: &str, e: &LsExport| {
        let flat = what != "JSON";
        let (mut gold_seen, mut made_seen) = (0, 0);
        let expect = |r: &TaskResult| {
            let boxes = boxes_of(r, "objects");
            if flat {
                without_attributes(boxes)
            } else {
                boxes
            }
        };
        // The flat exports have no ground-truth flag: each annotation must be the gold or the annotator's work.
        for a in &e.annotations {
            let got = boxes_of(&result_from_regions(&schema, &a.regions).0, "objects");
            let is_gold = same_boxes(&got, &expect(gold[a.task.as_str()]));
            let is_made = made.get(a.task.as_str()).is_some_and(|m| same_boxes(&got, &expect(m)));
            assert!(is_gold || is_made, "{what}: task {}: {got:?} is neither the gold nor the annotation", a.task);
            if !flat {
                assert_eq!(a.ground_truth, is_gold, "{what}: task {}", a.task);
            }
            gold_seen += usize::from(is_gold);
            made_seen += usize::from(is_made);
        }
        assert_eq!((gold_seen, made_seen), (gold.len(), made.len()), "{what}");
    };
    // Without `download_all_tasks=true` the server exports only the tasks that have annotations.
    let full = String::from_utf8(export_bytes(server, pid, "JSON&download_all_tasks=true")).unwrap();
    let full = read_label_studio("export.json", &full).unwrap();
    assert_eq!(full.tasks.len(), bundle.tasks.len());
    assert_eq!(
        full.annotations.iter().filter(|a| a.ground_truth).count(),
        gold.len(),
        "gold comes back as ground truth"
    );
    check("JSON", &full);
    let min = String::from_utf8(export_bytes(server, pid, "JSON_MIN")).unwrap();
    check("JSON_MIN", &read_label_studio_min("export_min.json", &min, &config).unwrap());
    let csv = export_bytes(server, pid, "CSV");
    check(
        "CSV",
        &read_label_studio_csv("export.csv", csv.as_slice(), &config, label_studio_csv_delimiter(&csv)).unwrap(),
    );

    // COCO and YOLO keep one annotation per image, the earliest: the gold. Images are named `<8 hex>__<name>`.
    let task_of_image = |file: &str| task_showing(&bundle, file);
    let coco_dir = unzip(&export_bytes(server, pid, "COCO"), "coco");
    let coco =
        read_coco_ground_truth("result.json", &std::fs::read_to_string(coco_dir.join("result.json")).unwrap()).unwrap();
    let names = coco.category_names();
    // COCO has an image entry per annotation: each must be the gold or the annotator's work, without attributes.
    let (mut coco_gold, mut coco_made) = (0, 0);
    for (k, image) in coco.images.iter().enumerate() {
        let task = task_of_image(&image.file_name);
        let got: Vec<BoxRegion> = coco
            .boxes
            .iter()
            .filter(|b| b.image as usize == k)
            .map(|b| BoxRegion {
                x: b.bbox[0],
                y: b.bbox[1],
                w: b.bbox[2],
                h: b.bbox[3],
                label: names[b.category as usize].clone(),
                attributes: Default::default(),
                score: None,
            })
            .collect();
        let is_gold =
            gold.get(task.id.as_str()).is_some_and(|g| same_boxes(&got, &without_attributes(boxes_of(g, "objects"))));
        let is_made =
            made.get(task.id.as_str()).is_some_and(|m| same_boxes(&got, &without_attributes(boxes_of(m, "objects"))));
        assert!(is_gold || is_made, "COCO: {}: {} boxes, neither the gold nor the annotation", task.id, got.len());
        coco_gold += usize::from(is_gold);
        coco_made += usize::from(is_made);
    }
    assert_eq!((coco_gold, coco_made), (gold.len(), made.len()), "COCO");

    let yolo_dir = unzip(&export_bytes(server, pid, "YOLO"), "yolo");
    let classes =
        read_yolo_classes("classes.txt", &std::fs::read_to_string(yolo_dir.join("classes.txt")).unwrap()).unwrap();
    let mut yolo_images = 0;
    for entry in std::fs::read_dir(yolo_dir.join("labels")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let task = task_of_image(&name);
        let (w, h) = (task.data.width.unwrap(), task.data.height.unwrap());
        let read = read_yolo_labels(&name, &std::fs::read_to_string(&path).unwrap(), &classes, w, h).unwrap();
        let Some(want) = gold.get(task.id.as_str()) else { continue };
        yolo_images += 1;
        assert!(same_boxes(&read.boxes, &without_attributes(boxes_of(want, "objects"))), "YOLO: {}", task.id);
    }
    assert_eq!(yolo_images, gold.len(), "YOLO");
    // VOC: one file per image in Annotations/, the earliest annotation (the gold), x, y, width and height each truncated to whole pixels.
    let voc_dir = unzip(&export_bytes(server, pid, "VOC"), "voc");
    let mut voc_images = 0;
    for entry in std::fs::read_dir(voc_dir.join("Annotations")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let read =
            concord_engine::formats::voc::read_voc(&name, &std::fs::read_to_string(&path).unwrap(), "?").unwrap();
        let task = task_of_image(&read.tasks[0].0);
        let Some(want) = gold.get(task.id.as_str()) else { continue };
        voc_images += 1;
        assert_eq!(read.annotations[0].annotator, "1", "VOC names the annotator by user id");
        let got: Vec<BoxRegion> = read.annotations[0]
            .regions
            .iter()
            .map(|r| match r {
                Region::Rect { x, y, w, h, labels, .. } => BoxRegion {
                    x: *x,
                    y: *y,
                    w: *w,
                    h: *h,
                    label: labels[0].clone(),
                    attributes: Default::default(),
                    score: None,
                },
                other => panic!("{other:?}"),
            })
            .collect();
        // The converter (label_studio_sdk's convert_to_voc) truncates each of x, y, width and height on its own:
        // int(percent / 100 · size).
        let (iw, ih) = (task.data.width.unwrap(), task.data.height.unwrap());
        let truncated = |value: f64, size: f64| (value * 100.0 / size / 100.0 * size).trunc();
        let rounded: Vec<BoxRegion> = boxes_of(want, "objects")
            .into_iter()
            .map(|b| BoxRegion {
                x: truncated(b.x, iw),
                y: truncated(b.y, ih),
                w: truncated(b.w, iw),
                h: truncated(b.h, ih),
                attributes: Default::default(),
                ..b
            })
            .collect();
        assert!(same_boxes(&got, &rounded), "VOC: {}", task.id);
    }
    assert_eq!(voc_images, gold.len(), "VOC");
    let _ = std::fs::remove_dir_all(coco_dir);
    let _ = std::fs::remove_dir_all(yolo_dir);
    let _ = std::fs::remove_dir_all(voc_dir);

    // The way back: the JSON export is the bundle again (ids, data, meta, gold).
    let back = concord_engine::formats::label_studio_bundle::bundle_from_label_studio(
        "export.json",
        &config,
        &full,
        "shelf-back",
        "back",
    )
    .unwrap();
    let back = concord_engine::bundle::load_bundle(|p| {
        back.files.iter().find(|(q, _)| q == p).map(|(_, t)| t.clone()).ok_or_else(|| format!("no {p}"))
    })
    .unwrap();
    let mut want_tasks = bundle.tasks.clone();
    for t in want_tasks.iter_mut() {
        t.data.image = t.data.image.as_ref().map(|i| format!("http://127.0.0.1:9/images-are-not-fetched/{i}"));
    }
    assert_eq!(back.tasks.len(), want_tasks.len());
    for (got, want) in back.tasks.iter().zip(&want_tasks) {
        assert_eq!(got, want, "tasks come back under their ids, with their data and meta");
    }
    assert_eq!(back.gold.len(), bundle.gold.len());
}

/// The retail demo's model predictions go in as Label Studio predictions and come back with their model and the
/// chosen label's probability.
fn a_bundle_with_predictions_goes_in_and_they_come_back(server: &Server) {
    let bundle = load_demo("retail");
    assert!(!bundle.predictions.is_empty());
    let (config, tasks) = to_label_studio("retail");
    let (pid, _) = project(server, "Retail from Concord", &config, &tasks);
    // The quick export (`GET …/export`) lists predictions by id only; the snapshot export carries them whole.
    let quick = String::from_utf8(export_bytes(server, pid, "JSON&download_all_tasks=true")).unwrap();
    assert!(read_label_studio("export.json", &quick).unwrap().predictions.is_empty());
    let options = serde_json::json!({"serialization_options": {"predictions": {"only_id": false}}});
    let snapshot = server.json("POST", &format!("/api/projects/{pid}/exports/"), Some(&options));
    assert_eq!(snapshot["status"], "completed", "{snapshot}");
    let path = format!("/api/projects/{pid}/exports/{}/download?exportType=JSON", snapshot["id"]);
    let (status, full) = server.call("GET", &path, None).unwrap();
    assert_eq!(status, 200);
    let full = read_label_studio("export.json", &full).unwrap();
    assert_eq!(full.predictions.len(), bundle.predictions.len());
    let by_task: BTreeMap<&str, &concord_engine::formats::label_studio::LsPrediction> =
        full.predictions.iter().map(|p| (p.task.as_str(), p)).collect();
    for p in &bundle.predictions {
        let got = by_task[p.task.as_str()];
        assert_eq!(got.model, p.model);
        let ControlValue::Choices(chosen) = &p.result.0["category"] else { panic!("a choice") };
        assert_eq!(
            got.regions,
            vec![Region::Choices { control: "category".into(), choices: chosen.clone() }],
            "{}",
            p.task
        );
        assert_eq!(got.score, p.scores["category"][&chosen[0]].as_f64(), "{}", p.task);
    }
}

/// The news demo (entity spans on texts) goes in with its gold as ground truth; the JSON export gives every span
/// back at its code points, and CONLL2003 gives each gold document's entities in order.
fn a_span_bundle_goes_in_and_its_gold_comes_back_from_json_and_conll(server: &Server) {
    let bundle = load_demo("news");
    let (config, tasks) = to_label_studio("news");
    let (pid, _) = project(server, "News from Concord", &config, &tasks);
    let full = String::from_utf8(export_bytes(server, pid, "JSON&download_all_tasks=true")).unwrap();
    let full = read_label_studio("export.json", &full).unwrap();
    assert_eq!(full.tasks.len(), bundle.tasks.len());
    let mut got: Vec<(String, u32, u32, String)> = full
        .annotations
        .iter()
        .flat_map(|a| {
            a.regions.iter().filter_map(move |r| match r {
                Region::Span { start, end, labels, .. } => Some((a.task.clone(), *start, *end, labels[0].clone())),
                _ => None,
            })
        })
        .collect();
    let mut want: Vec<(String, u32, u32, String)> = bundle
        .gold
        .iter()
        .flat_map(|g| match &g.result.0["entities"] {
            ControlValue::Spans(s) => {
                s.iter().map(|s| (g.task.clone(), s.start as u32, s.end as u32, s.label.clone())).collect::<Vec<_>>()
            }
            _ => Vec::new(),
        })
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "spans at their code points");
    // CONLL2003: a block per annotation (the gold), entities in document order.
    let (docs, _) = conll_documents(&String::from_utf8(export_bytes(server, pid, "CONLL2003")).unwrap());
    assert_eq!(docs.len(), bundle.gold.len());
    let entities: usize = docs.iter().map(|(_, chunks)| chunks.len()).sum();
    assert_eq!(entities, want.len(), "every gold entity is one chunk");
}

/// The aerial demo (polygons) goes in with its gold as ground truth; the JSON export and YOLO's segmentation lines
/// give every polygon back to 1e-6 px.
fn a_polygon_bundle_goes_in_and_its_gold_comes_back_from_json_and_yolo(server: &Server) {
    use concord_engine::formats::yolo::{read_yolo_classes, read_yolo_labels};
    let bundle = load_demo("aerial");
    let (config, tasks) = to_label_studio("aerial");
    let (pid, _) = project(server, "Aerial from Concord", &config, &tasks);
    let polygons = |r: &TaskResult| -> Vec<(String, Vec<[f64; 2]>)> {
        match r.0.get("outlines") {
            Some(ControlValue::Polygons(p)) => p.iter().map(|p| (p.label.clone(), p.points.clone())).collect(),
            _ => Vec::new(),
        }
    };
    let same = |a: &[(String, Vec<[f64; 2]>)], b: &[(String, Vec<[f64; 2]>)]| {
        a.len() == b.len()
            && a.iter().zip(b).all(|(p, q)| {
                p.0 == q.0
                    && p.1.len() == q.1.len()
                    && p.1.iter().zip(&q.1).all(|(u, v)| (u[0] - v[0]).abs() <= 1e-6 && (u[1] - v[1]).abs() <= 1e-6)
            })
    };
    let gold: BTreeMap<&str, &TaskResult> = bundle.gold.iter().map(|g| (g.task.as_str(), &g.result)).collect();
    let full = String::from_utf8(export_bytes(server, pid, "JSON")).unwrap();
    let full = read_label_studio("export.json", &full).unwrap();
    let config = parse_label_config("label_config.xml", &config).unwrap();
    let schema = concord_engine::formats::label_studio_bundle::schema_from_label_config("c", &config).unwrap();
    assert_eq!(full.annotations.len(), gold.len());
    for a in &full.annotations {
        let (got, _) = concord_engine::formats::label_studio_bundle::result_from_regions(&schema, &a.regions);
        assert!(same(&polygons(&got), &polygons(gold[a.task.as_str()])), "JSON: {}", a.task);
    }
    // YOLO: a segmentation line per polygon, fractions; the label file is named after the image.
    let dir = unzip(&export_bytes(server, pid, "YOLO"), "yolo-polygons");
    let classes = read_yolo_classes("classes.txt", &std::fs::read_to_string(dir.join("classes.txt")).unwrap()).unwrap();
    let mut seen = 0;
    for entry in std::fs::read_dir(dir.join("labels")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let task = task_showing(&bundle, &name);
        let (w, h) = (task.data.width.unwrap(), task.data.height.unwrap());
        let read = read_yolo_labels(&name, &std::fs::read_to_string(&path).unwrap(), &classes, w, h).unwrap();
        let got: Vec<(String, Vec<[f64; 2]>)> =
            read.polygons.iter().map(|p| (p.label.clone(), p.points.clone())).collect();
        assert!(same(&got, &polygons(gold[task.id.as_str()])), "YOLO: {}", task.id);
        seen += 1;
    }
    assert_eq!(seen, gold.len(), "YOLO");
    let _ = std::fs::remove_dir_all(dir);
}

/// The street demo's camera side (boxes on the front camera's image) goes in as an image project, each frame as the
/// camera's image with its Concord id; its gold comes back from the JSON export onto the frames, to 1e-6 px.
fn a_point_cloud_bundles_camera_boxes_go_in_and_their_gold_comes_back(server: &Server) {
    let bundle = load_demo("street");
    let (config, tasks) = to_label_studio_in("street", "front");
    assert!(config.contains("<Image name=\"image\"") && config.contains("RectangleLabels name=\"camera_objects\""));
    let (pid, ids) = project(server, "Street cameras from Concord", &config, &tasks);
    assert_eq!(ids.len(), bundle.tasks.len(), "every frame goes in as its camera's image");
    let full = String::from_utf8(export_bytes(server, pid, "JSON")).unwrap();
    let full = read_label_studio("export.json", &full).unwrap();
    let config = parse_label_config("label_config.xml", &config).unwrap();
    let schema = concord_engine::formats::label_studio_bundle::schema_from_label_config("c", &config).unwrap();
    assert_eq!(full.annotations.len(), bundle.gold.len());
    for a in &full.annotations {
        let gold =
            bundle.gold.iter().find(|g| g.task == a.task).unwrap_or_else(|| panic!("{} is no gold frame", a.task));
        let (got, _) = concord_engine::formats::label_studio_bundle::result_from_regions(&schema, &a.regions);
        let want = boxes_of(&gold.result, "camera_objects");
        assert!(!want.is_empty());
        assert!(same_boxes(&boxes_of(&got, "camera_objects"), &want), "JSON: {}", a.task);
    }
}
