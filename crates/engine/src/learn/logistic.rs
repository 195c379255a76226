//! Multinomial logistic regression trained online, one example at a time, by AdaGrad (Duchi, Hazan & Singer 2011,
//! "Adaptive subgradient methods for online learning and stochastic optimization", JMLR 12) with L2 regularisation.
//!
//! For an example x (sparse) of class y, with scores s_c = w_c · x + b_c and p = softmax(s), the loss is
//! ℓ = −ln p_y + (λ/2) Σ_c Σ_{j ∈ x} w_cj² (the L2 term on the features the example touches: the lazy, sparse form
//! of the penalty). Its gradient is ∂ℓ/∂w_cj = (p_c − [c = y]) x_j + λ w_cj and ∂ℓ/∂b_c = p_c − [c = y]. AdaGrad
//! keeps G = Σ g² per weight and steps w ← w − η g / (√G + ε). Weights start at zero, so the model is the same for the
//! same examples in the same order.

use serde::{Deserialize, Serialize};

use super::features::SparseVector;

/// The learning settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LogisticSettings {
    /// η, AdaGrad's step size.
    pub learning_rate: f64,
    /// λ, the L2 penalty.
    pub l2: f64,
}

impl Default for LogisticSettings {
    fn default() -> Self {
        LogisticSettings { learning_rate: 0.5, l2: 1e-4 }
    }
}

const EPSILON: f64 = 1e-8;

/// A multinomial logistic regression over `classes` classes and `dimension` features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnlineLogistic {
    /// The settings it learns with.
    pub settings: LogisticSettings,
    classes: usize,
    dimension: usize,
    /// Weights, feature-major: w[j · classes + c] (a feature's classes side by side: scoring a sparse vector reads
    /// one cache line per feature, not one per feature and class).
    weights: Vec<f32>,
    bias: Vec<f64>,
    /// AdaGrad's sums of squared gradients, in the weights' layout.
    squares: Vec<f32>,
    bias_squares: Vec<f64>,
    /// Updates made (with rehearsal, each example is learned from more than once).
    pub seen: u64,
}

impl OnlineLogistic {
    /// A model with every weight zero (it predicts the uniform distribution).
    pub fn new(classes: usize, dimension: usize, settings: LogisticSettings) -> OnlineLogistic {
        OnlineLogistic {
            settings,
            classes,
            dimension,
            weights: vec![0.0; classes * dimension],
            bias: vec![0.0; classes],
            squares: vec![0.0; classes * dimension],
            bias_squares: vec![0.0; classes],
            seen: 0,
        }
    }

    /// The number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Where weight (class `c`, feature `j`) is kept.
    fn at(&self, c: usize, j: u32) -> usize {
        j as usize * self.classes + c
    }

    /// The class probabilities of `x`.
    pub fn probabilities(&self, x: &SparseVector) -> Vec<f64> {
        // Each class's sum in the order of x, whatever the layout: the same bits as a class-by-class loop.
        let mut sums = vec![0.0f64; self.classes];
        for &(j, v) in x {
            for (s, w) in sums.iter_mut().zip(self.row(j)) {
                *s += f64::from(*w) * f64::from(v);
            }
        }
        let scores: Vec<f64> = self.bias.iter().zip(&sums).map(|(b, s)| b + s).collect();
        softmax(&scores)
    }

    /// The most probable class and its probability (the lowest class index on a tie).
    pub fn predict(&self, x: &SparseVector) -> (usize, f64) {
        let p = self.probabilities(x);
        p.iter().enumerate().fold((0, f64::MIN), |best, (c, &q)| if q > best.1 { (c, q) } else { best })
    }

    /// ℓ for `x` of class `y` (see the module's formula).
    pub fn loss(&self, x: &SparseVector, y: usize) -> f64 {
        self.loss_at(&self.probabilities(x), x, y)
    }

    fn loss_at(&self, p: &[f64], x: &SparseVector, y: usize) -> f64 {
        let penalty: f64 = (0..self.classes)
            .flat_map(|c| x.iter().map(move |&(j, _)| (c, j)))
            .map(|(c, j)| f64::from(self.weights[self.at(c, j)]).powi(2))
            .sum();
        -p[y].max(f64::MIN_POSITIVE).ln() + self.settings.l2 / 2.0 * penalty
    }

