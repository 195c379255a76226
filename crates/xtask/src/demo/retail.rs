//! Retail products, 20 categories, single-choice image classification, with training gold and model predictions.

use serde_json::{json, Map, Value};

use super::Files;
use concord_engine::rng::SplitMix64 as Rng;

/// (label, shape, colour, text printed on the pack)
const CATEGORIES: [(&str, Shape, &str, &str); 20] = [
    ("apple", Shape::Round, "#c0392b", ""),
    ("banana", Shape::Crescent, "#f1c40f", ""),
    ("orange", Shape::Round, "#e67e22", ""),
    ("milk", Shape::Carton, "#ecf0f1", "MILK"),
    ("cheese", Shape::Wedge, "#f7dc6f", ""),
    ("yogurt", Shape::Cup, "#f5b7b1", "YOG"),
    ("bread", Shape::Loaf, "#b9770e", ""),
    ("cereal", Shape::Box, "#2e86c1", "FLAKES"),
    ("coffee", Shape::Jar, "#6e2c00", "COFFEE"),
    ("tea", Shape::Box, "#1e8449", "TEA"),
    ("juice", Shape::Carton, "#f39c12", "JUICE"),
    ("water", Shape::Bottle, "#85c1e9", "AQUA"),
    ("soda", Shape::Can, "#e74c3c", "FIZZ"),
    ("chips", Shape::Bag, "#f4d03f", "CHIPS"),
    ("chocolate", Shape::Bar, "#4a235a", "CHOCO"),
    ("cookies", Shape::Box, "#a04000", "COOKIES"),
    ("pasta", Shape::Bag, "#fad7a0", "PASTA"),
    ("rice", Shape::Bag, "#fdfefe", "RICE"),
    ("soap", Shape::Bar, "#a3e4d7", "SOAP"),
    ("shampoo", Shape::Bottle, "#af7ac5", "SHAMPOO"),
];

#[derive(Clone, Copy)]
enum Shape {
    Round,
    Crescent,
    Carton,
    Wedge,
    Cup,
    Loaf,
    Box,
    Jar,
    Bottle,
    Can,
    Bag,
    Bar,
}

const PER_CATEGORY: usize = 10;

/// Values per embedding.
const EMBEDDING: usize = 32;

/// What an image encoder might see of a pack, as the generator drew it: its shape (one-hot, 12), its colour (RGB,
/// 3) and the letters printed on it (hashed counts, 17), each blurred by Gaussian noise so that look-alike packs
/// (three boxes, two cartons) are confusable. Drawn from its own generator seeded by the task's number, so the
/// images' and predictions' random draws are unchanged.
fn embedding(n: u64, shape: Shape, colour: &str, text: &str) -> [f32; EMBEDDING] {
    let mut rng = Rng::new(0xE3BE_0000 + n);
    // Box–Muller.
    let mut normal =
        |sd: f64| sd * (-2.0 * (1.0 - rng.unit()).ln()).sqrt() * (std::f64::consts::TAU * rng.unit()).cos();
    let mut v = [0f32; EMBEDDING];
    v[shape as usize] = 1.0;
    for (k, c) in [1, 3, 5].into_iter().enumerate() {
        v[12 + k] = (u8::from_str_radix(&colour[c..c + 2], 16).unwrap_or(0) as f32) / 255.0;
    }
    for b in text.bytes() {
        v[15 + (b as usize * 7) % 17] += 0.5;
    }
    for (k, x) in v.iter_mut().enumerate() {
        *x += normal(if k < 12 {
            0.25
        } else if k < 15 {
            0.08
        } else {
            0.3
        }) as f32;
    }
    v
}

