//! `json_path` names the same path as serde_path_to_error (a path-tracking deserializer) on typed reads that fail
//! in every way a bundle file can: a wrong type at any depth, a missing field, an unknown field, an unknown enum
//! variant, an array of the wrong length, in pretty-printed and compact text.

use serde::Deserialize;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Doc {
    name: String,
    count: u32,
    #[serde(default)]
    tags: Vec<String>,
    items: Vec<Item>,
    #[serde(default)]
    pair: Option<(u32, u32)>,
}

#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct Item {
    id: String,
    kind: Kind,
    #[serde(default)]
    points: Vec<[f64; 2]>,
    #[serde(default)]
    inner: Option<Inner>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Box,
    Span,
}

#[derive(Deserialize, Debug)]
#[serde(tag = "type", rename_all = "snake_case")]
#[allow(dead_code)]
enum Inner {
    Rate { value: u8 },
    Note { text: String },
}

fn reference(text: &str) -> String {
    let mut de = serde_json::Deserializer::from_str(text);
    let e = serde_path_to_error::deserialize::<_, Doc>(&mut de).expect_err("the document is bad");
    e.path().to_string()
}

fn ours(text: &str) -> String {
    concord_engine::json_path::from_str::<Doc>(text).expect_err("the document is bad").path().to_string()
}

#[test]
fn bad_documents_get_the_path_a_path_tracking_deserializer_gives() {
    let good_item = r#"{"id": "a", "kind": "box", "points": [[1, 2], [3, 4]]}"#;
    let cases = [
        r#"{"name": 5, "count": 1, "items": []}"#.to_string(),
        r#"{"name": "n", "count": "x", "items": []}"#.to_string(),
        r#"{"name": "n", "count": -1, "items": []}"#.to_string(),
        r#"{"name": "n", "items": []}"#.to_string(),
        r#"{"name": "n", "count": 1, "items": [], "extra": 1}"#.to_string(),
        r#"{"name": "n", "count": 1, "tags": ["a", 2], "items": []}"#.to_string(),
        format!(r#"{{"name": "n", "count": 1, "items": [{good_item}, {{"id": "b", "kind": "circle"}}]}}"#),
        format!(r#"{{"name": "n", "count": 1, "items": [{good_item}, {{"id": "b"}}]}}"#),
        format!(r#"{{"name": "n", "count": 1, "items": [{good_item}, {{"id": 7, "kind": "box"}}]}}"#),
        r#"{"name": "n", "count": 1, "items": [{"id": "b", "kind": "box", "points": [[1, 2], [3, "4"]]}]}"#.to_string(),
        r#"{"name": "n", "count": 1, "items": [{"id": "b", "kind": "box", "points": [[1, 2], [3]]}]}"#.to_string(),
        r#"{"name": "n", "count": 1, "items": {}}"#.to_string(),
        r#"{"name": "n", "count": 1, "items": [], "pair": [1]}"#.to_string(),
        r#"{"name": "n", "count": 1, "items": [], "pair": [1, true]}"#.to_string(),
        r#"[1, 2]"#.to_string(),
        r#"{"name": "a \" tricky, [string]: {", "count": 1, "items": [{"id": "x,]}", "kind": 3}]}"#.to_string(),
    ];
    for compact in &cases {
        let value: serde_json::Value = serde_json::from_str(compact).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        for text in [compact.clone(), pretty] {
            assert_eq!(ours(&text), reference(&text), "in {text}");
        }
        // From a parsed value: the same path.
        let from_value = concord_engine::json_path::from_value::<Doc>(&value).expect_err("bad").path().to_string();
        assert_eq!(from_value, reference(compact), "from the value of {compact}");
    }
}

#[test]
fn a_good_document_reads() {
    let d: Doc =
        concord_engine::json_path::from_str(r#"{"name": "n", "count": 2, "items": [{"id": "a", "kind": "span"}]}"#)
            .unwrap();
    assert_eq!(d.items.len(), 1);
}

/// Inside an internally tagged enum serde buffers the object, and an error found in the buffer has no position of
/// its own: the path then names the object that holds the enum (serde_path_to_error names the enum's field). An
/// unknown tag has a position: the same path as the reference.
#[test]
fn an_error_inside_a_tagged_enum_names_the_object_that_holds_it() {
    for inner in [r#"{"type": "rate", "value": 300}"#, r#"{"type": "other"}"#, r#"{"type": "note"}"#] {
        let text = format!(r#"{{"name": "n", "count": 1, "items": [{{"id": "b", "kind": "box", "inner": {inner}}}]}}"#);
        let (path, reference) = (ours(&text), reference(&text));
        assert!(path == reference || (path == "items[0]" && reference == "items[0].inner"), "{path} vs {reference}");
    }
}
