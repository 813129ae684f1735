//! Short names for the links between the wasm and wasm-bindgen's JavaScript glue.
//!
//! wasm-bindgen names each import after its JavaScript function and a 16-digit hash
//! (`__wbg_addEventListener_847fd86b8c33ec43`), and each closure export after rustc's symbol hash.
//! Each name is written twice, once in the wasm and once in the glue, and the hashes do not
//! compress. This step renames every import of the glue's module to a name of one or two letters,
//! and every hashed export to `h` and a number, in both files, and writes their new `integrity`
//! into index.html. Nothing else changes: no code, no order. Measured 2026-12-03 on the app with
//! the eDiscovery page (250 imports, 7 hashed exports): wasm 494.4 -> 491.3 kB brotli, glue 7.4
//! -> 4.9 kB.
//!
//! Every name is checked in the glue before it is replaced: an import must be written there
//! exactly once (its key in the imports object) and an export at least once, so a wasm-bindgen
//! whose glue looks different stops the build instead of shipping a module that cannot link.

use std::path::Path;

use crate::minify;
use crate::wasm::{self, Reader, write_leb, write_name};

/// Drops the classes nothing reaches ([`crate::classes`]), shortens the names linking the one
/// `*_bg.wasm` at the top of `dir` and its glue `*.js`, and updates `dir/index.html`.
pub fn run(dir: &Path) -> Result<(), String> {
    let wasm_path = only_file(dir, "_bg.wasm")?;
    let wasm_name = file_name(&wasm_path)?;
    let stem = wasm_name.trim_end_matches("_bg.wasm");
    let glue_name = format!("{stem}.js");
    let glue_path = dir.join(&glue_name);
    let module =
        std::fs::read(&wasm_path).map_err(|e| format!("cannot read {wasm_path:?}: {e}"))?;
    let glue = std::fs::read_to_string(&glue_path)
        .map_err(|e| format!("cannot read {glue_path:?}: {e}"))?;
    let (module, glue, dropped) = crate::classes::drop_unreachable(&module, &glue)
        .map_err(|e| format!("{wasm_name}: {e}"))?;
    if !dropped.is_empty() {
        println!(
            "linkage: dropped the classes nothing reaches: {}",
            dropped.join(", ")
        );
    }
    let (module, glue) = shorten(&module, &glue).map_err(|e| format!("{wasm_name}: {e}"))?;
    std::fs::write(&wasm_path, &module).map_err(|e| format!("cannot write {wasm_path:?}: {e}"))?;
    std::fs::write(&glue_path, &glue).map_err(|e| format!("cannot write {glue_path:?}: {e}"))?;
    let index = dir.join("index.html");
    let html =
        std::fs::read_to_string(&index).map_err(|e| format!("cannot read {index:?}: {e}"))?;
    let html = minify::set_integrity(&html, wasm_name, &module)?;
    let html = minify::set_integrity(&html, &glue_name, glue.as_bytes())?;
    std::fs::write(&index, html).map_err(|e| format!("cannot write {index:?}: {e}"))
}

/// The one file at the top of `dir` whose name ends with `suffix` (an error unless exactly one).
pub fn only_file(dir: &Path, suffix: &str) -> Result<std::path::PathBuf, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list {dir:?}: {e}"))?;
    let found: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_str().is_some_and(|p| p.ends_with(suffix)))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "{dir:?} has {} {suffix} files, not one",
            found.len()
        )),
    }
}

fn file_name(path: &Path) -> Result<&str, String> {
    path.file_name()
        .and_then(|n| n.to_str())
        .ok_or(format!("{path:?} has no name"))
}

/// `module` and `glue` with the glue module's imports and the hashed exports renamed in both.
pub fn shorten(module: &[u8], glue: &str) -> Result<(Vec<u8>, String), String> {
    let sections = wasm::sections(module)?;
    let mut renames: Vec<(String, String)> = Vec::new();
    let mut out = module[..8].to_vec();
    for section in sections {
        let mut r = Reader {
            b: &module[..section.content.end],
            at: section.content.start,
        };
        let content = match section.id {
            2 => imports(&mut r, glue, &mut renames)?,
            7 => exports(&mut r, glue, &mut renames)?,
            _ => {
                out.extend_from_slice(&module[section.span]);
                continue;
            }
        };
        if r.at != section.content.end {
            return Err(format!(
                "section {} has bytes after its entries",
                section.id
            ));
        }
        out.extend(wasm::section(section.id, &content));
    }
    let mut glue = glue.to_owned();
    for (old, new) in &renames {
        glue = replace_tokens(&glue, old, new);
    }
    Ok((out, glue))
}

