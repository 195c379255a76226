//! The other tools' formats: doccano JSONL, Prodigy JSONL, Pascal VOC XML and CVAT for images 1.1 XML. Each reads
//! the tool's own example (`tests/tool-formats/`, sources in its SOURCES.md), refuses bad input with the line and the
//! reason, and round-trips what Concord writes (generated: Unicode text with astral characters, boxes and polygons
//! anywhere in the image).

use std::collections::BTreeMap;

use concord_engine::bundle::AnnotationRecord;
use concord_engine::formats::cvat::{read_cvat, write_cvat, CvatImage};
use concord_engine::formats::doccano::{read_doccano, write_doccano};
use concord_engine::formats::label_studio::{LsExport, Region};
use concord_engine::formats::prodigy::{read_prodigy, write_prodigy, REJECTED};
use concord_engine::formats::voc::{read_voc, write_voc};
use concord_engine::model::{BoxRegion, ControlValue, PolygonRegion, SpanRegion, Task, TaskData, TaskResult};
use proptest::prelude::*;
use serde_json::json;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tool-formats").join(name))
        .unwrap()
}

fn spans_of(e: &LsExport) -> Vec<(String, u32, u32, String)> {
    e.annotations
        .iter()
        .flat_map(|a| {
            a.regions.iter().filter_map(move |r| match r {
                Region::Span { start, end, labels, .. } => Some((a.task.clone(), *start, *end, labels[0].clone())),
                _ => None,
            })
        })
        .collect()
}

