//! A greedy averaged-perceptron sequence tagger (Collins 2002, "Discriminative training methods for hidden Markov
//! models: theory and experiments with perceptron algorithms", EMNLP; the greedy, left-to-right form of Honnibal's
//! 2013 "A good part-of-speech tagger in about 200 lines of Python"). Each token's tag is the argmax over tags of the
//! summed weights of its features; the features see the words around it and the two tags already chosen. On a wrong
//! guess the truth's weights rise by 1 and the guess's fall by 1; predictions use the weights averaged over every
//! step (lazily: each weight keeps its running total and when it last changed).
//!
//! Tags are BIO over the tokens Concord snaps spans to (`B-PER`, `I-PER`, `O`): spans in, spans out, elsewhere.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use super::features::{fnv1a, fnv1a_step};

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Weight {
    value: f64,
    /// Σ value over steps, up to `stamp`.
    total: f64,
    stamp: u64,
}

/// The tagger: its tags and, per feature, a weight for each tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AveragedPerceptron {
    tags: Vec<String>,
    /// Feature hash → one weight per tag. The keys are FNV-1a hashes already, so they are looked up as they are.
    weights: HashMap<u64, Vec<Weight>, BuildHasherDefault<FeatureHasher>>,
    /// Updates made (one per token trained on).
    steps: u64,
    /// The hashes of the features made of tags, worked out once per tagger.
    #[serde(skip)]
    tag_features: OnceCell<TagFeatures>,
}

/// A hasher for keys that are hashes: one multiply to spread them over the table's buckets.
#[derive(Default)]
struct FeatureHasher(u64);

impl Hasher for FeatureHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0, |h, &b| (h << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    }
    fn write_u64(&mut self, k: u64) {
        self.0 = k.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A feature's FNV-1a hash fed piece by piece: the same value as [`fnv1a`] of the feature's text, with no text made.
#[derive(Debug, Clone, Copy, PartialEq)]
struct FeatureHash(u64);

impl FeatureHash {
    fn new() -> FeatureHash {
        FeatureHash(fnv1a(b't', b""))
    }
    fn text(self, s: &str) -> FeatureHash {
        FeatureHash(s.bytes().fold(self.0, fnv1a_step))
    }
    fn chars(self, c: &[char]) -> FeatureHash {
        let mut utf8 = [0u8; 4];
        FeatureHash(c.iter().fold(self.0, |h, ch| ch.encode_utf8(&mut utf8).bytes().fold(h, fnv1a_step)))
    }
}

/// The features made of the previous tags, per tag (the last index is `<start>`): `t-1=`, `t-2=` of each pair, and
/// the start of `t-1 w=` before the word.
#[derive(Debug, Clone, PartialEq)]
struct TagFeatures {
    previous: Vec<u64>,
    pair: Vec<u64>,
    previous_word: Vec<FeatureHash>,
}

impl TagFeatures {
    fn of(tags: &[String]) -> TagFeatures {
        let names: Vec<&str> = tags.iter().map(String::as_str).chain(["<start>"]).collect();
        let n = names.len();
        TagFeatures {
            previous: names.iter().map(|p| FeatureHash::new().text("t-1=").text(p).0).collect(),
            pair: (0..n * n)
                .map(|k| FeatureHash::new().text("t-2=").text(names[k / n]).text(" ").text(names[k % n]).0)
                .collect(),
            previous_word: names.iter().map(|p| FeatureHash::new().text("t-1 w=").text(p).text(" ")).collect(),
        }
    }
}

/// The features of a sentence's tokens that do not depend on the tags (the first ten of [`token_features`]), worked
/// out once per sentence, with each word in lower case.
struct SentenceFeatures {
    fixed: Vec<[u64; 10]>,
    lower: Vec<String>,
}

impl SentenceFeatures {
    fn of(words: &[&str]) -> SentenceFeatures {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let around = |i: usize, k: isize| -> &str {
            let j = i as isize + k;
            if j < 0 || j as usize >= words.len() {
                "<edge>"
            } else {
                &lower[j as usize]
            }
        };
        let fixed = (0..words.len())
            .map(|i| {
                let chars: Vec<char> = lower[i].chars().collect();
                let suffix = |n: usize| &chars[chars.len() - n.min(chars.len())..];
                let f = FeatureHash::new;
                [
                    f().text("bias").0,
                    f().text("w=").text(&lower[i]).0,
                    f().text("shape=").text(&shape(words[i])).0,
                    f().text("p1=").chars(&chars[..1.min(chars.len())]).0,
                    f().text("s3=").chars(suffix(3)).0,
                    f().text("s2=").chars(suffix(2)).0,
                    f().text("w-1=").text(around(i, -1)).0,
                    f().text("w+1=").text(around(i, 1)).0,
                    f().text("w-2=").text(around(i, -2)).0,
                    f().text("w+2=").text(around(i, 2)).0,
                ]
            })
            .collect();
        SentenceFeatures { fixed, lower }
    }

    /// Token `i`'s thirteen features, as [`token_features`] hashes them, after the tags `chosen` for the tokens
    /// before it (`<start>` before the first).
    fn after(&self, t: &TagFeatures, i: usize, chosen: &[usize]) -> [u64; 13] {
        let start = t.previous.len() - 1;
        let previous = chosen.last().copied().unwrap_or(start);
        let before_previous = if i >= 2 { chosen[i - 2] } else { start };
        self.of_token(t, i, previous, before_previous)
    }

    /// Token `i`'s thirteen features, as [`token_features`] hashes them, given the two previous tags (indices into
    /// the tags, `tags.len()` for `<start>`).
    fn of_token(&self, t: &TagFeatures, i: usize, previous: usize, before_previous: usize) -> [u64; 13] {
        let n = t.previous.len();
        let mut out = [0u64; 13];
        out[..10].copy_from_slice(&self.fixed[i]);
        out[10] = t.previous[previous];
        out[11] = t.pair[before_previous * n + previous];
        out[12] = t.previous_word[previous].text(&self.lower[i]).0;
        out
    }
}

/// A word's shape: upper case as `X`, lower case as `x`, digits as `d`, anything else as itself, runs shortened to
/// one.
fn shape(word: &str) -> String {
    let mut s = String::new();
    for c in word.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if !s.ends_with(k) {
            s.push(k);
        }
    }
    s
}

