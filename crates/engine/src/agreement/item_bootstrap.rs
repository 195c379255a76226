//! Item-bootstrap intervals for the figures of [`super::categorical_report`] that are sums over items: percent
//! agreement, Krippendorff's α (every metric), Fleiss' κ, and each label's specific agreement and Fleiss κ
//! (Efron & Tibshirani 1993, percentile interval; items as the resampled unit, as in Zapf et al. 2016, "Measuring
//! inter-rater reliability for nominal data — which coefficients and confidence intervals are appropriate?", BMC Med.
//! Res. Methodol. 16:93, who found the item bootstrap of α to keep its nominal coverage).
//!
//! A replicate draws as many items as the data has, with replacement, and recomputes each figure from scratch on
//! them, with the same formulas as the point estimates (`percent.rs`, `krippendorff.rs`, `fleiss.rs`,
//! `per_label.rs`); items are drawn as patterns (`item_patterns.rs`), so a replicate costs O(items) draws and
//! O(patterns) sums, and the table is never copied.

use super::item_patterns::{item_patterns, ItemPatterns};
use super::krippendorff::{alpha_from, Coincidences, Metric};
use crate::model::CategoricalTable;
use crate::resample::{bootstrap, BootstrapSettings, Distribution, Draws};

/// The replicates of every item-level figure, by figure.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoricalBootstrap {
    /// Percent agreement's replicates.
    pub percent_agreement: Distribution,
    /// Nominal, ordinal, interval, ratio; the ordered three only when label values are given.
    pub alpha: [Option<Distribution>; 4],
    /// Only when every item has the same number of annotations, as Fleiss' κ itself.
    pub fleiss_kappa: Option<Distribution>,
    /// Per label id.
    pub specific_agreement: Vec<Distribution>,
    /// Per label id; empty when Fleiss' κ does not apply.
    pub label_fleiss_kappa: Vec<Distribution>,
}

/// Sums over the drawn items that the figures are made of.
struct Sums {
    items: f64,
    /// Per label: annotations; n(n − 1), n(m − 1), n (pairable values) and n(n − 1)/(m − 1) (the coincidence
    /// matrix's diagonal) over items with m ≥ 2; n(m − n).
    count: Vec<f64>,
    pairable: Vec<f64>,
    agree: Vec<f64>,
    pairs: Vec<f64>,
    fleiss_disagree: Vec<f64>,
    coincide: Vec<f64>,
    /// Σ n² (Fleiss' P̄); Σ share of agreeing pairs, and items, over items with m ≥ 2 (percent agreement).
    sum_sq: f64,
    percent_sum: f64,
    percent_items: f64,
}

impl Sums {
    fn new(v: usize) -> Sums {
        Sums {
            items: 0.0,
            count: vec![0.0; v],
            pairable: vec![0.0; v],
            agree: vec![0.0; v],
            pairs: vec![0.0; v],
            fleiss_disagree: vec![0.0; v],
            coincide: vec![0.0; v],
            sum_sq: 0.0,
            percent_sum: 0.0,
            percent_items: 0.0,
        }
    }

    fn fill(&mut self, ip: &ItemPatterns, counts: &[u32]) {
        for x in [&mut self.count, &mut self.pairable, &mut self.agree, &mut self.pairs, &mut self.fleiss_disagree] {
            x.fill(0.0);
        }
        self.coincide.fill(0.0);
        (self.items, self.sum_sq, self.percent_sum, self.percent_items) = (0.0, 0.0, 0.0, 0.0);
        for (p, &w) in ip.patterns.iter().zip(counts) {
            if w == 0 {
                continue;
            }
            let (w, m) = (w as f64, p.m as f64);
            self.items += w;
            let mut agreeing = 0.0;
            for &(c, n) in &p.labels {
                let (c, n) = (c as usize, n as f64);
                self.count[c] += w * n;
                self.sum_sq += w * n * n;
                self.fleiss_disagree[c] += w * n * (m - n);
                if p.m >= 2 {
                    self.agree[c] += w * n * (n - 1.0);
                    self.pairs[c] += w * n * (m - 1.0);
                    self.pairable[c] += w * n;
                    self.coincide[c] += w * n * (n - 1.0) / (m - 1.0);
                    agreeing += n * (n - 1.0);
                }
            }
            if p.m >= 2 {
                self.percent_sum += w * agreeing / (m * (m - 1.0));
                self.percent_items += w;
            }
        }
    }

    fn percent_agreement(&self) -> Option<f64> {
        (self.percent_items > 0.0).then(|| self.percent_sum / self.percent_items)
    }

