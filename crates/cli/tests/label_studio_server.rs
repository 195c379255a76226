//! A real Label Studio server (the version `cargo xtask setup` installs into `target/label-studio-venv`), started
//! on loopback with a token and stopped by its PID. Annotations go in through its REST API as an annotator makes
//! them; the server exports them as JSON, JSON_MIN, CSV and TSV; Concord reads each export back to the same
//! annotations: exact classes and ratings, exact code-point offsets on text with emoji, CJK and a combining mark.
//!
//! Without the virtualenv the test says so and passes; under `CI=true` it fails (setup installs the server).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use concord_engine::formats::label_studio::{read_label_studio, LsExport, Region};
use concord_engine::formats::label_studio_config::parse_label_config;
use concord_engine::formats::label_studio_flat::{read_label_studio_csv, read_label_studio_min};
use concord_engine::formats::{detect_format, label_studio_csv_delimiter, Format};

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
        let builder = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("Authorization", format!("Token {TOKEN}"))
            .header("Content-Type", "application/json");
        let request = builder.body(body.map(|b| b.to_string()).unwrap_or_default()).map_err(|e| e.to_string())?;
        let mut response = self.agent.run(request).map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let text = response.body_mut().with_config().limit(1 << 28).read_to_string().map_err(|e| e.to_string())?;
        Ok((status, text))
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

#[test]
fn annotations_made_through_a_real_server_read_back_the_same_from_json_json_min_csv_and_tsv() {
    let Some(venv) = venv() else { return };
    let server = Server::start(&venv);
    let version = server.json("GET", "/api/version", None);
    assert_eq!(version["release"], "1.23.2", "{version}");
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
    let (mut items, mut labels) = (Default::default(), Default::default());
    let docs = concord_engine::formats::bio::read_conll2003(
        "export.conll",
        &conll,
        concord_engine::formats::bio::ChunkMode::Strict,
        &mut items,
        &mut labels,
    )
    .unwrap();
    assert_eq!(docs.len(), TEXTS.len());
    for ((_, chunks), (text, (spans, _, _))) in docs.iter().zip(TEXTS.iter().zip(answers())) {
        let mut by_start: Vec<(u32, &str)> =
            spans.iter().map(|(needle, label)| (span(text, needle).0, *label)).collect();
        by_start.sort();
        let got: Vec<&str> = chunks.iter().map(|c| labels.name(c.label)).collect();
        assert_eq!(got, by_start.iter().map(|(_, l)| *l).collect::<Vec<_>>(), "{text}");
    }
}
