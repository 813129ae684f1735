use leptos::prelude::*;

use crate::prefs::use_prefs;
use crate::time::{format_instant, offset_label};

/// An instant in the user's chosen time zone, with the offset on hover.
#[component]
pub fn Time(epoch_ms: f64) -> impl IntoView {
    let zone = use_prefs().time_zone;
    view! {
        <time title=move || offset_label(epoch_ms, zone.get())>
            {move || format_instant(epoch_ms, zone.get())}
        </time>
    }
}
