//! The two small data structures the engine is built on: a string interner (every identifier,
//! alert id and tenant id becomes a `u32`) and a union-find over `u32`s.

use std::collections::HashMap;
use std::rc::Rc;

/// Each distinct string stored once and numbered from 0 in first-seen order. The one
/// `HashMap` type of the module, so the wasm bundle carries its code once.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    map: HashMap<Rc<str>, u32>,
    strings: Vec<Rc<str>>,
}

impl Interner {
    /// The number of `s`, adding it if new; the flag says whether it was new.
    pub fn intern(&mut self, s: &str) -> (u32, bool) {
        if let Some(&n) = self.map.get(s) {
            return (n, false);
        }
        let n = u32::try_from(self.strings.len()).expect("fewer than 2^32 strings");
        let rc: Rc<str> = Rc::from(s);
        self.strings.push(rc.clone());
        self.map.insert(rc, n);
        (n, true)
    }

    pub fn get(&self, s: &str) -> Option<u32> {
        self.map.get(s).copied()
    }

    pub fn string(&self, n: u32) -> &str {
        &self.strings[n as usize]
    }

    pub fn len(&self) -> usize {
        self.strings.len()
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
        let mut u = UnionFind::new(5);
        u.union(3, 4);
        u.union(4, 1);
        assert_eq!(u.find(3), 1);
        assert_ne!(u.find(0), u.find(1));
    }
}
