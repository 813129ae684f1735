//! Offering text as a file download.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// How long the object URL outlives the click: long enough for the browser to start reading it.
const REVOKE_AFTER: std::time::Duration = std::time::Duration::from_secs(30);

/// Offers `text` as a file download (a Blob and an object URL; nothing leaves the browser).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let refused = |_: JsValue| "the browser refused the download".to_owned();
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(refused)?;
    let href = web_sys::Url::create_object_url_with_blob(&blob).map_err(refused)?;
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(refused)?
        .unchecked_into();
    a.set_href(&href);
    a.set_download(name);
    a.set_hidden(true);
    if let Some(body) = document().body() {
        body.append_child(&a).map_err(refused)?;
    }
    a.click();
    a.remove();
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&href);
        },
        REVOKE_AFTER,
    );
    Ok(())
}
