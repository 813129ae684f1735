use leptos::prelude::*;

use crate::components::NotYet;

#[component]
pub fn Incidents() -> impl IntoView {
    view! {
        <h1 id="incidents-title">"Incidents"</h1>
        <NotYet what="The incident queue with its alerts, triage, tags and comments." />
    }
}
