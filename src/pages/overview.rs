use leptos::prelude::*;

use crate::components::NotYet;

#[component]
pub fn Overview() -> impl IntoView {
    view! {
        <h1 id="overview-title">"Overview"</h1>
        <NotYet what="Open alerts and incidents by severity and provider, new versus resolved per day, mean time to resolve, and the oldest unassigned high-severity alerts." />
    }
}
