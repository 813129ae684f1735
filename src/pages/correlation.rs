use leptos::prelude::*;

use crate::components::{NotYet, SignedIn};

#[component]
pub fn Correlation() -> impl IntoView {
    view! {
        <h1 id="correlation-title">"Correlation"</h1>
        <SignedIn what="correlated alerts">
            <NotYet what="Alerts from different providers linked through the users, devices, IP addresses and file hashes they share, so a multi-stage attack reads as one story." />
        </SignedIn>
    }
}
