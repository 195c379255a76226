//! LiDAR scenes against independent computations: the overlap of rotated boxes against Shapely's polygon
//! intersection (`tests/reference/cuboid_iou_cases.json`, made by `make_cuboid_iou_cases.py`), point cloud and
//! label readers against hand-made files and round trips (and fuzzed: any bytes are refused or read, never a
//! panic), interpolation against the formula, CLEAR MOT counts against hand counts, and the physics rules on
//! scenes whose answers are known.

use std::collections::BTreeMap;
use std::f64::consts::PI;

use concord_engine::rng::SplitMix64;
use concord_engine::rules::{parse_rules, validate_scene_in, RuleSet, SceneContext};
use concord_engine::scene::{
    bev_iou, copy_to_frame, interpolate, interpolate_tracks, iou_3d, points_inside, read_cuboids, read_kitti_bin,
    read_kitti_labels, read_nuscenes, read_pcd, read_points, timeline, tracking_report, write_kitti_labels,
    write_nuscenes, Cuboid, EgoPose, PointCloud, TrackMark,
};
use proptest::prelude::*;
use serde_json::{json, Value};

fn cuboid_of(v: &Value) -> Cuboid {
    let arr = |k: &str| -> [f64; 3] {
        let a = v[k].as_array().unwrap();
        [a[0].as_f64().unwrap(), a[1].as_f64().unwrap(), a[2].as_f64().unwrap()]
    };
    Cuboid::new("car", arr("center"), arr("size"), v["yaw"].as_f64().unwrap())
}

#[test]
fn bev_and_3d_iou_equal_shapelys_polygon_intersection_to_1e_9() {
    let text = include_str!("reference/cuboid_iou_cases.json");
    let data: Value = serde_json::from_str(text).unwrap();
    assert!(data["source"].as_str().unwrap().starts_with("shapely"));
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 800);
    let (mut overlapping, mut worst) = (0, 0.0f64);
    for (k, case) in cases.iter().enumerate() {
        let (a, b) = (cuboid_of(&case["a"]), cuboid_of(&case["b"]));
        let (bev, iou) = (bev_iou(&a, &b), iou_3d(&a, &b));
        let (want_bev, want_iou) = (case["bev_iou"].as_f64().unwrap(), case["iou_3d"].as_f64().unwrap());
        worst = worst.max((bev - want_bev).abs()).max((iou - want_iou).abs());
        assert!((bev - want_bev).abs() < 1e-9, "case {k}: BEV {bev} against Shapely's {want_bev}");
        assert!((iou - want_iou).abs() < 1e-9, "case {k}: 3D {iou} against {want_iou}");
        // Symmetric.
        assert!((bev_iou(&b, &a) - bev).abs() < 1e-12 && (iou_3d(&b, &a) - iou).abs() < 1e-12);
        overlapping += usize::from(want_iou > 0.0);
    }
    assert!(overlapping > 300, "{overlapping} overlapping pairs: the cases test clipping, not only misses");
    eprintln!("largest difference from Shapely: {worst:e}");
}

#[test]
fn iou_of_simple_cases_by_hand() {
    let a = Cuboid::new("car", [0.0, 0.0, 1.0], [4.0, 2.0, 2.0], 0.0);
    // Shifted by 2 m along x: half the footprint, all the height: 4 / (8 + 8 − 4).
    let b = Cuboid::new("car", [2.0, 0.0, 1.0], [4.0, 2.0, 2.0], 0.0);
    assert!((bev_iou(&a, &b) - 4.0 / 12.0).abs() < 1e-12);
    // And raised by 1 m: half the height too: 4·1 / (16 + 16 − 4).
    let c = Cuboid::new("car", [2.0, 0.0, 2.0], [4.0, 2.0, 2.0], 0.0);
    assert!((iou_3d(&a, &c) - 4.0 / 28.0).abs() < 1e-12);
    // A square turned 45° inside a larger one: the turned square's area over the larger one's.
    let big = Cuboid::new("car", [0.0, 0.0, 1.0], [4.0, 4.0, 2.0], 0.0);
    let diamond = Cuboid::new("car", [0.0, 0.0, 1.0], [2.0, 2.0, 2.0], PI / 4.0);
    assert!((bev_iou(&big, &diamond) - 4.0 / 16.0).abs() < 1e-12);
    // Turned round by π: the same box.
    let turned = Cuboid { yaw: PI, ..a.clone() };
    assert!((iou_3d(&a, &turned) - 1.0).abs() < 1e-12);
    // Far apart; touching faces.
    assert_eq!(bev_iou(&a, &Cuboid::new("car", [50.0, 0.0, 1.0], [4.0, 2.0, 2.0], 0.3)), 0.0);
    assert_eq!(iou_3d(&a, &Cuboid::new("car", [0.0, 0.0, 3.0], [4.0, 2.0, 2.0], 0.0)), 0.0);
}

fn kitti_bin(points: &[[f32; 4]]) -> Vec<u8> {
    points.iter().flatten().flat_map(|v| v.to_le_bytes()).collect()
}

#[test]
fn kitti_bin_point_clouds_are_read_exactly_and_strictly() {
    let pts = [[1.5f32, -2.25, 0.125, 0.5], [10.0, 0.0, -1.75, 0.0], [-3.0, 4.0, 2.0, 1.0]];
    let cloud = read_kitti_bin("0001.bin", &kitti_bin(&pts)).unwrap();
    assert_eq!(cloud.points, pts.to_vec());
    assert_eq!(read_kitti_bin("0001.bin", &cloud.to_kitti_bin()).unwrap(), cloud);
    let e = read_kitti_bin("0001.bin", &kitti_bin(&pts)[..47]).unwrap_err().to_string();
    assert!(e.starts_with("0001.bin: 47 bytes is not a whole number of points"), "{e}");
    let mut bad = pts;
    bad[1][2] = f32::NAN;
    let e = read_kitti_bin("0001.bin", &kitti_bin(&bad)).unwrap_err().to_string();
    assert!(e.contains("point 1 (byte 24): its z is NaN"), "{e}");
}

