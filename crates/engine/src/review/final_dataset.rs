//! The final labels and the files the dataset leaves in: the final labels CSV, every annotation with its review
//! (long CSV), and a Label Studio export with the final label as the ground-truth annotation.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{json, Value};

use super::queue::{latest_reviews, Review, Verdict};
use crate::arbitration::{Consensus, Decision};
use crate::model::CategoricalTable;

/// One item's final label and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FinalLabel {
    /// The item.
    pub item: String,
    /// Its final label.
    pub label: String,
    /// `arbiter`, `review` or the consensus method.
    pub source: String,
    /// The consensus label's confidence, when it came from the consensus.
    pub confidence: Option<f64>,
    /// Why (the arbiter's reason, the reviewer's verdict, or the consensus).
    pub reason: String,
}

/// Per item, in item order: the arbiter's decision (the latest) if any; else the reviewers' fix when every fix of
/// the item's annotations gives the same label (confidence 1, the reviewers' comments as the reason); else the
/// consensus. Items only a decision knows are included.
pub fn final_labels(consensus: &Consensus, reviews: &[Review], decisions: &[Decision]) -> Vec<FinalLabel> {
    let decided: BTreeMap<&str, &Decision> = decisions.iter().map(|d| (d.item.as_str(), d)).collect();
    let mut fixes: BTreeMap<&str, (BTreeSet<&str>, Vec<&str>)> = BTreeMap::new();
    for ((item, _), r) in latest_reviews(reviews) {
        if let (Verdict::Fix, Some(label)) = (r.verdict, r.fixed.as_deref()) {
            let f = fixes.entry(item).or_default();
            f.0.insert(label);
            if !r.comment.is_empty() {
                f.1.push(&r.comment);
            }
        }
    }
    let mut items: BTreeSet<&str> = consensus.labels.keys().map(String::as_str).collect();
    items.extend(decided.keys());
    items.extend(fixes.keys());
    items
        .into_iter()
        .map(|item| {
            if let Some(d) = decided.get(item) {
                return FinalLabel {
                    item: item.into(),
                    label: d.label.clone(),
                    source: "arbiter".into(),
                    confidence: Some(1.0),
                    reason: d.reason.clone(),
                };
            }
            if let Some((labels, comments)) = fixes.get(item).filter(|(l, _)| l.len() == 1) {
                return FinalLabel {
                    item: item.into(),
                    label: labels.iter().next().expect("one label").to_string(),
                    source: "review".into(),
                    confidence: Some(1.0),
                    reason: comments.join("; "),
                };
            }
            FinalLabel {
                item: item.into(),
                label: consensus.labels.get(item).cloned().unwrap_or_default(),
                source: consensus.method.clone(),
                confidence: consensus.confidence.get(item).copied(),
                reason: String::new(),
            }
        })
        .filter(|f| !f.label.is_empty())
        .collect()
}

/// `item,label,source,confidence,reason`.
pub fn final_labels_csv(rows: &[FinalLabel]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |r: [&str; 5]| w.write_record(r).expect("writing to memory");
    row(["item", "label", "source", "confidence", "reason"]);
    for f in rows {
        let confidence = f.confidence.map_or(String::new(), |c| c.to_string());
        row([&f.item, &f.label, &f.source, &confidence, &f.reason]);
    }
    into_string(w)
}

/// Every annotation in long format with its review: `item,annotator,label,review,reviewer_label,category,section,
/// comment,reviewer` (review columns empty when not reviewed) — readable back by `read_long_csv`.
pub fn reviewed_long_csv(table: &CategoricalTable, reviews: &[Review]) -> String {
    let latest = latest_reviews(reviews);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "item",
        "annotator",
        "label",
        "review",
        "reviewer_label",
        "category",
        "section",
        "comment",
        "reviewer",
    ])
    .expect("writing to memory");
    for (i, a, l) in table.rows() {
        let (item, annotator) = (table.items.name(i), table.annotators.name(a));
        let r = latest.get(&(item, annotator));
        let verdict = r.map_or("", |r| match r.verdict {
            Verdict::Accept => "accept",
            Verdict::Fix => "fix",
            Verdict::Reject => "reject",
        });
        let category = r.and_then(|r| r.category).map_or("", crate::model::ErrorCategory::name);
        w.write_record([
            item,
            annotator,
            table.labels.name(l),
            verdict,
            r.and_then(|r| r.fixed.as_deref()).unwrap_or(""),
            category,
            r.map_or("", |r| r.section.as_str()),
            r.map_or("", |r| r.comment.as_str()),
            r.map_or("", |r| r.reviewer.as_str()),
        ])
        .expect("writing to memory");
    }
    into_string(w)
}

/// A Label Studio export of the final dataset: per item, every annotator's annotation (a `choices` result on
/// `control`, with the review as `review`), and the final label as a `ground_truth` annotation by `final`.
pub fn final_label_studio(
    table: &CategoricalTable,
    finals: &[FinalLabel],
    reviews: &[Review],
    control: &str,
) -> String {
    let latest = latest_reviews(reviews);
    let finals: BTreeMap<&str, &FinalLabel> = finals.iter().map(|f| (f.item.as_str(), f)).collect();
    let choice = |label: &str| {
        let labels: Vec<&str> = label.split('|').collect();
        json!([{"from_name": control, "to_name": "item", "type": "choices", "value": {"choices": labels}}])
    };
    let mut tasks = Vec::new();
    for i in 0..table.n_items() {
        let item = table.items.name(i as u32);
        let mut annotations: Vec<Value> = table
            .annotators_of(i)
            .iter()
            .zip(table.labels_of(i))
            .map(|(&a, &l)| {
                let annotator = table.annotators.name(a);
                let mut ann = json!({"completed_by": {"email": annotator}, "ground_truth": false,
                                     "was_cancelled": false, "result": choice(table.labels.name(l))});
                if let Some(r) = latest.get(&(item, annotator)) {
                    ann["review"] = serde_json::to_value(r).expect("reviews serialize");
                }
                ann
            })
            .collect();
        if let Some(f) = finals.get(item) {
            annotations.push(json!({"completed_by": {"email": "final"}, "ground_truth": true, "was_cancelled": false,
                                    "result": choice(&f.label), "final_source": f.source}));
        }
        tasks.push(json!({"id": item, "data": {"item": item}, "annotations": annotations}));
    }
    serde_json::to_string_pretty(&tasks).expect("JSON values serialize")
}

fn into_string(w: csv::Writer<Vec<u8>>) -> String {
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 fields")
}
