//! The workspace's layout rules that the compiler cannot check.
//!
//! "Only the typed client builds Graph URLs and decodes Graph bodies": a Graph path
//! (`security/…`, `v1.0/…`, `beta/…`) written as a string literal anywhere else means a page or
//! module has started talking to Graph past the client, where throttling, paging, origin checks
//! and error handling are not applied. The emulator stands in for Graph, so it serves those
//! paths; tests, benches and unit-test modules may name URLs to assert on them.

// The bundle's size rules (clippy.toml) are for shipped code; a test sorts as it likes.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::path::{Path, PathBuf};

/// What a Graph path looks like inside a string literal.
const GRAPH_PATHS: &[&str] = &["security/", "v1.0/", "beta/"];

/// Folders (relative to the workspace root) whose files may hold Graph paths.
const ALLOWED_DIRS: &[&str] = &[
    // The typed client: its family files are where Graph URLs are built.
    "crates/core/src/client",
    // The stand-in for Graph serves the same paths.
    "crates/emulator",
];

/// Single files that may, and why.
const ALLOWED_FILES: &[(&str, &str)] = &[(
    "crates/core/src/scheduler.rs",
    "Family::of_url reads a request's URL to pick its throttling budget; it builds none",
)];

/// Folders never searched: build output, dependencies, and test or bench code (which asserts
/// on URLs and loads example bodies from folders named after API versions).
const SKIPPED_DIR_NAMES: &[&str] = &["target", "node_modules", "tests", "benches"];

#[test]
fn graph_paths_are_only_in_the_client() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().expect("workspace root");
    let mut files = Vec::new();
    rust_files(&root, &root, &mut files);
    assert!(
        files.iter().any(|f| f == Path::new("src/lib.rs")),
        "the walk did not reach the app's sources from {}",
        root.display()
    );
    let mut found = Vec::new();
    for rel in &files {
        let name = rel.to_string_lossy().replace('\\', "/");
        if ALLOWED_DIRS
            .iter()
            .any(|d| name.starts_with(&format!("{d}/")))
            || ALLOWED_FILES.iter().any(|(f, _)| name == *f)
        {
            continue;
        }
        let text = std::fs::read_to_string(root.join(rel)).expect("readable source");
        for (line, lit) in string_literals(without_test_module(&text)) {
            if GRAPH_PATHS.iter().any(|p| lit.contains(p)) {
                found.push(format!("{name}:{line}: {lit:?}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Graph paths outside the typed client (give GraphClient a method instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scanner_sees_literals_not_comments() {
    let src = r####"
// "security/alerts_v2" in a comment
/* "v1.0/me" in a block /* nested */ comment */
fn f<'a>(x: &'a str) -> char {
    let q = '"';
    let e = '\'';
    let _ = "a \" security/escaped";
    let _ = r#"raw "with quotes" beta/x"#;
    let _ = b"bytes";
    q
}
#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    const U: &str = "v1.0/only-in-tests";
}
"####;
    let lits: Vec<String> = string_literals(without_test_module(src))
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    assert_eq!(
        lits,
        [
            r#"a \" security/escaped"#,
            r#"raw "with quotes" beta/x"#,
            "bytes"
        ]
    );
    assert_eq!(string_literals("\n\n\"x\"")[0].0, 3);
}

/// Every `.rs` file under `dir`, relative to `root`, minus skipped folders.
fn rust_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("readable entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') && !SKIPPED_DIR_NAMES.contains(&name.as_ref()) {
                rust_files(root, &path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path.strip_prefix(root).expect("under root").to_path_buf());
        }
    }
}

/// The source before its `#[cfg(test)] mod …` (unit tests come last in this workspace's files).
fn without_test_module(src: &str) -> &str {
    let mut offset = 0;
    let mut lines = src.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            // Other attributes may stand between it and the `mod`.
            let mut ahead = lines.clone().map(str::trim_start);
            if ahead
                .find(|next| !next.starts_with("#["))
                .is_some_and(|next| next.starts_with("mod "))
            {
                return &src[..offset];
            }
        }
        offset += line.len();
    }
    src
}

