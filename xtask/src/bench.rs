//! `cargo xtask bench`: runs every benchmark, writes `target/bench/report.json` (one record per
//! figure) and regenerates BENCHMARKS.md from it. `--quick` runs a shorter subset.

use std::time::Instant;

use serde_json::{Value, json};

use crate::{cmd, dist, emulator, setup, size};

mod correlate;
mod ediscovery;
mod reliability;

/// One measured figure, with the peer it is compared to where there is one.
#[derive(Default)]
struct Figure {
    name: String,
    value: f64,
    unit: &'static str,
    /// Whether a smaller value is better (sizes, times) or a larger one (throughput).
    lower_is_better: bool,
    goal: String,
    peer: Option<(String, f64)>,
    /// Over several runs: the value is the median (the longest task: the largest), and these
    /// are the smallest and largest seen and the number of runs.
    spread: Option<Spread>,
    peer_spread: Option<Spread>,
}

/// The smallest and largest of several runs, and how many there were.
#[derive(Clone, Copy)]
struct Spread {
    min: f64,
    max: f64,
    runs: usize,
}

impl Spread {
    fn of(values: &[f64]) -> Option<Spread> {
        let min = values.iter().copied().reduce(f64::min)?;
        let max = values.iter().copied().reduce(f64::max)?;
        Some(Spread {
            min,
            max,
            runs: values.len(),
        })
    }
}

/// `key` of every run in a BENCH line's `runs`.
fn per_run(line: &Value, key: &str) -> Result<Vec<f64>, String> {
    line["runs"]
        .as_array()
        .ok_or("BENCH line lacks runs")?
        .iter()
        .map(|r| r[key].as_f64().ok_or(format!("a run lacks {key}")))
        .collect()
}

/// The median of `values` (the lower middle one for an even count).
fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or(f64::NAN)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    if let Some(other) = args.iter().find(|a| *a != "--quick") {
        return Err(format!("bench: unknown option `{other}`"));
    }
    setup::run()?;
    let started = Instant::now();
    let mut figures = Vec::new();
    bundle_size(&mut figures)?;
    native_decode(&mut figures, quick)?;
    browser_decode(&mut figures)?;
    emulator_serving(&mut figures, quick)?;
    // After bundle_size, which built the emulator's bundle.
    queue_browser(&mut figures, quick)?;
    score_chart(&mut figures)?;
    ediscovery::run(&mut figures, quick)?;
    correlate::run(&mut figures, quick)?;
    reliability::run(&mut figures)?;
    let report = report(&figures, quick, started.elapsed().as_secs_f64());
    let dir = cmd::target_dir().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("report.json"), text).map_err(|e| e.to_string())?;
    std::fs::write(cmd::root().join("BENCHMARKS.md"), markdown(&report))
        .map_err(|e| e.to_string())?;
    println!(
        "bench: wrote {} and BENCHMARKS.md",
        dir.join("report.json").display()
    );
    Ok(())
}

/// The shipped bundle beside the usual JavaScript stack for the same job, bundled here by esbuild.
fn bundle_size(figures: &mut Vec<Figure>) -> Result<(), String> {
    let (shipped, _) = dist::build_both()?;
    let vigil = size::bundle(&shipped)?;
    let out = cmd::target_dir().join("bench/reference.js");
    cmd::run(cmd::command("node_modules/.bin/esbuild").args([
        "tests/bench/reference/entry.js",
        "--bundle",
        "--minify",
        "--format=esm",
        "--log-level=warning",
        &format!("--outfile={}", out.display()),
    ]))?;
    let reference = size::of(&std::fs::read(&out).map_err(|e| e.to_string())?);
    // The same commit built without one page: that page's share of the bundle.
    for (feature, page) in [
        (
            "bench-without-secure-score",
            "the Secure Score page and its Overview card",
        ),
        ("bench-without-ediscovery", "the eDiscovery page"),
    ] {
        let without = size::bundle(&dist::build_with_feature(feature)?)?;
        figures.push(Figure {
            name: format!("bundle growth of {page}, brotli (the stylesheet is shared)"),
            value: vigil.brotli.saturating_sub(without.brotli) as f64 / 1000.0,
            unit: "kB",
            lower_is_better: true,
            goal: "reported; the whole bundle within the limit".to_string(),
            ..Default::default()
        });
    }
    let peer = "MSAL + Graph JS client + Chart.js + React (esbuild, minified)";
    for (name, ours, theirs, goal) in [
        (
            "bundle size, brotli (wasm + js + css)",
            vigil.brotli,
            reference.brotli,
            "at most 500 kB; goal 450, then 400",
        ),
        ("bundle size, gzip -9", vigil.gzip, reference.gzip, ""),
        ("bundle size, raw", vigil.raw, reference.raw, ""),
    ] {
        figures.push(Figure {
            name: name.to_string(),
            value: ours as f64 / 1000.0,
            unit: "kB",
            lower_is_better: true,
            goal: goal.to_string(),
            peer: Some((peer.to_string(), theirs as f64 / 1000.0)),
            ..Default::default()
        });
    }
    Ok(())
}

