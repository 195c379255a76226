//! Support tickets rated for urgency on a 1–5 scale (a rating control with a rubric of anchors): subjective
//! labels, where ordinal and interval agreement say more than exact matches.

use serde_json::{json, Value};

use super::Files;
use concord_engine::rng::SplitMix64 as Rng;

/// (situation, its urgency on the rubric).
const SITUATIONS: &[(&str, u32)] = &[
    ("asks how to change the colour of the dashboard", 1),
    ("suggests a new keyboard shortcut", 1),
    ("reports a typo on the pricing page", 2),
    ("cannot find last month's invoice", 2),
    ("says exports take a minute longer than last week", 2),
    ("reports that search misses some older tickets", 3),
    ("cannot add a new team member before Friday's launch", 3),
    ("sees intermittent errors when uploading large files", 3),
    ("reports that the mobile app logs everyone out every hour", 4),
    ("was charged twice for the annual plan", 4),
    ("says the API returns errors for a third of the requests", 4),
    ("reports that the whole team cannot log in", 5),
    ("reports customer data visible to another account", 5),
    ("says every order since this morning failed to save", 5),
];
const WHO: &[&str] =
    &["A customer", "An admin", "A trial user", "The finance team", "A developer", "An enterprise client"];

const GUIDELINES: &str = r#"# Ticket urgency — rating guideline

Rate how urgent each support ticket is, from **1** (can wait) to **5** (drop everything). Rate the situation the
ticket describes, not its tone: an angry message about a typo is still a 2.

## The scale
- **1** — a question or a wish; nothing is broken.
- **2** — something is wrong but there is an easy way around it.
- **3** — work is slowed or blocked for one person, or a deadline is near.
- **4** — money or many people are affected, or a core feature fails often.
- **5** — everyone is blocked, or data is lost or exposed.

## Hard cases
When a ticket mixes two situations, rate the more urgent one. A deadline raises a ticket by one step, never more.
"#;

pub fn generate() -> Files {
    let mut files = Files::default();
    let mut rng = Rng::new(2026);
    let mut tasks: Vec<Value> = Vec::new();
    let mut gold: Vec<Value> = Vec::new();
    for i in 0..120 {
        let (what, urgency) = SITUATIONS[rng.below(SITUATIONS.len())];
        let who = WHO[rng.below(WHO.len())];
        let id = format!("t{:03}", i + 1);
        tasks.push(json!({"id": id, "data": {"text": format!("{who} {what}.")}}));
        files.truth(&id, json!({"urgency": [urgency.to_string()]}));
        // Every tenth ticket is training gold: its rating is the rubric's for the situation.
        if i % 10 == 4 {
            gold.push(json!({"task": id, "result": {"urgency": [urgency.to_string()]}, "section": "#the-scale",
                             "explanation": format!("{what}: {urgency} on the scale")}));
        }
    }
    let chunks = files.chunks(&tasks, 60);
    files.jsonl("gold.jsonl", &gold);
    files.json(
        "rules.json",
        &json!({"format": "concord-rules", "version": 1, "guidelines_version": "1.0", "rules": [
            {"id": "one-rating", "kind": "count", "control": "urgency", "min": 1, "max": 1, "severity": "error",
             "message": "Rate the ticket (one value)", "section": "#the-scale"}
        ]}),
    );
    let labels: Vec<Value> = (1..=5).map(|v| json!({"value": v.to_string(), "hotkey": v.to_string()})).collect();
    files.json(
        "project.json",
        &json!({
            "format": "concord-project", "version": 1, "id": "ticket-urgency", "name": "Ticket urgency",
            "description": "Rate how urgent each support ticket is, 1–5 (a rating scale with a rubric).",
            "guidelines": {"path": "guidelines.md", "version": "1.0"},
            "rules": {"path": "rules.json"}, "gold": {"path": "gold.jsonl"},
            "schema": {"data": "text", "controls": [{
                "name": "urgency", "type": "rating", "prompt": "How urgent is this ticket?", "labels": labels,
                "anchors": [
                    {"value": "1", "example": "asks how to change the colour of the dashboard", "reason": "a wish; nothing is broken"},
                    {"value": "3", "example": "cannot add a new team member before Friday's launch", "reason": "one person blocked, a deadline near"},
                    {"value": "5", "example": "customer data visible to another account", "reason": "data exposed: drop everything"}
                ]
            }]},
            "workflow": {"overlap": 3, "qc_sample_rate": 0.1, "seed": 3},
            "tasks": chunks,
        }),
    );
    files.add("guidelines.md", GUIDELINES);
    files
}
