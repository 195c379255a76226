//! The review queue and the reviewer's verdicts.

use crate::sorting::{radix_sort_by_key, total_order_key};
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::arbitration::{pool_item, Consensus, PoolItem};
use crate::model::ErrorCategory;
use crate::model::{CategoricalTable, NameOrder, TableError};
use crate::qc::QcCheck;

/// One annotation to review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueEntry {
    /// The item.
    pub item: String,
    /// The annotator.
    pub annotator: String,
    /// Their label.
    pub label: String,
    /// The item's consensus label and its confidence, when the method gave one.
    pub consensus: Option<String>,
    /// The consensus label's confidence.
    pub confidence: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// Which labels the review queue holds.
pub enum QueueScope {
    /// Annotations whose label differs from the item's consensus.
    Disagreements,
    /// Every annotation.
    All,
}

/// The annotations to review, of one annotator or all: in `Disagreements` scope the most confident consensus
/// first (the clearest cases of an annotator against the rest, quick to settle), else by item; ties by item and
/// annotator name.
pub fn review_queue(
    table: &CategoricalTable,
    consensus: &Consensus,
    scope: QueueScope,
    annotator: Option<&str>,
) -> Vec<QueueEntry> {
    let q = QueueIndex::new(table, consensus, scope, annotator);
    (0..q.len()).map(|k| q.entry(table, consensus, k)).collect()
}

/// The review queue as ids — (item, annotator, label) — in queue order: a million labels sort in a fraction of a
/// second this way, and only the rows on screen become [`QueueEntry`]s.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueIndex {
    rows: Vec<(u32, u32, u32)>,
}