/// Criterion's decode benchmark in vigil-core: throughput of a 1,000-alert page.
fn native_decode(figures: &mut Vec<Figure>, quick: bool) -> Result<(), String> {
    let mut bench = cmd::command("cargo");
    bench.args(["bench", "-p", "vigil-core", "--bench", "decode", "--"]);
    if quick {
        bench.arg("--quick");
    }
    cmd::run(&mut bench)?;
    let (mean_ns, bytes) = criterion_estimate("decode/alerts_page_1000")?;
    let bytes = bytes.ok_or("the decode benchmark has no byte throughput")?;
    figures.push(Figure {
        name: "decode a 1,000-alert page (native)".to_string(),
        value: bytes / (mean_ns / 1e9) / 1e6,
        unit: "MB/s",
        lower_is_better: false,
        goal: "at least as fast as JSON.parse".to_string(),
        peer: None,
        ..Default::default()
    });
    Ok(())
}

/// Runs the wasm-bindgen test `test` (tests/{test}.rs) in headless Chromium with the shipped
/// profile and `features`, and returns the JSON of the `BENCH {json}` line it prints.
fn browser_bench(test: &str, features: &[&str], timeout_s: u32) -> Result<Value, String> {
    let mut c = cmd::command("cargo");
    c.args([
        "test",
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "vigil",
    ]);
    for f in features {
        c.args(["--features", f]);
    }
    c.args(["--test", test, "--", "--nocapture"])
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", timeout_s.to_string());
    let (ok, out) = cmd::run_captured(&mut c);
    bench_line(ok, &out, &format!("the browser benchmark {test}"))
}

/// The JSON of the `BENCH {json}` line a benchmark printed (anywhere in the line: test runners
/// prefix their output), when it succeeded; `what` names it in the error.
fn bench_line(ok: bool, out: &str, what: &str) -> Result<Value, String> {
    let line = out
        .lines()
        .find_map(|l| l.split_once("BENCH ").map(|(_, json)| json))
        .filter(|_| ok)
        .ok_or(format!("{what} failed"))?;
    serde_json::from_str(line).map_err(|e| format!("bad BENCH line: {e}"))
}

/// The same page decoded in headless Chromium by the shipped profile's code, beside
/// `JSON.parse` of the same bytes in the same page (tests/decode_bench.rs).
fn browser_decode(figures: &mut Vec<Figure>) -> Result<(), String> {
    let v = browser_bench("decode_bench", &[], 120)?;
    let ours = v["vigil_mb_s"]
        .as_f64()
        .ok_or("BENCH line lacks vigil_mb_s")?;
    let theirs = v["json_parse_mb_s"]
        .as_f64()
        .ok_or("BENCH line lacks json_parse_mb_s")?;
    figures.push(Figure {
        name: "decode a 1,000-alert page in Chromium (typed, wasm)".to_string(),
        value: ours,
        unit: "MB/s",
        lower_is_better: false,
        goal: "at least as fast as JSON.parse".to_string(),
        peer: Some((
            "JSON.parse of the same bytes, same page (untyped)".to_string(),
            theirs,
        )),
        ..Default::default()
    });
    let reader = v["reader_mb_s"]
        .as_f64()
        .ok_or("BENCH line lacks reader_mb_s")?;
    figures.push(Figure {
        name: "read the same page in Chromium without building anything (serde_json's reader skipping every value, wasm)".to_string(),
        value: reader,
        unit: "MB/s",
        lower_is_better: false,
        goal: "reported (the reader's share of the typed decode above; the rest is building the values)".to_string(),
        peer: Some((
            "JSON.parse of the same bytes, same page (untyped)".to_string(),
            theirs,
        )),
        ..Default::default()
    });
    Ok(())
}

