//! `cargo xtask dist`: the release bundle in `dist/`, ready for static hosting.

use crate::{cmd, csp, setup};

/// Loopback origins the emulator listens on; only bundles built for the demo, the tests and
/// the benchmarks may talk to them.
const EMULATOR_ORIGINS: &[&str] = &["http://127.0.0.1:*"];

pub fn run(args: &[String]) -> Result<(), String> {
    let mut emulator = false;
    let mut base = "/".to_owned();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--emulator" => emulator = true,
            "--base" => base = base_path(args.next().map(String::as_str))?,
            other => return Err(format!("dist: unknown option `{other}`")),
        }
    }
    setup::run()?;
    build_under(emulator, &base)
}

/// `--base /vigil/`: the path the app is hosted under, with a slash at each end.
fn base_path(given: Option<&str>) -> Result<String, String> {
    let given = given.ok_or("dist: --base needs a path, e.g. --base /vigil/")?;
    let trimmed = given.trim_matches('/');
    let ok = trimmed
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~/".contains(c))
        && !trimmed.contains("//");
    if !ok {
        return Err(format!(
            "dist: --base `{given}` is not a plain path (letters, digits, - . _ ~ and /)"
        ));
    }
    Ok(if trimmed.is_empty() {
        "/".to_owned()
    } else {
        format!("/{trimmed}/")
    })
}

/// The bundle at the root of its origin.
pub fn build(emulator: bool) -> Result<(), String> {
    build_under(emulator, "/")
}

/// `trunk build --release`, offline, then the CSP completed with the bootstrap script's hash.
/// `base` is where the app is hosted (`/`, or `/vigil/`): Trunk writes the asset URLs under it
/// and the app, built with `VIGIL_BASE_PATH`, its links and the address bar.
fn build_under(emulator: bool, base: &str) -> Result<(), String> {
    // Two builds into one dist/ at once (two terminals, or a test run beside a demo) would
    // clobber each other's staging directory; take turns.
    let lock_path = std::env::temp_dir().join("vigil-dist.lock");
    let lock = std::fs::File::create(&lock_path)
        .map_err(|e| format!("cannot create {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    cmd::run(
        cmd::command("trunk")
            .args(["build", "--release", "--offline", "--public-url", base])
            .env("VIGIL_BASE_PATH", base)
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
        "dist: built dist/ for {base} ({})",
        if emulator {
            "for the emulator"
        } else {
            "for Microsoft Graph"
        }
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::base_path;

    #[test]
    fn a_base_path_gets_a_slash_at_each_end_and_nothing_odd() {
        assert_eq!(base_path(Some("vigil")).unwrap(), "/vigil/");
        assert_eq!(base_path(Some("/vigil/")).unwrap(), "/vigil/");
        assert_eq!(base_path(Some("/a/b")).unwrap(), "/a/b/");
        assert_eq!(base_path(Some("/")).unwrap(), "/");
        assert!(base_path(None).is_err());
        assert!(base_path(Some("/a b/")).is_err());
        assert!(base_path(Some("/a//b/")).is_err());
        assert!(base_path(Some("/\"x/")).is_err());
    }
}
