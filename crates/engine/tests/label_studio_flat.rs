//! Label Studio's label config and its flat exports (JSON_MIN, CSV, TSV): the same annotations read from any export
//! give the same regions as the full JSON export, and every bad input names its line or path.

use concord_engine::formats::label_studio::{read_label_studio, LsExport, Region};
use concord_engine::formats::label_studio_config::{parse_label_config, ConfigKind};
use concord_engine::formats::label_studio_flat::{read_label_studio_csv, read_label_studio_min};

const CONFIG: &str = r#"<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text">
    <Label value="PER"/><Label value="LOC"/>
  </Labels>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
  <Choices name="topics" toName="text" choice="multiple">
    <Choice value="travel"/><Choice value="people"/>
  </Choices>
  <Rating name="quality" toName="text" maxRating="4"/>
  <TextArea name="note" toName="text"/>
</View>"#;

/// A document with an emoji, CJK and a combining mark: code points differ from UTF-16 units and bytes.
const TEXT: &str = "😀😀 Ann met Bea in 東京 with Zoe\u{301}.";

fn offsets(needle: &str) -> (usize, usize) {
    let byte = TEXT.find(needle).unwrap();
    let start = TEXT[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// Three annotations of two tasks, as (task, annotator id, sentiment, topics, rating, spans).
#[allow(clippy::type_complexity)]
fn annotations() -> Vec<(u32, u32, &'static str, Vec<&'static str>, u32, Vec<(&'static str, &'static str)>)> {
    vec![
        (11, 3, "Positive", vec!["people", "travel"], 4, vec![("Ann", "PER"), ("東京", "LOC")]),
        (11, 5, "Negative", vec!["people"], 2, vec![("Bea", "PER"), ("Zoe\u{301}", "PER")]),
        (12, 3, "Positive", vec!["travel"], 1, vec![]),
    ]
}

fn span_values(spans: &[(&str, &str)]) -> Vec<serde_json::Value> {
    spans
        .iter()
        .map(|(t, l)| {
            let (start, end) = offsets(t);
            serde_json::json!({"start": start, "end": end, "text": t, "labels": [l]})
        })
        .collect()
}

fn full_json() -> String {
    let mut tasks: Vec<serde_json::Value> = Vec::new();
    for id in [11, 12] {
        let anns: Vec<serde_json::Value> = annotations()
            .into_iter()
            .filter(|a| a.0 == id)
            .map(|(_, who, sentiment, topics, rating, spans)| {
                let mut result = vec![
                    serde_json::json!({"id": "s", "type": "choices", "from_name": "sentiment", "to_name": "text", "origin": "manual", "value": {"choices": [sentiment]}}),
                    serde_json::json!({"id": "t", "type": "choices", "from_name": "topics", "to_name": "text", "value": {"choices": topics}}),
                    serde_json::json!({"id": "q", "type": "rating", "from_name": "quality", "to_name": "text", "value": {"rating": rating}}),
                    serde_json::json!({"id": "n", "type": "textarea", "from_name": "note", "to_name": "text", "value": {"text": ["fine"]}}),
                ];
                for (k, v) in span_values(&spans).into_iter().enumerate() {
                    result.push(serde_json::json!({"id": format!("r{k}"), "type": "labels", "from_name": "ner", "to_name": "text", "value": v}));
                }
                // The fields a 1.23.2 server adds to an annotation.
                serde_json::json!({"id": 100 + who, "completed_by": who, "result": result, "was_cancelled": false,
                    "ground_truth": false, "created_at": "2026-11-30T10:00:00.000000Z", "result_count": 0,
                    "unique_id": "u", "import_id": null, "last_action": null, "bulk_created": false, "prediction": {},
                    "project": 1, "task": id, "lead_time": 3.5, "parent_prediction": null, "parent_annotation": null})
            })
            .collect();
        tasks.push(serde_json::json!({"id": id, "data": {"text": TEXT}, "annotations": anns, "inner_id": id,
            "total_annotations": anns.len(), "cancelled_annotations": 0, "drafts": [], "predictions": [], "meta": {}}));
    }
    serde_json::to_string(&tasks).unwrap()
}

/// The JSON_MIN rows Label Studio's converter writes for the same annotations (one choice as a bare string).
fn json_min() -> String {
    let rows: Vec<serde_json::Value> = annotations()
        .into_iter()
        .map(|(id, who, sentiment, topics, rating, spans)| {
            let mut row = serde_json::json!({"text": TEXT, "id": id, "sentiment": sentiment,
                "topics": [{"choices": topics}], "quality": [{"rating": rating}], "note": "fine",
                "annotator": who, "annotation_id": 100 + who, "created_at": "2026-11-30T10:00:00.000000Z",
                "updated_at": "2026-11-30T10:00:00.000000Z", "lead_time": 3.5});
            if !spans.is_empty() {
                row["ner"] = serde_json::Value::Array(span_values(&spans));
            }
            row
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap()
}

/// The CSV (or TSV) export: control lists as JSON text, the annotator id quoted, CRLF line ends.
fn flat_csv(sep: char) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = [
        "annotation_id",
        "annotator",
        "created_at",
        "id",
        "lead_time",
        "ner",
        "note",
        "quality",
        "sentiment",
        "text",
        "topics",
        "updated_at",
    ]
    .join(&sep.to_string());
    out.push_str("\r\n");
    for (id, who, sentiment, topics, rating, spans) in annotations() {
        let ner =
            if spans.is_empty() { String::new() } else { quote(&serde_json::to_string(&span_values(&spans)).unwrap()) };
        let cells = [
            (100 + who).to_string(),
            quote(&who.to_string()),
            "2026-11-30T10:00:00.000000Z".into(),
            id.to_string(),
            "3.5".into(),
            ner,
            "fine".into(),
            quote(&serde_json::json!([{"rating": rating}]).to_string()),
            sentiment.into(),
            quote(TEXT),
            quote(&serde_json::json!([{"choices": topics}]).to_string()),
            "2026-11-30T10:00:00.000000Z".into(),
        ];
        out.push_str(&cells.join(&sep.to_string()));
        out.push_str("\r\n");
    }
    out
}

/// Each annotation's regions, in an order of their own (an export's order of results carries no meaning).
fn regions_by_annotation(e: &LsExport) -> Vec<(String, String, Vec<Region>)> {
    let sorted = |r: &[Region]| {
        let mut r = r.to_vec();
        r.sort_by_key(|x| format!("{x:?}"));
        r
    };
    let mut v: Vec<_> =
        e.annotations.iter().map(|a| (a.task.clone(), a.annotator.clone(), sorted(&a.regions))).collect();
    v.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    v
}

#[test]
fn a_label_config_names_its_controls_their_objects_and_labels() {
    let c = parse_label_config("config.xml", CONFIG).unwrap();
    let kinds: Vec<(&str, &ConfigKind)> = c.controls.iter().map(|c| (c.name.as_str(), &c.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            ("ner", &ConfigKind::Labels),
            ("sentiment", &ConfigKind::Choices { multiple: false }),
            ("topics", &ConfigKind::Choices { multiple: true }),
            ("quality", &ConfigKind::Rating { max: 4 }),
            ("note", &ConfigKind::Other("TextArea".into())),
        ]
    );
    assert_eq!(c.control("ner").unwrap().labels, ["PER", "LOC"]);
    assert_eq!(c.field_of("text"), Some("text"));
}

#[test]
fn a_bad_label_config_is_refused_with_its_line() {
    let cases = [
        ("<View>\n<Text name=\"text\" value=\"$text\"/>\n<Choices name=\"a\">\n</Choices></View>", 3, "no `toName`"),
        ("<View>\n<Text name=\"text\" value=\"$text\"/>\n<Choices name=\"a\" toName=\"img\"/></View>", 3, "no object"),
        ("<View>\n<Text name=\"a\" value=\"$text\"/>\n<Choices name=\"a\" toName=\"a\"/></View>", 3, "first on line 2"),
        (
            "<View>\n<Text name=\"t\" value=\"$text\"/>\n<Rating name=\"r\" toName=\"t\" maxRating=\"0\"/></View>",
            3,
            "maxRating",
        ),
        ("<View>\n<Text name=\"t\" value=\"$text\">\n</View>", 3, ""),
        ("<View>\n<Text name=\"t\" value=\"$text\"/>\n</View>", 0, "no control"),
    ];
    for (xml, line, why) in cases {
        let e = parse_label_config("config.xml", xml).unwrap_err().to_string();
        assert!(e.contains(why), "{xml}: {e}");
        if line > 0 {
            assert!(e.contains(&format!("line {line}")), "{xml}: {e}");
        }
    }
}

#[test]
fn json_min_csv_and_tsv_read_the_same_annotations_as_the_full_json_export() {
    let config = parse_label_config("config.xml", CONFIG).unwrap();
    let full = read_label_studio("full.json", &full_json()).unwrap();
    let expected = regions_by_annotation(&full);
    // The full export itself: ratings are read (as their number), the text area counted and skipped.
    assert_eq!(full.skipped_types.get("textarea"), Some(&3));
    assert!(expected[0].2.contains(&Region::Choices { control: "quality".into(), choices: vec!["4".into()] }));
    let (bea_start, bea_end) = offsets("Bea");
    assert!(expected[1].2.iter().any(
        |r| matches!(r, Region::Span { start, end, .. } if (*start as usize, *end as usize) == (bea_start, bea_end))
    ));
    assert_eq!((bea_start, bea_end), (11, 14), "code points: two emoji are two, not four UTF-16 units");

    let min = read_label_studio_min("min.json", &json_min(), &config).unwrap();
    let csv = read_label_studio_csv("export.csv", flat_csv(',').as_bytes(), &config, b',').unwrap();
    let tsv = read_label_studio_csv("export.tsv", flat_csv('\t').as_bytes(), &config, b'\t').unwrap();
    for (name, e) in [("JSON_MIN", &min), ("CSV", &csv), ("TSV", &tsv)] {
        assert_eq!(regions_by_annotation(e), expected, "{name}");
        assert_eq!(
            e.annotations.iter().map(|a| a.annotator.as_str()).collect::<Vec<_>>(),
            ["user-3", "user-5", "user-3"],
            "{name}"
        );
        assert_eq!(e.tasks.len(), 2, "{name}");
        assert_eq!(e.skipped_types.get("textarea"), Some(&3), "{name}");
        // The tables and figures built on them are the same too.
        for control in ["sentiment", "topics", "quality"] {
            let table = |x: &LsExport| format!("{:?}", x.categorical(Some(control), false).unwrap());
            assert_eq!(table(e), table(&full), "{name} {control}");
        }
        assert_eq!(format!("{:?}", e.spans(false)), format!("{:?}", full.spans(false)), "{name}");
    }
}

#[test]
fn a_flat_export_that_does_not_fit_its_config_is_refused_with_the_place() {
    let config = parse_label_config("config.xml", CONFIG).unwrap();
    // A span whose offsets do not give its text (UTF-16 offsets) names the row and the control.
    let min = json_min().replace("\"start\": 11", "\"start\": 13").replace("\"end\": 14", "\"end\": 16");
    let e = read_label_studio_min("min.json", &min, &config).unwrap_err().to_string();
    assert!(e.contains("$[1].ner[0]") && e.contains("Bea"), "{e}");
    // A CSV cell that is not JSON names its line and column.
    let csv = flat_csv(',').replacen("\"[{\"\"rating\"\":2}]\"", "\"[{rating:2}]\"", 1);
    let e = read_label_studio_csv("export.csv", csv.as_bytes(), &config, b',').unwrap_err().to_string();
    assert!(e.contains("line 3") && e.contains("quality"), "{e}\n{csv}");
    // A CSV without the export's columns is not a Label Studio CSV.
    let e = read_label_studio_csv("x.csv", "item,worker,label\r\n1,a,b\r\n".as_bytes(), &config, b',')
        .unwrap_err()
        .to_string();
    assert!(e.contains("no `id` column"), "{e}");
    // A rating that is not a whole number from 1.
    let min =
        json_min().replace("[{\"rating\": 1}]", "[{\"rating\": 0.5}]").replace("\"rating\": 1\n", "\"rating\": 0.5\n");
    let e = read_label_studio_min("min.json", &min, &config).unwrap_err().to_string();
    assert!(e.contains("quality") && e.contains("rating"), "{e}");
}

#[test]
fn predictions_are_read_with_their_model_and_score_and_an_unreadable_one_never_fails_the_export() {
    let export = serde_json::json!([{"id": 1, "data": {"text": "Ann"}, "annotations": [], "predictions": [
        {"model_version": "m1", "score": 0.8, "result": [
            {"type": "choices", "from_name": "sentiment", "to_name": "text", "value": {"choices": ["Positive"]}}]},
        {"model_version": "m0", "result": [
            {"type": "rectanglelabels", "from_name": "box", "to_name": "img", "value": {"x": 1, "y": 1, "width": 2, "height": 2, "rectanglelabels": ["A"]}}]}
    ]}]);
    let e = read_label_studio("p.json", &export.to_string()).unwrap();
    assert_eq!(e.predictions.len(), 1);
    assert_eq!((e.predictions[0].model.as_str(), e.predictions[0].score), ("m1", Some(0.8)));
    assert_eq!(
        e.predictions[0].regions,
        [Region::Choices { control: "sentiment".into(), choices: vec!["Positive".into()] }]
    );
    assert_eq!(e.skipped_types.get(concord_engine::formats::label_studio::UNREADABLE_PREDICTION), Some(&1));
}