/// The emulator's own benchmark: start-up with a 100,000-alert tenant (both demo tenants are
/// generated) and alert pages of 100 served per second to 4 clients on loopback.
fn emulator_serving(figures: &mut Vec<Figure>, quick: bool) -> Result<(), String> {
    let alerts = if quick { "20000" } else { "100000" };
    let (ok, out) = cmd::run_captured(cmd::command("cargo").args([
        "run",
        "--quiet",
        "--release",
        "-p",
        "vigil-emulator",
        "--example",
        "bench",
        "--",
        alerts,
        "4",
    ]));
    let v = bench_line(ok, &out, "the emulator benchmark")?;
    let number = |k: &str| v[k].as_f64().ok_or(format!("BENCH line lacks {k}"));
    figures.push(Figure {
        name: if quick {
            "emulator start-up, 20,000-alert tenant (quick)"
        } else {
            "emulator start-up, 100,000-alert tenant"
        }
        .to_string(),
        value: number("startup_s")?,
        unit: "s",
        lower_is_better: true,
        goal: "under 3 s".to_string(),
        peer: None,
        ..Default::default()
    });
    figures.push(Figure {
        name: "emulator alert pages (100 alerts) served, 4 clients on loopback".to_string(),
        value: number("pages_per_s")?,
        unit: "pages/s",
        lower_is_better: false,
        goal: "over 5,000 pages/s".to_string(),
        peer: None,
        ..Default::default()
    });
    Ok(())
}

/// Tenant sizes of the alert queue's browser benchmarks: (first rows, whole load).
fn queue_tenants(quick: bool) -> (usize, usize) {
    if quick {
        (2_000, 20_000)
    } else {
        (10_000, 100_000)
    }
}

/// 10000 -> "10,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Runs `tests/bench/queue.mjs` with `args` against an emulator whose tenant has `alerts`
/// alerts, and returns its BENCH line.
fn queue_script(alerts: usize, args: &[&str]) -> Result<Value, String> {
    let count = alerts.to_string();
    page_script("tests/bench/queue.mjs", &["--alerts", &count], args)
}

/// Runs the Playwright script `script` with `args` against an emulator (started with
/// `emulator_args`, no throttling, a test token) serving the emulator's bundle, and returns its
/// BENCH line.
fn page_script(script: &str, emulator_args: &[&str], args: &[&str]) -> Result<Value, String> {
    let bundle = dist::emulator_dir().to_string_lossy().into_owned();
    let mut all = vec![
        "--port",
        "0",
        "--dist",
        &bundle,
        "--no-throttle",
        "--test-token",
    ];
    all.extend_from_slice(emulator_args);
    let emulator = emulator::start(true, &all)?;
    let (ok, out) = cmd::run_captured(
        cmd::command("node")
            .arg(script)
            .args(args)
            .env("VIGIL_TEST_TOKEN", &emulator.token)
            .env("VIGIL_APP_URL", &emulator.app)
            .env("VIGIL_AUTHORITY_URL", &emulator.authority)
            .env("VIGIL_GRAPH_URL", &emulator.graph)
            .env("VIGIL_E2E_OUT", cmd::target_dir().join("bench")),
    );
    drop(emulator);
    bench_line(
        ok,
        &out,
        &format!("the benchmark `{script} {}`", args.join(" ")),
    )
}

