//! LiDAR scenes: the physics rules over 1,000 frames of 50 tracked cuboids (with ego poses), the points inside 50
//! cuboids of a 120,000-point frame, interpolating a 1,000-frame track, and the overlap of two rotated boxes.
//! `cargo bench -p concord-engine --bench scene`.

use std::collections::BTreeMap;
use std::hint::black_box;

use concord_engine::rng::SplitMix64;
use concord_engine::rules::{parse_rules, validate_scene_in, SceneContext};
use concord_engine::scene::{bev_iou, interpolate_tracks, iou_3d, points_inside, Cuboid, EgoPose, PointCloud};
use criterion::{criterion_group, criterion_main, Criterion};

fn scene(c: &mut Criterion) {
    let mut rng = SplitMix64::new(23);
    // 50 objects on a grid, each moving at its own steady speed, over 1,000 frames at 10 fps.
    let mut cuboids = Vec::new();
    for t in 0..50 {
        let (x0, y0) = ((t % 10) as f64 * 8.0 - 40.0, (t / 10) as f64 * 6.0 - 15.0);
        let v = rng.unit() * 2.0;
        for f in 0..1000 {
            let mut cub = Cuboid::new("Car", [x0 + v * f as f64 * 0.1, y0, 0.75], [4.2, 1.8, 1.5], 0.0);
            cub.frame = f;
            cub.track_id = Some(t.to_string());
            cuboids.push(cub);
        }
    }
    let poses: BTreeMap<i64, EgoPose> = (0..1000)
        .map(|f| {
            (
                f,
                EgoPose {
                    frame: f,
                    timestamp: f as f64 * 0.1,
                    translation: [f as f64, 0.0, 0.0],
                    yaw: 0.01 * f as f64,
                },
            )
        })
        .collect();
    let rule = |id: &str, kind: &str, extra: serde_json::Value| {
        let mut r = serde_json::json!({"id": id, "kind": kind, "severity": "error", "message": id, "section": "#s"});
        r.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        r
    };
    let list = vec![
        rule("size", "cuboid_size", serde_json::json!({"label": "Car", "length": [3.0, 6.0], "height": [1.2, 2.2]})),
        rule("ground", "above_ground", serde_json::json!({})),
        rule("solid", "no_intersection", serde_json::json!({"labels": []})),
        rule("speed", "max_speed", serde_json::json!({"label": "Car", "max_mps": 40.0, "fps": 10.0})),
        rule("accel", "max_acceleration", serde_json::json!({"label": "Car", "max_mps2": 10.0, "fps": 10.0})),
        rule("rigid", "track_size", serde_json::json!({"tolerance": 0.1})),
    ];
    let set = |rules: &[serde_json::Value]| {
        let file = serde_json::json!({"format": "concord-rules", "version": 1, "rules": rules});
        parse_rules("rules.json", &file.to_string(), None).unwrap()
    };
    let rules = set(&list);
    let mut g = c.benchmark_group("scene");
    g.sample_size(20);
    g.bench_function("physics_1000_frames_50_cuboids", |b| {
        b.iter(|| validate_scene_in(&rules, &cuboids, SceneContext { poses: Some(&poses), ..Default::default() }))
    });
    if std::env::var("SCENE_PER_RULE").is_ok() {
        for r in &list {
            let one = set(std::slice::from_ref(r));
            g.bench_function(format!("rule_{}", r["id"].as_str().unwrap()), |b| {
                b.iter(|| validate_scene_in(&one, &cuboids, SceneContext { poses: Some(&poses), ..Default::default() }))
            });
        }
    }
    // A 120,000-point frame, and the points inside each of 50 cuboids.
    let cloud = PointCloud {
        points: (0..120_000)
            .map(|_| {
                [
                    (rng.unit() * 100.0 - 50.0) as f32,
                    (rng.unit() * 40.0 - 20.0) as f32,
                    (rng.unit() * 3.0 - 1.0) as f32,
                    1.0,
                ]
            })
            .collect(),
    };
    let frame0: Vec<&Cuboid> = cuboids.iter().filter(|c| c.frame == 0).collect();
    g.bench_function("points_inside_50_cuboids_120000_points", |b| {
        b.iter(|| frame0.iter().map(|c| points_inside(&cloud, c).len()).sum::<usize>())
    });
    // One track keyframed every 10 frames over 1,000 frames.
    let track: Vec<Cuboid> = (0..=100)
        .map(|k| {
            let mut c = Cuboid::new("Pedestrian", [k as f64, rng.unit(), 0.9], [0.6, 0.6, 1.8], rng.unit() * 6.0 - 3.0);
            c.frame = k * 10;
            c.track_id = Some("p".into());
            c
        })
        .collect();
    g.sample_size(100);
    g.bench_function("interpolate_1000_frame_track", |b| b.iter(|| interpolate_tracks(black_box(&track))));
    let (a, o) = (
        Cuboid::new("Car", [0.0, 0.0, 0.0], [4.2, 1.8, 1.5], 0.3),
        Cuboid::new("Car", [1.0, 0.5, 0.2], [4.0, 1.9, 1.6], 1.1),
    );
    g.bench_function("bev_and_3d_iou_one_pair", |b| b.iter(|| bev_iou(black_box(&a), &o) + iou_3d(&a, &o)));
    g.finish();
}

criterion_group!(benches, scene);
criterion_main!(benches);
