//! The case page's forms (add custodians, a new search, a legal hold), built by one
//! function: a collapsed card under the card it adds to, shown only to users with eDiscovery
//! write. What was typed is kept whatever the page draws meanwhile, and emptied only once the
//! write has succeeded; the form's own outcome is said under it.
//!
//! Each form's `send` checks what was typed (a refusal sends nothing), waits its turn in the
//! tenant's lane, writes, and says what it did.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use vigil_core::client::scopes::EDISCOVERY_WRITE;

use super::at::At;
use crate::components::Submit;
use crate::components::dom::{H, el, live, text, tx, value_of};

/// How a field is typed.
pub(super) enum Kind {
    /// One line.
    Line,
    /// Several lines (a list of addresses, say).
    Lines,
    /// One of these (value sent, label shown); the first is chosen until the user picks, and
    /// again when the one picked is no longer offered.
    Pick(Vec<(String, String)>),
}

pub(super) struct Field {
    pub id: &'static str,
    pub label: &'static str,
    pub kind: Kind,
}

/// What was typed into a form's fields, in their order.
pub(super) type Typed = StoredValue<Vec<String>>;

/// What a form sends: a sentence either way. A write that partly failed may leave in
/// [`Typed`] only what is still to do.
pub(super) type Send =
    Rc<dyn Fn(At, Typed) -> Pin<Box<dyn Future<Output = Result<String, String>>>>>;

/// A [`Send`] from an async closure.
pub(super) fn send<F: Future<Output = Result<String, String>> + 'static>(
    f: impl Fn(At, Typed) -> F + 'static,
) -> Send {
    Rc::new(move |at, typed| Box::pin(f(at, typed)))
}

/// What a drawn form works with.
#[derive(Clone, Copy)]
struct Kept {
    typed: Typed,
    open: StoredValue<bool>,
    act: Submit,
    /// Bumped when a write succeeds: the fields are drawn again, empty.
    sent: RwSignal<u32>,
}

/// The form `id` (its fields' ids are `{id}-{field}`, its button `{id}-go`, what the last
/// write said `{id}-said`). `fields` is
/// called as the form is drawn; a form whose fields depend on what the desk has read calls
/// [`super::desk::Desk::track`] in it, and is drawn again when that changes.
pub(super) fn form(
    at: &At,
    id: &'static str,
    title: &'static str,
    button: &'static str,
    fields: impl Fn() -> Vec<Field> + 'static,
    send: Send,
) -> AnyView {
    let kept = Kept {
        typed: StoredValue::new(Vec::new()),
        open: StoredValue::new(false),
        act: Submit::new(),
        sent: RwSignal::new(0),
    };
    let at = at.clone();
    let auth = at.auth;
    let body = live(move || {
        kept.sent.track();
        if auth.lacks(EDISCOVERY_WRITE).is_some() {
            return text("");
        }
        draw(&at, kept, id, title, button, fields(), send.clone())
    });
    let outcome = live(move || match kept.act.outcome() {
        Some(Ok(m)) => tx("p", "ok", &m)
            .attr("role", "status")
            .id(&format!("{id}-said")),
        Some(Err(m)) => tx("p", "error", &m)
            .attr("role", "alert")
            .id(&format!("{id}-said")),
        None => text(""),
    });
    (body, outcome).into_any()
}

fn draw(
    at: &At,
    kept: Kept,
    id: &'static str,
    title: &str,
    button: &str,
    fields: Vec<Field>,
    send: Send,
) -> H {
    let Kept {
        typed, open, act, ..
    } = kept;
    typed.update_value(|t| t.resize(fields.len(), String::new()));
    let now = typed.get_value();
    let inputs = fields.into_iter().enumerate().map(|(i, f)| {
        let field_id = format!("{id}-{}", f.id);
        let on_input = move |e: web_sys::Event| typed.update_value(|t| t[i] = value_of(&e));
        let input = match f.kind {
            Kind::Line => el("input")
                .id(&field_id)
                .attr("value", &now[i])
                .on("input", on_input),
            Kind::Lines => el("textarea")
                .id(&field_id)
                .attr("rows", "3")
                .t(&now[i])
                .on("input", on_input),
            Kind::Pick(choices) => {
                // What was picked before, while it is still offered; else the first choice.
                let chosen = if !choices.iter().any(|c| c.0 == now[i]) {
                    let first = choices.first().map(|c| c.0.clone()).unwrap_or_default();
                    typed.update_value(|t| t[i] = first.clone());
                    first
                } else {
                    now[i].clone()
                };
                el("select")
                    .id(&field_id)
                    .kids(
                        choices
                            .iter()
                            .map(|(value, label)| {
                                el("option")
                                    .attr("value", value)
                                    .flag("selected", *value == chosen)
                                    .t(label)
                            })
                            .collect(),
                    )
                    .on("change", on_input)
            }
        };
        el("label").t(f.label).t(" ").child(input)
    });
    let at = at.clone();
    el("details")
        .id(id)
        .cls("card case-form")
        .flag("open", open.get_value())
        .on("toggle", move |e| {
            let shown = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .is_some_and(|d| d.has_attribute("open"));
            open.set_value(shown);
        })
        .child(tx("summary", "", title))
        .child(
            el("div").cls("filters").kids(inputs.collect()).child(
                el("button")
                    .id(&format!("{id}-go"))
                    .t(button)
                    .click(move || {
                        // One write at a time: a second click while it runs does nothing.
                        if untrack(|| act.pending()) {
                            return;
                        }
                        let (at, send) = (at.clone(), send.clone());
                        act.start(async move {
                            let said = send(at, typed).await?;
                            // The page may have gone meanwhile: then there is nothing to clear.
                            typed.try_update_value(|t| t.iter_mut().for_each(String::clear));
                            kept.sent.try_update(|n| *n += 1);
                            Ok(said)
                        });
                    }),
            ),
        )
}
