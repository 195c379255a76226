//! News-like English sentences for NER (PER, ORG, LOC, PRODUCT), with accents, CJK and emoji so that code-point
//! offsets are exercised everywhere. Gold spans are known exactly because the sentences are built from slots.

use serde_json::{json, Value};

use super::Files;
use concord_engine::rng::SplitMix64 as Rng;

const PER: &[&str] = &[
    "José Núñez",
    "Zoë Ångström",
    "Amelia Clarke",
    "Søren Kierkegaard",
    "李娜",
    "Chidi Okafor",
    "Mateo García",
    "Priya Raman",
    "Hiroshi Tanaka",
    "Élodie Durand",
    "Olga Petrova",
    "Tomás Ó Briain",
];
const ORG: &[&str] = &[
    "Acme Corp",
    "Nordlicht AG",
    "Banco Solaris",
    "Helix Labs",
    "東京電力",
    "Maison Lumière",
    "Redwood Capital",
    "Quokka Foods",
    "Vértice S.A.",
    "Pixel & Co",
];
const LOC: &[&str] = &[
    "São Paulo",
    "Zürich",
    "東京",
    "Reykjavík",
    "Nairobi",
    "Kraków",
    "Montréal",
    "Lagos",
    "Chiang Mai",
    "Cape Town",
    "Düsseldorf",
];
const PRODUCT: &[&str] = &[
    "Falcon X2",
    "iDrive Pro",
    "Model Ü",
    "Aurora 7",
    "Nimbus Phone",
    "Crème Brûlée Bar",
    "QuietJet 300",
    "SolarCell Max",
];
const EMOJI: &[&str] = &["🚀", "📈", "🎉", "⚡", "🌍", "🤝"];

/// `{P}` person, `{O}` organisation, `{L}` location, `{X}` product, `{E}` emoji (not an entity).
const TEMPLATES: &[&str] = &[
    "{P} was named chief executive of {O} on Monday.",
    "{O} opened a new office in {L} {E}",
    "{P} met {P} in {L} to discuss the {X} launch.",
    "Shares of {O} rose 4% after the {X} sold out in {L} {E}",
    "\"We are proud of the {X},\" said {P}, a spokesperson for {O}.",
    "{L} will host the summit; {P} of {O} is expected to attend.",
    "The {X} is made in {L} by {O}.",
    "{E} {P} left {O} and moved to {L}.",
    "Analysts at {O} expect the {X} to outsell last year's model.",
    "In {L}, {P} unveiled the {X} {E}",
];

