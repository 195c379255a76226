//! A street seen by a car's LiDAR and front camera: 40 frames at 10 Hz of a straight street with kerbs, sidewalks
//! and house fronts, parked and moving cars, pedestrians (one crossing) and a cyclist. The points are cast, not
//! scattered: each of a 16-beam sensor's rays stops at the nearest surface (so near objects hide far ones), with
//! range noise and dropped returns. The generator knows every object, so the gold cuboids are exact; the camera
//! image of each frame is the same scene drawn through the pinhole camera the task declares.

use serde_json::{json, Value};

use super::Files;
use concord_engine::model::{Camera, Cuboid, EgoPose};
use concord_engine::rng::SplitMix64 as Rng;

const FRAMES: usize = 40;
const HZ: f64 = 10.0;
/// The sensor's height above the road.
const MOUNT: f64 = 1.73;
const ROAD_HALF: f64 = 5.0;
const KERB: f64 = 0.15;
const WALL: f64 = 8.5;
const RANGE: f64 = 40.0;
/// The demo's sensor: 16 beams, a return every 1.5° (about 3,500 points a frame).
const BEAMS: usize = 16;
const AZIMUTHS: usize = 240;
const EGO_SPEED: f64 = 6.0;
const EGO_Y: f64 = -1.75;

/// An object of the street, in the world: where it is at frame 0 and how it moves.
struct Actor {
    track: &'static str,
    label: &'static str,
    start: [f64; 2],
    velocity: [f64; 2],
    size: [f64; 3],
    /// Intensity of its returns.
    shine: f32,
}

impl Actor {
    fn at(&self, frame: usize) -> Cuboid {
        let t = frame as f64 / HZ;
        let (x, y) = (self.start[0] + self.velocity[0] * t, self.start[1] + self.velocity[1] * t);
        let ground = if y.abs() >= ROAD_HALF { KERB } else { 0.0 };
        let yaw = if self.velocity == [0.0, 0.0] { 0.0 } else { self.velocity[1].atan2(self.velocity[0]) };
        let mut c = Cuboid::new(self.label, [x, y, ground + self.size[2] / 2.0], self.size, yaw);
        c.frame = frame as i64;
        c.track_id = Some(self.track.to_string());
        c
    }
}

fn actors() -> Vec<Actor> {
    let car = [4.4, 1.85, 1.5];
    let parked =
        |track, x, y| Actor { track, label: "Car", start: [x, y], velocity: [0.0, 0.0], size: car, shine: 0.6 };
    vec![
        parked("car-1", 12.0, -4.0),
        parked("car-2", 18.5, -4.0),
        parked("car-3", 31.0, -4.0),
        parked("car-4", 8.0, 4.0),
        parked("car-5", 26.0, 4.0),
        parked("car-6", 40.0, 4.0),
        Actor {
            track: "car-7",
            label: "Car",
            start: [14.0, -1.75],
            velocity: [6.5, 0.0],
            size: [4.6, 1.9, 1.45],
            shine: 0.7,
        },
        Actor {
            track: "car-8",
            label: "Car",
            start: [58.0, 1.75],
            velocity: [-8.0, 0.0],
            size: [4.2, 1.8, 1.55],
            shine: 0.7,
        },
        Actor {
            track: "ped-1",
            label: "Pedestrian",
            start: [10.0, -6.5],
            velocity: [1.4, 0.0],
            size: [0.6, 0.6, 1.75],
            shine: 0.4,
        },
        Actor {
            track: "ped-2",
            label: "Pedestrian",
            start: [21.0, 6.3],
            velocity: [-1.2, 0.0],
            size: [0.6, 0.6, 1.65],
            shine: 0.4,
        },
        Actor {
            track: "ped-3",
            label: "Pedestrian",
            start: [22.5, 5.8],
            velocity: [0.0, -1.0],
            size: [0.6, 0.6, 1.8],
            shine: 0.4,
        },
        Actor {
            track: "cyc-1",
            label: "Cyclist",
            start: [4.0, -2.6],
            velocity: [4.5, 0.0],
            size: [1.8, 0.6, 1.7],
            shine: 0.5,
        },
    ]
}

