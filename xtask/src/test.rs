//! `cargo xtask test`: every check and test in order, one summary line per stage, and a
//! closing `N passed, N failed` line. A failing stage does not stop the later ones (so one run
//! shows everything that is wrong), but it makes the whole command fail.

use std::path::Path;
use std::time::Instant;

use crate::{cmd, dist, emulator, setup, size};

/// The outcome of one stage: tests counted from the runner's own summary, or a check.
struct Stage {
    name: &'static str,
    ok: bool,
    passed: usize,
    failed: usize,
    seconds: f64,
    detail: String,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut skip_setup = false;
    let mut only: Option<String> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--skip-setup" => skip_setup = true,
            "--only" => {
                only = Some(
                    it.next()
                        .ok_or("--only needs a stage: fmt, clippy, native, browser, e2e")?
                        .clone(),
                )
            }
            other => return Err(format!("test: unknown option `{other}`")),
        }
    }
    if !skip_setup {
        setup::run()?;
    }
    let wanted = |key: &str| only.as_deref().is_none_or(|o| o == key);
    let mut stages = Vec::new();
    if wanted("fmt") {
        stages.push(stage("fmt", || {
            check(cmd::command("cargo").args(["fmt", "--all", "--check"]))
        }));
    }
    if wanted("clippy") {
        stages.push(stage("clippy (native)", || {
            check(cmd::command("cargo").args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ]))
        }));
        stages.push(stage("clippy (wasm32)", || {
            // vigil-core's tests need the emulator (tokio, mio), which has no wasm32 build: the
            // core is linted for wasm32 as the library the app ships.
            let lint = |args: &[&str]| {
                let mut c = cmd::command("cargo");
                c.args(["clippy", "--target", "wasm32-unknown-unknown"])
                    .args(args)
                    .args(["--", "-D", "warnings"]);
                cmd::run(&mut c)
            };
            check_result(
                lint(&["-p", "vigil", "--all-targets"])
                    .and_then(|()| lint(&["-p", "vigil-core", "--lib"])),
            )
        }));
    }
    if wanted("native") {
        stages.push(stage("native tests", native_tests));
    }
    if wanted("browser") {
        stages.push(stage(
            "browser tests (wasm-bindgen-test, headless Chromium)",
            browser_tests,
        ));
    }
    let mut bundle_ok = true;
    if wanted("e2e") {
        let bundle = stage("release bundle", || check_result(dist::build(true)));
        bundle_ok = bundle.ok;
        stages.push(bundle);
        if bundle_ok {
            stages.push(stage("size budget", || {
                check_result(size::check_budget(Path::new("dist")))
            }));
            stages.push(stage(
                "end-to-end (Playwright, headless Chromium)",
                end_to_end,
            ));
        }
    }
    if stages.is_empty() {
        return Err(format!(
            "test: no stage called `{}`",
            only.unwrap_or_default()
        ));
    }

    println!();
    println!("== summary ==");
    for s in &stages {
        let verdict = if s.ok { "ok" } else { "FAILED" };
        let counts = if s.passed + s.failed > 0 {
            format!(" ({} passed, {} failed)", s.passed, s.failed)
        } else {
            String::new()
        };
        println!(
            "{}: {verdict}{counts} in {:.0} s{}",
            s.name, s.seconds, s.detail
        );
    }
    if !bundle_ok {
        println!("size budget, end-to-end: not run (no bundle)");
    }
    // A stage that failed without a test count (a check, a build) counts as one failure.
    let passed: usize = stages
        .iter()
        .map(|s| {
            if s.passed + s.failed == 0 && s.ok {
                1
            } else {
                s.passed
            }
        })
        .sum();
    let failed: usize = stages
        .iter()
        .map(|s| if s.ok { s.failed } else { s.failed.max(1) })
        .sum::<usize>()
        + usize::from(!bundle_ok) * 2;
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} failed"))
    }
}

type Outcome = (bool, usize, usize, String);

fn stage(name: &'static str, body: impl FnOnce() -> Outcome) -> Stage {
    println!();
    println!("== {name} ==");
    let started = Instant::now();
    let (ok, passed, failed, detail) = body();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{name}: {} in {seconds:.0} s",
        if ok { "ok" } else { "FAILED" }
    );
    Stage {
        name,
        ok,
        passed,
        failed,
        seconds,
        detail,
    }
}

fn check(cmd: &mut std::process::Command) -> Outcome {
    check_result(cmd::run(cmd))
}

fn check_result(result: Result<(), String>) -> Outcome {
    match result {
        Ok(()) => (true, 0, 0, String::new()),
        Err(e) => {
            eprintln!("{e}");
            (false, 0, 0, format!(": {e}"))
        }
    }
}

