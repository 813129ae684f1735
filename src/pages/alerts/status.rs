//! Filter chips and the status line (counts, progress, throttling, errors, the request).

use leptos::prelude::*;
use vigil_core::queue::export::thousands;
use vigil_core::queue::progress::load_line;

use crate::components::queue::now;

use super::Q;

#[component]
pub(super) fn Chips(q: Q) -> impl IntoView {
    view! {
        <ul id="filter-chips" class="chips" aria-label="Active filters">
            {move || q.filter.get().chips().into_iter().map(|c| {
                let key = c.key;
                let label = c.label.clone();
                view! {
                    <li class="filter-chip" data-key=format!("{key:?}").to_ascii_lowercase()>
                        <span>{label.clone()}</span>
                        <button class="chip-remove" aria-label=format!("Remove {label}") on:click=move |_| {
                            let f = q.filter.get_untracked().without(key);
                            q.go(&f, false);
                        }>"×"</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub(super) fn Status(q: Q) -> impl IntoView {
    view! {
        <div class="queue-status">
            <span id="queue-count" class="count">
                {move || {
                    let n = q.view.with(Vec::len);
                    format!("{} alert{}", thousands(n as u64), if n == 1 { "" } else { "s" })
                }}
            </span>
            <span id="severity-counts" class="sev-counts">
                {move || {
                    let c = q.handle.table.with_value(|t| q.view.with(|v| t.severity_counts(v)));
                    view! {
                        <span class="sev sev-high">{format!("High {}", c.high)}</span>
                        <span class="sev sev-medium">{format!("Medium {}", c.medium)}</span>
                        <span class="sev sev-low">{format!("Low {}", c.low)}</span>
                        <span class="sev sev-informational">{format!("Informational {}", c.informational)}</span>
                    }
                }}
            </span>
            {move || q.loading.get().map(|(loaded, total)| view! {
                <span id="load-progress" role="status">
                    {load_line(loaded, total, (now().unix_millis() - q.load_started.get_value().unix_millis()).max(0) as u64)}
                </span>
                <progress id="load-bar" aria-labelledby="load-progress"
                    max=total.map(|t| t.max(1).to_string())
                    value=total.map(|_| loaded.to_string())></progress>
            })}
            <span id="throttle-state" class="muted">{move || {
                let s = q.throttle.get();
                if s.is_empty() || s == "idle" { String::new() } else { format!("Graph: {s}") }
            }}</span>
            {move || (q.new_alerts.get() > 0).then(|| view! {
                <button id="new-alerts" class="banner-button" on:click=move |_| {
                    q.new_alerts.set(0);
                    if let Some(el) = document().get_element_by_id("queue-scroll") {
                        el.set_scroll_top(0);
                    }
                }>{move || format!("{} new alert{}", q.new_alerts.get(), if q.new_alerts.get() == 1 { "" } else { "s" })}</button>
            })}
            {move || q.error.get().map(|e| view! { <p id="queue-error" class="error" role="alert">{e}</p> })}
            <details class="queue-request">
                <summary>"Graph request"</summary>
                <pre id="queue-request">{move || q.request.get()}</pre>
            </details>
        </div>
    }
}
