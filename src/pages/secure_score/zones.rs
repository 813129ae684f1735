//! The good / fair / poor zones behind the chart, in percent of the maximum, kept in the
//! browser.

use leptos::prelude::*;

use super::S;
use super::store;
use crate::components::chart::plot::Bands;

#[component]
pub fn ZonesEditor(s: S) -> impl IntoView {
    let set = move |fair: Option<u8>, good: Option<u8>| {
        let now = s.zones.get_untracked();
        let b = Bands {
            fair: fair.map_or(now.fair, f64::from),
            good: good.map_or(now.good, f64::from),
        };
        if b.fair <= b.good && b.good <= 100.0 {
            store::save_zones(b);
            s.zones.set(b);
        }
    };
    let num = |ev: &leptos::ev::Event| event_target_value(ev).trim().parse::<u8>().ok();
    view! {
        <span class="zones" title="Zones: kept in this browser">
            "Zones: poor below "
            <input type="number" id="zone-fair" min="0" max="100" class="zone-input"
                prop:value=move || (s.zones.get().fair as u8).to_string()
                on:change=move |ev| set(num(&ev), None) />
            "%, fair below "
            <input type="number" id="zone-good" min="0" max="100" class="zone-input"
                prop:value=move || (s.zones.get().good as u8).to_string()
                on:change=move |ev| set(None, num(&ev)) />
            "%, good above"
        </span>
    }
}
