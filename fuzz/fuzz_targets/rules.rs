//! Rule files against a schema, then validation of a fixed annotation with whatever parsed.
#![no_main]
use concord_engine::model::{Schema, Task, TaskResult};
use concord_engine::rules::{parse_rules, validate, Subject};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let schema: Schema = concord_engine::bundle::parse_manifest(
        "project.json",
        r#"{"format":"concord-project","version":1,"id":"f","name":"F","schema":{"data":"text","controls":[
        {"name":"e","type":"spans","labels":[{"value":"PER"},{"value":"ORG"}]}]},
        "guidelines":{"path":"g.md","version":"1"},"tasks":[{"path":"t.jsonl","count":1}]}"#,
    )
    .expect("static manifest")
    .schema;
    let _ = parse_rules("rules.json", text, None);
    if let Ok(rs) = parse_rules("rules.json", text, Some(&schema)) {
        let task: Task = serde_json::from_str(r#"{"id":"t","data":{"text":"Zoë 🚀 met ACME in 北京"}}"#).unwrap();
        let result: TaskResult =
            serde_json::from_str(r#"{"e":[{"start":0,"end":3,"label":"PER"},{"start":10,"end":14,"label":"ORG"},{"start":2,"end":40,"label":"PER"}]}"#).unwrap();
        let _ = validate(&rs, &Subject { task: &task, result: &result, prediction: None });
    }
});
