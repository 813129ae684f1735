use leptos::prelude::*;

use crate::components::{NotYet, SignedIn};
use crate::router::NavLink;
use crate::routes;

/// The tabs of the Threats page, each at its own path.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ThreatTab {
    Submissions,
    Intelligence,
    Hunting,
}

/// Threats: submissions, intelligence and hunting as tabs.
#[component]
pub fn Threats(tab: ThreatTab) -> impl IntoView {
    let body = match tab {
        ThreatTab::Submissions => view! { <Submissions /> }.into_any(),
        ThreatTab::Intelligence => view! { <Intelligence /> }.into_any(),
        ThreatTab::Hunting => view! { <Hunting /> }.into_any(),
    };
    view! {
        <h1 id="threats-title">"Threats"</h1>
        <nav class="tabs" aria-label="Threats">
            {routes::threat_tabs()
                .into_iter()
                .map(|(path, label)| view! { <NavLink href=path>{label}</NavLink> })
                .collect_view()}
        </nav>
        {body}
    }
}

#[component]
fn Submissions() -> impl IntoView {
    view! {
        <h2 id="submissions-title">"Threat submissions"</h2>
        <SignedIn what="threat submissions">
            <NotYet what="Email, URL and file submissions to Microsoft, with their status and verdicts." />
        </SignedIn>
    }
}

#[component]
fn Intelligence() -> impl IntoView {
    view! {
        <h2 id="intelligence-title">"Threat intelligence"</h2>
        <SignedIn what="threat intelligence">
            <NotYet what="Hosts, articles and intel profiles from Defender Threat Intelligence, linked from alert evidence." />
        </SignedIn>
    }
}

#[component]
fn Hunting() -> impl IntoView {
    view! {
        <h2 id="hunting-title">"Advanced hunting"</h2>
        <SignedIn what="hunting results">
            <NotYet what="KQL queries over the AlertInfo and AlertEvidence tables, with results as a table." />
        </SignedIn>
    }
}
