//! Sorting with one compiled sort for the whole program. The standard library's sorts are generic over the element
//! type and the comparator, so every call site with its own closure gets its own copy of the whole algorithm
//! (about 5 KB of wasm each; 550 copies, 140 KB of the JavaScript package's wasm, before this). Here the sort runs on
//! `u32` positions with the comparison behind a `&mut dyn FnMut`, and the slice is then permuted in place: one copy
//! of the algorithm, at the price of an indirect call per comparison and a positions buffer (none of these sorts is
//! on a hot path: the measures run over pre-grouped tables; the learners' per-example sorts keep the standard
//! library's). All sorts here are stable.

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
        if self.len() < 2 {
            return;
        }
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        {
            let items: &[T] = self;
            sort_positions(&mut order, &mut |a, b| cmp(&items[a as usize], &items[b as usize]));
        }
        permute(self, &mut order);
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

/// The one compiled sort: positions ordered by `cmp`, stably.
#[inline(never)]
fn sort_positions(order: &mut [u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Sorts `ids` stably by `key`, ascending: a least-significant-digit radix sort, 16 bits a pass, O(n) with no
/// comparisons (passes whose digit is the same for every id are skipped). For the hot sorts over hundreds of
/// thousands of ids on the page's thread, where an indirect comparison per step costs too much.
pub fn radix_sort_by_key(ids: &mut [u32], key: impl Fn(u32) -> u64) {
    if ids.len() < 2 {
        return;
    }
    let mut keyed: Vec<(u64, u32)> = ids.iter().map(|&id| (key(id), id)).collect();
    let mut spare = keyed.clone();
    for pass in 0..4 {
        let shift = 16 * pass;
        let digit = |k: u64| ((k >> shift) & 0xffff) as usize;
        let first = digit(keyed[0].0);
        if keyed.iter().all(|&(k, _)| digit(k) == first) {
            continue;
        }
        let mut start = vec![0usize; 1 << 16];
        for &(k, _) in &keyed {
            start[digit(k)] += 1;
        }
        let mut at = 0;
        for slot in start.iter_mut() {
            (*slot, at) = (at, at + *slot);
        }
        for &(k, id) in &keyed {
            let d = digit(k);
            spare[start[d]] = (k, id);
            start[d] += 1;
        }
        std::mem::swap(&mut keyed, &mut spare);
    }
    for (slot, (_, id)) in ids.iter_mut().zip(keyed) {
        *slot = id;
    }
}

/// `x`'s place in [`f64::total_cmp`]'s order as an unsigned key: negative values have every bit flipped, the
/// others their sign bit (IEEE 754's total order, §5.10).
pub fn total_order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// Puts `items[order[k]]` at `k` for every `k`, in place, by following each cycle of the permutation with swaps;
/// `order` is used up (each visited slot marked).
fn permute<T>(items: &mut [T], order: &mut [u32]) {
    const DONE: u32 = u32::MAX;
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = std::mem::replace(&mut order[at], DONE);
            if from == DONE || from as usize == start {
                break;
            }
            items.swap(at, from as usize);
            at = from as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sorted like the standard library's stable sort, on random keys with many ties (stability shows in the
    /// second field).
    #[test]
    fn lean_sort_matches_the_standard_stable_sort() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for n in [0usize, 1, 2, 3, 7, 20, 64, 257, 1000] {
            let items: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    ((state % 5) as u8, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|p| p.0);
            let mut lean = items.clone();
            lean.lean_sort_by_key(|p| p.0);
            assert_eq!(lean, expected, "n = {n}");
            let mut whole = items;
            whole.lean_sort();
            let mut std_whole = lean.clone();
            std_whole.sort();
            assert_eq!(whole, std_whole, "n = {n}");
        }
    }

    /// The radix sort orders like the standard stable sort by the same key, ties in input order, on keys that
    /// differ in every 16-bit digit and on keys that share most of them; the float key orders like `total_cmp`.
    #[test]
    fn radix_sort_matches_the_standard_stable_sort() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for (n, mask) in [(0usize, u64::MAX), (1, u64::MAX), (500, u64::MAX), (3000, 0xff), (3000, 0xff_0000_0000)] {
            let keys: Vec<u64> = (0..n).map(|_| next() & mask).collect();
            let mut ids: Vec<u32> = (0..n as u32).rev().collect();
            let mut expected = ids.clone();
            expected.sort_by_key(|&i| keys[i as usize]);
            radix_sort_by_key(&mut ids, |i| keys[i as usize]);
            assert_eq!(ids, expected, "n = {n}, mask = {mask:x}");
        }
        let floats = [0.5, -0.0, 0.0, f64::NAN, -2.5, f64::INFINITY, -f64::INFINITY, 1e-300, -1e-300, 0.25];
        let mut ids: Vec<u32> = (0..floats.len() as u32).collect();
        let mut expected = ids.clone();
        expected.sort_by(|&a, &b| floats[a as usize].total_cmp(&floats[b as usize]));
        radix_sort_by_key(&mut ids, |i| total_order_key(floats[i as usize]));
        assert_eq!(ids, expected);
    }

    #[test]
    fn lean_sort_moves_values_without_copies() {
        let mut names: Vec<String> = ["pear", "fig", "apple", "kiwi", "fig"].iter().map(|s| s.to_string()).collect();
        names.lean_sort();
        assert_eq!(names, ["apple", "fig", "fig", "kiwi", "pear"]);
    }
}
