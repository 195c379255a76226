//! The contingency table of two annotators over the items both labelled: what Cohen's kappa, weighted kappa and
//! Scott's pi are computed from.

use crate::model::CategoricalTable;

#[derive(Debug, Clone)]
/// Two annotators' labels on the items they share, as a contingency table.
pub struct PairTable {
    /// Number of labels (ids index rows and columns).
    pub v: usize,
    /// `conf[a_label * v + b_label]`.
    pub conf: Vec<u64>,
    /// Items both labelled.
    pub n: u64,
}

impl PairTable {
    /// Row sums: how often the first annotator gave each label.
    pub fn rows(&self) -> Vec<u64> {
        (0..self.v).map(|r| self.conf[r * self.v..(r + 1) * self.v].iter().sum()).collect()
    }
    /// Column sums: how often the second annotator gave each label.
    pub fn cols(&self) -> Vec<u64> {
        (0..self.v).map(|c| (0..self.v).map(|r| self.conf[r * self.v + c]).sum()).collect()
    }
    /// Items where the two gave the same label (the diagonal's sum).
    pub fn agreements(&self) -> u64 {
        (0..self.v).map(|k| self.conf[k * self.v + k]).sum()
    }
}

/// One pass over the items: for each item both `a` and `b` labelled, count (label of a, label of b).
pub fn pair_table(table: &CategoricalTable, a: u32, b: u32) -> PairTable {
    let v = table.n_labels();
    let mut conf = vec![0u64; v * v];
    let mut n = 0;
    for i in 0..table.n_items() {
        let (annotators, labels) = (table.annotators_of(i), table.labels_of(i));
        let (mut la, mut lb) = (None, None);
        for (&who, &l) in annotators.iter().zip(labels) {
            if who == a {
                la = Some(l);
            } else if who == b {
                lb = Some(l);
            }
        }
        if let (Some(x), Some(y)) = (la, lb) {
            conf[x as usize * v + y as usize] += 1;
            n += 1;
        }
    }
    PairTable { v, conf, n }
}
