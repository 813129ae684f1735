//! IP addresses in their canonical text, read and written here rather than by `std::net`: the
//! standard parser and formatter were 5.3 kB of the shipped wasm for the one use correlation
//! makes of them. The accepted spellings and the text written are the standard library's,
//! which the tests check on many generated addresses, valid and not.

use std::fmt::Write;

/// Appends the canonical text of the IP address `s` to `out` and says whether `s` was one: an
/// IPv4 address as four decimal numbers, an IPv6 address in lower case with its longest run of
/// zero groups (the first of equals, two groups or more) written `::`, and an IPv4-mapped
/// IPv6 address (`::ffff:10.0.0.1`) as its IPv4 address. Accepts what
/// `std::net::IpAddr::from_str` accepts, nothing else.
pub fn canonical(out: &mut String, s: &str) -> bool {
    // An accepted IPv4 spelling is already canonical (no leading zeros, nothing but digits and
    // dots): copied as it is, the common case needs no formatting.
    if ipv4(s).is_some() {
        out.push_str(s);
        return true;
    }
    let Some(g) = ipv6(s) else {
        return false;
    };
    if g[..5] == [0; 5] && g[5] == 0xffff {
        push_v4(
            out,
            [(g[6] >> 8) as u8, g[6] as u8, (g[7] >> 8) as u8, g[7] as u8],
        );
        return true;
    }
    // The longest run of zero groups, the first of equal runs.
    let (mut start, mut len, mut run) = (0, 0, 0);
    for (i, &x) in g.iter().enumerate() {
        run = if x == 0 { run + 1 } else { 0 };
        if run > len {
            (start, len) = (i + 1 - run, run);
        }
    }
    let groups = |out: &mut String, part: &[u16]| {
        for (i, x) in part.iter().enumerate() {
            let _ = write!(out, "{}{x:x}", if i > 0 { ":" } else { "" });
        }
    };
    if len > 1 {
        groups(out, &g[..start]);
        out.push_str("::");
        groups(out, &g[start + len..]);
    } else {
        groups(out, &g);
    }
    true
}

fn push_v4(out: &mut String, [a, b, c, d]: [u8; 4]) {
    let _ = write!(out, "{a}.{b}.{c}.{d}");
}

/// Four decimal numbers of 0 to 255, without leading zeros, separated by dots.
fn ipv4(s: &str) -> Option<[u8; 4]> {
    let mut octets = [0u8; 4];
    let mut parts = s.split('.');
    for o in &mut octets {
        let p = parts.next()?.as_bytes();
        let ok = matches!(p.len(), 1..=3)
            && p.iter().all(u8::is_ascii_digit)
            && (p[0] != b'0' || p.len() == 1);
        if !ok {
            return None;
        }
        *o = p
            .iter()
            .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'))
            .try_into()
            .ok()?;
    }
    parts.next().is_none().then_some(octets)
}

/// Eight groups of 1 to 4 hex digits separated by colons, `::` once in place of one or more
/// zero groups, and the last two groups as an IPv4 address if wanted.
fn ipv6(s: &str) -> Option<[u16; 8]> {
    let mut g = [0u16; 8];
    match s.split_once("::") {
        None => (groups(s, &mut g)? == 8).then_some(g),
        Some((head, tail)) => {
            let h = groups(head, &mut g)?;
            // Nothing written in place of `::`, or an IPv4 address before it: not an address.
            if h == 8 || head.contains('.') {
                return None;
            }
            let mut t = [0u16; 7];
            let n = groups(tail, &mut t[..7 - h])?;
            g[8 - n..].copy_from_slice(&t[..n]);
            Some(g)
        }
    }
}

