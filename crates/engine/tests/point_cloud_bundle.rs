//! Point-cloud projects: frames as bundle tasks (points, sequence, frame, ego pose, cameras), cuboids as results and
//! log regions, a camera's projection against the pinhole formula worked by hand, and cuboids through the region
//! machinery (agreement, consensus, gold feedback) with their answers known by construction.

use concord_engine::bundle::{parse_manifest, parse_task_chunk, TaskIds};
use concord_engine::consensus::cuboid_consensus;
use concord_engine::formats::concord::{annotation_tables, Tables};
use concord_engine::log::{Event, Op, Region, Replay};
use concord_engine::model::{Camera, ControlValue, Cuboid, TaskResult};
use concord_engine::scene::cuboid_agreement;
use serde_json::json;

fn project() -> concord_engine::bundle::Project {
    let manifest = json!({
        "format": "concord-project", "version": 1, "id": "street", "name": "Street",
        "schema": {"data": "point_cloud", "controls": [
            {"name": "objects", "type": "cuboids", "labels": [
                {"value": "Car", "hotkey": "1"}, {"value": "Pedestrian", "hotkey": "2"}]}]},
        "guidelines": {"path": "guidelines.md", "version": "1"},
        "tasks": [{"path": "tasks/000.jsonl", "count": 1}]
    });
    parse_manifest("project.json", &manifest.to_string()).unwrap()
}

fn front_camera() -> serde_json::Value {
    // Looks along the sensor's +x: camera x (right) = −y, camera y (down) = −z, camera z (forward) = x.
    json!({"name": "front", "image": "frames/000000.png", "width": 640, "height": 480,
           "intrinsics": [[500, 0, 320], [0, 500, 240], [0, 0, 1]],
           "extrinsics": [[0, -1, 0, 0], [0, 0, -1, 0], [1, 0, 0, 0]]})
}

fn frame_line(data: serde_json::Value) -> String {
    json!({"id": "f0", "data": data}).to_string()
}

#[test]
fn a_frame_task_carries_its_points_sequence_pose_and_cameras() {
    let p = project();
    let line = frame_line(json!({"points": "frames/000000.bin", "sequence": "s1", "frame": 0,
        "pose": {"frame": 0, "timestamp": 0.0, "translation": [1.0, 2.0, 0.0], "yaw": 0.1},
        "cameras": [front_camera()]}));
    let tasks = parse_task_chunk("tasks/000.jsonl", &line, &p, 1, &mut TaskIds::default()).unwrap();
    let d = &tasks[0].data;
    assert_eq!(d.points.as_deref(), Some("frames/000000.bin"));
    assert_eq!((d.sequence.as_deref(), d.frame), (Some("s1"), Some(0)));
    assert_eq!(d.pose.unwrap().translation, [1.0, 2.0, 0.0]);
    assert_eq!(d.cameras[0].name, "front");
    // And it writes back as it was read.
    let written = serde_json::to_string(&tasks[0]).unwrap();
    assert_eq!(parse_task_chunk("again.jsonl", &written, &p, 1, &mut TaskIds::default()).unwrap(), tasks);
}

#[test]
fn bad_frame_tasks_name_the_line_the_path_and_why() {
    let p = project();
    let cases = [
        (json!({"text": "no points"}), "$.data", "missing `points`"),
        (json!({"points": "frames/0.png"}), "$.data.points", "not a KITTI `.bin` or a `.pcd`"),
        (json!({"points": "../up.bin"}), "$.data.points", ".."),
        (json!({"points": "a.bin", "frame": -1}), "$.data.frame", "negative"),
        (
            json!({"points": "a.bin", "frame": 2, "pose": {"frame": 3, "timestamp": 0.0, "translation": [0, 0, 0]}}),
            "$.data.pose.frame",
            "pose of frame 3 on frame 2",
        ),
        (
            json!({"points": "a.bin", "cameras": [{"name": "f", "image": "a.png", "width": 10, "height": 10,
            "intrinsics": [[0, 0, 5], [0, 1, 5], [0, 0, 1]], "extrinsics": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]}]}),
            "$.data.cameras[0]",
            "fx, fy > 0",
        ),
    ];
    for (data, path, why) in cases {
        let text = format!("\n{}", frame_line(data.clone()));
        let e = parse_task_chunk("tasks/000.jsonl", &text, &p, 1, &mut TaskIds::default()).unwrap_err();
        let shown = e.to_string();
        assert!(shown.contains("tasks/000.jsonl") && shown.contains("line 2"), "{data}: {shown}");
        assert!(shown.contains(path) && shown.contains(why), "{data}: {shown}");
    }
}

