//! Panic locations folded into one, as rustc's unstable `-Zlocation-detail=none` would do.
//!
//! Every `unwrap`, index and `expect` in the wasm passes a `core::panic::Location` (a source
//! file, line and column, 16 bytes of data) to the panic machinery, by its address: an
//! `i32.const` in the code. Each site's address differs, and so do the records and the file
//! names they point to, which brotli cannot compress away. This step finds every Location record
//! in the data, makes every one of them a copy of a single record whose file reads
//! "(location not shipped)" at line 0, points every `i32.const` that named one at that record,
//! and blanks the file names nothing else refers to. Panics still say what failed (the message
//! is untouched); only where in the source is gone from the shipped bundle (the debug build and
//! the tests keep it). Measured 2026-12-03 on the app with the eDiscovery forms: 517.2 ->
//! 510.6 kB brotli for the wasm alone (660 records, 1,587 sites).
//!
//! Every function body is decoded instruction by instruction and must end exactly where its
//! size says; an opcode outside what Rust emits for wasm32 (SIMD, threads, exceptions, GC) stops
//! the build instead of guessing. Nothing moves in memory, so no other address changes. Only a
//! record whose address is never used but as a call's last argument (where `#[track_caller]`
//! puts it) is folded: a table that merely looks like one (six did, read by index) is left
//! alone, and so is a file name anything else points into (the linker ends shorter
//! strings inside longer ones).

use std::collections::BTreeSet;
use std::path::Path;

use crate::wasm::{Reader, sections, write_leb};

/// What [`fold`] changed.
#[derive(Debug, PartialEq)]
pub struct Folded {
    /// Location records made one.
    pub records: usize,
    /// `i32.const`s that named one of them.
    pub sites: usize,
    /// File names blanked.
    pub files: usize,
}

/// The file name the one record keeps.
const NOT_SHIPPED: &[u8] = b"(location not shipped)";

/// Folds the locations of the one `*_bg.wasm` at the top of `dir`, in place. `index.html`'s
/// integrity is written by the steps after this one ([`crate::layout`]).
pub fn run(dir: &Path) -> Result<(), String> {
    let path = &crate::linkage::only_file(dir, ".wasm")?;
    let module = std::fs::read(path).map_err(|e| format!("cannot read {path:?}: {e}"))?;
    let (folded, what) = fold(&module).map_err(|e| format!("{}: {e}", path.display()))?;
    println!(
        "locations: {} panic locations made one, {} sites, {} file names blanked",
        what.records, what.sites, what.files
    );
    std::fs::write(path, folded).map_err(|e| format!("cannot write {path:?}: {e}"))
}

/// `module` as it was: nothing folded.
fn unchanged(module: &[u8]) -> (Vec<u8>, Folded) {
    let none = Folded {
        records: 0,
        sites: 0,
        files: 0,
    };
    (module.to_vec(), none)
}

/// One active data segment: where it sits in memory and where its bytes are in the module.
struct Segment {
    address: u32,
    bytes: std::ops::Range<usize>,
}

