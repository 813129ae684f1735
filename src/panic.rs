//! A panic in WebAssembly stops the app; instead of a blank or frozen page the user gets a
//! readable message and a reload link, and the details go to the console.

use wasm_bindgen::JsCast;

pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal_message();
    }));
}

/// Built with DOM calls and `textContent` only: no HTML parsing, whatever the panic said.
fn show_fatal_message() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("fatal").is_some() {
        return;
    }
    let Ok(panel) = document.create_element("div") else {
        return;
    };
    panel.set_id("fatal");
    let _ = panel.set_attribute("role", "alert");
    let heading = document.create_element("h1").ok();
    let text = document.create_element("p").ok();
    let link = document.create_element("a").ok();
    if let (Some(h), Some(p), Some(a)) = (heading, text, link) {
        h.set_text_content(Some("Vigil stopped because of an internal error"));
        p.set_text_content(Some(
            "Your unsent edits are kept in this tab's storage. Reload to continue; \
             the browser console has the details for a bug report.",
        ));
        a.set_text_content(Some("Reload"));
        let _ = a.set_attribute("href", "");
        let _ = panel.append_child(&h);
        let _ = panel.append_child(&p);
        let _ = panel.append_child(&a);
    }
    if let Ok(el) = panel.dyn_into::<web_sys::HtmlElement>() {
        let _ = body.append_child(&el);
    }
}
