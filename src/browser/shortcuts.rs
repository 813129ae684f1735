//! Single-key keyboard shortcuts for a page.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Calls `on_key` with each key pressed on the page while the calling view lives, except:
/// combinations with Ctrl, Alt or Meta (the browser's and the system's), and keys typed into a
/// field, where Escape leaves the field instead.
pub fn use_shortcuts(on_key: impl Fn(&str, &web_sys::KeyboardEvent) + 'static) {
    let listener = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if typing {
            if ev.key() == "Escape"
                && let Some(el) = document().active_element()
            {
                let _ = el.unchecked_into::<web_sys::HtmlElement>().blur();
            }
            return;
        }
        on_key(&ev.key(), &ev);
    });
    on_cleanup(move || listener.remove());
}