/// `module` with its panic locations folded.
pub fn fold(module: &[u8]) -> Result<(Vec<u8>, Folded), String> {
    let secs = sections(module)?;
    let data = secs.iter().find(|s| s.id == 11);
    let code = secs.iter().find(|s| s.id == 10);
    let (Some(data), Some(code)) = (data, code) else {
        return Ok(unchanged(module));
    };
    let segments = segments(module, data.content.clone())?;
    let mem = Memory {
        module,
        segments: &segments,
    };
    let records = find_records(&mem);
    if records.is_empty() {
        return Ok(unchanged(module));
    }
    let bodies = bodies(module, code.content.clone())?;
    let consts = bodies
        .iter()
        .map(|b| i32_constants(module, b.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    // A Location's address is the last argument of the call that may panic, so its constant is
    // followed by that call. A record whose address is used any other way (added to, loaded
    // from, stored) may be something else that looks like one (the head of a table, say): it
    // is left as it is, and so is every constant naming it.
    let suspect: BTreeSet<u32> = consts
        .iter()
        .flatten()
        .filter(|(_, end, _)| module.get(*end) != Some(&0x10))
        .map(|c| c.2 as u32)
        .collect();
    let records: Vec<u32> = records
        .into_iter()
        .filter(|r| !suspect.contains(r))
        .collect();
    if records.is_empty() {
        return Ok(unchanged(module));
    }
    let set: BTreeSet<u32> = records.iter().copied().collect();
    // Every address something other than a record may point at: the code's constants and the
    // data's words. A file name is changed only when none of them falls inside it, since the
    // linker shares the tail of a string with any shorter string it ends with (a plural "s"
    // inside "….rs").
    let mut pointed_at = data_words(&mem, &set);
    pointed_at.extend(consts.iter().flatten().map(|c| c.2 as u32));
    let free = |f: u32, l: u32| pointed_at.range(f..f.saturating_add(l)).next().is_none();
    let files: BTreeSet<(u32, u32)> = records
        .iter()
        .map(|r| (mem.word(*r), mem.word(r + 4)))
        .collect();
    // The record kept: one whose file name is free to say it is not shipped (the longest), or
    // failing that the first, left as it is.
    let keep = records
        .iter()
        .copied()
        .filter(|r| free(mem.word(*r), mem.word(r + 4)))
        .max_by_key(|r| (mem.word(r + 4), std::cmp::Reverse(*r)));
    let renamed = keep.is_some();
    let keep = keep.unwrap_or(records[0]);
    let mut sites = 0;
    let mut new_code = Vec::new();
    write_leb(&mut new_code, bodies.len() as u64);
    for (body, consts) in bodies.iter().zip(consts) {
        let mut out = Vec::with_capacity(body.len());
        let mut at = body.start;
        for (start, end, value) in consts {
            if set.contains(&(value as u32)) {
                out.extend_from_slice(&module[at..start]);
                out.push(0x41);
                write_sleb(&mut out, i64::from(keep as i32));
                at = end;
                sites += 1;
            }
        }
        out.extend_from_slice(&module[at..body.end]);
        write_leb(&mut new_code, out.len() as u64);
        new_code.extend_from_slice(&out);
    }
    // The data: every record a copy of the one kept, whose file now says it is not shipped;
    // file names nothing else points into, blanked.
    let mut out = module.to_vec();
    let (file, len) = (mem.word(keep), mem.word(keep + 4));
    let mut blanked = 0;
    for (f, l) in &files {
        if (*f, *l) == (file, len) || !free(*f, *l) {
            continue;
        }
        if let Some(range) = mem.range(*f, *l) {
            out[range].fill(0);
            blanked += 1;
        }
    }
    let mut shown = len;
    if let Some(range) = mem.range(file, len).filter(|_| renamed) {
        shown = NOT_SHIPPED.len().min(len as usize) as u32;
        let r = range.start..range.start + shown as usize;
        out[r].copy_from_slice(&NOT_SHIPPED[..shown as usize]);
        out[range.start + shown as usize..range.end].fill(0);
    }
    let mut record = [0u8; 16];
    record[..4].copy_from_slice(&file.to_le_bytes());
    record[4..8].copy_from_slice(&shown.to_le_bytes());
    for r in &records {
        let range = mem.range(*r, 16).expect("records lie inside a segment");
        out[range].copy_from_slice(&record);
    }
    // The code section, now of another length, replaces the old one.
    let mut module_out = Vec::with_capacity(out.len());
    module_out.extend_from_slice(&out[..code.span.start]);
    module_out.push(10);
    write_leb(&mut module_out, new_code.len() as u64);
    module_out.extend_from_slice(&new_code);
    module_out.extend_from_slice(&out[code.span.end..]);
    Ok((
        module_out,
        Folded {
            records: records.len(),
            sites,
            files: blanked,
        },
    ))
}

/// The active segments of the data section `content`.
fn segments(module: &[u8], content: std::ops::Range<usize>) -> Result<Vec<Segment>, String> {
    let mut r = Reader {
        b: &module[..content.end],
        at: content.start,
    };
    let n = r.leb()?;
    let mut out = Vec::new();
    for _ in 0..n {
        let flags = r.leb()?;
        let address = match flags {
            0 | 2 => {
                if flags == 2 {
                    r.leb()?;
                }
                if r.byte()? != 0x41 {
                    return Err("a data segment whose offset is not an i32.const".into());
                }
                let a = read_sleb(&mut r)?;
                if r.byte()? != 0x0b {
                    return Err("a data segment offset of more than one instruction".into());
                }
                Some(a as u32)
            }
            1 => None,
            f => return Err(format!("a data segment with flags {f}")),
        };
        let len = r.leb()? as usize;
        let start = r.at;
        let end = start
            .checked_add(len)
            .filter(|e| *e <= content.end)
            .ok_or("a data segment runs past its section")?;
        r.at = end;
        if let Some(address) = address {
            out.push(Segment {
                address,
                bytes: start..end,
            });
        }
    }
    Ok(out)
}

/// Memory as the data segments fill it.
struct Memory<'a> {
    module: &'a [u8],
    segments: &'a [Segment],
}

impl Memory<'_> {
    /// Where `len` bytes at `address` are in the module, when one segment holds them all.
    fn range(&self, address: u32, len: u32) -> Option<std::ops::Range<usize>> {
        self.segments.iter().find_map(|s| {
            let off = address.checked_sub(s.address)? as usize;
            let start = s.bytes.start.checked_add(off)?;
            let end = start.checked_add(len as usize)?;
            (end <= s.bytes.end).then_some(start..end)
        })
    }

    fn bytes(&self, address: u32, len: u32) -> Option<&[u8]> {
        self.range(address, len).map(|r| &self.module[r])
    }

    /// The little-endian word at `address` (0 outside the segments).
    fn word(&self, address: u32) -> u32 {
        self.bytes(address, 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// The addresses of the Location records: 16 bytes, 4-aligned, wholly inside a segment: a
/// pointer to and the length of a source file name (`….rs`, path characters only), a line and a
/// column.
fn find_records(mem: &Memory) -> Vec<u32> {
    let mut out = Vec::new();
    for s in mem.segments {
        let first = s.address.next_multiple_of(4);
        let end = s.address as usize + s.bytes.len();
        let mut a = first;
        while a as usize + 16 <= end {
            let (file, len, line, col) = (
                mem.word(a),
                mem.word(a + 4),
                mem.word(a + 8),
                mem.word(a + 12),
            );
            let after_last = out.last().is_none_or(|l: &u32| a >= l + 16);
            if after_last
                && (4..=400).contains(&len)
                && (1..=1_000_000).contains(&line)
                && (1..=10_000).contains(&col)
                && mem.bytes(file, len).is_some_and(is_source_file)
            {
                out.push(a);
            }
            a += 4;
        }
    }
    out
}

fn is_source_file(name: &[u8]) -> bool {
    name.ends_with(b".rs")
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"/\\._-+@:~".contains(b))
}

/// Every aligned word of the data outside the records themselves: a file name some other
/// static points at is kept.
fn data_words(mem: &Memory, records: &BTreeSet<u32>) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    for s in mem.segments {
        let mut a = s.address.next_multiple_of(4);
        while a as usize + 4 <= s.address as usize + s.bytes.len() {
            let in_record = records.range(a.saturating_sub(15)..=a).next().is_some();
            if !in_record {
                out.insert(mem.word(a));
            }
            a += 4;
        }
    }
    out
}

/// The spans of the function bodies of the code section `content`.
fn bodies(
    module: &[u8],
    content: std::ops::Range<usize>,
) -> Result<Vec<std::ops::Range<usize>>, String> {
    let mut r = Reader {
        b: &module[..content.end],
        at: content.start,
    };
    let n = r.leb()?;
    let mut out = Vec::new();
    for _ in 0..n {
        let len = r.leb()? as usize;
        let start = r.at;
        let end = start
            .checked_add(len)
            .filter(|e| *e <= content.end)
            .ok_or("a function body runs past the code section")?;
        out.push(start..end);
        r.at = end;
    }
    if r.at != content.end {
        return Err("the code section has bytes after its last body".into());
    }
    Ok(out)
}

/// Every `i32.const` of one function body: where it starts and ends (where the next
/// instruction starts), and its value. The body is decoded to its end, which must be its last
/// byte.
fn i32_constants(
    module: &[u8],
    body: std::ops::Range<usize>,
) -> Result<Vec<(usize, usize, i32)>, String> {
    let mut r = Reader {
        b: &module[..body.end],
        at: body.start,
    };
    for _ in 0..r.leb()? {
        r.leb()?;
        r.byte()?;
    }
    let mut out = Vec::new();
    let mut depth = 1usize;
    while depth > 0 {
        let start = r.at;
        let op = r.byte()?;
        match op {
            0x02..=0x04 => {
                block_type(&mut r)?;
                depth += 1;
            }
            0x0b => depth -= 1,
            0x00 | 0x01 | 0x05 | 0x0f | 0x1a | 0x1b | 0x45..=0xc4 | 0xd1 => {}
            0x0c | 0x0d | 0x10 | 0x12 | 0x20..=0x26 | 0x3f | 0x40 | 0xd2 => {
                r.leb()?;
            }
            0x0e => {
                for _ in 0..=r.leb()? {
                    r.leb()?;
                }
            }
            0x11 | 0x13 => {
                r.leb()?;
                r.leb()?;
            }
            0x1c => {
                for _ in 0..r.leb()? {
                    r.byte()?;
                }
            }
            0x28..=0x3e => {
                let align = r.leb()?;
                if align & 0x40 != 0 {
                    r.leb()?;
                }
                r.leb()?;
            }
            0x41 => {
                let v = read_sleb(&mut r)?;
                out.push((start, r.at, v as i32));
            }
            0x42 => {
                read_sleb(&mut r)?;
            }
            0x43 => r.at += 4,
            0x44 => r.at += 8,
            0xd0 => {
                r.byte()?;
            }
            0xfc => match r.leb()? {
                0..=7 => {}
                9 | 11 | 13 | 15..=17 => {
                    r.leb()?;
                }
                8 | 10 | 12 | 14 => {
                    r.leb()?;
                    r.leb()?;
                }
                sub => return Err(format!("unknown instruction 0xfc {sub} at byte {start}")),
            },
            op => {
                return Err(format!(
                    "instruction 0x{op:02x} at byte {start} is not read here"
                ));
            }
        }
    }
    if r.at != body.end {
        return Err(format!(
            "the function body at byte {} ends {} bytes before its size says",
            body.start,
            body.end.saturating_sub(r.at)
        ));
    }
    Ok(out)
}

/// A block's type: empty, one value type, or a type index (a signed LEB128).
fn block_type(r: &mut Reader) -> Result<(), String> {
    let b = *r.b.get(r.at).ok_or("unexpected end of the module")?;
    if b == 0x40 || (0x6f..=0x7f).contains(&b) {
        r.at += 1;
        Ok(())
    } else {
        read_sleb(r).map(drop)
    }
}

fn read_sleb(r: &mut Reader) -> Result<i64, String> {
    let mut v = 0i64;
    let mut shift = 0;
    loop {
        let byte = r.byte()?;
        if shift >= 64 {
            return Err("a signed LEB128 number longer than 64 bits".into());
        }
        v |= i64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte < 0x80 {
            if shift < 64 && byte & 0x40 != 0 {
                v |= -1i64 << shift;
            }
            return Ok(v);
        }
    }
}

fn write_sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
        if done {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasm::section;

    /// A module of one function taking an i32 (`body`, without its size) and one data segment
    /// at `at`.
    fn module(body: &[u8], at: u32, data: &[u8]) -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend(section(1, &[1, 0x60, 1, 0x7f, 0]));
        m.extend(section(3, &[1, 0]));
        m.extend(section(5, &[1, 0, 1]));
        let mut code = vec![1];
        write_leb(&mut code, body.len() as u64);
        code.extend_from_slice(body);
        m.extend(section(10, &code));
        let mut seg = vec![1, 0, 0x41];
        write_sleb(&mut seg, i64::from(at));
        seg.push(0x0b);
        write_leb(&mut seg, data.len() as u64);
        seg.extend_from_slice(data);
        m.extend(section(11, &seg));
        m
    }

    /// The values of the `i32.const`s of `out`'s one function body.
    fn constants(out: &[u8]) -> Vec<i32> {
        let secs = sections(out).unwrap();
        let code = secs.iter().find(|s| s.id == 10).unwrap();
        let body = &bodies(out, code.content.clone()).unwrap()[0];
        let consts = i32_constants(out, body.clone()).unwrap();
        consts.into_iter().map(|c| c.2).collect()
    }

    /// `len` bytes of `out`'s memory at `address`.
    fn memory(out: &[u8], address: u32, len: u32) -> Vec<u8> {
        let secs = sections(out).unwrap();
        let data = secs.iter().find(|s| s.id == 11).unwrap();
        let segments = segments(out, data.content.clone()).unwrap();
        let mem = Memory {
            module: out,
            segments: &segments,
        };
        mem.bytes(address, len).unwrap().to_vec()
    }

    fn record(file: u32, len: u32, line: u32, col: u32) -> Vec<u8> {
        [file, len, line, col]
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect()
    }

    fn i32_const(v: i32) -> Vec<u8> {
        let mut out = vec![0x41];
        write_sleb(&mut out, i64::from(v));
        out
    }

    /// Memory from 1024: three file names, three records (A at 1056, B at 1072, C at 1088),
    /// then a static that points at A's file name.
    fn data() -> Vec<u8> {
        let mut d = Vec::new();
        d.extend_from_slice(b"src/a.rs"); // 1024
        d.extend_from_slice(b"crates/core/src/lib.rs"); // 1032, 22 bytes
        d.extend_from_slice(b"\0\0"); // 1054
        d.extend(record(1024, 8, 10, 5)); // 1056
        d.extend(record(1032, 22, 3, 9)); // 1072
        d.extend(record(1108, 6, 1, 1)); // 1088
        d.extend(1024u32.to_le_bytes()); // 1104
        d.extend_from_slice(b"x/y.rs"); // 1108
        d
    }

    #[test]
    fn every_location_becomes_the_one_kept_and_its_sites_name_it() {
        let mut body = vec![0];
        for v in [1056, 1072, 5, 1088] {
            body.extend(i32_const(v));
            body.extend([0x10, 0]);
        }
        // A block, a float and a memory copy between them, read past without harm.
        body.extend([0x02, 0x40, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x1a, 0x0b]);
        body.extend([0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 10, 0, 0]);
        body.push(0x0b);
        let m = module(&body, 1024, &data());
        let (out, what) = fold(&m).unwrap();
        assert_eq!(
            what,
            Folded {
                records: 3,
                sites: 3,
                files: 1
            }
        );
        assert_eq!(constants(&out), [1072, 1072, 5, 1072, 0, 0, 0]);
        for r in [1056, 1072, 1088] {
            assert_eq!(memory(&out, r, 16), record(1032, 22, 0, 0), "record at {r}");
        }
        assert_eq!(memory(&out, 1032, 22), NOT_SHIPPED);
        assert_eq!(
            memory(&out, 1024, 8),
            b"src/a.rs",
            "another static points at it"
        );
        assert_eq!(memory(&out, 1108, 6), [0; 6], "nothing else names it");
    }

    #[test]
    fn a_file_name_another_string_shares_is_left_as_it_was() {
        // Constants into B's and C's file names (a shorter string the linker put at their
        // tail); A's is named by another static: no file name may change.
        let mut body = vec![0];
        body.extend(i32_const(1056));
        body.extend([0x10, 0]);
        for v in [1040, 1113] {
            body.extend(i32_const(v));
            body.push(0x1a);
        }
        body.push(0x0b);
        let (out, what) = fold(&module(&body, 1024, &data())).unwrap();
        assert_eq!(what.files, 0);
        assert_eq!(memory(&out, 1024, 30), b"src/a.rscrates/core/src/lib.rs");
        assert_eq!(memory(&out, 1108, 6), b"x/y.rs");
        // The records are still one: the first, its file as it was.
        for r in [1056, 1072, 1088] {
            assert_eq!(memory(&out, r, 16), record(1024, 8, 0, 0), "record at {r}");
        }
    }

    #[test]
    fn a_record_used_as_anything_but_a_call_argument_is_left_alone() {
        // B's address is also added to: it may be a table that only looks like a Location.
        let mut body = vec![0];
        for v in [1056, 1072, 1088] {
            body.extend(i32_const(v));
            body.extend([0x10, 0]);
        }
        body.extend(i32_const(1072));
        body.extend(i32_const(4));
        body.extend([0x6a, 0x1a, 0x0b]);
        let (out, what) = fold(&module(&body, 1024, &data())).unwrap();
        assert_eq!((what.records, what.sites), (2, 2));
        assert_eq!(constants(&out), [1088, 1072, 1088, 1072, 4]);
        assert_eq!(
            memory(&out, 1072, 16),
            record(1032, 22, 3, 9),
            "left as it was"
        );
        assert_eq!(memory(&out, 1032, 22), b"crates/core/src/lib.rs");
        for r in [1056, 1088] {
            assert_eq!(memory(&out, r, 16), record(1108, 6, 0, 0), "record at {r}");
        }
    }

    #[test]
    fn a_module_without_locations_is_left_as_it_was() {
        let m = module(&[0, 0x41, 5, 0x1a, 0x0b], 1024, b"no source files here");
        let (out, what) = fold(&m).unwrap();
        assert_eq!(out, m);
        assert_eq!(what.records, 0);
    }

    #[test]
    fn what_cannot_be_read_exactly_is_an_error() {
        // SIMD is not decoded: refused with its opcode.
        let simd = module(&[0, 0xfd, 0x0c, 0x0b], 1024, &data());
        assert!(fold(&simd).unwrap_err().contains("0xfd"));
        // A body whose last `end` comes before its size says.
        let short = module(&[0, 0x0b, 0x01], 1024, &data());
        assert!(fold(&short).unwrap_err().contains("ends 1 bytes before"));
        // Truncated anywhere: an error, never a panic.
        let whole = module(&[0, 0x41, 0xa0, 0x08, 0x1a, 0x0b], 1024, &data());
        for cut in 8..whole.len() {
            let _ = fold(&whole[..cut]);
        }
    }

    #[test]
    fn signed_numbers_round_trip() {
        for v in [
            0i64,
            1,
            -1,
            63,
            64,
            -64,
            -65,
            1_048_576,
            i64::from(i32::MIN),
            i64::from(i32::MAX),
        ] {
            let mut b = Vec::new();
            write_sleb(&mut b, v);
            let mut r = Reader { b: &b, at: 0 };
            assert_eq!(read_sleb(&mut r).unwrap(), v);
            assert_eq!(r.at, b.len());
        }
    }
}
