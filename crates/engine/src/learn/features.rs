//! Feature vectors for the learners. Text: lower-cased word n-grams and character n-grams of each padded word,
//! hashed into 2^bits buckets (Weinberger, Dasgupta, Langford, Smola & Attenberg 2009, "Feature hashing for large
//! scale multitask learning", ICML), counted, then scaled to unit L2 norm. The hash is 64-bit FNV-1a, the same on
//! every platform, so the app and the CLI put every n-gram in the same bucket.

use serde::{Deserialize, Serialize};

/// A sparse vector: (index, value) pairs in ascending index order, no index twice.
pub type SparseVector = Vec<(u32, f32)>;

/// How a text becomes features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextFeatures {
    /// log2 of the number of buckets (18: 262,144).
    pub bits: u8,
    /// Word n-grams from 1 to this.
    pub word_ngrams: u8,
    /// Character n-grams of each word padded with spaces, from `char_ngrams.0` to `char_ngrams.1` code points.
    pub char_ngrams: (u8, u8),
}

impl Default for TextFeatures {
    fn default() -> Self {
        TextFeatures { bits: 18, word_ngrams: 2, char_ngrams: (3, 5) }
    }
}

impl TextFeatures {
    /// The number of buckets.
    pub fn dimension(&self) -> usize {
        1usize << self.bits
    }

    /// The features of `text`, unit L2 norm (empty for a text with no word).
    pub fn features(&self, text: &str) -> SparseVector {
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        let mask = (self.dimension() - 1) as u64;
        let mut counts: std::collections::BTreeMap<u32, f32> = std::collections::BTreeMap::new();
        let mut add = |kind: u8, gram: &str| {
            *counts.entry((fnv1a(kind, gram.as_bytes()) & mask) as u32).or_insert(0.0) += 1.0;
        };
        for n in 1..=self.word_ngrams.max(1) as usize {
            for window in words.windows(n) {
                add(b'w', &window.join(" "));
            }
        }
        let (lo, hi) = (self.char_ngrams.0 as usize, self.char_ngrams.1 as usize);
        if lo > 0 {
            for w in &words {
                let padded: Vec<char> = std::iter::once(' ').chain(w.chars()).chain(std::iter::once(' ')).collect();
                for n in lo..=hi.max(lo) {
                    for window in padded.windows(n) {
                        add(b'c', &window.iter().collect::<String>());
                    }
                }
            }
        }
        normalised(counts.into_iter().collect())
    }
}

/// An embedding shipped in the bundle as features: dimension i is index i, scaled to unit L2 norm.
pub fn embedding_features(vector: &[f32]) -> SparseVector {
    normalised(vector.iter().enumerate().filter(|(_, v)| **v != 0.0).map(|(i, v)| (i as u32, *v)).collect())
}

fn normalised(mut v: SparseVector) -> SparseVector {
    let norm = v.iter().map(|(_, x)| f64::from(*x) * f64::from(*x)).sum::<f64>().sqrt();
    if norm > 0.0 {
        for (_, x) in &mut v {
            *x = (f64::from(*x) / norm) as f32;
        }
    }
    v
}

/// 64-bit FNV-1a of a kind byte then `bytes` (Fowler, Noll & Vo).
pub(crate) fn fnv1a(kind: u8, bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in std::iter::once(&kind).chain(bytes) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
