//! The filters beyond the toolbar's first row: detection source, classification and
//! determination (client-side or `$filter`, as `QueueFilter` decides).

use leptos::prelude::*;
use vigil_core::models::{AlertClassification, AlertDetermination, DetectionSource};

use super::Q;
use crate::components::member_select;

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
                {member_select::<DetectionSource>("filter-detection", "Detection source",
                    move || q.filter.with(|f| f.detections.clone()), move |s| q.set(|f| f.detections = s))}
                {member_select::<AlertClassification>("filter-classification", "Classification",
                    move || q.filter.with(|f| f.classifications.clone()), move |s| q.set(|f| f.classifications = s))}
                {member_select::<AlertDetermination>("filter-determination", "Determination",
                    move || q.filter.with(|f| f.determinations.clone()), move |s| q.set(|f| f.determinations = s))}
            </div>
        </details>
    }
}
