use leptos::prelude::*;

/// What the error boundary shows instead of a blank page: every error, as text.
#[component]
pub fn Failure(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <section class="failure" role="alert">
            <h1>"Something went wrong on this page"</h1>
            <ul>
                {move || {
                    errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()
                }}
            </ul>
            <p>"The rest of Vigil still works; choose another section or reload."</p>
        </section>
    }
}