/// The alert queue in headless Chromium against the emulator (issues #6, #18): time from the
/// token to the first rows painted; then whole-tenant loads: the longest main-thread task while
/// they load, frame times while scrolling every row, the rows in the DOM, and memory held. Each
/// several times, beside the floors (tests/bench/queue.mjs) measured in the same run. The
/// emulator's budgets are off so one run's requests do not throttle the next; the app still
/// paces itself by Graph's documented budgets, and the floors' 50 requests of 2,000 need no
/// pacing.
fn queue_browser(figures: &mut Vec<Figure>, quick: bool) -> Result<(), String> {
    let (small, large) = queue_tenants(quick);
    let tag = if quick { " (quick)" } else { "" };
    let runs = if quick { "3" } else { "5" };
    // The first rows and their floor take a few seconds a run, and each run varies by a third
    // (the floor's fetch alone from 29 to 56 ms in one run of five): more runs steady the medians.
    let first_runs = if quick { "3" } else { "11" };
    let number = |v: &Value, k: &str| v[k].as_f64().ok_or(format!("BENCH line lacks {k}"));
    let numbers = |v: &Value, k: &str| -> Result<Vec<f64>, String> {
        let list = v[k].as_array().ok_or(format!("BENCH line lacks {k}"))?;
        list.iter()
            .map(|x| x.as_f64().ok_or(format!("{k}: not a number")))
            .collect()
    };
    // The floors request the listing the app requested for the same view.
    let listing = |v: &Value| -> Result<String, String> {
        v["listing"]
            .as_str()
            .map(str::to_owned)
            .ok_or("the app's listing request was not seen".to_string())
    };
    // Each of the app's runs is followed by the floor's (a), against the same emulator.
    let first = queue_script(small, &["first-rows", "--runs", first_runs])?;
    let mine = per_run(&first, "ms")?;
    let floor_first = numbers(&first, "floor_first")?;
    figures.push(Figure {
        name: format!(
            "alert queue: token to first rows painted, {}-alert tenant (median){tag}",
            thousands(small)
        ),
        value: median(&mine),
        spread: Spread::of(&mine),
        unit: "ms",
        lower_is_better: true,
        goal: "at most 2× the floor".to_string(),
        peer: Some((
            "floor (a), each run right after one of the app's: a plain page fetches the same first 50 alerts, JSON.parses them and puts 50 rows in the DOM"
                .to_string(),
            median(&floor_first),
        )),
        peer_spread: Spread::of(&floor_first),
    });
    let count = large.to_string();
    let v = queue_script(large, &["load", "--alerts", &count, "--runs", runs])?;
    let floors = queue_script(
        large,
        &[
            "floors",
            "--alerts",
            &count,
            "--runs",
            runs,
            "--listing",
            &listing(&v)?,
        ],
    )?;
    // The same load in a Chromium Playwright does not drive (tests/bench/cdp.mjs says why).
    let raw = queue_script(large, &["tasks", "--alerts", &count, "--runs", runs])?;
    let each = |k: &str| per_run(&v, k);
    let n = thousands(large);
    let longest = per_run(&raw, "longest_task_ms")?;
    figures.push(Figure {
        name: format!("alert queue: longest main-thread task while {n} alerts load (long-task API, in a Chromium no test driver watches; 0: none of 50 ms or more; the largest of every run){tag}"),
        value: longest.iter().copied().fold(0.0, f64::max),
        spread: Spread::of(&longest),
        unit: "ms",
        lower_is_better: true,
        goal: "under 50 ms in every run".to_string(),
        ..Default::default()
    });
    let watched = each("longest_task_ms")?;
    figures.push(Figure {
        name: format!("alert queue: the same, under Playwright, whose network watch makes Chromium decode a copy of each 4 MB alert page on the page's thread{tag}"),
        value: watched.iter().copied().fold(0.0, f64::max),
        spread: Spread::of(&watched),
        unit: "ms",
        lower_is_better: true,
        goal: "reported (the harness's cost, not the app's)".to_string(),
        ..Default::default()
    });
    // The raw run's own first rows and load time, beside the Playwright figures below (its
    // first rows are of the large tenant, so no floor of the same tenant size is beside them).
    let raw_first = per_run(&raw, "first_rows_ms")?;
    figures.push(Figure {
        name: format!("alert queue: token to first rows painted, {n}-alert tenant, in a Chromium no test driver watches (median){tag}"),
        value: median(&raw_first),
        spread: Spread::of(&raw_first),
        unit: "ms",
        lower_is_better: true,
        goal: "reported (beside the figure under Playwright above)".to_string(),
        ..Default::default()
    });
    let raw_load: Vec<f64> = per_run(&raw, "load_ms")?
        .iter()
        .map(|ms| ms / 1000.0)
        .collect();
    figures.push(Figure {
        name: format!(
            "alert queue: load of {n} alerts in a Chromium no test driver watches (median){tag}"
        ),
        value: median(&raw_load),
        spread: Spread::of(&raw_load),
        unit: "s",
        lower_is_better: true,
        goal: "reported (beside the figure under Playwright below)".to_string(),
        ..Default::default()
    });
    let load_s: Vec<f64> = each("load_ms")?.iter().map(|ms| ms / 1000.0).collect();
    let floor_load: Vec<f64> = numbers(&floors, "load")?
        .iter()
        .map(|ms| ms / 1000.0)
        .collect();
    figures.push(Figure {
        name: format!("alert queue: load of {n} alerts, token to the last row indexed (median){tag}"),
        value: median(&load_s),
        spread: Spread::of(&load_s),
        unit: "s",
        lower_is_better: true,
        goal: "at most 2× the floor".to_string(),
        peer: Some((
            "floor (b): a plain page fetches every page of the same listing (2,000 a page) and JSON.parses each"
                .to_string(),
            median(&floor_load),
        )),
        peer_spread: Spread::of(&floor_load),
    });
    let frames = each("frame_p95_ms")?;
    let floor_frames = numbers(&floors, "scroll")?;
    figures.push(Figure {
        name: format!("alert queue: p95 frame time scrolling {n} rows top to bottom (median){tag}"),
        value: median(&frames),
        spread: Spread::of(&frames),
        unit: "ms",
        lower_is_better: true,
        goal: "no worse than the floor".to_string(),
        peer: Some((
            "floor (c): a plain virtualised list of as many rows, scrolled the same way"
                .to_string(),
            median(&floor_frames),
        )),
        peer_spread: Spread::of(&floor_frames),
    });
    let last = v["runs"]
        .as_array()
        .and_then(|runs| runs.last())
        .ok_or("no load run")?;
    figures.push(Figure {
        name: format!("alert queue: rows in the DOM, scrolled mid-table ({n} rows){tag}"),
        value: number(last, "dom_rows_mid")?,
        unit: "rows",
        lower_is_better: true,
        goal: "bounded (a viewport and overscan)".to_string(),
        ..Default::default()
    });
    let held: Vec<f64> = each("held_bytes")?.iter().map(|b| b / 1e6).collect();
    figures.push(Figure {
        name: format!(
            "alert queue: memory held after {n} alerts loaded (wasm memory + JS heap; median){tag}"
        ),
        value: median(&held),
        spread: Spread::of(&held),
        unit: "MB",
        lower_is_better: true,
        goal: "under 0.34× the raw JSON received".to_string(),
        peer: Some((
            "the raw JSON received (alert pages' bodies)".to_string(),
            number(last, "raw_json_bytes")? / 1e6,
        )),
        ..Default::default()
    });
    Ok(())
}

