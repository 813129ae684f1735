//! A select over one enum filter of a queue: "Any" or exactly one member (a link may carry
//! several; the select then says so and leaves them).

use leptos::prelude::*;
use vigil_core::queue::chips::humanize;
use vigil_core::queue::{Member, Set};

pub fn member_select<E: Member + Send + Sync + 'static>(
    id: &'static str,
    label: &'static str,
    current: impl Fn() -> Set<E> + Copy + Send + Sync + 'static,
    pick: impl Fn(Set<E>) + Copy + 'static,
) -> impl IntoView {
    let value = move || match current().as_slice() {
        [one] => one.wire().to_owned(),
        [] => String::new(),
        _ => "several".to_owned(),
    };
    // `prop:value` keeps the select in step; the options' `selected` only serves the first
    // render (the value is set before the options exist), so it is computed once, not watched:
    // a reactive attribute on each of ~25 options made these selects a large part of building
    // the queue page.
    let initial = untrack(value);
    view! {
        <label>{label} " "
            <select id=id prop:value=value on:change=move |ev| {
                match event_target_value(&ev).as_str() {
                    "several" => {}
                    "" => pick(Set::any()),
                    w => pick(Set::of([E::from_wire(w)])),
                }
            }>
                <option value="" selected=initial.is_empty()>"Any"</option>
                {move || (value() == "several").then(|| view! { <option value="several" selected>"Several (from the link)"</option> })}
                {E::known().iter().filter(|w| **w != "unknownFutureValue").map(|w| view! {
                    <option value=*w selected=initial == *w>{humanize(w)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