/// LZF output made only of literal runs (what a compressor may always emit), for PCD's binary_compressed.
fn lzf_literals(data: &[u8]) -> Vec<u8> {
    data.chunks(32).flat_map(|c| std::iter::once((c.len() - 1) as u8).chain(c.iter().copied())).collect()
}

fn pcd_header(fields: &str, size: &str, kind: &str, count: usize, data: &str) -> String {
    format!(
        "# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\nFIELDS {fields}\nSIZE {size}\nTYPE {kind}\nCOUNT {}\n\
         WIDTH {count}\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS {count}\nDATA {data}\n",
        vec!["1"; fields.split(' ').count()].join(" ")
    )
}

#[test]
fn pcd_is_read_in_ascii_binary_and_binary_compressed_to_the_same_points() {
    let pts = [[1.5f32, -2.25, 0.125, 7.0], [10.0, 0.0, -1.75, 0.0], [-3.0, 4.0, 2.0, 255.0]];
    // ASCII, with an extra field (rgb) between, and a NaN point (no return) that is left out.
    let mut ascii = pcd_header("x y z rgb intensity", "4 4 4 4 4", "F F F U F", 4, "ascii");
    for p in &pts {
        ascii += &format!("{} {} {} 4278190080 {}\n", p[0], p[1], p[2], p[3]);
    }
    ascii += "nan nan nan 0 0\n";
    assert_eq!(read_pcd("a.pcd", ascii.as_bytes()).unwrap().points, pts.to_vec());
    // By the file's name: a `.pcd` (any case) is PCD, anything else KITTI `.bin`.
    assert_eq!(read_points("frames/A.PCD", ascii.as_bytes()).unwrap().points, pts.to_vec());
    assert_eq!(read_points("frames/a.bin", &kitti_bin(&pts)).unwrap().points, pts.to_vec());
    assert!(read_points("frames/a.bin", ascii.as_bytes()).is_err(), "PCD text is no KITTI file");
    // Binary: x y z as float32, intensity as an unsigned byte, a double-precision field after.
    let mut binary = pcd_header("x y z intensity t", "4 4 4 1 8", "F F F U F", 3, "binary").into_bytes();
    for p in &pts {
        for v in &p[..3] {
            binary.extend(v.to_le_bytes());
        }
        binary.push(p[3] as u8);
        binary.extend(42.5f64.to_le_bytes());
    }
    assert_eq!(read_pcd("b.pcd", &binary).unwrap().points, pts.to_vec());
    // binary_compressed: the columns (all x, all y, all z, all intensity) LZF-compressed.
    let mut columns = Vec::new();
    for k in 0..4 {
        for p in &pts {
            columns.extend(p[k].to_le_bytes());
        }
    }
    let packed = lzf_literals(&columns);
    let mut compressed = pcd_header("x y z intensity", "4 4 4 4", "F F F F", 3, "binary_compressed").into_bytes();
    compressed.extend((packed.len() as u32).to_le_bytes());
    compressed.extend((columns.len() as u32).to_le_bytes());
    compressed.extend(&packed);
    assert_eq!(read_pcd("c.pcd", &compressed).unwrap().points, pts.to_vec());
    // Without intensity: 0.
    let no_i = pcd_header("x y z", "4 4 4", "F F F", 1, "ascii") + "1 2 3\n";
    assert_eq!(read_pcd("d.pcd", no_i.as_bytes()).unwrap().points, vec![[1.0, 2.0, 3.0, 0.0]]);
}

#[test]
fn lzf_back_references_are_followed() {
    // "abc" as a literal, then a back reference of length 6 at distance 3: "abcabcabc". Four points of a single
    // one-byte field would need x, y, z: so read through a PCD of one u8 x, y, z each.
    let raw = [1u8, 2, 3, 1, 2, 3, 1, 2, 3];
    let packed = [2u8, 1, 2, 3, (4 << 5), 2];
    let mut pcd = pcd_header("x y z", "1 1 1", "U U U", 3, "binary_compressed").into_bytes();
    pcd.extend((packed.len() as u32).to_le_bytes());
    pcd.extend((raw.len() as u32).to_le_bytes());
    pcd.extend(packed);
    // Columns: x = 1 2 3, y = 1 2 3, z = 1 2 3.
    let cloud = read_pcd("lzf.pcd", &pcd).unwrap();
    assert_eq!(cloud.points, vec![[1.0, 1.0, 1.0, 0.0], [2.0, 2.0, 2.0, 0.0], [3.0, 3.0, 3.0, 0.0]]);
}

