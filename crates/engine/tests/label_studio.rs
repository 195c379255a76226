//! The Label Studio importer on real exports (`../shared/fixtures/label-studio-exports/`, skipped when absent) and
//! on crafted ones: code-point offsets with emoji and CJK, shared region ids, errors with JSON paths.

mod common;

use common::shared_dir;
use concord_engine::formats::label_studio::{read_label_studio, Region};
use concord_engine::spans::span_agreement;
use serde_json::json;

fn fixture(name: &str) -> Option<String> {
    let dir = shared_dir("fixtures/label-studio-exports")?;
    Some(std::fs::read_to_string(dir.join(name)).unwrap())
}

#[test]
fn yolo_export_rectangles_in_pixels_with_two_annotators() {
    let Some(text) = fixture("test_export_yolo__data.json") else { return };
    let ls = read_label_studio("yolo.json", &text).unwrap();
    assert_eq!(ls.tasks.len(), 2);
    assert_eq!(ls.kind(), Some("boxes"));
    let boxes = ls.boxes(false);
    assert_eq!(boxes.annotators.len(), 2, "two annotators: {:?}", boxes.annotators.names().collect::<Vec<_>>());
    // The first region: x = 37.158…% of 2800 px.
    let first = ls.annotations[0].regions.iter().find_map(|r| match r {
        Region::Rect { x, y, w, h, labels, .. } => Some((*x, *y, *w, *h, labels.clone())),
        _ => None,
    });
    let (x, y, w, h, labels) = first.unwrap();
    assert!((x - 37.15846994535519 * 28.0).abs() < 1e-9 && (y - 70.67395264116576 * 28.0).abs() < 1e-9);
    assert!((w - 4.189435336976321 * 28.0).abs() < 1e-9 && (h - 4.735883424408015 * 28.0).abs() < 1e-9);
    assert_eq!(labels, ["parasites"]);
    assert!(boxes.regions.iter().all(|b| b.x >= 0.0 && b.x + b.w <= 2800.0 + 1e-6));
}

#[test]
fn csv_exports_with_user_objects_and_choices() {
    let Some(text) = fixture("test_export_csv__csv_test2.json") else { return };
    let ls = read_label_studio("csv2.json", &text).unwrap();
    assert_eq!(ls.annotations[0].annotator, "test@heartex.com");
    let t = ls.categorical(None, false).unwrap();
    assert_eq!(t.n_annotations(), 1);
    // The choice keeps its quotes, tabs, newlines and Cyrillic exactly.
    assert_eq!(t.labels.name(0), "Yes \" \"\" \n \t \t а б в \n");
    let Some(text) = fixture("test_export_csv__csv_test.json") else { return };
    let ls = read_label_studio("csv.json", &text).unwrap();
    assert!(!ls.annotations.is_empty());
}

#[test]
fn other_result_types_are_counted_not_failed() {
    let text = json!([{"id": 1, "data": {}, "annotations": [{"completed_by": 1, "result": [
        {"type": "keypointlabels", "from_name": "kp", "value": {"x": 1, "y": 2}},
        {"type": "choices", "from_name": "c", "value": {"choices": ["a"]}}]}]}]);
    let ls = read_label_studio("min.json", &text.to_string()).unwrap();
    assert_eq!(ls.skipped_types.get("keypointlabels"), Some(&1));
    assert_eq!(ls.kind(), Some("choices"));
}

fn export(results_by_user: &[(serde_json::Value, serde_json::Value, bool)], text: &str) -> String {
    let annotations: Vec<_> = results_by_user
        .iter()
        .enumerate()
        .map(|(i, (who, result, gt))| json!({"id": i, "completed_by": who, "result": result, "ground_truth": gt}))
        .collect();
    json!([{"id": 7, "data": {"text": text}, "annotations": annotations}]).to_string()
}

