//! One stable sort for the whole app.
//!
//! Every `slice::sort_by` call site is its own copy of the standard library's sort (about 3.7 kB
//! of wasm each, sixteen of them in the dashboard). These helpers sort positions through one
//! comparator object, so the bundle carries the algorithm once; what remains per call site is a
//! closure and a permutation.
//!
//! Ordered maps and sets are [`crate::sorted`]'s, which sort through here when collected.

use std::cmp::Ordering;

/// Sorts positions (`u32` row numbers) by `cmp`, stably. Every sort in the app ends up here.
// The one call of the standard sort that clippy.toml lets through: every other sort comes here.
#[allow(clippy::disallowed_methods)]
pub fn positions(order: &mut [u32], cmp: &dyn Fn(u32, u32) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// `v.sort_by(cmp)`: stable, through [`positions`].
pub fn by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let len = u32::try_from(v.len()).expect("fewer than 2^32 items to sort");
    let mut order: Vec<u32> = (0..len).collect();
    positions(&mut order, &|a, b| cmp(&v[a as usize], &v[b as usize]));
    let mut items: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.iter().filter_map(|&i| items[i as usize].take()));
}

/// `v.sort_by_key(key)`: stable, through [`positions`].
pub fn by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    by(v, |a, b| key(a).cmp(&key(b)));
}

// The tests compare with the standard sort, which is native here and not in the bundle.
#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_sort() {
        let mut v: Vec<(u8, char)> = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        let mut expected = v.clone();
        expected.sort_by_key(|p| p.0);
        by_key(&mut v, |p| p.0);
        assert_eq!(v, expected);
        assert_eq!(v, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn sorts_positions_in_reverse_and_keeps_empty_and_single_lists() {
        let values = [5, 9, 1, 9];
        let mut order = vec![0, 1, 2, 3];
        positions(&mut order, &|a, b| {
            values[b as usize].cmp(&values[a as usize])
        });
        assert_eq!(order, vec![1, 3, 0, 2]);
        let mut empty: Vec<String> = Vec::new();
        by(&mut empty, |a, b| a.cmp(b));
        assert!(empty.is_empty());
        let mut one = vec![String::from("x")];
        by(&mut one, |a, b| b.cmp(a));
        assert_eq!(one, vec!["x"]);
    }
}
