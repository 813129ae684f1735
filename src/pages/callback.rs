use leptos::prelude::*;

use crate::components::NotYet;

/// Where the identity platform sends the browser back after sign-in.
#[component]
pub fn Callback() -> impl IntoView {
    view! {
        <h1 id="callback-title">"Signing in"</h1>
        <NotYet what="Completing sign-in: checking the state, exchanging the code for tokens with PKCE, and returning you to the page you asked for." />
    }
}
