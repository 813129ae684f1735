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
/// the load 47.2 to 50.2 MB with either. It grows an allocation in place where it can: the
/// wasm memory is the high-water mark of a load, and a large array that moves to grow leaves
/// its old copy behind as a hole. Measured 2026-12-04 loading 100,000 alerts three times each:
/// wasm memory 124.8, 138.5, 126.4 MB with `disable-grow-in-place` and 123.6, 128.2, 123.7 MB
/// without it, the load 8.7 to 9.2 s and 8.3 to 8.7 s, and the bundle 499.96 -> 499.69 kB
/// brotli (it had taken 0.69 kB off the day before: brotli moves by more than the code does).
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
