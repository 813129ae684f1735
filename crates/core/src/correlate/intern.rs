//! The two small data structures the engine is built on: a string interner (every identifier,
//! alert id and tenant id becomes a `u32`) and a union-find over `u32`s.

use std::hash::{BuildHasher, RandomState};

/// Each distinct string stored once and numbered from 0 in first-seen order, optionally in a
/// namespace (a `u32` the caller packs, e.g. tenant and identifier kind), so that keys need
/// no prefix text.
///
/// All strings live in one arena and the table holds only numbers, so interning millions of
/// identifiers costs no allocation per string. Open addressing with linear probing, at most
/// half full; each slot holds the string's number and 32 bits of its hash, so a probe touches
/// the arena only on a likely hit. Hashing is [`hash`], a folded-multiply hash keyed per
/// interner from the standard library's `RandomState` (the same key material `HashMap`
/// uses), because identifiers come from attacker-influenced data (URLs, sender addresses)
/// and must not be able to force collisions without knowing the key.
#[derive(Debug, Clone)]
pub struct Interner {
    key: [u64; 2],
    text: String,
    /// Where each string ends in `text` (it starts where the previous one ends).
    ends: Vec<u32>,
    /// Each string's namespace.
    spaces: Vec<u32>,
    /// Per slot `hash >> 32 << 32 | (number + 1)`, 0 when free; the length is a power of two.
    table: Vec<u64>,
}

impl Default for Interner {
    fn default() -> Self {
        let r = RandomState::new();
        Interner {
            key: [r.hash_one(0x5eed_u64), r.hash_one(0x5eed_u64 ^ u64::MAX)],
            text: String::new(),
            ends: Vec::new(),
            spaces: Vec::new(),
            table: Vec::new(),
        }
    }
}

impl Interner {
    /// The number of `s`, adding it if new; the flag says whether it was new.
    pub fn intern(&mut self, s: &str) -> (u32, bool) {
        self.intern_in(0, s)
    }

    /// The number of `s` in namespace `space`, adding it if new; the flag says whether it was
    /// new.
    pub fn intern_in(&mut self, space: u32, s: &str) -> (u32, bool) {
        let h = hash(self.key, space, s.as_bytes());
        if let Some(n) = self.find(space, s, h) {
            return (n, false);
        }
        if (self.ends.len() + 1) * 2 > self.table.len() {
            self.grow();
        }
        let n = u32::try_from(self.ends.len()).expect("fewer than 2^32 strings");
        self.text.push_str(s);
        self.ends
            .push(u32::try_from(self.text.len()).expect("less than 4 GiB of strings"));
        self.spaces.push(space);
        self.place(n, h);
        (n, true)
    }

    pub fn get(&self, s: &str) -> Option<u32> {
        self.get_in(0, s)
    }

    pub fn get_in(&self, space: u32, s: &str) -> Option<u32> {
        self.find(space, s, hash(self.key, space, s.as_bytes()))
    }

    pub fn string(&self, n: u32) -> &str {
        let n = n as usize;
        let start = if n == 0 { 0 } else { self.ends[n - 1] as usize };
        &self.text[start..self.ends[n] as usize]
    }

    /// The namespace of string `n`.
    pub fn space(&self, n: u32) -> u32 {
        self.spaces[n as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn find(&self, space: u32, s: &str, h: u64) -> Option<u32> {
        if self.table.is_empty() {
            return None;
        }
        let mask = self.table.len() - 1;
        let tag = h >> 32;
        let mut i = h as usize & mask;
        loop {
            match self.table[i] {
                0 => return None,
                slot if slot >> 32 == tag => {
                    let n = (slot as u32) - 1;
                    if self.spaces[n as usize] == space && self.string(n) == s {
                        return Some(n);
                    }
                }
                _ => {}
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
        self.table[i] = (h >> 32 << 32) | u64::from(n + 1);
    }

    /// Doubles the table and places every string again (hashes are recomputed from the
    /// arena, which is cheaper than keeping them).
    fn grow(&mut self) {
        let size = (self.table.len() * 2).max(16);
        self.table = vec![0; size];
        for n in 0..self.ends.len() as u32 {
            let h = hash(self.key, self.spaces[n as usize], self.string(n).as_bytes());
            self.place(n, h);
        }
    }
}

const K0: u64 = 0xa076_1d64_78bd_642f;
const K1: u64 = 0xe703_7ed1_a0b4_28db;
const K2: u64 = 0x8ebc_6af0_9c88_c6e3;

/// The 128-bit product's halves xor-ed: the mixing step of wyhash and foldhash.
#[inline]
fn fold(a: u64, b: u64) -> u64 {
    let m = u128::from(a) * u128::from(b);
    (m as u64) ^ ((m >> 64) as u64)
}

#[inline]
fn word(b: &[u8]) -> u64 {
    u64::from_le_bytes(b[..8].try_into().expect("eight bytes"))
}

/// A keyed folded-multiply hash (wyhash's construction) of `space` and `bytes`: 16 bytes per
/// multiplication, so hashing a key costs a few nanoseconds where SipHash-1-3 cost tens.
#[inline]
pub fn hash(key: [u64; 2], space: u32, bytes: &[u8]) -> u64 {
    let mut h = fold(key[0] ^ K0 ^ u64::from(space), key[1] ^ bytes.len() as u64);
    // Keyed on both sides, so no known block zeroes a product.
    let k = key[0] ^ K1;
    let mut chunks = bytes.chunks_exact(16);
    for c in &mut chunks {
        h = fold(word(c) ^ k, word(&c[8..]) ^ h);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut tail = [0u8; 16];
        tail[..rest.len()].copy_from_slice(rest);
        h = fold(word(&tail) ^ k, word(&tail[8..]) ^ h);
    }
    fold(h ^ K2, key[1] ^ K1)
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
        assert_eq!(i.intern_in(7, "a"), (1002, true));
        assert_eq!(i.intern_in(7, "a"), (1002, false));
        assert_eq!(i.get_in(7, "a"), Some(1002));
        assert_eq!(i.get_in(8, "a"), None);
        assert_eq!((i.get("a"), i.space(1002)), (Some(0), 7));
        let long = "x".repeat(100);
        assert_eq!(i.intern(&long), (1003, true));
        assert_eq!(i.get(&long[..99]), None);
        let mut u = UnionFind::new(5);
        u.union(3, 4);
        u.union(4, 1);
        assert_eq!(u.find(3), 1);
        assert_ne!(u.find(0), u.find(1));
    }
}
