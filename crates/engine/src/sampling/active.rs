//! Ordering the unlabeled queue (active learning; Settles 2009, "Active Learning Literature Survey", §3.1).
//!
//! From a model's class probabilities, most informative first:
//! - least confidence: `1 − max_c p_c`;
//! - margin: `p₁ − p₂` (smallest first);
//! - entropy: `−Σ_c p_c ln p_c`.
//! From annotations, vote entropy (Dagan & Engelson 1995): the entropy of the vote shares — disagreement first.
//! Model-vs-annotator conflict: items whose majority label differs from the model's top label, most confident
//! model first — the candidates for model-assisted review. Ties keep the input order.

use crate::model::CategoricalTable;
use crate::sorting::LeanSort;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// How uncertain a prediction is, from its label probabilities.
pub enum Uncertainty {
    /// 1 − the top probability.
    LeastConfidence,
    /// The top probability minus the second (lower is more uncertain).
    Margin,
    /// Shannon entropy of the probabilities.
    Entropy,
}

/// (input index, score), most informative first. `probs[i]` are item i's class probabilities (any order).
pub fn order_by_uncertainty(probs: &[Vec<f64>], strategy: Uncertainty) -> Vec<(usize, f64)> {
    let mut scored: Vec<(usize, f64)> = probs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut s: Vec<f64> = p.clone();
            s.lean_sort_by(|a, b| b.total_cmp(a));
            let top = s.first().copied().unwrap_or(0.0);
            let second = s.get(1).copied().unwrap_or(0.0);
            let score = match strategy {
                Uncertainty::LeastConfidence => 1.0 - top,
                Uncertainty::Margin => top - second,
                Uncertainty::Entropy => -p.iter().filter(|&&x| x > 0.0).map(|x| x * x.ln()).sum::<f64>(),
            };
            (i, score)
        })
        .collect();
    match strategy {
        Uncertainty::Margin => scored.lean_sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0))),
        _ => scored.lean_sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))),
    }
    scored
}

/// (item id, vote entropy) for items with ≥ 2 annotations, highest first.
pub fn order_by_disagreement(table: &CategoricalTable) -> Vec<(u32, f64)> {
    let mut out = Vec::new();
    let mut counts = vec![0u32; table.n_labels()];
    for i in 0..table.n_items() {
        let labels = table.labels_of(i);
        if labels.len() < 2 {
            continue;
        }
        for &l in labels {
            counts[l as usize] += 1;
        }
        let m = labels.len() as f64;
        let mut h = 0.0;
        for &l in labels {
            let c = counts[l as usize];
            if c > 0 {
                let p = c as f64 / m;
                h -= p * p.ln();
                counts[l as usize] = 0; // count each label once
            }
        }
        out.push((i as u32, h));
    }
    out.lean_sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// Items where the model's top label (probability ≥ `min_score`) differs from the consensus label: (item index,
/// model label, model probability, consensus label), most confident model first.
pub fn model_conflicts<'a>(
    model: &'a [(String, f64)],
    consensus: &'a [Option<String>],
    min_score: f64,
) -> Vec<(usize, &'a str, f64, &'a str)> {
    let mut out: Vec<(usize, &str, f64, &str)> = model
        .iter()
        .zip(consensus)
        .enumerate()
        .filter_map(|(i, ((ml, p), c))| match c {
            Some(c) if *p >= min_score && c != ml => Some((i, ml.as_str(), *p, c.as_str())),
            _ => None,
        })
        .collect();
    out.lean_sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    out
}

/// The annotation queue ordered by a model: tasks with a prediction for choice control `control`, most
/// uncertain first (its `scores` for that control, in the schema's label order, missing labels as 0; ties in
/// project order), then every other task in project order. `tasks` are the project's task ids in order; the result is a permutation of
/// their indices.
pub fn uncertainty_queue(
    tasks: &[&str],
    predictions: &[crate::bundle::Prediction],
    control: &crate::model::Control,
    strategy: Uncertainty,
) -> Vec<usize> {
    let index: std::collections::HashMap<&str, usize> = tasks.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let mut scored: Vec<(usize, Vec<f64>)> = Vec::new();
    for p in predictions {
        let (Some(&i), Some(scores)) =
            (index.get(p.task.as_str()), p.scores.get(&control.name).and_then(|s| s.as_object()))
        else {
            continue;
        };
        scored.push((
            i,
            control.labels.iter().map(|l| scores.get(&l.value).and_then(|v| v.as_f64()).unwrap_or(0.0)).collect(),
        ));
    }
    // Equally uncertain tasks keep project order, whatever the order of the predictions.
    scored.lean_sort_by_key(|(i, _)| *i);
    let (predicted, probs): (Vec<usize>, Vec<Vec<f64>>) = scored.into_iter().unzip();
    let mut seen = vec![false; tasks.len()];
    let mut order: Vec<usize> = Vec::with_capacity(tasks.len());
    for (k, _) in order_by_uncertainty(&probs, strategy) {
        let i = predicted[k];
        if !std::mem::replace(&mut seen[i], true) {
            order.push(i);
        }
    }
    order.extend((0..tasks.len()).filter(|&i| !seen[i]));
    order
}
