//! The eDiscovery page (#14) in headless Chromium: the time from opening a case to its
//! operations table painted, and the eDiscovery requests spent to show the case list and one
//! case page, counted on the emulator's own request log (tests/bench/ediscovery.mjs).

use super::{Figure, Spread, median, page_script, per_run};

/// Needs the emulator's bundle built (by `bundle_size`).
pub(super) fn run(figures: &mut Vec<Figure>, quick: bool) -> Result<(), String> {
    let runs = if quick { "3" } else { "5" };
    let tag = if quick { " (quick)" } else { "" };
    let v = page_script("tests/bench/ediscovery.mjs", &[], &["--runs", runs])?;
    let open = per_run(&v, "open_ms")?;
    figures.push(Figure {
        name: format!("eDiscovery: opening a case to its operations table painted (median){tag}"),
        value: median(&open),
        spread: Spread::of(&open),
        unit: "ms",
        lower_is_better: true,
        goal: "reported".to_string(),
        ..Default::default()
    });
    let list = per_run(&v, "list_requests")?;
    let case = per_run(&v, "case_requests")?;
    let both: Vec<f64> = list.iter().zip(&case).map(|(l, c)| l + c).collect();
    figures.push(Figure {
        name: format!(
            "eDiscovery requests spent to show the case list and one case page (this run: {} for the list, {} for the case){tag}",
            median(&list),
            median(&case)
        ),
        value: median(&both),
        spread: Spread::of(&both),
        unit: "",
        lower_is_better: true,
        goal: "within one minute's budget: at most 5 per tenant".to_string(),
        ..Default::default()
    });
    Ok(())
}