fn span(start: u32, end: u32, label: &str, text: &str) -> serde_json::Value {
    json!({"id": format!("r{start}"), "type": "labels", "from_name": "label", "to_name": "text",
           "value": {"start": start, "end": end, "text": text, "labels": [label]}})
}

#[test]
fn span_offsets_are_code_points_with_emoji_and_cjk() {
    // "👋 東京 and Zoë": 👋=0 (1 code point, 2 UTF-16 units), 東京=2..4, Zoë=9..12.
    let text = "👋 東京 and Zoë";
    let a = json!([span(2, 4, "LOC", "東京"), span(9, 12, "PER", "Zoë")]);
    let b = json!([span(2, 4, "LOC", "東京")]);
    let ls =
        read_label_studio("ls.json", &export(&[(json!(1), a, false), (json!({"id": 2}), b, false)], text)).unwrap();
    let t = ls.spans(false);
    let r = span_agreement(&t);
    assert_eq!(r.pairwise.len(), 1);
    assert_eq!((r.pairwise[0].a.as_str(), r.pairwise[0].b.as_str()), ("user-1", "user-2"));
    assert_eq!((r.pairwise[0].precision, r.pairwise[0].recall), (1.0, 0.5));
}

#[test]
fn utf16_offsets_are_refused_with_a_hint() {
    // In UTF-16, 東京 starts at 3 (the emoji is a surrogate pair).
    let text = "👋 東京";
    let bad = json!([span(3, 5, "LOC", "東京")]);
    let e = read_label_studio("ls.json", &export(&[(json!(1), bad, false)], text)).unwrap_err();
    assert_eq!(e.place, concord_engine::Place::JsonPath("$[0].annotations[0].result[0].value".into()));
    assert!(e.reason.contains("UTF-16 offsets"), "{e}");
}

#[test]
fn regions_sharing_an_id_merge_and_ground_truth_is_gold() {
    let rect = json!({"id": "r1", "type": "rectanglelabels", "from_name": "box", "to_name": "image",
                      "original_width": 200, "original_height": 100,
                      "value": {"x": 10, "y": 20, "width": 50, "height": 50, "rectanglelabels": ["car"]}});
    let attr = json!({"id": "r1", "type": "choices", "from_name": "colour", "to_name": "image", "value": {"choices": ["red"]}});
    let whole = json!({"id": "q", "type": "choices", "from_name": "weather", "to_name": "image", "value": {"choices": ["sunny"]}});
    let text = json!([{"id": 1, "data": {"image": "a.png"}, "annotations": [
        {"id": 1, "completed_by": 5, "result": [rect, attr, whole]},
        {"id": 2, "completed_by": 6, "result": [rect], "ground_truth": true},
        {"id": 3, "completed_by": 7, "result": [rect], "was_cancelled": true}]}])
    .to_string();
    let ls = read_label_studio("ls.json", &text).unwrap();
    assert_eq!(ls.cancelled, 1);
    match &ls.annotations[0].regions[0] {
        Region::Rect { x, y, w, h, attributes, .. } => {
            assert_eq!((*x, *y, *w, *h), (20.0, 20.0, 100.0, 50.0));
            assert_eq!(attributes["colour"], ["red"]);
        }
        r => panic!("{r:?}"),
    }
    // The item-level choice is not swallowed by the region.
    assert_eq!(ls.categorical(None, false).unwrap().labels.name(0), "sunny");
    assert_eq!(ls.boxes(true).annotators.names().collect::<Vec<_>>(), ["user-6"]);
    assert_eq!(ls.boxes(false).annotators.names().collect::<Vec<_>>(), ["user-5"]);
}