impl QueueIndex {
    /// The queue's index over `table` for `scope`, limited to `annotator` when given.
    pub fn new(table: &CategoricalTable, consensus: &Consensus, scope: QueueScope, annotator: Option<&str>) -> Self {
        QueueIndex::in_order(table, &NameOrder::of(table), consensus, scope, annotator)
    }
    /// [`QueueIndex::new`] with the table's name order already known: no sort by name, and no comparison sort at
    /// all (the queue is built item by item in its order; a million labels take a few passes).
    pub fn in_order(
        table: &CategoricalTable,
        order: &NameOrder,
        consensus: &Consensus,
        scope: QueueScope,
        annotator: Option<&str>,
    ) -> Self {
        let only = match annotator {
            Some(name) => match table.annotators.get(name) {
                Some(id) => Some(id),
                None => return QueueIndex { rows: Vec::new() },
            },
            None => None,
        };
        let annotator_rank = NameOrder::ranks(order.annotators());
        // The consensus label and confidence of each item: one merge of the items in name order with the consensus
        // maps (sorted by name too), not a map lookup per item. `agreed[i]`: None when the item has no consensus.
        let n = table.n_items();
        let mut agreed: Vec<Option<Option<u32>>> = vec![None; n];
        let mut confidence: Vec<f64> = vec![0.0; n];
        let (mut labels, mut confidences) =
            (consensus.labels.iter().peekable(), consensus.confidence.iter().peekable());
        for &i in order.items() {
            let item = table.items.name(i);
            while labels.peek().is_some_and(|(k, _)| k.as_str() < item) {
                labels.next();
            }
            if let Some((_, l)) = labels.peek().filter(|(k, _)| k.as_str() == item) {
                agreed[i as usize] = Some(table.labels.get(l));
            }
            while confidences.peek().is_some_and(|(k, _)| k.as_str() < item) {
                confidences.next();
            }
            if let Some((_, &c)) = confidences.peek().filter(|(k, _)| k.as_str() == item) {
                confidence[i as usize] = c;
            }
        }
        let kept = |i: usize, a: u32, l: u32| {
            only.is_none_or(|o| o == a)
                && (scope == QueueScope::All || agreed[i].is_some_and(|agreed| agreed != Some(l)))
        };
        // Items in queue order: by name, or (disagreements) the most confident consensus first, ties by name: a
        // stable sort by descending confidence of the items in name order. Rows follow item by item.
        let mut items: Vec<u32> = order.items().to_vec();
        if scope == QueueScope::Disagreements {
            items.retain(|&i| {
                let i = i as usize;
                table.annotators_of(i).iter().zip(table.labels_of(i)).any(|(&a, &l)| kept(i, a, l))
            });
            radix_sort_by_key(&mut items, |i| !total_order_key(confidence[i as usize]));
        }
        let mut rows: Vec<(u32, u32, u32)> = Vec::new();
        for &i in &items {
            let (start, i) = (rows.len(), i as usize);
            for (&a, &l) in table.annotators_of(i).iter().zip(table.labels_of(i)) {
                if kept(i, a, l) {
                    rows.push((i as u32, a, l));
                }
            }
            // An item's few labels by annotator name (an insertion sort: (item, annotator) pairs are unique).
            let own = &mut rows[start..];
            for k in 1..own.len() {
                let mut j = k;
                while j > 0 && annotator_rank[own[j - 1].1 as usize] > annotator_rank[own[j].1 as usize] {
                    own.swap(j - 1, j);
                    j -= 1;
                }
            }
        }
        QueueIndex { rows }
    }
    /// Entries in the queue.
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    /// Whether the queue is empty.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    /// The `k`-th annotation of the queue.
    pub fn entry(&self, table: &CategoricalTable, consensus: &Consensus, k: usize) -> QueueEntry {
        let (i, a, l) = self.rows[k];
        let item = table.items.name(i);
        QueueEntry {
            item: item.to_string(),
            annotator: table.annotators.name(a).to_string(),
            label: table.labels.name(l).to_string(),
            consensus: consensus.labels.get(item).cloned(),
            confidence: consensus.confidence.get(item).copied(),
        }
    }
    /// Queue positions `range` as entries.
    pub fn entries(
        &self,
        table: &CategoricalTable,
        consensus: &Consensus,
        range: std::ops::Range<usize>,
    ) -> Vec<QueueEntry> {
        range.filter(|&k| k < self.len()).map(|k| self.entry(table, consensus, k)).collect()
    }
    /// A queue worked out elsewhere (the import worker, with the same engine) from its [`Self::ids`] over
    /// `table`: ids past the table's name lists, or a row the table does not have, are refused (naming the
    /// queue position).
    pub fn from_ids(table: &CategoricalTable, rows: Vec<(u32, u32, u32)>) -> Result<QueueIndex, TableError> {
        for (k, &(i, a, l)) in rows.iter().enumerate() {
            let held = (i as usize) < table.n_items()
                && table
                    .annotators_of(i as usize)
                    .iter()
                    .zip(table.labels_of(i as usize))
                    .any(|(&x, &y)| (x, y) == (a, l));
            if !held {
                return Err(TableError::UnlistedName { row: k });
            }
        }
        Ok(QueueIndex { rows })
    }
    /// The rows as (item, annotator, label) ids of the table, in queue order.
    pub fn ids(&self) -> &[(u32, u32, u32)] {
        &self.rows
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// A reviewer's verdict on one label.
pub enum Verdict {
    /// The label is right.
    Accept,
    /// Accepted with the reviewer's correction.
    Fix,
    /// The label is wrong and the item goes back.
    Reject,
}

/// A reviewer's verdict on one annotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// The item.
    pub item: String,
    /// The annotator whose label is reviewed.
    pub annotator: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The reviewer's label (for a fix), kept beside the annotator's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// The reviewer's regions (for a fix of spans or boxes), kept beside the annotator's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_regions: Option<crate::model::ControlValue>,
    /// What was wrong (a fix or a rejection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<ErrorCategory>,
    /// The guideline section the error goes against.
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    /// The reviewer's comment.
    pub comment: String,
    /// Who reviewed.
    pub reviewer: String,
}

/// A review verdict that is not complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewError {
    /// An acceptance with an error category.
    CategoryOnAccept,
    /// A fix without the reviewer's label (or regions).
    FixWithoutLabel,
    /// A fix that gives the annotator's own label.
    FixIsTheAnnotation,
    /// A fix or a rejection without an error category.
    MissingCategory,
    /// No reviewer name.
    MissingReviewer,
}

