//! project.json, then (when it parses) a task chunk, gold, predictions and annotations against it.
#![no_main]
use concord_engine::bundle::{parse_annotations, parse_gold, parse_manifest, parse_predictions, parse_task_chunk, TaskIds};
use libfuzzer_sys::fuzz_target;

const MANIFEST: &str = r#"{"format":"concord-project","version":1,"id":"f","name":"F","schema":{"data":"image","controls":[
 {"name":"c","type":"multi_choice","labels":[{"value":"a"},{"value":"b"}]},
 {"name":"o","type":"boxes","labels":[{"value":"car","attributes":[{"name":"parked","type":"bool","required":true}]}]}]},
 "guidelines":{"path":"g.md","version":"1"},"tasks":[{"path":"t.jsonl","count":2}]}"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = parse_manifest("project.json", text);
    let project = parse_manifest("project.json", MANIFEST).expect("static manifest");
    let mut ids = TaskIds::default();
    let _ = parse_task_chunk("t.jsonl", text, &project, 2, &mut ids);
    let _ = parse_gold("gold.jsonl", text, &project.schema, None);
    let _ = parse_predictions("predictions.jsonl", text, &project.schema, None);
    let _ = parse_annotations("annotations.jsonl", text, &project.schema, None);
});