#[test]
fn malformed_exports_name_the_json_path() {
    let cases = [
        ("{\"id\": 1, \"annotations\": 3}", "$[0].annotations", "expected a list"),
        ("[{\"annotations\": []}]", "$[0].id", "missing task id"),
        ("[{\"id\":1,\"annotations\":[{\"completed_by\":{\"name\":\"x\"},\"result\":[]}]}]", "$[0].annotations[0].completed_by", "user id"),
        ("[{\"id\":1,\"annotations\":[{\"completed_by\":1,\"result\":[{\"type\":\"rectanglelabels\",\"value\":{\"x\":1,\"y\":1,\"width\":1,\"height\":1}}]}]}]",
         "$[0].annotations[0].result[0].original_width", "percent into pixels"),
        ("[{\"id\":1,\"annotations\":[{\"completed_by\":1,\"result\":[{\"type\":\"labels\",\"value\":{\"start\":5,\"end\":2,\"labels\":[\"X\"]}}]}]}]",
         "$[0].annotations[0].result[0].value", "start < end"),
    ];
    for (text, path, reason) in cases {
        let e = read_label_studio("bad.json", text).unwrap_err();
        assert_eq!(e.place, concord_engine::Place::JsonPath(path.into()), "{text}: {e}");
        assert!(e.reason.contains(reason), "{text}: {e}");
    }
    let e = read_label_studio("bad.json", "[{\"id\": 1,").unwrap_err();
    assert!(matches!(e.place, concord_engine::Place::Line { line: 1, .. }), "{e}");
}

/// The streaming reader of choices gives exactly the tables of the whole-export reader — annotators' and gold,
/// multi-choice joined — on the shared fixtures and on a generated export, and the same errors.
#[test]
fn streamed_choices_equal_the_whole_export_reader() {
    use concord_engine::formats::label_studio::read_label_studio_categorical_from;
    use concord_engine::model::CategoricalTable;
    fn rows(t: &CategoricalTable) -> Vec<(String, String, String)> {
        let mut v: Vec<_> = t
            .rows()
            .map(|(i, a, l)| (t.items.name(i).into(), t.annotators.name(a).into(), t.labels.name(l).into()))
            .collect();
        v.sort();
        v
    }
    let mut texts = vec![("generated.json".to_string(), {
        let tasks: Vec<_> = (0..50)
            .map(|t| {
                let anns: Vec<_> = (0..4)
                    .map(|a| {
                        let choices = if a == 3 { serde_json::json!(["b", "a"]) } else { { let l = ["a", "b", "c"][(t + a) % 3]; serde_json::json!([l]) } };
                        serde_json::json!({"completed_by": {"email": format!("p{a}")}, "ground_truth": a == 0 && t % 5 == 0,
                            "result": [{"from_name": "k", "to_name": "text", "type": "choices", "value": {"choices": choices}},
                                       {"from_name": "other", "to_name": "text", "type": "choices", "value": {"choices": ["z"]}}]})
                    })
                    .collect();
                serde_json::json!({"id": t, "data": {"text": "x"}, "annotations": anns})
            })
            .collect();
        serde_json::to_string(&tasks).unwrap()
    })];
    if let Some(list) = shared_dir("fixtures/label-studio-exports").and_then(|d| std::fs::read_dir(d).ok()) {
        for f in list.flatten().filter(|f| f.path().extension().is_some_and(|e| e == "json")) {
            texts.push((f.file_name().to_string_lossy().into(), std::fs::read_to_string(f.path()).unwrap()));
        }
    }
    for (name, text) in &texts {
        let whole = read_label_studio(name, text).unwrap();
        let streamed = read_label_studio_categorical_from(name, text.as_bytes(), None);
        match (whole.categorical(None, false), whole.categorical(None, true), streamed) {
            (Ok(p), Ok(g), Ok((sp, sg))) => {
                assert_eq!(rows(&sp), rows(&p), "{name}");
                assert_eq!(rows(&sg), rows(&g), "{name}");
            }
            (Err(e), _, Err(s)) => assert!(s.to_string().ends_with(&e.to_string()), "{name}: {s} vs {e}"),
            (p, _, s) => panic!("{name}: {:?} vs {:?}", p.map(|t| rows(&t)), s.map(|t| rows(&t.0))),
        }
    }
    assert!(texts.len() >= 1);
}

