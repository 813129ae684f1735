//! Ordered maps and sets kept as one sorted vector: what the app uses in place of `BTreeMap`
//! and `BTreeSet`.
//!
//! A B-tree ships its node code (search, split, merge, steal, the dying iterator) once per key
//! and value type, and the dashboard had a dozen of them: 9.1 kB brotli of wasm (measured
//! 2026-12-03 by stubbing them out). Here each type costs a binary search and a vector's insert
//! and remove. The app's maps are small (categories, days of a score history, request budgets)
//! or built at once from a list (a selection of every alert shown), which [`FromIterator`] sorts
//! through [`crate::sort`]; inserting one key into n costs a move of up to n entries, which for
//! a selection of 100,000 alerts is under a millisecond.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::ops::{Bound, RangeBounds};

/// A map ordered by key, iterated in key order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `Ok(position)` of `key`, or `Err(where it would go)`.
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Sets `key`'s value; returns the value it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// `key`'s value, first set to `make()` if the map has none (`entry(key).or_insert_with`).
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (key, make()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// `key`'s value, first set to the default if the map has none (`entry(key).or_default`).
    pub fn get_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        self.get_or_insert_with(key, V::default)
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// The entries whose keys are in `range`, in key order.
    pub fn range(
        &self,
        range: impl RangeBounds<K>,
    ) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        let past = |bound: Bound<&K>, e: &(K, V)| match bound {
            Bound::Included(b) => e.0 < *b,
            Bound::Excluded(b) => e.0 <= *b,
            Bound::Unbounded => false,
        };
        let start = self
            .entries
            .partition_point(|e| past(range.start_bound(), e));
        let end = match range.end_bound() {
            Bound::Included(b) => self.entries.partition_point(|e| e.0 <= *b),
            Bound::Excluded(b) => self.entries.partition_point(|e| e.0 < *b),
            Bound::Unbounded => self.entries.len(),
        };
        self.entries[start..end.max(start)]
            .iter()
            .map(|(k, v)| (k, v))
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

/// Collects with one sort (through [`crate::sort`]); of equal keys the last value stays, as
/// when collecting into a `BTreeMap`.
impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Self {
        let mut entries: Vec<(K, V)> = items.into_iter().collect();
        crate::sort::by(&mut entries, |a, b| a.0.cmp(&b.0));
        // Stable: of a run of equal keys the last is the latest; keep it.
        let mut kept: Vec<(K, V)> = Vec::with_capacity(entries.len());
        for e in entries {
            match kept.last_mut() {
                Some(last) if last.0.cmp(&e.0) == Ordering::Equal => *last = e,
                _ => kept.push(e),
            }
        }
        SortedMap { entries: kept }
    }
}

/// Adds the items with one sort, as collecting does (a key already there takes the new value).
impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, items: I) {
        let old = std::mem::take(&mut self.entries);
        *self = old.into_iter().chain(items).collect();
    }
}

/// A set ordered by value, iterated in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedSet<T> {
    map: SortedMap<T, ()>,
}

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet {
            map: SortedMap::default(),
        }
    }
}

impl<T: Ord> SortedSet<T> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn contains<Q: Ord + ?Sized>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.map.contains_key(value)
    }

    /// Adds `value`; whether it was new.
    pub fn insert(&mut self, value: T) -> bool {
        self.map.insert(value, ()).is_none()
    }

    /// Takes `value` out; whether it was there.
    pub fn remove<Q: Ord + ?Sized>(&mut self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.map.remove(value).is_some()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.map.keys()
    }
}

impl<T> IntoIterator for SortedSet<T> {
    type Item = T;
    type IntoIter = std::iter::Map<std::vec::IntoIter<(T, ())>, fn((T, ())) -> T>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.into_iter().map(|(t, ())| t)
    }
}

impl<T: Ord> FromIterator<T> for SortedSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        SortedSet {
            map: items.into_iter().map(|t| (t, ())).collect(),
        }
    }
}

impl<T: Ord> Extend<T> for SortedSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        self.map.extend(items.into_iter().map(|t| (t, ())));
    }
}

