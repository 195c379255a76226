//! A greedy averaged-perceptron sequence tagger (Collins 2002, "Discriminative training methods for hidden Markov
//! models: theory and experiments with perceptron algorithms", EMNLP; the greedy, left-to-right form of Honnibal's
//! 2013 "A good part-of-speech tagger in about 200 lines of Python"). Each token's tag is the argmax over tags of the
//! summed weights of its features; the features see the words around it and the two tags already chosen. On a wrong
//! guess the truth's weights rise by 1 and the guess's fall by 1; predictions use the weights averaged over every
//! step (lazily: each weight keeps its running total and when it last changed).
//!
//! Tags are BIO over the tokens Concord snaps spans to (`B-PER`, `I-PER`, `O`): spans in, spans out, elsewhere.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::features::fnv1a;

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Weight {
    value: f64,
    /// Σ value over steps, up to `stamp`.
    total: f64,
    stamp: u64,
}

/// The tagger: its tags and, per (feature, tag), a weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AveragedPerceptron {
    tags: Vec<String>,
    weights: HashMap<(u64, u16), Weight>,
    /// Updates made (one per token trained on).
    steps: u64,
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
    let shape: String = {
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
    };
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
        AveragedPerceptron { tags, weights: HashMap::new(), steps: 0 }
    }

    /// The tags, in index order.
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    fn score(&self, features: &[u64], averaged: bool) -> usize {
        let scores = self.scores(features, averaged);
        // The first best (lowest index) on a tie: deterministic.
        scores.iter().enumerate().fold((0, f64::MIN), |best, (t, &s)| if s > best.1 { (t, s) } else { best }).0
    }

    /// Every tag's score of a token's features.
    fn scores(&self, features: &[u64], averaged: bool) -> Vec<f64> {
        let mut scores = vec![0.0f64; self.tags.len()];
        for f in features {
            for (t, s) in scores.iter_mut().enumerate() {
                if let Some(w) = self.weights.get(&(*f, t as u16)) {
                    *s += if averaged {
                        (w.total + w.value * (self.steps - w.stamp) as f64) / self.steps.max(1) as f64
                    } else {
                        w.value
                    };
                }
            }
        }
        scores
    }

    fn tag_with(&self, words: &[&str], averaged: bool) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let prev = out.last().map_or("<start>", |&t| self.tags[t].as_str());
            let prev2 = if i >= 2 { self.tags[out[i - 2]].as_str() } else { "<start>" };
            out.push(self.score(&token_features(words, i, prev, prev2), averaged));
        }
        out
    }

    /// The tags of `words` by the averaged weights (what suggestions use).
    pub fn tag(&self, words: &[&str]) -> Vec<usize> {
        self.tag_with(words, true)
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
        let mut chosen: Vec<usize> = Vec::with_capacity(words.len());
        let mut least = f64::INFINITY;
        for i in 0..words.len() {
            let prev = chosen.last().map_or("<start>", |&t| self.tags[t].as_str());
            let prev2 = if i >= 2 { self.tags[chosen[i - 2]].as_str() } else { "<start>" };
            let scores = self.scores(&token_features(words, i, prev, prev2), true);
            let (best, top) =
                scores.iter().enumerate().fold((0, f64::MIN), |b, (t, &s)| if s > b.1 { (t, s) } else { b });
            let second =
                scores.iter().enumerate().filter(|(t, _)| *t != best).map(|(_, &s)| s).fold(f64::MIN, f64::max);
            least = least.min(top - second);
            chosen.push(best);
        }
        Some(least)
    }

    /// One pass over a sentence with its true tags: greedy decoding with the current weights, and a perceptron
    /// update at each wrong token. Returns the number of wrong tokens.
    pub fn train(&mut self, words: &[&str], truth: &[usize]) -> usize {
        assert_eq!(words.len(), truth.len(), "a tag per word");
        let mut wrong = 0;
        let mut chosen: Vec<usize> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let prev = chosen.last().map_or("<start>", |&t| self.tags[t].as_str()).to_string();
            let prev2 = if i >= 2 { self.tags[chosen[i - 2]].clone() } else { "<start>".to_string() };
            let features = token_features(words, i, &prev, &prev2);
            let guess = self.score(&features, false);
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
        wrong
    }

    /// Every averaged weight that is not zero, as (feature hash, tag, weight), sorted (for exports).
    pub fn averaged_weights(&self) -> Vec<(u64, usize, f64)> {
        let mut out: Vec<(u64, usize, f64)> = self
            .weights
            .iter()
            .map(|(&(f, t), w)| {
                (f, t as usize, (w.total + w.value * (self.steps - w.stamp) as f64) / self.steps.max(1) as f64)
            })
            .filter(|(_, _, w)| *w != 0.0)
            .collect();
        out.sort_by_key(|a| (a.0, a.1));
        out
    }

    fn change(&mut self, feature: u64, tag: usize, by: f64) {
        let steps = self.steps;
        let w = self.weights.entry((feature, tag as u16)).or_default();
        w.total += w.value * (steps - w.stamp) as f64;
        w.stamp = steps;
        w.value += by;
    }
}
