//! A case's review sets, read when the user opens the section (as the legal holds are), so
//! opening a case spends no more of the minute's budget. A user with eDiscovery write exports a
//! review set and adds a search's results to one; each long-running action is followed under
//! Operations. A review set's saved queries are read when the user asks for them, one review
//! set at a time. A new review set is named here, checked against the case's before sending.

use leptos::prelude::*;
use vigil_core::ediscovery::validate::unique_name;
use vigil_core::models::{AddToReviewSet, CaseAction, IdRef, ReviewSet, ReviewSetExport};

use super::at::{At, write};
use super::body::{table, td, when, who};
use super::desk::{Got, Key};
use super::form::{Field, Kind, form, send};
use crate::components::dom::{H, el, live, tx};

pub(super) fn section(at: &At) -> AnyView {
    let ask = at.read_on_open(Key::ReviewSets(at.case.clone()));
    let (new, add) = (new_set(at), add_search(at));
    // The review set whose queries are shown (id, name): kept while the list is drawn again.
    let shown = RwSignal::new(None::<(String, String)>);
    let (at, also) = (at.clone(), at.clone());
    view! {
        <details class="card" id="case-review-sets" on:toggle=ask>
            <summary>"Review sets"</summary>
            {live(move || sets(&at, shown))}
            {live(move || queries(&also, shown))}
            {new}
            {add}
        </details>
    }
    .into_any()
}

fn sets(at: &At, shown: RwSignal<Option<(String, String)>>) -> H {
    let key = Key::ReviewSets(at.case.clone());
    let (body, got) = at.notes(key, "the review sets", el("div"));
    let Some(Got::ReviewSets(list)) = got.as_deref() else {
        return body;
    };
    if list.is_empty() {
        return body.child(tx("p", "muted", "No review sets in this case."));
    }
    let rows = list.iter().map(|r| row(at, r, shown)).collect();
    body.child(table(
        "review-sets",
        &["Review set", "Created", "Created by", ""],
        rows,
    ))
}

fn row(at: &At, r: &ReviewSet, shown: RwSignal<Option<(String, String)>>) -> H {
    let name = r.display_name.clone().unwrap_or_else(|| r.id.clone());
    let id = r.id.clone();
    let what = name.clone();
    let picked = (id.clone(), name.clone());
    let asker = at.clone();
    let show = el("button")
        .cls("show-queries")
        .t("Queries")
        .click(move || {
            asker.open(Key::Queries(asker.case.clone(), picked.0.clone()));
            shown.set(Some(picked.clone()));
        });
    // Its original files, in folders, with their tags: what outside counsel is sent.
    let export = at.button(
        &format!("export-set-{}", r.id),
        "Export",
        vec![Key::Operations(at.case.clone())],
        write(move |at: At| {
            let (id, what) = (id.clone(), what.clone());
            async move {
                let body = ReviewSetExport {
                    output_name: format!("{what} export"),
                    description: None,
                    export_options: Some("originalFiles,tags".into()),
                    export_structure: Some("directory".into()),
                };
                let handle = at
                    .client()?
                    .export_review_set(&at.id(), &id, None, &body)
                    .await
                    .map_err(|e| at.auth.explain(&e))?;
                Ok(at.follow(&handle, CaseAction::ContentExport, &what))
            }
        }),
    );
    el("tr")
        .attr("data-review-set", &r.id)
        .child(td(&name))
        .child(td(&when(r.created_date_time.as_ref())))
        .child(td(who(r.created_by.as_ref())))
        .child(el("td").child(show).child(export))
}

