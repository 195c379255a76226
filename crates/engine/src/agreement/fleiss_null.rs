//! The standard error of Fleiss' κ under the null hypothesis κ = 0 (Fleiss, Nee & Landis 1979, "Large sample
//! variance of kappa in the case of different sets of raters", Psychol. Bull. 86(5), 974–977) — the test of κ against
//! chance that R's `irr::kappam.fleiss` reports as z.
//!
//! For N items with m ratings each and category shares `p_j` (`q_j = 1 − p_j`):
//! `Var₀(κ) = 2 / (N m (m − 1)) · [(Σ_j p_j q_j)² − Σ_j p_j q_j (q_j − p_j)] / (Σ_j p_j q_j)²`, and `z = κ / SE₀`.

use serde::{Deserialize, Serialize};

use super::fleiss::Fleiss;

/// Fleiss' κ against chance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FleissNullTest {
    /// The standard error of κ when agreement is by chance alone.
    pub std_error_null: f64,
    /// κ / SE₀: standard normal under the null.
    pub z: f64,
}

/// The test for a Fleiss' κ computed over `items` items; `None` when the shares leave no variance (one category).
pub fn fleiss_null_test(f: &Fleiss, items: usize) -> Option<FleissNullTest> {
    let (n, m) = (items as f64, f64::from(f.raters));
    let pq: f64 = f.p_j.iter().map(|p| p * (1.0 - p)).sum();
    if items == 0 || m < 2.0 || pq <= 0.0 {
        return None;
    }
    let skew: f64 = f.p_j.iter().map(|p| p * (1.0 - p) * ((1.0 - p) - p)).sum();
    let var = 2.0 / (n * m * (m - 1.0)) * (pq * pq - skew) / (pq * pq);
    let se = var.sqrt();
    (se > 0.0).then(|| FleissNullTest { std_error_null: se, z: f.kappa / se })
}
