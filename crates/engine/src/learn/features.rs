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

    /// The features of `text`, unit L2 norm (empty for a text with no word). Each n-gram is hashed as it is read,
    /// with no string built for it (a word n-gram is its words joined by single spaces, a character n-gram its
    /// UTF-8 bytes), and the buckets are counted by sorting. `TextIndex` reads a queue with the same two hashers
    /// (`push_word_buckets`, `push_phrase_buckets`), so its buckets are these.
    pub fn features(&self, text: &str) -> SparseVector {
        let lower = text.to_lowercase();
        let words = words_of(&lower);
        let mut buckets: Vec<u32> = Vec::with_capacity(words.len() * 12);
        let mut padded: Vec<char> = Vec::new();
        for w in &words {
            self.push_word_buckets(w, &mut padded, &mut buckets);
        }
        self.push_phrase_buckets(&words, &mut buckets);
        counted(buckets)
    }

    fn mask(&self) -> u64 {
        (self.dimension() - 1) as u64
    }

    /// The buckets a word brings by itself wherever it stands: its unigram and its character n-grams (a bucket
    /// once per occurrence). `padded` is scratch space.
    pub(super) fn push_word_buckets(&self, word: &str, padded: &mut Vec<char>, out: &mut Vec<u32>) {
        let mask = self.mask();
        out.push((word.bytes().fold(fnv1a_step(FNV_OFFSET, b'w'), fnv1a_step) & mask) as u32);
        let (lo, hi) = (self.char_ngrams.0 as usize, self.char_ngrams.1 as usize);
        if lo == 0 {
            return;
        }
        let mut utf8 = [0u8; 4];
        padded.clear();
        padded.push(' ');
        padded.extend(word.chars());
        padded.push(' ');
        for n in lo..=hi.max(lo) {
            for window in padded.windows(n) {
                let h = window
                    .iter()
                    .fold(fnv1a_step(FNV_OFFSET, b'c'), |h, c| c.encode_utf8(&mut utf8).bytes().fold(h, fnv1a_step));
                out.push((h & mask) as u32);
            }
        }
    }

    /// The buckets of the word n-grams longer than one (a word n-gram is hashed as its words joined by single
    /// spaces).
    pub(super) fn push_phrase_buckets(&self, words: &[&str], out: &mut Vec<u32>) {
        let mask = self.mask();
        for n in 2..=self.word_ngrams.max(1) as usize {
            for window in words.windows(n) {
                let mut h = fnv1a_step(FNV_OFFSET, b'w');
                for (k, w) in window.iter().enumerate() {
                    if k > 0 {
                        h = fnv1a_step(h, b' ');
                    }
                    h = w.bytes().fold(h, fnv1a_step);
                }
                out.push((h & mask) as u32);
            }
        }
    }
}

/// The words of a lower-cased text: its maximal runs of alphanumeric characters.
pub(super) fn words_of(lower: &str) -> Vec<&str> {
    lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect()
}

/// Buckets, one per occurrence, as a sparse vector of their counts at unit L2 norm.
pub(super) fn counted(mut buckets: Vec<u32>) -> SparseVector {
    buckets.sort_unstable();
    let mut counts: SparseVector = Vec::with_capacity(buckets.len());
    for b in buckets {
        match counts.last_mut() {
            Some((j, c)) if *j == b => *c += 1.0,
            _ => counts.push((b, 1.0)),
        }
    }
    normalised(counts)
}

/// The L2 norm of a vector of these buckets' counts (one per occurrence; sorts them), summed in ascending bucket
/// order as [`TextFeatures::features`] sums it.
pub(super) fn counted_norm(buckets: &mut [u32]) -> f64 {
    buckets.sort_unstable();
    let mut total = 0.0f64;
    let mut k = 0;
    while k < buckets.len() {
        let run = buckets[k..].iter().take_while(|b| **b == buckets[k]).count();
        total += (run as f64) * (run as f64);
        k += run;
    }
    total.sqrt()
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

pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// One byte of 64-bit FNV-1a (Fowler, Noll & Vo).
pub(crate) fn fnv1a_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// 64-bit FNV-1a of a kind byte then `bytes`.
pub(crate) fn fnv1a(kind: u8, bytes: &[u8]) -> u64 {
    bytes.iter().copied().fold(fnv1a_step(FNV_OFFSET, kind), fnv1a_step)
}