/// The saved queries of the review set the user asked about: name, KQL, created, by whom.
fn queries(at: &At, shown: RwSignal<Option<(String, String)>>) -> H {
    let Some((set, name)) = shown.get() else {
        return el("div");
    };
    let key = Key::Queries(at.case.clone(), set);
    let head = el("div").id("review-set-queries").child(tx(
        "h3",
        "",
        &format!("Queries of \u{201c}{name}\u{201d}"),
    ));
    let (body, got) = at.notes(key, "the queries", head);
    let Some(Got::Queries(list)) = got.as_deref() else {
        return body;
    };
    if list.is_empty() {
        return body.child(tx("p", "muted", "No saved queries in this review set."));
    }
    let rows = list
        .iter()
        .map(|q| {
            el("tr")
                .attr("data-query", &q.id)
                .child(td(q.display_name.as_deref().unwrap_or(&q.id)))
                .child(el("td").child(tx("code", "", q.kql().unwrap_or("—"))))
                .child(td(&when(q.created_date_time.as_ref())))
                .child(td(who(q.created_by.as_ref())))
        })
        .collect();
    body.child(table(
        "queries",
        &["Query", "KQL", "Created", "Created by"],
        rows,
    ))
}

/// The choices of a pick: each item's id and name, from what `key` brought.
fn choices(at: &At, key: Key) -> Vec<(String, String)> {
    let got = at.answer(key).and_then(|a| a.got);
    let named = |id: &str, name: Option<&str>| (id.to_owned(), name.unwrap_or(id).to_owned());
    match got.as_deref() {
        Some(Got::Searches(list)) => list
            .iter()
            .map(|s| named(&s.id, s.display_name.as_deref()))
            .collect(),
        Some(Got::ReviewSets(list)) => list
            .iter()
            .map(|r| named(&r.id, r.display_name.as_deref()))
            .collect(),
        _ => Vec::new(),
    }
}

/// A new, empty review set, its name unused in the case.
fn new_set(at: &At) -> AnyView {
    let fields = || {
        vec![Field {
            id: "name",
            label: "Name",
            kind: Kind::Line,
        }]
    };
    form(
        at,
        "new-review-set",
        "New review set",
        "Create review set",
        fields,
        send(|at: At, typed| async move {
            let key = Key::ReviewSets(at.case.clone());
            let name = {
                let got = at.read_before(key.clone(), "the review sets")?;
                let Got::ReviewSets(list) = got.as_ref() else {
                    return Err("The review sets are not read yet.".into());
                };
                let names = list.iter().filter_map(|r| r.display_name.as_deref());
                unique_name("review set", &typed.get_value()[0], 64, names)?
            };
            let client = at.client()?;
            at.desk.turn(&at.tenant).await;
            client
                .create_review_set(&at.id(), &name)
                .await
                .map_err(|e| at.auth.explain(&e))?;
            at.read_again(key);
            Ok(format!("Review set \u{201c}{name}\u{201d} created."))
        }),
    )
}

/// A search's results into a review set (`addToReviewSet`, a long-running operation).
fn add_search(at: &At) -> AnyView {
    let reader = at.clone();
    let fields = move || {
        reader.desk.track();
        let at = &reader;
        vec![
            Field {
                id: "search",
                label: "Search",
                kind: Kind::Pick(choices(at, Key::Searches(at.case.clone()))),
            },
            Field {
                id: "set",
                label: "Into",
                kind: Kind::Pick(choices(at, Key::ReviewSets(at.case.clone()))),
            },
        ]
    };
    form(
        at,
        "add-to-review-set",
        "Add a search's results",
        "Add to review set",
        fields,
        send(|at: At, typed| async move {
            let [search, set] = &typed.get_value()[..] else {
                return Err("The form is incomplete.".into());
            };
            if search.is_empty() || set.is_empty() {
                return Err("Choose a search and a review set: the case needs one of each.".into());
            }
            let name = |key, id: &str| {
                choices(&at, key)
                    .into_iter()
                    .find(|(i, _)| i == id)
                    .map(|(_, n)| n)
            };
            let Some(search_name) = name(Key::Searches(at.case.clone()), search) else {
                return Err("That search is no longer in the case.".into());
            };
            let client = at.client()?;
            let body = AddToReviewSet {
                search: IdRef { id: search.clone() },
                additional_data_options: None,
                items_to_include: None,
            };
            at.desk.turn(&at.tenant).await;
            let handle = client
                .add_to_review_set(&at.id(), set, &body)
                .await
                .map_err(|e| at.auth.explain(&e))?;
            Ok(at.follow(&handle, CaseAction::AddToReviewSet, &search_name))
        }),
    )
}
