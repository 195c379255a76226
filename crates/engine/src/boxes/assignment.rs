//! Optimal one-to-one assignment (Kuhn 1955, "The Hungarian method for the assignment problem", Naval Research
//! Logistics Quarterly 2; the O(n²·m) shortest-augmenting-path form with potentials, Jonker & Volgenant 1987).

/// Minimises `Σ cost[i][assigned(i)]` over rows `0..n` assigned to distinct columns `0..m`, `n ≤ m`.
/// `cost` is row-major `n × m`. Returns the column of each row.
pub fn assign_min(cost: &[f64], n: usize, m: usize) -> Vec<usize> {
    assert!(n <= m, "more rows than columns: transpose first");
    assert_eq!(cost.len(), n * m);
    // 1-based arrays, column 0 is the virtual start.
    let inf = f64::INFINITY;
    let (mut u, mut v) = (vec![0.0; n + 1], vec![0.0; m + 1]);
    let mut p = vec![0usize; m + 1]; // p[j]: row assigned to column j
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![inf; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let (mut delta, mut j1) = (inf, 0);
            for j in 1..=m {
                if !used[j] {
                    let cur = cost[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut out = vec![0usize; n];
    for j in 1..=m {
        if p[j] > 0 {
            out[p[j] - 1] = j - 1;
        }
    }
    out
}

/// Pairs `(i, j)` of a maximum-weight matching of an `n × m` weight matrix, keeping only pairs with weight > 0.
pub fn max_weight_pairs(weight: &[f64], n: usize, m: usize) -> Vec<(usize, usize)> {
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let pairs: Vec<(usize, usize)> = if n <= m {
        let cost: Vec<f64> = weight.iter().map(|w| -w).collect();
        assign_min(&cost, n, m).into_iter().enumerate().collect()
    } else {
        let mut cost = vec![0.0; n * m];
        for i in 0..n {
            for j in 0..m {
                cost[j * n + i] = -weight[i * m + j];
            }
        }
        assign_min(&cost, m, n).into_iter().enumerate().map(|(j, i)| (i, j)).collect()
    };
    pairs.into_iter().filter(|&(i, j)| weight[i * m + j] > 0.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exhaustive search over permutations, for small matrices.
    fn brute(weight: &[f64], n: usize, m: usize) -> f64 {
        fn go(w: &[f64], n: usize, m: usize, i: usize, used: &mut Vec<bool>) -> f64 {
            if i == n {
                return 0.0;
            }
            let mut best = go(w, n, m, i + 1, used); // row i unmatched
            for j in 0..m {
                if !used[j] {
                    used[j] = true;
                    best = best.max(w[i * m + j] + go(w, n, m, i + 1, used));
                    used[j] = false;
                }
            }
            best
        }
        go(weight, n, m, 0, &mut vec![false; m])
    }

    #[test]
    fn matches_brute_force_on_random_matrices() {
        let mut rng = crate::rng::SplitMix64::new(9);
        for _ in 0..300 {
            let (n, m) = (1 + rng.below(5), 1 + rng.below(5));
            let w: Vec<f64> = (0..n * m).map(|_| if rng.unit() < 0.3 { 0.0 } else { rng.unit() }).collect();
            let pairs = max_weight_pairs(&w, n, m);
            let total: f64 = pairs.iter().map(|&(i, j)| w[i * m + j]).sum();
            assert!((total - brute(&w, n, m)).abs() < 1e-9, "{n}x{m} {w:?}");
            let mut cols: Vec<_> = pairs.iter().map(|p| p.1).collect();
            cols.sort();
            cols.dedup();
            assert_eq!(cols.len(), pairs.len(), "one to one");
        }
    }
}