/// The features of token `i` of `words` given the two previous tags (standard: bias, the word, its shape, prefix and
/// suffixes, the neighbouring words, the previous tags), hashed.
pub fn token_features(words: &[&str], i: usize, previous: &str, before_previous: &str) -> Vec<u64> {
    let word = words[i];
    let lower = word.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let affix = |n: usize, suffix: bool| -> String {
        let n = n.min(chars.len());
        if suffix {
            chars[chars.len() - n..].iter().collect()
        } else {
            chars[..n].iter().collect()
        }
    };
    let around = |k: isize| -> String {
        let j = i as isize + k;
        if j < 0 || j as usize >= words.len() {
            "<edge>".to_string()
        } else {
            words[j as usize].to_lowercase()
        }
    };
    let shape = shape(word);
    [
        "bias".to_string(),
        format!("w={lower}"),
        format!("shape={shape}"),
        format!("p1={}", affix(1, false)),
        format!("s3={}", affix(3, true)),
        format!("s2={}", affix(2, true)),
        format!("w-1={}", around(-1)),
        format!("w+1={}", around(1)),
        format!("w-2={}", around(-2)),
        format!("w+2={}", around(2)),
        format!("t-1={previous}"),
        format!("t-2={before_previous} {previous}"),
        format!("t-1 w={previous} {lower}"),
    ]
    .iter()
    .map(|f| fnv1a(b't', f.as_bytes()))
    .collect()
}

impl AveragedPerceptron {
    /// A tagger over `tags` (the first is the tag of a token in no span: `O`), every weight zero.
    pub fn new(tags: Vec<String>) -> AveragedPerceptron {
        assert!(tags.len() < u16::MAX as usize, "too many tags");
        AveragedPerceptron { tags, weights: HashMap::default(), steps: 0, tag_features: OnceCell::new() }
    }

    /// The tags, in index order.
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    fn tag_features(&self) -> &TagFeatures {
        self.tag_features.get_or_init(|| TagFeatures::of(&self.tags))
    }

    /// The index of the best of `scores`: the first best (lowest index) on a tie, deterministic.
    fn best(scores: &[f64]) -> usize {
        scores.iter().enumerate().fold((0, f64::MIN), |best, (t, &s)| if s > best.1 { (t, s) } else { best }).0
    }

    /// Every tag's score of a token's features, into `scores` (one per tag).
    fn scores(&self, features: &[u64], averaged: bool, scores: &mut [f64]) {
        scores.fill(0.0);
        let steps = self.steps.max(1) as f64;
        for f in features {
            let Some(row) = self.weights.get(f) else { continue };
            for (s, w) in scores.iter_mut().zip(row) {
                *s += if averaged { (w.total + w.value * (self.steps - w.stamp) as f64) / steps } else { w.value };
            }
        }
    }

