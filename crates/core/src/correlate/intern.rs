//! The two small data structures the engine is built on: a string interner (every identifier,
//! alert id and tenant id becomes a `u32`) and a union-find over `u32`s.

use std::hash::{BuildHasher, RandomState};

/// Each distinct string stored once and numbered from 0 in first-seen order.
///
/// All strings live in one arena and the table holds only numbers, so interning millions of
/// identifiers costs no allocation per string (with a `HashMap<Box<str>, u32>` allocation and
/// freeing were a third of the engine's time). Open addressing with linear probing, at most
/// half full; hashing is the standard library's keyed SipHash, because identifiers come from
/// attacker-influenced data (URLs, sender addresses) and must not be able to force collisions.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    hasher: RandomState,
    text: String,
    /// Where each string ends in `text` (it starts where the previous one ends).
    ends: Vec<usize>,
    hashes: Vec<u64>,
    /// String number + 1 per slot, 0 when free; the length is a power of two.
    table: Vec<u32>,
}

impl Interner {
    /// The number of `s`, adding it if new; the flag says whether it was new.
    pub fn intern(&mut self, s: &str) -> (u32, bool) {
        let h = self.hasher.hash_one(s);
        if let Some(n) = self.find(s, h) {
            return (n, false);
        }
        if (self.ends.len() + 1) * 2 > self.table.len() {
            self.grow();
        }
        let n = u32::try_from(self.ends.len()).expect("fewer than 2^32 strings");
        self.text.push_str(s);
        self.ends.push(self.text.len());
        self.hashes.push(h);
        self.place(n, h);
        (n, true)
    }

    pub fn get(&self, s: &str) -> Option<u32> {
        self.find(s, self.hasher.hash_one(s))
    }

    pub fn string(&self, n: u32) -> &str {
        let n = n as usize;
        let start = if n == 0 { 0 } else { self.ends[n - 1] };
        &self.text[start..self.ends[n]]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn find(&self, s: &str, h: u64) -> Option<u32> {
        if self.table.is_empty() {
            return None;
        }
        let mask = self.table.len() - 1;
        let mut i = h as usize & mask;
        loop {
            match self.table[i] {
                0 => return None,
                slot => {
                    let n = slot - 1;
                    if self.hashes[n as usize] == h && self.string(n) == s {
                        return Some(n);
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    fn place(&mut self, n: u32, h: u64) {
        let mask = self.table.len() - 1;
        let mut i = h as usize & mask;
        while self.table[i] != 0 {
            i = (i + 1) & mask;
        }
        self.table[i] = n + 1;
    }

    fn grow(&mut self) {
        let size = (self.table.len() * 2).max(16);
        self.table = vec![0; size];
        for n in 0..self.ends.len() {
            self.place(n as u32, self.hashes[n]);
        }
    }
}

/// Disjoint sets over `0..n` with path halving. The root of a set is its smallest member,
/// so the structure's shape depends only on which pairs were joined, never on their order.
#[derive(Debug, Clone, Default)]
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra < rb {
            self.parent[rb as usize] = ra;
        } else if rb < ra {
            self.parent[ra as usize] = rb;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_once_and_joins_sets() {
        let mut i = Interner::default();
        assert_eq!(i.intern("a"), (0, true));
        assert_eq!(i.intern("b"), (1, true));
        assert_eq!(i.intern("a"), (0, false));
        assert_eq!(i.get("b"), Some(1));
        assert_eq!(i.string(1), "b");
        for k in 0..1000 {
            assert_eq!(i.intern(&k.to_string()), (k + 2, true));
        }
        assert_eq!(i.get("999"), Some(1001));
        assert_eq!(i.get("a"), Some(0));
        assert_eq!(i.get("zz"), None);
        let mut u = UnionFind::new(5);
        u.union(3, 4);
        u.union(4, 1);
        assert_eq!(u.find(3), 1);
        assert_ne!(u.find(0), u.find(1));
    }
}
