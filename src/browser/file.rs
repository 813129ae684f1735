//! Reading a file the user chose.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text of the file chosen in a file input (`File.text()`).
pub async fn chosen_file_text(input: web_sys::EventTarget) -> Result<String, String> {
    let file = input
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()
        .and_then(|input| input.files())
        .and_then(|files| files.get(0))
        .ok_or("no file chosen")?;
    JsFuture::from(file.text())
        .await
        .map_err(|_| "the browser could not read that file".to_owned())?
        .as_string()
        .ok_or_else(|| "that file is not text".to_owned())
}
