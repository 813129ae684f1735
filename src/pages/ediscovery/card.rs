//! The eDiscovery card of the Overview page: the active tenant's open cases and those opened
//! and closed in the last 30 days, from the case list the eDiscovery page keeps (one request a
//! session, in the same lane as the page's).

use leptos::prelude::*;
use vigil_core::client::scopes::EDISCOVERY_READ;
use vigil_core::ediscovery::lane::Priority;
use vigil_core::ediscovery::report::summary;
use vigil_core::ediscovery::view::{EdiscoveryView, Section};

use super::body::reading;
use super::desk::{Got, Key, use_desk};
use crate::auth::use_auth;
use crate::components::dom::{H, el, live, tx};
use crate::router::{href, join};

pub fn card() -> AnyView {
    let auth = use_auth();
    let report = EdiscoveryView {
        section: Section::Report,
        ..EdiscoveryView::default()
    };
    let report = href(&join("/ediscovery", &report.to_query_string()));
    let body = if auth.lacks(EDISCOVERY_READ).is_some() {
        live(|| {
            tx(
                "p",
                "muted",
                "Reading cases needs the eDiscovery.Read.All permission: the eDiscovery page asks for it.",
            )
        })
    } else {
        let desk = use_desk(auth);
        live(move || {
            desk.track();
            let Some(tenant) = auth.active_tenant() else {
                return el("div");
            };
            let a = desk.answer(&tenant, &Key::Cases);
            // Asked once: a read that failed says why and is not asked again from here.
            if a.is_none() {
                desk.want(&tenant, Key::Cases, Priority::Opened, "", false);
            }
            match a.as_ref().and_then(|a| a.got.as_deref()) {
                Some(Got::Cases(cases)) => {
                    figures(summary(cases, js_sys::Date::now() as i64), &report)
                }
                _ => reading(a.as_ref(), "the cases").unwrap_or_else(|| el("div")),
            }
        })
    };
    view! {
        <section class="card" id="ediscovery-card">
            <h2><a href=href("/ediscovery")>"eDiscovery"</a></h2>
            {body}
        </section>
    }
    .into_any()
}

fn figures(s: vigil_core::ediscovery::report::CaseSummary, report: &str) -> H {
    let figure = |value: u32, label: &str| {
        el("a")
            .cls("figure")
            .attr("href", report)
            .child(tx("span", "figure-value", &value.to_string()))
            .child(tx("span", "figure-label", label))
    };
    el("div")
        .cls("figures")
        .child(figure(s.open, "open cases"))
        .child(figure(s.opened, "opened in 30 days"))
        .child(figure(s.closed, "closed in 30 days"))
}