// The tests compare with the standard B-tree collections, native here and not in the bundle.
#[cfg(test)]
#[allow(clippy::disallowed_types)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    /// A small deterministic generator (xorshift), so each case is reproducible.
    fn numbers(seed: u64, n: usize, below: u64) -> Vec<u64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % below
            })
            .collect()
    }

    #[test]
    fn the_map_behaves_as_a_btree_map_under_random_inserts_and_removes() {
        for seed in 1..20 {
            let ops = numbers(seed, 400, 50);
            let mut ours = SortedMap::new();
            let mut theirs = BTreeMap::new();
            for (i, k) in ops.iter().enumerate() {
                if i % 3 == 2 {
                    assert_eq!(ours.remove(k), theirs.remove(k));
                } else {
                    assert_eq!(ours.insert(*k, i), theirs.insert(*k, i));
                }
                assert_eq!(ours.get(k), theirs.get(k));
            }
            assert!(ours.iter().eq(theirs.iter()), "seed {seed}");
            assert_eq!(ours.len(), theirs.len());
            assert!(ours.iter().rev().eq(theirs.iter().rev()));
            for lo in 0..52 {
                for hi in lo..52 {
                    assert!(ours.range(lo..hi).eq(theirs.range(lo..hi)), "{lo}..{hi}");
                    assert!(ours.range(lo..=hi).eq(theirs.range(lo..=hi)));
                }
                assert!(ours.range(..lo).eq(theirs.range(..lo)));
                assert!(ours.range(lo..).eq(theirs.range(lo..)));
            }
        }
    }

    #[test]
    fn collecting_keeps_the_last_value_of_a_key_as_a_btree_map_does() {
        let pairs: Vec<(u64, usize)> = numbers(7, 300, 40).into_iter().zip(0..).collect();
        let mut ours: SortedMap<u64, usize> = pairs.iter().copied().collect();
        let mut theirs: BTreeMap<u64, usize> = pairs.iter().copied().collect();
        assert!(ours.iter().eq(theirs.iter()));
        // Extending: a key already there takes the new value.
        let more: Vec<(u64, usize)> = numbers(8, 100, 60).into_iter().zip(1000..).collect();
        ours.extend(more.iter().copied());
        theirs.extend(more.iter().copied());
        assert!(ours.into_iter().eq(theirs));
    }

    #[test]
    fn get_or_insert_makes_a_value_only_for_a_new_key() {
        let mut m: SortedMap<&str, u32> = SortedMap::new();
        *m.get_or_default("b") += 1;
        *m.get_or_default("a") += 1;
        *m.get_or_default("b") += 1;
        let mut made = 0;
        m.get_or_insert_with("a", || {
            made += 1;
            9
        });
        assert_eq!(made, 0);
        assert_eq!(m.iter().collect::<Vec<_>>(), [(&"a", &1), (&"b", &2)]);
        for v in m.values_mut() {
            *v *= 10;
        }
        assert_eq!(m.values().copied().collect::<Vec<_>>(), [10, 20]);
        assert!(m.contains_key("a") && !m.contains_key("c"));
        assert_eq!(m.get_mut("c"), None);
    }

    #[test]
    fn the_set_behaves_as_a_btree_set() {
        let values = numbers(3, 500, 120);
        let ours: SortedSet<u64> = values.iter().copied().collect();
        let theirs: BTreeSet<u64> = values.iter().copied().collect();
        assert!(ours.iter().eq(theirs.iter()));
        let mut ours = ours;
        let mut theirs = theirs;
        for v in numbers(4, 200, 130) {
            assert_eq!(ours.insert(v), theirs.insert(v));
            assert_eq!(ours.remove(&(v / 2)), theirs.remove(&(v / 2)));
            assert_eq!(ours.contains(&v), theirs.contains(&v));
        }
        assert_eq!(ours.len(), theirs.len());
        let more = numbers(5, 300, 200);
        ours.extend(more.iter().copied());
        theirs.extend(more.iter().copied());
        assert!(ours.into_iter().eq(theirs));
        assert!(SortedSet::<u8>::new().is_empty());
    }
}
