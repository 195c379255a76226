//! Truth inference: one file per method, each citing its paper, all returning [`Aggregation`] — the shape of
//! `concord aggregate`'s output. Label order (for ties and for column order) is explicit: the schema's order when
//! known, otherwise sorted label names.

pub(crate) mod box_consensus;
pub(crate) mod cuboid_consensus;
pub(crate) mod dawid_skene;
pub(crate) mod majority_vote;
pub(crate) mod polygon_consensus;
pub(crate) mod span_consensus;
pub(crate) mod weighted_majority_vote;

pub use box_consensus::{box_consensus, clusters, majority_label};
pub use cuboid_consensus::{cuboid_consensus, ConsensusCuboid};
pub use dawid_skene::{dawid_skene, exp2_clamped, fit, DawidSkeneOptions, DsFit};
pub use polygon_consensus::{polygon_consensus, ConsensusPolygon};
pub use span_consensus::{span_consensus, SpanMerge};

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use majority_vote::majority_vote;
pub use weighted_majority_vote::{gold_weights, weighted_majority_vote};

use crate::model::CategoricalTable;

/// A truth-inference method, named as `concord aggregate --method` and every report names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// Majority vote (`majority_vote.rs`).
    #[serde(rename = "mv")]
    MajorityVote,
    /// Majority vote weighted by accuracy on gold (`weighted_majority_vote.rs`).
    #[serde(rename = "wmv")]
    WeightedMajorityVote,
    /// Dawid & Skene's EM (`dawid_skene.rs`).
    #[serde(rename = "ds")]
    DawidSkene,
}

impl Method {
    /// The method's short name: `mv`, `wmv` or `ds`.
    pub fn name(self) -> &'static str {
        match self {
            Method::MajorityVote => "mv",
            Method::WeightedMajorityVote => "wmv",
            Method::DawidSkene => "ds",
        }
    }
}

/// What an annotator looks like to a method: accuracy, and where the method estimates them, a confusion matrix
/// (`confusion[true column][given column]`, columns in [`Aggregation::order`]) or a vote weight.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotatorModel {
    /// Estimated accuracy.
    pub accuracy: Option<f64>,
    /// Confusion matrix, `[true][given]`, where the method estimates one.
    pub confusion: Option<Vec<Vec<Option<f64>>>>,
    /// Vote weight, where the method uses one.
    pub weight: Option<f64>,
}

/// A method's answer for every item, over ids (names are attached by [`Aggregation::report`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregation {
    /// The method.
    pub method: Method,
    /// Iterations run (1 for voting).
    pub iterations: u32,
    /// Label ids in column order (tie-break order).
    pub order: Vec<u32>,
    /// Per item id: the chosen label id (None for items without annotations).
    pub labels: Vec<Option<u32>>,
    /// The winning label's probability (vote share for voting methods), per item id.
    pub confidence: Vec<f64>,
    /// Items whose top score was shared by several labels (resolved by label order).
    pub ties: Vec<u32>,
    /// Per column.
    pub priors: Vec<f64>,
    /// Per annotator id.
    pub annotators: Vec<AnnotatorModel>,
    /// Evidence lower bound per annotation after each iteration (Dawid–Skene).
    pub loss_history: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// An annotator as a method sees them, by name.
pub struct AnnotatorReport {
    /// Estimated accuracy.
    pub accuracy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Confusion, `[true label][given label]`, where estimated.
    pub confusion: Option<BTreeMap<String, BTreeMap<String, f64>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Vote weight, where used.
    pub weight: Option<f64>,
}

/// [`Aggregation`] with names: the shape `concord aggregate` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AggregationReport {
    /// The method.
    pub method: Method,
    /// Iterations run.
    pub iterations: u32,
    /// Per item (left out when a caller keeps them apart: `review::BatchReport`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    /// Per item, the chosen label's probability (or vote share).
    pub confidence: BTreeMap<String, f64>,
    /// Items whose top labels tie.
    pub ties: Vec<String>,
    /// Class priors, by label.
    pub priors: BTreeMap<String, f64>,
    /// Per annotator, by name.
    pub annotators: BTreeMap<String, AnnotatorReport>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The negative log-likelihood per iteration (Dawid–Skene).
    pub loss_history: Vec<f64>,
}

