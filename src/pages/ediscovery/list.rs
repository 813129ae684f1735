//! The case list: every signed-in tenant's cases with the operations still running in each,
//! filtered by status and searched by name or external id (both in the URL), and "New case"
//! ([`super::new_case`]).

use leptos::prelude::*;
use vigil_core::ediscovery::lane::Priority;
use vigil_core::ediscovery::progress::running;
use vigil_core::ediscovery::report::needs_operations;
use vigil_core::ediscovery::view::{EdiscoveryView, is_open};
use vigil_core::models::{CaseStatus, EdiscoveryCase};

use super::body::{Go, lane_line, reading, stale, table, td, when, who};
use super::desk::{Desk, Got, Key};
use crate::auth::use_auth;
use crate::components::dom::{H, el, live, tx, value_of};
use crate::router::href;

/// The statuses a case can have, as the filter offers them.
const STATUSES: &[(&str, &str)] = &[
    ("", "Any status"),
    ("active", "Active"),
    ("closing", "Closing"),
    ("closed", "Closed"),
    ("closedWithError", "Closed with error"),
    ("pendingDelete", "Pending delete"),
];

pub fn page(desk: Desk, go: Go, view: Memo<EdiscoveryView>) -> AnyView {
    let tenants = use_auth().data_tenants();
    for (t, _) in &tenants {
        desk.want(t, Key::Cases, Priority::Opened, "", false);
    }
    let many = tenants.len() > 1;
    let lanes = tenants.clone();
    let lanes = live(move || {
        el("div").kids(
            lanes
                .iter()
                .map(|(t, name)| {
                    let t2 = t.clone();
                    let name = if many { name.as_str() } else { "" };
                    lane_line(desk, t, name, move || {
                        desk.want(&t2, Key::Cases, Priority::Now, "", true)
                    })
                })
                .collect(),
        )
    });
    let create = super::new_case::form(desk, tenants.clone());
    // Each open case's operations, read ahead behind everything the user asks for and leaving
    // room for the case page opened next (one read a minute), show what runs; its custodians,
    // read after every case's operations, are counted.
    let wanted = tenants.clone();
    Effect::new(move |_| {
        desk.track();
        desk.read_operations_ahead(&wanted, Priority::Background);
        desk.read_custodians_ahead(&wanted, Priority::Background);
    });
    let filters = live(move || filters(go, view.get_untracked()));
    let cases = live(move || {
        desk.track();
        let v = view.get();
        let mut rows = Vec::new();
        let mut notes = Vec::new();
        for (tenant, name) in &tenants {
            let a = desk.answer(tenant, &Key::Cases);
            let what = if name.is_empty() {
                "the cases".to_owned()
            } else {
                format!("the cases of {name}")
            };
            notes.extend(reading(a.as_ref(), &what));
            notes.extend(stale(a.as_ref(), &what));
            let got = a.and_then(|a| a.got);
            if let Some(Got::Cases(list)) = got.as_deref() {
                rows.extend(
                    list.iter()
                        .filter(|c| v.matches(c))
                        .map(|c| row(desk, tenant, name, c, many)),
                );
            }
        }
        let shown = rows.len();
        let mut heads = vec![
            "Case",
            "External id",
            "Status",
            "Created by",
            "Created",
            "Closed",
            "Custodians",
            "Running",
        ];
        if many {
            heads.push("Tenant");
        }
        el("div")
            .kids(notes)
            .child(tx(
                "p",
                "muted",
                &format!("{shown} case{}", if shown == 1 { "" } else { "s" }),
            ))
            .child(table("case-list", &heads, rows))
    });
    view! { <div class="ediscovery">{lanes}{filters}{create}{cases}</div> }.into_any()
}