pub fn generate() -> Files {
    let mut rng = Rng::new(0x5EED_0001);
    let mut files = Files::default();
    let mut tasks = Vec::new();
    let mut gold = Vec::new();
    let mut predictions = Vec::new();
    let mut embeddings = Vec::new();
    for k in 0..PER_CATEGORY {
        for (ci, (label, shape, colour, text)) in CATEGORIES.iter().enumerate() {
            let n = k * CATEGORIES.len() + ci + 1;
            let id = format!("p{n:04}");
            let image = format!("images/{id}.svg");
            files.add(&image, svg(&mut rng, *shape, colour, text));
            tasks.push(json!({"id": id, "data": {"image": image, "width": 200, "height": 200},
                              "meta": {"aisle": aisle(label)}}));
            files.truth(&id, json!({"category": [label]}));
            embeddings.extend(embedding(n as u64, *shape, colour, text).iter().flat_map(|v| v.to_le_bytes()));
            if k == 0 {
                gold.push(json!({"task": id, "result": {"category": [label]},
                                 "explanation": format!("A single {label} pack, fully visible."),
                                 "section": section(label)}));
            }
            predictions.push(prediction(&mut rng, &id, ci));
        }
    }
    let chunks = files.chunks(&tasks, 100);
    // One embeddings file per chunk of 100 tasks (EMBEDDING values of 4 bytes each).
    let per_chunk = 100 * EMBEDDING * 4;
    let embedding_files: Vec<Value> = embeddings
        .chunks(per_chunk)
        .enumerate()
        .map(|(i, bytes)| {
            let path = format!("embeddings/{i:03}.f32");
            files.bytes(&path, bytes.to_vec());
            Value::from(path)
        })
        .collect();
    let labels: Vec<Value> = CATEGORIES.iter().map(|(l, ..)| json!({"value": l, "section": section(l)})).collect();
    files.json(
        "project.json",
        &json!({
            "format": "concord-project",
            "version": 1,
            "id": "retail-products",
            "name": "Retail products",
            "description": "Classify supermarket product photos into 20 categories (single choice).",
            "schema": {"data": "image", "controls": [
                {"name": "category", "type": "single_choice", "prompt": "Which product is this?", "labels": labels}
            ]},
            "guidelines": {"path": "guidelines.md", "version": "1.0", "date": "2026-11-01",
                           "history": [{"version": "0.9", "date": "2026-10-15", "path": "guidelines/0.9.md"}]},
            "rules": {"path": "rules.json"},
            "workflow": {"overlap": 3, "qc_sample_rate": 0.1, "seed": 7, "pilot": {"size": 20, "min_agreement": 0.8},
                "routing": {
                    "overlap": {"high": 3, "low": 1, "window": 10, "min_accuracy": 0.85},
                    "tiers": ["arbiter", "senior", "junior"],
                    "rules": [{"tier": "senior", "when": {"model_confidence_below": 0.5}},
                              {"tier": "senior", "when": {"prior_agreement_below": 0.67}}],
                    "model": {"min_gold_accuracy": 0.8, "min_conflict_score": 0.9}
                }},
            "tasks": chunks,
            "embeddings": {"dimension": EMBEDDING, "type": "f32", "chunks": embedding_files,
                "source": "the generator's image descriptor: shape, colour and pack text, with noise (a stand-in for an image encoder)"},
            "gold": {"path": "gold.jsonl"},
            "predictions": {"path": "predictions.jsonl"}
        }),
    );
    files.json(
        "rules.json",
        &json!({"format": "concord-rules", "version": 1, "guidelines_version": "1.0", "rules": [
            {"id": "one-category", "kind": "count", "severity": "error", "control": "category", "min": 1, "max": 1,
             "message": "Choose exactly one category", "section": "#retail-products-labeling-guideline"},
            {"id": "model-disagrees", "kind": "model_conflict", "severity": "warning", "control": "category",
             "min_score": 0.9, "message": "The shelf model is confident about another category: look again",
             "section": "#general-rules"}
        ]}),
    );
    files.jsonl("gold.jsonl", &gold);
    files.jsonl("predictions.jsonl", &predictions);
    files.add("guidelines.md", GUIDELINES);
    files.add("guidelines/0.9.md", GUIDELINES_0_9);
    files
}

fn aisle(label: &str) -> &'static str {
    match label {
        "apple" | "banana" | "orange" => "produce",
        "milk" | "cheese" | "yogurt" => "dairy",
        "soap" | "shampoo" => "personal care",
        "water" | "soda" | "juice" | "coffee" | "tea" => "drinks",
        _ => "pantry",
    }
}

fn section(label: &str) -> &'static str {
    match aisle(label) {
        "produce" => "#fresh-produce",
        "dairy" => "#dairy",
        "drinks" => "#drinks",
        "personal care" => "#personal-care",
        _ => "#pantry",
    }
}