#[test]
fn doccano_examples_read_as_spans_and_classes() {
    let ner = read_doccano("ner.jsonl", &fixture("doccano-sequence-labeling.jsonl"), "ann").unwrap();
    assert_eq!(ner.tasks.len(), 3);
    assert_eq!(
        spans_of(&ner),
        [
            ("1".into(), 0, 2, "ORG".into()),
            ("1".into(), 11, 17, "MISC".into()),
            ("2".into(), 0, 15, "PERSON".into()),
            ("3".into(), 10, 15, "PERSON".into())
        ]
    );
    // The text the offsets cover, as doccano means it.
    let text = ner.tasks[0].1["text"].as_str().unwrap();
    assert_eq!(text.chars().skip(11).take(6).collect::<String>(), "German");
    let classes = read_doccano("cls.jsonl", &fixture("doccano-text-classification.jsonl"), "ann").unwrap();
    // A multi-label line is one answer of two labels, joined as Label Studio's multiple choices are.
    let table = classes.categorical(None, false).unwrap();
    let labels: Vec<&str> = table.rows().map(|(_, _, l)| table.labels.name(l)).collect();
    assert_eq!(labels, ["positive", "negative|positive", "negative", "neutral"]);
    let choices: Vec<Vec<String>> = classes
        .annotations
        .iter()
        .map(|a| match &a.regions[0] {
            Region::Choices { choices, .. } => choices.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(choices, [vec!["positive"], vec!["positive", "negative"], vec!["negative"], vec!["neutral"]]);
}

#[test]
fn prodigy_example_keeps_accepted_answers_and_counts_the_rest() {
    let p = read_prodigy("db-out.jsonl", &fixture("prodigy-ner-manual.jsonl"), "file").unwrap();
    // Three tasks by input hash; two annotators by `_annotator_id`.
    assert_eq!(p.tasks.len(), 3);
    assert_eq!(spans_of(&p), [("-1".into(), 22, 33, "PRODUCT".into()), ("-3".into(), 0, 5, "ORG".into())]);
    assert!(p.annotations.iter().all(|a| a.annotator == "news-ann"));
    assert_eq!(p.skipped_types[REJECTED], 1);
    assert_eq!(p.cancelled, 1);
    let chosen = p.annotations.iter().find(|a| a.task == "7").unwrap();
    assert_eq!(chosen.regions, [Region::Choices { control: "label".into(), choices: vec!["POSITIVE".into()] }]);
}

#[test]
fn cvat_example_reads_boxes_polygons_tags_and_counts_other_shapes() {
    let c = read_cvat("annotations.xml", &fixture("cvat-for-images-1.1.xml"), "job-4").unwrap();
    assert_eq!(c.tasks.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(), ["doc_1.jpg", "doc_2.jpg"]);
    let first = &c.annotations[0];
    assert_eq!(first.annotator, "job-4");
    let Region::Rect { x, y, w, h, labels, attributes, image, .. } = &first.regions[0] else { panic!() };
    assert_eq!((*x, *y, *w, *h, image.0, image.1), (100.0, 50.0, 1024.5, 653.0, 2048.0, 1536.0));
    assert_eq!(labels, &["car"]);
    assert_eq!(attributes["model"], ["sedan"]);
    assert_eq!(attributes["occluded"], ["1"]);
    let Region::Polygon { points, attributes, .. } = &first.regions[1] else { panic!() };
    assert_eq!(points.len(), 4);
    assert_eq!(points[0], [1258.67, 1028.28]);
    assert!(!attributes.contains_key("occluded"));
    assert_eq!(first.regions[2], Region::Choices { control: "tag".into(), choices: vec!["good_frame".into()] });
    assert_eq!(c.skipped_types["cvat polyline"], 1);
    assert_eq!(c.skipped_types["cvat points"], 1);
    assert_eq!(c.boxes(false).regions.len(), 2);
}

#[test]
fn bad_input_names_the_file_the_line_and_why() {
    for (text, line, why) in [
        ("{\"text\": \"abc\", \"label\": [[0, 9, \"X\"]]}\n", 1, "not inside the text"),
        ("\n{\"text\": \"abc\", \"label\": [[2, 1, \"X\"]]}\n", 2, "not inside the text"),
        ("{\"label\": [\"a\"]}\n", 1, "missing document `text`"),
        ("{\"text\": \"abc\", \"annotations\": [{\"label\": 2}]}\n", 1, "label ids"),
        ("{\"text\": \"abc\", \"label\": [[0, 1]]}\n", 1, "[start, end, label]"),
    ] {
        let e = read_doccano("d.jsonl", text, "a").unwrap_err().to_string();
        assert!(e.contains("d.jsonl") && e.contains(&format!("line {line}")) && e.contains(why), "{text:?}: {e}");
    }
    for (text, why) in [
        ("{\"text\": \"abc\", \"spans\": [{\"start\": 0, \"end\": 1, \"label\": \"X\"}]}", "missing `answer`"),
        ("{\"text\": \"abc\", \"answer\": \"maybe\"}", "not accept, reject or ignore"),
        (
            "{\"text\": \"abc\", \"answer\": \"accept\", \"spans\": [{\"start\": 0, \"end\": 4, \"label\": \"X\"}]}",
            "not inside",
        ),
    ] {
        let e = read_prodigy("p.jsonl", text, "a").unwrap_err().to_string();
        assert!(e.contains("p.jsonl") && e.contains("line 1") && e.contains(why), "{text:?}: {e}");
    }
    let voc = "<annotation>\n<filename>a.jpg</filename>\n<size><width>10</width><height>10</height></size>\n<object><name>x</name>\n<bndbox><xmin>5</xmin><ymin>1</ymin><xmax>5</xmax><ymax>3</ymax></bndbox></object>\n</annotation>";
    let e = read_voc("a.xml", voc, "a").unwrap_err().to_string();
    assert!(e.contains("a.xml") && e.contains("line 5") && e.contains("no area"), "{e}");
    let e = read_voc("b.xml", &voc.replace("<xmax>5</xmax>", "<xmax>five</xmax>"), "a").unwrap_err().to_string();
    assert!(e.contains("line 5") && e.contains("`five` is not a number"), "{e}");
    let cvat = "<annotations>\n<version>1.1</version>\n<image id=\"0\" name=\"a.jpg\" width=\"10\" height=\"10\">\n<polygon label=\"x\" points=\"1,1;2,2\"/>\n</image>\n</annotations>";
    let e = read_cvat("c.xml", cvat, "a").unwrap_err().to_string();
    assert!(e.contains("c.xml") && e.contains("line 4") && e.contains("three or more"), "{e}");
    let e = read_cvat("c.xml", "<annotations><image name=\"a\" width=\"0\" height=\"3\"/></annotations>", "a")
        .unwrap_err()
        .to_string();
    assert!(e.contains("size must be positive"), "{e}");
}

fn label() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["PER", "ORG", "car", "price tag", "naïve & <label>"]).prop_map(String::from)
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(vec!["a", "Zoë", " ", "🚀", "北京", "\n", "x", "é", "\"", "\t"]), 1..40)
        .prop_map(|parts| parts.concat())
}