    /// Greedy decoding of a sentence, left to right: `visit(token, its features, the tags' scores)` returns the
    /// tag chosen, which the next tokens see.
    fn decode(&self, words: &[&str], mut visit: impl FnMut(usize, &[u64; 13], &[f64]) -> usize) -> Vec<usize> {
        let (sentence, tag_features) = (SentenceFeatures::of(words), self.tag_features());
        let mut scores = vec![0.0f64; self.tags.len()];
        let mut chosen: Vec<usize> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let features = sentence.after(tag_features, i, &chosen);
            self.scores(&features, true, &mut scores);
            chosen.push(visit(i, &features, &scores));
        }
        chosen
    }

    /// The tags of `words` by the averaged weights (what suggestions use).
    pub fn tag(&self, words: &[&str]) -> Vec<usize> {
        self.decode(words, |_, _, scores| Self::best(scores))
    }

    /// How sure the tagger is of `words`: the smallest margin, over the tokens greedily tagged with the averaged
    /// weights, between the best tag's score and the second best's (margin sampling, Scheffer, Decomain & Wrobel
    /// 2001, "Active hidden Markov models for information extraction", IDA; taken at its least sure token, the
    /// token-level form Settles & Craven 2008 compare for sequences, "An analysis of active learning strategies for
    /// sequence labeling tasks", EMNLP §3). Small is unsure; `None` for no words or fewer than two tags.
    pub fn least_margin(&self, words: &[&str]) -> Option<f64> {
        if words.is_empty() || self.tags.len() < 2 {
            return None;
        }
        let mut least = f64::INFINITY;
        self.decode(words, |_, _, scores| {
            let best = Self::best(scores);
            let second =
                scores.iter().enumerate().filter(|(t, _)| *t != best).map(|(_, &s)| s).fold(f64::MIN, f64::max);
            least = least.min(scores[best] - second);
            best
        });
        Some(least)
    }

    /// One pass over a sentence with its true tags: greedy decoding with the current weights, and a perceptron
    /// update at each wrong token. Returns the number of wrong tokens.
    pub fn train(&mut self, words: &[&str], truth: &[usize]) -> usize {
        assert_eq!(words.len(), truth.len(), "a tag per word");
        let sentence = SentenceFeatures::of(words);
        // Taken out while the weights change beside it, and put back after.
        let tag_features = self.tag_features.take().unwrap_or_else(|| TagFeatures::of(&self.tags));
        let mut scores = vec![0.0f64; self.tags.len()];
        let mut wrong = 0;
        let mut chosen: Vec<usize> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let features = sentence.after(&tag_features, i, &chosen);
            self.scores(&features, false, &mut scores);
            let guess = Self::best(&scores);
            self.steps += 1;
            if guess != truth[i] {
                wrong += 1;
                for f in &features {
                    self.change(*f, truth[i], 1.0);
                    self.change(*f, guess, -1.0);
                }
            }
            // The next token sees this guess, as it will when tagging (Honnibal 2013).
            chosen.push(guess);
        }
        self.tag_features = OnceCell::from(tag_features);
        wrong
    }

    /// Every averaged weight that is not zero, as (feature hash, tag, weight), sorted (for exports).
    pub fn averaged_weights(&self) -> Vec<(u64, usize, f64)> {
        let steps = self.steps.max(1) as f64;
        let mut out: Vec<(u64, usize, f64)> = self
            .weights
            .iter()
            .flat_map(|(&f, row)| {
                row.iter()
                    .enumerate()
                    .map(move |(t, w)| (f, t, (w.total + w.value * (self.steps - w.stamp) as f64) / steps))
            })
            .filter(|(_, _, w)| *w != 0.0)
            .collect();
        out.sort_by_key(|a| (a.0, a.1));
        out
    }

    fn change(&mut self, feature: u64, tag: usize, by: f64) {
        let (steps, n) = (self.steps, self.tags.len());
        let w = &mut self.weights.entry(feature).or_insert_with(|| vec![Weight::default(); n])[tag];
        w.total += w.value * (steps - w.stamp) as f64;
        w.stamp = steps;
        w.value += by;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The features hashed piece by piece, once per sentence, are [`token_features`]' hashes of their texts: for
    /// every token (edges, one-letter words, accents, digits and punctuation) and every pair of previous tags.
    #[test]
    fn features_hashed_in_pieces_equal_the_hashes_of_their_texts() {
        let tags: Vec<String> = ["O", "B-PER", "I-PER"].iter().map(|s| s.to_string()).collect();
        let t = TagFeatures::of(&tags);
        let names: Vec<&str> = tags.iter().map(String::as_str).chain(["<start>"]).collect();
        for sentence in ["Ada Lovelace met É. Zürich-Ost on 12/03, a Monday", "x", "I am", "ÅSA 2nd ½ üben"] {
            let words: Vec<&str> = sentence.split(' ').collect();
            let s = SentenceFeatures::of(&words);
            for i in 0..words.len() {
                for (p, previous) in names.iter().enumerate() {
                    for (b, before) in names.iter().enumerate() {
                        let fast = s.of_token(&t, i, p, b);
                        assert_eq!(fast.to_vec(), token_features(&words, i, previous, before), "{sentence}: {i}");
                    }
                }
            }
        }
    }
}
