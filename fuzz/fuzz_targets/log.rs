//! Annotation logs (JSONL), replayed against a schema with every kind of control.
#![no_main]
use concord_engine::log::{parse_jsonl, Replay};
use concord_engine::model::Schema;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let schema: Schema = serde_json::from_str(
        r#"{"data":"text","controls":[{"name":"c","type":"single_choice","labels":[{"value":"a"},{"value":"b"}]},
        {"name":"e","type":"spans","labels":[{"value":"PER"}]},{"name":"o","type":"boxes","labels":[{"value":"car"}]}]}"#,
    )
    .unwrap();
    if let Ok(events) = parse_jsonl("log.jsonl", text) {
        let mut r = Replay::default();
        for e in &events {
            let _ = r.apply(&schema, e);
        }
    }
});
