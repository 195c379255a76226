//! Item-bootstrap intervals for each annotator pair's percent agreement and Cohen's κ (`pairwise.rs`): the items
//! the two share are resampled. The figures depend only on the pair's contingency table, so a replicate draws its
//! cells (la, lb) in proportion to their counts — the same as drawing the shared items — and recomputes both.
//! Each pair draws from its own stream, derived from the seed and the pair's place in (a, b) order.

use std::collections::{BTreeMap, HashMap};

use super::cohen::kappa;
use super::item_counts::for_each_annotator_pair;
use crate::model::CategoricalTable;
use crate::resample::{bootstrap, stream_seed, BootstrapSettings, Distribution, Draws};
use crate::sorting::LeanSort;

/// One pair's replicates, with `a < b` by annotator id.
#[derive(Debug, Clone, PartialEq)]
pub struct PairwiseInterval {
    /// One annotator's id.
    pub a: u32,
    /// The other annotator's id.
    pub b: u32,
    /// Percent agreement's replicates over the items the pair shares.
    pub percent_agreement: Distribution,
    /// Cohen's κ's replicates over the items the pair shares.
    pub cohen_kappa: Distribution,
}

/// Every pair that shares at least one item, by (a, b); `progress(done, pairs)` after each pair.
pub fn pairwise_bootstrap(
    table: &CategoricalTable,
    settings: BootstrapSettings,
    mut progress: impl FnMut(usize, usize),
) -> Vec<PairwiseInterval> {
    let v = table.n_labels();
    let mut cells: BTreeMap<(u32, u32), HashMap<(u32, u32), u64>> = BTreeMap::new();
    for_each_annotator_pair(table, |a, la, b, lb| {
        *cells.entry((a, b)).or_default().entry((la, lb)).or_default() += 1;
    });
    let mut marg = vec![0u32; 2 * v];
    let pairs = cells.len();
    cells
        .into_iter()
        .enumerate()
        .filter_map(|(place, ((a, b), pair_cells))| {
            let mut pair_cells: Vec<((u32, u32), u64)> = pair_cells.into_iter().collect();
            pair_cells.lean_sort();
            let weights: Vec<u64> = pair_cells.iter().map(|c| c.1).collect();
            let draws = Draws::new(&weights)?;
            let seed = stream_seed(settings.seed, place as u64);
            let mut dists = bootstrap(
                &draws,
                pair_cells.len(),
                2,
                BootstrapSettings { seed, ..settings },
                |counts, out| {
                    let (mut n, mut agree) = (0u64, 0u64);
                    marg.fill(0);
                    for (&((la, lb), _), &w) in pair_cells.iter().zip(counts) {
                        n += w as u64;
                        agree += if la == lb { w as u64 } else { 0 };
                        marg[la as usize] += w;
                        marg[v + lb as usize] += w;
                    }
                    let nf = n as f64;
                    let p_o = agree as f64 / nf;
                    let p_e = (0..v).map(|k| marg[k] as f64 * marg[v + k] as f64).sum::<f64>() / (nf * nf);
                    out[0] = Some(p_o);
                    out[1] = kappa(p_o, p_e);
                },
                |_| {},
            )
            .into_iter();
            let percent_agreement = dists.next()?;
            let cohen_kappa = dists.next()?;
            progress(place + 1, pairs);
            Some(PairwiseInterval { a, b, percent_agreement, cohen_kappa })
        })
        .collect()
}
