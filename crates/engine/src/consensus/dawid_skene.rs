//! Dawid–Skene EM (Dawid & Skene 1979, "Maximum likelihood estimation of observer error-rates using the EM
//! algorithm", J. R. Stat. Soc. C 28(1)), with crowd-kit's conventions (`crowdkit.aggregation.DawidSkene`), so that
//! results match it:
//!
//! - start: majority-vote posteriors (vote shares; ties split evenly), priors = their mean over items, then one
//!   M-step;
//! - M-step: `e[w][l][c] = Σ_{items w labelled l} P(item is c)`, clipped below at 1e-10, normalised over the labels
//!   `l` that `w` actually used, per true class `c`;
//! - E-step: `log₂ P(c | item) ∝ log₂ π_c + Σ_{(w, l) on item} log₂ e[w][l][c]`, shifted by its maximum before
//!   exponentiating;
//! - stop when the evidence lower bound per annotation,
//!   `(Σ_rows Σ_c P(c|i)(ln e[w][l][c] + ln π_c) − Σ_i Σ_c P(c|i) ln P(c|i)) / rows`, improves by less than `tol`, or
//!   after `max_iter` iterations.
//!
//! The bound's first term is computed from the M-step sums (`Σ_{w,l,c} S[w][l][c] ln e[w][l][c]`) instead of a pass
//! over the rows, so an iteration is two passes over the annotations (E and M), each K wide.

use super::{decide, label_order, Aggregation, AnnotatorModel};
use crate::model::CategoricalTable;

const CLIP: f64 = 1e-10;

#[derive(Debug, Clone, Copy)]
/// Dawid–Skene's EM settings.
pub struct DawidSkeneOptions {
    /// Iterations at most.
    pub max_iter: u32,
    /// Stop when the log-likelihood changes by less than this.
    pub tol: f64,
}

impl Default for DawidSkeneOptions {
    /// crowd-kit's defaults.
    fn default() -> Self {
        DawidSkeneOptions { max_iter: 100, tol: 1e-5 }
    }
}

/// The fitted model. Columns (K) are labels in `order`.
#[derive(Debug, Clone)]
pub struct DsFit {
    /// Label ids in column order.
    pub order: Vec<u32>,
    /// items × K posteriors (zero rows for items without annotations).
    pub probas: Vec<f64>,
    /// Class priors, by column.
    pub priors: Vec<f64>,
    /// annotators × K (given) × K (true): `P(gives l | true c)`; valid where `used[w * K + l]`.
    pub errors: Vec<f64>,
    /// Columns that occur in the data.
    pub used: Vec<bool>,
    /// The negative log-likelihood after each iteration.
    pub loss_history: Vec<f64>,
}