#[test]
fn bad_pcd_files_are_refused_with_the_line_and_the_reason() {
    let err = |text: &str| read_pcd("s.pcd", text.as_bytes()).unwrap_err().to_string();
    let h = pcd_header("x y z", "4 4 4", "F F F", 2, "ascii");
    assert_eq!(err(&(h.clone() + "1 2 3\n4 5\n")), "s.pcd: line 13: 2 values, the header says 3");
    assert_eq!(err(&(h.clone() + "1 2 3\n4 five 6\n")), "s.pcd: line 13: `five` (y) is not a number");
    assert_eq!(err(&(h.clone() + "1 2 3\n")), "s.pcd: 1 points, the header says 2");
    assert_eq!(err(&(h.clone() + "1 2 3\n1 2 3\n1 2 3\n")), "s.pcd: line 14: more points than POINTS 2");
    assert_eq!(err("VERSION 0.7\nFIELDS x y z\n"), "s.pcd: line 2: the header ends before its DATA line");
    assert!(err(&h.replace("FIELDS x y z", "FIELDS a b c")).ends_with("FIELDS has no x, y and z"));
    assert!(err(&h.replace("TYPE F F F", "TYPE F F D")).contains("line 5: TYPE `D` is none of F, I, U"));
    assert!(err(&h.replace("POINTS 2", "POINTS 3")).contains("POINTS 3 is not WIDTH × HEIGHT = 2 × 1"));
    assert!(err(&h.replace("DATA ascii", "DATA text")).contains("DATA `text` is none of ascii"));
    assert!(err(&(h.replace("SIZE 4 4 4", "SIZE 4 4") + "1 2 3\n")).contains("3 FIELDS but 2 SIZE"));
    let b = pcd_header("x y z", "4 4 4", "F F F", 2, "binary");
    let e = read_pcd("b.pcd", &[b.as_bytes(), &[0u8; 23]].concat()).unwrap_err().to_string();
    assert_eq!(e, "b.pcd: 23 bytes of binary data; 2 points of 12 bytes are 24");
}

fn car(frame: i64, track: &str, center: [f64; 3], yaw: f64) -> Cuboid {
    Cuboid { frame, track_id: Some(track.into()), ..Cuboid::new("Car", center, [4.2, 1.8, 1.5], yaw) }
}

#[test]
fn kitti_labels_are_in_the_camera_frame_and_read_back_to_the_same_cuboids() {
    // A car 10 m ahead, 2 m to the left, its centre 0.8 m below the sensor, heading straight ahead: in KITTI's
    // camera frame x = −2, its bottom face at y = 0.8 + 0.75, z = 10, and rotation_y = −π/2.
    let c = car(3, "7", [10.0, 2.0, -0.8], 0.0);
    let text = write_kitti_labels(std::slice::from_ref(&c));
    let v: Vec<f64> = text.split_whitespace().skip(3).map(|w| w.parse().unwrap()).collect();
    assert_eq!(&text[..10], "3 7 Car 0 ");
    let want = [0.0, 0.0, -10.0, 0.0, 0.0, 0.0, 0.0, 1.5, 1.8, 4.2, -2.0, 1.55, 10.0, -PI / 2.0];
    for (k, (a, b)) in v.iter().zip(want).enumerate() {
        assert!((a - b).abs() < 1e-12, "value {k}: {a} against {b}: {text}");
    }
    // Random cuboids: written and read back, the same to rounding; DontCare lines are skipped.
    let mut rng = SplitMix64::new(23);
    let cuboids: Vec<Cuboid> = (0..200)
        .map(|i| {
            let mut c = Cuboid::new(
                ["Car", "Pedestrian", "Cyclist"][i % 3],
                [rng.unit() * 60.0 - 10.0, rng.unit() * 40.0 - 20.0, rng.unit() * 2.0 - 1.5],
                [0.5 + rng.unit() * 4.0, 0.5 + rng.unit() * 2.0, 0.8 + rng.unit() * 1.5],
                (rng.unit() * 2.0 - 1.0) * PI,
            );
            c.frame = (i / 10) as i64;
            c.track_id = Some((i % 10).to_string());
            c
        })
        .collect();
    let text =
        write_kitti_labels(&cuboids) + "4 -1 DontCare -1 -1 -10 100 120 140 160 -1 -1 -1 -1000 -1000 -1000 -10\n";
    let back = read_kitti_labels("labels.txt", &text).unwrap();
    assert_eq!(back.len(), cuboids.len());
    let key = |c: &Cuboid| (c.frame, c.track_id.clone());
    let by_key: BTreeMap<_, _> = cuboids.iter().map(|c| (key(c), c)).collect();
    for b in &back {
        let a = by_key[&key(b)];
        assert_eq!(a.label, b.label);
        for k in 0..3 {
            assert!((a.center[k] - b.center[k]).abs() < 1e-9 && (a.size[k] - b.size[k]).abs() < 1e-9);
        }
        let turn = (a.yaw - b.yaw).rem_euclid(2.0 * PI);
        assert!(turn.min(2.0 * PI - turn) < 1e-9, "yaw {} against {}", a.yaw, b.yaw);
        assert!((iou_3d(a, b) - 1.0).abs() < 1e-9);
    }
    // Track ids that are not numbers get free numbers, in order of appearance.
    let named = [car(0, "12", [5.0, 0.0, 0.0], 0.0), car(0, "ped-a", [9.0, 0.0, 0.0], 0.0)];
    let ids: Vec<String> =
        read_kitti_labels("l", &write_kitti_labels(&named)).unwrap().into_iter().map(|c| c.track_id.unwrap()).collect();
    assert_eq!(ids, ["12", "13"]);
}

#[test]
fn bad_kitti_labels_name_the_line() {
    let err = |t: &str| read_kitti_labels("l.txt", t).unwrap_err().to_string();
    let good = "0 1 Car 0 0 -10 0 0 0 0 1.5 1.8 4.2 -2 1.55 10 -1.57\n";
    assert!(err(&format!("{good}0 1 Car 0 0\n")).starts_with("l.txt: line 2: 5 values; a KITTI tracking label has 17"));
    assert_eq!(err(&good.replace("4.2", "x")), "l.txt: line 1: length `x` is not a number");
    assert_eq!(
        err(&good.replace(" 1.8 ", " -1.8 ")),
        "l.txt: line 1: dimensions 1.5 -1.8 4.2: each must be above zero"
    );
    assert_eq!(err(&good.replace("0 1 Car", "0 -1 Car")), "l.txt: line 1: track_id -1 on a Car (only DontCare has −1)");
    assert_eq!(err(&good.replace("0 1 Car", "0.5 1 Car")), "l.txt: line 1: frame `0.5` is not a whole number");
}

