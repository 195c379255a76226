//! Scott's pi (Scott 1955, "Reliability of content analysis: the case of nominal scale coding", Public Opinion
//! Quarterly 19(3)): like Cohen's kappa, but chance agreement comes from the pooled marginals of both annotators:
//! `p_e = Σ_k ((r_k + c_k) / 2n)²`.

use super::cohen::kappa;
use super::pair_table::PairTable;

/// Scott's π of the two annotators in `t`; None when chance agreement is 1.
pub fn scott_pi(t: &PairTable) -> Option<f64> {
    if t.n == 0 {
        return None;
    }
    let n = t.n as f64;
    let p_o = t.agreements() as f64 / n;
    let (r, c) = (t.rows(), t.cols());
    let p_e: f64 = r.iter().zip(&c).map(|(&a, &b)| ((a + b) as f64 / (2.0 * n)).powi(2)).sum();
    kappa(p_o, p_e)
}