/// Runs EM on `table` and returns every estimate (`order`: an explicit label order for the columns).
pub fn fit(table: &CategoricalTable, opts: DawidSkeneOptions, order: Option<&[String]>) -> DsFit {
    let order = label_order(table, order);
    let k = order.len();
    let (n_items, n_workers) = (table.n_items(), table.n_annotators());
    let mut column = vec![0u32; table.n_labels()];
    for (c, &l) in order.iter().enumerate() {
        column[l as usize] = c as u32;
    }
    // Per row: the (worker, given label) cell, in item order.
    let mut cell: Vec<u32> = Vec::with_capacity(table.n_annotations());
    let mut used = vec![false; n_workers * k];
    for i in 0..n_items {
        for (&a, &l) in table.annotators_of(i).iter().zip(table.labels_of(i)) {
            let c = a as usize * k + column[l as usize] as usize;
            used[c] = true;
            cell.push(c as u32);
        }
    }
    let rows = cell.len() as f64;
    let active = (0..n_items).filter(|&i| !table.labels_of(i).is_empty()).count().max(1) as f64;

    // Majority-vote start.
    let mut probas = vec![0.0f64; n_items * k];
    let mut r = 0;
    for i in 0..n_items {
        let m = table.labels_of(i).len();
        for _ in 0..m {
            probas[i * k + cell[r] as usize % k] += 1.0 / m as f64;
            r += 1;
        }
    }
    let mut priors = mean_rows(&probas, k, active);
    let mut sums = vec![0.0f64; n_workers * k * k];
    let mut errors = vec![0.0f64; n_workers * k * k];
    m_step(table, &cell, &probas, &used, k, &mut sums, &mut errors);

    let mut log_errors = vec![0.0f64; errors.len()];
    let mut ln_errors = vec![0.0f64; errors.len()];
    let mut loss_history = Vec::new();
    let mut loss = f64::NEG_INFINITY;
    let mut ll = vec![0.0f64; k];
    let (mut prior_sum, mut per_class) = (vec![0.0f64; k], vec![0.0f64; k]);
    for _ in 0..opts.max_iter {
        // One pass over the items does the E-step and, while the item's posterior is in cache, its share of the
        // M-step sums, of the new priors and of the bound (crowd-kit's order of operations is unchanged: the
        // E-step uses the previous priors and errors; priors, errors and bound all use the new posteriors).
        //
        // crowd-kit computes the posterior in log₂ and exponentiates after shifting by the maximum. With error
        // rates clipped at ≥ 1e-10, the product q_c = π_c Π e[w][l][c] of an item with ≤ 25 annotations stays
        // ≥ 1e-260, a normal number, so the same posterior is computed in linear space, without an exponential per
        // cell; items whose product gets too small take the log₂ path.
        //
        // The bound's entropy needs ln P = ln q − ln T (T = Σ_c q_c). Since ln q_ic = ln π_c + Σ_rows ln e[w][l][c],
        // Σ_i Σ_c P_ic ln q_ic = Σ_c (Σ_i P_ic) ln π_c + Σ_{w,l,c} S[w][l][c] ln e[w][l][c] with the sums S of the
        // M-step below and the π, e used here, so only Σ_i ln T_i is gathered per item.
        for ((le, ln), &e) in log_errors.iter_mut().zip(ln_errors.iter_mut()).zip(&errors) {
            *ln = e.ln();
            *le = *ln * std::f64::consts::LOG2_E;
        }
        let log_priors: Vec<f64> = priors.iter().map(|p| p.log2()).collect();
        let ln_priors: Vec<f64> = priors.iter().map(|p| p.ln()).collect();
        sums.fill(0.0);
        prior_sum.fill(0.0);
        per_class.fill(0.0);
        let mut sum_ln_t = 0.0;
        let mut r = 0;
        for i in 0..n_items {
            let m = table.labels_of(i).len();
            if m == 0 {
                continue;
            }
            let rows_of_item = &cell[r..r + m];
            r += m;
            let row = &mut probas[i * k..(i + 1) * k];
            row.copy_from_slice(&priors);
            for &c in rows_of_item {
                let base = c as usize * k;
                for (q, e) in row.iter_mut().zip(&errors[base..base + k]) {
                    *q *= e;
                }
            }
            let mut total: f64 = row.iter().sum();
            let mut ln_t = total.ln();
            if total < 1e-250 {
                ll.copy_from_slice(&log_priors);
                for &c in rows_of_item {
                    let base = c as usize * k;
                    for (x, le) in ll.iter_mut().zip(&log_errors[base..base + k]) {
                        *x += le;
                    }
                }
                let max = ll.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                for (q, &x) in row.iter_mut().zip(&ll) {
                    *q = exp2_clamped((x - max).max(-1022.0));
                }
                total = row.iter().sum();
                // q was scaled by 2^−max.
                ln_t = total.ln() + max * std::f64::consts::LN_2;
            }
            sum_ln_t += ln_t;
            let inv = 1.0 / total;
            for p in row.iter_mut() {
                *p *= inv;
            }
            let row = &probas[i * k..(i + 1) * k];
            for ((ps, pc), &p) in prior_sum.iter_mut().zip(per_class.iter_mut()).zip(row) {
                *ps += p;
                *pc += m as f64 * p;
            }
            for &c in rows_of_item {
                let base = c as usize * k;
                for (s, &p) in sums[base..base + k].iter_mut().zip(row) {
                    *s += p;
                }
            }
        }
        let mut expected_ln_q = 0.0;
        for c in 0..k {
            if prior_sum[c] > 0.0 {
                expected_ln_q += prior_sum[c] * ln_priors[c];
            }
        }
        for (cellno, _) in used.iter().enumerate().filter(|(_, &u)| u) {
            let base = cellno * k;
            for c in 0..k {
                expected_ln_q += sums[base + c] * ln_errors[base + c];
            }
        }
        let entropy = sum_ln_t - expected_ln_q;
        for (p, &s) in priors.iter_mut().zip(&prior_sum) {
            *p = s / active;
        }
        normalise_errors(&sums, &used, k, &mut errors);
        let new_loss = (elbo_joint(&priors, &per_class, &sums, &errors, &used, k) + entropy) / rows;
        loss_history.push(new_loss);
        if new_loss - loss < opts.tol {
            break;
        }
        loss = new_loss;
    }
    DsFit { order, probas, priors, errors, used, loss_history }
}

