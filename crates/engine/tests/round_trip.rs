//! Export → import is lossless for every format Concord writes: the annotation log (JSONL) and Label Studio JSON
//! (the CLI's `aggregate --out` CSV is checked in the CLI's tests). Inputs are generated: Unicode text with
//! astral-plane characters (offsets are code points), names with quotes and commas, boxes and polygons anywhere in
//! the image.

use std::collections::BTreeMap;

use concord_engine::bundle::AnnotationRecord;
use concord_engine::formats::label_studio::{read_label_studio, Region as LsRegion};
use concord_engine::formats::label_studio_write::write_label_studio;
use concord_engine::log::{parse_jsonl, write_jsonl, Event, Op, Region};
use concord_engine::model::{BoxRegion, ControlValue, PolygonRegion, SpanRegion, Task, TaskData, TaskResult};
use proptest::prelude::*;
use serde_json::json;

/// Names as people write them: spaces, quotes, commas, accents, emoji.
fn name() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["ann", "Bob \"B\" Smith", "chloé, QA", "李雷", "dev 🚀", "a\\b"]).prop_map(String::from)
}

fn label() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["PER", "ORG", "car", "price tag", "naïve, label"]).prop_map(String::from)
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(vec!["a", "Zoë", " ", "🚀", "北京", "\n", "x", "é", "\"", "\t"]), 1..40)
        .prop_map(|parts| parts.concat())
}

/// A span inside a text of `n` code points.
fn span(n: usize) -> impl Strategy<Value = SpanRegion> {
    (0..n, 1..=n, label()).prop_map(move |(a, len, label)| {
        let end = (a + len).min(n).max(a + 1);
        SpanRegion { start: a, end, label, score: None }
    })
}

fn bbox(w: f64, h: f64) -> impl Strategy<Value = BoxRegion> {
    (0.0..w, 0.0..h, 0.5..w, 0.5..h, label(), prop::option::of(prop::bool::ANY)).prop_map(
        move |(x, y, bw, bh, label, parked)| {
            let mut attributes = BTreeMap::new();
            if let Some(p) = parked {
                attributes.insert("parked".to_string(), json!(p.to_string()));
            }
            BoxRegion { x, y, w: bw.min(w - x).max(0.5), h: bh.min(h - y).max(0.5), label, attributes, score: None }
        },
    )
}

fn polygon(w: f64, h: f64) -> impl Strategy<Value = PolygonRegion> {
    (prop::collection::vec((0.0..w, 0.0..h), 3..12), label()).prop_map(|(pts, label)| PolygonRegion {
        points: pts.into_iter().map(|(x, y)| [x, y]).collect(),
        label,
        attributes: BTreeMap::new(),
        score: None,
    })
}

fn cuboid() -> impl Strategy<Value = concord_engine::model::Cuboid> {
    (prop::array::uniform3(-80.0..80.0f64), prop::array::uniform3(0.1..12.0f64), -3.2..3.2f64, label(), any::<bool>())
        .prop_map(|(center, size, yaw, label, moving)| {
            let mut c = concord_engine::model::Cuboid::new(&label, center, size, yaw);
            if moving {
                c.track_id = Some(format!("{label}-1"));
                c.attributes.insert("moving".into(), true.into());
            }
            c
        })
}

