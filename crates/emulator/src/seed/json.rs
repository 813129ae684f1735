//! A tiny JSON writer. The generator writes alert text directly instead of building
//! `serde_json::Value` trees: allocation, not formatting, was what made large tenants slow.

use std::cell::Cell;
use std::fmt::Write as _;

thread_local! {
    static SCRATCH: Cell<String> = const { Cell::new(String::new()) };
}

/// Writes one entity with `f` into a reused buffer and returns the text at its exact size.
/// Guessing a capacity up front wasted memory either way: at 4 KB, half of the alerts grew to
/// 8 KB (6.1 KB of capacity per 4.1 KB alert, about 200 MB over a 100,000-alert tenant), and
/// every growth copied the text. The buffer is taken out of its cell while `f` runs, so a
/// nested call just starts from an empty one.
pub fn exact(f: impl FnOnce(&mut String)) -> String {
    let mut buf = SCRATCH.take();
    buf.clear();
    f(&mut buf);
    let out = buf.as_str().to_owned();
    SCRATCH.set(buf);
    out
}

/// Appends `v` as a JSON string literal.
pub fn esc(out: &mut String, v: &str) {
    // No short circuit: the compiler vectorises this scan, and most strings are clean.
    let dirty = v.bytes().fold(false, |acc, b| {
        acc | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if !dirty {
        out.push('"');
        out.push_str(v);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(v).unwrap_or_else(|_| "\"\"".into()));
    }
}

/// An object being written; `close` ends it.
pub struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    pub fn open(out: &'a mut String) -> Self {
        out.push('{');
        Obj { out, first: true }
    }
    fn key(&mut self, k: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        esc(self.out, k);
        self.out.push(':');
    }
    pub fn s(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k);
        esc(self.out, v);
        self
    }
    pub fn os(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        match v {
            Some(v) => self.s(k, v),
            None => self.null(k),
        }
    }
    pub fn n(&mut self, k: &str, v: i64) -> &mut Self {
        self.key(k);
        let _ = write!(self.out, "{v}");
        self
    }
    pub fn null(&mut self, k: &str) -> &mut Self {
        self.key(k);
        self.out.push_str("null");
        self
    }
    /// Already-rendered JSON.
    pub fn raw(&mut self, k: &str, json: &str) -> &mut Self {
        self.key(k);
        self.out.push_str(json);
        self
    }
    pub fn strs(&mut self, k: &str, v: &[&str]) -> &mut Self {
        self.key(k);
        self.out.push('[');
        for (i, x) in v.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            esc(self.out, x);
        }
        self.out.push(']');
        self
    }
    pub fn obj(&mut self, k: &str, f: impl FnOnce(&mut Obj)) -> &mut Self {
        self.key(k);
        let mut o = Obj::open(self.out);
        f(&mut o);
        o.close();
        self
    }
    pub fn arr(&mut self, k: &str, f: impl FnOnce(&mut String)) -> &mut Self {
        self.key(k);
        self.out.push('[');
        f(self.out);
        self.out.push(']');
        self
    }
    pub fn close(self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_valid_json() {
        let mut s = String::new();
        let mut o = Obj::open(&mut s);
        o.s("a", "x\"y\n")
            .n("b", -3)
            .null("c")
            .strs("d", &["<script>", "é"])
            .obj("e", |e| {
                e.os("f", None);
            });
        o.arr("g", |a| a.push_str("1,2"));
        o.close();
        let v: serde_json::Value = serde_json::from_str(&s).unwrap_or_default();
        assert_eq!(v["a"], "x\"y\n");
        assert_eq!(v["d"][0], "<script>");
        assert!(v["e"]["f"].is_null());
        assert_eq!(v["g"][1], 2);
    }

    #[test]
    fn exact_is_what_was_written() {
        let a = exact(|s| s.push_str(&"x".repeat(10_000)));
        let b = exact(|s| {
            s.push_str("ab");
            // A nested call gets its own buffer and does not disturb this one.
            assert_eq!(exact(|t| t.push('c')), "c");
            s.push('d');
        });
        assert_eq!((a.len(), a.capacity()), (10_000, 10_000));
        assert_eq!((b.as_str(), b.capacity()), ("abd", 3));
    }
}
