//! Browser tests: run in headless Chromium by wasm-bindgen-test (`cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep(dur: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let cb = Closure::once_into_js(move || resolve.call0(&wasm_bindgen::JsValue::NULL));
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                cb.unchecked_ref(),
                dur.as_millis() as i32,
            );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits up to five seconds for an element to appear.
async fn wait_for(selector: &str) -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    for _ in 0..100 {
        leptos::task::tick().await;
        if let Ok(Some(el)) = document.query_selector(selector) {
            return el;
        }
        sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{selector} did not appear; body: {}",
        document.body().unwrap().inner_html()
    );
}

fn fresh_container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

#[wasm_bindgen_test]
async fn missing_config_shows_the_setup_page_not_a_panic() {
    // The test runner's server has no /config.json, as a careless deployment would not.
    let _app = leptos::mount::mount_to(fresh_container(), vigil::App);
    let setup = wait_for("#setup").await;
    let text = setup.text_content().unwrap_or_default();
    assert!(text.contains("Vigil needs to be configured"), "{text}");
    assert!(text.contains("HTTP 404"), "{text}");
}

#[wasm_bindgen_test]
async fn theme_choice_applies_to_the_page_and_persists() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("vigil.theme").unwrap();
    let theme = RwSignal::new(None);
    let _view = leptos::mount::mount_to(fresh_container(), move || {
        theme.set(Some(vigil::prefs::Prefs::install().theme));
    });
    leptos::task::tick().await;
    let root = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("system"));
    theme
        .get_untracked()
        .unwrap()
        .set(vigil::prefs::Theme::Dark);
    leptos::task::tick().await;
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    assert_eq!(
        storage.get_item("vigil.theme").unwrap().as_deref(),
        Some("dark")
    );
}
