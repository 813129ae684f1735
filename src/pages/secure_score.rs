use leptos::prelude::*;

use crate::components::{NotYet, SignedIn};

#[component]
pub fn SecureScore() -> impl IntoView {
    view! {
        <h1 id="secure-score-title">"Secure Score"</h1>
        <SignedIn what="your Secure Score">
            <NotYet what="The Secure Score trend against similar organisations, recommended actions by points and effort, and the score you would reach if planned actions were done." />
        </SignedIn>
    }
}
