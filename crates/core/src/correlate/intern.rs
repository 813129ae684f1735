//! The two small data structures the engine is built on: a string interner (every identifier,
//! alert id and tenant id becomes a `u32`) and a union-find over `u32`s.

use std::hash::{BuildHasher, RandomState};

/// Each distinct string stored once and numbered from 0 in first-seen order, optionally in a
/// namespace (a `u32` the caller packs, e.g. tenant and identifier kind), so that keys need
/// no prefix text.
///
/// All strings live in one arena and the table holds only numbers and hashes, so interning
/// millions of identifiers costs no allocation per string. Open addressing with linear
/// probing, at most half full.
///
/// A lookup touches the table only, never the arena: two strings (with their namespaces) are
/// the same when their 96-bit hashes are (the two lanes of [`hash`], both kept in the slot).
/// Comparing the text as well cost three more cache misses per hit (the string's bounds, its
/// namespace, its bytes): at a million alerts the correlator spent 7.8 µs per alert against
/// 1.2 µs at a thousand; without them, and with the engine's identifier store, 5.8 µs
/// (crates/core/benches/correlate.rs, 2026-12-02). The key is drawn per interner from the standard library's `RandomState` (the
/// key material `HashMap` uses), because identifiers come from attacker-influenced data (URLs,
/// sender addresses): no one can aim a collision without it, and by chance any two of ten
/// million distinct strings collide with a probability of about 10^-15.
#[derive(Debug, Clone)]
pub struct Interner {
    key: [u64; 2],
    text: String,
    /// Where each string ends in `text` (it starts where the previous one ends).
    ends: Vec<u32>,
    /// Each string's namespace.
    spaces: Vec<u32>,
    /// The length is a power of two (or 0).
    table: Vec<Slot>,
}

/// One table slot: a string's hash and, packed, 32 bits of its second lane and its number
/// plus one (0 when the slot is free).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    hash: u64,
    lane_number: u64,
}

impl Slot {
    fn number(self) -> Option<u32> {
        (self.lane_number as u32).checked_sub(1)
    }
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
        let (hash, lane) = hash(self.key, space, s.as_bytes());
        if let Some(n) = self.find(hash, lane) {
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
        self.place(Slot {
            hash,
            lane_number: lane << 32 | u64::from(n + 1),
        });
        (n, true)
    }

    pub fn get(&self, s: &str) -> Option<u32> {
        self.get_in(0, s)
    }

    pub fn get_in(&self, space: u32, s: &str) -> Option<u32> {
        let (hash, lane) = hash(self.key, space, s.as_bytes());
        self.find(hash, lane)
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

    /// Room for `more` strings beyond those held, so that a large batch grows the table once.
    pub fn reserve(&mut self, more: usize) {
        let want = ((self.ends.len() + more) * 2).next_power_of_two();
        if want > self.table.len() {
            self.rebuild(want);
        }
        self.ends.reserve(more);
        self.spaces.reserve(more);
    }

    fn find(&self, hash: u64, lane: u64) -> Option<u32> {
        if self.table.is_empty() {
            return None;
        }
        let mask = self.table.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = self.table[i];
            let n = slot.number()?;
            if slot.hash == hash && slot.lane_number >> 32 == lane {
                return Some(n);
            }
            i = (i + 1) & mask;
        }
    }

    fn place(&mut self, slot: Slot) {
        let mask = self.table.len() - 1;
        let mut i = slot.hash as usize & mask;
        while self.table[i].number().is_some() {
            i = (i + 1) & mask;
        }
        self.table[i] = slot;
    }

    /// Doubles the table.
    fn grow(&mut self) {
        self.rebuild((self.table.len() * 2).max(16));
    }

    /// A table of `size` slots holding every string again (the slots carry their hashes, so
    /// the arena is not read).
    fn rebuild(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.table, vec![Slot::default(); size]);
        for slot in old.into_iter().filter(|s| s.number().is_some()) {
            self.place(slot);
        }
    }
}

const K0: u64 = 0xa076_1d64_78bd_642f;
const K1: u64 = 0xe703_7ed1_a0b4_28db;
const K2: u64 = 0x8ebc_6af0_9c88_c6e3;
const K3: u64 = 0x5899_65cc_7537_4cc3;
const K4: u64 = 0x1d8e_4e27_c47d_124f;

/// The 128-bit product's halves xor-ed: the mixing step of wyhash and foldhash.
#[inline(always)]
fn fold(a: u64, b: u64) -> u64 {
    if cfg!(target_arch = "wasm32") {
        fold_by_halves(a, b)
    } else {
        let m = u128::from(a) * u128::from(b);
        (m as u64) ^ ((m >> 64) as u64)
    }
}

/// [`fold`] from four 32-bit products: wasm has no 64x64->128 multiplication, and Rust's
/// `u128` product there is a call to `__multi3`, which multiplies all 128 bits through memory.
/// This is about 1.8 times faster in V8 (20 million folds: 76 against 137 ms in Node,
/// 2026-12-04); hashing was about a tenth of the time adding alerts to the correlator took.
#[inline(always)]
fn fold_by_halves(a: u64, b: u64) -> u64 {
    const LOW: u64 = 0xffff_ffff;
    let (a0, a1, b0, b1) = (a & LOW, a >> 32, b & LOW, b >> 32);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let mid = (p00 >> 32) + (p01 & LOW) + (p10 & LOW);
    let low = (p00 & LOW) | (mid << 32);
    let high = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    low ^ high
}

#[inline(always)]
fn word(b: &[u8]) -> u64 {
    u64::from_le_bytes(b[..8].try_into().expect("eight bytes"))
}

/// A keyed folded-multiply hash (wyhash's construction) of `space` and `bytes`, 16 bytes per
/// multiplication, in two lanes with their own keys and constants: 64 bits, and 32 bits of
/// the second lane.
#[inline]
fn hash(key: [u64; 2], space: u32, bytes: &[u8]) -> (u64, u64) {
    let len = bytes.len() as u64;
    let mut a = fold(key[0] ^ K0 ^ u64::from(space), key[1] ^ len);
    let mut b = fold(key[1] ^ K3 ^ u64::from(space), key[0] ^ K4 ^ len);
    // Keyed on both sides, so no known block zeroes a product.
    let (ka, kb) = (key[0] ^ K1, key[1] ^ K2);
    // A function, not a closure: the wasm build inlines nothing unhinted.
    #[inline(always)]
    fn block(c: &[u8], (ka, kb): (u64, u64), a: &mut u64, b: &mut u64) {
        let (lo, hi) = (word(c), word(&c[8..]));
        *a = fold(lo ^ ka, hi ^ *a);
        *b = fold(hi ^ kb, lo ^ *b);
    }
    let mut chunks = bytes.chunks_exact(16);
    for c in &mut chunks {
        block(c, (ka, kb), &mut a, &mut b);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut tail = [0u8; 16];
        tail[..rest.len()].copy_from_slice(rest);
        block(&tail, (ka, kb), &mut a, &mut b);
    }
    (fold(a ^ K2, key[1] ^ K1), fold(b ^ K0, key[0] ^ K3) >> 32)
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
    fn folding_by_halves_is_the_full_product() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut pairs = vec![(0, 0), (u64::MAX, u64::MAX), (u64::MAX, 1), (1 << 63, 3)];
        for _ in 0..1000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            pairs.push((x, x.rotate_left(29) ^ K1));
        }
        for (a, b) in pairs {
            let m = u128::from(a) * u128::from(b);
            assert_eq!(
                fold_by_halves(a, b),
                (m as u64) ^ ((m >> 64) as u64),
                "{a} {b}"
            );
        }
    }

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
