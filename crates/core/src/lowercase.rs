//! Lower-casing for search and comparison, as `char::to_lowercase` does, from a table of 184
//! ranges instead of the standard library's 1,463 pairs: 1.5 kB of data in the wasm instead of
//! 11.7 kB. Nothing in the app calls the standard library's lower-casing, so its table is not
//! linked.
//!
//! `lower` of a string lower-cases each character on its own: unlike `str::to_lowercase`, a
//! final capital sigma becomes `σ`, not `ς`, which is what a comparison wants anyway.
//!
//! The table is checked against the standard library, range by range and for every character;
//! when a Rust release brings a new Unicode version, the failing test prints the new table.

/// `(first | stride 2 << 21 | (count - 1) << 22, delta)`: `count` characters from `first`,
/// every one or every other, each lower-cased by adding `delta`. Sorted by `first`; ASCII and
/// U+0130 (which lower-cases to two characters) are handled before it.
const RANGES: [(u32, i32); 184] = [
    (0x058000c0, 32),
    (0x018000d8, 32),
    (0x05e00100, 1),
    (0x00a00132, 1),
    (0x01e00139, 1),
    (0x05a0014a, 1),
    (0x00000178, -121),
    (0x00a00179, 1),
    (0x00000181, 210),
    (0x00600182, 1),
    (0x00000186, 206),
    (0x00000187, 1),
    (0x00400189, 205),
    (0x0000018b, 1),
    (0x0000018e, 79),
    (0x0000018f, 202),
    (0x00000190, 203),
    (0x00000191, 1),
    (0x00000193, 205),
    (0x00000194, 207),
    (0x00000196, 211),
    (0x00000197, 209),
    (0x00000198, 1),
    (0x0000019c, 211),
    (0x0000019d, 213),
    (0x0000019f, 214),
    (0x00a001a0, 1),
    (0x000001a6, 218),
    (0x000001a7, 1),
    (0x000001a9, 218),
    (0x000001ac, 1),
    (0x000001ae, 218),
    (0x000001af, 1),
    (0x004001b1, 217),
    (0x006001b3, 1),
    (0x000001b7, 219),
    (0x000001b8, 1),
    (0x000001bc, 1),
    (0x000001c4, 2),
    (0x000001c5, 1),
    (0x000001c7, 2),
    (0x000001c8, 1),
    (0x000001ca, 2),
    (0x022001cb, 1),
    (0x022001de, 1),
    (0x000001f1, 2),
    (0x006001f2, 1),
    (0x000001f6, -97),
    (0x000001f7, -56),
    (0x04e001f8, 1),
    (0x00000220, -130),
    (0x02200222, 1),
    (0x0000023a, 10795),
    (0x0000023b, 1),
    (0x0000023d, -163),
    (0x0000023e, 10792),
    (0x00000241, 1),
    (0x00000243, -195),
    (0x00000244, 69),
    (0x00000245, 71),
    (0x01200246, 1),
    (0x00600370, 1),
    (0x00000376, 1),
    (0x0000037f, 116),
    (0x00000386, 38),
    (0x00800388, 37),
    (0x0000038c, 64),
    (0x0040038e, 63),
    (0x04000391, 32),
    (0x020003a3, 32),
    (0x000003cf, 8),
    (0x02e003d8, 1),
    (0x000003f4, -60),
    (0x000003f7, 1),
    (0x000003f9, -7),
    (0x000003fa, 1),
    (0x008003fd, -130),
    (0x03c00400, 80),
    (0x07c00410, 32),
    (0x04200460, 1),
    (0x06a0048a, 1),
    (0x000004c0, 15),
    (0x01a004c1, 1),
    (0x0be004d0, 1),
    (0x09400531, 48),
    (0x094010a0, 7264),
    (0x000010c7, 7264),
    (0x000010cd, 7264),
    (0x13c013a0, 38864),
    (0x014013f0, 8),
    (0x00001c89, 1),
    (0x0a801c90, -3008),
    (0x00801cbd, -3008),
    (0x12a01e00, 1),
    (0x00001e9e, -7615),
    (0x0be01ea0, 1),
    (0x01c01f08, -8),
    (0x01401f18, -8),
    (0x01c01f28, -8),
    (0x01c01f38, -8),
    (0x01401f48, -8),
    (0x00e01f59, -8),
    (0x01c01f68, -8),
    (0x01c01f88, -8),
    (0x01c01f98, -8),
    (0x01c01fa8, -8),
    (0x00401fb8, -8),
    (0x00401fba, -74),
    (0x00001fbc, -9),
    (0x00c01fc8, -86),
    (0x00001fcc, -9),
    (0x00401fd8, -8),
    (0x00401fda, -100),
    (0x00401fe8, -8),
    (0x00401fea, -112),
    (0x00001fec, -7),
    (0x00401ff8, -128),
    (0x00401ffa, -126),
    (0x00001ffc, -9),
    (0x00002126, -7517),
    (0x0000212a, -8383),
    (0x0000212b, -8262),
    (0x00002132, 28),
    (0x03c02160, 16),
    (0x00002183, 1),
    (0x064024b6, 26),
    (0x0bc02c00, 48),
    (0x00002c60, 1),
    (0x00002c62, -10743),
    (0x00002c63, -3814),
    (0x00002c64, -10727),
    (0x00a02c67, 1),
    (0x00002c6d, -10780),
    (0x00002c6e, -10749),
    (0x00002c6f, -10783),
    (0x00002c70, -10782),
    (0x00002c72, 1),
    (0x00002c75, 1),
    (0x00402c7e, -10815),
    (0x0c602c80, 1),
    (0x00602ceb, 1),
    (0x00002cf2, 1),
    (0x05a0a640, 1),
    (0x0360a680, 1),
    (0x01a0a722, 1),
    (0x07a0a732, 1),
    (0x0060a779, 1),
    (0x0000a77d, -35332),
    (0x0120a77e, 1),
    (0x0000a78b, 1),
    (0x0000a78d, -42280),
    (0x0060a790, 1),
    (0x0260a796, 1),
    (0x0000a7aa, -42308),
    (0x0000a7ab, -42319),
    (0x0000a7ac, -42315),
    (0x0000a7ad, -42305),
    (0x0000a7ae, -42308),
    (0x0000a7b0, -42258),
    (0x0000a7b1, -42282),
    (0x0000a7b2, -42261),
    (0x0000a7b3, 928),
    (0x01e0a7b4, 1),
    (0x0000a7c4, -48),
    (0x0000a7c5, -42307),
    (0x0000a7c6, -35384),
    (0x0060a7c7, 1),
    (0x0000a7cb, -42343),
    (0x01e0a7cc, 1),
    (0x0000a7dc, -42561),
    (0x0000a7f5, 1),
    (0x0640ff21, 32),
    (0x09c10400, 40),
    (0x08c104b0, 40),
    (0x02810570, 39),
    (0x0381057c, 39),
    (0x0181058c, 39),
    (0x00410594, 39),
    (0x0c810c80, 64),
    (0x05410d50, 32),
    (0x07c118a0, 32),
    (0x07c16e40, 32),
    (0x06016ea0, 27),
    (0x0841e900, 34),
];