/// The import section with each function the glue provides named by its index: `a`..`Z`,
/// then two characters.
fn imports(
    r: &mut Reader,
    glue: &str,
    renames: &mut Vec<(String, String)>,
) -> Result<Vec<u8>, String> {
    let count = r.leb()?;
    let mut content = Vec::new();
    write_leb(&mut content, count);
    for _ in 0..count {
        let module = r.name()?.to_vec();
        let name = utf8(r.name()?)?;
        let start = r.at;
        let function = r.import_description()?;
        let description = &r.b[start..r.at];
        let new = if function && module.ends_with(b"_bg.js") {
            let written = token_positions(glue, &name).len();
            if written != 1 {
                return Err(format!(
                    "the import {name} is written {written} times in the glue, not once"
                ));
            }
            let new = short_name(renames.len());
            renames.push((name, new.clone()));
            new
        } else {
            name
        };
        write_name(&mut content, &module);
        write_name(&mut content, new.as_bytes());
        content.extend_from_slice(description);
    }
    Ok(content)
}

/// The export section with each export named after a rustc hash (`…__h0123456789abcdef`)
/// renamed `h0`, `h1`, …
fn exports(
    r: &mut Reader,
    glue: &str,
    renames: &mut Vec<(String, String)>,
) -> Result<Vec<u8>, String> {
    let count = r.leb()?;
    let mut entries = Vec::new();
    for _ in 0..count {
        let name = utf8(r.name()?)?;
        let kind = r.byte()?;
        let index = r.leb()?;
        entries.push((name, kind, index));
    }
    let mut next = 0;
    let mut content = Vec::new();
    write_leb(&mut content, count);
    for (name, kind, index) in &entries {
        let mut new = name.clone();
        if has_rustc_hash(name) {
            if token_positions(glue, name).is_empty() {
                return Err(format!("the export {name} is not in the glue"));
            }
            new = loop {
                let candidate = format!("h{next}");
                next += 1;
                if !entries.iter().any(|(n, _, _)| *n == candidate) {
                    break candidate;
                }
            };
            renames.push((name.clone(), new.clone()));
        }
        write_name(&mut content, new.as_bytes());
        content.push(*kind);
        write_leb(&mut content, *index);
    }
    Ok(content)
}

fn utf8(name: &[u8]) -> Result<String, String> {
    String::from_utf8(name.to_vec()).map_err(|_| "a name that is not UTF-8".to_owned())
}

/// Whether `name` ends with rustc's `__h` and 16 hex digits.
fn has_rustc_hash(name: &str) -> bool {
    name.len() > 19
        && name.is_char_boundary(name.len() - 19)
        && name[name.len() - 19..].starts_with("__h")
        && name[name.len() - 16..]
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
}

/// The `n`th of the names `a`..`z`, `A`..`Z`, then the same followed by a letter or digit.
fn short_name(n: usize) -> String {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const NEXT: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut name = vec![FIRST[n % FIRST.len()]];
    let mut rest = n / FIRST.len();
    while rest > 0 {
        rest -= 1;
        name.push(NEXT[rest % NEXT.len()]);
        rest /= NEXT.len();
    }
    String::from_utf8(name).unwrap_or_default()
}