#[test]
fn a_camera_projects_by_the_pinhole_formula() {
    let camera: Camera = serde_json::from_value(front_camera()).unwrap();
    // 10 m ahead, 1 m to the left, 0.5 m up: camera (x, y, z) = (−1, −0.5, 10), so (500·−0.1 + 320, 500·−0.05 + 240).
    let [u, v] = camera.project([10.0, 1.0, 0.5]).unwrap();
    assert!((u - 270.0).abs() < 1e-12 && (v - 215.0).abs() < 1e-12, "{u} {v}");
    // Behind the camera there is no image point, and a box reaching behind it is not drawn.
    assert_eq!(camera.project([-1.0, 0.0, 0.0]), None);
    assert!(camera.project_cuboid(&Cuboid::new("Car", [0.5, 0.0, 0.0], [4.0, 2.0, 1.5], 0.0)).is_none());
    // A box ahead: its corners are the formula applied to `corners()`, and the near face is the larger.
    let c = Cuboid::new("Car", [10.0, 0.0, 0.0], [2.0, 2.0, 2.0], 0.0);
    let px = camera.project_cuboid(&c).unwrap();
    for (p, corner) in px.iter().zip(c.corners()) {
        let (x, y, z) = (-corner[1], -corner[2], corner[0]);
        assert!((p[0] - (500.0 * x / z + 320.0)).abs() < 1e-9 && (p[1] - (500.0 * y / z + 240.0)).abs() < 1e-9);
    }
    let width = |i: usize, j: usize| (px[i][0] - px[j][0]).abs();
    // Corners 0, 1 are the front (x = 11) and 2, 3 the back (x = 9) of the footprint.
    assert!(width(2, 3) > width(0, 1));
}

fn event(id: usize, op: Op) -> Event {
    Event {
        id: format!("l:{id}"),
        at: id as u64,
        annotator: "ada".into(),
        task: "f0".into(),
        guidelines: "1".into(),
        op,
    }
}

#[test]
fn cuboids_are_log_regions_checked_like_boxes() {
    let p = project();
    let car = Cuboid::new("Car", [10.0, 0.0, 0.8], [4.2, 1.8, 1.6], 0.3);
    let mut r = Replay::default();
    r.apply(
        &p.schema,
        &event(1, Op::Insert { control: "objects".into(), index: 0, region: Region::Cuboid(car.clone()) }),
    )
    .unwrap();
    let mut moved = car.clone();
    moved.center[0] = 11.0;
    r.apply(
        &p.schema,
        &event(2, Op::Replace { control: "objects".into(), index: 0, region: Region::Cuboid(moved.clone()) }),
    )
    .unwrap();
    assert_eq!(r.task("f0").unwrap().result.0["objects"], ControlValue::Cuboids(vec![moved]));
    r.apply(&p.schema, &event(3, Op::Undo)).unwrap();
    assert_eq!(r.task("f0").unwrap().result.0["objects"], ControlValue::Cuboids(vec![car.clone()]));
    // A flat box, an unknown label: refused, and nothing changes.
    let mut flat = car.clone();
    flat.size[2] = 0.0;
    let e =
        r.apply(&p.schema, &event(4, Op::Insert { control: "objects".into(), index: 1, region: Region::Cuboid(flat) }));
    assert!(e.unwrap_err().to_string().contains("sizes above zero"));
    let mut tram = car.clone();
    tram.label = "Tram".into();
    assert!(r
        .apply(&p.schema, &event(5, Op::Insert { control: "objects".into(), index: 1, region: Region::Cuboid(tram) }))
        .is_err());
    assert_eq!(r.task("f0").unwrap().result.0["objects"].len(), 1);
    // The JSON of a cuboid result reads back as cuboids, not as any other region.
    let result: TaskResult =
        serde_json::from_str(&serde_json::to_string(&r.task("f0").unwrap().result).unwrap()).unwrap();
    assert_eq!(result.0["objects"], ControlValue::Cuboids(vec![car]));
}

