//! eDiscovery: the signed-in tenants' cases, and a case's operations (with their progress),
//! custodians and searches, inside Graph's budget of five eDiscovery requests a minute.
//!
//! The figures and rules come from `vigil_core::ediscovery`; what was read is kept for the
//! session by the [`desk`], which also paces every read. The page is drawn with
//! [`crate::components::dom`] (plain DOM described as data).
//!
//! The page is built only with the cargo feature `ediscovery-page`: it adds 28.1 kB brotli, and
//! the shipped bundle (478.6 kB) has 21.4 kB left under its 500 kB limit, so the shipped build
//! still says "not yet" (xtask/src/size.rs). `cargo xtask test` builds it with the feature,
//! reports its size and runs tests/e2e/ediscovery.test.mjs against it; `cargo xtask bench`
//! times opening a case and counts the requests spent (tests/bench/ediscovery.mjs).

#[cfg(feature = "ediscovery-page")]
mod body;
#[cfg(feature = "ediscovery-page")]
mod case;
#[cfg(feature = "ediscovery-page")]
mod desk;
#[cfg(feature = "ediscovery-page")]
mod list;

use leptos::prelude::*;

use crate::components::SignedIn;

#[component]
pub fn Ediscovery() -> impl IntoView {
    view! {
        <h1 id="ediscovery-title">"eDiscovery"</h1>
        <SignedIn what="eDiscovery cases">{page()}</SignedIn>
    }
}

#[cfg(feature = "ediscovery-page")]
fn page() -> AnyView {
    view! { <body::Body /> }.into_any()
}

#[cfg(not(feature = "ediscovery-page"))]
fn page() -> AnyView {
    view! {
        <crate::components::NotYet what="Cases with custodians and holds, searches with estimates, review sets, and long-running jobs with live progress." />
    }
    .into_any()
}
