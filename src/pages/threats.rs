use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

use crate::components::{NotYet, SignedIn};

/// Threats: submissions, intelligence and hunting as tabs over one outlet.
#[component]
pub fn Threats() -> impl IntoView {
    view! {
        <h1 id="threats-title">"Threats"</h1>
        <nav class="tabs" aria-label="Threats">
            <A href="/threats/submissions">"Submissions"</A>
            <A href="/threats/intelligence">"Intelligence"</A>
            <A href="/threats/hunting">"Hunting"</A>
        </nav>
        <Outlet />
    }
}

#[component]
pub fn Submissions() -> impl IntoView {
    view! {
        <h2 id="submissions-title">"Threat submissions"</h2>
        <SignedIn what="threat submissions">
            <NotYet what="Email, URL and file submissions to Microsoft, with their status and verdicts." />
        </SignedIn>
    }
}

#[component]
pub fn Intelligence() -> impl IntoView {
    view! {
        <h2 id="intelligence-title">"Threat intelligence"</h2>
        <SignedIn what="threat intelligence">
            <NotYet what="Hosts, articles and intel profiles from Defender Threat Intelligence, linked from alert evidence." />
        </SignedIn>
    }
}

#[component]
pub fn Hunting() -> impl IntoView {
    view! {
        <h2 id="hunting-title">"Advanced hunting"</h2>
        <SignedIn what="hunting results">
            <NotYet what="KQL queries over the AlertInfo and AlertEvidence tables, with results as a table." />
        </SignedIn>
    }
}
