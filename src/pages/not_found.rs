use leptos::prelude::*;

use crate::router::{href, use_location};

#[component]
pub fn NotFound() -> impl IntoView {
    let path = use_location().pathname;
    view! {
        <h1 id="not-found-title">"Page not found"</h1>
        <p>"Nothing in Vigil lives at " <code>{move || path.get()}</code> "."</p>
        <p><a href=href("/")>"Go to the overview"</a></p>
    }
}