    /// Nominal α from the diagonal of the coincidences and their marginals, which is all it needs:
    /// `α = 1 − (n − 1)(n − Σ_c o_cc) / (n² − Σ_c n_c²)`, where `n_c` is label c's pairable values.
    fn nominal_alpha(&self) -> Option<f64> {
        let n: f64 = self.pairable.iter().sum();
        let d_e = n * n - self.pairable.iter().map(|x| x * x).sum::<f64>();
        (n >= 2.0 && d_e > 0.0).then(|| 1.0 - (n - 1.0) * (n - self.coincide.iter().sum::<f64>()) / d_e)
    }

    fn fleiss(&self, m: f64) -> Option<(f64, Vec<f64>)> {
        let nm = self.items * m;
        let p_j: Vec<f64> = self.count.iter().map(|c| c / nm).collect();
        let p_bar = (self.sum_sq - nm) / (nm * (m - 1.0));
        let p_e: f64 = p_j.iter().map(|p| p * p).sum();
        (self.items > 0.0 && (1.0 - p_e).abs() >= 1e-15).then(|| ((p_bar - p_e) / (1.0 - p_e), p_j))
    }
}

/// The full coincidence matrix of the drawn items, for the ordered metrics (see `krippendorff.rs`).
fn coincidences(ip: &ItemPatterns, counts: &[u32]) -> Coincidences {
    let mut co = Coincidences::over(ip.n_labels);
    for (p, &w) in ip.patterns.iter().zip(counts) {
        if w > 0 {
            co.add_unit(p.m, p.labels.iter().copied(), w as f64);
        }
    }
    co.totalled()
}

/// Where each figure sits in a replicate's row: percent agreement, α by metric (nominal, ordinal, interval,
/// ratio), Fleiss' κ, then per label id its specific agreement, then its Fleiss κ.
#[derive(Clone, Copy)]
struct Row {
    labels: usize,
}

impl Row {
    const PERCENT_AGREEMENT: usize = 0;
    const NOMINAL_ALPHA: usize = 1;
    /// Ordinal, interval and ratio α, in that order.
    const ORDERED_ALPHA: [usize; 3] = [2, 3, 4];
    const FLEISS_KAPPA: usize = 5;
    const FIXED: usize = 6;

    fn specific_agreement(self, label: usize) -> usize {
        Row::FIXED + label
    }
    fn label_fleiss_kappa(self, label: usize) -> usize {
        Row::FIXED + self.labels + label
    }
    fn len(self) -> usize {
        Row::FIXED + 2 * self.labels
    }
}

/// Fleiss' κ's m, when every item has the same number (≥ 2) of annotations.
fn equal_m(ip: &ItemPatterns) -> Option<f64> {
    let m0 = ip.patterns.first()?.m;
    (m0 >= 2 && ip.patterns.iter().all(|p| p.m == m0)).then_some(m0 as f64)
}

/// Every figure on the items drawn `counts[pattern]` times, into `out` (laid out as [`Row`]).
fn figures(
    ip: &ItemPatterns,
    counts: &[u32],
    values: Option<&[f64]>,
    fleiss_m: Option<f64>,
    sums: &mut Sums,
    out: &mut [Option<f64>],
) {
    let v = ip.n_labels;
    let row = Row { labels: v };
    sums.fill(ip, counts);
    out[Row::PERCENT_AGREEMENT] = sums.percent_agreement();
    out[Row::NOMINAL_ALPHA] = sums.nominal_alpha();
    if let Some(vals) = values {
        let co = coincidences(ip, counts);
        for (slot, metric) in Row::ORDERED_ALPHA.into_iter().zip([Metric::Ordinal, Metric::Interval, Metric::Ratio]) {
            out[slot] = alpha_from(&co, metric, Some(vals));
        }
    }
    if let Some((m, (kappa, p_j))) = fleiss_m.and_then(|m| Some((m, sums.fleiss(m)?))) {
        out[Row::FLEISS_KAPPA] = Some(kappa);
        for c in 0..v {
            let pq = p_j[c] * (1.0 - p_j[c]);
            out[row.label_fleiss_kappa(c)] =
                (pq > 0.0).then(|| 1.0 - sums.fleiss_disagree[c] / (sums.items * m * (m - 1.0) * pq));
        }
    }
    for c in 0..v {
        out[row.specific_agreement(c)] = (sums.pairs[c] > 0.0).then(|| sums.agree[c] / sums.pairs[c]);
    }
}