#[test]
fn nuscenes_annotations_round_trip_and_tilted_boxes_are_refused() {
    let mut c = car(4, "inst-1", [12.0, -3.0, 0.7], 2.5);
    c.attributes.insert("vehicle.moving".into(), true.into());
    let d = car(5, "inst-1", [13.0, -3.0, 0.7], -3.1);
    let text = write_nuscenes(&[c.clone(), d.clone()]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v[0]["size"], json!([1.8, 4.2, 1.5]), "width, length, height");
    assert!((v[0]["rotation"][0].as_f64().unwrap() - (1.25f64).cos()).abs() < 1e-15);
    assert_eq!(v[0]["sample_token"], "frame-4");
    assert_eq!(v[0]["attribute_names"], json!(["vehicle.moving"]));
    let back = read_nuscenes("ann.json", &text).unwrap();
    assert_eq!((back[0].frame, back[1].frame), (4, 5));
    assert_eq!(back[0].attributes["vehicle.moving"], true);
    for (a, b) in [(&c, &back[0]), (&d, &back[1])] {
        assert!((a.yaw - b.yaw).abs() < 1e-12 && a.center == b.center && a.track_id == b.track_id);
    }
    // Rolled by 0.1 rad about x: a unit quaternion, but not about the vertical axis.
    let mut tilted = v.clone();
    tilted[0]["rotation"] = json!([(0.05f64).cos(), (0.05f64).sin(), 0.0, 0.0]);
    let tilted = tilted.to_string();
    let e = read_nuscenes("ann.json", &tilted).unwrap_err().to_string();
    assert!(e.starts_with("ann.json: $[0].rotation: tilts the box"), "{e}");
    let e = read_nuscenes("ann.json", &text.replacen("1.8", "-1.8", 1)).unwrap_err().to_string();
    assert!(e.starts_with("ann.json: $[0].size: -1.8 4.2 1.5"), "{e}");
}

#[test]
fn interpolation_is_linear_in_position_and_takes_the_short_way_round_in_yaw() {
    let a = car(0, "t", [0.0, 0.0, 0.0], 3.0);
    let mut b = car(4, "t", [8.0, 4.0, 0.4], -3.0);
    b.size = [5.0, 2.0, 1.5];
    let m = interpolate(&a, &b, 1);
    assert_eq!(m.center, [2.0, 1.0, 0.1]);
    assert!((m.size[0] - 4.4).abs() < 1e-12 && m.interpolated && m.frame == 1);
    // From 3.0 to −3.0 through π (a turn of 2π − 6 ≈ 0.283), not through 0.
    let turn = 2.0 * PI - 6.0;
    assert!((m.yaw - (3.0 + turn / 4.0)).abs() < 1e-12, "{}", m.yaw);
    let three = interpolate(&a, &b, 3);
    assert!((three.yaw - (3.0 + 3.0 * turn / 4.0 - 2.0 * PI)).abs() < 1e-12, "{}", three.yaw);
    // A track with keyframes 0, 4 and 10, an untracked box, and an old interpolated box that is replaced.
    let mut old = interpolate(&a, &b, 2);
    old.center = [99.0, 99.0, 99.0];
    let c = car(10, "t", [8.0, 10.0, 0.4], -3.0);
    let loose = Cuboid { frame: 2, ..Cuboid::new("Pedestrian", [3.0, 3.0, 0.9], [0.6, 0.6, 1.8], 0.0) };
    let filled = interpolate_tracks(&[a.clone(), b.clone(), old, c.clone(), loose.clone()]);
    let track: Vec<&Cuboid> = filled.iter().filter(|x| x.track_id.is_some()).collect();
    assert_eq!(track.iter().map(|x| x.frame).collect::<Vec<_>>(), (0..=10).collect::<Vec<_>>());
    assert_eq!(track[2].center, [4.0, 2.0, 0.2]);
    assert_eq!(track[7].center, [8.0, 7.0, 0.4]);
    assert!(filled.contains(&loose));
    let marks = timeline(&filled, "t");
    assert_eq!(marks.iter().filter(|m| m.1 == TrackMark::Keyframe).map(|m| m.0).collect::<Vec<_>>(), [0, 4, 10]);
    assert_eq!(marks.len(), 11);
    // Copied to the next frame: keyframes there; a track already there is not copied again.
    let next = copy_to_frame(&[a.clone(), loose.clone(), car(1, "u", [1.0, 1.0, 0.0], 0.0)], 0, 1);
    assert_eq!(next.len(), 1);
    assert_eq!((next[0].frame, next[0].interpolated), (1, false));
    assert!(copy_to_frame(&[a.clone(), car(1, "t", [1.0, 0.0, 0.0], 0.0)], 0, 1).is_empty());
}

