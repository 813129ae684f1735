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
