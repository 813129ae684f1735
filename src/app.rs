//! The root: load the runtime configuration, then the router inside the shell.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::auth::Auth;
use crate::config::{self, RuntimeConfig};
use crate::pages;
use crate::prefs::Prefs;
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
                    <Routes fallback=pages::NotFound>
                        <Route path=path!("/") view=pages::Overview />
                        <Route path=path!("/alerts") view=pages::Alerts />
                        <Route path=path!("/incidents") view=pages::Incidents />
                        <Route path=path!("/correlation") view=pages::Correlation />
                        <Route path=path!("/secure-score") view=pages::SecureScore />
                        <Route path=path!("/ediscovery") view=pages::Ediscovery />
                        <ParentRoute path=path!("/threats") view=pages::Threats>
                            <Route path=path!("") view=|| view! { <Redirect path="/threats/submissions" /> } />
                            <Route path=path!("submissions") view=pages::Submissions />
                            <Route path=path!("intelligence") view=pages::Intelligence />
                            <Route path=path!("hunting") view=pages::Hunting />
                        </ParentRoute>
                        <Route path=path!("/settings") view=pages::Settings />
                        <Route path=path!("/auth/callback") view=pages::Callback />
                    </Routes>
                </ErrorBoundary>
            </Shell>
        </Router>
    }
}