/// A model that is right about 80 % of the time, with scores for its top three labels.
fn prediction(rng: &mut Rng, id: &str, truth: usize) -> Value {
    let top = if rng.unit() < 0.8 { truth } else { rng.below(CATEGORIES.len()) };
    let p1 = (rng.range(0.45, 0.98) * 100.0).round() / 100.0;
    let mut scores = Map::new();
    scores.insert(CATEGORIES[top].0.into(), json!(p1));
    let mut rest = 1.0 - p1;
    for _ in 0..2 {
        let other = CATEGORIES[rng.below(CATEGORIES.len())].0;
        if !scores.contains_key(other) {
            let p = ((rest * rng.range(0.3, 0.7)) * 100.0).floor() / 100.0;
            rest -= p;
            scores.insert(other.into(), json!(p));
        }
    }
    json!({"task": id, "model": "shelfnet-v3", "result": {"category": [CATEGORIES[top].0]},
           "scores": {"category": scores}})
}

fn svg(rng: &mut Rng, shape: Shape, colour: &str, text: &str) -> String {
    let bg = *rng.pick(&["#f8f9f9", "#eaeded", "#fdf2e9", "#eaf2f8", "#f4ecf7"]);
    let dx = rng.range(-15.0, 15.0).round();
    let dy = rng.range(-10.0, 10.0).round();
    let rot = rng.range(-12.0, 12.0).round();
    let body = match shape {
        Shape::Round => format!("<circle cx=\"100\" cy=\"105\" r=\"52\" fill=\"{colour}\"/><rect x=\"97\" y=\"40\" width=\"6\" height=\"18\" fill=\"#6e2c00\"/><ellipse cx=\"115\" cy=\"48\" rx=\"14\" ry=\"6\" fill=\"#28b463\"/>"),
        Shape::Crescent => format!("<path d=\"M40 70 Q100 190 165 70 Q100 150 40 70Z\" fill=\"{colour}\" stroke=\"#9a7d0a\" stroke-width=\"3\"/>"),
        Shape::Carton => format!("<path d=\"M65 60 L100 35 L135 60Z\" fill=\"{colour}\" stroke=\"#566573\"/><rect x=\"65\" y=\"60\" width=\"70\" height=\"110\" fill=\"{colour}\" stroke=\"#566573\" stroke-width=\"2\"/>"),
        Shape::Wedge => format!("<path d=\"M40 150 L160 150 L160 90Z\" fill=\"{colour}\" stroke=\"#b7950b\" stroke-width=\"3\"/><circle cx=\"130\" cy=\"130\" r=\"7\" fill=\"#fcf3cf\"/>"),
        Shape::Cup => format!("<path d=\"M60 70 L140 70 L128 160 L72 160Z\" fill=\"{colour}\" stroke=\"#566573\" stroke-width=\"2\"/><rect x=\"55\" y=\"62\" width=\"90\" height=\"10\" fill=\"#d5d8dc\"/>"),
        Shape::Loaf => format!("<rect x=\"40\" y=\"80\" width=\"120\" height=\"70\" rx=\"30\" fill=\"{colour}\"/><path d=\"M60 95 L75 85 M90 95 L105 85 M120 95 L135 85\" stroke=\"#784212\" stroke-width=\"4\"/>"),
        Shape::Box => format!("<rect x=\"55\" y=\"35\" width=\"90\" height=\"135\" fill=\"{colour}\" stroke=\"#1b2631\" stroke-width=\"2\"/>"),
        Shape::Jar => format!("<rect x=\"60\" y=\"55\" width=\"80\" height=\"110\" rx=\"12\" fill=\"{colour}\"/><rect x=\"66\" y=\"40\" width=\"68\" height=\"18\" fill=\"#17202a\"/>"),
        Shape::Bottle => format!("<path d=\"M88 30 L112 30 L112 60 Q135 75 135 100 L135 170 L65 170 L65 100 Q65 75 88 60Z\" fill=\"{colour}\" stroke=\"#2e4053\" stroke-width=\"2\"/>"),
        Shape::Can => format!("<rect x=\"68\" y=\"50\" width=\"64\" height=\"115\" rx=\"8\" fill=\"{colour}\"/><ellipse cx=\"100\" cy=\"52\" rx=\"32\" ry=\"7\" fill=\"#bfc9ca\"/>"),
        Shape::Bag => format!("<path d=\"M55 45 L145 45 L150 165 L50 165Z\" fill=\"{colour}\" stroke=\"#7e5109\" stroke-width=\"2\"/><path d=\"M55 55 L145 55\" stroke=\"#7e5109\" stroke-dasharray=\"4 3\"/>"),
        Shape::Bar => format!("<rect x=\"35\" y=\"80\" width=\"130\" height=\"50\" rx=\"6\" fill=\"{colour}\" stroke=\"#1b2631\"/>"),
    };
    let label = if text.is_empty() {
        String::new()
    } else {
        let fg = if matches!(
            colour,
            "#ecf0f1" | "#fdfefe" | "#f7dc6f" | "#fad7a0" | "#f4d03f" | "#a3e4d7" | "#85c1e9" | "#f5b7b1"
        ) {
            "#1b2631"
        } else {
            "#fdfefe"
        };
        format!("<text x=\"100\" y=\"112\" font-family=\"sans-serif\" font-size=\"15\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{fg}\">{text}</text>")
    };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"200\" viewBox=\"0 0 200 200\"><rect width=\"200\" height=\"200\" fill=\"{bg}\"/><g transform=\"translate({dx} {dy}) rotate({rot} 100 100)\">{body}{label}</g></svg>\n"
    )
}