#[test]
fn cuboid_agreement_and_consensus_run_on_the_region_machinery() {
    let p = project();
    let car = |x: f64, label: &str| Cuboid::new(label, [x, 0.0, 0.8], [4.0, 2.0, 1.6], 0.0);
    // Three annotators on one frame: two cars at the same place, one 1 m off (3D IoU 3/5 = 0.6), one pedestrian
    // only annotator c drew.
    let lines = [
        ("a", vec![car(10.0, "Car")]),
        ("b", vec![car(10.0, "Car")]),
        ("c", vec![car(11.0, "Car"), Cuboid::new("Pedestrian", [5.0, 3.0, 0.9], [0.6, 0.6, 1.8], 0.0)]),
    ];
    let text: String = lines
        .iter()
        .map(|(who, cs)| json!({"task": "f0", "annotator": who, "result": {"objects": cs}}).to_string() + "\n")
        .collect();
    let records = concord_engine::bundle::parse_annotations("a.jsonl", &text, &p.schema, None).unwrap();
    let Tables::Cuboids(t) = annotation_tables(&p.schema, &records, None).unwrap() else { panic!("cuboid table") };
    let report = serde_json::to_value(cuboid_agreement(&t)).unwrap();
    // Pairs: a–b match at 0.5 and 0.75; a–c and b–c match at 0.5 only (IoU 0.6), with c's pedestrian unmatched.
    // F1@0.5 = 2·(1 + 1 + 1) / (2 + 3 + 3) = 0.75; F1@0.75 = 2·1 / 8 = 0.25.
    let text = report.to_string();
    assert!(text.contains("0.75"), "{text}");
    let iou = 3.0 / 5.0;
    assert!((concord_engine::scene::iou_3d(&car(10.0, "Car"), &car(11.0, "Car")) - iou).abs() < 1e-12);
    let consensus = cuboid_consensus(&t, 0.5, 2);
    assert_eq!(consensus.len(), 1, "the pedestrian has one annotator, below the quorum");
    assert_eq!(consensus[0].cuboid.cuboid.center, [10.0, 0.0, 0.8], "the medoid is the box two agree on");
    assert!((consensus[0].support - 1.0).abs() < 1e-12);
    assert!((consensus[0].mean_iou - (1.0 + iou) / 2.0).abs() < 1e-12);
}

#[test]
fn scene_rules_name_the_projects_cuboid_labels() {
    let p = project();
    let rules = |rule: serde_json::Value| {
        let mut r = rule;
        r.as_object_mut().unwrap().extend(
            json!({"id": "r", "severity": "error", "message": "m", "section": "#s"}).as_object().unwrap().clone(),
        );
        let file = json!({"format": "concord-rules", "version": 1, "rules": [r]}).to_string();
        concord_engine::rules::parse_rules("rules.json", &file, Some(&p.schema))
    };
    // Labels are matched exactly: `car` is not `Car`, and a rule on it would never fire.
    let e = rules(json!({"kind": "max_speed", "label": "car", "max_mps": 30, "fps": 10})).unwrap_err().to_string();
    assert!(e.contains("rules.json") && e.contains("$.rules[0].label") && e.contains("unknown label `car`"), "{e}");
    assert!(e.contains("Car, Pedestrian"), "{e}");
    let e = rules(json!({"kind": "no_intersection", "labels": ["Car", "Tram"]})).unwrap_err().to_string();
    assert!(e.contains("$.rules[0].labels[1]") && e.contains("`Tram`"), "{e}");
    assert!(rules(json!({"kind": "max_speed", "label": "Car", "max_mps": 30, "fps": 10})).is_ok());
    // Counting cuboids is a rule like counting boxes.
    assert!(rules(json!({"kind": "count", "control": "objects", "label": "Pedestrian", "max": 40})).is_ok());
    // Without a schema (the CLI's `validate --cuboids`), any label is taken.
    let file = json!({"format": "concord-rules", "version": 1, "rules": [
        {"id": "r", "severity": "error", "message": "m", "section": "#s", "kind": "max_speed", "label": "car",
         "max_mps": 30, "fps": 10}]});
    assert!(concord_engine::rules::parse_rules("rules.json", &file.to_string(), None).is_ok());
}