fn ego(frame: usize) -> EgoPose {
    let t = frame as f64 / HZ;
    EgoPose { frame: frame as i64, timestamp: t, translation: [EGO_SPEED * t, EGO_Y, MOUNT], yaw: 0.0 }
}

/// Where a ray from `o` along `d` leaves the slab of a box (in the box's axes), if it enters it ahead.
fn hit_box(c: &Cuboid, o: [f64; 3], d: [f64; 3]) -> Option<f64> {
    let (s, co) = c.yaw.sin_cos();
    let rel = [o[0] - c.center[0], o[1] - c.center[1], o[2] - c.center[2]];
    let lo = [rel[0] * co + rel[1] * s, -rel[0] * s + rel[1] * co, rel[2]];
    let ld = [d[0] * co + d[1] * s, -d[0] * s + d[1] * co, d[2]];
    let (mut near, mut far) = (0.0f64, f64::INFINITY);
    for k in 0..3 {
        let half = c.size[k] / 2.0;
        if ld[k].abs() < 1e-12 {
            if lo[k].abs() > half {
                return None;
            }
            continue;
        }
        let (a, b) = ((-half - lo[k]) / ld[k], (half - lo[k]) / ld[k]);
        near = near.max(a.min(b));
        far = far.min(a.max(b));
    }
    (near <= far && near > 0.0).then_some(near)
}

/// The nearest surface along the ray in the world: its distance and intensity.
fn cast(objects: &[(Cuboid, f32)], o: [f64; 3], d: [f64; 3]) -> Option<(f64, f32)> {
    let mut best: Option<(f64, f32)> = None;
    let mut take = |t: f64, shine: f32| {
        if t > 0.0 && t <= RANGE && best.is_none_or(|b| t < b.0) {
            best = Some((t, shine));
        }
    };
    if d[2] < 0.0 {
        let t = -o[2] / d[2];
        if (o[1] + t * d[1]).abs() < ROAD_HALF {
            take(t, 0.1);
        } else {
            let t = (KERB - o[2]) / d[2];
            let y = (o[1] + t * d[1]).abs();
            if (ROAD_HALF..WALL).contains(&y) {
                take(t, 0.2);
            }
        }
    }
    if d[1].abs() > 1e-9 {
        let t = (WALL * d[1].signum() - o[1]) / d[1];
        let z = o[2] + t * d[2];
        if (0.0..6.0).contains(&z) {
            take(t, 0.3);
        }
    }
    for (c, shine) in objects {
        if let Some(t) = hit_box(c, o, d) {
            take(t, *shine);
        }
    }
    best
}

/// A roughly normal deviate (the sum of four uniforms), σ = `sigma`.
fn noise(rng: &mut Rng, sigma: f64) -> f64 {
    let s: f64 = (0..4).map(|_| rng.unit() - 0.5).sum();
    s * sigma * (3.0f64).sqrt()
}

/// One frame's points in the sensor's frame, as KITTI `.bin` bytes, and the points themselves.
fn scan(rng: &mut Rng, frame: usize, objects: &[(Cuboid, f32)]) -> (Vec<u8>, Vec<[f64; 3]>) {
    scan_with(rng, frame, objects, BEAMS, AZIMUTHS)
}

