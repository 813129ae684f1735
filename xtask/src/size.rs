//! Bundle size: raw, gzip and brotli sizes of what `trunk build --release` produced, and the
//! budget `cargo xtask test` enforces.

use std::io::Write;
use std::path::Path;

/// The goal for wasm + js + css together, brotli-compressed (issue #7): the whole app in at most
/// 300 kB; the stretch is the empty JavaScript reference stack in BENCHMARKS.md.
pub const GOAL_BROTLI_BYTES: u64 = 300_000;

/// What `cargo xtask test` enforces. The project's limit is 500 kB with every section, the goal
/// 450 kB, then 400 kB. History: 382.4 kB on 2026-11-22 (Leptos's erase_components, an own
/// router, one sort, no float formatting) set a 390 kB budget; on 2026-12-02 the restructuring
/// (page table, actions, typed browser helpers) measured 388.2 kB and the first correlation
/// page with its engine 427.2 kB (+39.0 kB), so the budget is now the 450 kB goal: room for
/// one more section's first draft, not for two. Lower it as the app shrinks; never raise it
/// without saying why in the commit.
pub const BUDGET_BROTLI_BYTES: u64 = 450_000;

#[derive(Debug, Default, Clone, Copy)]
pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// Sizes of the shipped code in `dist`: every .wasm, .js and .css file.
pub fn bundle(dist: &Path) -> Result<Sizes, String> {
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    let mut total = Sizes::default();
    let mut files = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let shipped = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("wasm" | "js" | "css")
        );
        if !shipped {
            continue;
        }
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let s = of(&bytes);
        total.raw += s.raw;
        total.gzip += s.gzip;
        total.brotli += s.brotli;
        files += 1;
    }
    if files == 0 {
        return Err(format!(
            "no .wasm/.js/.css in {}: build the bundle first",
            dist.display()
        ));
    }
    Ok(total)
}

pub fn of(bytes: &[u8]) -> Sizes {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).expect("writing to memory");
    let gzip = gz.finish().expect("writing to memory").len() as u64;
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        w.write_all(bytes).expect("writing to memory");
    }
    Sizes {
        raw: bytes.len() as u64,
        gzip,
        brotli: br.len() as u64,
    }
}

pub fn check_budget(dist: &Path) -> Result<(), String> {
    let s = bundle(&crate::cmd::root().join(dist))?;
    println!(
        "bundle (wasm + js + css): {} B raw, {} B gzip, {} B brotli; budget {} B brotli (goal {} B)",
        s.raw, s.gzip, s.brotli, BUDGET_BROTLI_BYTES, GOAL_BROTLI_BYTES
    );
    if s.brotli > GOAL_BROTLI_BYTES {
        println!(
            "note: {} B over the {} B goal",
            s.brotli - GOAL_BROTLI_BYTES,
            GOAL_BROTLI_BYTES
        );
    }
    if s.brotli > BUDGET_BROTLI_BYTES {
        return Err(format!(
            "the bundle is {} B brotli, over the {} B budget",
            s.brotli, BUDGET_BROTLI_BYTES
        ));
    }
    Ok(())
}