#[test]
fn clear_mot_counts_identity_switches_misses_and_false_positives_by_hand() {
    // Gold: one pedestrian walking over frames 0..4 (track g1), and one car in frames 0 and 1 (g2).
    let ped = |f: i64, t: &str| Cuboid {
        frame: f,
        track_id: Some(t.into()),
        ..Cuboid::new("Pedestrian", [f as f64, 0.0, 0.9], [0.8, 0.8, 1.8], 0.0)
    };
    let mut gold: Vec<Cuboid> = (0..4).map(|f| ped(f, "g1")).collect();
    gold.push(car(0, "g2", [10.0, 5.0, 0.7], 0.0));
    gold.push(car(1, "g2", [10.0, 5.0, 0.7], 0.0));
    // Tracked: the pedestrian as "a" in frames 0–1, as "b" in 2–3 (one switch); the car only in frame 0 (a miss);
    // a ghost in frame 3 (a false positive); a car labelled as a truck would not match.
    let mut tracked: Vec<Cuboid> = vec![ped(0, "a"), ped(1, "a"), ped(2, "b"), ped(3, "b")];
    tracked.push(car(0, "c", [10.1, 5.0, 0.7], 0.0));
    tracked.push(Cuboid { frame: 3, ..Cuboid::new("Pedestrian", [30.0, 0.0, 0.9], [0.8, 0.8, 1.8], 0.0) });
    let r = tracking_report(&gold, &tracked, 0.5);
    assert_eq!((r.gold, r.matches, r.false_negatives, r.false_positives, r.id_switches), (6, 5, 1, 1, 1));
    assert!((r.mota.unwrap() - (1.0 - 3.0 / 6.0)).abs() < 1e-12);
    assert_eq!(r.switches, vec![(2, "g1".to_string(), "a".to_string(), "b".to_string())]);
    // MOTP: four exact matches and the car's 0.1 m shift, 4.1·1.8 / (2 · 7.56 − 4.1·1.8).
    let shifted = 4.1 * 1.8 / (2.0 * 4.2 * 1.8 - 4.1 * 1.8);
    assert!((r.motp.unwrap() - (4.0 + shifted) / 5.0).abs() < 1e-12);
    // A track that holds on: no switch even when another tracked box overlaps better.
    let mut held = vec![ped(0, "a"), ped(1, "a")];
    held.push(Cuboid { frame: 1, track_id: Some("z".into()), ..ped(1, "z") });
    held[1].center[0] += 0.05;
    let r = tracking_report(&gold[..2], &held, 0.5);
    assert_eq!((r.id_switches, r.false_positives), (0, 1));
}

fn rules(list: Value) -> RuleSet {
    let rules: Vec<Value> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let id = r["kind"].as_str().unwrap().to_string();
            r.as_object_mut().unwrap().extend(
                json!({"id": id, "severity": "error", "message": id, "section": format!("#{id}")})
                    .as_object()
                    .unwrap()
                    .clone(),
            );
            r
        })
        .collect();
    parse_rules("rules.json", &json!({"format": "concord-rules", "version": 1, "rules": rules}).to_string(), None)
        .unwrap()
}

#[test]
fn motion_is_checked_in_the_world_with_the_ego_pose() {
    let rs = rules(json!([
        {"kind": "max_speed", "label": "Car", "max_mps": 5.0, "fps": 10.0},
        {"kind": "max_acceleration", "label": "Car", "max_mps2": 20.0, "fps": 10.0},
    ]));
    // A parked car seen from a car driving at 10 m/s: 1 m closer each frame, in the sensor's frame.
    let parked: Vec<Cuboid> = (0..4).map(|f| car(f, "p", [20.0 - f as f64, 3.0, 0.0], 0.0)).collect();
    let without = validate_scene_in(&rs, &parked, SceneContext::default());
    assert_eq!(without.iter().filter(|v| v.rule == "max_speed").count(), 3, "{without:?}");
    assert!(without[0].message.contains("10.0 m/s"), "{}", without[0].message);
    let poses: BTreeMap<i64, EgoPose> = (0..4)
        .map(|f| (f, EgoPose { frame: f, timestamp: f as f64 * 0.1, translation: [f as f64, 0.0, 0.0], yaw: 0.0 }))
        .collect();
    let with = validate_scene_in(&rs, &parked, SceneContext { poses: Some(&poses), ..Default::default() });
    assert!(with.is_empty(), "{with:?}");
    // The ego turning: a pose's yaw turns the sensor's frame. The world point stays put when the sensor's view
    // of it turns the opposite way.
    let turning: BTreeMap<i64, EgoPose> = (0..4)
        .map(|f| (f, EgoPose { frame: f, timestamp: f as f64 * 0.1, translation: [0.0; 3], yaw: 0.2 * f as f64 }))
        .collect();
    let seen: Vec<Cuboid> = (0..4)
        .map(|f| {
            let (s, c) = (-0.2 * f as f64).sin_cos();
            car(f, "q", [20.0 * c, 20.0 * s, 0.0], 0.0)
        })
        .collect();
    assert!(validate_scene_in(&rs, &seen, SceneContext { poses: Some(&turning), ..Default::default() }).is_empty());
    // Speeding up: 0, 0.5, 2 m at 10 fps: 5 then 15 m/s, 100 m/s² — both rules fire on the last frame.
    let fast: Vec<Cuboid> =
        [0.0, 0.5, 2.0].iter().enumerate().map(|(f, x)| car(f as i64, "s", [*x, 0.0, 0.0], 0.0)).collect();
    let v = validate_scene_in(&rs, &fast, SceneContext::default());
    let got: Vec<(&str, usize)> = v.iter().map(|v| (v.rule.as_str(), v.cuboid)).collect();
    assert_eq!(got, [("max_speed", 2), ("max_acceleration", 2)]);
    assert!(v[1].message.contains("100.0 m/s²"), "{}", v[1].message);
}

