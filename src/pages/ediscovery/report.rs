//! The case load report of each signed-in tenant, as a Purview user knows the jobs report: open
//! cases over time and the operations of the last 30 days by action and outcome, drawn by
//! plotters; cases by status and the median duration per action as tables; the figures as CSV.
//!
//! The case figures come with the case list. Each case's operations are one more read, so the
//! report asks for those of every case that can have had work in the last 30 days as what the
//! user opened (after the user's clicks and the polls of running operations), fills in as the
//! lane lets them through, and says how many cases its operation figures cover.

use std::rc::Rc;

use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use vigil_core::ediscovery::lane::Priority;
use vigil_core::ediscovery::progress::format_duration;
use vigil_core::ediscovery::report::{CaseLoad, case_load, to_csv};
use vigil_core::models::{CaseOperation, DateTime, EdiscoveryCase};

use super::body::{reading, stale, table, td};
use super::desk::{Desk, Got, Key};
use crate::auth::use_auth;
use crate::components::chart::backend::{Canvas as CanvasBackend, Surface};
use crate::components::chart::bars::{self, Bars, Row};
use crate::components::chart::plot::{self, Line, Plot, Rgb};
use crate::components::dom::{H, el, live, tx};

/// Days of the open-cases chart.
const DAYS: u32 = 365;

/// The outcomes' names and colours, in the order of the bars' parts.
const OUTCOMES: [(&str, Rgb); 4] = [
    ("Succeeded", (6, 118, 71)),
    ("Partly succeeded", (247, 144, 9)),
    ("Failed", (217, 45, 32)),
    ("Running", (37, 99, 235)),
];

pub fn page(desk: Desk) -> AnyView {
    let tenants = use_auth().data_tenants();
    for (t, _) in &tenants {
        desk.want(t, Key::Cases, Priority::Opened, "", false);
    }
    let wanted = tenants.clone();
    Effect::new(move |_| {
        desk.track();
        // The report is what the user opened: its reads go before reading ahead.
        desk.read_operations_ahead(&wanted, Priority::Opened);
    });
    let many = tenants.len() > 1;
    let sections = tenants
        .into_iter()
        .map(|(tenant, name)| tenant_report(desk, tenant, if many { name } else { String::new() }))
        .collect_view();
    view! { <div class="ediscovery report">{sections}</div> }.into_any()
}

fn cases_of(desk: Desk, tenant: &str) -> Option<Rc<Got>> {
    desk.answer(tenant, &Key::Cases)?.got
}

/// The report's figures from what was read so far (`None` before the case list).
fn figures(desk: Desk, tenant: &str) -> Option<CaseLoad> {
    desk.track();
    let got = cases_of(desk, tenant)?;
    let Got::Cases(cases) = got.as_ref() else {
        return None;
    };
    let read: Vec<(&EdiscoveryCase, Rc<Got>)> = cases
        .iter()
        .filter_map(|c| {
            let key = Key::Operations(c.id.as_str().to_owned());
            Some((c, desk.answer(tenant, &key)?.got?))
        })
        .collect();
    let operations: Vec<(&str, &[CaseOperation])> = read
        .iter()
        .filter_map(|(c, got)| match got.as_ref() {
            Got::Operations(ops) => Some((c.id.as_str(), ops.as_slice())),
            _ => None,
        })
        .collect();
    Some(case_load(
        cases,
        &operations,
        js_sys::Date::now() as i64,
        DAYS,
    ))
}

/// One tenant's report, drawn again (charts included) whenever a read arrives.
fn tenant_report(desk: Desk, tenant: String, name: String) -> AnyView {
    live(move || {
        desk.track();
        let a = desk.answer(&tenant, &Key::Cases);
        let title = if name.is_empty() {
            "Case load".to_owned()
        } else {
            format!("Case load: {name}")
        };
        let section = el("section")
            .cls("card case-load")
            .attr("data-tenant", &tenant)
            .child(tx("h2", "", &title))
            .kids(reading(a.as_ref(), "the cases").into_iter().collect())
            .kids(stale(a.as_ref(), "the cases").into_iter().collect());
        let Some(l) = figures(desk, &tenant) else {
            return section;
        };
        let l = Rc::new(l);
        let (csv, charts) = (l.clone(), l.clone());
        section
            .child(summary(&l))
            .child(
                el("button")
                    .cls("report-csv")
                    .t("Download the figures (CSV)")
                    .click(move || {
                        let saved = crate::browser::download(
                            "case-load.csv",
                            "text/csv;charset=utf-8",
                            &to_csv(&csv),
                        );
                        if let Err(e) = saved {
                            say(&document().into(), &e);
                        }
                    }),
            )
            .child(el("p").cls("error report-error").attr("role", "alert"))
            .child(tx("h3", "", "Open cases, last 12 months"))
            .child(canvas(
                "report-open",
                "Open cases per day over the last year; the figures are in the CSV",
            ))
            .child(tx(
                "h3",
                "",
                "Operations of the last 30 days, by action and outcome",
            ))
            .child(canvas(
                "report-operations",
                "Operations by action and outcome; the same figures are in the table below",
            ))
            .child(tables(&l))
            .built(move |section| {
                if let Err(e) = draw(section, &charts) {
                    say(section, &e);
                }
            })
    })
}

