//! A queue's texts read once for ranking. A text's score for class c is b_c + w_c · x with x its n-gram counts at
//! unit norm, and that sum is linear in the n-grams' occurrences: w_c · x = (1/‖counts‖) Σ_occurrences w_c,bucket.
//! A word's unigram and character n-grams are the same wherever it stands, so each distinct word's share is summed
//! once per ranking, and a text costs one row per word and one per longer word n-gram instead of every n-gram
//! hashed again. Re-ranking a queue of 100,000 texts after each label is the reason.

use std::collections::HashMap;

use super::features::{counted_norm, words_of, TextFeatures};
use super::logistic::OnlineLogistic;

/// The texts of a queue as distinct words and word-n-gram buckets, with each text's norm.
#[derive(Debug, Clone, PartialEq)]
pub struct TextIndex {
    features: TextFeatures,
    /// Each distinct word's buckets (its unigram and character n-grams): `word_buckets[word_starts[w]..word_starts[w + 1]]`.
    word_starts: Vec<u32>,
    word_buckets: Vec<u32>,
    /// Each text's words (ids into the above) and its longer word n-grams' buckets, back to back:
    /// `text_items[text_starts[t]..text_starts[t] + text_words[t]]` are word ids, the rest up to `text_starts[t + 1]`
    /// buckets.
    text_starts: Vec<u32>,
    text_words: Vec<u32>,
    text_items: Vec<u32>,
    /// 1 / ‖counts‖ of each text (0 for a text with no word: its score is the bias alone); `None` for a task
    /// without a text.
    inverse_norms: Vec<Option<f64>>,
}

impl TextIndex {
    /// Reads `texts` (one per task, `None` for a task without one) as `features` would.
    pub fn build<'a>(features: TextFeatures, texts: impl IntoIterator<Item = Option<&'a str>>) -> TextIndex {
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut index = TextIndex {
            features,
            word_starts: vec![0],
            word_buckets: Vec::new(),
            text_starts: vec![0],
            text_words: Vec::new(),
            text_items: Vec::new(),
            inverse_norms: Vec::new(),
        };
        let (mut padded, mut all) = (Vec::new(), Vec::new());
        for text in texts {
            let Some(text) = text else {
                index.text_starts.push(index.text_items.len() as u32);
                index.text_words.push(0);
                index.inverse_norms.push(None);
                continue;
            };
            let lower = text.to_lowercase();
            let words = words_of(&lower);
            all.clear();
            for w in &words {
                let id = match vocabulary.get(*w) {
                    Some(&id) => id,
                    None => {
                        let id = vocabulary.len() as u32;
                        features.push_word_buckets(w, &mut padded, &mut index.word_buckets);
                        index.word_starts.push(index.word_buckets.len() as u32);
                        vocabulary.insert((*w).to_string(), id);
                        id
                    }
                };
                index.text_items.push(id);
                all.extend_from_slice(index.word(id));
            }
            let phrases = index.text_items.len();
            features.push_phrase_buckets(&words, &mut index.text_items);
            all.extend_from_slice(&index.text_items[phrases..]);
            let norm = counted_norm(&mut all);
            index.text_words.push(words.len() as u32);
            index.text_starts.push(index.text_items.len() as u32);
            index.inverse_norms.push(Some(if norm > 0.0 { 1.0 / norm } else { 0.0 }));
        }
        index
    }

    /// The number of texts (tasks) read.
    pub fn len(&self) -> usize {
        self.inverse_norms.len()
    }

    /// Whether it read no task.
    pub fn is_empty(&self) -> bool {
        self.inverse_norms.is_empty()
    }

    /// The features it was read with.
    pub fn features(&self) -> TextFeatures {
        self.features
    }

    fn word(&self, id: u32) -> &[u32] {
        &self.word_buckets[self.word_starts[id as usize] as usize..self.word_starts[id as usize + 1] as usize]
    }

    /// Each task's class scores (b + W·x) under `model`, in task order, passed to `each` with the task's index
    /// (tasks for which `skip` holds, and tasks without a text, are not scored).
    pub fn scores(&self, model: &OnlineLogistic, skip: impl Fn(usize) -> bool, mut each: impl FnMut(usize, &[f64])) {
        let classes = model.classes();
        let add = |sums: &mut [f64], row: &[f32]| sums.iter_mut().zip(row).for_each(|(s, w)| *s += f64::from(*w));
        let add_sums = |sums: &mut [f64], row: &[f64]| sums.iter_mut().zip(row).for_each(|(s, w)| *s += w);
        let words = self.word_starts.len() - 1;
        let mut word_sums = vec![0.0f64; words * classes];
        for (w, sums) in word_sums.chunks_exact_mut(classes.max(1)).enumerate().take(words) {
            for &b in self.word(w as u32) {
                add(sums, model.row(b));
            }
        }
        let mut sums = vec![0.0f64; classes];
        for t in 0..self.len() {
            let Some(inverse_norm) = self.inverse_norms[t] else { continue };
            if skip(t) {
                continue;
            }
            sums.iter_mut().for_each(|s| *s = 0.0);
            let (start, end) = (self.text_starts[t] as usize, self.text_starts[t + 1] as usize);
            let split = start + self.text_words[t] as usize;
            for &w in &self.text_items[start..split] {
                add_sums(&mut sums, &word_sums[w as usize * classes..(w as usize + 1) * classes]);
            }
            for &b in &self.text_items[split..end] {
                add(&mut sums, model.row(b));
            }
            for (s, b) in sums.iter_mut().zip(model.biases()) {
                *s = b + *s * inverse_norm;
            }
            each(t, &sums);
        }
    }
}