/// Reads `s` (empty, or groups separated by single colons) into `into`, whose length is the
/// most groups allowed; returns how many were read.
fn groups(s: &str, into: &mut [u16]) -> Option<usize> {
    if s.is_empty() {
        return Some(0);
    }
    let mut n = 0;
    let mut parts = s.split(':').peekable();
    while let Some(p) = parts.next() {
        if p.contains('.') {
            // An IPv4 address ends the groups and fills two of them.
            let [a, b, c, d] = ipv4(p)?;
            if parts.peek().is_some() || n + 2 > into.len() {
                return None;
            }
            into[n] = u16::from_be_bytes([a, b]);
            into[n + 1] = u16::from_be_bytes([c, d]);
            return Some(n + 2);
        }
        let ok = matches!(p.len(), 1..=4) && p.bytes().all(|b| b.is_ascii_hexdigit());
        if !ok || n == into.len() {
            return None;
        }
        into[n] = u16::from_str_radix(p, 16).ok()?;
        n += 1;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the standard library makes of `s`.
    fn by_std(s: &str) -> Option<String> {
        s.parse::<std::net::IpAddr>()
            .ok()
            .map(|a| a.to_canonical().to_string())
    }

    fn ours(s: &str) -> Option<String> {
        let mut out = String::new();
        canonical(&mut out, s).then_some(out)
    }

    #[test]
    fn documented_spellings() {
        for (s, want) in [
            ("10.0.0.1", Some("10.0.0.1")),
            ("0.0.0.0", Some("0.0.0.0")),
            ("255.255.255.255", Some("255.255.255.255")),
            ("::FFFF:10.0.0.1", Some("10.0.0.1")),
            ("::ffff:a00:1", Some("10.0.0.1")),
            ("2001:DB8:0:0::1", Some("2001:db8::1")),
            ("2001:db8:0:0:1:0:0:1", Some("2001:db8::1:0:0:1")),
            (
                "2001:0db8:0000:0000:0000:ff00:0042:8329",
                Some("2001:db8::ff00:42:8329"),
            ),
            ("::", Some("::")),
            ("::1", Some("::1")),
            ("1::", Some("1::")),
            ("1:2:3:4:5:6:7::", Some("1:2:3:4:5:6:7:0")),
            ("::2:3:4:5:6:7:8", Some("0:2:3:4:5:6:7:8")),
            ("1:0:3:4:5:6:7:8", Some("1:0:3:4:5:6:7:8")),
            ("::1.2.3.4", Some("::102:304")),
            ("1:2:3:4:5:6:1.2.3.4", Some("1:2:3:4:5:6:102:304")),
            ("256.0.0.1", None),
            ("010.0.0.1", None),
            ("1.2.3", None),
            ("1.2.3.4.", None),
            ("1:2:3:4:5:6:7:8::", None),
            ("1::2::3", None),
            ("1.2.3.4::", None),
            ("12345::", None),
            (":1::", None),
            ("1:2:3:4:5:6:7:1.2.3.4", None),
            ("", None),
            ("not-an-ip", None),
        ] {
            assert_eq!(ours(s).as_deref(), want, "{s:?}");
            assert_eq!(by_std(s).as_deref(), want, "{s:?} (std)");
        }
    }

    /// Addresses built from random pieces, most of them near misses, read both ways.
    #[test]
    fn agrees_with_the_standard_library() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let pieces = [
            "0", "1", "00", "01", "ffff", "FFFF", "0db8", "12345", "abcd", "g", "", "255", "256",
            "1.2.3.4", "10.0.0.1", "1.2.3", "01.2.3.4", "::", ":", ".", "::ffff", "[", "%1",
        ];
        let mut valid = 0;
        for _ in 0..200_000 {
            let mut s = String::new();
            for i in 0..next(10) {
                if i > 0 {
                    s.push_str([":", "::", ".", ":"][next(4) as usize]);
                }
                s.push_str(pieces[next(pieces.len() as u64) as usize]);
            }
            let want = by_std(&s);
            valid += usize::from(want.is_some());
            assert_eq!(ours(&s), want, "{s:?}");
        }
        // The generator must reach valid addresses too, not only refusals.
        assert!(valid > 2_000, "{valid} valid addresses");
        for _ in 0..50_000 {
            let g: Vec<u16> = (0..8)
                .map(|_| {
                    if next(3) == 0 {
                        0
                    } else {
                        next(0x10000) as u16
                    }
                })
                .collect();
            let addr = std::net::Ipv6Addr::new(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]);
            let s = addr.to_string();
            assert_eq!(ours(&s), by_std(&s), "{s:?}");
            let full = g
                .iter()
                .map(|x| format!("{x:04X}"))
                .collect::<Vec<_>>()
                .join(":");
            assert_eq!(ours(&full), by_std(&full), "{full:?}");
        }
    }
}
