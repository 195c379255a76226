//! The cost–quality–time model: for annotator tiers (cost and time per item, accuracy measured on gold or
//! entered), the expected accuracy of the final label at overlap k with majority vote or Dawid–Skene, its cost and
//! time, and the cheapest plan that reaches a target accuracy.
//!
//! Model: annotators are independent; each gives the true label with probability p, otherwise one of the K − 1
//! other labels uniformly (symmetric noise). Majority vote breaks ties uniformly at random.
//! - MV is computed exactly: `P = Σ_x Bin(x; k, p) · E[1/(1+t) · 1{every wrong label has ≤ x votes}]`, where the
//!   k − x wrong votes fall multinomially on K − 1 labels and t counts wrong labels with exactly x votes; the
//!   expectation is a dynamic program over labels (O(K · k²) states).
//! - DS by Monte Carlo: items with k annotators drawn from a pool of the tier's annotators, aggregated by this
//!   engine's Dawid–Skene, accuracy against the simulated truth (seeded).

use serde::{Deserialize, Serialize};

use crate::consensus::{dawid_skene, DawidSkeneOptions, Method};
use crate::model::TableBuilder;
use crate::rng::SplitMix64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// A tier of annotators: what a label costs, how long it takes, how accurate they are.
pub struct Tier {
    /// The tier's name.
    pub name: String,
    /// Cost of one label.
    pub cost_per_item: f64,
    /// Seconds per label.
    pub seconds_per_item: f64,
    /// Entered, or measured on gold from `annotators` (see [`measure_tiers`]).
    #[serde(default = "not_measured")]
    pub accuracy: f64,
    /// The tier's annotators, when its accuracy is to be measured on gold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotators: Vec<String>,
}

fn not_measured() -> f64 {
    f64::NAN
}

/// A tier that lists annotators of whom none answered a gold item, so its accuracy cannot be measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierWithoutGold {
    /// The tier's name.
    pub tier: String,
}

impl std::fmt::Display for TierWithoutGold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "tier `{}`: none of its annotators answered a gold item", self.tier)
    }
}

impl std::error::Error for TierWithoutGold {}

