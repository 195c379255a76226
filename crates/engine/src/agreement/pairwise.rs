//! Agreement of every pair of annotators who share at least one item: the number of shared items, percent
//! agreement and Cohen's kappa (see `cohen.rs`) on those items. One pass over the items; per pair it keeps the
//! agreement count and both marginals (2 × labels counters), which is all Cohen's kappa needs.

use crate::sorting::LeanSort;
use std::collections::HashMap;

use super::cohen::kappa;
use super::item_counts::for_each_annotator_pair;
use crate::model::CategoricalTable;

#[derive(Debug, Clone, PartialEq)]
/// Agreement between two annotators (ids) over the items they share.
pub struct PairAgreement {
    /// One annotator's id.
    pub a: u32,
    /// The other annotator's id.
    pub b: u32,
    /// Items both labelled.
    pub items: u64,
    /// Share of those items with the same label.
    pub percent_agreement: f64,
    /// Cohen's κ on those items.
    pub cohen_kappa: Option<f64>,
}

struct Acc {
    n: u64,
    agree: u64,
    /// `marg[label]` for a, `marg[v + label]` for b.
    marg: Vec<u32>,
}

/// Pairs with `a < b` by annotator id.
pub fn pairwise(table: &CategoricalTable) -> Vec<PairAgreement> {
    let v = table.n_labels();
    let mut index: HashMap<(u32, u32), usize> = HashMap::new();
    let mut accs: Vec<(u32, u32, Acc)> = Vec::new();
    for_each_annotator_pair(table, |a, la, b, lb| {
        let k = *index.entry((a, b)).or_insert_with(|| {
            accs.push((a, b, Acc { n: 0, agree: 0, marg: vec![0; 2 * v] }));
            accs.len() - 1
        });
        let acc = &mut accs[k].2;
        acc.n += 1;
        acc.agree += (la == lb) as u64;
        acc.marg[la as usize] += 1;
        acc.marg[v + lb as usize] += 1;
    });
    let mut out: Vec<PairAgreement> = accs
        .into_iter()
        .map(|(a, b, acc)| {
            let n = acc.n as f64;
            let p_o = acc.agree as f64 / n;
            let p_e: f64 = (0..v).map(|k| acc.marg[k] as f64 * acc.marg[v + k] as f64).sum::<f64>() / (n * n);
            PairAgreement { a, b, items: acc.n, percent_agreement: p_o, cohen_kappa: kappa(p_o, p_e) }
        })
        .collect();
    out.lean_sort_by_key(|p| (p.a, p.b));
    out
}