/// Bootstraps every item-level figure over the same replicates. `values` are the labels' values (by label id) for
/// the ordered α metrics. `None` when the table has no items.
pub fn categorical_bootstrap(
    table: &CategoricalTable,
    values: Option<&[f64]>,
    settings: BootstrapSettings,
    progress: impl FnMut(usize),
) -> Option<CategoricalBootstrap> {
    let ip = item_patterns(table);
    let draws = Draws::new(&ip.frequency)?;
    let v = ip.n_labels;
    let mut sums = Sums::new(v);
    let fleiss_m = equal_m(&ip);
    // Taken in `Row` order.
    let mut dists = bootstrap(
        &draws,
        ip.patterns.len(),
        Row { labels: v }.len(),
        settings,
        |counts, out| figures(&ip, counts, values, fleiss_m, &mut sums, out),
        progress,
    )
    .into_iter();
    let mut next = || dists.next().expect("one distribution per figure");
    let percent_agreement = next();
    let nominal = next();
    let ordered = [next(), next(), next()];
    let fleiss = next();
    let specific_agreement: Vec<Distribution> = (0..v).map(|_| next()).collect();
    let label_fleiss: Vec<Distribution> = (0..v).map(|_| next()).collect();
    let [ordinal, interval, ratio] = ordered.map(|d| values.map(|_| d));
    Some(CategoricalBootstrap {
        percent_agreement,
        alpha: [Some(nominal), ordinal, interval, ratio],
        fleiss_kappa: fleiss_m.map(|_| fleiss),
        specific_agreement,
        label_fleiss_kappa: if fleiss_m.is_some() { label_fleiss } else { Vec::new() },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::{alpha, fleiss, per_label, percent_agreement};
    use crate::model::TableBuilder;

    /// Every figure on the data's own counts (each pattern drawn as often as it occurs) is the point estimate.
    fn check(rows: &[(&str, &str, &str)], values: Option<&[f64]>) {
        let mut b = TableBuilder::new();
        for (i, a, l) in rows {
            b.push(i, a, l);
        }
        let t = b.finish().unwrap();
        let ip = item_patterns(&t);
        let counts: Vec<u32> = ip.frequency.iter().map(|&f| f as u32).collect();
        let v = t.n_labels();
        let row = Row { labels: v };
        let mut out = vec![None; row.len()];
        let fleiss_m = equal_m(&ip);
        figures(&ip, &counts, values, fleiss_m, &mut Sums::new(v), &mut out);
        let close = |a: Option<f64>, b: Option<f64>, what: &str| match (a, b) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{what}: {a} vs {b}"),
            (a, b) => assert_eq!(a, b, "{what}"),
        };
        close(out[Row::PERCENT_AGREEMENT], percent_agreement(&t), "percent agreement");
        close(out[Row::NOMINAL_ALPHA], alpha(&t, Metric::Nominal, None), "nominal α");
        for (slot, metric) in Row::ORDERED_ALPHA.into_iter().zip([Metric::Ordinal, Metric::Interval, Metric::Ratio]) {
            close(out[slot], values.and_then(|vals| alpha(&t, metric, Some(vals))), "ordered α");
        }
        let f = fleiss(&t);
        close(out[Row::FLEISS_KAPPA], f.as_ref().map(|f| f.kappa), "Fleiss κ");
        for l in per_label::per_label(&t, f.as_ref()) {
            let c = l.label as usize;
            close(out[row.specific_agreement(c)], l.specific_agreement, "specific agreement");
            close(out[row.label_fleiss_kappa(c)], l.fleiss_kappa, "per-label Fleiss κ");
        }
    }

    #[test]
    fn on_the_datas_own_counts_every_figure_is_the_point_estimate() {
        // Unequal numbers of annotations (Fleiss undefined), single-annotation items, numeric labels.
        let ragged = [
            ("1", "a", "1"),
            ("1", "b", "1"),
            ("1", "c", "2"),
            ("2", "a", "2"),
            ("2", "b", "2"),
            ("3", "a", "3"),
            ("3", "c", "1"),
            ("3", "d", "3"),
            ("3", "b", "3"),
            ("4", "a", "1"),
            ("5", "b", "4"),
            ("5", "c", "4"),
            ("5", "d", "2"),
            ("6", "a", "1"),
            ("6", "b", "1"),
            ("6", "c", "2"),
        ];
        check(&ragged, Some(&[1.0, 2.0, 3.0, 4.0]));
        // Three annotations everywhere: Fleiss applies.
        let even = [
            ("1", "a", "x"),
            ("1", "b", "x"),
            ("1", "c", "y"),
            ("2", "a", "y"),
            ("2", "b", "y"),
            ("2", "c", "y"),
            ("3", "a", "z"),
            ("3", "b", "x"),
            ("3", "c", "z"),
            ("4", "a", "x"),
            ("4", "b", "x"),
            ("4", "c", "x"),
            ("5", "a", "z"),
            ("5", "b", "y"),
            ("5", "c", "x"),
        ];
        check(&even, None);
    }
}