const GUIDELINES: &str = r#"# Retail products — labeling guideline

Version 1.0. Choose the **one** category that best describes the product in the photo.

## General rules
- Label the product, not the packaging material: a bottle of shampoo is `shampoo`, not `water`.
- Use the text on the pack when the shape is ambiguous (`FLAKES` → `cereal`, `TEA` → `tea`).
- If two products are visible, label the one in the centre of the image.

## Fresh produce
`apple`, `banana`, `orange`: loose fruit without a pack. A red round fruit with a stem and leaf is an `apple`;
an orange round fruit is an `orange` even when the leaf is missing.

## Dairy
`milk` (carton with a gable top), `cheese` (a wedge), `yogurt` (a cup with a lid).
Edge case: a carton reading `JUICE` is **not** dairy — label it `juice`.

## Drinks
`water`, `soda`, `juice`, `coffee`, `tea`. A clear blue bottle reading `AQUA` is `water`; a can is `soda`.
Edge case: a jar reading `COFFEE` is `coffee` even though jars are usually pantry items.

## Personal care
`soap` (a flat bar reading `SOAP`) and `shampoo` (a purple bottle). A bar reading `CHOCO` is `chocolate`.

## Pantry
`bread`, `cereal`, `chips`, `chocolate`, `cookies`, `pasta`, `rice`. Bags are told apart by their text:
`CHIPS`, `PASTA`, `RICE`.

## Examples
| image shows | label | why |
|---|---|---|
| a red can reading FIZZ | `soda` | cans are soft drinks |
| a brown box reading COOKIES | `cookies` | the text decides between boxes |
| a tilted yellow crescent | `banana` | rotation does not matter |
"#;

/// The pilot's guideline, before calibration: no edge cases yet, no examples, and a section the project dropped.
const GUIDELINES_0_9: &str = r#"# Retail products — labeling guideline

Version 0.9. Choose the **one** category that best describes the product in the photo.

## General rules
- Label the product, not the packaging material: a bottle of shampoo is `shampoo`, not `water`.
- If two products are visible, label the one in the centre of the image.

## Fresh produce
`apple`, `banana`, `orange`: loose fruit without a pack. A red round fruit with a stem and leaf is an `apple`;
an orange round fruit is an `orange` even when the leaf is missing.

## Dairy
`milk` (carton with a gable top), `cheese` (a wedge), `yogurt` (a cup with a lid).

## Drinks
`water`, `soda`, `juice`, `coffee`, `tea`. A clear blue bottle reading `AQUA` is `water`; a can is `soda`.

## Frozen
Label frozen goods by what is inside the pack.

## Personal care
`soap` (a flat bar reading `SOAP`) and `shampoo` (a purple bottle). A bar reading `CHOCO` is `chocolate`.

## Pantry
`bread`, `cereal`, `chips`, `chocolate`, `cookies`, `pasta`, `rice`. Bags are told apart by their text:
`CHIPS`, `PASTA`, `RICE`.
"#;
