//! Live refresh: fetch what changed since the newest `lastUpdateDateTime`, merge by id.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::fields::alerts as alert_fields;
use vigil_core::odata::Query;
use vigil_core::queue::filter::Viewer;

use crate::auth::use_auth;
use crate::components::queue::now;

use super::{PAGE, Q};

#[component]
pub(super) fn LiveRefresh(q: Q) -> impl IntoView {
    let auth = use_auth();
    let minutes = RwSignal::new(0u32);
    let interval = StoredValue::new(None::<IntervalHandle>);
    // Each signed-in tenant is asked for what changed since its own newest alert.
    let refresh = move || {
        let tenants: Vec<String> = auth
            .accounts()
            .into_iter()
            .filter(|a| a.ended.is_none())
            .map(|a| a.tenant_id)
            .collect();
        for tenant in tenants {
            let since = q.handle.table.with_value(|t| {
                t.rows()
                    .iter()
                    .filter(|r| t.str(r.tenant) == tenant || t.str(r.tenant).is_empty())
                    .filter_map(|r| r.updated)
                    .max()
            });
            let (Some(since), Some(client)) = (since, auth.client_for_data(Some(&tenant))) else {
                continue;
            };
            let me = auth.username_in(Some(&tenant));
            let query = Query::new()
                .filter(alert_fields::LAST_UPDATE_DATE_TIME.gt(&since))
                .top(PAGE);
            spawn_local(async move {
                match client.list_alerts(&query).collect_all().await {
                    Ok(changed) => {
                        let f = q.filter.get_untracked();
                        let viewer = Viewer {
                            now: now(),
                            me: me.as_deref(),
                        };
                        let new = q.handle.table.with_value(|t| {
                            changed
                                .iter()
                                .filter(|a| t.position(&a.id).is_none() && f.matches(a, viewer))
                                .count()
                        });
                        q.handle.merge(&changed);
                        if new > 0 {
                            q.new_alerts.try_update(|n| *n += new);
                        }
                    }
                    Err(e) => {
                        let _ = q
                            .error
                            .try_set(Some(format!("Refresh failed: {}", auth.explain(&e))));
                    }
                }
            });
        }
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