/// `c` lower-cased: one character, or two for U+0130 (`i` and a combining dot above).
pub fn lower_char(c: char) -> impl Iterator<Item = char> {
    let (first, second) = if c.is_ascii() {
        (c.to_ascii_lowercase(), None)
    } else if c == '\u{130}' {
        ('i', Some('\u{307}'))
    } else {
        (lower_in_table(c), None)
    };
    std::iter::once(first).chain(second)
}

fn lower_in_table(c: char) -> char {
    let code = c as u32;
    let i = RANGES.partition_point(|(packed, _)| packed & 0x1f_ffff <= code);
    let Some(&(packed, delta)) = i.checked_sub(1).and_then(|i| RANGES.get(i)) else {
        return c;
    };
    let first = packed & 0x1f_ffff;
    let stride = if packed & (1 << 21) != 0 { 2 } else { 1 };
    let count = (packed >> 22) + 1;
    let step = code - first;
    if !step.is_multiple_of(stride) || step / stride >= count {
        return c;
    }
    char::from_u32(code.wrapping_add_signed(delta)).unwrap_or(c)
}

/// `text` lower-cased, character by character.
pub fn lower(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    lower_into(&mut out, text);
    out
}

/// Appends `text` lower-cased to `out`.
pub fn lower_into(out: &mut String, text: &str) {
    if text.is_ascii() {
        let at = out.len();
        out.push_str(text);
        out[at..].make_ascii_lowercase();
    } else {
        out.extend(text.chars().flat_map(lower_char));
    }
}

#[cfg(test)]
// The tests compare with the standard library's lower-casing, which the bundle must not call.
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;

    #[test]
    fn every_character_as_the_standard_library() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            assert!(
                lower_char(c).eq(c.to_lowercase()),
                "U+{:04X} lower-cases to {:?}, not {:?}: print the table again (module docs)",
                c as u32,
                lower_char(c).collect::<String>(),
                c.to_lowercase().collect::<String>()
            );
        }
    }

    #[test]
    fn strings_as_the_standard_library_but_for_a_final_sigma() {
        for s in [
            "Ärger GmbH",
            "ERIN@CONTOSO.EXAMPLE",
            "İstanbul",
            "ДЕЛО № 7",
            "Ǆemal",
            "",
        ] {
            assert_eq!(lower(s), s.to_lowercase(), "{s}");
        }
        assert_eq!(lower("ΟΔΟΣ"), "οδοσ");
        let mut out = "x ".to_owned();
        lower_into(&mut out, "Ab");
        assert_eq!(out, "x ab");
    }

    /// [`RANGES`] as the standard library's own lower-casing gives them.
    fn ranges_from_std() -> Vec<(u32, i32)> {
        let mut pairs: Vec<(u32, i32)> = Vec::new();
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            if c.is_ascii() || c == '\u{130}' {
                continue;
            }
            let l: Vec<char> = c.to_lowercase().collect();
            assert_eq!(l.len(), 1, "{c:?} lower-cases to several characters");
            if l[0] != c {
                pairs.push((c as u32, l[0] as i32 - c as i32));
            }
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < pairs.len() {
            let (c, d) = pairs[i];
            let mut best = (1u32, 1usize);
            for stride in [1u32, 2] {
                let mut n = 1;
                while i + n < pairs.len()
                    && pairs[i + n].0 == c + stride * n as u32
                    && pairs[i + n].1 == d
                {
                    n += 1;
                }
                if n > best.1 {
                    best = (stride, n);
                }
            }
            out.push((
                c | (u32::from(best.0 == 2) << 21) | ((best.1 as u32 - 1) << 22),
                d,
            ));
            i += best.1;
        }
        out
    }

    /// When a Rust release brings another Unicode version, this fails and prints the table to
    /// paste into [`RANGES`].
    #[test]
    fn the_table_is_the_standard_librarys() {
        let expected = ranges_from_std();
        let table: String = expected
            .iter()
            .map(|(packed, d)| format!("    (0x{packed:08x}, {d}),\n"))
            .collect();
        assert!(
            RANGES[..] == expected[..],
            "the lower-case table differs from the standard library's; RANGES should be \
             [(u32, i32); {}]:\n{table}",
            expected.len()
        );
    }
}