fn row(desk: Desk, tenant: &str, tenant_name: &str, c: &EdiscoveryCase, many: bool) -> H {
    let v = EdiscoveryView {
        case: Some((tenant.to_owned(), c.id.as_str().to_owned())),
        ..EdiscoveryView::default()
    };
    let name = c.display_name.as_deref().unwrap_or(c.id.as_str());
    let link = el("a")
        .attr(
            "href",
            &href(&crate::router::join("/ediscovery", &v.to_query_string())),
        )
        .t(name);
    let status = c.status.as_ref().map_or("—", CaseStatus::as_str);
    let mut r = el("tr")
        .attr("data-case", c.id.as_str())
        .child(el("td").child(link))
        .child(td(c.external_id.as_deref().unwrap_or("—")))
        .child(el("td").child(tx("span", "badge", status)))
        .child(td(who(c.created_by.as_ref())))
        .child(td(&when(c.created_date_time.as_ref())))
        .child(td(&when(c.closed_date_time.as_ref())))
        .child(custodians_cell(desk, tenant, c))
        .child(running_cell(desk, tenant, c));
    if many {
        r = r.child(td(if tenant_name.is_empty() {
            tenant
        } else {
            tenant_name
        }));
    }
    r
}

/// How many custodians the case has, as last read; "…" until an open case's are read, "—" for
/// a closed case (not read ahead).
fn custodians_cell(desk: Desk, tenant: &str, c: &EdiscoveryCase) -> H {
    let key = Key::Custodians(c.id.as_str().to_owned());
    match desk.answer(tenant, &key).and_then(|a| a.got).as_deref() {
        Some(Got::Custodians(list)) => td(&list.len().to_string()),
        _ if is_open(c) => td("…"),
        _ => td("—"),
    }
    .cls("case-custodians")
}

/// The case's operations that still run, each with its bar, as last read; "…" until its
/// operations are read (a closed case's are not, unless it closed in the last 30 days).
fn running_cell(desk: Desk, tenant: &str, c: &EdiscoveryCase) -> H {
    let key = Key::Operations(c.id.as_str().to_owned());
    let got = desk.answer(tenant, &key).and_then(|a| a.got);
    let Some(Got::Operations(ops)) = got.as_deref() else {
        return td(if needs_operations(c, js_sys::Date::now() as i64) {
            "…"
        } else {
            "—"
        });
    };
    let live = running(ops);
    if live.is_empty() {
        return td("None");
    }
    el("td").cls("running").kids(
        live.iter()
            .map(|(action, p)| {
                el("div")
                    .t(action)
                    .t(" ")
                    .child(
                        el("progress")
                            .attr("max", "100")
                            .attr("value", &p.to_string())
                            .attr("aria-label", action),
                    )
                    .t(&format!("\u{a0}{p}\u{a0}%"))
            })
            .collect(),
    )
}

/// The status filter and the search, drawn once: typing never redraws them.
fn filters(go: Go, v: EdiscoveryView) -> H {
    let current = v.status.as_ref().map_or("", CaseStatus::as_str).to_owned();
    let status = el("select")
        .id("case-status")
        .kids(
            STATUSES
                .iter()
                .map(|(value, label)| {
                    el("option")
                        .attr("value", value)
                        .flag("selected", *value == current)
                        .t(label)
                })
                .collect(),
        )
        .on("change", move |e| {
            let s = value_of(&e);
            let mut v = current_view();
            v.status = (!s.is_empty()).then(|| CaseStatus::parse(&s));
            go.to(&v, true);
        });
    let search = el("input")
        .id("case-search")
        .attr("type", "search")
        .attr("placeholder", "Name or external id")
        .attr("value", &v.search)
        .on("input", move |e| {
            let mut v = current_view();
            v.search = value_of(&e);
            go.to(&v, true);
        });
    el("div")
        .cls("filters")
        .child(el("label").t("Status ").child(status))
        .child(el("label").t("Search ").child(search))
}

/// The view in the address bar now (the filters are drawn once, so they read it when used).
fn current_view() -> EdiscoveryView {
    let search = window().location().search().unwrap_or_default();
    EdiscoveryView::from_query_string(search.strip_prefix('?').unwrap_or(&search))
}
