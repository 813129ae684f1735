//! Reliability under injected faults (#17): crates/core/benches/reliability.rs runs the bulk
//! triage job and a 100,000-alert load against the emulator with 20 % 429, 5 % 503 and 2 %
//! dropped connections, and prints what reached the emulator.

use serde_json::Value;

use super::Figure;
use crate::cmd;

pub(super) fn run(figures: &mut Vec<Figure>) -> Result<(), String> {
    let (ok, out) = cmd::run_captured(cmd::command("cargo").args([
        "bench",
        "-p",
        "vigil-core",
        "--bench",
        "reliability",
    ]));
    let records: Vec<Value> = out
        .lines()
        .filter_map(|l| l.strip_prefix("RELIABILITY "))
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("bad RELIABILITY line: {e}"))?;
    if !ok || records.len() != 3 {
        return Err("the reliability benchmark failed".into());
    }
    let find = |scenario: &str, faults: Option<bool>| {
        records
            .iter()
            .find(|r| {
                r["scenario"] == scenario && faults.is_none_or(|f| r["faults"] == Value::Bool(f))
            })
            .ok_or(format!("no {scenario} record"))
    };
    let (clean, faulty, load) = (
        find("triage", Some(false))?,
        find("triage", Some(true))?,
        find("load", None)?,
    );
    let n = |v: &Value, k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    figures.push(Figure {
        name: format!(
            "{} triage writes (bulk job + comment) under 20 % 429, 5 % 503, 2 % drops: time, client clock {}× accelerated",
            n(faulty, "writes"),
            n(faulty, "acceleration")
        ),
        value: n(faulty, "seconds"),
        unit: "s",
        lower_is_better: true,
        goal: format!(
            "every change applied, 0 lost, 0 duplicated comments (this run: {} unchanged, {} comments lost, {} duplicated, {} retry rounds)",
            n(faulty, "unchanged"),
            n(faulty, "commentsMissing"),
            n(faulty, "commentsDuplicated"),
            n(faulty, "rounds"),
        ),
        peer: Some(("the same job with no faults".into(), n(clean, "seconds"))),
        ..Default::default()
    });
    for (key, what) in [
        ("unchanged", "alerts not in the intended state"),
        ("commentsMissing", "comments lost"),
        ("commentsDuplicated", "comments duplicated"),
    ] {
        figures.push(Figure {
            name: format!("triage under faults: {what}"),
            value: n(faulty, key),
            unit: "",
            lower_is_better: true,
            goal: "0".into(),
            peer: None,
            ..Default::default()
        });
    }
    for (key, what) in [("missing", "missing"), ("duplicated", "duplicated")] {
        figures.push(Figure {
            name: format!("100,000 alerts loaded under the same faults: ids {what}"),
            value: n(load, key),
            unit: "",
            lower_is_better: true,
            goal: "0".into(),
            peer: None,
            ..Default::default()
        });
    }
    Ok(())
}
