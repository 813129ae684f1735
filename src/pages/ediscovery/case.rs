//! One case: what it is, its operations with their progress (polled while they run) and a
//! finished export's download links, its custodians with their holds (and, asked for, their
//! sources: [`super::held`]), its non-custodial sources
//! ([`super::sources`]), its searches, its legal holds ([`super::holds`]), review sets
//! ([`super::review`]) and tags ([`super::tags`]), and the actions a user with eDiscovery write
//! may take on them (the forms that add custodians, searches and legal holds are in
//! [`super::add`]).

use std::rc::Rc;

use leptos::prelude::*;
use vigil_core::client::CustodianAction;
use vigil_core::client::scopes::EDISCOVERY_WRITE;
use vigil_core::ediscovery::lane::Priority;
use vigil_core::ediscovery::progress::{
    Phase, action_text, downloads, duration_ms, error_text, estimate_text, format_duration,
    percent, status_text,
};
use vigil_core::ediscovery::view::is_open;
use vigil_core::models::{
    CaseAction, CaseOperation, CaseStatus, Custodian, DataSourceHoldStatus, EdiscoveryCase,
    EstimateStatistics, Search, SearchExport,
};

use super::at::{At, write};
use super::body::{ask, lane_line, reading, table, td, when, who};
use super::desk::{Desk, Got, Key, open_case};
use super::{add, held, holds, review, sources, tags};
use crate::auth::use_auth;
use crate::components::Submit;
use crate::components::dom::{H, el, live, tx};
use crate::router::href;

pub fn page(desk: Desk, tenant: String, case: String) -> AnyView {
    let auth = use_auth();
    desk.want(&tenant, Key::Cases, Priority::Opened, "", false);
    open_case(desk, &tenant, &case, false);
    let at = At {
        desk,
        auth,
        tenant,
        case,
        act: Submit::new(),
    };
    let (a, b, c, d, e) = (at.clone(), at.clone(), at.clone(), at.clone(), at.clone());
    let (f, shown) = (at.clone(), RwSignal::new(None));
    let (add_custodians, new_search) = (add::custodians(&at), add::search(&at));
    let (noncustodial, holds) = (sources::section(&at), holds::section(&at));
    let (review_sets, tags) = (review::section(&at), tags::section(&at));
    let back = href("/ediscovery");
    view! {
        <div class="ediscovery case-page">
            <a href=back class="back">"← All cases"</a>
            {live(move || header(&a))}
            {live(move || {
                let at = b.clone();
                let t = at.tenant.clone();
                lane_line(at.desk, &t, "", move || open_case(at.desk, &at.tenant, &at.case, true))
            })}
            {live(move || case_actions(&c))}
            {live(move || operations(&d))}
            {live(move || custodians(&e, shown))}
            {live(move || held::sources(&f, shown))}
            {add_custodians}
            {noncustodial}
            {live(move || searches(&at))}
            {new_search}
            {holds}
            {review_sets}
            {tags}
        </div>
    }
    .into_any()
}

/// The case as read with the case list, to `f`.
fn with_case<R>(at: &At, f: impl FnOnce(Option<&EdiscoveryCase>) -> R) -> R {
    let got = at.answer(Key::Cases).and_then(|a| a.got);
    f(match got.as_deref() {
        Some(Got::Cases(cases)) => cases.iter().find(|c| c.id.as_str() == at.case),
        _ => None,
    })
}

fn header(at: &At) -> H {
    at.desk.track();
    with_case(at, |c| header_of(at, c))
}

fn header_of(at: &At, c: Option<&EdiscoveryCase>) -> H {
    let Some(c) = c else {
        return reading(at.answer(Key::Cases).as_ref(), "the case").unwrap_or_else(|| {
            tx(
                "p",
                "error",
                "This case is not among the tenant's cases: it may have been deleted.",
            )
        });
    };
    let status = c.status.as_ref().map_or("—", |s| s.as_str());
    let meta = [
        ("Status", status.to_owned()),
        (
            "External id",
            c.external_id.clone().unwrap_or_else(|| "—".into()),
        ),
        ("Created by", who(c.created_by.as_ref()).to_owned()),
        ("Created", when(c.created_date_time.as_ref())),
        ("Closed", when(c.closed_date_time.as_ref())),
    ];
    el("header")
        .cls("card case-head")
        .child(tx("h2", "", c.display_name.as_deref().unwrap_or(c.id.as_str())).id("case-title"))
        .child(
            el("dl").kids(
                meta.iter()
                    .flat_map(|(k, v)| [tx("dt", "", k), tx("dd", "", v)])
                    .collect(),
            ),
        )
        .child(tx("p", "", c.description.as_deref().unwrap_or("")))
}

