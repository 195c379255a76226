//! Polygons: exact IoU against independent computations (box IoU for rectangles, Sutherland–Hodgman clipping for
//! convex pairs, a fine grid for concave ones), simplicity, agreement and consensus, Label Studio and COCO in and
//! out, rules, the log, gold feedback and error categories.

mod common;

use std::collections::BTreeMap;

use common::shared_dir;
use concord_engine::boxes::iou as box_iou;
use concord_engine::bundle::{parse_manifest, GoldItem};
use concord_engine::consensus::polygon_consensus;
use concord_engine::errors::classify;
use concord_engine::formats::coco::{read_coco_polygons, write_coco, CocoImageOut};
use concord_engine::formats::label_studio::{read_label_studio, Region as LsRegion};
use concord_engine::formats::label_studio_write::write_label_studio;
use concord_engine::gold::feedback;
use concord_engine::log::{submitted_records, Event, Op, Region, Replay};
use concord_engine::model::ErrorCategory;
use concord_engine::model::{ControlValue, PolygonRec, PolygonRegion, PolygonTable, Schema, Task, TaskResult};
use concord_engine::polygons::geometry::{area, contains, intersection_area, iou, self_intersection, Point};
use concord_engine::polygons::polygon_agreement;
use concord_engine::rules::{parse_rules, validate, Subject};
use proptest::prelude::*;
use serde_json::json;

fn shape(points: &[Point]) -> Vec<Vec<Point>> {
    vec![points.to_vec()]
}

fn rect(x: f64, y: f64, w: f64, h: f64) -> Vec<Point> {
    vec![[x, y], [x + w, y], [x + w, y + h], [x, y + h]]
}

/// Sutherland–Hodgman: the part of `subject` inside the convex, counter-clockwise (y up) `clip`.
fn clip_convex(subject: &[Point], clip: &[Point]) -> Vec<Point> {
    let inside = |p: Point, a: Point, b: Point| (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0.0;
    let cut = |p: Point, q: Point, a: Point, b: Point| {
        let (x1, y1, x2, y2, x3, y3, x4, y4) = (p[0], p[1], q[0], q[1], a[0], a[1], b[0], b[1]);
        let d = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4);
        let t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / d;
        [x1 + t * (x2 - x1), y1 + t * (y2 - y1)]
    };
    let mut out = subject.to_vec();
    for i in 0..clip.len() {
        let (a, b) = (clip[i], clip[(i + 1) % clip.len()]);
        let input = std::mem::take(&mut out);
        for j in 0..input.len() {
            let (p, q) = (input[j], input[(j + 1) % input.len()]);
            match (inside(p, a, b), inside(q, a, b)) {
                (true, true) => out.push(q),
                (true, false) => out.push(cut(p, q, a, b)),
                (false, true) => {
                    out.push(cut(p, q, a, b));
                    out.push(q)
                }
                (false, false) => {}
            }
        }
        if out.is_empty() {
            break;
        }
    }
    out
}

fn shoelace(p: &[Point]) -> f64 {
    let n = p.len();
    ((0..n).map(|i| p[i][0] * p[(i + 1) % n][1] - p[(i + 1) % n][0] * p[i][1]).sum::<f64>() / 2.0).abs()
}

