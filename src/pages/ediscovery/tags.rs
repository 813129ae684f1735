//! A case's review tags as a tree (`asHierarchy`), read when the user opens the section, as the
//! legal holds and review sets are: opening a case spends no more of the minute's budget. A
//! user with eDiscovery write applies a tag palette there ([`super::palette`]).

use leptos::prelude::*;
use vigil_core::models::{ChildSelectability, ReviewTag};

use super::at::At;
use super::desk::{Got, Key};
use crate::components::dom::{H, el, live, tx};

pub(super) fn section(at: &At) -> AnyView {
    let ask = at.read_on_open(Key::Tags(at.case.clone()));
    let palettes = super::palette::section(at);
    let at = at.clone();
    view! {
        <details class="card" id="case-tags" on:toggle=ask>
            <summary>"Tags"</summary>
            {live(move || tags(&at))}
            {palettes}
        </details>
    }
    .into_any()
}

fn tags(at: &At) -> H {
    let (body, got) = at.notes(Key::Tags(at.case.clone()), "the tags", el("div"));
    let Some(Got::Tags(list)) = got.as_deref() else {
        return body;
    };
    if list.is_empty() {
        return body.child(tx("p", "muted", "No tags in this case."));
    }
    body.child(tree(list).id("tag-tree"))
}

/// Each tag under its parent; a parent whose children exclude each other says so.
fn tree(tags: &[ReviewTag]) -> H {
    el("ul").cls("tag-tree").kids(
        tags.iter()
            .map(|t| {
                let mut li = el("li")
                    .attr("data-tag", &t.id)
                    .t(t.display_name.as_deref().unwrap_or(&t.id));
                if !t.child_tags.is_empty() {
                    if t.child_selectability == Some(ChildSelectability::One) {
                        li = li.child(tx("span", "muted", " (choose one)"));
                    }
                    li = li.child(tree(&t.child_tags));
                }
                li
            })
            .collect(),
    )
}