#[test]
fn too_few_points_for_the_distance_and_a_track_that_changes_size_are_flagged() {
    let rs = rules(json!([
        {"kind": "min_points", "points": 100.0, "at_m": 10.0},
        {"kind": "track_size", "tolerance": 0.2},
    ]));
    // Frame 0: a box 20 m away needs 100 · (10/20)² = 25 points; it has 24. A box 5 m away needs 100 (no more
    // than at 10 m); it has 100.
    let far = car(0, "far", [20.0, 0.0, 0.0], 0.0);
    let near = car(0, "near", [0.0, 5.0, 0.0], 0.3);
    let mut points = Vec::new();
    for k in 0..24 {
        points.push([19.0 + 0.05 * k as f32, 0.1, 0.0, 1.0]);
    }
    for k in 0..100 {
        points.push([-1.0 + 0.02 * k as f32, 5.0, 0.1, 1.0]);
    }
    points.push([50.0, 50.0, 0.0, 1.0]);
    let cloud = PointCloud { points };
    assert_eq!(points_inside(&cloud, &far).len(), 24);
    assert_eq!(points_inside(&cloud, &near).len(), 100);
    let clouds = BTreeMap::from([(0i64, cloud)]);
    // The far car grows 0.5 m in length in frame 1.
    let mut grown = car(1, "far", [20.0, 0.0, 0.0], 0.0);
    grown.size[0] += 0.5;
    let scene = [far, near, grown];
    let v = validate_scene_in(&rs, &scene, SceneContext { poses: None, clouds: Some(&clouds), ..Default::default() });
    let got: Vec<(&str, usize)> = v.iter().map(|v| (v.rule.as_str(), v.cuboid)).collect();
    assert_eq!(got, [("min_points", 0), ("track_size", 2)], "{v:?}");
    assert!(v[0].message.contains("24 points inside at 20.0 m, at least 25 expected"), "{}", v[0].message);
    // No cloud for a frame: nothing to count, nothing flagged.
    assert!(validate_scene_in(&rs, &scene[..2], SceneContext::default()).is_empty());
    // Counts made elsewhere (a worker that cannot hold every frame's cloud) give the same findings; a cuboid not
    // counted is passed over.
    let cloud = &clouds[&0];
    let count = |c: &Cuboid| (c.frame == 0).then(|| points_inside(cloud, c).len());
    let counted = validate_scene_in(&rs, &scene, SceneContext { counted: Some(&count), ..Default::default() });
    assert_eq!(counted, v);
    let none = |_: &Cuboid| None;
    let uncounted = validate_scene_in(&rs, &scene[..2], SceneContext { counted: Some(&none), ..Default::default() });
    assert!(uncounted.is_empty(), "{uncounted:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any bytes: read or refused, never a panic.
    #[test]
    fn point_cloud_and_label_readers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_kitti_bin("f.bin", &bytes);
        let _ = read_pcd("f.pcd", &bytes);
        let text = String::from_utf8_lossy(&bytes);
        let _ = read_kitti_labels("f.txt", &text);
        let _ = read_nuscenes("f.json", &text);
    }

    /// Valid files with bytes changed, cut or repeated: read or refused, never a panic.
    #[test]
    fn mutated_files_never_panic(at in 0usize..2000, byte in any::<u8>(), cut in 0usize..2000, which in 0usize..4) {
        let pcd_ascii = pcd_header("x y z intensity", "4 4 4 4", "F F F F", 2, "ascii") + "1 2 3 4\n5 6 7 8\n";
        let mut pcd_binary = pcd_header("x y z intensity", "4 4 2 1", "F F I U", 2, "binary").into_bytes();
        pcd_binary.extend([0u8; 22]);
        let mut pcd_lzf = pcd_header("x y z", "4 4 4", "F F F", 1, "binary_compressed").into_bytes();
        let packed = [2u8, 1, 2, 3, (7 << 5), 3, 2, 11, 0, 0];
        pcd_lzf.extend((packed.len() as u32).to_le_bytes());
        pcd_lzf.extend(12u32.to_le_bytes());
        pcd_lzf.extend(packed);
        let labels = write_kitti_labels(&[car(0, "1", [5.0, 1.0, 0.0], 0.4)]).into_bytes();
        let mut file = [pcd_ascii.into_bytes(), pcd_binary, pcd_lzf, labels][which].clone();
        if !file.is_empty() {
            let i = at % file.len();
            file[i] = byte;
            file.truncate(cut.max(1));
        }
        let _ = read_pcd("f.pcd", &file);
        let _ = read_kitti_labels("f.txt", &String::from_utf8_lossy(&file));
    }
}

/// `no_intersection` flags exactly the pairs of one frame whose exact 3D intersection has volume: checked against
/// `iou_3d` on random crowded frames.
#[test]
fn no_intersection_flags_exactly_the_pairs_with_a_shared_volume() {
    let rs = rules(json!([{"kind": "no_intersection", "labels": []}]));
    let mut rng = SplitMix64::new(77);
    for round in 0..20 {
        let boxes: Vec<Cuboid> = (0..60)
            .map(|i| Cuboid {
                frame: (i % 2) as i64,
                ..Cuboid::new(
                    "Car",
                    [rng.unit() * 40.0, rng.unit() * 20.0, rng.unit() * 2.0],
                    [0.5 + rng.unit() * 4.5, 0.5 + rng.unit() * 2.0, 0.5 + rng.unit() * 2.0],
                    rng.unit() * 6.3,
                )
            })
            .collect();
        let mut want = Vec::new();
        for j in 0..boxes.len() {
            for i in 0..j {
                if boxes[i].frame == boxes[j].frame && iou_3d(&boxes[i], &boxes[j]) > 0.0 {
                    want.push((j, format!("no_intersection (intersects Car #{i})")));
                }
            }
        }
        want.sort();
        let mut got: Vec<(usize, String)> = validate_scene_in(&rs, &boxes, SceneContext::default())
            .into_iter()
            .map(|v| (v.cuboid, v.message))
            .collect();
        got.sort();
        assert!(want.len() > 5, "round {round}: a crowded frame");
        assert_eq!(got, want, "round {round}");
    }
}

