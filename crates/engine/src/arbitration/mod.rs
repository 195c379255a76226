//! Arbitration: the items the annotators did not settle go to an arbiter, with every annotator's label and the
//! consensus beside them; the arbiter's decision is final and carries its reason. The final labels are the
//! arbiter's where there is a decision and the consensus elsewhere.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::consensus::AggregationReport;
use crate::model::CategoricalTable;

/// One item in the pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolItem {
    pub item: String,
    /// The consensus label (what the arbiter starts from), if the method gave one.
    pub consensus: Option<String>,
    /// Share of the item's labels that equal its most frequent label: 1 when all agree.
    pub agreement: f64,
    /// (annotator, label), in annotator order.
    pub labels: Vec<(String, String)>,
    /// The consensus is a tie between labels.
    pub tie: bool,
}

/// The items with at least two labels whose agreement (majority share) is below `min_agreement`, or whose
/// consensus is a tie: least agreement first, then by item name. A single label is not a disagreement.
pub fn arbitration_pool(table: &CategoricalTable, consensus: &AggregationReport, min_agreement: f64) -> Vec<PoolItem> {
    let ties: std::collections::BTreeSet<&str> = consensus.ties.iter().map(String::as_str).collect();
    let mut pool = Vec::new();
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    for i in 0..table.n_items() {
        let labels = table.labels_of(i);
        if labels.len() < 2 {
            continue;
        }
        counts.clear();
        for &l in labels {
            *counts.entry(l).or_default() += 1;
        }
        let top = counts.values().copied().max().unwrap_or(0);
        let agreement = top as f64 / labels.len() as f64;
        let item = table.items.name(i as u32);
        let tie = ties.contains(item);
        if agreement < min_agreement || tie {
            let mut by: Vec<(String, String)> = table
                .annotators_of(i)
                .iter()
                .zip(labels)
                .map(|(&a, &l)| (table.annotators.name(a).to_string(), table.labels.name(l).to_string()))
                .collect();
            by.sort();
            pool.push(PoolItem {
                item: item.to_string(),
                consensus: consensus.labels.get(item).cloned(),
                agreement,
                labels: by,
                tie,
            });
        }
    }
    pool.sort_by(|a, b| a.agreement.total_cmp(&b.agreement).then_with(|| a.item.cmp(&b.item)));
    pool
}

/// The arbiter's decision on one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub item: String,
    pub label: String,
    pub reason: String,
    pub arbiter: String,
}

/// The consensus a pool starts from: the `labels` and `confidence` of an [`AggregationReport`] and its method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Consensus {
    pub method: String,
    pub labels: BTreeMap<String, String>,
    pub confidence: BTreeMap<String, f64>,
}

impl Consensus {
    /// `item,label,confidence` — the same file as `concord aggregate --out`.
    pub fn to_csv(&self) -> String {
        crate::consensus::consensus_csv(&self.labels, &self.confidence)
    }
}

impl From<&AggregationReport> for Consensus {
    fn from(r: &AggregationReport) -> Self {
        Consensus { method: r.method.to_string(), labels: r.labels.clone(), confidence: r.confidence.clone() }
    }
}

/// Final labels as CSV, `item,label,source,confidence,reason` in item order: `source` is `arbiter` (confidence 1,
/// the arbiter's reason) or the consensus method. A decision on an item the consensus does not know is kept too;
/// a later decision on an item replaces an earlier one.
pub fn final_labels_csv(consensus: &Consensus, decisions: &[Decision]) -> String {
    let decided: BTreeMap<&str, &Decision> = decisions.iter().map(|d| (d.item.as_str(), d)).collect();
    let mut items: Vec<&str> = consensus.labels.keys().map(String::as_str).collect();
    items.extend(decided.keys().copied().filter(|i| !consensus.labels.contains_key(*i)));
    items.sort_unstable();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |r: [&str; 5]| w.write_record(r).expect("writing to memory");
    row(["item", "label", "source", "confidence", "reason"]);
    for item in items {
        match decided.get(item) {
            Some(d) => row([item, &d.label, "arbiter", "1", &d.reason]),
            None => {
                let confidence = consensus.confidence.get(item).map_or(String::new(), f64::to_string);
                row([item, &consensus.labels[item], &consensus.method, &confidence, ""])
            }
        }
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 fields")
}
