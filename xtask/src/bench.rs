//! `cargo xtask bench`: measures, writes `target/bench/report.json`, regenerates BENCHMARKS.md.

pub fn run(_args: &[String]) -> Result<(), String> {
    Err("bench: not built yet (issue #7)".into())
}
