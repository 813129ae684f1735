//! A value the analyst can pivot on: click (or right-click) it for "show only this",
//! "exclude this", "search for this", "group by this" and "copy". Each action opens the alert
//! queue with the changed filter (the current one when already on the queue).

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::queue::pivot::Pivot;
use wasm_bindgen::JsCast;

use super::queue_filter_here;
use crate::browser::copy_text;
use crate::router::{use_location, use_navigate};

/// Closes the menu an event came from (the `<details>` around its target).
fn close_menu(ev: &leptos::ev::MouseEvent) {
    if let Some(details) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("details").ok().flatten())
    {
        let _ = details.remove_attribute("open");
    }
}

#[component]
pub fn PivotValue(pivot: Pivot, #[prop(into)] label: String) -> impl IntoView {
    let location = use_location();
    let navigate = use_navigate();
    let base = move || queue_filter_here(location.pathname, location.search);
    let actions = pivot.actions(&base());
    let pivot = StoredValue::new(pivot);
    let copied = RwSignal::new(None::<&'static str>);
    view! {
        <details class="pivot" on:toggle=move |_| copied.set(None)>
            <summary title="Pivot on this value (click or right-click)" on:contextmenu=move |ev: leptos::ev::MouseEvent| {
                ev.prevent_default();
                if let Some(details) = ev.current_target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|el| el.parent_element())
                {
                    let _ = details.set_attribute("open", "");
                }
            }>{label}</summary>
            <menu class="pivot-menu">
                {actions.into_iter().map(|a| {
                    let navigate = navigate.clone();
                    view! {
                        <li><button type="button" data-action=a.key() on:click=move |ev| {
                            close_menu(&ev);
                            let f = pivot.with_value(|p| p.apply(a, &base()));
                            navigate(&format!("/alerts?{}", f.to_query_string()), Default::default());
                        }>{a.label()}</button></li>
                    }
                }).collect_view()}
                <li><button type="button" data-action="copy" on:click=move |_| {
                    let text = pivot.with_value(|p| p.value().to_owned());
                    spawn_local(async move {
                        let ok = copy_text(&text).await;
                        let _ = copied.try_set(Some(if ok { "Copied." } else { "The browser refused the clipboard." }));
                    });
                }>{move || copied.get().unwrap_or("Copy")}</button></li>
            </menu>
        </details>
    }
}
