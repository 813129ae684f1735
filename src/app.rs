//! The root: load the runtime configuration, then the router inside the shell.

use leptos::either::Either;
use leptos::prelude::*;

use crate::auth::Auth;
use crate::config::{self, RuntimeConfig};
use crate::pages;
use crate::pages::ThreatTab;
use crate::prefs::Prefs;
use crate::router::{Router, use_location};
use crate::shell::Shell;

#[component]
pub fn App() -> impl IntoView {
    Prefs::install();
    let config = LocalResource::new(config::load);
    view! {
        <Suspense fallback=|| view! { <p class="boot">"Loading Vigil…"</p> }>
            {move || {
                config
                    .get()
                    .map(|loaded| match loaded {
                        Ok(config) => Either::Left(view! { <Configured config /> }),
                        Err(error) => Either::Right(view! { <pages::Setup error /> }),
                    })
            }}
        </Suspense>
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

/// The page at each path. A page is built again only when the path changes, never for a new
/// query string (the queues keep their filters there).
#[derive(Clone, Copy, PartialEq)]
enum Page {
    Overview,
    Alerts,
    Incidents,
    Correlation,
    SecureScore,
    Ediscovery,
    Threats(ThreatTab),
    Settings,
    Callback,
    NotFound,
}

impl Page {
    fn at(path: &str) -> Self {
        match path {
            "/" => Self::Overview,
            "/alerts" => Self::Alerts,
            "/incidents" => Self::Incidents,
            "/correlation" => Self::Correlation,
            "/secure-score" => Self::SecureScore,
            "/ediscovery" => Self::Ediscovery,
            "/threats/submissions" => Self::Threats(ThreatTab::Submissions),
            "/threats/intelligence" => Self::Threats(ThreatTab::Intelligence),
            "/threats/hunting" => Self::Threats(ThreatTab::Hunting),
            "/settings" => Self::Settings,
            "/auth/callback" => Self::Callback,
            _ => Self::NotFound,
        }
    }
}

#[component]
fn Pages() -> impl IntoView {
    let path = use_location().pathname;
    let page = Memo::new(move |_| path.with(|p| Page::at(p)));
    move || match page.get() {
        Page::Overview => view! { <pages::Overview /> }.into_any(),
        Page::Alerts => view! { <pages::Alerts /> }.into_any(),
        Page::Incidents => view! { <pages::Incidents /> }.into_any(),
        Page::Correlation => view! { <pages::Correlation /> }.into_any(),
        Page::SecureScore => view! { <pages::SecureScore /> }.into_any(),
        Page::Ediscovery => view! { <pages::Ediscovery /> }.into_any(),
        Page::Threats(tab) => view! { <pages::Threats tab /> }.into_any(),
        Page::Settings => view! { <pages::Settings /> }.into_any(),
        Page::Callback => view! { <pages::Callback /> }.into_any(),
        Page::NotFound => view! { <pages::NotFound /> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_has_its_page_and_anything_else_is_not_found() {
        assert!(Page::at("/") == Page::Overview);
        assert!(Page::at("/alerts") == Page::Alerts);
        assert!(Page::at("/threats/hunting") == Page::Threats(ThreatTab::Hunting));
        assert!(Page::at("/auth/callback") == Page::Callback);
        assert!(Page::at("/alerts/") == Page::NotFound);
        assert!(Page::at("/Alerts") == Page::NotFound);
        assert!(
            Page::at("/threats") == Page::NotFound,
            "the router opens its first tab first"
        );
    }
}