/// Every demo bundle goes out as a Label Studio project (config + tasks with predictions and gold) and comes back
/// through the Label Studio readers as the same bundle: ids, data, meta, controls and labels, gold, predictions.
#[test]
fn every_demo_bundle_goes_to_label_studio_and_comes_back_the_same() {
    use concord_engine::bundle::load_bundle;
    use concord_engine::formats::label_studio_bundle::bundle_from_label_studio;
    use concord_engine::formats::label_studio_config::parse_label_config;
    use concord_engine::formats::label_studio_project::label_studio_project;
    use concord_engine::model::ControlValue;

    let demos = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo");
    for demo in ["retail", "news", "shelf", "aerial", "tickets"] {
        let dir = demos.join(demo);
        let before = load_bundle(|p| std::fs::read_to_string(dir.join(p)).map_err(|e| e.to_string())).unwrap();
        let out =
            label_studio_project(&before.project, &before.tasks, &before.gold, &before.predictions, None).unwrap();
        let config = parse_label_config("label_config.xml", &out.config).unwrap();
        let export = read_label_studio("tasks.json", &out.tasks).unwrap();
        assert_eq!(out.gold, before.gold.len(), "{demo}");
        assert_eq!(out.predictions, before.predictions.len(), "{demo}");
        let made = bundle_from_label_studio("tasks.json", &config, &export, &before.project.id, "back").unwrap();
        assert!(made.dropped.is_empty(), "{demo}: {:?}", made.dropped);
        let after = load_bundle(|p| {
            made.files.iter().find(|(q, _)| q == p).map(|(_, t)| t.clone()).ok_or_else(|| format!("no {p}"))
        })
        .unwrap();
        assert_eq!(after.tasks, before.tasks, "{demo}: tasks, their data and meta");
        assert_eq!(after.project.schema.data, before.project.schema.data);
        for (a, b) in after.project.schema.controls.iter().zip(&before.project.schema.controls) {
            assert_eq!((&a.name, a.kind), (&b.name, b.kind), "{demo}");
            let values =
                |c: &concord_engine::model::Control| c.labels.iter().map(|l| l.value.clone()).collect::<Vec<_>>();
            assert_eq!(values(a), values(b), "{demo}: {}", a.name);
        }
        assert_eq!(after.project.schema.controls.len(), before.project.schema.controls.len(), "{demo}");
        let gold = |g: &[concord_engine::bundle::GoldItem]| {
            let mut v: Vec<_> = g.iter().map(|g| (g.task.clone(), g.result.clone())).collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        let (got, want) = (gold(&after.gold), gold(&before.gold));
        assert_eq!(got.len(), want.len(), "{demo}: gold");
        for ((ta, a), (tb, b)) in got.iter().zip(&want) {
            assert_eq!(ta, tb);
            assert!(within_1e6(&json!(a), &json!(b)), "{demo}: gold of {ta}: {a:?} ≠ {b:?}");
        }
        assert_eq!(after.predictions.len(), before.predictions.len());
        for (a, b) in after.predictions.iter().zip(&before.predictions) {
            assert_eq!((&a.task, &a.model), (&b.task, &b.model), "{demo}: prediction");
            assert!(within_1e6(&json!(a.result), &json!(b.result)), "{demo}: prediction of {}", a.task);
            // The chosen label's probability survives (Label Studio keeps one score per prediction).
            for (control, value) in &b.result.0 {
                if let ControlValue::Choices(chosen) = value {
                    for l in chosen {
                        assert_eq!(a.scores[control][l], b.scores[control][l], "{demo}: {}", b.task);
                    }
                }
            }
        }
    }
}

/// The same JSON, numbers within 1e-6 (pixels through Label Studio's percentages lose an ulp or two).
fn within_1e6(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() <= 1e-6,
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| within_1e6(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| within_1e6(v, w)))
        }
        _ => a == b,
    }
}
