//! A case's non-custodial sources (sites and groups held or searched for no one person), with
//! their data source expanded, read when the user opens the section: opening a case spends no
//! more of the minute's budget.

use leptos::prelude::*;
use vigil_core::models::NoncustodialDataSource;

use super::at::At;
use super::body::{table, td};
use super::desk::{Got, Key};
use crate::components::dom::{H, el, live, tx};

pub(super) fn section(at: &At) -> AnyView {
    let ask = at.read_on_open(Key::Sources(at.case.clone()));
    let at = at.clone();
    view! {
        <details class="card" id="case-sources" on:toggle=ask>
            <summary>"Non-custodial sources"</summary>
            {live(move || sources(&at))}
        </details>
    }
    .into_any()
}

fn sources(at: &At) -> H {
    let key = Key::Sources(at.case.clone());
    let (body, got) = at.notes(key, "the non-custodial sources", el("div"));
    let Some(Got::Sources(list)) = got.as_deref() else {
        return body;
    };
    if list.is_empty() {
        return body.child(tx("p", "muted", "No non-custodial sources in this case."));
    }
    let rows = list.iter().map(row).collect();
    body.child(table(
        "noncustodial-sources",
        &["Source", "Address", "Status", "Hold"],
        rows,
    ))
}

fn row(s: &NoncustodialDataSource) -> H {
    // A site by its address, a group by its mailbox.
    let ds = s.data_source.as_ref();
    let address = ds
        .and_then(|d| d.site.as_ref().and_then(|site| site.web_url.as_deref()))
        .or_else(|| ds.and_then(|d| d.group.as_ref()?.email.as_deref()))
        .or_else(|| ds.and_then(|d| d.email.as_deref()));
    let hold = s.hold_status.as_ref().map_or("—", |h| h.as_str());
    el("tr")
        .attr("data-source", &s.id)
        .child(td(s.display_name.as_deref().unwrap_or(&s.id)))
        .child(td(address.unwrap_or("—")))
        .child(td(s.status.as_ref().map_or("—", |x| x.as_str())))
        .child(el("td").child(tx("span", "badge", hold)))
}
