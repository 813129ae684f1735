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

/// Mounts the app on `<body>`; `main` calls this in the browser.
pub fn start() {
    panic::install_hook();
    leptos::mount::mount_to_body(App);
}
