//! The root: load the runtime configuration, then the router inside the shell, then the page
//! the page table (`routes`) names for the path.

use leptos::either::Either;
use leptos::prelude::*;

use crate::auth::Auth;
use crate::components::resource;
use crate::config::{self, RuntimeConfig};
use crate::pages;
use crate::prefs::Prefs;
use crate::router::{Router, use_location};
use crate::routes::{self, Page};
use crate::shell::Shell;

#[component]
pub fn App() -> impl IntoView {
    Prefs::install();
    let config = resource(config::load);
    move || match config.get() {
        None => Either::Left(view! { <p class="boot">"Loading Vigil…"</p> }),
        Some(Ok(config)) => Either::Right(Either::Left(view! { <Configured config /> })),
        Some(Err(error)) => Either::Right(Either::Right(view! { <pages::Setup error /> })),
    }
}

#[component]
fn Configured(config: RuntimeConfig) -> impl IntoView {
    provide_context(config.clone());
    Auth::install(config);
    view! {
        <Router>
            <Shell>
                <ErrorBoundary fallback=|errors| view! { <pages::Failure errors /> }>
                    <Pages />
                </ErrorBoundary>
            </Shell>
        </Router>
    }
}

/// The page at the current path (from the page table). A page is built again only when the
/// path changes, never for a new query string (the queues keep their filters there).
#[component]
fn Pages() -> impl IntoView {
    let path = use_location().pathname;
    let page = Memo::new(move |_| path.with(|p| routes::page_at(p)));
    Effect::new(move || document().set_title(&format!("{} · Vigil", routes::title_of(page.get()))));
    move || match page.get() {
        Page::Overview => view! { <pages::Overview /> }.into_any(),
        Page::Alerts => view! { <pages::Alerts /> }.into_any(),
        Page::Incidents => view! { <pages::Incidents /> }.into_any(),
        Page::Correlation => view! { <pages::Correlation /> }.into_any(),
        Page::CorrelationEntity => view! { <pages::CorrelationEntity /> }.into_any(),
        #[cfg(not(all(target_arch = "wasm32", feature = "bench-without-secure-score")))]
        Page::SecureScore => view! { <pages::SecureScore /> }.into_any(),
        #[cfg(all(target_arch = "wasm32", feature = "bench-without-secure-score"))]
        Page::SecureScore => {
            view! { <crate::components::NotYet what="Left out of this build." /> }.into_any()
        }
        Page::Ediscovery => view! { <pages::Ediscovery /> }.into_any(),
        Page::Threats(tab) => view! { <pages::Threats tab /> }.into_any(),
        Page::Settings => view! { <pages::Settings /> }.into_any(),
        Page::Callback => view! { <pages::Callback /> }.into_any(),
        Page::NotFound => view! { <pages::NotFound /> }.into_any(),
    }
}
