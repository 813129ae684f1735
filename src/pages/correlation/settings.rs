//! The engine's settings and the cluster filters, each change written to the URL.

use leptos::prelude::*;
use vigil_core::correlate::CorrelationView;
use vigil_core::correlate::view::WINDOWS;
use vigil_core::models::AlertSeverity;

use super::C;

#[component]
pub(super) fn Settings(c: C) -> impl IntoView {
    let set = move |edit: &dyn Fn(&mut CorrelationView)| {
        let mut v = c.view.get_untracked();
        edit(&mut v);
        c.go(&v);
    };
    let number = |ev: &leptos::ev::Event| event_target_value(ev).parse::<u32>().ok();
    view! {
        <form class="correlation-settings toolbar" on:submit=|ev| ev.prevent_default()>
            <label>"Link alerts within "
                <select id="correlation-window" prop:value=move || c.view.with(|v| v.window_hours.to_string())
                    on:change=move |ev| if let Some(n) = number(&ev) { set(&|v| v.window_hours = n) }>
                    {WINDOWS.into_iter().map(|h| view! { <option value=h.to_string()>{window_label(h)}</option> }).collect_view()}
                    <option value="0">"any time"</option>
                </select>
            </label>
            <label title="An entity in more than this share of a tenant's alerts (a scanner, a domain controller) links nothing">
                "Hub above "
                <input id="correlation-hubs" type="number" min="0" max="100" size="3"
                    prop:value=move || c.view.with(|v| v.hub_percent.to_string())
                    on:change=move |ev| if let Some(n) = number(&ev) { set(&|v| v.hub_percent = n.min(100)) } />
                " % of alerts"
            </label>
            <label>
                <input id="correlation-multi" type="checkbox" prop:checked=move || c.view.with(|v| v.min_providers >= 2)
                    on:change=move |ev| { let on = event_target_checked(&ev); set(&|v| v.min_providers = if on { 2 } else { 1 }) } />
                " Several providers"
            </label>
            <label>
                <input id="correlation-singles" type="checkbox" prop:checked=move || c.view.with(|v| v.min_alerts <= 1)
                    on:change=move |ev| { let on = event_target_checked(&ev); set(&|v| v.min_alerts = if on { 1 } else { 2 }) } />
                " Single alerts too"
            </label>
            <label>"Severity "
                <select id="correlation-severity" prop:value=move || c.view.with(|v| v.severity.as_ref().map_or("", |s| s.as_str()).to_owned())
                    on:change=move |ev| {
                        let s = event_target_value(&ev);
                        set(&|v| v.severity = (!s.is_empty()).then(|| AlertSeverity::parse(&s)))
                    }>
                    <option value="">"any"</option>
                    <option value="low">"low and up"</option>
                    <option value="medium">"medium and up"</option>
                    <option value="high">"high"</option>
                </select>
            </label>
            <label>
                <input id="correlation-open" type="checkbox" prop:checked=move || c.view.with(|v| v.open_only)
                    on:change=move |ev| { let on = event_target_checked(&ev); set(&|v| v.open_only = on) } />
                " Open only"
            </label>
            <label>"Active in "
                <select id="correlation-days" prop:value=move || c.view.with(|v| v.days.to_string())
                    on:change=move |ev| if let Some(n) = number(&ev) { set(&|v| v.days = n) }>
                    <option value="0">"any time"</option>
                    <option value="1">"the last day"</option>
                    <option value="7">"the last 7 days"</option>
                    <option value="30">"the last 30 days"</option>
                </select>
            </label>
        </form>
    }
}

fn window_label(hours: u32) -> String {
    match hours {
        h if h % 24 == 0 && h >= 48 => format!("{} days", h / 24),
        24 => "1 day".to_owned(),
        h => format!("{h} hours"),
    }
}
