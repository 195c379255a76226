//! Items grouped by what was said on them: the multiset of labels (item {a, a, b} and item {b, a, a} are one
//! pattern). Every item-level agreement figure is a sum over items of what each contributes, and that depends only
//! on the pattern, so an item bootstrap needs only how often each pattern is drawn (`crate::resample`). A 20-label
//! project with 3 annotators per item has at most 1,540 patterns however many items it has.

use std::collections::HashMap;

use super::item_counts::for_each_item;
use crate::model::CategoricalTable;
use crate::sorting::LeanSort;

#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Annotations on the item.
    pub m: u32,
    /// (label, how many annotations gave it), by label id.
    pub labels: Vec<(u32, u32)>,
}

#[derive(Debug, Clone)]
pub struct ItemPatterns {
    pub patterns: Vec<Pattern>,
    /// Items with each pattern.
    pub frequency: Vec<u64>,
    pub n_labels: usize,
}

pub fn item_patterns(table: &CategoricalTable) -> ItemPatterns {
    let mut index: HashMap<Vec<(u32, u32)>, usize> = HashMap::new();
    let mut patterns = Vec::new();
    let mut frequency: Vec<u64> = Vec::new();
    let mut key: Vec<(u32, u32)> = Vec::with_capacity(8);
    for_each_item(table, |_, m, distinct, counts| {
        key.clear();
        key.extend(distinct.iter().map(|&c| (c, counts[c as usize])));
        key.lean_sort();
        match index.get(&key) {
            Some(&p) => frequency[p] += 1,
            None => {
                index.insert(key.clone(), patterns.len());
                patterns.push(Pattern { m, labels: key.clone() });
                frequency.push(1);
            }
        }
    });
    ItemPatterns { patterns, frequency, n_labels: table.n_labels() }
}