/// [`scan`] by a sensor of `beams` beams and `azimuths` returns a turn.
fn scan_with(
    rng: &mut Rng,
    frame: usize,
    objects: &[(Cuboid, f32)],
    beams: usize,
    azimuths: usize,
) -> (Vec<u8>, Vec<[f64; 3]>) {
    let pose = ego(frame);
    let o = pose.translation;
    let (mut bytes, mut points) = (Vec::new(), Vec::new());
    for beam in 0..beams {
        // −15° to +3°, like a sensor tilted a little down.
        let elevation = (-15.0 + 18.0 * beam as f64 / (beams - 1) as f64).to_radians();
        for k in 0..azimuths {
            let azimuth = std::f64::consts::TAU * (k as f64 + 0.37 * (frame % 3) as f64) / azimuths as f64;
            let d = [elevation.cos() * azimuth.cos(), elevation.cos() * azimuth.sin(), elevation.sin()];
            let Some((t, shine)) = cast(objects, o, d) else { continue };
            if rng.unit() < 0.03 {
                continue; // a dropped return
            }
            let t = t + noise(rng, 0.02);
            let p = [t * d[0], t * d[1], t * d[2]];
            for v in [p[0] as f32, p[1] as f32, p[2] as f32, shine] {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            points.push(p);
        }
    }
    (bytes, points)
}

/// A world cuboid in the sensor's frame at `frame` (the ego never turns, so only its position is taken away), 5 cm
/// larger on every side than the surface the rays hit: the box holds the object's returns, range noise included.
fn in_sensor(c: &Cuboid, frame: usize) -> Cuboid {
    let t = ego(frame).translation;
    let mut s = c.clone();
    s.size = c.size.map(|v| ((v + 0.1) * 1000.0).round() / 1000.0);
    s.center = [c.center[0] - t[0], c.center[1] - t[1], c.center[2] - t[2]];
    s.center = s.center.map(|v| (v * 1000.0).round() / 1000.0);
    s
}

fn camera(frame: usize) -> Camera {
    Camera {
        name: "front".into(),
        image: format!("frames/{frame:06}.svg"),
        width: 640.0,
        height: 360.0,
        intrinsics: [[400.0, 0.0, 320.0], [0.0, 400.0, 180.0], [0.0, 0.0, 1.0]],
        // At the sensor, looking along +x: camera x = −y, camera y = −z, camera z = x.
        extrinsics: [[0.0, -1.0, 0.0, 0.0], [0.0, 0.0, -1.0, 0.0], [1.0, 0.0, 0.0, 0.0]],
    }
}

/// A polygon of the sensor's frame through the camera: clipped to 0.5 m in front of it (Sutherland–Hodgman against
/// one plane), then projected to pixels; empty when less than a triangle is left.
fn projected(cam: &Camera, poly: &[[f64; 3]]) -> Vec<[f64; 2]> {
    let c: Vec<[f64; 3]> = poly.iter().map(|p| cam.to_camera(*p)).collect();
    let mut kept = Vec::new();
    for i in 0..c.len() {
        let (a, b) = (c[i], c[(i + 1) % c.len()]);
        let (ina, inb) = (a[2] >= 0.5, b[2] >= 0.5);
        if ina {
            kept.push(a);
        }
        if ina != inb {
            let t = (0.5 - a[2]) / (b[2] - a[2]);
            kept.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), 0.5]);
        }
    }
    if kept.len() < 3 {
        return Vec::new();
    }
    let k = &cam.intrinsics;
    kept.iter().map(|p| [k[0][0] * p[0] / p[2] + k[0][2], k[1][1] * p[1] / p[2] + k[1][2]]).collect()
}

/// A polygon of the sensor's frame drawn through the camera.
fn drawn(cam: &Camera, poly: &[[f64; 3]], fill: &str) -> String {
    let px = projected(cam, poly);
    if px.is_empty() {
        return String::new();
    }
    let pts: Vec<String> = px.iter().map(|p| format!("{:.1},{:.1}", p[0], p[1])).collect();
    format!("<polygon points=\"{}\" fill=\"{fill}\" stroke=\"#1c2833\" stroke-width=\"0.5\"/>", pts.join(" "))
}

/// Faces of a cuboid by corner indices (`Cuboid::corners`: bottom 0–3, top 4–7).
const FACES: [[usize; 4]; 6] = [[0, 1, 2, 3], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7]];