fn canvas(class: &str, label: &str) -> H {
    el("canvas")
        .cls(class)
        .attr("width", "960")
        .attr("height", "260")
        .attr("role", "img")
        .attr("aria-label", label)
}

/// Shows `why` in the report's error line under `within`.
fn say(within: &web_sys::Node, why: &str) {
    use wasm_bindgen::JsCast;
    let found = match within.dyn_ref::<web_sys::Element>() {
        Some(e) => e.query_selector(".report-error"),
        None => document().query_selector(".report-error"),
    };
    if let Ok(Some(p)) = found {
        p.set_text_content(Some(why));
    }
}

/// "31 cases, 12 open; operations read for 9 of 14 cases that can have some".
fn summary(l: &CaseLoad) -> H {
    let open = l.open_over_time.last().map_or(0, |d| d.1);
    let mut s = format!("{} cases, {open} open now. ", l.cases);
    if l.cases_with_operations < l.cases_needing_operations {
        s.push_str(&format!(
            "Operations read for {} of the {} cases that can have some; the rest follow at five eDiscovery requests a minute.",
            l.cases_with_operations, l.cases_needing_operations
        ));
    } else {
        s.push_str("Operations read for every case that can have some.");
    }
    tx("p", "report-coverage", &s)
}

fn tables(l: &CaseLoad) -> H {
    let status_rows = l
        .by_status
        .iter()
        .map(|(s, n)| el("tr").child(td(s)).child(td(&n.to_string())))
        .collect();
    let action_rows = l
        .by_action
        .iter()
        .map(|(a, o)| {
            el("tr")
                .attr("data-action", a)
                .child(td(a))
                .child(td(&o.succeeded.to_string()))
                .child(td(&o.partly.to_string()))
                .child(td(&o.failed.to_string()))
                .child(td(&o.running.to_string()))
        })
        .collect();
    let median_rows = l
        .median_duration
        .iter()
        .map(|(a, ms)| el("tr").child(td(a)).child(td(&format_duration(*ms))))
        .collect();
    let mut heads = vec!["Action"];
    heads.extend(OUTCOMES.iter().map(|o| o.0));
    el("div")
        .cls("report-tables")
        .child(tx("h3", "", "Operations by action and outcome"))
        .child(table("report-actions", &heads, action_rows))
        .child(tx("h3", "", "Median duration of finished operations"))
        .child(table(
            "report-durations",
            &["Action", "Median"],
            median_rows,
        ))
        .child(tx("h3", "", "Cases by status"))
        .child(table("report-statuses", &["Status", "Cases"], status_rows))
}

/// Draws both charts of `l` on the canvases of `section`.
fn draw(section: &web_sys::Element, l: &CaseLoad) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let canvas = |class: &str| -> Result<web_sys::HtmlCanvasElement, String> {
        section
            .query_selector(class)
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into().ok())
            .ok_or_else(|| "the chart has no canvas".to_owned())
    };
    let (open, ops) = (canvas(".report-open")?, canvas(".report-operations")?);
    let p = Plot {
        days: l
            .open_over_time
            .iter()
            .map(|(day, _)| DateTime::from_unix_millis(*day))
            .collect(),
        lines: vec![Line {
            label: "Open cases".to_owned(),
            color: plot::SCORE,
            points: l
                .open_over_time
                .iter()
                .map(|(_, n)| Some(f64::from(*n)))
                .collect(),
            main: true,
        }],
        ..Plot::default()
    };
    let surface = |el| {
        CanvasBackend::new(el)
            .map(Surface::Canvas)
            .ok_or("this browser has no 2D canvas")
    };
    plot::draw(&surface(&open)?.into_drawing_area(), &p)?;
    let b = Bars {
        rows: l
            .by_action
            .iter()
            .map(|(a, o)| Row {
                label: a.clone(),
                parts: vec![o.succeeded, o.partly, o.failed, o.running],
            })
            .collect(),
        keys: OUTCOMES
            .iter()
            .map(|(k, c)| ((*k).to_owned(), *c))
            .collect(),
    };
    // One row per action: the canvas grows with them (which also clears it).
    ops.set_height(bars::Layout::height(b.rows.len()));
    bars::draw(&surface(&ops)?.into_drawing_area(), &b)
}
