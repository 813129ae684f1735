//! One custodian's sources, read when the user asks for them: their mailbox and OneDrive, the
//! sites and the Microsoft 365 groups held or searched for them (one read each, so opening a
//! case spends no more of the minute's budget), each with its hold status, which moves with
//! the custodian's.

use leptos::prelude::*;
use vigil_core::client::CustodianSources;
use vigil_core::models::{Custodian, DataSource};

use super::at::At;
use super::body::{table, td, when};
use super::desk::{Got, Key};
use crate::components::dom::{H, el, tx};

/// The custodian whose sources are shown (id, name): kept while the custodians are drawn again.
pub(super) type Shown = RwSignal<Option<(String, String)>>;

/// Each source collection: what one of its sources is, and what its read is called.
const KINDS: [(CustodianSources, &str, &str); 3] = [
    (
        CustodianSources::User,
        "Mailbox and OneDrive",
        "the mailboxes",
    ),
    (CustodianSources::Site, "Site", "the sites"),
    (CustodianSources::UnifiedGroup, "Group", "the groups"),
];

/// The three reads of `custodian`'s sources, each with what its sources are and its name.
fn keys(at: &At, custodian: &str) -> impl Iterator<Item = (Key, &'static str, &'static str)> {
    let (case, who) = (at.case.clone(), custodian.to_owned());
    KINDS
        .into_iter()
        .map(move |(which, kind, what)| (Key::Held(case.clone(), who.clone(), which), kind, what))
}

/// The button that shows `c`'s sources below the custodians.
pub(super) fn show(at: &At, c: &Custodian, shown: Shown) -> H {
    let picked = (
        c.id.clone(),
        c.display_name.clone().unwrap_or_else(|| c.id.clone()),
    );
    let at = at.clone();
    el("button")
        .cls("show-sources")
        .t("Sources")
        .click(move || {
            for (key, ..) in keys(&at, &picked.0) {
                at.open(key);
            }
            shown.set(Some(picked.clone()));
        })
}

/// The sources of the custodian the user asked about: what each is, where, what of it is
/// included, its hold and when it was added.
pub(super) fn sources(at: &At, shown: Shown) -> H {
    let Some((custodian, name)) = shown.get() else {
        return el("div");
    };
    let mut body = el("section").cls("card").id("custodian-sources").child(tx(
        "h3",
        "",
        &format!("Sources of \u{201c}{name}\u{201d}"),
    ));
    let (mut rows, mut read) = (Vec::new(), 0);
    for (key, kind, what) in keys(at, &custodian) {
        let got;
        (body, got) = at.notes(key, what, body);
        if let Some(Got::Held(list)) = got.as_deref() {
            read += 1;
            rows.extend(list.iter().map(|s| row(s, kind)));
        }
    }
    if rows.is_empty() {
        return if read == KINDS.len() {
            body.child(tx("p", "muted", "No sources for this custodian."))
        } else {
            body
        };
    }
    body.child(table(
        "held-sources",
        &["Source", "Kind", "Address", "Includes", "Hold", "Added"],
        rows,
    ))
}

fn row(s: &DataSource, kind: &str) -> H {
    // A mailbox by its address, a site by its web address, a group by its mailbox.
    let address = s
        .email
        .as_deref()
        .or_else(|| s.site.as_ref()?.web_url.as_deref())
        .or_else(|| s.group.as_ref()?.email.as_deref());
    let includes = s.included_sources.as_deref().unwrap_or("—");
    el("tr")
        .attr("data-source", &s.id)
        .child(td(s.display_name.as_deref().unwrap_or(&s.id)))
        .child(td(kind))
        .child(td(address.unwrap_or("—")))
        .child(td(&includes.replace(',', ", ")))
        .child(el("td").child(tx(
            "span",
            "badge",
            s.hold_status.as_ref().map_or("—", |h| h.as_str()),
        )))
        .child(td(&when(s.created_date_time.as_ref())))
}
