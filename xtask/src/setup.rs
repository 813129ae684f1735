//! `cargo xtask setup`: installs every tool the build and the tests need, pinned, and skips
//! what is already present. Everything comes from crates.io, npm or Debian's archive; Trunk is
//! then configured (Trunk.toml) never to download anything itself.

use std::path::Path;
use std::time::Instant;

use crate::cmd;

/// Trunk 0.22 needs a newer rustc than this machine's 1.95.
const TRUNK_VERSION: &str = "0.21.14";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const NGINX: &str = "/usr/sbin/nginx";

pub fn run() -> Result<(), String> {
    let started = Instant::now();
    wasm_target()?;
    trunk()?;
    wasm_bindgen_cli()?;
    debian_packages()?;
    npm_packages()?;
    println!("setup: ready in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn wasm_target() -> Result<(), String> {
    let installed = cmd::output(cmd::command("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    cmd::run(cmd::command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn trunk() -> Result<(), String> {
    if version_of("trunk") == Some(format!("trunk {TRUNK_VERSION}")) {
        return Ok(());
    }
    // Trunk's own release profile uses fat LTO, which takes about 12 minutes on two cores;
    // an unoptimised-link build of the tool itself is plenty fast for what it does.
    cmd::run(
        cmd::command("cargo")
            .args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"])
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
    )
}

/// wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock: the CLI refuses
/// a module built by another version.
fn wasm_bindgen_cli() -> Result<(), String> {
    let wanted = locked_version("wasm-bindgen")?;
    let ok = |tool: &str| version_of(tool).is_some_and(|v| v.ends_with(&wanted));
    if ok("wasm-bindgen") && ok("wasm-bindgen-test-runner") {
        return Ok(());
    }
    // No --locked: the registry mirror here can lag behind the CLI's own lockfile.
    cmd::run(
        cmd::command("cargo")
            .args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                &wanted,
                "--force",
            ])
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
    )
}

/// Chromium and its driver for the browser and end-to-end tests, and nginx, which the
/// deployment test serves the bundle with (docs/deploy.md), all from Debian's archive.
fn debian_packages() -> Result<(), String> {
    let missing: Vec<&str> = [
        (CHROMIUM, "chromium"),
        (CHROMEDRIVER, "chromium-driver"),
        (NGINX, "nginx"),
    ]
    .iter()
    .filter(|(path, _)| !Path::new(path).exists())
    .map(|(_, package)| *package)
    .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let apt = |args: &[&str]| {
        let mut c = cmd::command("apt-get");
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        if !is_root() {
            c = cmd::command("sudo");
            c.args(["-E", "apt-get"])
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive");
        }
        cmd::run(&mut c)
    };
    apt(&["update", "-q"])?;
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend(missing);
    apt(&install)
}

/// playwright-core and binaryen (wasm-opt 132), exactly as package-lock.json pins them.
fn npm_packages() -> Result<(), String> {
    let root = cmd::root();
    let lock = root.join("package-lock.json");
    let stamp = root.join("node_modules/.package-lock.json");
    let fresh = |p: &Path| std::fs::read_to_string(p).ok();
    // npm writes node_modules/.package-lock.json after a successful install; when it matches the
    // committed lockfile's packages, nothing needs doing.
    if let (Some(want), Some(have)) = (fresh(&lock), fresh(&stamp))
        && same_packages(&want, &have)
    {
        return Ok(());
    }
    cmd::run(cmd::command("npm").args(["ci", "--no-audit", "--no-fund"]))
}

/// Whether every package the lockfile pins is installed at its version. Optional packages
/// for other platforms (esbuild ships one per OS) are never installed, so they only count
/// when npm did install them.
fn same_packages(lock: &str, installed: &str) -> bool {
    let packages = |text: &str| -> Option<serde_json::Map<String, serde_json::Value>> {
        serde_json::from_str::<serde_json::Value>(text)
            .ok()?
            .get("packages")?
            .as_object()
            .cloned()
    };
    let (Some(wanted), Some(present)) = (packages(lock), packages(installed)) else {
        return false;
    };
    wanted
        .iter()
        .filter(|(path, _)| !path.is_empty())
        .all(|(path, want)| {
            let optional = want.get("optional").and_then(|o| o.as_bool()) == Some(true);
            match present.get(path) {
                Some(have) => have.get("version") == want.get("version"),
                None => optional,
            }
        })
}

fn version_of(tool: &str) -> Option<String> {
    cmd::output(cmd::command(tool).arg("--version"))
}

/// The version of a package as Cargo.lock records it.
pub fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(cmd::root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"")
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

fn is_root() -> bool {
    cmd::output(std::process::Command::new("id").arg("-u")).as_deref() == Some("0")
}