/// Fills in the accuracy of tiers that list annotators: their pooled accuracy on gold items (`gold[item id]`,
/// ids of `table`). A tier whose annotators answered no gold item is an error naming it.
pub fn measure_tiers(
    tiers: &mut [Tier],
    table: &crate::model::CategoricalTable,
    gold: &[Option<u32>],
) -> Result<(), TierWithoutGold> {
    let report = crate::gold::classification_gold(table, gold);
    for t in tiers.iter_mut().filter(|t| !t.annotators.is_empty()) {
        let (mut c, mut n) = (0u64, 0u64);
        for a in &t.annotators {
            if let Some(acc) = report.annotators.get(a) {
                c += acc.correct;
                n += acc.items;
            }
        }
        if n == 0 {
            return Err(TierWithoutGold { tier: t.name.clone() });
        }
        t.accuracy = c as f64 / n as f64;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// One plan: a tier, how many labels per item, and the consensus method.
pub struct Plan {
    /// The tier.
    pub tier: String,
    /// Labels per item.
    pub overlap: usize,
    /// The consensus method.
    pub method: Method,
    /// Expected accuracy of the consensus label.
    pub accuracy: f64,
    /// Cost per item (labels × the tier's cost).
    pub cost_per_item: f64,
    /// Seconds per item.
    pub seconds_per_item: f64,
    /// Whether `accuracy` reaches the target.
    pub meets_target: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// Every plan considered, and the cheapest that reaches the target.
pub struct PlanReport {
    /// Classes in the task.
    pub classes: usize,
    /// The target accuracy.
    pub target: f64,
    /// Every plan considered.
    pub plans: Vec<Plan>,
    /// The cheapest plan that meets the target (ties: faster, then lower overlap).
    pub cheapest: Option<Plan>,
}

/// Expected accuracy of majority vote over `k` independent annotators of accuracy `p` on `classes` labels.
pub fn mv_accuracy(k: usize, p: f64, classes: usize) -> f64 {
    if k == 0 || classes < 2 {
        return if classes < 2 { 1.0 } else { 1.0 / classes as f64 };
    }
    let wrong = classes - 1;
    let mut ln_fact = vec![0.0f64; k + 2];
    for i in 1..ln_fact.len() {
        ln_fact[i] = ln_fact[i - 1] + (i as f64).ln();
    }
    let binom = |n: usize, x: usize| (ln_fact[n] - ln_fact[x] - ln_fact[n - x]).exp();
    let mut total = 0.0;
    for x in 0..=k {
        let m = k - x;
        let px = binom(k, x) * p.powi(x as i32) * (1.0 - p).powi(m as i32);
        if px == 0.0 {
            continue;
        }
        total += px * share_when_correct_has(x, m, wrong, &ln_fact);
    }
    total
}

/// E[1/(1+t) · 1{all wrong counts ≤ x}] for m votes spread uniformly over `wrong` labels.
fn share_when_correct_has(x: usize, m: usize, wrong: usize, ln_fact: &[f64]) -> f64 {
    if m == 0 {
        return 1.0; // every vote is correct
    }
    if x == 0 {
        return 0.0;
    }
    // f[j][t]: Σ over count vectors for the labels so far, summing to j, with t counts equal to x, of Π 1/c!.
    let mut f = vec![vec![0.0f64; wrong + 1]; m + 1];
    f[0][0] = 1.0;
    let inv_fact: Vec<f64> = (0..=m).map(|c| (-ln_fact[c]).exp()).collect();
    for _ in 0..wrong {
        let mut g = vec![vec![0.0f64; wrong + 1]; m + 1];
        for j in 0..=m {
            for t in 0..=wrong {
                let v = f[j][t];
                if v == 0.0 {
                    continue;
                }
                for c in 0..=x.min(m - j) {
                    let nt = t + (c == x) as usize;
                    if nt <= wrong {
                        g[j + c][nt] += v * inv_fact[c];
                    }
                }
            }
        }
        f = g;
    }
    // Multinomial: m! / Π c! · (1/wrong)^m.
    let scale = (ln_fact[m] - m as f64 * (wrong as f64).ln()).exp();
    (0..=wrong).map(|t| f[m][t] / (1.0 + t as f64)).sum::<f64>() * scale
}

/// Monte-Carlo accuracy of Dawid–Skene: `items` items, each labelled by `k` of a pool of `pool` annotators of
/// accuracy `p`.
pub fn ds_accuracy(k: usize, p: f64, classes: usize, items: usize, pool: usize, seed: u64) -> f64 {
    let mut rng = SplitMix64::new(seed);
    let mut b = TableBuilder::with_capacity(items * k);
    let mut truth = Vec::with_capacity(items);
    let pool = pool.max(k);
    let mut who: Vec<u32> = (0..pool as u32).collect();
    for i in 0..items as u32 {
        let t = rng.below(classes) as u32;
        truth.push(t);
        for j in 0..k {
            let pick = j + rng.below(pool - j);
            who.swap(j, pick);
            let label = if rng.unit() < p { t } else { (t + 1 + rng.below(classes - 1) as u32) % classes as u32 };
            b.push_ids(i, who[j], label);
        }
    }
    let table = b.finish().expect("distinct annotators per item");
    let r = dawid_skene(&table, DawidSkeneOptions::default(), None);
    // Label ids are the class numbers (push_ids names them "0", "1", …).
    let correct = (0..items)
        .filter(|&i| r.labels[i].map(|l| table.labels.name(l).parse::<u32>().ok()) == Some(Some(truth[i])))
        .count();
    correct as f64 / items as f64
}

/// Every (tier, overlap ≤ `max_overlap`) plan and the cheapest that reaches `target`.
pub fn plan(tiers: &[Tier], classes: usize, target: f64, method: Method, max_overlap: usize, seed: u64) -> PlanReport {
    let mut plans = Vec::new();
    for tier in tiers {
        for k in 1..=max_overlap {
            let accuracy = match method {
                // A tier's annotators share one accuracy, so their weights are equal: the weighted vote is the vote.
                Method::MajorityVote | Method::WeightedMajorityVote => mv_accuracy(k, tier.accuracy, classes),
                Method::DawidSkene => ds_accuracy(k, tier.accuracy, classes, 2000, 4 * k.max(5), seed ^ k as u64),
            };
            plans.push(Plan {
                tier: tier.name.clone(),
                overlap: k,
                method,
                accuracy,
                cost_per_item: k as f64 * tier.cost_per_item,
                seconds_per_item: k as f64 * tier.seconds_per_item,
                meets_target: accuracy >= target,
            });
        }
    }
    let cheapest = plans
        .iter()
        .filter(|p| p.meets_target)
        .min_by(|a, b| {
            a.cost_per_item
                .total_cmp(&b.cost_per_item)
                .then(a.seconds_per_item.total_cmp(&b.seconds_per_item))
                .then(a.overlap.cmp(&b.overlap))
        })
        .cloned();
    PlanReport { classes, target, plans, cheapest }
}
