//! The queue's keyboard: j/k move, x select, Enter open, Escape close, a assign to me,
//! r resolve, / search, ? help.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{Q, assign_to_me, current_alert_id, scroll_to_cursor, toggle_checked};
use crate::auth::Auth;
use crate::browser::use_shortcuts;

/// Listens for the queue's keys while the queue is shown.
pub(super) fn install(q: Q, auth: Auth) {
    use_shortcuts(move |key, ev| {
        let len = q.view.with_untracked(Vec::len);
        match key {
            "j" | "ArrowDown" if len > 0 => {
                ev.prevent_default();
                q.cursor.update(|c| *c = (*c + 1).min(len - 1));
                scroll_to_cursor(q);
            }
            "k" | "ArrowUp" if len > 0 => {
                ev.prevent_default();
                q.cursor.update(|c| *c = c.saturating_sub(1));
                scroll_to_cursor(q);
            }
            "x" => {
                if let Some(id) = q.row_id(q.cursor.get_untracked()) {
                    toggle_checked(q, id);
                }
            }
            "Enter" => {
                if let Some(id) = q.row_id(q.cursor.get_untracked()) {
                    q.select(Some(id));
                }
            }
            "Escape" => q.select(None),
            "a" => assign_to_me(q, auth),
            "r" => {
                if let Some(id) = current_alert_id(q) {
                    if q.filter
                        .with_untracked(|f| f.selected.as_ref() != Some(&id))
                    {
                        q.select(Some(id.clone()));
                    }
                    q.resolve_intent.set(Some(id));
                }
            }
            "/" => {
                ev.prevent_default();
                if let Some(el) = document().get_element_by_id("queue-search") {
                    let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            }
            "?" => q.help.update(|h| *h = !*h),
            _ => {}
        }
    });
}