/// The string literals of Rust source (contents as written, escapes not undone) with the line
/// each starts on. Comments, char literals and lifetimes are skipped; raw strings are read to
/// their own closing `"#…`.
fn string_literals(src: &str) -> Vec<(usize, String)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    while i < b.len() {
        match b[i] {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if b[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        line += usize::from(b[i] == b'\n');
                        i += 1;
                    }
                }
            }
            b'\'' => {
                // A char literal ('x', '\'', '\u{..}') or a lifetime ('a), which has no close.
                if b.get(i + 1) == Some(&b'\\') {
                    i += 2;
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                } else if let Some(len) = src[i + 1..].chars().next().map(char::len_utf8)
                    && b.get(i + 1 + len) == Some(&b'\'')
                {
                    i += 2 + len;
                } else {
                    i += 1;
                }
            }
            b'"' => {
                let start = i + 1;
                let start_line = line;
                i = start;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    line += usize::from(b.get(i) == Some(&b'\n'));
                    i += 1;
                }
                out.push((start_line, src[start..i.min(b.len())].to_owned()));
                i += 1;
            }
            c if ident(c) => {
                // A whole word at once, so an `r` ending an identifier is not read as a raw
                // string's prefix.
                let word = i;
                while i < b.len() && ident(b[i]) {
                    i += 1;
                }
                let hashes = b[i..].iter().take_while(|&&c| c == b'#').count();
                if matches!(&src[word..i], "r" | "br") && b.get(i + hashes) == Some(&b'"') {
                    let close = format!("\"{}", "#".repeat(hashes));
                    let start = i + hashes + 1;
                    let end = src[start..].find(&close).map_or(b.len(), |at| start + at);
                    out.push((line, src[start..end].to_owned()));
                    line += src[i..end].matches('\n').count();
                    i = (end + close.len()).min(b.len());
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// "No circular module imports in the core": the core's top-level modules, as each one names
/// the others (`crate::x`) outside comments and unit tests, form no cycle, so each can be read,
/// and moved, after the ones it uses.
#[test]
fn the_cores_modules_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &src, &mut files);
    let mut uses: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for rel in &files {
        let module = rel
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_owned()
            })
            .expect("a file under src");
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(src.join(rel)).expect("readable source");
        let named = uses.entry(module.clone()).or_default();
        for other in crate_paths(without_test_module(&text)) {
            if other != module {
                named.insert(other);
            }
        }
    }
    assert!(
        uses.len() > 10,
        "the walk found the core's modules: {uses:?}"
    );
    // Depth-first search, reporting the first cycle found as a path.
    fn visit(
        m: &str,
        uses: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut cycle = path[at..].to_vec();
            cycle.push(m.to_owned());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_owned());
        for next in uses.get(m).into_iter().flatten() {
            if let Some(cycle) = visit(next, uses, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(m.to_owned());
        None
    }
    let mut done = Default::default();
    for m in uses.keys() {
        if let Some(cycle) = visit(m, &uses, &mut Vec::new(), &mut done) {
            panic!(
                "the core's modules import each other: {}",
                cycle.join(" -> ")
            );
        }
    }
}

#[test]
fn module_paths_are_read_from_code_not_comments() {
    let src = "use crate::a::B; // crate::c\n/// [`crate::d`]\nfn f() { crate::e::g(); }\n";
    assert_eq!(crate_paths(src), ["a", "e"]);
}

/// The top-level modules a source names as `crate::x`, outside comments.
fn crate_paths(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in src.lines() {
        let code = line.split("//").next().unwrap_or_default();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let whole_word = at == 0
                || !code[..at]
                    .ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$');
            if !name.is_empty() && whole_word && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}