fn native_tests() -> Outcome {
    let nextest = cmd::output(cmd::command("cargo").args(["nextest", "--version"])).is_some();
    let (ok, out) = if nextest {
        cmd::run_captured(cmd::command("cargo").args([
            "nextest",
            "run",
            "--workspace",
            "--all-features",
            "--no-fail-fast",
            "--failure-output",
            "final",
        ]))
    } else {
        cmd::run_captured(cmd::command("cargo").args([
            "test",
            "--workspace",
            "--all-features",
            "--no-fail-fast",
        ]))
    };
    let (passed, failed) = counts(&out);
    (ok && passed > 0, passed, failed, String::new())
}

fn browser_tests() -> Outcome {
    // The test runner serves the tests from its own origin; the emulator must allow it (CORS).
    let port = match free_port() {
        Ok(p) => p,
        Err(e) => return check_result(Err(e)),
    };
    let runner_origin = format!("http://127.0.0.1:{port}");
    let emulator = match emulator::start(
        false,
        &[
            "--port",
            "0",
            "--test-token",
            "--spa-origin",
            &runner_origin,
        ],
    ) {
        Ok(e) => e,
        Err(e) => return check_result(Err(e)),
    };
    let (ok, out) = cmd::run_captured(
        cmd::command("cargo")
            .args([
                "test",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "vigil",
                "--test",
                "web",
            ])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
            .env("WASM_BINDGEN_TEST_ADDRESS", format!("127.0.0.1:{port}"))
            .env("VIGIL_TEST_GRAPH_URL", &emulator.graph)
            .env("VIGIL_TEST_TENANT", &emulator.tenant)
            .env("VIGIL_TEST_TOKEN", &emulator.token),
    );
    drop(emulator);
    let (passed, failed) = counts(&out);
    (ok && passed > 0, passed, failed, String::new())
}

/// A loopback port nobody listens on right now.
fn free_port() -> Result<u16, String> {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

fn end_to_end() -> Outcome {
    let out_dir = cmd::target_dir().join("e2e");
    let _ = std::fs::create_dir_all(&out_dir);
    // The planted stories' answers reach the tests through a file, never through the app.
    let truth = out_dir.join("truth.json");
    let truth_arg = truth.to_string_lossy().into_owned();
    let emulator = match emulator::start(
        false,
        &["--port", "0", "--dist", "dist", "--truth-file", &truth_arg],
    ) {
        Ok(e) => e,
        Err(e) => return check_result(Err(e)),
    };
    let files = match e2e_files() {
        Ok(files) => files,
        Err(e) => return check_result(Err(e)),
    };
    let (ok, out) = cmd::run_captured(
        cmd::command("node")
            .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
            .args(&files)
            .env("VIGIL_APP_URL", &emulator.app)
            .env("VIGIL_AUTHORITY_URL", &emulator.authority)
            .env("VIGIL_GRAPH_URL", &emulator.graph)
            .env("VIGIL_E2E_OUT", &out_dir)
            .env("VIGIL_TRUTH_FILE", &truth),
    );
    drop(emulator);
    let (passed, failed) = counts(&out);
    (
        ok && passed > 0,
        passed,
        failed,
        format!("; screenshots in {}", out_dir.display()),
    )
}

/// The end-to-end test files, `tests/e2e/*.test.mjs`, in a stable order.
fn e2e_files() -> Result<Vec<String>, String> {
    let dir = cmd::root().join("tests/e2e");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("tests/e2e/{name}"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err("no tests/e2e/*.test.mjs files".into());
    }
    Ok(files)
}

/// Reads the test counts a runner printed: nextest's `Summary … N passed`, libtest's and
/// wasm-bindgen-test's `test result: … N passed; M failed`, node's `ℹ pass N` / `ℹ fail N`.
fn counts(output: &str) -> (usize, usize) {
    let mut passed = 0;
    let mut failed = 0;
    let number_before = |line: &str, word: &str| -> Option<usize> {
        let idx = line.find(word)?;
        line[..idx]
            .split(|c: char| !c.is_ascii_digit())
            .rfind(|s| !s.is_empty())?
            .parse()
            .ok()
    };
    for line in output.lines() {
        let line = line.trim();
        if line.starts_with("test result:") || line.starts_with("Summary [") {
            passed += number_before(line, " passed").unwrap_or(0);
            failed += number_before(line, " failed").unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("ℹ pass ") {
            passed += rest.trim().parse().unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("ℹ fail ") {
            failed += rest.trim().parse().unwrap_or(0);
        }
    }
    (passed, failed)
}

#[cfg(test)]
mod tests {
    use super::counts;

    #[test]
    fn reads_each_runner_summary() {
        let out = "test result: ok. 3 passed; 0 failed; 0 ignored\n\
                   Summary [   1.2s] 41 tests run: 40 passed, 1 failed, 0 skipped\n\
                   ℹ pass 7\nℹ fail 2\n";
        assert_eq!(counts(out), (50, 3));
    }
}
