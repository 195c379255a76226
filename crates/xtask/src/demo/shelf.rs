//! Shelf and street scenes for 2D boxes. The generator knows where it drew every object, so the gold boxes are
//! exact (continuous pixel coordinates, COCO convention).

use serde_json::{json, Value};

use super::Files;
use concord_engine::rng::SplitMix64 as Rng;

const W: f64 = 640.0;
const H: f64 = 400.0;

pub fn generate() -> Files {
    let mut rng = Rng::new(0x5EED_0003);
    let mut files = Files::default();
    let mut tasks = Vec::new();
    let mut gold = Vec::new();
    for n in 1..=120 {
        let id = format!("sc{n:03}");
        let street = n % 3 == 0;
        let (svg, boxes) = if street { street_scene(&mut rng) } else { shelf_scene(&mut rng) };
        let image = format!("images/{id}.svg");
        files.add(&image, svg);
        tasks.push(json!({"id": id, "data": {"image": image, "width": W, "height": H},
                          "meta": {"scene": if street { "street" } else { "shelf" }}}));
        files.truth(&id, json!({"objects": boxes}));
        if n <= 12 {
            gold.push(json!({"task": id, "result": {"objects": boxes}, "section": "#what-to-box"}));
        }
    }
    let chunks = files.chunks(&tasks, 60);
    let occluded = json!({"name": "occluded", "type": "bool"});
    files.json(
        "project.json",
        &json!({
            "format": "concord-project",
            "version": 1,
            "id": "shelf-street-boxes",
            "name": "Shelves and streets",
            "description": "Draw a box around every product on a shelf, and every car, person and sign in a street.",
            "schema": {"data": "image", "controls": [
                {"name": "objects", "type": "boxes", "prompt": "Box every object.", "labels": [
                    {"value": "bottle", "color": "#2e86c1", "attributes": [occluded]},
                    {"value": "can", "color": "#c0392b", "attributes": [occluded]},
                    {"value": "box", "color": "#d68910", "attributes": [occluded]},
                    {"value": "price_tag", "color": "#f4d03f"},
                    {"value": "car", "color": "#7d3c98", "attributes": [occluded,
                        {"name": "parked", "type": "bool", "required": true}]},
                    {"value": "person", "color": "#17a589", "attributes": [occluded]},
                    {"value": "traffic_sign", "color": "#e74c3c"}
                ]}
            ]},
            "guidelines": {"path": "guidelines.md", "version": "1.3"},
            "rules": {"path": "rules.json"},
            "workflow": {"overlap": 2, "qc_sample_rate": 0.1, "seed": 3},
            "tasks": chunks,
            "gold": {"path": "gold.jsonl"}
        }),
    );
    files.json(
        "rules.json",
        &json!({"format": "concord-rules", "version": 1, "guidelines_version": "1.3", "rules": [
            {"id": "inside-image", "kind": "inside_image", "severity": "error", "control": "objects", "tolerance": 1.0,
             "message": "The box leaves the image", "section": "#tight-boxes"},
            {"id": "min-size", "kind": "min_size", "severity": "error", "control": "objects", "min_w": 4, "min_h": 4,
             "message": "Box too small to be an object", "section": "#tight-boxes"},
            {"id": "duplicate", "kind": "max_overlap", "severity": "warning", "control": "objects", "max_iou": 0.85,
             "message": "Two boxes of the same label cover the same object", "section": "#edge-cases"},
            {"id": "car-parked", "kind": "required_attributes", "severity": "error", "control": "objects",
             "label": "car", "attributes": ["parked"], "message": "Say whether the car is parked",
             "section": "#what-to-box"},
            {"id": "person-upright", "kind": "aspect_ratio", "severity": "warning", "control": "objects",
             "label": "person", "min": 0.1, "max": 1.0, "message": "A standing person is taller than wide",
             "section": "#what-to-box"}
        ]}),
    );
    files.jsonl("gold.jsonl", &gold);
    files.add("guidelines.md", GUIDELINES);
    files
}

fn r(v: f64) -> f64 {
    v.round()
}