impl AggregationReport {
    /// The per-item consensus as CSV, `item,label,confidence` in item order (what `concord aggregate --out` and
    /// review mode's download write).
    pub fn to_csv(&self) -> String {
        consensus_csv(&self.labels, &self.confidence)
    }
}

/// `item,label,confidence` rows, in item order.
pub fn consensus_csv(labels: &BTreeMap<String, String>, confidence: &BTreeMap<String, f64>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |r: [&str; 3]| w.write_record(r).expect("writing to memory");
    row(["item", "label", "confidence"]);
    for (item, label) in labels {
        row([item, label, &confidence.get(item).map_or(String::new(), f64::to_string)]);
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 fields")
}

impl Aggregation {
    /// The answer with names, every item included.
    pub fn report(&self, table: &CategoricalTable) -> AggregationReport {
        let mut report = self.report_without_items(table);
        for (i, l) in self.labels.iter().enumerate() {
            if let Some(l) = l {
                let item = table.items.name(i as u32).to_string();
                report.confidence.insert(item.clone(), self.confidence[i]);
                report.labels.insert(item, table.labels.name(*l).to_string());
            }
        }
        report
    }

    /// [`Self::report`] without its per-item maps (`labels`, `confidence` empty), for callers that take the
    /// per-item decisions as ids (`self.labels`, `self.confidence`): a million items are not turned into strings.
    pub fn report_without_items(&self, table: &CategoricalTable) -> AggregationReport {
        let col = |c: usize| table.labels.name(self.order[c]).to_string();
        let (labels, confidence) = (BTreeMap::new(), BTreeMap::new());
        let annotators = self
            .annotators
            .iter()
            .enumerate()
            .filter(|(_, m)| m.accuracy.is_some())
            .map(|(a, m)| {
                let confusion = m.confusion.as_ref().map(|rows| {
                    rows.iter()
                        .enumerate()
                        .map(|(t, row)| {
                            (col(t), row.iter().enumerate().filter_map(|(g, v)| v.map(|v| (col(g), v))).collect())
                        })
                        .collect()
                });
                (
                    table.annotators.name(a as u32).to_string(),
                    AnnotatorReport { accuracy: m.accuracy, confusion, weight: m.weight },
                )
            })
            .collect();
        AggregationReport {
            method: self.method,
            iterations: self.iterations,
            labels,
            confidence,
            ties: self.ties.iter().map(|&i| table.items.name(i).to_string()).collect(),
            priors: self.priors.iter().enumerate().map(|(c, &p)| (col(c), p)).collect(),
            annotators,
            loss_history: self.loss_history.clone(),
        }
    }
}

/// Label ids in tie-break order: `order` (label names) first, then the remaining labels by name.
pub fn label_order(table: &CategoricalTable, order: Option<&[String]>) -> Vec<u32> {
    let mut ids: Vec<u32> = Vec::with_capacity(table.n_labels());
    if let Some(order) = order {
        ids.extend(order.iter().filter_map(|n| table.labels.get(n)));
    }
    let mut rest: Vec<u32> = (0..table.n_labels() as u32).filter(|l| !ids.contains(l)).collect();
    rest.lean_sort_by(|&a, &b| table.labels.name(a).cmp(table.labels.name(b)));
    ids.extend(rest);
    ids
}

/// Per-item decisions from scores (item × K, columns in `order`): (label id, confidence) per item and the tied
/// items. The first maximum in column order wins (crowd-kit's `idxmax`).
pub(crate) fn decide(
    table: &CategoricalTable,
    scores: &[f64],
    order: &[u32],
) -> (Vec<Option<u32>>, Vec<f64>, Vec<u32>) {
    let k = order.len();
    let n = table.n_items();
    let (mut labels, mut confidence, mut ties) = (vec![None; n], vec![0.0; n], Vec::new());
    for i in 0..n {
        if table.labels_of(i).is_empty() {
            continue;
        }
        let row = &scores[i * k..(i + 1) * k];
        let (mut best, mut best_v, mut tied, mut total) = (0, f64::NEG_INFINITY, false, 0.0);
        for (c, &v) in row.iter().enumerate() {
            total += v;
            if v > best_v {
                best = c;
                best_v = v;
                tied = false;
            } else if v == best_v {
                tied = true;
            }
        }
        labels[i] = Some(order[best]);
        confidence[i] = if total > 0.0 { best_v / total } else { 0.0 };
        if tied {
            ties.push(i as u32);
        }
    }
    (labels, confidence, ties)
}