/// Close or reopen, and how the last change went.
fn case_actions(at: &At) -> H {
    at.desk.track();
    let open = with_case(at, |c| c.is_none_or(is_open));
    let toggle = at.button(
        if open { "case-close" } else { "case-reopen" },
        if open { "Close case" } else { "Reopen case" },
        Vec::new(),
        write(move |at: At| async move {
            at.client()?
                .set_case_closed(&at.id(), open)
                .await
                .map_err(|e| at.auth.explain(&e))?;
            // The service said yes (204): shown at once, as it now has it.
            let now = vigil_core::models::DateTime::from_unix_millis(js_sys::Date::now() as i64);
            at.desk.patch_case(&at.tenant, &at.case, |c| {
                c.status = Some(if open {
                    CaseStatus::Closed
                } else {
                    CaseStatus::Active
                });
                c.closed_date_time = open.then_some(now);
            });
            Ok(if open {
                format!("{} is closed.", at.name())
            } else {
                format!("{} is open again.", at.name())
            })
        }),
    );
    let outcome = match at.act.outcome() {
        Some(Ok(m)) => tx("p", "ok", &m).attr("role", "status"),
        Some(Err(m)) => tx("p", "error", &m).attr("role", "alert"),
        None => text_none(),
    };
    // Without the write permission: why, and the consent to ask for (as `RequiresScope`).
    let needs = at.auth.lacks(EDISCOVERY_WRITE).map(|why| {
        let mut p = el("p").cls("needs-scope").child(tx("span", "reason", &why));
        if at.auth.account().is_some_and(|a| a.ended.is_none()) {
            p = p.t(" ").child(ask(at.auth, EDISCOVERY_WRITE));
        }
        el("div").cls("requires-scope").child(p)
    });
    el("div")
        .cls("case-actions")
        .id("case-outcome")
        .child(toggle)
        .child(outcome)
        .kids(needs.into_iter().collect())
}

fn text_none() -> H {
    crate::components::dom::text("")
}

fn operations(at: &At) -> H {
    at.desk.track();
    let now = at.desk.now.get() as i64;
    let (body, got) = card(
        at,
        Key::Operations(at.case.clone()),
        "case-operations",
        "Operations",
        "the operations",
    );
    let Some(Got::Operations(ops)) = got.as_deref() else {
        return body;
    };
    let rows = ops
        .iter()
        .map(|op| {
            let phase = Phase::of(op);
            let p = percent(op);
            let result = error_text(op)
                .or_else(|| estimate_text(op))
                .unwrap_or_default();
            el("tr")
                .attr("data-op", &op.common.id)
                .attr("data-phase", phase.key())
                .child(td(&action_text(op.common.action.as_ref())))
                .child(td(&status_text(op)))
                .child(
                    el("td")
                        .child(
                            el("progress")
                                .attr("max", "100")
                                .attr("value", &p.to_string())
                                .attr("aria-label", "Progress")
                                .t(&format!("{p} %")),
                        )
                        .child(tx("span", "pct", &format!("\u{a0}{p}\u{a0}%"))),
                )
                .child(td(&when(op.common.created_date_time.as_ref())))
                .child(td(&duration_ms(op, now)
                    .map(format_duration)
                    .unwrap_or_else(|| "—".into())))
                .child(td(who(op.common.created_by.as_ref())))
                .child(
                    tx(
                        "td",
                        if phase == Phase::Failed { "error" } else { "" },
                        &result,
                    )
                    .kids(download_links(op)),
                )
        })
        .collect();
    if ops.is_empty() {
        return body.child(tx("p", "muted", "No operations have run in this case."));
    }
    body.child(table(
        "operations",
        &[
            "Action",
            "Status",
            "Progress",
            "Started",
            "Duration",
            "Started by",
            "Result",
        ],
        rows,
    ))
}

/// A finished export's files, each an https link (checked in `downloads`).
fn download_links(op: &CaseOperation) -> Vec<H> {
    downloads(op)
        .into_iter()
        .map(|(label, url)| {
            el("a")
                .cls("download")
                .attr("href", &url)
                .attr("rel", "noopener noreferrer")
                .attr("target", "_blank")
                .t(&label)
        })
        .collect()
}

