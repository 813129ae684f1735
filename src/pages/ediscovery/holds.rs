//! A case's legal holds (hold policies), from Graph's beta API: read when the user opens the
//! section, so opening a case spends no more of the minute's budget than before. A policy in
//! error says why, in the service's words, beside its status. New holds are pending until in
//! force, and polled until then ([`super::desk::Desk::tick`]).

use leptos::prelude::*;
use vigil_core::models::{HoldPolicy, PolicyStatus};

use super::at::At;
use super::body::{table, td, when};
use super::desk::{Got, Key};
use crate::components::dom::{H, el, live, tx};

pub(super) fn section(at: &At) -> AnyView {
    let ask = at.read_on_open(Key::LegalHolds(at.case.clone()));
    let new_hold = super::add::hold(at);
    let at = at.clone();
    view! {
        <details class="card" id="case-holds" on:toggle=ask>
            <summary>"Legal holds " <span class="badge">"Graph beta"</span></summary>
            <p class="muted">
                "Read from Microsoft Graph's beta API, which Microsoft may change, when this "
                "section is opened."
            </p>
            {live(move || holds(&at))}
            {new_hold}
        </details>
    }
    .into_any()
}

fn holds(at: &At) -> H {
    let key = Key::LegalHolds(at.case.clone());
    let (body, got) = at.notes(key, "the legal holds", el("div"));
    let Some(Got::LegalHolds(list)) = got.as_deref() else {
        return body;
    };
    if list.is_empty() {
        return body.child(tx("p", "muted", "No legal holds in this case."));
    }
    let rows = list.iter().map(row).collect();
    body.child(table(
        "legal-holds",
        &["Hold", "Status", "Enabled", "Query", "Created", "Problems"],
        rows,
    ))
}

fn row(h: &HoldPolicy) -> H {
    let status = h.status.as_ref().map_or("—", |s| s.as_str());
    let failed = h.status == Some(PolicyStatus::Error);
    el("tr")
        .attr("data-hold", &h.id)
        .attr("data-status", status)
        .child(td(h.display_name.as_deref().unwrap_or(&h.id)))
        .child(el("td").child(tx("span", "badge", status)))
        .child(td(match h.is_enabled {
            Some(true) => "Yes",
            Some(false) => "No",
            None => "—",
        }))
        .child(el("td").child(tx("code", "", h.content_query.as_deref().unwrap_or(""))))
        .child(td(&when(h.created_date_time.as_ref())))
        .child(tx(
            "td",
            if failed { "error" } else { "" },
            &h.errors.join(" "),
        ))
}
