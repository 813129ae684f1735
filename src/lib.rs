//! Vigil's browser app: the Leptos pages and components, the browser transport and sign-in.
//! Everything that needs no browser lives in `vigil-core`.

mod app;
pub mod auth;
pub mod browser;
pub mod components;
pub mod config;
mod pages;
pub mod panic;
pub mod prefs;
pub mod router;
pub mod routes;
mod shell;
pub mod time;
pub mod transport;

pub use auth::drafts;

pub use app::App;

/// The allocator: Talc instead of the standard library's dlmalloc, for bytes and speed.
/// Measured 2026-12-03, each build loading a 20,000-alert tenant three times in the same session
/// (tests/bench/queue.mjs load): the bundle 499.64 -> 498.15 kB brotli; token to the last row
/// indexed 4.15, 4.02, 4.04 s with dlmalloc and 3.72, 3.29, 3.23 s with Talc; wasm memory after
/// the load 47.2 to 50.2 MB with either. Its `disable-grow-in-place` (Cargo.toml) took another
/// 0.69 kB off with the eDiscovery sources page built, for 4.12, 3.54, 3.57 s on the same load:
/// slower than Talc's default, still faster than dlmalloc. At 100,000 alerts, with and without
/// it side by side: 20.7, 18.6 s and 18.1, 19.4 s (dlmalloc not measured again there).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Mounts the app on `<body>`; `main` calls this in the browser. Inside a frame it refuses to
/// run (a page that frames Vigil could trick an analyst into clicks, and a `<meta>` policy
/// cannot say `frame-ancestors`).
pub fn start() {
    panic::install_hook();
    if framed() {
        if let Some(body) = leptos::prelude::document().body() {
            body.set_text_content(Some(
                "Vigil does not run inside a frame. Open it in a tab of its own.",
            ));
        }
        return;
    }
    leptos::mount::mount_to_body(App);
}

fn framed() -> bool {
    let window = leptos::prelude::window();
    match window.top() {
        Ok(Some(top)) => !js_sys::Object::is(&top, &window),
        // A top window that cannot even be named is someone else's.
        _ => true,
    }
}