/// A point-cloud project with a boxes control drawn on the front camera's image.
fn project_with_camera_boxes() -> concord_engine::bundle::Project {
    let manifest = json!({
        "format": "concord-project", "version": 1, "id": "street", "name": "Street",
        "schema": {"data": "point_cloud", "controls": [
            {"name": "objects", "type": "cuboids", "labels": [{"value": "Car"}, {"value": "Pedestrian"}]},
            {"name": "camera_objects", "type": "boxes", "camera": "front",
             "labels": [{"value": "Car"}, {"value": "Pedestrian"}]}]},
        "guidelines": {"path": "guidelines.md", "version": "1"},
        "tasks": [{"path": "tasks/000.jsonl", "count": 2}]
    });
    parse_manifest("project.json", &manifest.to_string()).unwrap()
}

#[test]
fn a_camera_control_names_its_camera_and_only_a_point_cloud_project_has_one() {
    let manifest = |data: &str, control: serde_json::Value| {
        json!({"format": "concord-project", "version": 1, "id": "p", "name": "P",
               "schema": {"data": data, "controls": [control]},
               "guidelines": {"path": "g.md", "version": "1"}, "tasks": []})
        .to_string()
    };
    let labels = json!([{"value": "Car"}]);
    let cases = [
        ("point_cloud", json!({"name": "b", "type": "boxes", "labels": labels}), "name the camera"),
        ("point_cloud", json!({"name": "b", "type": "polygons", "labels": labels}), "polygons are drawn on a camera"),
        ("point_cloud", json!({"name": "b", "type": "boxes", "camera": " ", "labels": labels}), "must not be empty"),
        ("image", json!({"name": "b", "type": "boxes", "camera": "front", "labels": labels}), "belongs to a boxes"),
        ("point_cloud", json!({"name": "c", "type": "cuboids", "camera": "front", "labels": labels}), "belongs to"),
        ("image", json!({"name": "c", "type": "cuboids", "labels": labels}), "`cuboids` needs point-cloud data"),
        ("point_cloud", json!({"name": "s", "type": "spans", "labels": labels}), "`spans` needs text data"),
    ];
    for (data, control, why) in cases {
        let e = parse_manifest("project.json", &manifest(data, control.clone())).unwrap_err().to_string();
        assert!(e.contains("project.json") && e.contains("$.schema.controls[0]") && e.contains(why), "{control}: {e}");
    }
    let p = project_with_camera_boxes();
    assert_eq!(p.schema.control("camera_objects").unwrap().camera.as_deref(), Some("front"));
}

#[test]
fn every_frame_has_the_camera_its_two_d_controls_are_drawn_on() {
    let p = project_with_camera_boxes();
    let mut side = front_camera();
    side["name"] = json!("left");
    let text = format!(
        "{}\n{}",
        json!({"id": "f0", "data": {"points": "f0.bin", "cameras": [front_camera()]}}),
        json!({"id": "f1", "data": {"points": "f1.bin", "cameras": [side]}})
    );
    let e = parse_task_chunk("tasks/000.jsonl", &text, &p, 1, &mut TaskIds::default()).unwrap_err().to_string();
    assert!(e.contains("tasks/000.jsonl") && e.contains("line 2") && e.contains("$.data.cameras"), "{e}");
    assert!(e.contains("no camera `front`") && e.contains("camera_objects"), "{e}");
}