#[test]
fn a_frames_check_names_its_own_cuboids_by_their_place_in_the_frame() {
    let rs = rules(json!([
        {"kind": "no_intersection"},
        {"kind": "max_speed", "label": "Car", "max_mps": 20.0, "fps": 10.0},
    ]));
    // Frame 0: a lone car. Frame 1: a car, then two overlapping ones; the first jumped 5 m in a tenth of a second.
    let sequence = [
        car(0, "a", [0.0, 0.0, 0.0], 0.0),
        car(1, "a", [5.0, 0.0, 0.0], 0.0),
        car(1, "b", [20.0, 0.0, 0.0], 0.0),
        car(1, "c", [21.0, 0.5, 0.0], 0.0),
    ];
    let v = concord_engine::rules::validate_frame(&rs, "objects", 1, &sequence, SceneContext::default());
    let mut got: Vec<(&str, Option<usize>, Option<&str>)> =
        v.iter().map(|v| (v.rule.as_str(), v.region, v.control.as_deref())).collect();
    got.sort();
    // Regions are places in frame 1's list: a is 0, b is 1, c is 2 (the later of the overlapping pair).
    assert_eq!(got, vec![("max_speed", Some(0), Some("objects")), ("no_intersection", Some(2), Some("objects"))]);
    // Frame 0 has nothing of its own to answer for.
    assert!(concord_engine::rules::validate_frame(&rs, "objects", 0, &sequence, SceneContext::default()).is_empty());
}

#[test]
fn a_drawn_footprint_takes_its_height_from_the_points_above_the_ground() {
    // A 0.6 m square over the origin: road returns at z = −1.7 (ground −1.73), a person's from −1.6 to 0.05.
    let mut points = vec![[0.1f32, 0.1, -1.72, 0.1], [0.2, -0.2, -1.71, 0.1]];
    for k in 0..30 {
        points.push([0.05, 0.0, -1.6 + 0.057 * k as f32, 0.4]);
    }
    points.push([2.0, 2.0, 1.0, 0.3]); // beside, not over
    let cloud = PointCloud { points };
    let footprint = Cuboid::new("Pedestrian", [0.0, 0.0, 0.0], [0.6, 0.6, 1.0], 0.0);
    let (bottom, top) = concord_engine::scene::fit_height(&cloud, &footprint, -1.73, 0.1).unwrap();
    // The bottom is the ground; the top is the highest return over the footprint (the road's do not count).
    assert!((bottom - (-1.73)).abs() < 1e-9, "{bottom}");
    assert!((top - f64::from(-1.6f32 + 0.057 * 29.0)).abs() < 1e-6, "{top}");
    // Turned a quarter, a long narrow footprint misses the column: nothing to fit.
    let turned = Cuboid::new("Car", [1.0, 0.0, 0.0], [0.2, 3.0, 1.0], 0.0);
    assert_eq!(concord_engine::scene::fit_height(&cloud, &turned, -1.73, 0.1), None);
}

#[test]
fn a_footprint_is_fitted_on_the_local_ground_of_the_demo_street() {
    // Frame 0 of the street demo: every gold pedestrian's footprint, fitted, stands on the ground around it (within
    // a kerb of the true bottom) and reaches up to the last ring that crosses it.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/street");
    let bytes = std::fs::read(root.join("frames/000000.bin")).unwrap();
    let cloud = read_kitti_bin("000000.bin", &bytes).unwrap();
    let gold = std::fs::read_to_string(root.join("gold.jsonl")).unwrap();
    let first: Value = serde_json::from_str(gold.lines().next().unwrap()).unwrap();
    let cuboids: Vec<Cuboid> = serde_json::from_value(first["result"]["objects"].clone()).unwrap();
    let people: Vec<&Cuboid> = cuboids.iter().filter(|c| c.label == "Pedestrian").collect();
    assert!(!people.is_empty());
    for truth in people {
        let footprint = Cuboid {
            center: [truth.center[0], truth.center[1], 0.0],
            size: [truth.size[0], truth.size[1], 1.0],
            ..truth.clone()
        };
        let inside = points_inside(&cloud, truth).len();
        let fitted = concord_engine::scene::fit_to_points(&cloud, &footprint).unwrap_or_else(|| {
            panic!("{:?} at {:?} with {inside} points: nothing fitted", truth.track_id, truth.center)
        });
        let (tb, tt) = truth.z_range();
        let (fb, ft) = fitted.z_range();
        // The top is the highest ring that crosses the person: rings are 18°/15 apart, so up to d·tan(1.2°) lower,
        // plus the 5 cm margin of the gold box.
        let ring = truth.center[0].hypot(truth.center[1]) * (18f64 / 15.0).to_radians().tan();
        assert!(ft <= tt && tt - ft <= ring + 0.06, "{:?}: top {ft} vs {tt} (rings {ring:.2} m apart)", truth.track_id);
        // Far from the sensor the ground rings are metres apart: the ground found may be the road beside the
        // sidewalk, a 15 cm kerb lower (plus the gold box's 5 cm margin).
        assert!((fb - tb).abs() <= 0.2 + 1e-9, "{:?}: bottom {fb} vs {tb}", truth.track_id);
    }
}

/// A table of two annotators' cuboids, each `(annotator, frame, track, x)`: cars on one line, every frame covered by
/// both.
fn track_table(rows: &[(&str, i64, &str, f64)], frames: i64) -> concord_engine::model::CuboidTable {
    let mut t = concord_engine::model::CuboidTable::default();
    for who in ["ann-a", "ann-b"] {
        let a = t.annotators.intern(who);
        for f in 0..frames {
            let item = t.items.intern(&format!("f{f}"));
            t.cover(item, a);
        }
    }
    for &(who, f, track, x) in rows {
        let (item, annotator) = (t.items.intern(&format!("f{f}")), t.annotators.intern(who));
        let label = t.labels.intern("Car");
        let cuboid = car(f, track, [x, 0.0, 0.0], 0.0);
        t.regions.push(concord_engine::model::CuboidRec { item, annotator, label, cuboid });
    }
    t.finish();
    t
}

