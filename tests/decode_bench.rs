//! Decoding throughput in the browser: a 1,000-alert page decoded by vigil-core beside
//! `JSON.parse` of the same bytes in the same page. vigil-core decodes through the client's own
//! `decode` (bytes in, as the transport hands them over). Run by `cargo xtask bench` (release build,
//! headless Chromium); it prints one `BENCH {json}` line and asserts only that both decoders
//! agree on the page, so it never fails on a slow machine.
#![cfg(target_arch = "wasm32")]

use vigil_core::client::decode;
use vigil_core::models::{Alert, ODataPage};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JavaScript string, with no copy through Rust.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &wasm_bindgen::JsValue) -> wasm_bindgen::JsValue;
}

/// The repository's own alert fixture (seven evidence kinds), repeated into the page.
const EXAMPLE: &str = include_str!("../crates/core/tests/fixtures/alert.json");

fn page() -> String {
    let template: serde_json::Value =
        serde_json::from_str(EXAMPLE).expect("the alert fixture is JSON");
    let alerts: Vec<serde_json::Value> = (0..1000)
        .map(|i| {
            let mut a = template.clone();
            a["id"] = format!("da{i:08}_bench").into();
            a
        })
        .collect();
    serde_json::json!({ "@odata.count": 1000, "value": alerts }).to_string()
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// Best of `rounds` timings of `f`, in milliseconds.
fn best_of(rounds: usize, mut f: impl FnMut()) -> f64 {
    (0..rounds)
        .map(|_| {
            let t = now();
            f();
            now() - t
        })
        .fold(f64::INFINITY, f64::min)
}

#[wasm_bindgen_test]
fn decode_a_thousand_alert_page() {
    let text = page();
    let bytes = text.as_bytes();
    let js_text = wasm_bindgen::JsValue::from_str(&text);
    let decoded: ODataPage<Alert> = decode(bytes).expect("vigil-core decodes the page");
    let parsed = js_sys::JSON::parse(&text).expect("JSON.parse parses the page");
    let js_len = js_sys::Reflect::get(&parsed, &"value".into())
        .map(|v| js_sys::Array::from(&v).length())
        .unwrap_or(0);
    assert_eq!((decoded.value.len(), js_len), (1000, 1000));

    let ours = best_of(15, || {
        let page: ODataPage<Alert> = decode(std::hint::black_box(bytes)).unwrap();
        std::hint::black_box(page);
    });
    // serde_json's reader alone over the same text: every token checked and skipped, nothing
    // built. No decoder built on this reader can be faster than this.
    let skim = best_of(15, || {
        let skipped: serde::de::IgnoredAny =
            serde_json::from_str(std::hint::black_box(&text)).unwrap();
        std::hint::black_box(skipped);
    });
    // JSON.parse gets a JavaScript string, as it would from `response.text()`.
    let theirs = best_of(15, || {
        std::hint::black_box(json_parse(&js_text));
    });
    let mb = bytes.len() as f64 / 1e6;
    console_log!(
        "BENCH {{\"bytes\":{},\"vigil_ms\":{ours:.3},\"json_parse_ms\":{theirs:.3},\"vigil_mb_s\":{:.1},\"json_parse_mb_s\":{:.1},\"reader_ms\":{skim:.3},\"reader_mb_s\":{:.1}}}",
        bytes.len(),
        mb / (ours / 1e3),
        mb / (theirs / 1e3),
        mb / (skim / 1e3)
    );
}
