//! What a user with eDiscovery write adds to a case from its page: custodians (each with their
//! mailbox and OneDrive as a source), searches and legal holds. Each is checked against the
//! case as read before anything is sent (`vigil_core::ediscovery::validate`).

use leptos::prelude::*;
use vigil_core::ediscovery::validate::{SEARCH_SCOPES, new_custodians, new_hold, new_search};
use vigil_core::models::NewDataSource;

use super::at::At;
use super::desk::{Got, Key};
use super::form::{Field, Kind, form, send};

/// The custodian sources added with each custodian: their mailbox and their OneDrive.
const SOURCES: &str = "mailbox,site";

pub(super) fn custodians(at: &At) -> AnyView {
    let fields = || {
        vec![Field {
            id: "emails",
            label: "Addresses, one per line",
            kind: Kind::Lines,
        }]
    };
    form(
        at,
        "add-custodians",
        "Add custodians",
        "Add custodians",
        fields,
        send(|at: At, typed| async move {
            let key = Key::Custodians(at.case.clone());
            let emails = {
                let got = at.read_before(key.clone(), "the custodians")?;
                let Got::Custodians(list) = got.as_ref() else {
                    return Err("The custodians are not read yet.".into());
                };
                let known = list.iter().filter_map(|c| c.email.as_deref());
                new_custodians(&typed.get_value()[0], known)?
            };
            let client = at.client()?;
            let mut added = Vec::new();
            for (i, email) in emails.iter().enumerate() {
                // Two requests each: the custodian, then their mailbox and OneDrive as its source.
                at.desk.turn(&at.tenant).await;
                let stop = match client.create_custodian(&at.id(), email).await {
                    Err(e) => Some((i, format!("{email} was not added: {}", at.auth.explain(&e)))),
                    Ok(c) => {
                        added.push(email.as_str());
                        at.desk.turn(&at.tenant).await;
                        let source = NewDataSource::user(email.clone(), Some(SOURCES));
                        let sourced = client.add_custodian_source(&at.id(), &c.id, &source).await;
                        sourced.err().map(|e| {
                            let why = at.auth.explain(&e);
                            (
                                i + 1,
                                format!("{email} has no mailbox or OneDrive yet: {why}"),
                            )
                        })
                    }
                };
                if let Some((rest, why)) = stop {
                    // What is still to add stays typed.
                    typed.try_update_value(|t| t[0] = emails[rest..].join("\n"));
                    if added.is_empty() {
                        return Err(why);
                    }
                    at.read_again(key);
                    return Err(format!("Added {}. {why}", added.join(", ")));
                }
            }
            at.read_again(key);
            Ok(format!(
                "Added {}, each with their mailbox and OneDrive.",
                added.join(", ")
            ))
        }),
    )
}

pub(super) fn search(at: &At) -> AnyView {
    let fields = || {
        let scopes = SEARCH_SCOPES
            .iter()
            .map(|(v, l)| ((*v).to_owned(), format!("In {l}")))
            .collect();
        vec![
            Field {
                id: "name",
                label: "Name",
                kind: Kind::Line,
            },
            Field {
                id: "query",
                label: "Query (KQL)",
                kind: Kind::Line,
            },
            Field {
                id: "scope",
                label: "Where",
                kind: Kind::Pick(scopes),
            },
        ]
    };
    form(
        at,
        "new-search",
        "New search",
        "Create search",
        fields,
        send(|at: At, typed| async move {
            let key = Key::Searches(at.case.clone());
            let write = {
                let got = at.read_before(key.clone(), "the searches")?;
                let Got::Searches(list) = got.as_ref() else {
                    return Err("The searches are not read yet.".into());
                };
                let [name, query, scope] = &typed.get_value()[..] else {
                    return Err("The form is incomplete.".into());
                };
                let names = list.iter().filter_map(|s| s.display_name.as_deref());
                new_search(name, query, scope, names)?
            };
            let client = at.client()?;
            at.desk.turn(&at.tenant).await;
            let made = client
                .create_search(&at.id(), &write)
                .await
                .map_err(|e| at.auth.explain(&e))?;
            at.read_again(key);
            Ok(format!(
                "Search \u{201c}{}\u{201d} created: estimate it to see what it finds.",
                made.display_name.unwrap_or_default()
            ))
        }),
    )
}

/// A legal hold (Graph beta) on mailboxes and sites, sent with them in one request; it is
/// `pending` until Purview puts it in force, and the holds are polled until then.
pub(super) fn hold(at: &At) -> AnyView {
    let fields = || {
        vec![
            Field {
                id: "name",
                label: "Name",
                kind: Kind::Line,
            },
            Field {
                id: "query",
                label: "Query (KQL, blank holds everything)",
                kind: Kind::Line,
            },
            Field {
                id: "mailboxes",
                label: "Mailboxes (with their OneDrive), one per line",
                kind: Kind::Lines,
            },
            Field {
                id: "sites",
                label: "Sites (https://…), one per line",
                kind: Kind::Lines,
            },
        ]
    };
    form(
        at,
        "new-hold",
        "New legal hold",
        "Create hold",
        fields,
        send(|at: At, typed| async move {
            let key = Key::LegalHolds(at.case.clone());
            let write = {
                let got = at.read_before(key.clone(), "the legal holds")?;
                let Got::LegalHolds(list) = got.as_ref() else {
                    return Err("The legal holds are not read yet.".into());
                };
                let [name, query, mailboxes, sites] = &typed.get_value()[..] else {
                    return Err("The form is incomplete.".into());
                };
                let names = list.iter().filter_map(|h| h.display_name.as_deref());
                new_hold(name, query, mailboxes, sites, names)?
            };
            let client = at.client()?;
            at.desk.turn(&at.tenant).await;
            client
                .create_legal_hold(&at.id(), &write)
                .await
                .map_err(|e| at.auth.explain(&e))?;
            at.read_again(key);
            Ok(format!(
                "Hold \u{201c}{}\u{201d} created: pending until Purview puts it in force.",
                write.display_name
            ))
        }),
    )
}
