//! Arbitration: the items the annotators did not settle go to an arbiter, with every annotator's label and the
//! consensus beside them; the arbiter's decision is final and carries its reason. The final labels are the
//! arbiter's where there is a decision and the consensus elsewhere.

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::consensus::AggregationReport;
use crate::model::{CategoricalTable, TableError};

/// One item in the pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolItem {
    /// The item's name.
    pub item: String,
    /// The consensus label (what the arbiter starts from), if the method gave one.
    pub consensus: Option<String>,
    /// Share of the item's labels that equal its most frequent label: 1 when all agree.
    pub agreement: f64,
    /// (annotator, label), in annotator order.
    pub labels: Vec<(String, String)>,
    /// The consensus is a tie between labels.
    pub tie: bool,
    /// Why the item is in the pool.
    #[serde(default)]
    pub why: String,
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
        let agreement = majority_share(labels, &mut counts);
        let tie = ties.contains(table.items.name(i as u32));
        if agreement < min_agreement || tie {
            let mut p = item_labels(table, i, agreement);
            p.consensus = consensus.labels.get(&p.item).cloned();
            p.tie = tie;
            p.why = if tie { "tied consensus".into() } else { format!("agreement below {min_agreement}") };
            pool.push(p);
        }
    }
    pool.lean_sort_by(|a, b| a.agreement.total_cmp(&b.agreement).then_with(|| a.item.cmp(&b.item)));
    pool
}

/// Item `i` as a pool item (every annotator's label, the agreement and `consensus`'s label), for pools built on
/// other grounds (review, QC).
pub fn pool_item(table: &CategoricalTable, consensus: &Consensus, i: usize) -> PoolItem {
    let agreement = majority_share(table.labels_of(i), &mut BTreeMap::new());
    let mut p = item_labels(table, i, agreement);
    p.consensus = consensus.labels.get(&p.item).cloned();
    p
}

/// Share of `labels` that equal the most frequent one (1 for no labels).
fn majority_share(labels: &[u32], counts: &mut BTreeMap<u32, usize>) -> f64 {
    counts.clear();
    for &l in labels {
        *counts.entry(l).or_default() += 1;
    }
    let top = counts.values().copied().max().unwrap_or(0);
    if labels.is_empty() {
        1.0
    } else {
        top as f64 / labels.len() as f64
    }
}

fn item_labels(table: &CategoricalTable, i: usize, agreement: f64) -> PoolItem {
    let mut labels: Vec<(String, String)> = table
        .annotators_of(i)
        .iter()
        .zip(table.labels_of(i))
        .map(|(&a, &l)| (table.annotators.name(a).to_string(), table.labels.name(l).to_string()))
        .collect();
    labels.lean_sort();
    PoolItem {
        item: table.items.name(i as u32).to_string(),
        consensus: None,
        agreement,
        labels,
        tie: false,
        why: String::new(),
    }
}

/// The arbiter's decision on one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The item's name.
    pub item: String,
    /// The label decided.
    pub label: String,
    /// Why (free text, kept in the final files' provenance).
    pub reason: String,
    /// Who decided.
    pub arbiter: String,
}

/// The consensus a pool starts from: the `labels` and `confidence` of an [`AggregationReport`] and its method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Consensus {
    /// The method's name (`ds`, `mv`, …).
    pub method: String,
    /// Per item, its consensus label.
    pub labels: BTreeMap<String, String>,
    /// Per item, the consensus label's probability (or vote share).
    pub confidence: BTreeMap<String, f64>,
}

impl Consensus {
    /// `item,label,confidence` — the same file as `concord aggregate --out`.
    pub fn to_csv(&self) -> String {
        crate::consensus::consensus_csv(&self.labels, &self.confidence)
    }
}

/// A [`Consensus`] over a table's items as two columns indexed by item id — how it crosses from a worker to the page
/// without a string per item to parse. `labels[i]` is a label id of the table, or [`ConsensusColumns::NONE`] for an
/// item without a consensus.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsensusColumns {
    /// The method's name.
    pub method: String,
    /// Per item id, its consensus label id ([`ConsensusColumns::NONE`]: none).
    pub labels: Vec<u32>,
    /// Per item id, the consensus label's confidence (unread where there is no label).
    pub confidence: Vec<f64>,
}

impl ConsensusColumns {
    /// No consensus for the item.
    pub const NONE: u32 = u32::MAX;
}

impl Consensus {
    /// The consensus as columns over `table`, when it fits them: every item it names is in the table, every label
    /// too, and each item with a label has a confidence and none without (else `None`; send the maps).
    pub fn columns(&self, table: &CategoricalTable) -> Option<ConsensusColumns> {
        if self.labels.len() != self.confidence.len() {
            return None;
        }
        let n = table.n_items();
        let (mut labels, mut confidence) = (vec![ConsensusColumns::NONE; n], vec![0.0; n]);
        for ((item, label), (same, &c)) in self.labels.iter().zip(&self.confidence) {
            let i = table.items.get(item).filter(|_| same == item)? as usize;
            labels[i] = table.labels.get(label)?;
            confidence[i] = c;
        }
        Some(ConsensusColumns { method: self.method.clone(), labels, confidence })
    }

    /// The consensus again from its columns over `table`, whose names are in `order`: the maps are built from
    /// sorted keys (one pass, no search per item). A column of the wrong length or a label id the table does not
    /// have is refused.
    pub fn from_columns(
        columns: ConsensusColumns,
        table: &CategoricalTable,
        order: &crate::model::NameOrder,
    ) -> Result<Consensus, TableError> {
        let n = table.n_items();
        for (column, found) in [("labels", columns.labels.len()), ("confidence", columns.confidence.len())] {
            if found != n {
                return Err(TableError::ColumnLength { column, expected: n, found });
            }
        }
        let mut labels = Vec::new();
        let mut confidence = Vec::new();
        for &i in order.items() {
            let l = columns.labels[i as usize];
            if l == ConsensusColumns::NONE {
                continue;
            }
            if l as usize >= table.labels.len() {
                return Err(TableError::UnlistedName { row: i as usize });
            }
            let item = table.items.name(i);
            labels.push((item.to_string(), table.labels.name(l).to_string()));
            confidence.push((item.to_string(), columns.confidence[i as usize]));
        }
        Ok(Consensus {
            method: columns.method,
            labels: labels.into_iter().collect(),
            confidence: confidence.into_iter().collect(),
        })
    }
}

impl From<&AggregationReport> for Consensus {
    fn from(r: &AggregationReport) -> Self {
        Consensus { method: r.method.name().to_string(), labels: r.labels.clone(), confidence: r.confidence.clone() }
    }
}