/// The Secure Score page's 90-day chart with every series (score, the three comparison
/// averages, planned and achievable levels, zones), drawn by plotters on the canvas in headless
/// Chromium: the median of the page's own timings of 30 redraws (tests/bench/score_chart.mjs).
/// Needs dist/ built for the emulator (bundle_size does it).
fn score_chart(figures: &mut Vec<Figure>) -> Result<(), String> {
    let v = page_script("tests/bench/score_chart.mjs", &[], &[])?;
    figures.push(Figure {
        name: "Secure Score: 90-day chart with every series drawn on canvas (median of 30)"
            .to_string(),
        value: v["render_ms"]
            .as_f64()
            .ok_or("BENCH line lacks render_ms")?,
        unit: "ms",
        lower_is_better: true,
        goal: "under 10 ms".to_string(),
        ..Default::default()
    });
    Ok(())
}

/// Criterion's mean time (ns) and byte throughput for `group/function`.
fn criterion_estimate(id: &str) -> Result<(f64, Option<f64>), String> {
    let dir = cmd::target_dir().join("criterion").join(id);
    let read = |file: &str| -> Result<Value, String> {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let mean = read("new/estimates.json")?["mean"]["point_estimate"]
        .as_f64()
        .ok_or("no mean estimate")?;
    let bytes = read("new/benchmark.json")?["throughput"]["Bytes"].as_f64();
    Ok((mean, bytes))
}

fn report(figures: &[Figure], quick: bool, seconds: f64) -> Value {
    let records: Vec<Value> = figures
        .iter()
        .map(|f| {
            let ratio = f.peer.as_ref().map(|(_, p)| f.value / p);
            json!({
                "name": f.name,
                "value": round(f.value),
                "unit": f.unit,
                "lower_is_better": f.lower_is_better,
                "goal": f.goal,
                "peer": f.peer.as_ref().map(|(n, _)| n.clone()),
                "peer_value": f.peer.as_ref().map(|(_, v)| round(*v)),
                "ratio": ratio.map(round),
                "spread": f.spread.map(|s| json!({"min": round(s.min), "max": round(s.max), "runs": s.runs})),
                "peer_spread": f.peer_spread.map(|s| json!({"min": round(s.min), "max": round(s.max), "runs": s.runs})),
            })
        })
        .collect();
    json!({
        "environment": environment(),
        "quick": quick,
        "seconds": round(seconds),
        "figures": records,
    })
}

fn environment() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let browser = cmd::output(cmd::command("/usr/bin/chromium").arg("--version"))
        .unwrap_or_else(|| "unknown".into());
    let rustc = cmd::output(cmd::command("rustc").arg("--version")).unwrap_or_default();
    let commit =
        cmd::output(cmd::command("git").args(["rev-parse", "--short", "HEAD"])).unwrap_or_default();
    let date =
        cmd::output(cmd::command("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])).unwrap_or_default();
    json!({ "cpu": cpu, "cores": cores, "browser": browser, "rustc": rustc, "commit": commit, "date": date })
}

/// Two decimals, or four significant digits below 1 (a precision of 0.0012 is not 0).
fn round(x: f64) -> f64 {
    if x.abs() >= 1.0 || x == 0.0 {
        (x * 100.0).round() / 100.0
    } else {
        let scale = 10f64.powi(3 - x.abs().log10().floor() as i32);
        (x * scale).round() / scale
    }
}

/// BENCHMARKS.md, generated from the report, never typed by hand.
fn markdown(report: &Value) -> String {
    let env = &report["environment"];
    let mut out = String::from(
        "# Benchmarks\n\n\
         Generated by `cargo xtask bench` from `target/bench/report.json`; do not edit by hand.\n\
         Reproduce on any machine with `cargo xtask bench` (or `cargo xtask bench --quick` for a subset in\n\
         under two minutes once built). Every figure and its peer are measured in the same run on the same machine.\n\n",
    );
    out.push_str(&format!(
        "Machine: {} ({} cores), {}, {}. Commit {}, {}{}.\n\n",
        text(&env["cpu"]),
        env["cores"],
        text(&env["browser"]),
        text(&env["rustc"]),
        text(&env["commit"]),
        text(&env["date"]),
        if report["quick"].as_bool() == Some(true) {
            ", quick run"
        } else {
            ""
        }
    ));
    out.push_str(
        "| figure | Vigil | goal | peer | peer's value | ratio (Vigil ÷ peer) |\n|---|---|---|---|---|---|\n",
    );
    for f in report["figures"].as_array().into_iter().flatten() {
        let unit = text(&f["unit"]);
        let peer_value = f["peer_value"]
            .as_f64()
            .map(|v| format!("{v} {unit}{}", spread(&f["peer_spread"])))
            .unwrap_or_default();
        let ratio = f["ratio"]
            .as_f64()
            .map(|r| format!("{r:.2}×"))
            .unwrap_or_default();
        out.push_str(&format!(
            "| {} | {} {}{} | {} | {} | {} | {} |\n",
            text(&f["name"]),
            f["value"],
            unit,
            spread(&f["spread"]),
            text(&f["goal"]),
            text(&f["peer"]),
            peer_value,
            ratio
        ));
    }
    out
}

/// " (min 7.9, max 8.8, 5 runs)", or nothing for a single measurement.
fn spread(v: &Value) -> String {
    match (v["min"].as_f64(), v["max"].as_f64(), v["runs"].as_u64()) {
        (Some(min), Some(max), Some(runs)) => format!(" (min {min}, max {max}, {runs} runs)"),
        _ => String::new(),
    }
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or("").to_string()
}
