use leptos::prelude::*;

/// A section whose feature has not landed: it says so plainly and shows no made-up data.
#[component]
pub fn NotYet(
    /// What the section will do, in a sentence.
    what: &'static str,
) -> impl IntoView {
    view! {
        <section class="not-yet" role="status">
            <h2>"Not available yet"</h2>
            <p>{what}</p>
            <p class="muted">"This part of Vigil has not been built yet. Nothing here is sample data."</p>
        </section>
    }
}