pub fn generate() -> Files {
    let mut rng = Rng::new(0x5EED_0002);
    let mut files = Files::default();
    let mut tasks = Vec::new();
    let mut gold = Vec::new();
    for n in 1..=300 {
        let template = *rng.pick(TEMPLATES);
        let (text, spans) = fill(&mut rng, template);
        let id = format!("s{n:04}");
        tasks.push(json!({"id": id, "data": {"text": text}, "meta": {"source": "synthetic-newswire"}}));
        files.truth(&id, json!({"entities": spans}));
        if n <= 30 {
            gold.push(json!({"task": id, "result": {"entities": spans}, "section": "#entity-types"}));
        }
    }
    let chunks = files.chunks(&tasks, 100);
    files.json(
        "project.json",
        &json!({
            "format": "concord-project",
            "version": 1,
            "id": "news-ner",
            "name": "News entities",
            "description": "Mark people, organisations, locations and products in news sentences.",
            "schema": {"data": "text", "controls": [
                {"name": "entities", "type": "spans", "overlap": "forbid", "prompt": "Mark every named entity.", "labels": [
                    {"value": "PER", "color": "#2e86c1", "description": "A named person"},
                    {"value": "ORG", "color": "#28b463", "description": "A company, agency or institution"},
                    {"value": "LOC", "color": "#ca6f1e", "description": "A city, country or place"},
                    {"value": "PRODUCT", "color": "#8e44ad", "description": "A named product or model"}
                ]}
            ]},
            "guidelines": {"path": "guidelines.md", "version": "2.1"},
            "rules": {"path": "rules.json"},
            "workflow": {"overlap": 2, "qc_sample_rate": 0.1, "seed": 11},
            "tasks": chunks,
            "gold": {"path": "gold.jsonl"}
        }),
    );
    files.json(
        "rules.json",
        &json!({"format": "concord-rules", "version": 1, "guidelines_version": "2.1", "rules": [
            {"id": "whole-words", "kind": "token_boundaries", "severity": "error", "control": "entities",
             "message": "A span must start and end on word boundaries", "section": "#span-boundaries"},
            {"id": "no-edge-space", "kind": "no_edge_whitespace", "severity": "error", "control": "entities",
             "message": "No leading or trailing spaces", "section": "#span-boundaries"},
            {"id": "flat", "kind": "no_overlap", "severity": "error", "control": "entities",
             "message": "Spans may not overlap", "section": "#news-entities-labeling-guideline"},
            {"id": "product-capitalised", "kind": "regex", "severity": "warning", "control": "entities",
             "label": "PRODUCT", "pattern": "^[^A-Z]*$", "must_match": false,
             "message": "A product name is capitalised; is this the generic noun?", "section": "#entity-types"},
            {"id": "short-person", "kind": "max_length", "severity": "warning", "control": "entities", "label": "PER",
             "max": 40, "message": "Person names are rarely this long: titles are not part of the name",
             "section": "#entity-types"}
        ]}),
    );
    files.jsonl("gold.jsonl", &gold);
    files.add("guidelines.md", GUIDELINES);
    files
}

/// Fills the slots and returns the text and its entity spans (code-point offsets, end-exclusive).
fn fill(rng: &mut Rng, template: &str) -> (String, Vec<Value>) {
    let mut text = String::new();
    let mut len = 0usize; // in code points
    let mut spans = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let lit = &rest[..open];
        text.push_str(lit);
        len += lit.chars().count();
        let slot = &rest[open + 1..open + 2];
        let (word, label) = match slot {
            "P" => (*rng.pick(PER), Some("PER")),
            "O" => (*rng.pick(ORG), Some("ORG")),
            "L" => (*rng.pick(LOC), Some("LOC")),
            "X" => (*rng.pick(PRODUCT), Some("PRODUCT")),
            _ => (*rng.pick(EMOJI), None),
        };
        let n = word.chars().count();
        if let Some(label) = label {
            spans.push(json!({"start": len, "end": len + n, "label": label}));
        }
        text.push_str(word);
        len += n;
        rest = &rest[open + 3..];
    }
    text.push_str(rest);
    (text, spans)
}

const GUIDELINES: &str = r#"# News entities — labeling guideline

Version 2.1. Mark every named entity with one of four types. Spans may not overlap.

## Entity types
- **PER** — a named person: `José Núñez`, `李娜`. Not titles: in "chief executive José Núñez" mark only the name.
- **ORG** — companies, agencies, institutions: `Acme Corp`, `東京電力`. Include legal suffixes (`AG`, `S.A.`).
- **LOC** — cities, countries, regions: `São Paulo`, `東京`.
- **PRODUCT** — a named product or model: `Falcon X2`. Not the generic noun: in "the Falcon X2 launch" mark
  `Falcon X2` only.

## Span boundaries
- No leading or trailing spaces or punctuation: `Acme Corp,` → `Acme Corp`.
- Keep the whole name, accents included: `Zoë Ångström`, never `Zo`.
- Emoji are never part of an entity.

## Edge cases
- A company named after a place (`Nordlicht AG`) is ORG, not LOC.
- "Model Ü" is a PRODUCT even though it starts with a common word.
- Quoted speech: the speaker is PER, the quote's content is labelled as usual.
"#;
