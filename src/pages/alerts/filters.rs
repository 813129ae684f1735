//! The filters beyond the toolbar's first row: detection source, classification and
//! determination (client-side or `$filter`, as `QueueFilter` decides).

use leptos::prelude::*;
use vigil_core::models::{AlertClassification, AlertDetermination, DetectionSource};
use vigil_core::queue::filter::humanize;
use vigil_core::queue::{Member, QueueFilter, Set};

use super::Q;

/// A select over one enum filter: "Any" or exactly one member.
fn member_select<E: Member + Send + Sync + 'static>(
    q: Q,
    id: &'static str,
    label: &'static str,
    get: fn(&QueueFilter) -> &Set<E>,
    put: fn(&mut QueueFilter, Set<E>),
) -> impl IntoView {
    let current = move || {
        q.filter.with(|f| match get(f).as_slice() {
            [one] => one.wire().to_owned(),
            [] => String::new(),
            _ => "several".to_owned(),
        })
    };
    view! {
        <label>{label} " "
            <select id=id prop:value=current on:change=move |ev| {
                let v = event_target_value(&ev);
                match v.as_str() {
                    "several" => {}
                    "" => q.set(|f| put(f, Set::any())),
                    w => q.set(|f| put(f, Set::of([E::from_wire(w)]))),
                }
            }>
                <option value="" selected=move || current().is_empty()>"Any"</option>
                {move || (current() == "several").then(|| view! { <option value="several" selected>"Several (from the link)"</option> })}
                {E::known().iter().filter(|w| **w != "unknownFutureValue").map(|w| view! {
                    <option value=*w selected=move || current() == *w>{humanize(w)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub(super) fn MoreFilters(q: Q) -> impl IntoView {
    let active = move || {
        q.filter.with(|f| {
            [
                !f.detections.is_any(),
                !f.classifications.is_any(),
                !f.determinations.is_any(),
            ]
            .into_iter()
            .filter(|on| *on)
            .count()
        })
    };
    view! {
        <details id="more-filters" class="menu">
            <summary>{move || match active() { 0 => "More filters".to_owned(), n => format!("More filters ({n})") }}</summary>
            <div class="menu-body">
                {member_select::<DetectionSource>(q, "filter-detection", "Detection source", |f| &f.detections, |f, s| f.detections = s)}
                {member_select::<AlertClassification>(q, "filter-classification", "Classification", |f| &f.classifications, |f, s| f.classifications = s)}
                {member_select::<AlertDetermination>(q, "filter-determination", "Determination", |f| &f.determinations, |f, s| f.determinations = s)}
            </div>
        </details>
    }
}
