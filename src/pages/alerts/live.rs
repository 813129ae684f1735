//! Live refresh: fetch what changed since the newest `lastUpdateDateTime`, merge by id.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::models::*;
use vigil_core::odata::{Query, alerts as alert_fields};
use vigil_core::queue::filter::Viewer;

use crate::auth::use_auth;
use crate::components::queue::now;

use super::{PAGE, Q};

#[component]
pub(super) fn LiveRefresh(q: Q) -> impl IntoView {
    let auth = use_auth();
    let minutes = RwSignal::new(0u32);
    let interval = StoredValue::new(None::<IntervalHandle>);
    let refresh = move || {
        let Some(client) = auth.client() else { return };
        let since = q
            .handle
            .table
            .with_value(|t| t.rows().iter().filter_map(|r| r.updated).max());
        let Some(since) = since else { return };
        let query = Query::new()
            .filter(alert_fields::LAST_UPDATE_DATE_TIME.gt(&since))
            .top(PAGE);
        spawn_local(async move {
            match client.list_alerts(&query).collect_all().await {
                Ok(changed) => {
                    let f = q.filter.get_untracked();
                    let me = auth.account().map(|a| a.username);
                    let viewer = Viewer {
                        now: now(),
                        me: me.as_deref(),
                    };
                    let new_ids: Vec<AlertId> = q.handle.table.with_value(|t| {
                        changed
                            .iter()
                            .filter(|a| t.position(&a.id).is_none() && f.matches(a, viewer))
                            .map(|a| a.id.clone())
                            .collect()
                    });
                    q.handle.merge(&changed);
                    if !new_ids.is_empty() {
                        q.new_alerts.try_update(|n| *n += new_ids.len());
                    }
                }
                Err(e) => {
                    let _ = q
                        .error
                        .try_set(Some(format!("Refresh failed: {}", auth.explain(&e))));
                }
            }
        });
    };
    Effect::watch(
        move || minutes.get(),
        move |&m, _, _| {
            if let Some(h) = interval.try_update_value(Option::take).flatten() {
                h.clear();
            }
            if m > 0
                && let Ok(h) =
                    set_interval_with_handle(refresh, Duration::from_secs(u64::from(m) * 60))
            {
                interval.set_value(Some(h));
            }
        },
        false,
    );
    on_cleanup(move || {
        if let Some(h) = interval.try_update_value(Option::take).flatten() {
            h.clear();
        }
    });
    view! {
        <label>"Live refresh "
            <select id="live-refresh" on:change=move |ev| minutes.set(event_target_value(&ev).parse().unwrap_or(0))>
                <option value="0">"Off"</option>
                <option value="1">"1 min"</option>
                <option value="5">"5 min"</option>
                <option value="15">"15 min"</option>
            </select>
        </label>
        <button id="refresh-now" title="Fetch what changed since the last load" on:click=move |_| refresh()>"Refresh"</button>
    }
}
