use leptos::prelude::*;

use crate::components::NotYet;

#[component]
pub fn Alerts() -> impl IntoView {
    view! {
        <h1 id="alerts-title">"Alerts"</h1>
        <NotYet what="The unified alert queue across every provider: filters in the address bar, a virtualised table, the detail pane with evidence, triage and bulk actions, export." />
    }
}
