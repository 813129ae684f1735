//! The frame around every page: header (brand, theme, time zone) and navigation.

use leptos::prelude::*;

use crate::components::{AccountMenu, RenewalDelayedNotice, SessionEndedPrompt};
use crate::prefs::{TimeZone, use_prefs};
use crate::router::{NavLink, href};
use crate::routes;

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let prefs = use_prefs();
    let theme = prefs.theme;
    let zone = prefs.time_zone;
    view! {
        <div class="layout">
            <header class="topbar">
                <a class="brand" href=href("/")>"Vigil"</a>
                <span class="spacer"></span>
                <AccountMenu />
                <button
                    id="time-zone-toggle"
                    class="chip"
                    title="Time zone used for every date and export"
                    on:click=move |_| zone.update(|z| *z = if *z == TimeZone::Utc { TimeZone::Local } else { TimeZone::Utc })
                >
                    {move || if zone.get() == TimeZone::Utc { "Times: UTC" } else { "Times: local" }}
                </button>
                <button
                    id="theme-toggle"
                    class="chip"
                    title="Switch between the system, light, dark and high-contrast themes"
                    on:click=move |_| theme.update(|t| *t = t.next())
                >
                    {move || theme.get().label()}
                </button>
            </header>
            <nav class="sidebar" aria-label="Sections">
                <ul>
                    {routes::sidebar()
                        .into_iter()
                        .map(|(path, label)| view! { <li><NavLink href=path exact=path == "/">{label}</NavLink></li> })
                        .collect_view()}
                </ul>
            </nav>
            <main id="main"><SessionEndedPrompt /><RenewalDelayedNotice />{children()}</main>
        </div>
    }
}
