//! `cargo xtask dist`: the release bundle in `dist/`, ready for static hosting.

use crate::{cmd, csp, setup};

/// Loopback origins the emulator listens on; only bundles built for the demo, the tests and
/// the benchmarks may talk to them.
const EMULATOR_ORIGINS: &[&str] = &["http://127.0.0.1:*"];

pub fn run(args: &[String]) -> Result<(), String> {
    let emulator = args.iter().any(|a| a == "--emulator");
    if let Some(other) = args.iter().find(|a| *a != "--emulator") {
        return Err(format!("dist: unknown option `{other}`"));
    }
    setup::run()?;
    build(emulator)
}

/// `trunk build --release`, offline, then the CSP completed with the bootstrap script's hash.
pub fn build(emulator: bool) -> Result<(), String> {
    // Two builds into one dist/ at once (two terminals, or a test run beside a demo) would
    // clobber each other's staging directory; take turns.
    let lock_path = std::env::temp_dir().join("vigil-dist.lock");
    let lock = std::fs::File::create(&lock_path)
        .map_err(|e| format!("cannot create {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    cmd::run(
        cmd::command("trunk")
            .args(["build", "--release", "--offline"])
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            .env("NO_COLOR", "true"),
    )?;
    let index = cmd::root().join("dist/index.html");
    let html =
        std::fs::read_to_string(&index).map_err(|e| format!("cannot read {index:?}: {e}"))?;
    let extra = if emulator { EMULATOR_ORIGINS } else { &[] };
    let html = csp::finalize(&html, extra)?;
    std::fs::write(&index, html).map_err(|e| format!("cannot write {index:?}: {e}"))?;
    println!(
        "dist: built dist/ ({})",
        if emulator {
            "for the emulator"
        } else {
            "for Microsoft Graph"
        }
    );
    Ok(())
}
