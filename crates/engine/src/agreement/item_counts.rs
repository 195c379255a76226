//! The pass most measures share: for each item, how many of its annotations carry each label.

use crate::model::CategoricalTable;

/// Calls `f(item, m, distinct, counts)` for every item, where `m` is the item's number of annotations,
/// `distinct` the label ids present and `counts[label]` their counts (zero for labels not in `distinct`).
/// One linear pass; `counts` is reset through `distinct`, so the cost is O(annotations), not O(items × labels).
pub fn for_each_item(table: &CategoricalTable, mut f: impl FnMut(usize, u32, &[u32], &[u32])) {
    let mut counts = vec![0u32; table.n_labels()];
    let mut distinct: Vec<u32> = Vec::with_capacity(16);
    for i in 0..table.n_items() {
        let labels = table.labels_of(i);
        for &l in labels {
            if counts[l as usize] == 0 {
                distinct.push(l);
            }
            counts[l as usize] += 1;
        }
        f(i, labels.len() as u32, &distinct, &counts);
        for &l in &distinct {
            counts[l as usize] = 0;
        }
        distinct.clear();
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
