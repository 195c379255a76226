//! How unsure a prediction is (Settles 2009, "Active Learning Literature Survey", §3.1, uncertainty sampling). Each
//! takes class probabilities summing to 1 and returns a score that is higher for a less certain prediction, so an
//! uncertain-first queue sorts by it descending.

/// Least confidence: 1 − max p.
pub fn least_confidence(p: &[f64]) -> f64 {
    1.0 - p.iter().copied().fold(0.0, f64::max)
}

/// Margin: 1 − (p₁ − p₂), where p₁ ≥ p₂ are the two largest (a narrow margin is uncertain).
pub fn margin(p: &[f64]) -> f64 {
    let (mut first, mut second) = (0.0f64, 0.0f64);
    for &x in p {
        if x > first {
            second = first;
            first = x;
        } else if x > second {
            second = x;
        }
    }
    1.0 - (first - second)
}

/// Entropy: −Σ p ln p (nats; 0 ln 0 = 0).
pub fn entropy(p: &[f64]) -> f64 {
    -p.iter().filter(|x| **x > 0.0).map(|x| x * x.ln()).sum::<f64>()
}
