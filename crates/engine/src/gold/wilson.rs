//! The Wilson score interval for a binomial proportion (Wilson 1927, "Probable inference, the law of succession,
//! and statistical inference", JASA 22(158)):
//! `(p̂ + z²/2n ± z √(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n)`. Unlike the normal approximation it stays inside [0, 1]
//! and behaves at p̂ = 0 or 1, which is exactly where annotator accuracy often sits.

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959963984540054;

/// The interval for `successes` of `n` at the given z; None for n = 0.
pub fn wilson_interval(successes: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (n, p) = (n as f64, successes as f64 / n as f64);
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_intervals() {
        // 0 of 10: the upper bound is z²/(n + z²) = 0.2775 (Wilson's closed form at p̂ = 0).
        let (lo, hi) = wilson_interval(0, 10, Z95).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - Z95 * Z95 / (10.0 + Z95 * Z95)).abs() < 1e-12);
        assert!((hi - 0.2775).abs() < 5e-5);
        // Symmetry: x of n mirrors n − x of n.
        let (a, b) = wilson_interval(8, 10, Z95).unwrap();
        let (c, d) = wilson_interval(2, 10, Z95).unwrap();
        assert!((a - (1.0 - d)).abs() < 1e-12 && (b - (1.0 - c)).abs() < 1e-12);
        // 8 of 10: 0.4902 to 0.9433 (statsmodels proportion_confint(8, 10, method="wilson")).
        assert!((a - 0.4902).abs() < 5e-5 && (b - 0.9433).abs() < 5e-5, "{a} {b}");
        assert_eq!(wilson_interval(0, 0, Z95), None);
    }
}