#[test]
fn the_tracks_queue_puts_a_track_another_annotator_split_first_with_its_counts_by_hand() {
    // Two cars, 10 m apart, in frames 0–4. Annotator A tracks each as one track (a1 at x = 0, a2 at x = 10).
    // Annotator B splits the first car into b1 (frames 0–1) and b2 (frames 2–4), boxes the second one 0.5 m off
    // (footprints 4.2 × 1.8 m: IoU = 3.7 / 4.7) and misses it in frames 3 and 4.
    let mut rows = Vec::new();
    for f in 0..5 {
        rows.push(("ann-a", f, "a1", 0.0));
        rows.push(("ann-a", f, "a2", 10.0));
        rows.push(("ann-b", f, if f < 2 { "b1" } else { "b2" }, 0.0));
        if f < 3 {
            rows.push(("ann-b", f, "b3", 10.5));
        }
    }
    let queue = concord_engine::scene::track_queue(&track_table(&rows, 5), 0.5);
    let find = |who: &str, track: &str| queue.iter().find(|r| r.annotator == who && r.track == track).unwrap();
    // a1 is followed by b1, then by b2 from frame 2: one identity switch; all five boxes matched exactly.
    let a1 = find("ann-a", "a1");
    assert_eq!((a1.id_switches, a1.switch_frames.clone(), a1.matched, a1.compared), (1, vec![2], 5, 5));
    assert_eq!(a1.mean_iou, Some(1.0));
    assert_eq!((a1.frames, a1.boxes, a1.label.as_str()), ([0, 4], 5, "Car"));
    // a2: matched in frames 0–2 only, at 3.7 / 4.7.
    let a2 = find("ann-a", "a2");
    assert_eq!((a2.id_switches, a2.matched, a2.compared), (0, 3, 5));
    assert!((a2.mean_iou.unwrap() - 3.7 / 4.7).abs() < 1e-12);
    // B's tracks each follow one of A's: no switch; b3 is matched wherever it is.
    for (t, n) in [("b1", 2), ("b2", 3), ("b3", 3)] {
        let r = find("ann-b", t);
        assert_eq!((r.id_switches, r.matched, r.compared), (0, n, n), "{t}");
    }
    // The queue: the switch first, then the least matched (a2: 3 of 5), then the rest by annotator and track.
    let order: Vec<(&str, &str)> = queue.iter().map(|r| (r.annotator.as_str(), r.track.as_str())).collect();
    assert_eq!(order, [("ann-a", "a1"), ("ann-a", "a2"), ("ann-b", "b1"), ("ann-b", "b2"), ("ann-b", "b3")]);
}

#[test]
fn a_track_in_frames_no_other_annotator_covered_is_compared_with_nothing() {
    let mut t = concord_engine::model::CuboidTable::default();
    let a = t.annotators.intern("ann-a");
    let _b = t.annotators.intern("ann-b");
    let item = t.items.intern("f7");
    let label = t.labels.intern("Car");
    t.regions.push(concord_engine::model::CuboidRec { item, annotator: a, label, cuboid: car(7, "a1", [0.0; 3], 0.0) });
    t.finish();
    let queue = concord_engine::scene::track_queue(&t, 0.5);
    assert_eq!(queue.len(), 1);
    assert_eq!((queue[0].compared, queue[0].matched, queue[0].mean_iou), (0, 0, None));
}

/// A label file read for a sequence: grouped by frame in file order, as keyframes; a frame outside the sequence, a
/// label outside the project and an empty file are refused whole, naming the file and the cuboid.
#[test]
fn label_files_are_taken_frame_by_frame_for_a_sequence_or_refused_whole() {
    use concord_engine::scene::cuboids_by_frame;
    let at = |frame: i64, label: &str, x: f64| {
        let mut c = Cuboid::new(label, [x, 0.0, 0.8], [4.0, 2.0, 1.6], 0.0);
        c.frame = frame;
        c.interpolated = true;
        c
    };
    let file = vec![at(2, "Car", 10.0), at(0, "Car", 5.0), at(2, "Pedestrian", 3.0)];
    let text = write_kitti_labels(&file);
    let read = read_cuboids("labels.txt", &text).unwrap();
    let got = cuboids_by_frame("labels.txt", read, &[0, 1, 2], &["Car", "Pedestrian"]).unwrap();
    assert_eq!(got.keys().copied().collect::<Vec<_>>(), [0, 2]);
    assert_eq!(got[&2].iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["Car", "Pedestrian"]);
    assert!(got.values().flatten().all(|c| !c.interpolated), "imported cuboids are keyframes");
    assert!((got[&0][0].center[0] - 5.0).abs() < 1e-2, "{:?}", got[&0][0]);

    let refused = |cuboids: Vec<Cuboid>| {
        cuboids_by_frame("labels.txt", cuboids, &[0, 1, 2], &["Car", "Pedestrian"]).unwrap_err().to_string()
    };
    let e = refused(vec![at(0, "Car", 5.0), at(7, "Car", 5.0)]);
    assert!(e.contains("labels.txt") && e.contains("cuboid 2 (frame 7, Car)") && e.contains("frames 0–2"), "{e}");
    let e = refused(vec![at(1, "Van", 5.0)]);
    assert!(e.contains("`Van` is not a label") && e.contains("Car, Pedestrian"), "{e}");
    assert!(refused(Vec::new()).contains("no cuboids"));
}
