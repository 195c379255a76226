//! Aerial tiles for polygons (2D segmentation): buildings (rectangles and L-shapes, turned), pools and trees on
//! grass. The generator knows every outline it drew, so the gold polygons are exact (pixels).

use serde_json::{json, Value};

use super::Files;
use concord_engine::rng::SplitMix64 as Rng;

const W: f64 = 480.0;
const H: f64 = 360.0;

type Outline = Vec<[f64; 2]>;

fn r(v: f64) -> f64 {
    (v * 2.0).round() / 2.0
}

/// `points` turned by `angle` about `(cx, cy)` and moved there.
fn placed(points: &[[f64; 2]], cx: f64, cy: f64, angle: f64) -> Outline {
    let (s, c) = angle.sin_cos();
    points.iter().map(|p| [r(cx + p[0] * c - p[1] * s), r(cy + p[0] * s + p[1] * c)]).collect()
}

fn building(rng: &mut Rng, cx: f64, cy: f64) -> Outline {
    let (w, h) = (rng.range(40.0, 80.0), rng.range(30.0, 60.0));
    let angle = rng.range(-0.5, 0.5);
    let shape: Vec<[f64; 2]> = if rng.below(2) == 0 {
        vec![[-w / 2.0, -h / 2.0], [w / 2.0, -h / 2.0], [w / 2.0, h / 2.0], [-w / 2.0, h / 2.0]]
    } else {
        // An L: the top-right quarter cut away.
        vec![[-w / 2.0, -h / 2.0], [0.0, -h / 2.0], [0.0, 0.0], [w / 2.0, 0.0], [w / 2.0, h / 2.0], [-w / 2.0, h / 2.0]]
    };
    placed(&shape, cx, cy, angle)
}

/// A regular-ish polygon of `n` vertices and radius `radius` (pools: 6–8, trees: 9–12 with a wobble).
fn blob(rng: &mut Rng, cx: f64, cy: f64, radius: f64, n: usize, wobble: f64) -> Outline {
    let stretch = rng.range(0.7, 1.0);
    let turn = rng.range(0.0, std::f64::consts::PI);
    let shape: Vec<[f64; 2]> = (0..n)
        .map(|k| {
            let t = k as f64 * std::f64::consts::TAU / n as f64;
            let rr = radius * (1.0 + rng.range(-wobble, wobble));
            [rr * t.cos(), rr * stretch * t.sin()]
        })
        .collect();
    placed(&shape, cx, cy, turn)
}

fn tile(rng: &mut Rng) -> (String, Vec<Value>) {
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}"><rect width="{W}" height="{H}" fill="#7fae6b"/><path d="M0 {} H{W}" stroke="#b9b3a6" stroke-width="18"/>"##,
        H / 2.0
    );
    let mut regions = Vec::new();
    // Three slots in the top half, three in the bottom half (the road runs between them).
    for slot in 0..6 {
        if rng.below(5) == 0 {
            continue;
        }
        let cx = 80.0 + (slot % 3) as f64 * 160.0 + rng.range(-20.0, 20.0);
        let cy = if slot < 3 { 85.0 } else { 275.0 } + rng.range(-15.0, 15.0);
        let (label, outline, fill) = match rng.below(5) {
            0 | 1 | 2 => ("building", building(rng, cx, cy), "#a0522d"),
            3 => {
                let radius = rng.range(14.0, 24.0);
                ("pool", blob(rng, cx, cy, radius, 8, 0.05), "#4aa3df")
            }
            _ => {
                let radius = rng.range(12.0, 20.0);
                ("tree", blob(rng, cx, cy, radius, 11, 0.2), "#2d6a2d")
            }
        };
        let pts: Vec<String> = outline.iter().map(|p| format!("{},{}", p[0], p[1])).collect();
        svg.push_str(&format!(
            r##"<polygon points="{}" fill="{fill}" stroke="#333" stroke-width="1"/>"##,
            pts.join(" ")
        ));
        regions.push(json!({"points": outline, "label": label}));
    }
    svg.push_str("</svg>\n");
    (svg, regions)
}

const GUIDELINES: &str = r#"# Aerial outlines — segmentation guideline

Outline every building, pool and tree seen from above with a polygon that follows its edge. One polygon per
object; the road is not labelled.

## Buildings
Follow the roof's outline, corner to corner: one vertex per corner, no more. An L-shaped roof is one polygon with
six corners, not two rectangles.

## Pools
Follow the water's edge; eight vertices are enough for a round pool.

## Trees
Follow the crown. Where two crowns touch, split them where they meet.

## Polygon quality
A polygon must not cross itself, must stay inside the image, and must cover at least 150 px² (smaller shapes are
noise, not objects).
"#;

pub fn generate() -> Files {
    let mut rng = Rng::new(0x5EED_0005);
    let mut files = Files::default();
    let mut tasks = Vec::new();
    let mut gold = Vec::new();
    for n in 1..=120 {
        let id = format!("ae{n:03}");
        let (svg, regions) = tile(&mut rng);
        let image = format!("images/{id}.svg");
        files.add(&image, svg);
        tasks.push(json!({"id": id, "data": {"image": image, "width": W, "height": H}}));
        files.truth(&id, json!({"outlines": regions}));
        if n % 10 == 1 {
            gold.push(json!({"task": id, "result": {"outlines": regions}, "section": "#buildings",
                             "explanation": "Every roof, pool and crown outlined corner to corner"}));
        }
    }
    let chunks = files.chunks(&tasks, 60);
    files.json(
        "project.json",
        &json!({
            "format": "concord-project",
            "version": 1,
            "id": "aerial-outlines",
            "name": "Aerial outlines",
            "description": "Outline every building, pool and tree in aerial tiles with polygons (segmentation).",
            "schema": {"data": "image", "controls": [
                {"name": "outlines", "type": "polygons", "prompt": "Outline every building, pool and tree.", "labels": [
                    {"value": "building", "color": "#c0392b", "section": "#buildings"},
                    {"value": "pool", "color": "#2e86c1", "section": "#pools"},
                    {"value": "tree", "color": "#1e8449", "section": "#trees"}
                ]}
            ]},
            "guidelines": {"path": "guidelines.md", "version": "1.0"},
            "rules": {"path": "rules.json"},
            "workflow": {"overlap": 2, "qc_sample_rate": 0.1, "seed": 5},
            "tasks": chunks,
            "gold": {"path": "gold.jsonl"}
        }),
    );
    files.json(
        "rules.json",
        &json!({"format": "concord-rules", "version": 1, "guidelines_version": "1.0", "rules": [
            {"id": "simple", "kind": "simple_polygon", "severity": "error", "control": "outlines",
             "message": "The polygon crosses itself", "section": "#polygon-quality"},
            {"id": "inside-image", "kind": "inside_image", "severity": "error", "control": "outlines", "tolerance": 1.0,
             "message": "The polygon leaves the image", "section": "#polygon-quality"},
            {"id": "min-area", "kind": "min_size", "severity": "error", "control": "outlines", "min_area": 150,
             "message": "Too small to be an object", "section": "#polygon-quality"}
        ]}),
    );
    files.jsonl("gold.jsonl", &gold);
    files.add("guidelines.md", GUIDELINES);
    files
}
