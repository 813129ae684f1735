//! eDiscovery: the signed-in tenants' cases and their case load report, and a case's operations
//! (with their progress), custodians, non-custodial sources, searches, legal holds, review sets
//! and tags, inside Graph's budget of five eDiscovery requests a minute.
//!
//! The figures and rules come from `vigil_core::ediscovery`; what was read is kept for the
//! session by the [`desk`], which also paces every read. The page is drawn with
//! [`crate::components::dom`] (plain DOM described as data).
//!
//! `cargo xtask bench` times opening a case, counts the requests spent
//! (tests/bench/ediscovery.mjs) and reports the page's share of the bundle, from a second build
//! with the cargo feature `bench-without-ediscovery`, which leaves the page out.

#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod add;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod at;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod body;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod card;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod case;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod desk;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod form;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod held;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod holds;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod list;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod new_case;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod palette;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod report;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod review;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod sources;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
mod tags;

use leptos::prelude::*;

#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
pub use card::card;

use crate::components::SignedIn;

#[component]
pub fn Ediscovery() -> impl IntoView {
    view! {
        <h1 id="ediscovery-title">"eDiscovery"</h1>
        <SignedIn what="eDiscovery cases">{page()}</SignedIn>
    }
}

#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
fn page() -> AnyView {
    view! { <body::Body /> }.into_any()
}

#[cfg(all(target_arch = "wasm32", feature = "bench-without-ediscovery"))]
fn page() -> AnyView {
    view! {
        <crate::components::NotYet what="Left out of this build." />
    }
    .into_any()
}
