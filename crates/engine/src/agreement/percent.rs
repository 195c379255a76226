//! Percent agreement: the mean, over items with at least two annotations, of the share of annotator pairs that
//! agree:  `P = mean_i Σ_c n_ic (n_ic − 1) / (m_i (m_i − 1))`. With two annotators it is the share of items on
//! which they agree.

use super::item_counts::for_each_item;
use crate::model::CategoricalTable;

/// Share of pairs of labels on an item that agree, over items with at least two labels; None without such items.
pub fn percent_agreement(table: &CategoricalTable) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0usize);
    for_each_item(table, |_, m, distinct, counts| {
        if m >= 2 {
            let agree: u64 =
                distinct.iter().map(|&c| counts[c as usize] as u64 * (counts[c as usize] as u64 - 1)).sum();
            sum += agree as f64 / (m as f64 * (m as f64 - 1.0));
            n += 1;
        }
    });
    (n > 0).then(|| sum / n as f64)
}