/// The camera-side gold of a cuboid: the box around its whole projection (the part in front of the camera; hidden
/// parts included, as the cuboid is the object's full extent), cut at the image's edge, to 0.1 px; `None` when less
/// than 2 px of it is in the image either way.
fn camera_box(cam: &Camera, c: &Cuboid) -> Option<Value> {
    let k = c.corners();
    let px: Vec<[f64; 2]> = FACES.iter().flat_map(|f| projected(cam, &f.map(|i| k[i]))).collect();
    let round = |v: f64| (v * 10.0).round() / 10.0;
    let lo = |a: usize, max: f64| round(px.iter().map(|p| p[a]).fold(f64::INFINITY, f64::min).clamp(0.0, max));
    let hi = |a: usize, max: f64| round(px.iter().map(|p| p[a]).fold(f64::NEG_INFINITY, f64::max).clamp(0.0, max));
    let (x0, x1, y0, y1) = (lo(0, cam.width), hi(0, cam.width), lo(1, cam.height), hi(1, cam.height));
    (!px.is_empty() && x1 - x0 >= 2.0 && y1 - y0 >= 2.0)
        .then(|| json!({"x": x0, "y": y0, "w": round(x1 - x0), "h": round(y1 - y0), "label": c.label}))
}

fn colour(label: &str) -> &'static str {
    match label {
        "Car" => "#2874a6",
        "Pedestrian" => "#ca6f1e",
        _ => "#7d3c98",
    }
}