fn text_task(id: usize, text: String) -> Task {
    Task { id: format!("t{id}"), data: TaskData { text: Some(text), ..TaskData::default() }, meta: Default::default() }
}

/// Spans in a text of `n` code points.
fn spans(n: usize) -> impl Strategy<Value = Vec<SpanRegion>> {
    prop::collection::vec((0..n, 1..=n, label()), 0..5).prop_map(move |v| {
        v.into_iter()
            .map(|(a, len, label)| SpanRegion { start: a, end: (a + len).min(n).max(a + 1), label, score: None })
            .collect()
    })
}

fn boxes(w: f64, h: f64) -> impl Strategy<Value = Vec<BoxRegion>> {
    prop::collection::vec((0.0..w, 0.0..h, 0.5..w, 0.5..h, label(), prop::option::of(Just(true))), 0..6).prop_map(
        move |v| {
            v.into_iter()
                .map(|(x, y, bw, bh, label, occluded)| {
                    let mut attributes = BTreeMap::new();
                    if let Some(o) = occluded {
                        attributes.insert("occluded".to_string(), json!(o));
                    }
                    BoxRegion {
                        x,
                        y,
                        w: bw.min(w - x).max(0.5),
                        h: bh.min(h - y).max(0.5),
                        label,
                        attributes,
                        score: None,
                    }
                })
                .collect()
        },
    )
}

