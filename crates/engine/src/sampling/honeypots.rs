//! Honeypot placement: which hidden gold items go into which annotator's queue, and where. Each annotator gets
//! `ceil(rate · queue length)` gold items, drawn without replacement (seeded, per annotator), placed one per equal
//! segment of the queue at a random offset inside it — spread out, but not at guessable positions.

use serde::Serialize;

use super::choose;
use crate::rng::SplitMix64;

#[derive(Debug, Clone, PartialEq, Serialize)]
/// Where a gold item goes in an annotator's queue.
pub struct HoneypotSlot {
    /// The annotator.
    pub annotator: String,
    /// 0-based position in the annotator's queue at which the gold item is inserted.
    pub position: usize,
    /// Index into the gold list.
    pub gold: usize,
}

/// Spreads gold items through each annotator's queue at `rate` (annotators as (name, queue length)), seeded.
pub fn place_honeypots(annotators: &[(String, usize)], gold_items: usize, rate: f64, seed: u64) -> Vec<HoneypotSlot> {
    let mut out = Vec::new();
    for (ai, (name, queue)) in annotators.iter().enumerate() {
        let mut rng = SplitMix64::new(seed ^ (ai as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let k = ((rate * *queue as f64).ceil() as usize).min(gold_items);
        if k == 0 {
            continue;
        }
        let picks = choose(gold_items, k, &mut rng);
        let segment = (*queue as f64 / k as f64).max(1.0);
        for (s, &g) in picks.iter().enumerate() {
            let start = (s as f64 * segment) as usize;
            let width = (segment as usize).max(1);
            out.push(HoneypotSlot {
                annotator: name.clone(),
                position: (start + rng.below(width)).min(*queue),
                gold: g,
            });
        }
    }
    out
}