fn is_identifier(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Where `name` is written in `js` as a whole identifier.
pub fn token_positions(js: &str, name: &str) -> Vec<usize> {
    let bytes = js.as_bytes();
    js.match_indices(name)
        .map(|(at, _)| at)
        .filter(|&at| {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(at + name.len()).copied();
            !before.is_some_and(is_identifier) && !after.is_some_and(is_identifier)
        })
        .collect()
}

fn replace_tokens(js: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut from = 0;
    for at in token_positions(js, old) {
        out.push_str(&js[from..at]);
        out.push_str(new);
        from = at + old.len();
    }
    out.push_str(&js[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasm::section;

    const HASHED: &str = "invoke__h0123456789abcdef";

    /// Imports: two functions from the glue, one from `env`, the glue's memory; exports: `main`
    /// and one hashed closure.
    fn module() -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend(section(1, &[1, 0x60, 0, 0]));
        let mut imports = vec![4];
        for (module, name) in [
            ("./app_bg.js", "__wbg_alert_1111111111111111"),
            ("env", "keep_me"),
            ("./app_bg.js", "__wbg_now_2222222222222222"),
        ] {
            write_name(&mut imports, module.as_bytes());
            write_name(&mut imports, name.as_bytes());
            imports.extend_from_slice(&[0, 0]);
        }
        write_name(&mut imports, b"./app_bg.js");
        write_name(&mut imports, b"memory");
        imports.extend_from_slice(&[2, 0, 1]);
        m.extend(section(2, &imports));
        m.extend(section(3, &[1, 0]));
        let mut exports = vec![2];
        write_name(&mut exports, b"main");
        exports.extend_from_slice(&[0, 3]);
        write_name(&mut exports, HASHED.as_bytes());
        exports.extend_from_slice(&[0, 3]);
        m.extend(section(7, &exports));
        m.extend(section(10, &[1, 2, 0, 0x0b]));
        m
    }

    const GLUE: &str = "const i = { __proto__: null, __wbg_alert_1111111111111111: function(a) { alert(a) }, \
        __wbg_now_2222222222222222: function() { return Date.now() } };\n\
        function f() { wasm.invoke__h0123456789abcdef(); wasm.main(); wasm.invoke__h0123456789abcdef(); }";

    fn names(module: &[u8], id: u8) -> Vec<String> {
        let s = wasm::sections(module)
            .unwrap()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap();
        let mut r = Reader {
            b: &module[..s.content.end],
            at: s.content.start,
        };
        (0..r.leb().unwrap())
            .map(|_| {
                if id == 2 {
                    r.name().unwrap();
                }
                let name = utf8(r.name().unwrap()).unwrap();
                if id == 2 {
                    r.import_description().unwrap();
                } else {
                    r.byte().unwrap();
                    r.leb().unwrap();
                }
                name
            })
            .collect()
    }

    #[test]
    fn the_glue_functions_and_hashed_exports_get_short_names_in_both_files() {
        let (m, glue) = shorten(&module(), GLUE).unwrap();
        assert_eq!(names(&m, 2), ["a", "keep_me", "b", "memory"]);
        assert_eq!(names(&m, 7), ["main", "h0"]);
        assert_eq!(
            glue,
            "const i = { __proto__: null, a: function(a) { alert(a) }, \
        b: function() { return Date.now() } };\n\
        function f() { wasm.h0(); wasm.main(); wasm.h0(); }"
        );
        // The other sections are byte for byte as they were.
        let before = wasm::sections(&module()).unwrap();
        let after = wasm::sections(&m).unwrap();
        for (b, a) in before
            .iter()
            .zip(&after)
            .filter(|(b, _)| b.id != 2 && b.id != 7)
        {
            assert_eq!(module()[b.span.clone()], m[a.span.clone()]);
        }
    }

    #[test]
    fn an_import_the_glue_does_not_write_exactly_once_stops_the_build() {
        let missing = GLUE.replace("__wbg_now_2222222222222222", "now");
        let err = shorten(&module(), &missing).unwrap_err();
        assert!(
            err.contains("__wbg_now_2222222222222222 is written 0 times"),
            "{err}"
        );
        let twice = format!("{GLUE} __wbg_alert_1111111111111111");
        assert!(shorten(&module(), &twice).is_err());
        // A longer identifier containing the name is not the name.
        let longer = GLUE.replace(
            "wasm.invoke__h0123456789abcdef",
            "wasm.invoke__h0123456789abcdef0",
        );
        assert!(
            shorten(&module(), &longer)
                .unwrap_err()
                .contains("not in the glue")
        );
    }

    #[test]
    fn a_truncated_module_is_an_error_not_a_panic() {
        let m = module();
        let ends: Vec<usize> = wasm::sections(&m)
            .unwrap()
            .iter()
            .map(|s| s.span.end)
            .collect();
        for cut in (0..m.len()).filter(|cut| !ends.contains(cut) && *cut != 8) {
            assert!(shorten(&m[..cut], GLUE).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..6000).map(short_name).collect();
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        assert_eq!(names[0], "a");
        assert_eq!(names[51], "Z");
        assert!(
            names
                .iter()
                .all(|n| !n.as_bytes()[0].is_ascii_digit() && n.len() <= 3)
        );
    }
}
