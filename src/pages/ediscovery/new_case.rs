//! "New case" on the case list, for users with eDiscovery write: a name no case of the tenant
//! has, an external id and a description, checked before anything is sent; the request waits
//! its turn in the tenant's lane like every other write, and the new case is put first in the
//! list at once (no read of the whole list spent on it). What was typed stays until the case is
//! created, whatever the page draws meanwhile.

use leptos::prelude::*;
use vigil_core::client::scopes::EDISCOVERY_WRITE;
use vigil_core::ediscovery::validate::new_case;

use super::desk::{Desk, Got, Key};
use crate::auth::{Auth, use_auth};
use crate::components::Submit;
use crate::components::dom::{H, el, live, text, tx, value_of};

/// The tenant the case goes to, and what the user typed: name, external id, description.
type Typed = [String; 4];

pub fn form(desk: Desk, tenants: Vec<(String, String)>) -> AnyView {
    let auth = use_auth();
    let typed = StoredValue::new(Typed::default());
    let act = Submit::new();
    // Bumped when a case is created: the fields are drawn again, empty. Nothing else but the
    // active tenant redraws them (the rest is read untracked), and what was typed is kept
    // across a redraw.
    let created = RwSignal::new(0u32);
    let fields = live(move || {
        let again = created.get() > 0;
        // The case goes to the active tenant (the header's), named when several are signed in.
        let active = auth.active_tenant();
        untrack(|| {
            let tenant = tenants
                .iter()
                .find(|t| Some(&t.0) == active.as_ref())
                .or(tenants.first());
            let (Some((id, name)), None) = (tenant, auth.lacks(EDISCOVERY_WRITE)) else {
                return text("");
            };
            typed.update_value(|t| t[0] = id.clone());
            let title = if tenants.len() > 1 {
                format!("New case in {name}")
            } else {
                "New case".to_owned()
            };
            let at = At {
                desk,
                auth,
                typed,
                act,
                created,
            };
            fields(at, &title, again)
        })
    });
    let outcome = live(move || match act.outcome() {
        Some(Ok(m)) => tx("p", "ok", &m)
            .attr("role", "status")
            .id("new-case-outcome"),
        Some(Err(m)) => tx("p", "error", &m)
            .attr("role", "alert")
            .id("new-case-outcome"),
        None => text(""),
    });
    (fields, outcome).into_any()
}

/// What the form works with: taken from the page's context when it is drawn, since the write
/// runs in a task of its own, outside any context.
#[derive(Clone, Copy)]
struct At {
    desk: Desk,
    auth: Auth,
    typed: StoredValue<Typed>,
    act: Submit,
    created: RwSignal<u32>,
}

fn fields(at: At, title: &str, open: bool) -> H {
    let At { typed, act, .. } = at;
    let t = typed.get_value();
    let input = |id: &str, label: &str, i: usize| {
        el("label").t(label).child(
            el("input")
                .id(id)
                .attr("value", &t[i])
                .on("input", move |e| {
                    typed.update_value(|t| t[i] = value_of(&e))
                }),
        )
    };
    el("details")
        .id("new-case")
        .cls("card")
        .flag("open", open)
        .child(tx("summary", "", title))
        .child(
            el("div")
                .cls("filters")
                .child(input("new-case-name", "Name ", 1))
                .child(input("new-case-external", "External id ", 2))
                .child(input("new-case-description", "Description ", 3))
                .child(
                    el("button")
                        .id("new-case-create")
                        .t("Create case")
                        .click(move || {
                            // One case at a time: a second click while it is created does nothing.
                            if !untrack(|| act.pending()) {
                                act.start(create(at));
                            }
                        }),
                ),
        )
}

/// Checks what was typed against the tenant's cases as read, then creates the case in its turn.
async fn create(at: At) -> Result<String, String> {
    let At {
        desk,
        auth,
        typed,
        created,
        ..
    } = at;
    let [tenant, name, external, description] = typed.get_value();
    // The list read so far is let go before the write waits: the desk adds the new case to it.
    let write = {
        let got = desk.answer(&tenant, &Key::Cases).and_then(|a| a.got);
        let Some(Got::Cases(cases)) = got.as_deref() else {
            return Err(
                "Wait for the case list to be read: a new case's name must differ from theirs."
                    .into(),
            );
        };
        let names = cases.iter().filter_map(|c| c.display_name.as_deref());
        new_case(&name, &external, &description, names)?
    };
    let client = auth
        .client_for_data(Some(&tenant))
        .ok_or("Sign in to this tenant again to create a case.")?;
    desk.turn(&tenant).await;
    let case = client
        .create_case(&write)
        .await
        .map_err(|e| auth.explain(&e))?;
    let said = case.display_name.clone().unwrap_or_default();
    desk.add_case(&tenant, case);
    // The page may have gone meanwhile: then there is nothing to clear.
    typed.try_update_value(|t| {
        t[1].clear();
        t[2].clear();
        t[3].clear();
    });
    created.try_update(|n| *n += 1);
    Ok(format!("Case \u{201c}{said}\u{201d} created."))
}