fn polygons(w: f64, h: f64) -> impl Strategy<Value = Vec<PolygonRegion>> {
    prop::collection::vec((prop::collection::vec((0.0..w, 0.0..h), 3..9), label()), 0..4).prop_map(|v| {
        v.into_iter()
            .map(|(pts, label)| PolygonRegion {
                points: pts.into_iter().map(|(x, y)| [x, y]).collect(),
                label,
                attributes: BTreeMap::new(),
                score: None,
            })
            .collect()
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// doccano and Prodigy: every span (code points) and class comes back under its task and annotator.
    #[test]
    fn doccano_and_prodigy_round_trip(docs in prop::collection::vec(text().prop_flat_map(|t| {
        let n = t.chars().count();
        (Just(t), spans(n), label())
    }), 1..6)) {
        let tasks: Vec<Task> = docs.iter().enumerate().map(|(i, (t, _, _))| text_task(i, t.clone())).collect();
        let refs: Vec<&Task> = tasks.iter().collect();
        let span_records: Vec<AnnotationRecord> = docs.iter().enumerate().map(|(i, (_, s, _))| AnnotationRecord {
            task: format!("t{i}"), annotator: "ann".into(), guideline_version: String::new(),
            result: TaskResult(BTreeMap::from([("ents".to_string(), ControlValue::Spans(s.clone()))])),
        }).collect();
        let class_records: Vec<AnnotationRecord> = docs.iter().enumerate().map(|(i, (_, _, l))| AnnotationRecord {
            task: format!("t{i}"), annotator: "ann".into(), guideline_version: String::new(),
            result: TaskResult(BTreeMap::from([("kind".to_string(), ControlValue::Choices(vec![l.clone()]))])),
        }).collect();
        let want_spans: Vec<(String, u32, u32, String)> = span_records.iter().flat_map(|r| match &r.result.0["ents"] {
            ControlValue::Spans(s) => s.iter().map(|s| (r.task.clone(), s.start as u32, s.end as u32, s.label.clone())).collect::<Vec<_>>(),
            _ => unreachable!(),
        }).collect();

        let back = read_doccano("d.jsonl", &write_doccano(&refs, &span_records, "ents").unwrap(), "ann").unwrap();
        prop_assert_eq!(spans_of(&back), want_spans.clone());
        for (t, (_, d)) in tasks.iter().zip(&back.tasks) {
            prop_assert_eq!(d["text"].as_str(), t.data.text.as_deref());
        }
        let back = read_doccano("d.jsonl", &write_doccano(&refs, &class_records, "kind").unwrap(), "ann").unwrap();
        let t = back.categorical(None, false).unwrap();
        for r in &class_records {
            let ControlValue::Choices(c) = &r.result.0["kind"] else { unreachable!() };
            let item = t.items.get(&r.task).unwrap();
            let label = t.rows().find(|(i, _, _)| *i == item).map(|(_, _, l)| t.labels.name(l).to_string());
            prop_assert_eq!(label.as_deref(), Some(c[0].as_str()));
        }

        let options: Vec<String> = vec!["PER".into(), "ORG".into(), "car".into(), "price tag".into(), "naïve & <label>".into()];
        let back = read_prodigy("p.jsonl", &write_prodigy(&refs, &span_records, "ents", &options).unwrap(), "x").unwrap();
        prop_assert_eq!(spans_of(&back), want_spans);
        prop_assert!(back.annotations.iter().all(|a| a.annotator == "ann"));
        let back = read_prodigy("p.jsonl", &write_prodigy(&refs, &class_records, "kind", &options).unwrap(), "x").unwrap();
        for (a, r) in back.annotations.iter().zip(&class_records) {
            let ControlValue::Choices(c) = &r.result.0["kind"] else { unreachable!() };
            prop_assert_eq!(&a.regions, &vec![Region::Choices { control: "label".into(), choices: c.clone() }]);
        }
    }

    /// VOC and CVAT: boxes (and CVAT's polygons and tags) come back to 1e-6 px with their labels and flags.
    #[test]
    fn voc_and_cvat_round_trip(
        (w, h, b, p) in (10.0f64..4000.0, 10.0f64..4000.0).prop_flat_map(|(w, h)| (Just(w), Just(h), boxes(w, h), polygons(w, h))),
    ) {
        let same_box = |got: &Region, want: &BoxRegion| match got {
            Region::Rect { x, y, w, h, labels, attributes, .. } => {
                close(*x, want.x) && close(*y, want.y) && close(*w, want.w) && close(*h, want.h) && labels == &vec![want.label.clone()]
                    && attributes.get("occluded").is_some() == want.attributes.contains_key("occluded")
            }
            _ => false,
        };

        let voc = read_voc("a.xml", &write_voc("img & 1.png", w, h, &b, "ann").unwrap(), "x").unwrap();
        prop_assert_eq!(&voc.annotations[0].task, "img & 1.png");
        prop_assert_eq!(&voc.annotations[0].annotator, "ann");
        prop_assert_eq!(voc.annotations[0].regions.len(), b.len());
        for (got, want) in voc.annotations[0].regions.iter().zip(&b) {
            prop_assert!(same_box(got, want), "{:?} vs {:?}", got, want);
        }

        let tags = vec!["good_frame".to_string()];
        let xml = write_cvat(&[CvatImage { name: "im.png", width: w, height: h, boxes: &b, polygons: &p, tags: &tags }], &[]).unwrap();
        let cvat = read_cvat("c.xml", &xml, "ann").unwrap();
        let regions = &cvat.annotations[0].regions;
        prop_assert_eq!(regions.len(), b.len() + p.len() + 1);
        for (got, want) in regions.iter().zip(&b) {
            prop_assert!(same_box(got, want), "{:?} vs {:?}", got, want);
        }
        for (got, want) in regions[b.len()..].iter().zip(&p) {
            let Region::Polygon { points, labels, .. } = got else { panic!("{got:?}") };
            prop_assert_eq!(labels, &vec![want.label.clone()]);
            prop_assert!(points.iter().zip(&want.points).all(|(a, b)| close(a[0], b[0]) && close(a[1], b[1])));
        }
        prop_assert_eq!(regions.last().unwrap(), &Region::Choices { control: "tag".into(), choices: tags });
    }
}