impl std::fmt::Display for ReviewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ReviewError::CategoryOnAccept => "an accepted annotation has no error category",
            ReviewError::FixWithoutLabel => "a fix needs the reviewer's label",
            ReviewError::FixIsTheAnnotation => "the fix is the annotator's own label: accept it instead",
            ReviewError::MissingCategory => "a fix or a rejection needs an error category",
            ReviewError::MissingReviewer => "the reviewer's name is missing",
        })
    }
}

impl std::error::Error for ReviewError {}

impl Review {
    /// A fix needs the reviewer's label and a category; a rejection a category; an acceptance neither.
    pub fn check(&self, annotated: &str) -> Result<(), ReviewError> {
        match self.verdict {
            Verdict::Accept if self.category.is_some() => Err(ReviewError::CategoryOnAccept),
            Verdict::Fix if self.fixed.as_deref().is_none_or(str::is_empty) && self.fixed_regions.is_none() => {
                Err(ReviewError::FixWithoutLabel)
            }
            Verdict::Fix if self.fixed.as_deref() == Some(annotated) => Err(ReviewError::FixIsTheAnnotation),
            Verdict::Fix | Verdict::Reject if self.category.is_none() => Err(ReviewError::MissingCategory),
            _ if self.reviewer.trim().is_empty() => Err(ReviewError::MissingReviewer),
            _ => Ok(()),
        }
    }
}

/// The latest review of each (item, annotator): a later review replaces an earlier one.
pub fn latest_reviews(reviews: &[Review]) -> BTreeMap<(&str, &str), &Review> {
    reviews.iter().map(|r| ((r.item.as_str(), r.annotator.as_str()), r)).collect()
}

/// Why review and QC send items to arbitration: an annotation rejected in review, fixes that disagree with each
/// other, or a failed QC check (latest verdicts; several reasons joined by `; `), by item.
pub fn pool_reasons(reviews: &[Review], checks: &[QcCheck]) -> BTreeMap<String, String> {
    let mut why: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut fixes: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for ((item, annotator), r) in latest_reviews(reviews) {
        match r.verdict {
            Verdict::Reject => why.entry(item).or_default().push(format!("{annotator}'s label rejected in review")),
            Verdict::Fix => {
                fixes.entry(item).or_default().insert(r.fixed.as_deref().unwrap_or(""));
            }
            Verdict::Accept => {}
        }
    }
    for (item, labels) in fixes {
        if labels.len() > 1 {
            why.entry(item).or_default().push("reviewers' fixes disagree".into());
        }
    }
    let mut last: BTreeMap<&str, &QcCheck> = BTreeMap::new();
    for c in checks {
        last.insert(&c.item, c);
    }
    for (item, c) in last {
        if !c.passed {
            let category = c.category.map_or("uncategorised", ErrorCategory::name);
            why.entry(item).or_default().push(format!("failed QC ({category})"));
        }
    }
    why.into_iter().map(|(item, reasons)| (item.to_string(), reasons.join("; "))).collect()
}

/// The items [`pool_reasons`] names that are not already in the agreement pool (`skip`), as pool items — every
/// annotator's label and the consensus, like [`crate::arbitration::arbitration_pool`]'s — with `why` set; in item
/// order.
pub fn review_pool(
    table: &CategoricalTable,
    consensus: &Consensus,
    reasons: &BTreeMap<String, String>,
    skip: &BTreeSet<&str>,
) -> Vec<PoolItem> {
    reasons
        .iter()
        .filter(|(item, _)| !skip.contains(item.as_str()))
        .filter_map(|(item, why)| {
            let i = table.items.get(item)? as usize;
            let mut p = pool_item(table, consensus, i);
            p.why = why.clone();
            Some(p)
        })
        .collect()
}
