use leptos::prelude::*;

use crate::components::{NotYet, SignedIn};

#[component]
pub fn Ediscovery() -> impl IntoView {
    view! {
        <h1 id="ediscovery-title">"eDiscovery"</h1>
        <SignedIn what="eDiscovery cases">
            <NotYet what="Cases with custodians and holds, searches with estimates, review sets, and long-running jobs with live progress." />
        </SignedIn>
    }
}
