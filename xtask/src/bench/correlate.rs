//! Correlation's figures (#12): clustering 100,000 alerts in headless Chromium beside
//! graphology + graphology-components on the same alert-entity graph in the same page; the
//! native cost per alert from 1,000 to 1,000,000 alerts; and the clusters' quality against the
//! demo tenants' planted stories, beside plain connected components.

use serde_json::Value;

use super::{
    Figure, Spread, browser_bench, criterion_estimate, median, per_run, queue_script,
    queue_tenants, thousands,
};
use crate::cmd;

pub(super) fn run(figures: &mut Vec<Figure>, quick: bool) -> Result<(), String> {
    quality(figures)?;
    native(figures, quick)?;
    browser(figures)?;
    page(figures, quick)
}

/// The correlation page itself on the queue benchmark's large tenant, in a Chromium no test
/// driver watches (`tests/bench/queue.mjs correlation`): what its own work adds after its read
/// of every alert, and the whole wait.
fn page(figures: &mut Vec<Figure>, quick: bool) -> Result<(), String> {
    let (_, large) = queue_tenants(quick);
    let n = large.to_string();
    let v = queue_script(large, &["correlation", "--alerts", &n, "--runs", "5"])?;
    let alerts = thousands(large);
    for (key, name, goal) in [
        (
            "after_read_ms",
            format!(
                "the correlation page on {alerts} alerts: from the end of its read's last page to the first cluster shown, in a Chromium no test driver watches (median)"
            ),
            "reported (each page of the read is correlated while the next is on its way)",
        ),
        (
            "total_ms",
            format!(
                "the correlation page on {alerts} alerts: from its read's first request to the first cluster shown, on loopback (median)"
            ),
            "reported (on loopback the wire never waits; over a network the read hides the per-page work)",
        ),
    ] {
        let ms = per_run(&v, key)?;
        figures.push(Figure {
            name,
            value: median(&ms),
            spread: Spread::of(&ms),
            unit: "ms",
            lower_is_better: true,
            goal: goal.into(),
            ..Default::default()
        });
    }
    Ok(())
}

/// Pairwise precision and recall over the pairs touching a planted story (the QUALITY lines of
/// crates/core/tests/correlate_quality.rs), for the engine and for plain components.
fn quality(figures: &mut Vec<Figure>) -> Result<(), String> {
    let (ok, out) = cmd::run_captured(cmd::command("cargo").args([
        "test",
        "--release",
        "-p",
        "vigil-core",
        "--test",
        "correlate_quality",
        "--",
        "--nocapture",
    ]));
    if !ok {
        return Err("the correlation quality test failed".into());
    }
    for line in out.lines().filter_map(|l| l.strip_prefix("QUALITY ")) {
        let v: Value = serde_json::from_str(line).map_err(|e| format!("bad QUALITY line: {e}"))?;
        let tenant = v["tenant"].as_str().unwrap_or("?").replace(" (demo)", "");
        let alerts = v["alerts"].as_u64().unwrap_or(0);
        for measure in ["precision", "recall"] {
            let get = |who: &str| v[who]["story"][measure].as_f64().unwrap_or(f64::NAN);
            figures.push(Figure {
                name: format!(
                    "correlation {measure} on the planted stories, {tenant} ({alerts} alerts, pairwise)"
                ),
                value: get("engine"),
                unit: "",
                lower_is_better: false,
                goal: "1.0: each story exactly one cluster".into(),
                peer: Some((
                    "plain connected components over every shared identifier".into(),
                    get("naive"),
                )),
                ..Default::default()
            });
        }
    }
    Ok(())
}

/// Criterion's `correlate/add+link/N` (crates/core/benches/correlate.rs): microseconds per
/// alert at each size, and the largest over the smallest.
fn native(figures: &mut Vec<Figure>, quick: bool) -> Result<(), String> {
    let mut bench = cmd::command("cargo");
    // Criterion's filter is a regular expression: `.` stands for the `+`.
    bench.args([
        "bench",
        "-p",
        "vigil-core",
        "--bench",
        "correlate",
        "--",
        "add.link",
    ]);
    if quick {
        bench.arg("--quick");
    }
    cmd::run(&mut bench)?;
    let mut per_alert = Vec::new();
    for n in [1_000u64, 10_000, 100_000, 1_000_000] {
        let (mean_ns, _) = criterion_estimate(&format!("correlate/add+link/{n}"))?;
        let us = mean_ns / n as f64 / 1e3;
        per_alert.push(us);
        figures.push(Figure {
            name: format!("correlate {n} alerts natively, per alert"),
            value: us,
            unit: "µs",
            lower_is_better: true,
            goal: "flat from 1,000 to 1,000,000 alerts".into(),
            peer: None,
            ..Default::default()
        });
    }
    let (lo, hi) = per_alert
        .iter()
        .fold((f64::INFINITY, 0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    figures.push(Figure {
        name: "correlation cost per alert, dearest size over cheapest (1,000 to 1,000,000)".into(),
        value: hi / lo,
        unit: "×",
        lower_is_better: true,
        goal: "at most 1.5".into(),
        peer: None,
        ..Default::default()
    });
    Ok(())
}

/// tests/correlate_bench.rs in headless Chromium, the shipped profile, with graphology bundled
/// from npm by esbuild.
fn browser(figures: &mut Vec<Figure>) -> Result<(), String> {
    cmd::run(cmd::command("node_modules/.bin/esbuild").args([
        "tests/bench/graphology_entry.js",
        "--bundle",
        "--format=esm",
        "--log-level=warning",
        "--outfile=tests/bench/generated/graphology.js",
    ]))?;
    let v = browser_bench("correlate_bench", &["bench-graphology"], 600)?;
    let get = |k: &str| v[k].as_f64().ok_or(format!("BENCH line lacks {k}"));
    figures.push(Figure {
        name: "cluster 100,000 alerts (5 evidence items each) in Chromium".into(),
        value: get("vigil_ms")?,
        unit: "ms",
        lower_is_better: true,
        goal: "under 100 ms; at least 5× faster than the peer".into(),
        peer: Some((
            "graphology + graphology-components: build the alert-entity graph and split it, same page"
                .into(),
            get("graphology_ms")?,
        )),
        ..Default::default()
    });
    for (key, name, goal) in [
        (
            "vigil_page_ms",
            "the correlation page's work on 100,000 alerts in Chromium: cluster them (as above), then summarise and rank every cluster and list the hubs",
            "reported (all of the page's own work; it adds each page of its read as it arrives)",
        ),
        (
            "vigil_relink_ms",
            "linking 100,000 held alerts again after one changes, in Chromium (the queue's engine after a live-refresh delta)",
            "reported (clustering from scratch, above, adds them too)",
        ),
        (
            "vigil_settings_ms",
            "re-clustering 100,000 alerts after a settings change (a hub put back), in Chromium",
            "reported (the alerts' entities are kept; only the links are redone)",
        ),
    ] {
        figures.push(Figure {
            name: name.into(),
            value: get(key)?,
            unit: "ms",
            lower_is_better: true,
            goal: goal.into(),
            peer: None,
            ..Default::default()
        });
    }
    figures.push(Figure {
        name: "plain components of 100,000 alerts in Chromium (no window, no hubs)".into(),
        value: get("vigil_naive_ms")?,
        unit: "ms",
        lower_is_better: true,
        goal: "".into(),
        peer: Some((
            "graphology-components on the graph already built, same page".into(),
            get("graphology_components_ms")?,
        )),
        ..Default::default()
    });
    Ok(())
}