/// 2^x for x in [−1022, 0], to within a few ulp of `f64::exp2`, branch-free so that a row of them vectorises
/// (the E-step computes one per item and label per iteration). x = n + f with n = round(x) (by the 1.5·2⁵² trick),
/// f ∈ [−½, ½]; 2^f = e^(f ln 2) by its Taylor series to the 14th power (truncation < 1e-17), scaled by 2^n
/// through the exponent bits. Callers clamp x at −1022, where 2^x (≈ 2e-308) is 0 for every later use.
#[inline(always)]
pub fn exp2_clamped(x: f64) -> f64 {
    const MAGIC: f64 = 6755399441055744.0;
    const C: [f64; 15] = [
        1.0,
        1.0,
        0.5,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5040.0,
        1.0 / 40320.0,
        1.0 / 362880.0,
        1.0 / 3628800.0,
        1.0 / 39916800.0,
        1.0 / 479001600.0,
        1.0 / 6227020800.0,
        1.0 / 87178291200.0,
    ];
    let shifted = x + MAGIC;
    let n = shifted - MAGIC;
    let y = (x - n) * std::f64::consts::LN_2;
    let mut poly = C[14];
    for c in C[..14].iter().rev() {
        poly = poly * y + c; // not `mul_add`: without FMA hardware it is a slow libm call
    }
    // The low bits of `shifted` hold 2^51 + n; n + 1023 in the exponent field is 2^n.
    let scale = f64::from_bits(shifted.to_bits().wrapping_add(1023) << 52);
    poly * scale
}

fn mean_rows(probas: &[f64], k: usize, active: f64) -> Vec<f64> {
    let mut out = vec![0.0; k];
    for row in probas.chunks_exact(k) {
        for (o, p) in out.iter_mut().zip(row) {
            *o += p;
        }
    }
    out.iter_mut().for_each(|o| *o /= active);
    out
}

/// `sums[w][l][c] = Σ_{rows (w, l)} P(c | item)`; `errors` = sums clipped and normalised per (w, c) over used l.
fn m_step(
    table: &CategoricalTable,
    cell: &[u32],
    probas: &[f64],
    used: &[bool],
    k: usize,
    sums: &mut [f64],
    errors: &mut [f64],
) {
    sums.fill(0.0);
    let mut r = 0;
    for i in 0..table.n_items() {
        let p = &probas[i * k..(i + 1) * k];
        for _ in 0..table.labels_of(i).len() {
            let base = cell[r] as usize * k;
            for (s, &x) in sums[base..base + k].iter_mut().zip(p) {
                *s += x;
            }
            r += 1;
        }
    }
    normalise_errors(sums, used, k, errors);
}

