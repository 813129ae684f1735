//! The page: the case list or an open case, after the permission to read cases.

use leptos::prelude::*;
use vigil_core::client::scopes::{EDISCOVERY_READ, EDISCOVERY_WRITE};
use vigil_core::ediscovery::view::{EdiscoveryView, Section};

use super::desk::{self, Desk, use_desk};
use super::{case, list, report};
use crate::auth::use_auth;
use crate::components::dom::{H, el, live, tx};
use crate::router::{NavigateOptions, use_location, use_navigate};
use crate::time::format_instant;

/// Writes a view to the address bar; `true` replaces the history entry.
type GoFn = std::rc::Rc<dyn Fn(&EdiscoveryView, bool)>;

/// [`GoFn`], `Copy`.
#[derive(Clone, Copy)]
pub(super) struct Go(StoredValue<GoFn, LocalStorage>);

impl Go {
    /// To `v`; `replace` for filters typed as you go.
    pub(super) fn to(self, v: &EdiscoveryView, replace: bool) {
        self.0.with_value(|go| go(v, replace));
    }
}

#[component]
pub fn Body() -> impl IntoView {
    let auth = use_auth();
    let desk = use_desk(auth);
    let location = use_location();
    let navigate = use_navigate();
    let view = Memo::new(move |_| EdiscoveryView::from_query_string(&location.search.get()));
    let go = Go(StoredValue::new_local(std::rc::Rc::new(
        move |v: &EdiscoveryView, replace: bool| {
            let to = crate::router::join("/ediscovery", &v.to_query_string());
            navigate(
                &to,
                NavigateOptions {
                    replace,
                    scroll: !replace,
                },
            );
        },
    )));
    let lacking = move || auth.lacks(EDISCOVERY_READ);
    // Only opening another case or section draws the page again: filters typed as you go do
    // not.
    let open = Memo::new(move |_| view.with(|v| (v.case.clone(), v.section == Section::Report)));
    move || {
        if let Some(why) = lacking() {
            return live(move || no_access(auth, &why));
        }
        match open.get() {
            (Some((tenant, case)), _) => case::page(desk, tenant, case),
            (None, report) => {
                let section = if report {
                    report::page(desk)
                } else {
                    list::page(desk, go, view)
                };
                view! { {tabs(report)} {section} }.into_any()
            }
        }
    }
}

/// The case list and the case load report, as links (each in the address bar).
fn tabs(report: bool) -> AnyView {
    let link = |label: &str, section: Section, current: bool| {
        let v = EdiscoveryView {
            section,
            ..EdiscoveryView::default()
        };
        el("a")
            .attr(
                "href",
                &crate::router::href(&crate::router::join("/ediscovery", &v.to_query_string())),
            )
            .attr("aria-current", if current { "page" } else { "false" })
            .t(label)
    };
    live(move || {
        el("nav")
            .cls("tabs ediscovery-tabs")
            .attr("aria-label", "eDiscovery")
            .child(link("Cases", Section::Overview, !report))
            .child(link("Case load report", Section::Report, report))
    })
}

/// Why there is nothing to show yet, with the consent to ask for (the same "Request access"
/// as [`crate::components::RequestAccess`]).
fn no_access(auth: crate::auth::Auth, why: &str) -> H {
    let ask = |scope| ask(auth, scope);
    el("section")
        .cls("card")
        .id("ediscovery-no-access")
        .child(el("p").t(&format!(
            "eDiscovery cases need the eDiscovery.Read.All permission, and an eDiscovery Manager role in Microsoft Purview; your sign-in {why}."
        )))
        .child(
            el("p")
                .t("To read cases: ")
                .child(ask(EDISCOVERY_READ))
                .t(" To manage them too (eDiscovery.ReadWrite.All): ")
                .child(ask(EDISCOVERY_WRITE)),
        )
}

/// "Request access": incremental consent for `scope`, back to this page after.
pub(super) fn ask(auth: crate::auth::Auth, scope: &'static str) -> H {
    el("button")
        .cls("link request-access")
        .attr("data-scope", scope)
        .t("Request access")
        .click(move || {
            let _ = auth.request_scopes(&[scope]);
        })
}

/// The lane's state for one tenant: requests spent this minute, when the next read goes, what
/// waits (in the order it will be served), and a refresh that jumps the queue.
/// `name` says whose budget it is when several tenants are shown.
pub(super) fn lane_line(desk: Desk, tenant: &str, name: &str, refresh: impl Fn() + 'static) -> H {
    desk.track();
    let now = desk.now.get();
    let (queue, next, used) = desk.queue(tenant);
    let next = next.or_else(|| desk.next_poll());
    let per = vigil_core::ediscovery::lane::LaneConfig::default().per_window;
    let mut line = el("div")
        .cls("lane")
        .attr("data-tenant", tenant)
        .child(tx(
            "span",
            "lane-used",
            &format!(
                "{name}{}eDiscovery requests this minute: {used} of {per}",
                if name.is_empty() { "" } else { ": " }
            ),
        ))
        .child(tx(
            "span",
            "lane-next",
            &vigil_core::ediscovery::lane::describe_next(next, now),
        ))
        .child(
            el("button")
                .cls("link lane-refresh")
                .t("Refresh now")
                .click(refresh),
        );
    if !queue.is_empty() {
        line = line.child(
            el("ol")
                .cls("lane-queue")
                .attr("aria-label", "Waiting requests")
                .kids(
                    queue
                        .into_iter()
                        .map(|(what, why)| {
                            el("li")
                                .t(&what)
                                .child(tx("span", "muted", &format!(" ({why})")))
                        })
                        .collect(),
                ),
        );
    }
    line
}

/// A table with a header row.
pub(super) fn table(id: &str, heads: &[&str], rows: Vec<H>) -> H {
    el("table")
        .id(id)
        .cls("grid")
        .child(el("thead").child(el("tr").kids(heads.iter().map(|h| tx("th", "", h)).collect())))
        .child(el("tbody").kids(rows))
}

/// A cell of text.
pub(super) fn td(t: &str) -> H {
    tx("td", "", t)
}

/// An instant in the user's time zone, "—" when unknown.
pub(super) fn when(d: Option<&vigil_core::models::DateTime>) -> String {
    let zone = crate::prefs::use_prefs().time_zone.get_untracked();
    d.map_or_else(
        || "—".to_owned(),
        |d| format_instant(d.unix_millis() as f64, zone),
    )
}

/// Who created something, "—" when unknown.
pub(super) fn who(by: Option<&vigil_core::models::IdentitySet>) -> &str {
    by.and_then(|b| b.label()).unwrap_or("—")
}

/// What a read is doing, or why it failed: `None` once there is something to show.
pub(super) fn reading(answer: Option<&desk::Answer>, what: &str) -> Option<H> {
    match answer {
        Some(desk::Answer { got: Some(_), .. }) => None,
        Some(desk::Answer {
            problem: Some(p), ..
        }) => Some(
            el("p")
                .cls("error")
                .attr("role", "alert")
                .t(&format!("{what} could not be read: {p}")),
        ),
        _ => Some(tx("p", "muted loading", &format!("Reading {what}…"))),
    }
}

/// A later read failed: what is shown was read before, and why it is not newer.
pub(super) fn stale(answer: Option<&desk::Answer>, what: &str) -> Option<H> {
    let a = answer?;
    let p = a.problem.as_deref().filter(|_| a.got.is_some())?;
    Some(el("p").cls("error").attr("role", "alert").t(&format!(
        "Reading {what} again failed, so this is what was read before: {p}"
    )))
}
