use leptos::prelude::*;

use crate::components::{AccessSettings, Time};
use crate::config::RuntimeConfig;
use crate::prefs::{Theme, TimeZone, use_prefs};

#[component]
pub fn Settings() -> impl IntoView {
    let prefs = use_prefs();
    let config = expect_context::<RuntimeConfig>();
    let now = js_sys::Date::now();
    let tenants = config.tenants.clone();
    view! {
        <h1 id="settings-title">"Settings"</h1>
        <section class="card">
            <h2>"Display"</h2>
            <label>
                "Theme "
                <select
                    id="theme-select"
                    prop:value=move || prefs.theme.get().as_str()
                    on:change=move |ev| prefs.theme.set(Theme::parse(&event_target_value(&ev)))
                >
                    <option value="system">"Follow the system"</option>
                    <option value="light">"Light"</option>
                    <option value="dark">"Dark"</option>
                </select>
            </label>
            <label>
                "Time zone "
                <select
                    id="time-zone-select"
                    prop:value=move || prefs.time_zone.get().as_str()
                    on:change=move |ev| prefs.time_zone.set(TimeZone::parse(&event_target_value(&ev)))
                >
                    <option value="local">"Local"</option>
                    <option value="utc">"UTC"</option>
                </select>
            </label>
            <p>"Now: " <Time epoch_ms=now /></p>
        </section>
        <AccessSettings />
        <section class="card">
            <h2>"Connection"</h2>
            <dl>
                <dt>"Identity platform"</dt>
                <dd>{config.authority.clone()}</dd>
                <dt>"Microsoft Graph"</dt>
                <dd id="graph-origin">{config.graph_origin()}</dd>
                <dt>"Tenants"</dt>
                <dd>
                    <ul>
                        {tenants
                            .into_iter()
                            .map(|t| view! { <li>{t.name} " (" <code>{t.id}</code> ")"</li> })
                            .collect_view()}
                    </ul>
                </dd>
            </dl>
        </section>
    }
}
