//! Rehearsal: after each new example, a few examples seen before are learned from again, so that a model trained
//! one label at a time gets close to the batch optimum on the same labels (experience replay: Lin 1992,
//! "Self-improving reactive agents based on reinforcement learning, planning and teaching", Machine Learning 8). The
//! examples kept are a uniform sample of every example seen (reservoir sampling, Vitter 1985, "Random sampling with
//! a reservoir", ACM TOMS 11, Algorithm R), and every draw comes from a generator seeded by the count of examples,
//! so the same labels in the same order give the same model.

use serde::{Deserialize, Serialize};

use super::features::SparseVector;
use super::logistic::OnlineLogistic;
use crate::rng::SplitMix64;

/// Examples kept at most.
pub const CAPACITY: usize = 4096;
/// Old examples learned from again after each new one.
pub const REPLAYS: usize = 16;

/// The examples a classifier rehearses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rehearsal {
    kept: Vec<(SparseVector, u32)>,
    seen: u64,
}

impl Rehearsal {
    /// The examples to learn from again after the next new one: up to [`REPLAYS`] indices, drawn with replacement
    /// from those kept.
    pub fn draw(&self) -> Vec<usize> {
        self.draw_n(REPLAYS)
    }

    /// `n` indices to learn from again after the next new one, drawn with replacement from those kept (the first
    /// [`REPLAYS`] are [`Rehearsal::draw`]'s).
    pub fn draw_n(&self, n: usize) -> Vec<usize> {
        let mut rng = SplitMix64::new(0x5EA1_5EED ^ self.seen);
        if self.kept.is_empty() {
            return Vec::new();
        }
        (0..n).map(|_| rng.below(self.kept.len())).collect()
    }

    /// Learns a new example `x` of class `y` into `model`, then `replays` examples kept before (drawn before `x`
    /// joins them), then keeps `x`.
    pub fn learn(&mut self, model: &mut OnlineLogistic, x: SparseVector, y: usize, replays: usize) {
        let again = self.draw_n(replays);
        model.update(&x, y);
        for i in again {
            let (x, y) = self.example(i);
            model.update(x, y);
        }
        self.keep(x, y);
    }

    /// Example `i` of those kept, with its class.
    pub fn example(&self, i: usize) -> (&SparseVector, usize) {
        let (x, y) = &self.kept[i];
        (x, *y as usize)
    }

    /// Keeps `example` (class `y`) in the reservoir: every example seen has the same chance to be kept.
    pub fn keep(&mut self, example: SparseVector, y: usize) {
        self.seen += 1;
        if self.kept.len() < CAPACITY {
            self.kept.push((example, y as u32));
        } else {
            let slot = SplitMix64::new(0x0E5E_7A1E ^ self.seen).below(self.seen as usize);
            if slot < CAPACITY {
                self.kept[slot] = (example, y as u32);
            }
        }
    }

    /// Examples kept.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
}