fn shelf_scene(rng: &mut Rng) -> (String, Vec<Value>) {
    let mut body = String::from("<rect width=\"640\" height=\"400\" fill=\"#f2f3f4\"/>");
    let mut boxes = Vec::new();
    for shelf in 0..3 {
        let base = 120.0 + shelf as f64 * 125.0;
        body.push_str(&format!("<rect x=\"0\" y=\"{base}\" width=\"640\" height=\"10\" fill=\"#7b7d7d\"/>"));
        let mut x = r(rng.range(10.0, 40.0));
        while x < W - 70.0 {
            let kind = rng.below(3);
            let (w, h, label, colour) = match kind {
                0 => (
                    r(rng.range(26.0, 34.0)),
                    r(rng.range(80.0, 100.0)),
                    "bottle",
                    *rng.pick(&["#3498db", "#1abc9c", "#9b59b6"]),
                ),
                1 => (
                    r(rng.range(30.0, 38.0)),
                    r(rng.range(50.0, 60.0)),
                    "can",
                    *rng.pick(&["#e74c3c", "#c0392b", "#f39c12"]),
                ),
                _ => (
                    r(rng.range(50.0, 70.0)),
                    r(rng.range(70.0, 95.0)),
                    "box",
                    *rng.pick(&["#d68910", "#a04000", "#229954"]),
                ),
            };
            let y = base - h;
            let rx = if label == "bottle" { 8 } else { 2 };
            body.push_str(&format!("<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"{rx}\" fill=\"{colour}\" stroke=\"#17202a\"/>"));
            boxes.push(json!({"x": x, "y": y, "w": w, "h": h, "label": label, "attributes": {"occluded": false}}));
            if rng.unit() < 0.3 {
                let (tx, ty) = (x, base + 12.0);
                body.push_str(&format!(
                    "<rect x=\"{tx}\" y=\"{ty}\" width=\"28\" height=\"14\" fill=\"#f9e79f\" stroke=\"#7d6608\"/>"
                ));
                boxes.push(json!({"x": tx, "y": ty, "w": 28.0, "h": 14.0, "label": "price_tag"}));
            }
            x += w + r(rng.range(8.0, 30.0));
        }
    }
    (svg(&body), boxes)
}

fn street_scene(rng: &mut Rng) -> (String, Vec<Value>) {
    let mut body = String::from("<rect width=\"640\" height=\"400\" fill=\"#aed6f1\"/><rect y=\"250\" width=\"640\" height=\"150\" fill=\"#5d6d7e\"/><rect y=\"318\" width=\"640\" height=\"6\" fill=\"#f7f9f9\"/>");
    let mut boxes = Vec::new();
    let cars = 1 + rng.below(3);
    for i in 0..cars {
        let w = r(rng.range(110.0, 150.0));
        let h = r(rng.range(50.0, 65.0));
        let x = r(20.0 + i as f64 * 210.0 + rng.range(0.0, 40.0));
        let y = r(rng.range(270.0, 320.0));
        let colour = *rng.pick(&["#c0392b", "#2874a6", "#f4f6f7", "#212f3c"]);
        body.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"12\" fill=\"{colour}\" stroke=\"#17202a\"/>"
        ));
        let parked = y > 300.0;
        boxes.push(json!({"x": x, "y": y, "w": w, "h": h, "label": "car", "attributes": {"occluded": false, "parked": parked}}));
    }
    let people = rng.below(4);
    for _ in 0..people {
        let x = r(rng.range(20.0, 600.0));
        let h = r(rng.range(70.0, 95.0));
        let y = r(250.0 - h + rng.range(0.0, 10.0));
        body.push_str(&format!("<circle cx=\"{}\" cy=\"{}\" r=\"8\" fill=\"#784212\"/><rect x=\"{}\" y=\"{}\" width=\"18\" height=\"{}\" rx=\"5\" fill=\"#1f618d\"/>", x + 9.0, y + 8.0, x, y + 16.0, h - 16.0));
        boxes.push(
            json!({"x": x - 0.0, "y": y, "w": 18.0, "h": h, "label": "person", "attributes": {"occluded": false}}),
        );
    }
    let sx = r(rng.range(300.0, 600.0));
    body.push_str(&format!("<rect x=\"{}\" y=\"150\" width=\"4\" height=\"100\" fill=\"#566573\"/><circle cx=\"{}\" cy=\"140\" r=\"18\" fill=\"#e74c3c\" stroke=\"#fdfefe\" stroke-width=\"3\"/>", sx + 16.0, sx + 18.0));
    boxes.push(json!({"x": sx - 1.5, "y": 120.5, "w": 39.0, "h": 39.0, "label": "traffic_sign"}));
    (svg(&body), boxes)
}

fn svg(body: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" viewBox=\"0 0 640 400\">{body}</svg>\n"
    )
}

const GUIDELINES: &str = r#"# Shelves and streets — labeling guideline

Version 1.3. Draw one tight box around every visible object of the seven classes.

## What to box
- **bottle**, **can**, **box**: every product on a shelf, including ones cut by the image border.
- **price_tag**: the yellow label below a product.
- **car**: every car; set `parked` (required) when it stands in the lower lane.
- **person**: head to feet.
- **traffic_sign**: the sign plate only, not the pole.

## Tight boxes
The box touches the object's outermost pixels: no margin, no cut-off parts. For a round sign, box the circle
including its white rim.

## Occlusion
Set `occluded` when more than a quarter of the object is hidden. Still draw the box around the visible part.

## Edge cases
- Two touching cans are two boxes.
- A person inside a car is not boxed.
"#;
