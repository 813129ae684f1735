use leptos::prelude::*;

use crate::components::NotYet;

#[component]
pub fn Ediscovery() -> impl IntoView {
    view! {
        <h1 id="ediscovery-title">"eDiscovery"</h1>
        <NotYet what="Cases with custodians and holds, searches with estimates, review sets, and long-running jobs with live progress." />
    }
}
