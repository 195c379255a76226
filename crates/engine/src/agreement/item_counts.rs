//! The pass most measures share: for each item, how many of its annotations carry each label.

use crate::model::CategoricalTable;

/// Calls `f(item, m, distinct, counts)` for every item, where `m` is the item's number of annotations,
/// `distinct` the label ids present and `counts[label]` their counts (zero for labels not in `distinct`).
/// One linear pass; `counts` is reset through `distinct`, so the cost is O(annotations), not O(items × labels).
pub fn for_each_item(table: &CategoricalTable, mut f: impl FnMut(usize, u32, &[u32], &[u32])) {
    let mut unit = UnitCounts::over(table.n_labels());
    for i in 0..table.n_items() {
        let labels = table.labels_of(i);
        let (distinct, counts) = unit.count(labels.iter().copied());
        f(i, labels.len() as u32, distinct, counts);
    }
}

/// How many of one unit's labels carry each label, unit after unit: [`for_each_item`]'s counts, for units that are
/// not a table's items (the labels of one guideline version on an item).
pub(crate) struct UnitCounts {
    counts: Vec<u32>,
    distinct: Vec<u32>,
}

impl UnitCounts {
    /// Counts over labels `0..n_labels`.
    pub(crate) fn over(n_labels: usize) -> UnitCounts {
        UnitCounts { counts: vec![0; n_labels], distinct: Vec::with_capacity(16) }
    }

    /// The labels present in `labels` (in order of first appearance) and `counts[label]` (zero for the others); the
    /// previous unit's counts are reset through its labels first.
    pub(crate) fn count(&mut self, labels: impl IntoIterator<Item = u32>) -> (&[u32], &[u32]) {
        for &l in &self.distinct {
            self.counts[l as usize] = 0;
        }
        self.distinct.clear();
        for l in labels {
            if self.counts[l as usize] == 0 {
                self.distinct.push(l);
            }
            self.counts[l as usize] += 1;
        }
        (&self.distinct, &self.counts)
    }
}

/// Calls `f(a, label of a, b, label of b)` for every pair of annotators on every item, with `a < b` by id.
pub fn for_each_annotator_pair(table: &CategoricalTable, mut f: impl FnMut(u32, u32, u32, u32)) {
    for i in 0..table.n_items() {
        let (who, labels) = (table.annotators_of(i), table.labels_of(i));
        for x in 0..who.len() {
            for y in x + 1..who.len() {
                if who[x] < who[y] {
                    f(who[x], labels[x], who[y], labels[y]);
                } else {
                    f(who[y], labels[y], who[x], labels[x]);
                }
            }
        }
    }
}