    /// ∂ℓ/∂w_cj for every class and feature of `x`, as (class, feature, gradient), and ∂ℓ/∂b.
    pub fn gradient(&self, x: &SparseVector, y: usize) -> (Vec<(usize, u32, f64)>, Vec<f64>) {
        self.gradient_at(&self.probabilities(x), x, y)
    }

    fn gradient_at(&self, p: &[f64], x: &SparseVector, y: usize) -> (Vec<(usize, u32, f64)>, Vec<f64>) {
        let mut weights = Vec::with_capacity(self.classes * x.len());
        let mut bias = Vec::with_capacity(self.classes);
        for (c, pc) in p.iter().enumerate() {
            let residual = pc - if c == y { 1.0 } else { 0.0 };
            bias.push(residual);
            for &(j, v) in x {
                let w = f64::from(self.weights[self.at(c, j)]);
                weights.push((c, j, residual * f64::from(v) + self.settings.l2 * w));
            }
        }
        (weights, bias)
    }

    /// One AdaGrad step on `x` of class `y` (its loss before the step is [`OnlineLogistic::loss`]).
    pub fn update(&mut self, x: &SparseVector, y: usize) {
        assert!(y < self.classes, "class {y} of {}", self.classes);
        let p = self.probabilities(x);
        let (eta, l2) = (self.settings.learning_rate, self.settings.l2);
        // In place, with no gradient list: weight (c, j)'s gradient reads only p and that weight, so stepping each as
        // it is reached gives the same bits as `gradient` then a step.
        for &(j, v) in x {
            let row = j as usize * self.classes;
            for (c, pc) in p.iter().enumerate() {
                let k = row + c;
                let residual = pc - if c == y { 1.0 } else { 0.0 };
                let w = f64::from(self.weights[k]);
                let g = residual * f64::from(v) + l2 * w;
                let sq = f64::from(self.squares[k]) + g * g;
                self.squares[k] = sq as f32;
                self.weights[k] = (w - eta * g / (sq.sqrt() + EPSILON)) as f32;
            }
        }
        for (c, pc) in p.iter().enumerate() {
            let g = pc - if c == y { 1.0 } else { 0.0 };
            self.bias_squares[c] += g * g;
            self.bias[c] -= eta * g / (self.bias_squares[c].sqrt() + EPSILON);
        }
        self.seen += 1;
    }

    /// Feature `j`'s weights, by class.
    pub fn row(&self, j: u32) -> &[f32] {
        &self.weights[self.at(0, j)..self.at(0, j) + self.classes]
    }

    /// The biases, by class.
    pub fn biases(&self) -> &[f64] {
        &self.bias
    }

    /// Every non-zero weight as (class, feature, weight), class by class, features ascending.
    pub fn nonzero_weights(&self) -> Vec<(usize, u32, f32)> {
        let mut out: Vec<(usize, u32, f32)> = self
            .weights
            .iter()
            .enumerate()
            .filter(|(_, w)| **w != 0.0)
            .map(|(k, w)| (k % self.classes, (k / self.classes) as u32, *w))
            .collect();
        out.sort_by_key(|&(c, j, _)| (c, j));
        out
    }

    /// A weight, for tests and exports.
    pub fn weight(&self, class: usize, feature: u32) -> f64 {
        f64::from(self.weights[self.at(class, feature)])
    }

    /// Sets a weight (finite-difference checks perturb one at a time).
    pub fn set_weight(&mut self, class: usize, feature: u32, value: f64) {
        let k = self.at(class, feature);
        self.weights[k] = value as f32;
    }
}

/// softmax, shifted by the maximum so no exponent overflows.
fn softmax(scores: &[f64]) -> Vec<f64> {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exp: Vec<f64> = scores.iter().map(|s| libm::exp(s - max)).collect();
    let total: f64 = exp.iter().sum();
    exp.into_iter().map(|e| e / total).collect()
}
