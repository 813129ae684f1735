//! `cargo xtask test`: every check and test in order, one summary line per stage, and a
//! closing `N passed, N failed` line (`, N skipped` after it when tests were left out). A failing
//! stage does not stop the later ones (so one run shows everything that is wrong), but it makes
//! the whole command fail.
//!
//! Microsoft's documented example payloads are not in the repository. The tests that compare
//! against them are named `documented_…` and find them through `VIGIL_GRAPH_EXAMPLES` (default
//! `../shared/graph-examples` beside the workspace); where they are absent, the native stage
//! leaves those tests out, says so in its summary line and counts them as skipped, never passed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::{cmd, dist, emulator, setup, size};

/// The outcome of one stage: tests counted from the runner's own summary, or a check.
struct Stage {
    name: &'static str,
    ok: bool,
    passed: usize,
    failed: usize,
    /// Tests left out on purpose, with `skip_note` saying why.
    skipped: usize,
    skip_note: String,
    seconds: f64,
    detail: String,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut skip_setup = false;
    let mut only: Option<String> = None;
    let mut e2e_only: Option<String> = None;
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
            "--e2e" => {
                e2e_only = Some(
                    it.next()
                        .ok_or("--e2e needs part of a file name, e.g. correlation")?
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
        let mut dirs = None;
        let bundle = stage("release bundle", || {
            check_result(dist::build_both().map(|d| dirs = Some(d)))
        });
        bundle_ok = bundle.ok;
        stages.push(bundle);
        if let Some((shipped, emulated)) = dirs {
            stages.push(stage(
                "shipped policy (no loopback origins) and size budget",
                || {
                    check_result(
                        dist::check_shipped(&shipped).and_then(|()| size::check_budget(&shipped)),
                    )
                },
            ));
            stages.push(stage(
                "end-to-end (Playwright, headless Chromium)",
                || match e2e_files(e2e_only.as_deref()) {
                    Ok(files) => end_to_end(&emulated, &files),
                    Err(e) => check_result(Err(e)),
                },
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
        println!("{}", summary_line(s));
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
    let skipped: usize = stages.iter().map(|s| s.skipped).sum();
    println!("{}", closing_line(passed, failed, skipped));
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} failed"))
    }
}

/// A stage's summary line: `name: ok (P passed, F failed[, S skipped: why]) in T s[detail]`.
fn summary_line(s: &Stage) -> String {
    let verdict = if s.ok { "ok" } else { "FAILED" };
    let counts = if s.passed + s.failed + s.skipped > 0 {
        let skipped = if s.skipped > 0 || !s.skip_note.is_empty() {
            let why = if s.skip_note.is_empty() {
                String::new()
            } else {
                format!(": {}", s.skip_note)
            };
            format!(", {} skipped{why}", s.skipped)
        } else {
            String::new()
        };
        format!(" ({} passed, {} failed{skipped})", s.passed, s.failed)
    } else {
        String::new()
    };
    format!(
        "{}: {verdict}{counts} in {:.0} s{}",
        s.name, s.seconds, s.detail
    )
}

/// The closing line: `N passed, N failed`, then `, N skipped` only when tests were left out.
fn closing_line(passed: usize, failed: usize, skipped: usize) -> String {
    if skipped > 0 {
        format!("{passed} passed, {failed} failed, {skipped} skipped")
    } else {
        format!("{passed} passed, {failed} failed")
    }
}

/// What a stage's body reports.
#[derive(Default)]
struct Outcome {
    ok: bool,
    counts: Counts,
    skip_note: String,
    detail: String,
}

/// Test counts read from a runner's output.
#[derive(Debug, Default, PartialEq, Eq, Clone, Copy)]
struct Counts {
    passed: usize,
    failed: usize,
    skipped: usize,
}

fn stage(name: &'static str, body: impl FnOnce() -> Outcome) -> Stage {
    println!();
    println!("== {name} ==");
    let started = Instant::now();
    let o = body();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{name}: {} in {seconds:.0} s",
        if o.ok { "ok" } else { "FAILED" }
    );
    Stage {
        name,
        ok: o.ok,
        passed: o.counts.passed,
        failed: o.counts.failed,
        skipped: o.counts.skipped,
        skip_note: o.skip_note,
        seconds,
        detail: o.detail,
    }
}

fn check(cmd: &mut std::process::Command) -> Outcome {
    check_result(cmd::run(cmd))
}

fn check_result(result: Result<(), String>) -> Outcome {
    match result {
        Ok(()) => Outcome {
            ok: true,
            ..Outcome::default()
        },
        Err(e) => {
            eprintln!("{e}");
            Outcome {
                detail: format!(": {e}"),
                ..Outcome::default()
            }
        }
    }
}

/// Where Microsoft's documented example payloads are: `VIGIL_GRAPH_EXAMPLES` (a relative value
/// is taken from the workspace root), else `<workspace root>/../shared/graph-examples`, made
/// absolute. `Ok` when the folder holds `INDEX.tsv`, else `Err` with the folder looked at. The
/// test crates' `tests/common` resolve the same setting the same way.
fn graph_examples() -> Result<PathBuf, PathBuf> {
    let root = cmd::root();
    let dir = match std::env::var_os("VIGIL_GRAPH_EXAMPLES") {
        Some(v) if !v.is_empty() => root.join(v),
        _ => root
            .parent()
            .unwrap_or(&root)
            .join("shared")
            .join("graph-examples"),
    };
    let dir = std::path::absolute(&dir).unwrap_or(dir);
    if dir.join("INDEX.tsv").is_file() {
        Ok(dir)
    } else {
        Err(dir)
    }
}

/// The tests that need the documented examples: nextest's filterset, and libtest's `--skip`
/// (a substring; the names start with it).
const DOCUMENTED_FILTER: &str = "not test(/^documented_/)";
const DOCUMENTED_PREFIX: &str = "documented_";

fn native_tests() -> Outcome {
    let examples = graph_examples();
    let nextest = cmd::output(cmd::command("cargo").args(["nextest", "--version"])).is_some();
    let mut c = cmd::command("cargo");
    if nextest {
        c.args([
            "nextest",
            "run",
            "--workspace",
            "--all-features",
            "--no-fail-fast",
            "--failure-output",
            "final",
        ]);
        if examples.is_err() {
            c.args(["-E", DOCUMENTED_FILTER]);
        }
    } else {
        c.args(["test", "--workspace", "--all-features", "--no-fail-fast"]);
        if examples.is_err() {
            c.args(["--", "--skip", DOCUMENTED_PREFIX]);
        }
    }
    // The tests resolve the setting themselves; handing them this absolute path makes them see
    // exactly what was decided here, whatever their working directory.
    let (Ok(dir) | Err(dir)) = &examples;
    c.env("VIGIL_GRAPH_EXAMPLES", dir);
    let (ok, out) = cmd::run_captured(&mut c);
    let counts = counts(&out);
    let mut outcome = Outcome {
        ok: ok && counts.passed > 0,
        counts,
        ..Outcome::default()
    };
    if let Err(dir) = &examples {
        outcome.skip_note = format!(
            "Microsoft's example payloads not found at {}; set VIGIL_GRAPH_EXAMPLES",
            dir.display()
        );
        // Nothing skipped means the filter matched no test: the documented tests were renamed
        // and would run, and fail, or no longer exist. Either way the count would lie.
        if counts.skipped == 0 {
            outcome.ok = false;
            outcome.detail =
                format!(": no test was skipped, so no test is named {DOCUMENTED_PREFIX}… any more");
        }
    }
    outcome
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
    let counts = counts(&out);
    Outcome {
        ok: ok && counts.passed > 0,
        counts,
        ..Outcome::default()
    }
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

fn end_to_end(bundle: &Path, files: &[String]) -> Outcome {
    let out_dir = cmd::target_dir().join("e2e");
    let _ = std::fs::create_dir_all(&out_dir);
    // The planted stories' answers reach the tests through a file, never through the app.
    let truth = out_dir.join("truth.json");
    let truth_arg = truth.to_string_lossy().into_owned();
    let bundle = bundle.to_string_lossy().into_owned();
    // No budgets on the emulator every file shares: Graph's are per minute, so one file's
    // loads would throttle the next file's and make the suite depend on its order. The tests
    // of throttling start their own emulator with a tight budget (support.mjs startEmulator).
    let emulator = match emulator::start(
        false,
        &[
            "--port",
            "0",
            "--dist",
            &bundle,
            "--truth-file",
            &truth_arg,
            "--no-throttle",
        ],
    ) {
        Ok(e) => e,
        Err(e) => return check_result(Err(e)),
    };
    let (ok, out) = cmd::run_captured(
        cmd::command("node")
            .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
            .args(files)
            .env("VIGIL_APP_URL", &emulator.app)
            .env("VIGIL_AUTHORITY_URL", &emulator.authority)
            .env("VIGIL_GRAPH_URL", &emulator.graph)
            .env("VIGIL_E2E_OUT", &out_dir)
            .env("VIGIL_TRUTH_FILE", &truth)
            .env("VIGIL_BUNDLE_DIR", &bundle)
            .env("VIGIL_NGINX", setup::NGINX)
            // The same binary for the emulators a test starts itself (`--import`, budgets, ...).
            .env(
                "VIGIL_EMULATOR_BIN",
                cmd::target_dir().join("debug").join("vigil-emulator"),
            ),
    );
    drop(emulator);
    let counts = counts(&out);
    Outcome {
        ok: ok && counts.passed > 0,
        counts,
        skip_note: String::new(),
        detail: format!("; screenshots in {}", out_dir.display()),
    }
}

/// The end-to-end test files, `tests/e2e/*.test.mjs`, in a stable order; with `only`, those
/// whose name contains it.
fn e2e_files(only: Option<&str>) -> Result<Vec<String>, String> {
    let dir = cmd::root().join("tests/e2e");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.ends_with(".test.mjs"))
        .filter(|name| only.is_none_or(|o| name.contains(o)))
        .map(|name| format!("tests/e2e/{name}"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "no tests/e2e/*.test.mjs files{}",
            only.map(|o| format!(" containing `{o}`"))
                .unwrap_or_default()
        ));
    }
    Ok(files)
}

/// Reads the test counts a runner printed: nextest's `Summary [...] N tests run: N passed, N
/// failed, N skipped`, libtest's and wasm-bindgen-test's `test result: ... N passed; M failed;
/// ... K filtered out` (filtered out = skipped), node's `ℹ pass N` / `ℹ fail N` / `ℹ skipped N`.
///
/// When a nextest summary is present only it counts: nextest reprints a failing test's own
/// libtest output, `test result:` line included, which would count that test twice.
fn counts(output: &str) -> Counts {
    let number_before = |line: &str, word: &str| -> usize {
        let Some(idx) = line.find(word) else { return 0 };
        line[..idx]
            .split(|c: char| !c.is_ascii_digit())
            .rfind(|s| !s.is_empty())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let mut nextest = Counts::default();
    let mut saw_nextest = false;
    let mut other = Counts::default();
    for line in output.lines() {
        let line = line.trim();
        if line.starts_with("Summary [") {
            saw_nextest = true;
            nextest.passed += number_before(line, " passed");
            nextest.failed += number_before(line, " failed");
            nextest.skipped += number_before(line, " skipped");
        } else if line.starts_with("test result:") {
            other.passed += number_before(line, " passed");
            other.failed += number_before(line, " failed");
            other.skipped += number_before(line, " filtered out");
        } else if let Some(rest) = line.strip_prefix("ℹ pass ") {
            other.passed += rest.trim().parse().unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("ℹ fail ") {
            other.failed += rest.trim().parse().unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("ℹ skipped ") {
            other.skipped += rest.trim().parse().unwrap_or(0);
        }
    }
    if saw_nextest { nextest } else { other }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(passed: usize, failed: usize, skipped: usize) -> Counts {
        Counts {
            passed,
            failed,
            skipped,
        }
    }

    #[test]
    fn reads_each_runner_summary() {
        let libtest = "test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 2 filtered out; finished in 0.01s\n\
                       test result: ok. 4 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(counts(libtest), c(7, 1, 2));
        let node = "ℹ tests 10\nℹ pass 7\nℹ fail 2\nℹ skipped 1\n";
        assert_eq!(counts(node), c(7, 2, 1));
        let nextest = "        FAIL [   0.4s] ( 1/48) vigil-core::examples documented_x\n\
                       test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 4 filtered out\n\
                       Summary [   1.2s] 41 tests run: 40 passed, 1 failed, 7 skipped\n";
        assert_eq!(
            counts(nextest),
            c(40, 1, 7),
            "nextest's summary alone counts"
        );
        let clean = "     Summary [   1.364s] 10 tests run: 10 passed, 0 skipped\n";
        assert_eq!(counts(clean), c(10, 0, 0));
    }

    #[test]
    fn lines_say_what_was_skipped_and_why() {
        let stage = Stage {
            name: "native tests",
            ok: true,
            passed: 412,
            failed: 0,
            skipped: 7,
            skip_note: "Microsoft's example payloads not found at /x/graph-examples; set VIGIL_GRAPH_EXAMPLES".into(),
            seconds: 3.0,
            detail: String::new(),
        };
        assert_eq!(
            summary_line(&stage),
            "native tests: ok (412 passed, 0 failed, 7 skipped: Microsoft's example payloads not \
             found at /x/graph-examples; set VIGIL_GRAPH_EXAMPLES) in 3 s"
        );
        let plain = Stage {
            skipped: 0,
            skip_note: String::new(),
            ..stage
        };
        assert_eq!(
            summary_line(&plain),
            "native tests: ok (412 passed, 0 failed) in 3 s"
        );
        assert_eq!(closing_line(5, 0, 0), "5 passed, 0 failed");
        assert_eq!(closing_line(5, 1, 7), "5 passed, 1 failed, 7 skipped");
    }

    #[test]
    fn the_documented_filter_names_the_prefix() {
        assert!(DOCUMENTED_FILTER.contains(&format!("/^{DOCUMENTED_PREFIX}/")));
    }
}