/// A text task and an image task, each with 1–3 annotators' records.
fn dataset() -> impl Strategy<Value = (Task, Task, Vec<AnnotationRecord>)> {
    (text(), 16.0..4000.0f64, 16.0..3000.0f64).prop_flat_map(|(t, w, h)| {
        let n = t.chars().count();
        let text_task = Task {
            id: "doc \"1\"".into(),
            data: TaskData { text: Some(t), image: None, width: None, height: None, ..Default::default() },
            meta: Default::default(),
        };
        let image_task = Task {
            id: "img, 2".into(),
            data: TaskData {
                text: None,
                image: Some("shelf/1.jpg".into()),
                width: Some(w),
                height: Some(h),
                ..Default::default()
            },
            meta: Default::default(),
        };
        let text_record = (name(), prop::collection::vec(span(n), 0..5), prop::collection::vec(label(), 0..3))
            .prop_map(|(annotator, spans, choices)| {
                let mut r = BTreeMap::new();
                r.insert("entities".to_string(), ControlValue::Spans(spans));
                r.insert("topic".to_string(), ControlValue::Choices(choices));
                AnnotationRecord {
                    task: "doc \"1\"".into(),
                    annotator,
                    result: TaskResult(r),
                    guideline_version: "2".into(),
                }
            });
        let image_record =
            (name(), prop::collection::vec(bbox(w, h), 0..6), prop::collection::vec(polygon(w, h), 0..3)).prop_map(
                |(annotator, boxes, polygons)| {
                    let mut r = BTreeMap::new();
                    r.insert("objects".to_string(), ControlValue::Boxes(boxes));
                    r.insert("outlines".to_string(), ControlValue::Polygons(polygons));
                    AnnotationRecord {
                        task: "img, 2".into(),
                        annotator,
                        result: TaskResult(r),
                        guideline_version: "2".into(),
                    }
                },
            );
        (
            Just(text_task),
            Just(image_task),
            prop::collection::vec(text_record, 1..3),
            prop::collection::vec(image_record, 1..3),
        )
            .prop_map(|(a, b, mut ts, is)| {
                ts.extend(is);
                (a, b, ts)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Every choice, span (code points) and box (pixels, to 1e-9 px) with its attributes comes back, under the same
    /// annotator and task, in order.
    #[test]
    fn label_studio_json_round_trips((text_task, image_task, records) in dataset()) {
        let json = write_label_studio(&[&text_task, &image_task], &records).unwrap();
        let back = read_label_studio("export.json", &json).unwrap();
        prop_assert_eq!(back.annotations.len(), records.len());
        let mut by_task: BTreeMap<&str, Vec<&AnnotationRecord>> = BTreeMap::new();
        for r in &records {
            by_task.entry(&r.task).or_default().push(r);
        }
        // The writer emits the tasks in the given order, each task's records in order.
        let expected: Vec<&AnnotationRecord> =
            [&text_task.id, &image_task.id].iter().flat_map(|t| by_task.get(t.as_str()).cloned().unwrap_or_default()).collect();
        for (got, want) in back.annotations.iter().zip(expected) {
            prop_assert_eq!(&got.task, &want.task);
            prop_assert_eq!(&got.annotator, &want.annotator);
            prop_assert!(!got.ground_truth);
            let mut spans = Vec::new();
            let mut boxes = Vec::new();
            let mut polygons = Vec::new();
            let mut choices = Vec::new();
            for r in &got.regions {
                match r {
                    LsRegion::Choices { control, choices: c } => { prop_assert_eq!(control, "topic"); choices = c.clone(); }
                    LsRegion::Span { control, start, end, labels, .. } => {
                        prop_assert_eq!(control, "entities");
                        spans.push((*start as usize, *end as usize, labels.clone()));
                    }
                    LsRegion::Rect { control, x, y, w, h, labels, attributes, .. } => {
                        prop_assert_eq!(control, "objects");
                        boxes.push(([*x, *y, *w, *h], labels.clone(), attributes.clone()));
                    }
                    LsRegion::Polygon { control, points, labels, .. } => {
                        prop_assert_eq!(control, "outlines");
                        polygons.push((points.clone(), labels.clone()));
                    }
                }
            }
            for (control, value) in &want.result.0 {
                match value {
                    ControlValue::Choices(c) => prop_assert_eq!(&choices, c, "{}", control),
                    ControlValue::Spans(v) => {
                        let w: Vec<_> = v.iter().map(|s| (s.start, s.end, vec![s.label.clone()])).collect();
                        prop_assert_eq!(&spans, &w);
                    }
                    ControlValue::Boxes(v) => {
                        prop_assert_eq!(boxes.len(), v.len());
                        for ((coords, labels, attributes), b) in boxes.iter().zip(v) {
                            for (a, e) in coords.iter().zip([b.x, b.y, b.w, b.h]) {
                                prop_assert!((a - e).abs() <= 1e-9 * e.abs().max(1.0), "{} vs {}", a, e);
                            }
                            prop_assert_eq!(labels, &vec![b.label.clone()]);
                            let want: BTreeMap<String, Vec<String>> = b.attributes.iter()
                                .map(|(k, v)| (k.clone(), vec![v.as_str().unwrap().to_string()])).collect();
                            prop_assert_eq!(attributes, &want);
                        }
                    }
                    ControlValue::Polygons(v) => {
                        prop_assert_eq!(polygons.len(), v.len());
                        for ((points, labels), p) in polygons.iter().zip(v) {
                            prop_assert_eq!(points.len(), p.points.len());
                            for (a, e) in points.iter().flatten().zip(p.points.iter().flatten()) {
                                prop_assert!((a - e).abs() <= 1e-9 * e.abs().max(1.0), "{} vs {}", a, e);
                            }
                            prop_assert_eq!(labels, &vec![p.label.clone()]);
                        }
                    }
                    ControlValue::Cuboids(_) => unreachable!("the generated projects have no cuboid control"),
                }
            }
        }
    }
}

fn region() -> impl Strategy<Value = Region> {
    prop_oneof![
        span(30).prop_map(Region::Span),
        bbox(800.0, 600.0).prop_map(Region::Box),
        polygon(800.0, 600.0).prop_map(Region::Polygon),
        cuboid().prop_map(Region::Cuboid)
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (label(), prop::collection::vec(label(), 0..3)).prop_map(|(control, labels)| Op::Choose { control, labels }),
        (label(), 0..10usize, region()).prop_map(|(control, index, region)| Op::Insert { control, index, region }),
        (label(), 0..10usize, region()).prop_map(|(control, index, region)| Op::Replace { control, index, region }),
        (label(), 0..10usize).prop_map(|(control, index)| Op::Remove { control, index }),
        prop::collection::vec(span(30), 0..3).prop_map(|v| {
            let mut r = BTreeMap::new();
            r.insert("entities".to_string(), ControlValue::Spans(v));
            Op::SetResult { result: TaskResult(r) }
        }),
        Just(Op::Undo),
        Just(Op::Redo),
        prop::collection::vec(name(), 0..2).prop_map(|warnings| Op::Submit { warnings }),
        Just(Op::Skip),
        (prop::bool::ANY, text()).prop_map(|(unsure, comment)| Op::Flag { unsure, comment }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Every event comes back equal (f64 coordinates bit for bit), in order, and writes out to the same bytes.
    /// (An empty list is `[]` for every kind of control, so it reads back as the empty choice list: the same
    /// annotation, which the replay accepts for any control; it is compared as such.)
    #[test]
    fn the_annotation_log_round_trips(ops in prop::collection::vec((op(), name(), text(), 0u64..u64::MAX / 2), 1..30)) {
        let events: Vec<Event> = ops.into_iter().enumerate().map(|(i, (op, annotator, task, at))| Event {
            id: format!("e{i}-{annotator}"), at, annotator, task, guidelines: "1.2".into(), op,
        }).collect();
        let text = write_jsonl(&events);
        prop_assert_eq!(text.lines().count(), events.len());
        let back = parse_jsonl("log.jsonl", &text).unwrap();
        prop_assert_eq!(&write_jsonl(&back), &text);
        prop_assert_eq!(back.into_iter().map(canonical).collect::<Vec<_>>(), events.into_iter().map(canonical).collect::<Vec<_>>());
    }
}

/// The event with every empty control value written as the empty choice list.
fn canonical(mut e: Event) -> Event {
    if let Op::SetResult { result } = &mut e.op {
        for v in result.0.values_mut() {
            let empty = match v {
                ControlValue::Choices(c) => c.is_empty(),
                ControlValue::Spans(s) => s.is_empty(),
                ControlValue::Boxes(b) => b.is_empty(),
                ControlValue::Polygons(p) => p.is_empty(),
                ControlValue::Cuboids(c) => c.is_empty(),
            };
            if empty {
                *v = ControlValue::Choices(Vec::new());
            }
        }
    }
    e
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// YOLO txt: every box and polygon (pixels, to 1e-6 px) with its class comes back, in order, on images of any size.
    #[test]
    fn yolo_txt_round_trips(
        (w, h) in (1.0f64..5000.0, 1.0f64..5000.0),
        seed_boxes in prop::collection::vec((0.0f64..1.0, 0.0f64..1.0, 0.01f64..1.0, 0.01f64..1.0, label()), 0..8),
        seed_polygons in prop::collection::vec((prop::collection::vec((0.0f64..1.0, 0.0f64..1.0), 3..10), label()), 0..4),
    ) {
        use concord_engine::formats::yolo::{read_yolo_classes, read_yolo_labels, write_yolo_classes, write_yolo_labels};
        let boxes: Vec<BoxRegion> = seed_boxes.into_iter().map(|(x, y, bw, bh, label)| {
            let (x, y) = (x * w, y * h);
            BoxRegion { x, y, w: (bw * w).min(w - x).max(1e-3), h: (bh * h).min(h - y).max(1e-3), label, attributes: BTreeMap::new(), score: None }
        }).collect();
        let polygons: Vec<PolygonRegion> = seed_polygons.into_iter().map(|(pts, label)| PolygonRegion {
            points: pts.into_iter().map(|(x, y)| [x * w, y * h]).collect(), label, attributes: BTreeMap::new(), score: None,
        }).collect();
        let mut classes: Vec<String> = boxes.iter().map(|b| b.label.clone()).chain(polygons.iter().map(|p| p.label.clone())).collect();
        classes.sort();
        classes.dedup();
        classes.insert(0, "unused".into());
        let names = read_yolo_classes("classes.txt", &write_yolo_classes(&classes)).unwrap();
        prop_assert_eq!(&names, &classes);
        let text = write_yolo_labels("img", &boxes, &polygons, &classes, w, h).unwrap();
        let back = read_yolo_labels("img.txt", &text, &names, w, h).unwrap();
        prop_assert_eq!(back.boxes.len(), boxes.len());
        for (a, b) in back.boxes.iter().zip(&boxes) {
            prop_assert_eq!(&a.label, &b.label);
            for (p, q) in [(a.x, b.x), (a.y, b.y), (a.w, b.w), (a.h, b.h)] {
                prop_assert!((p - q).abs() <= 1e-6, "{:?} vs {:?}", a, b);
            }
        }
        prop_assert_eq!(back.polygons.len(), polygons.len());
        for (a, b) in back.polygons.iter().zip(&polygons) {
            prop_assert_eq!(&a.label, &b.label);
            for (p, q) in a.points.iter().zip(&b.points) {
                prop_assert!((p[0] - q[0]).abs() <= 1e-6 && (p[1] - q[1]).abs() <= 1e-6);
            }
        }
    }
}

#[test]
fn yolo_errors_name_the_line_and_why() {
    use concord_engine::formats::yolo::{read_yolo_classes, read_yolo_labels};
    let classes = read_yolo_classes("classes.txt", "car\nperson\n\n").unwrap();
    assert_eq!(classes, ["car", "person"]);
    let gap = read_yolo_classes("classes.txt", "car\n\nperson\n").unwrap_err().to_string();
    assert!(gap.contains("classes.txt") && gap.contains("line 2") && gap.contains("shift"), "{gap}");
    let twice = read_yolo_classes("classes.txt", "car\ncar\n").unwrap_err().to_string();
    assert!(twice.contains("line 2") && twice.contains("also class 0"), "{twice}");
    for (text, line, why) in [
        ("0 0.5 0.5 0.1 0.1\n2 0.5 0.5 0.1 0.1\n", 2, "not a line of the classes file"),
        ("0 0.5 0.5 0.1\n", 1, "3 numbers"),
        ("\n1 0.5 1.5 0.1 0.1\n", 2, "not a fraction"),
        ("0 0.5 0.5 0 0.1\n", 1, "no area"),
        ("0 0.5 x 0.1 0.1\n", 1, "`x` is not a number"),
        ("1 0.1 0.1 0.2 0.2 0.3 0.4 0.5\n", 1, "7 numbers"),
    ] {
        let e = read_yolo_labels("img.txt", text, &classes, 640.0, 480.0).unwrap_err().to_string();
        assert!(e.contains("img.txt") && e.contains(&format!("line {line}")) && e.contains(why), "{text:?}: {e}");
    }
    // A box with a confidence (Ultralytics `save_conf`) keeps it as the score; pixels from fractions.
    let read = read_yolo_labels("img.txt", "1 0.5 0.25 0.5 0.5 0.87\n", &classes, 640.0, 480.0).unwrap();
    let b = &read.boxes[0];
    assert_eq!((b.x, b.y, b.w, b.h, b.label.as_str(), b.score), (160.0, 0.0, 320.0, 240.0, "person", Some(0.87)));
}