/// Clips the sums below at 1e-10 and normalises them per (annotator, true class) over the labels the annotator
/// used (crowd-kit: `errors.clip(lower=_EPS); errors /= errors.groupby("worker").sum()`).
fn normalise_errors(sums: &[f64], used: &[bool], k: usize, errors: &mut [f64]) {
    let n_workers = used.len() / k;
    let mut denom = vec![0.0f64; k];
    for w in 0..n_workers {
        denom.fill(0.0);
        for l in (0..k).filter(|&l| used[w * k + l]) {
            let base = (w * k + l) * k;
            for c in 0..k {
                let v = sums[base + c].max(CLIP);
                errors[base + c] = v;
                denom[c] += v;
            }
        }
        for l in (0..k).filter(|&l| used[w * k + l]) {
            let base = (w * k + l) * k;
            for c in 0..k {
                errors[base + c] /= denom[c];
            }
        }
    }
}

/// The bound's expected joint log-likelihood `Σ_rows Σ_c P(c|i) (ln e[w][l][c] + ln π_c)` (not yet divided by the
/// number of rows), from the M-step sums and `per_class[c] = Σ_rows P(c|i)`. Terms with P = 0 contribute nothing
/// (pandas skips the NaN of 0 · ln 0). The entropy term is accumulated by the E-step.
fn elbo_joint(priors: &[f64], per_class: &[f64], sums: &[f64], errors: &[f64], used: &[bool], k: usize) -> f64 {
    let mut joint = 0.0;
    for (cellno, &u) in used.iter().enumerate() {
        if u {
            let base = cellno * k;
            for c in 0..k {
                if sums[base + c] > 0.0 {
                    joint += sums[base + c] * errors[base + c].ln();
                }
            }
        }
    }
    for c in 0..k {
        if per_class[c] > 0.0 {
            joint += per_class[c] * priors[c].ln();
        }
    }
    joint
}

/// Dawid & Skene's consensus: [`fit`]'s labels, confidences and annotator confusions.
pub fn dawid_skene(table: &CategoricalTable, opts: DawidSkeneOptions, order: Option<&[String]>) -> Aggregation {
    let f = fit(table, opts, order);
    let k = f.order.len();
    let (labels, confidence, ties) = decide(table, &f.probas, &f.order);
    let annotators = (0..table.n_annotators())
        .map(|w| {
            let mut confusion = vec![vec![None; k]; k];
            let mut accuracy = 0.0;
            for l in (0..k).filter(|&l| f.used[w * k + l]) {
                for c in 0..k {
                    let e = f.errors[(w * k + l) * k + c];
                    confusion[c][l] = Some(e);
                    if l == c {
                        accuracy += f.priors[c] * e;
                    }
                }
            }
            AnnotatorModel { accuracy: Some(accuracy), confusion: Some(confusion), weight: None }
        })
        .collect();
    Aggregation {
        method: super::Method::DawidSkene,
        iterations: f.loss_history.len() as u32,
        order: f.order,
        labels,
        confidence,
        ties,
        priors: f.priors,
        annotators,
        loss_history: f.loss_history,
    }
}

#[cfg(test)]
mod tests {
    use super::exp2_clamped;

    #[test]
    fn branch_free_exp2_agrees_with_libm() {
        let mut worst: f64 = 0.0;
        let mut x = 0.0;
        while x >= -1022.0 {
            let (a, b) = (exp2_clamped(x), x.exp2());
            worst = worst.max(((a - b) / b).abs());
            x -= 0.00731;
        }
        assert!(worst < 4.0 * f64::EPSILON, "worst relative error {worst:e}");
        assert_eq!((exp2_clamped(0.0), exp2_clamped(-1.0), exp2_clamped(-1022.0)), (1.0, 0.5, 2f64.powi(-1022)));
    }
}