/// The card of one read: its heading and what the read is doing or why it failed, and what it
/// brought.
fn card(at: &At, key: Key, id: &str, title: &str, what: &str) -> (H, Option<Rc<Got>>) {
    let head = el("section").cls("card").id(id).child(tx("h3", "", title));
    at.notes(key, what, head)
}

fn custodians(at: &At, shown: held::Shown) -> H {
    let (body, got) = card(
        at,
        Key::Custodians(at.case.clone()),
        "case-custodians",
        "Custodians",
        "the custodians",
    );
    let Some(Got::Custodians(list)) = got.as_deref() else {
        return body;
    };
    if list.is_empty() {
        return body.child(tx("p", "muted", "No custodians in this case."));
    }
    let rows = list.iter().map(|c| custodian_row(at, c, shown)).collect();
    body.child(table(
        "custodians",
        &["Custodian", "Email", "Status", "Hold", ""],
        rows,
    ))
}

fn custodian_row(at: &At, c: &Custodian, shown: held::Shown) -> H {
    let hold = c.hold_status.as_ref();
    let held = matches!(
        hold,
        Some(DataSourceHoldStatus::Applied | DataSourceHoldStatus::Applying)
    );
    let (label, action) = if held {
        ("Remove hold", CustodianAction::RemoveHold)
    } else {
        ("Apply hold", CustodianAction::ApplyHold)
    };
    let id = c.id.clone();
    let again = vec![
        Key::Custodians(at.case.clone()),
        Key::Operations(at.case.clone()),
    ];
    let button = at.button(
        &format!("hold-{}", c.id),
        label,
        again,
        write(move |at: At| {
            let id = id.clone();
            async move {
                at.client()?
                    .custodian_action(&at.id(), &id, action)
                    .await
                    .map_err(|e| at.auth.explain(&e))?;
                Ok(format!(
                    "{label}: asked; the hold changes as the operation runs."
                ))
            }
        }),
    );
    el("tr")
        .attr("data-custodian", &c.id)
        .child(td(c.display_name.as_deref().unwrap_or("—")))
        .child(td(c.email.as_deref().unwrap_or("—")))
        .child(td(c.status.as_ref().map_or("—", |s| s.as_str())))
        .child(el("td").child(tx("span", "badge", hold.map_or("—", |h| h.as_str()))))
        .child(el("td").child(held::show(at, c, shown)).child(button))
}

fn searches(at: &At) -> H {
    let (body, got) = card(
        at,
        Key::Searches(at.case.clone()),
        "case-searches",
        "Searches",
        "the searches",
    );
    let Some(Got::Searches(list)) = got.as_deref() else {
        return body;
    };
    if list.is_empty() {
        return body.child(tx("p", "muted", "No searches in this case."));
    }
    let rows = list.iter().map(|s| search_row(at, s)).collect();
    body.child(table("searches", &["Search", "Query", "Created", ""], rows))
}

fn search_row(at: &At, s: &Search) -> H {
    let name = s.display_name.clone().unwrap_or_else(|| s.id.clone());
    let estimate = search_action(
        at,
        s,
        "estimate",
        "Estimate",
        CaseAction::EstimateStatistics,
    );
    let export = search_action(at, s, "export", "Export", CaseAction::ExportResult);
    el("tr")
        .attr("data-search", &s.id)
        .child(td(&name))
        .child(el("td").child(tx("code", "", s.content_query.as_deref().unwrap_or(""))))
        .child(td(&when(s.created_date_time.as_ref())))
        .child(el("td").child(estimate).child(export))
}

/// A button that starts `action` on a search and follows its operation in the table.
fn search_action(at: &At, s: &Search, id: &str, label: &str, action: CaseAction) -> H {
    let (search, name) = (s.id.clone(), s.display_name.clone().unwrap_or_default());
    let again = vec![Key::Operations(at.case.clone())];
    at.button(
        &format!("{id}-{}", s.id),
        label,
        again,
        write(move |at: At| {
            let (search, name, action) = (search.clone(), name.clone(), action.clone());
            async move {
                let client = at.client()?;
                let (case, export) = (at.id(), action == CaseAction::ExportResult);
                let handle = if export {
                    let body = SearchExport::results(format!("{name} export"));
                    client.export_search(&case, &search, false, &body).await
                } else {
                    let body = EstimateStatistics::default();
                    client.estimate_statistics(&case, &search, &body).await
                }
                .map_err(|e| at.auth.explain(&e))?;
                Ok(at.follow(&handle, action, &name))
            }
        }),
    )
}