#[test]
fn camera_boxes_are_checked_against_the_camera_image_and_leave_as_its_image_project() {
    use concord_engine::formats::camera_side::camera_sides;
    use concord_engine::model::{BoxRegion, DataKind};
    let p = project_with_camera_boxes();
    let line = json!({"id": "f0", "data": {"points": "f0.bin", "cameras": [front_camera()]}}).to_string();
    let tasks = parse_task_chunk("tasks/000.jsonl", &line, &p, 1, &mut TaskIds::default()).unwrap();
    let frame = &tasks[0];
    // The camera's image is 640 × 480: a box reaching x = 650 leaves it, one within does not.
    let rules = json!({"format": "concord-rules", "version": 1, "rules": [
        {"id": "inside", "kind": "inside_image", "control": "camera_objects", "severity": "error",
         "message": "inside", "section": "#camera"}]});
    let rules = concord_engine::rules::parse_rules("rules.json", &rules.to_string(), Some(&p.schema)).unwrap();
    let boxes = |x: f64| {
        let b = BoxRegion {
            x,
            y: 100.0,
            w: 50.0,
            h: 40.0,
            label: "Car".into(),
            attributes: Default::default(),
            score: None,
        };
        let cuboid = Cuboid::new("Car", [10.0, 0.0, 0.8], [4.0, 2.0, 1.6], 0.0);
        TaskResult(
            [
                ("camera_objects".to_string(), ControlValue::Boxes(vec![b])),
                ("objects".to_string(), ControlValue::Cuboids(vec![cuboid])),
            ]
            .into(),
        )
    };
    let check = |result: &TaskResult| {
        concord_engine::rules::validate(
            &rules,
            &concord_engine::rules::Subject { task: frame, result, prediction: None },
        )
    };
    let out = check(&boxes(600.0));
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(out[0].message.contains("640×480") && out[0].region == Some(0), "{out:?}");
    assert!(check(&boxes(590.0)).is_empty());

    // The 2D side: the frame as the camera's image under its id, the record with only the camera's control.
    let record = concord_engine::bundle::AnnotationRecord {
        task: "f0".into(),
        annotator: "ada".into(),
        result: boxes(10.0),
        guideline_version: "1".into(),
    };
    let sides = camera_sides(&p.schema, &[frame], &[record]);
    assert_eq!(sides.len(), 1);
    let side = &sides[0];
    assert_eq!(side.camera, "front");
    assert_eq!(side.schema.data, DataKind::Image);
    assert_eq!(
        side.schema.controls.iter().map(|c| (c.name.as_str(), c.camera.clone())).collect::<Vec<_>>(),
        [("camera_objects", None)]
    );
    let t = &side.tasks[0];
    assert_eq!(
        (t.id.as_str(), t.data.image.as_deref(), t.data.width, t.data.height),
        ("f0", Some("frames/000000.png"), Some(640.0), Some(480.0))
    );
    assert_eq!(side.records[0].result.0.keys().collect::<Vec<_>>(), ["camera_objects"]);
    // COCO of it: the camera's image, the box in its pixels.
    let tasks: Vec<&concord_engine::model::Task> = side.tasks.iter().collect();
    let coco: serde_json::Value = serde_json::from_str(
        &concord_engine::formats::coco::write_coco_records(&tasks, &side.records, &side.schema).unwrap(),
    )
    .unwrap();
    assert_eq!(coco["images"][0]["file_name"], "frames/000000.png");
    assert_eq!(coco["annotations"][0]["bbox"], json!([10.0, 100.0, 50.0, 40.0]));
    // A project without camera controls has no 2D side.
    assert!(camera_sides(&project().schema, &[frame], &[]).is_empty());
}
