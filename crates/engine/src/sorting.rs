//! Sorting with one compiled sort per element type. The standard library's sorts are generic over the comparator,
//! so every call site with its own closure gets its own copy of the whole algorithm — 550 copies, 140 KB of the
//! JavaScript package's wasm before this. Passing the comparator as `&mut dyn FnMut` leaves one copy per element
//! type, at the price of an indirect call per comparison (none of these sorts is on a hot path: the measures run
//! over pre-grouped tables). All sorts here are stable.

use std::cmp::Ordering;

/// Where the pair of `a` and `b` (names in either order) is in `pairs`, which are sorted by `(first, second)` with
/// `first ≤ second` — how every pairwise report lists its annotator pairs.
pub fn find_pair<T>(pairs: &[T], names: impl Fn(&T) -> (&str, &str), a: &str, b: &str) -> Option<usize> {
    let key = if a <= b { (a, b) } else { (b, a) };
    pairs.binary_search_by(|p| names(p).cmp(&key)).ok()
}

/// Sorts through one compiled sort per element type (a comparison or key closure is called through a `&mut dyn`), not one per call site.
pub trait LeanSort<T> {
    /// Sorts by a comparison.
    fn lean_sort_by(&mut self, cmp: impl FnMut(&T, &T) -> Ordering);
    /// Sorts by a key.
    fn lean_sort_by_key<K: Ord>(&mut self, key: impl FnMut(&T) -> K);
    /// Sorts by the elements' order.
    fn lean_sort(&mut self)
    where
        T: Ord;
}

impl<T> LeanSort<T> for [T] {
    fn lean_sort_by(&mut self, mut cmp: impl FnMut(&T, &T) -> Ordering) {
        let cmp: &mut dyn FnMut(&T, &T) -> Ordering = &mut cmp;
        self.sort_by(|a, b| cmp(a, b));
    }
    fn lean_sort_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        self.lean_sort_by(|a, b| key(a).cmp(&key(b)));
    }
    fn lean_sort(&mut self)
    where
        T: Ord,
    {
        self.lean_sort_by(|a, b| a.cmp(b));
    }
}