/// The front camera's picture of the frame: ground, sidewalks and house fronts, then the objects far to near,
/// each face turned to the camera.
fn picture(frame: usize, visible: &[Cuboid]) -> String {
    let cam = camera(frame);
    let ex = ego(frame).translation;
    let (near, far) = (0.0, 80.0);
    let quad = |x0: f64, x1: f64, y0: f64, y1: f64, z0: f64, z1: f64| -> Vec<[f64; 3]> {
        let s = |x: f64, y: f64, z: f64| [x, y - ex[1], z - ex[2]];
        if z0 == z1 {
            vec![s(x0, y0, z0), s(x1, y0, z0), s(x1, y1, z0), s(x0, y1, z0)]
        } else {
            vec![s(x0, y0, z0), s(x1, y0, z0), s(x1, y0, z1), s(x0, y0, z1)]
        }
    };
    let mut body = String::from("<rect width=\"640\" height=\"360\" fill=\"#d6eaf8\"/>");
    body += &drawn(&cam, &quad(near, far, -ROAD_HALF, ROAD_HALF, 0.0, 0.0), "#5d6d7e");
    for side in [-1.0, 1.0] {
        body += &drawn(&cam, &quad(near, far, side * ROAD_HALF, side * WALL, KERB, KERB), "#aab7b8");
        body += &drawn(&cam, &quad(near, far, side * WALL, side * WALL, 0.0, 6.0), "#d5b895");
    }
    // Lane marks every 6 m of the world, so they move as the car does.
    let first = ((ex[0] / 6.0).floor() as i64) * 6;
    for k in 0..12 {
        let x = (first + 6 * k) as f64 - ex[0];
        body += &drawn(&cam, &quad(x, x + 3.0, -0.08, 0.08, 0.0, 0.0), "#f7f9f9");
    }
    let mut order: Vec<&Cuboid> = visible.iter().collect();
    order.sort_by(|a, b| b.center[0].hypot(b.center[1]).total_cmp(&a.center[0].hypot(a.center[1])));
    for c in order {
        let k = c.corners();
        // Outward normals from the box's centre.
        for face in FACES {
            let mid: [f64; 3] = std::array::from_fn(|a| face.iter().map(|&i| k[i][a]).sum::<f64>() / 4.0);
            let out: [f64; 3] = std::array::from_fn(|a| mid[a] - c.center[a]);
            // Seen when the camera (at the sensor's origin) is on the face's outer side.
            if out.iter().zip(mid).map(|(n, m)| -n * m).sum::<f64>() > 0.0 {
                let poly: Vec<[f64; 3]> = face.iter().map(|&i| k[i]).collect();
                body += &drawn(&cam, &poly, colour(&c.label));
            }
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"360\" viewBox=\"0 0 640 360\">{body}</svg>\n"
    )
}

const GUIDELINES: &str = r#"# Street LiDAR — labeling guideline

Version 1.0. Put one cuboid around every car, pedestrian and cyclist with returns in the frame, and keep each
object's track id from frame to frame.

## Cuboids
The cuboid is the object's full extent, not only the side the sensor saw: a parked car seen from behind is still
as long as a car. The heading points where the object faces (or moves). Its bottom face stands on the road or the
sidewalk, never below it.

## Sizes
Cars are 3.2–5.5 m long, 1.5–2.2 m wide and 1.3–2.0 m high; pedestrians 0.3–1.2 m across and 1.0–2.1 m high;
cyclists with their bike 1.4–2.2 m long and 1.2–2.0 m high. One object keeps its size in every frame.

## Motion
Pedestrians do not move faster than 3 m/s, cyclists 12 m/s, cars 30 m/s; a jump faster than that between frames is
a misplaced cuboid or a swapped track id.

## Points
A cuboid needs returns inside it: an object without points is not labelled.

## Overlap
Two solid objects never share a volume.

## Camera
In the front camera's image, box every object that has a cuboid: the box around the whole cuboid as the camera
projects it (hidden parts included), cut at the image's edge. Its label is the cuboid's.
"#;

pub fn generate() -> Files {
    let mut rng = Rng::new(0x5EED_0007);
    let mut files = Files::default();
    let actors = actors();
    let mut tasks = Vec::new();
    let mut gold = Vec::new();
    for frame in 0..FRAMES {
        let world: Vec<(Cuboid, f32)> = actors.iter().map(|a| (a.at(frame), a.shine)).collect();
        let (bytes, points) = scan(&mut rng, frame, &world);
        // Gold: every object with at least 3 returns inside.
        let visible: Vec<Cuboid> = world
            .iter()
            .map(|(c, _)| in_sensor(c, frame))
            .filter(|c| points.iter().filter(|p| c.contains(**p)).count() >= 3)
            .collect();
        let id = format!("f{frame:06}");
        let path = format!("frames/{frame:06}.bin");
        files.bytes(&path, bytes);
        files.add(format!("frames/{frame:06}.svg"), picture(frame, &visible));
        tasks.push(json!({"id": id, "data": {"points": path, "sequence": "street-1", "frame": frame,
                          "pose": ego(frame), "cameras": [camera(frame)]}}));
        let seen: Vec<Value> = visible.iter().filter_map(|c| camera_box(&camera(frame), c)).collect();
        let result = json!({"objects": visible, "camera_objects": seen});
        files.truth(&id, result.clone());
        if frame < 5 {
            gold.push(json!({"task": id, "result": result, "section": "#cuboids",
                             "explanation": "Every car, pedestrian and cyclist with returns, at its full size"}));
        }
    }
    let chunks = files.chunks(&tasks, 20);
    files.json(
        "project.json",
        &json!({
            "format": "concord-project",
            "version": 1,
            "id": "street-lidar",
            "name": "Street LiDAR",
            "description": "Put a 3D cuboid around every car, pedestrian and cyclist in a LiDAR sequence, with tracks across frames.",
            "schema": {"data": "point_cloud", "controls": [
                {"name": "objects", "type": "cuboids", "prompt": "Box every car, pedestrian and cyclist.", "labels": [
                    {"value": "Car", "color": "#2874a6", "section": "#cuboids"},
                    {"value": "Pedestrian", "color": "#ca6f1e", "section": "#cuboids"},
                    {"value": "Cyclist", "color": "#7d3c98", "section": "#cuboids"}
                ]},
                {"name": "camera_objects", "type": "boxes", "camera": "front",
                 "prompt": "Box every car, pedestrian and cyclist the front camera sees.", "labels": [
                    {"value": "Car", "color": "#2874a6", "section": "#camera"},
                    {"value": "Pedestrian", "color": "#ca6f1e", "section": "#camera"},
                    {"value": "Cyclist", "color": "#7d3c98", "section": "#camera"}
                ]}
            ]},
            "guidelines": {"path": "guidelines.md", "version": "1.0"},
            "rules": {"path": "rules.json"},
            "workflow": {"overlap": 2, "qc_sample_rate": 0.1, "seed": 7},
            "tasks": chunks,
            "gold": {"path": "gold.jsonl"}
        }),
    );
    let size = |id: &str, label: &str, l: [f64; 2], w: [f64; 2], h: [f64; 2]| {
        json!({"id": id, "kind": "cuboid_size", "severity": "error", "label": label, "length": l, "width": w,
               "height": h, "message": format!("A {label} of this size is not one"), "section": "#sizes"})
    };
    let speed = |id: &str, label: &str, max: f64| {
        json!({"id": id, "kind": "max_speed", "severity": "error", "label": label, "max_mps": max, "fps": HZ,
               "message": format!("The {label} moves faster than {max} m/s"), "section": "#motion"})
    };
    let rules: Vec<Value> = vec![
        size("car-size", "Car", [3.2, 5.5], [1.5, 2.2], [1.3, 2.0]),
        size("pedestrian-size", "Pedestrian", [0.3, 1.2], [0.3, 1.2], [1.0, 2.1]),
        size("cyclist-size", "Cyclist", [1.4, 2.2], [0.3, 1.0], [1.2, 2.0]),
        json!({"id": "above-ground", "kind": "above_ground", "severity": "error", "ground_z": -MOUNT,
               "tolerance": 0.1, "message": "The cuboid's bottom is below the road", "section": "#cuboids"}),
        json!({"id": "no-overlap", "kind": "no_intersection", "severity": "error",
               "message": "Two objects share a volume", "section": "#overlap"}),
        speed("pedestrian-speed", "Pedestrian", 3.0),
        speed("cyclist-speed", "Cyclist", 12.0),
        speed("car-speed", "Car", 30.0),
        json!({"id": "pedestrian-acceleration", "kind": "max_acceleration", "severity": "warning",
               "label": "Pedestrian", "max_mps2": 4.0, "fps": HZ,
               "message": "The pedestrian speeds up faster than a person can", "section": "#motion"}),
        json!({"id": "points", "kind": "min_points", "severity": "warning", "points": 12, "at_m": 10.0,
               "message": "Too few returns inside for the distance", "section": "#points"}),
        json!({"id": "track-size", "kind": "track_size", "severity": "error", "tolerance": 0.05,
               "message": "The object changes size between frames", "section": "#sizes"}),
        json!({"id": "camera-box-inside", "kind": "inside_image", "control": "camera_objects", "severity": "error",
               "message": "The box leaves the camera's image", "section": "#camera"}),
    ];
    files.json(
        "rules.json",
        &json!({"format": "concord-rules", "version": 1, "guidelines_version": "1.0", "rules": rules}),
    );
    files.jsonl("gold.jsonl", &gold);
    files.add("guidelines.md", GUIDELINES);
    files
}

/// The street scanned densely, for the 3D view's benchmark: `frames` frames of a 64-beam sensor with a return every
/// 0.17° (about 120,000 points a frame), the demo's project otherwise (rules, gold of the first frames).
pub fn dense(frames: usize) -> Files {
    let mut files = generate();
    files.binary.clear();
    // The first frames' camera pictures stay: the frames are the demo's, seen by the same camera.
    let pictures: Vec<String> = (0..frames).map(|f| format!("frames/{f:06}.svg")).collect();
    files.text.retain(|p, _| (!p.starts_with("frames/") || pictures.contains(p)) && !p.starts_with("tasks/"));
    let mut rng = Rng::new(0x5EED_0120);
    let actors = actors();
    let mut tasks = Vec::new();
    for frame in 0..frames {
        let world: Vec<(Cuboid, f32)> = actors.iter().map(|a| (a.at(frame), a.shine)).collect();
        let (bytes, _) = scan_with(&mut rng, frame, &world, 64, 2060);
        let path = format!("frames/{frame:06}.bin");
        files.bytes(&path, bytes);
        tasks.push(json!({"id": format!("f{frame:06}"), "data": {"points": path, "sequence": "street-1",
                          "frame": frame, "pose": ego(frame), "cameras": [camera(frame)]}}));
    }
    let chunks = files.chunks(&tasks, 20);
    let mut manifest: Value = serde_json::from_str(&files.text["project.json"]).unwrap();
    manifest["tasks"] = chunks;
    manifest["id"] = json!("street-dense");
    files.json("project.json", &manifest);
    // The gold names frames of the demo; the dense bundle's first frames are the same frames.
    files
}