/// The convex hull (counter-clockwise, y up) of points: a random convex polygon.
fn hull(mut pts: Vec<Point>) -> Vec<Point> {
    pts.sort_by(|a, b| a.partial_cmp(b).unwrap());
    pts.dedup();
    let cross = |o: Point, a: Point, b: Point| (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    let mut h: Vec<Point> = Vec::new();
    for pass in 0..2 {
        let start = h.len();
        let iter: Box<dyn Iterator<Item = &Point>> =
            if pass == 0 { Box::new(pts.iter()) } else { Box::new(pts.iter().rev()) };
        for &p in iter {
            while h.len() >= start + 2 && cross(h[h.len() - 2], h[h.len() - 1], p) <= 0.0 {
                h.pop();
            }
            h.push(p);
        }
        h.pop();
    }
    h
}

/// Intersection area by counting the centres of a `n`×`n` grid of cells over the shapes' bounds.
fn grid_intersection(a: &[Vec<Point>], b: &[Vec<Point>], n: usize) -> f64 {
    let all: Vec<Point> = a.iter().chain(b).flatten().copied().collect();
    let (x0, x1) = all.iter().fold((f64::MAX, f64::MIN), |m, p| (m.0.min(p[0]), m.1.max(p[0])));
    let (y0, y1) = all.iter().fold((f64::MAX, f64::MIN), |m, p| (m.0.min(p[1]), m.1.max(p[1])));
    let (dx, dy) = ((x1 - x0) / n as f64, (y1 - y0) / n as f64);
    let mut hits = 0usize;
    for i in 0..n {
        for j in 0..n {
            let p = [x0 + (i as f64 + 0.5) * dx, y0 + (j as f64 + 0.5) * dy];
            if contains(a, p) && contains(b, p) {
                hits += 1;
            }
        }
    }
    hits as f64 * dx * dy
}

#[test]
fn rectangles_give_the_box_iou() {
    let cases = [
        ([0.0, 0.0, 10.0, 10.0], [5.0, 5.0, 10.0, 10.0]),
        ([0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 10.0, 10.0]),
        ([0.0, 0.0, 10.0, 10.0], [10.0, 0.0, 10.0, 10.0]),
        ([0.0, 0.0, 10.0, 10.0], [2.0, 3.0, 4.0, 5.0]),
        ([1.5, 2.5, 7.25, 3.0], [4.0, 0.0, 2.0, 9.0]),
        ([0.0, 0.0, 10.0, 10.0], [0.0, 5.0, 10.0, 10.0]),
    ];
    for (a, b) in cases {
        let (pa, pb) = (shape(&rect(a[0], a[1], a[2], a[3])), shape(&rect(b[0], b[1], b[2], b[3])));
        let want = box_iou(&a, &b);
        assert!((iou(&pa, &pb) - want).abs() < 1e-12, "{a:?} {b:?}: {} vs {want}", iou(&pa, &pb));
        // Orientation and starting vertex do not matter.
        let mut rev = rect(b[0], b[1], b[2], b[3]);
        rev.reverse();
        rev.rotate_left(1);
        assert!((iou(&pa, &shape(&rev)) - want).abs() < 1e-12);
    }
}

#[test]
fn concave_shapes_against_a_fine_grid() {
    let l_shape = shape(&[[0.0, 0.0], [10.0, 0.0], [10.0, 3.0], [3.0, 3.0], [3.0, 10.0], [0.0, 10.0]]);
    let star: Vec<Point> = (0..10)
        .map(|k| {
            let r = if k % 2 == 0 { 6.0 } else { 2.5 };
            let t = k as f64 * std::f64::consts::PI / 5.0;
            [5.0 + r * t.cos(), 5.0 + r * t.sin()]
        })
        .collect();
    let star = shape(&star);
    let square = shape(&rect(1.0, 1.0, 6.0, 6.0));
    for (a, b) in [(&l_shape, &star), (&l_shape, &square), (&star, &square)] {
        let exact = intersection_area(a, b);
        let grid = grid_intersection(a, b, 1200);
        assert!((exact - grid).abs() < 0.02, "exact {exact} vs grid {grid}");
        assert!((intersection_area(b, a) - exact).abs() < 1e-9, "symmetric");
    }
    // The L-shape and the square: the square minus the notch [3, 7]×[3, 7] — 36 − 16 = 20 by hand.
    assert!((intersection_area(&l_shape, &square) - 20.0).abs() < 1e-9);
    assert!((area(&l_shape) - 51.0).abs() < 1e-12);
}

#[test]
fn shared_edges_count_once_and_touching_shapes_do_not_overlap() {
    let a = shape(&rect(0.0, 0.0, 4.0, 4.0));
    // A shape sharing the left part of a's bottom edge and running inside it.
    let b = shape(&[[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]]);
    assert!((intersection_area(&a, &b) - 4.0).abs() < 1e-12);
    // Touching along an edge from outside.
    let c = shape(&rect(4.0, 1.0, 3.0, 2.0));
    assert_eq!(intersection_area(&a, &c), 0.0);
    // A triangle whose edge lies on a's diagonal-free edge, half inside.
    let t = shape(&[[2.0, 0.0], [6.0, 0.0], [4.0, 2.0]]);
    let grid = grid_intersection(&a, &t, 1000);
    assert!((intersection_area(&a, &t) - grid).abs() < 0.01, "{} vs {grid}", intersection_area(&a, &t));
    assert!((iou(&a, &a) - 1.0).abs() < 1e-12);
}

#[test]
fn instances_in_parts_add_their_parts() {
    let two = vec![rect(0.0, 0.0, 2.0, 2.0), rect(5.0, 0.0, 2.0, 2.0)];
    let band = shape(&rect(1.0, 0.0, 5.0, 1.0));
    // band ∩ first part = [1,2]×[0,1] = 1; band ∩ second = [5,6]×[0,1] = 1.
    assert!((intersection_area(&two, &band) - 2.0).abs() < 1e-12);
    assert!((area(&two) - 8.0).abs() < 1e-12);
}

proptest! {
    #[test]
    fn convex_pairs_match_clipping(
        a in proptest::collection::vec((0.0f64..100.0, 0.0f64..100.0), 3..12),
        b in proptest::collection::vec((0.0f64..100.0, 0.0f64..100.0), 3..12),
    ) {
        let (ha, hb) = (hull(a.iter().map(|p| [p.0, p.1]).collect()), hull(b.iter().map(|p| [p.0, p.1]).collect()));
        prop_assume!(ha.len() >= 3 && hb.len() >= 3 && shoelace(&ha) > 1e-3 && shoelace(&hb) > 1e-3);
        let clipped = clip_convex(&ha, &hb);
        let want = if clipped.len() >= 3 { shoelace(&clipped) } else { 0.0 };
        let got = intersection_area(&shape(&ha), &shape(&hb));
        prop_assert!((got - want).abs() <= 1e-7 * (1.0 + want), "got {} want {}", got, want);
        let i = iou(&shape(&ha), &shape(&hb));
        prop_assert!((0.0..=1.0).contains(&i));
        prop_assert!((i - iou(&shape(&hb), &shape(&ha))).abs() < 1e-9);
    }
}

#[test]
fn self_intersections_are_found_and_named() {
    let bow_tie = [[0.0, 0.0], [4.0, 4.0], [4.0, 0.0], [0.0, 4.0]];
    assert_eq!(self_intersection(&bow_tie).as_deref(), Some("edge 1–2 crosses edge 3–4"));
    assert_eq!(self_intersection(&rect(0.0, 0.0, 3.0, 3.0)), None);
    let l = [[0.0, 0.0], [10.0, 0.0], [10.0, 3.0], [3.0, 3.0], [3.0, 10.0], [0.0, 10.0]];
    assert_eq!(self_intersection(&l), None);
    let repeated = [[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [4.0, 0.0]];
    assert!(self_intersection(&repeated).unwrap().contains("vertices 2 and 4"));
    assert!(self_intersection(&[[0.0, 0.0], [1.0, 1.0]]).unwrap().contains("at least 3"));
    // A vertex touching a non-adjacent edge.
    let touch = [[0.0, 0.0], [4.0, 0.0], [2.0, 0.0001], [2.0, 0.0], [1.0, 3.0]];
    assert!(self_intersection(&touch).is_some());
}

fn table(polys: &[(&str, &str, &str, Vec<Point>)]) -> PolygonTable {
    let mut t = PolygonTable::default();
    for (item, who, label, pts) in polys {
        let (item, annotator, label) = (t.items.intern(item), t.annotators.intern(who), t.labels.intern(label));
        t.cover(item, annotator);
        t.regions.push(PolygonRec { item, annotator, label, rings: shape(pts) });
    }
    t.finish();
    t
}

#[test]
fn agreement_matches_polygons_one_to_one_by_iou() {
    // a and b: one car each, IoU 80/100 = 0.8 (a 10×10 square and the same shifted 2 px); b also has a tree a lacks.
    let t = table(&[
        ("img", "a", "car", rect(0.0, 0.0, 10.0, 10.0)),
        ("img", "b", "car", rect(0.0, 2.0, 10.0, 10.0)),
        ("img", "b", "tree", rect(50.0, 50.0, 5.0, 5.0)),
    ]);
    let r = polygon_agreement(&t);
    let want_iou = 80.0 / 120.0;
    assert_eq!(r.pairwise.len(), 1);
    let p = &r.pairwise[0];
    // One match at 0.5 (IoU 0.667) of 3 polygons: F1 = 2·1/3; none at 0.75.
    assert!((p.f1_50.unwrap() - 2.0 / 3.0).abs() < 1e-12 && p.f1_75 == Some(0.0));
    assert!((p.mean_iou_50.unwrap() - want_iou).abs() < 1e-12);
    assert_eq!(r.per_label["tree"].f1_50, Some(0.0));
}

#[test]
fn consensus_keeps_the_medoid_with_the_majority_label() {
    let t = table(&[
        ("img", "a", "car", rect(0.0, 0.0, 10.0, 10.0)),
        ("img", "b", "car", rect(1.0, 0.0, 10.0, 10.0)),
        ("img", "c", "van", rect(2.0, 0.0, 10.0, 10.0)),
        // One annotator alone: below a quorum of 2.
        ("img", "c", "tree", rect(60.0, 60.0, 5.0, 5.0)),
    ]);
    let out = polygon_consensus(&t, 0.5, 2);
    assert_eq!(out.len(), 1);
    let c = &out[0];
    // b (shifted 1) overlaps both others most: IoU 90/110 each, against a–c 80/120.
    assert_eq!(c.polygon.rings, shape(&rect(1.0, 0.0, 10.0, 10.0)));
    assert_eq!(t.labels.name(c.polygon.label), "car");
    assert!((c.support - 1.0).abs() < 1e-12);
    assert!((c.mean_iou - 90.0 / 110.0).abs() < 1e-12);
}

fn poly(points: &[Point], label: &str) -> PolygonRegion {
    PolygonRegion { points: points.to_vec(), label: label.into(), attributes: BTreeMap::new(), score: None }
}

#[test]
fn label_studio_polygons_in_percent_read_as_pixels_and_round_trip() {
    // The real export from Label Studio's own tests: one airplane on a 128×128 image.
    if let Some(dir) = shared_dir("fixtures/label-studio-exports") {
        let text = std::fs::read_to_string(dir.join("test_export_json_min__data.json")).unwrap();
        let ls = read_label_studio("min.json", &text).unwrap();
        assert_eq!(ls.kind(), Some("polygons"));
        assert!(ls.skipped_types.is_empty());
        let t = ls.polygons(false);
        assert_eq!(t.regions.len(), 1);
        assert_eq!(t.labels.name(t.regions[0].label), "Airplane");
        let first = t.regions[0].rings[0][0];
        assert!(
            (first[0] - 44.44444444444444 * 1.28).abs() < 1e-9 && (first[1] - 48.25396825396825 * 1.28).abs() < 1e-9
        );
    }
    let s: Schema = serde_json::from_value(json!({"data": "image", "controls": [
        {"name": "seg", "type": "polygons", "labels": [{"value": "roof"}, {"value": "pool"}]}]}))
    .unwrap();
    let task: Task =
        serde_json::from_value(json!({"id": "t1", "data": {"image": "a.png", "width": 640, "height": 480}})).unwrap();
    let pts = [[10.0, 20.0], [200.5, 30.0], [150.0, 300.25], [12.0, 280.0]];
    let ev = |seq: u64, op: Op| Event {
        id: format!("l:{seq}"),
        at: seq,
        annotator: "ann".into(),
        task: "t1".into(),
        guidelines: "1".into(),
        op,
    };
    let events = vec![
        ev(1, Op::Insert { control: "seg".into(), index: 0, region: Region::Polygon(poly(&pts, "roof")) }),
        ev(2, Op::Submit { warnings: vec![] }),
    ];
    let r = Replay::from_events(&s, &events).unwrap();
    let json = write_label_studio(&[&task], &submitted_records(&r)).unwrap();
    let back = read_label_studio("out.json", &json).unwrap();
    match &back.annotations[0].regions[0] {
        LsRegion::Polygon { points, labels, image, .. } => {
            assert_eq!(labels, &["roof"]);
            assert_eq!(*image, (640.0, 480.0));
            for (p, q) in points.iter().zip(&pts) {
                assert!((p[0] - q[0]).abs() < 1e-9 && (p[1] - q[1]).abs() < 1e-9, "{p:?} vs {q:?}");
            }
        }
        other => panic!("{other:?}"),
    }
    // Bad points name their path; open polygons are counted as skipped.
    let bad = json!([{"id": 1, "data": {"image": "a.png"}, "annotations": [{"completed_by": 1, "result": [
        {"type": "polygonlabels", "from_name": "seg", "original_width": 100, "original_height": 100,
         "value": {"points": [[1, 2], [3], [4, 5]], "polygonlabels": ["roof"]}}]}]}]);
    let e = read_label_studio("bad.json", &bad.to_string()).unwrap_err().to_string();
    assert!(e.contains("$[0].annotations[0].result[0].value.points[1]"), "{e}");
    let open = json!([{"id": 1, "data": {}, "annotations": [{"completed_by": 1, "result": [
        {"type": "polygonlabels", "from_name": "seg", "original_width": 100, "original_height": 100,
         "value": {"points": [[1, 2], [3, 4], [4, 5]], "closed": false, "polygonlabels": ["roof"]}}]}]}]);
    let ls = read_label_studio("open.json", &open.to_string()).unwrap();
    assert_eq!(ls.skipped_types.get("polygonlabels (open)"), Some(&1));
}

#[test]
fn coco_segmentation_round_trips_and_rle_is_refused() {
    let roof = poly(&[[10.0, 10.0], [90.0, 12.0], [80.0, 70.0], [15.0, 60.0]], "roof");
    let pool = poly(&[[100.0, 100.0], [140.0, 100.0], [120.0, 130.0]], "pool");
    let polys = [roof.clone(), pool.clone()];
    let images =
        [CocoImageOut { id: "t1", file_name: "a.png", width: 200.0, height: 200.0, boxes: &[], polygons: &polys }];
    let cats = ["roof".to_string(), "pool".to_string()];
    let text = write_coco(&images, &cats).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ann = &v["annotations"][1];
    assert_eq!(ann["segmentation"], json!([[100.0, 100.0, 140.0, 100.0, 120.0, 130.0]]));
    assert_eq!(ann["bbox"], json!([100.0, 100.0, 40.0, 30.0]));
    assert_eq!(ann["area"], json!(shoelace(&pool.points)));
    let t = read_coco_polygons("coco.json", &text, "gold").unwrap();
    assert_eq!(t.items.name(0), "t1");
    assert_eq!(t.regions.len(), 2);
    assert_eq!(t.regions[0].rings, roof.rings());
    assert_eq!(t.labels.name(t.regions[1].label), "pool");
    let mut rle = v.clone();
    rle["annotations"][0]["segmentation"] = json!({"counts": "abc", "size": [200, 200]});
    let e = read_coco_polygons("rle.json", &rle.to_string(), "gold").unwrap_err().to_string();
    assert!(e.contains("$.annotations[0].segmentation") && e.contains("RLE"), "{e}");
    let mut short = v;
    short["annotations"][1]["segmentation"] = json!([[1.0, 2.0, 3.0, 4.0]]);
    let e = read_coco_polygons("short.json", &short.to_string(), "gold").unwrap_err().to_string();
    assert!(e.contains("$.annotations[1].segmentation[0]"), "{e}");
}

fn project_schema() -> Schema {
    let m = json!({"format": "concord-project", "version": 1, "id": "p", "name": "P",
        "schema": {"data": "image", "controls": [
            {"name": "seg", "type": "polygons", "labels": [{"value": "roof"}, {"value": "pool"}]},
            {"name": "boxes", "type": "boxes", "labels": [{"value": "car"}]}]},
        "guidelines": {"path": "g.md", "version": "1"}, "tasks": [{"path": "t.jsonl", "count": 1}]});
    parse_manifest("project.json", &m.to_string()).unwrap().schema
}

#[test]
fn rules_check_area_simplicity_and_the_image_bounds() {
    let s = project_schema();
    let rules = json!({"format": "concord-rules", "version": 1, "rules": [
        {"id": "P1", "kind": "min_size", "severity": "error", "message": "too small", "section": "#s",
         "control": "seg", "min_area": 100},
        {"id": "P2", "kind": "simple_polygon", "severity": "error", "message": "crosses itself", "section": "#s",
         "control": "seg"},
        {"id": "P3", "kind": "inside_image", "severity": "error", "message": "outside", "section": "#s",
         "control": "seg"}]});
    let rs = parse_rules("rules.json", &rules.to_string(), Some(&s)).unwrap();
    let task: Task =
        serde_json::from_value(json!({"id": "t", "data": {"image": "a.png", "width": 100, "height": 100}})).unwrap();
    let result = |v: Vec<PolygonRegion>| {
        let mut r = TaskResult::default();
        r.0.insert("seg".into(), ControlValue::Polygons(v));
        r
    };
    let r = result(vec![
        poly(&rect(10.0, 10.0, 20.0, 20.0), "roof"),         // fine: 400 px²
        poly(&[[0.0, 0.0], [8.0, 0.0], [0.0, 8.0]], "pool"), // 32 px²
        poly(&[[40.0, 40.0], [60.0, 60.0], [60.0, 40.0], [40.0, 60.0]], "roof"), // a bow tie
        poly(&[[90.0, 90.0], [120.0, 90.0], [90.0, 120.0]], "roof"), // vertex 2 leaves
    ]);
    let got: Vec<(String, Option<usize>, String)> =
        validate(&rs, &Subject { task: &task, result: &r, prediction: None })
            .into_iter()
            .map(|v| (v.rule, v.region, v.message))
            .collect();
    let has = |rule: &str, region: usize, detail: &str| {
        got.iter().any(|g| g.0 == rule && g.1 == Some(region) && g.2.contains(detail))
    };
    assert!(has("P1", 1, "area 32.0 px²"), "{got:?}");
    // The bow tie's two triangles have opposite orientations, so its signed areas cancel: 0 px².
    assert!(has("P1", 2, "area 0.0"), "{got:?}");
    assert!(has("P2", 2, "edge 1–2 crosses edge 3–4"), "{got:?}");
    assert!(has("P3", 3, "vertex 2 leaves the 100×100 image"), "{got:?}");
    assert!(!got.iter().any(|g| g.1 == Some(0)), "{got:?}");
    // simple_polygon on a box control is refused with its path.
    let wrong = json!({"format": "concord-rules", "version": 1, "rules": [
        {"id": "X", "kind": "simple_polygon", "severity": "error", "message": "m", "control": "boxes"}]});
    let e = parse_rules("rules.json", &wrong.to_string(), Some(&s)).unwrap_err().to_string();
    assert!(e.contains("$.rules[0].control") && e.contains("Polygons"), "{e}");
}

#[test]
fn the_log_edits_polygons_and_undoes_exactly() {
    let s = project_schema();
    let a = poly(&rect(0.0, 0.0, 10.0, 10.0), "roof");
    let mut moved = a.clone();
    moved.points[2] = [14.0, 12.0];
    let ev = |seq: u64, op: Op| Event {
        id: format!("l:{seq}"),
        at: seq,
        annotator: "ann".into(),
        task: "t".into(),
        guidelines: "1".into(),
        op,
    };
    let events = vec![
        ev(1, Op::Insert { control: "seg".into(), index: 0, region: Region::Polygon(a.clone()) }),
        ev(2, Op::Replace { control: "seg".into(), index: 0, region: Region::Polygon(moved.clone()) }),
    ];
    let r = Replay::from_events(&s, &events).unwrap();
    assert_eq!(r.task("t").unwrap().result.0["seg"], ControlValue::Polygons(vec![moved]));
    let mut undone = events.clone();
    undone.push(ev(3, Op::Undo));
    undone.push(ev(4, Op::Undo));
    let r = Replay::from_events(&s, &undone).unwrap();
    assert!(r.task("t").unwrap().result.0.is_empty(), "undoing the insert leaves no entry");
    // A polygon of two vertices, or on the box control, is refused.
    let bad = vec![ev(
        1,
        Op::Insert {
            control: "seg".into(),
            index: 0,
            region: Region::Polygon(poly(&[[0.0, 0.0], [1.0, 1.0]], "roof")),
        },
    )];
    assert!(Replay::from_events(&s, &bad).unwrap_err().1.contains("at least 3 vertices"));
    let wrong = vec![ev(1, Op::Insert { control: "boxes".into(), index: 0, region: Region::Polygon(a) })];
    assert!(Replay::from_events(&s, &wrong).unwrap_err().1.contains("does not take this kind of region"));
}

#[test]
fn gold_feedback_and_error_categories_pair_polygons_by_iou() {
    let mut gold = TaskResult::default();
    gold.0.insert(
        "seg".into(),
        ControlValue::Polygons(vec![
            poly(&rect(0.0, 0.0, 10.0, 10.0), "roof"),
            poly(&rect(50.0, 0.0, 10.0, 10.0), "pool"),
            poly(&rect(100.0, 0.0, 10.0, 10.0), "roof"),
        ]),
    );
    let mut given = TaskResult::default();
    given.0.insert(
        "seg".into(),
        ControlValue::Polygons(vec![
            poly(&rect(0.0, 1.0, 10.0, 10.0), "roof"),   // IoU 90/110: matched, tight
            poly(&rect(50.0, 0.0, 10.0, 10.0), "roof"),  // same place, wrong label
            poly(&rect(200.0, 0.0, 10.0, 10.0), "pool"), // extra; the third gold roof is missed
        ]),
    );
    let g = GoldItem { task: "t".into(), result: gold.clone(), explanation: String::new(), section: String::new() };
    let c = &feedback(&given, &g).controls[0];
    assert_eq!((c.matched, c.mislabeled, c.missed, c.extra), (1, 1, 1, 1));
    assert_eq!(c.expected, "3 polygons");
    let cats: Vec<ErrorCategory> = classify(&given, &gold, &[]).into_iter().map(|f| f.category).collect();
    assert_eq!(cats, [ErrorCategory::WrongLabel, ErrorCategory::MissedRegion, ErrorCategory::ExtraRegion]);
}

#[test]
fn annotator_mode_coco_export_holds_boxes_and_polygons_of_submitted_tasks() {
    use concord_engine::bundle::AnnotationRecord;
    use concord_engine::formats::coco::write_coco_records;
    use concord_engine::formats::WriteError;
    use concord_engine::model::BoxRegion;
    let s = project_schema();
    let task = |id: &str, size: bool| -> Task {
        let data = if size {
            json!({"image": format!("{id}.png"), "width": 100, "height": 80})
        } else {
            json!({"image": format!("{id}.png")})
        };
        serde_json::from_value(json!({"id": id, "data": data})).unwrap()
    };
    let (a, b, c) = (task("a", true), task("b", true), task("c", false));
    let mut result = TaskResult::default();
    result.0.insert("seg".into(), ControlValue::Polygons(vec![poly(&[[1.0, 1.0], [9.0, 1.0], [5.0, 7.0]], "pool")]));
    let bx =
        BoxRegion { x: 2.0, y: 3.0, w: 4.0, h: 5.0, label: "car".into(), attributes: BTreeMap::new(), score: None };
    result.0.insert("boxes".into(), ControlValue::Boxes(vec![bx]));
    let rec = |task: &str| AnnotationRecord {
        task: task.into(),
        annotator: "ann".into(),
        result: result.clone(),
        guideline_version: "1".into(),
    };
    // Task b has no record: left out.
    let text = write_coco_records(&[&a, &b], &[rec("a")], &s).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["images"].as_array().unwrap().len(), 1);
    let names: Vec<&str> = v["categories"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["roof", "pool", "car"], "the schema's label order, polygon and box controls together");
    let anns = v["annotations"].as_array().unwrap();
    assert_eq!(anns.len(), 2);
    let seg = anns.iter().find(|a| a.get("segmentation").is_some()).unwrap();
    assert_eq!(seg["area"], json!(24.0), "½·8·6");
    assert_eq!(seg["category_id"], json!(2));
    let e = write_coco_records(&[&c], &[rec("c")], &s).unwrap_err();
    assert_eq!(e, WriteError::NoImageSize { task: "c".into(), needed_by: "COCO" });
    assert!(e.to_string().contains("`c`") && e.to_string().contains("width/height"), "{e}");
}
