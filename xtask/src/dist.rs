//! `cargo xtask dist`: the release bundle in `dist/`, ready for static hosting.

use std::path::{Path, PathBuf};

use crate::{cmd, csp, headers, layout, linkage, locations, minify, setup};

/// Loopback origins the emulator listens on; only bundles built for the demo, the tests and
/// the benchmarks may talk to them.
const EMULATOR_ORIGINS: &[&str] = &["http://127.0.0.1:*"];

pub fn run(args: &[String]) -> Result<(), String> {
    let mut base = "/".to_owned();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--base" => base = base_path(args.next().map(String::as_str))?,
            "--emulator" => {
                return Err(format!(
                    "dist: --emulator is gone: dist/ is only ever the bundle for Microsoft Graph; \
                     demo, test and bench build theirs in {}",
                    emulator_dir().display()
                ));
            }
            other => return Err(format!("dist: unknown option `{other}`")),
        }
    }
    setup::run()?;
    let out = cmd::root().join("dist");
    let _lock = lock()?;
    trunk(&out, &base)?;
    finalize(&out, false)?;
    host_files(&out, &base)?;
    println!(
        "dist: built dist/ for {base}, for Microsoft Graph, with the headers for Netlify, \
         Cloudflare Pages and Azure Static Web Apps (docs/deploy.md: nginx, CloudFront)"
    );
    Ok(())
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

/// Where the bundle the emulator serves lives (demo, test, bench): never dist/, so that dist/
/// only ever holds what ships.
pub fn emulator_dir() -> PathBuf {
    cmd::target_dir().join("bundle/emulator")
}

/// Where `cargo xtask test` puts the shipped bundle it checks and measures.
pub fn shipped_dir() -> PathBuf {
    cmd::target_dir().join("bundle/shipped")
}

/// The bundle for the emulator (loopback origins allowed), at the root of its origin.
pub fn build_for_emulator() -> Result<PathBuf, String> {
    let out = emulator_dir();
    let _lock = lock()?;
    trunk(&out, "/")?;
    finalize(&out, true)?;
    println!("dist: built {} for the emulator", out.display());
    Ok(out)
}

/// One Trunk build finalized twice: the shipped bundle ([`shipped_dir`], Microsoft Graph
/// only) and the emulator's ([`emulator_dir`]). Returns both, shipped first.
pub fn build_both() -> Result<(PathBuf, PathBuf), String> {
    let (shipped, emulated) = (shipped_dir(), emulator_dir());
    let _lock = lock()?;
    trunk(&shipped, "/")?;
    copy_dir(&shipped, &emulated)?;
    finalize(&shipped, false)?;
    finalize(&emulated, true)?;
    println!(
        "dist: built {} (shipped) and {} (for the emulator)",
        shipped.display(),
        emulated.display()
    );
    Ok((shipped, emulated))
}

/// The bundle built with a cargo feature of the app (the bench's `bench-without-…` builds),
/// for its size only: no policy, never served.
pub fn build_with_feature(feature: &str) -> Result<PathBuf, String> {
    let out = cmd::target_dir().join("bundle").join(feature);
    let _lock = lock()?;
    trunk_with(&out, "/", &["--features", feature])?;
    Ok(out)
}

/// Two builds into one folder at once (two terminals, or a test run beside a demo) would
/// clobber each other's staging directory; take turns.
fn lock() -> Result<std::fs::File, String> {
    let lock_path = std::env::temp_dir().join("vigil-dist.lock");
    let lock = std::fs::File::create(&lock_path)
        .map_err(|e| format!("cannot create {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    Ok(lock)
}

/// `trunk build --release` into `out`, offline, then the links between wasm and glue given
/// short names ([`linkage`]), the functions ordered for brotli ([`layout`]) and the JavaScript
/// and CSS minified. `base` is where the app is hosted (`/`, or
/// `/vigil/`): Trunk writes the asset URLs under it and the app, built with `VIGIL_BASE_PATH`,
/// its links and the address bar.
fn trunk(out: &Path, base: &str) -> Result<(), String> {
    trunk_with(out, base, &[])
}

/// [`trunk`] with more arguments for Trunk (`--features …`).
fn trunk_with(out: &Path, base: &str, more: &[&str]) -> Result<(), String> {
    cmd::run(
        cmd::command("trunk")
            .args(["build", "--release", "--offline", "--public-url", base])
            .args(more)
            .arg("--dist")
            .arg(out)
            .env("VIGIL_BASE_PATH", base)
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            .env("NO_COLOR", "true"),
    )?;
    linkage::run(out)?;
    locations::run(out)?;
    layout::run(out)?;
    minify::run(out)
}

/// The Content-Security-Policy of `dir/index.html` completed with the bootstrap script's hash
/// (and, for the emulator, its loopback origins).
fn finalize(dir: &Path, emulator: bool) -> Result<(), String> {
    let index = dir.join("index.html");
    let html =
        std::fs::read_to_string(&index).map_err(|e| format!("cannot read {index:?}: {e}"))?;
    let extra = if emulator { EMULATOR_ORIGINS } else { &[] };
    let html = csp::finalize(&html, extra)?;
    std::fs::write(&index, html).map_err(|e| format!("cannot write {index:?}: {e}"))
}

/// `_headers`, `_redirects` and `staticwebapp.config.json` beside the bundle, carrying its
/// finalized policy.
fn host_files(dir: &Path, base: &str) -> Result<(), String> {
    let index = dir.join("index.html");
    let html =
        std::fs::read_to_string(&index).map_err(|e| format!("cannot read {index:?}: {e}"))?;
    let policy = csp::policy(&html).ok_or("the built index.html has no policy")?;
    for (name, text) in [
        ("_headers", headers::netlify_headers(policy, base)),
        ("_redirects", headers::netlify_redirects(base)),
        (
            "staticwebapp.config.json",
            headers::static_web_app(policy, base),
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {path:?}: {e}"))?;
    }
    Ok(())
}

/// Whether a finalized page's policy lets it talk to loopback addresses: the shipped bundle's
/// never may.
pub fn allows_loopback(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|host| lower.contains(host))
}

/// Checks the shipped bundle's index.html.
pub fn check_shipped(dir: &Path) -> Result<(), String> {
    let index = dir.join("index.html");
    let html =
        std::fs::read_to_string(&index).map_err(|e| format!("cannot read {index:?}: {e}"))?;
    if allows_loopback(&html) {
        return Err(format!(
            "{} names a loopback origin: the shipped bundle must only talk to Microsoft",
            index.display()
        ));
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("cannot copy to {}: {e}", target.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{allows_loopback, base_path};

    #[test]
    fn a_policy_naming_loopback_is_caught() {
        let page = |connect: &str| {
            format!(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"connect-src 'self' {connect}\">"
            )
        };
        assert!(allows_loopback(&page("http://127.0.0.1:*")));
        assert!(allows_loopback(&page("http://LOCALHOST:8082")));
        assert!(allows_loopback(&page("http://[::1]:8082")));
        assert!(!allows_loopback(&page("https://graph.microsoft.com")));
    }

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
