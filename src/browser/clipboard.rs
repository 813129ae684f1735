//! Writing to the clipboard.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Puts `text` on the clipboard (`navigator.clipboard.writeText`); false when the browser
/// refused (no focus, no permission).
pub async fn copy_text(text: &str) -> bool {
    JsFuture::from(window().navigator().clipboard().write_text(text))
        .await
        .is_ok()
}
