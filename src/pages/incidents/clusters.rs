//! Which correlation clusters an incident's alerts belong to ("part of a 6-alert cluster
//! across 4 providers"), each linking to the correlation page with it open.
//!
//! The incident page has no queue loaded, so it reads the tenant's alerts from the incident's
//! first alert minus the linking window to its last plus the window (a few pages at most)
//! and correlates those with the incident's own; a hub's share is then measured over that
//! stretch rather than the whole tenant.

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::correlate::{Correlator, Membership, Settings};
use vigil_core::fields::alerts as alert_fields;
use vigil_core::models::{Alert, AlertId, DateTime};
use vigil_core::odata::Query;

use crate::auth::use_auth;
use crate::components::queue::membership_href;
use crate::components::resource;

/// Alerts per request: Graph's largest page for alerts_v2.
const PAGE: u32 = 2000;

/// One cluster the incident's alerts are in, and which of them.
#[derive(Clone, PartialEq)]
struct Part {
    membership: Membership,
    /// The first of the incident's alerts in it (what the link selects).
    first: AlertId,
    alerts: usize,
}

#[component]
pub(super) fn IncidentClusters(alerts: Vec<Alert>) -> impl IntoView {
    let auth = use_auth();
    let settings = Settings::default();
    let window = i64::from(settings.window_hours.max(24)) * 3600;
    let times: Vec<i64> = alerts
        .iter()
        .filter_map(|a| a.created_date_time.or(a.first_activity_date_time))
        .map(|t| t.unix_seconds())
        .collect();
    let span = times
        .iter()
        .min()
        .zip(times.iter().max())
        .map(|(lo, hi)| (*lo - window, *hi + window));
    let tenant = alerts.iter().find_map(|a| a.tenant_id.clone());
    let own = StoredValue::new(alerts);
    let parts = resource(move || {
        let client = auth.client_for_data(tenant.as_deref());
        let settings = settings.clone();
        async move {
            let (Some(client), Some((lo, hi))) = (client, span) else {
                return Ok(Vec::new());
            };
            let f = alert_fields::CREATED_DATE_TIME
                .ge(&DateTime::from_unix(lo))
                .and(alert_fields::CREATED_DATE_TIME.le(&DateTime::from_unix(hi)));
            let around = client
                .list_alerts(&Query::new().filter(f).top(PAGE))
                .collect_all()
                .await
                .map_err(|e| auth.explain(&e))?;
            let mut engine = Correlator::new(settings);
            engine.add(&around);
            own.with_value(|a| engine.add(a));
            let mut parts: Vec<Part> = Vec::new();
            own.with_value(|own| {
                for a in own {
                    let Some(m) = engine.cluster_of(&a.id) else {
                        continue;
                    };
                    match parts.iter_mut().find(|p| p.membership.key == m.key) {
                        Some(p) => p.alerts += 1,
                        None => parts.push(Part {
                            membership: m,
                            first: a.id.clone(),
                            alerts: 1,
                        }),
                    }
                }
            });
            Ok::<_, String>(parts)
        }
    });
    view! {
        <section id="incident-clusters" class="incident-clusters">
            <h3>"Correlation"</h3>
            {move || match parts.get() {
                None => Either::Left(view! { <p class="muted">"Correlating the alerts around this incident…"</p> }),
                Some(Err(e)) => Either::Right(Either::Left(view! { <p class="error" role="alert">"Not correlated: " {e}</p> })),
                Some(Ok(parts)) => Either::Right(Either::Right(view! {
                    <ul id="incident-cluster-list">
                        {parts.into_iter().map(|p| {
                            let n = p.alerts;
                            let own = format!("{n} of this incident's alerts {} ", if n == 1 { "is" } else { "are" });
                            match p.membership.summary() {
                                Some(s) => Either::Left(view! {
                                    <li class="incident-cluster" data-key=p.membership.key.as_str().to_owned() data-alerts=p.membership.alerts.to_string()>
                                        {own} <a class="incident-cluster-link" href=membership_href(&p.first)>{s}</a>
                                        {(p.membership.incidents > 1).then(|| format!(" that joins {} incidents", p.membership.incidents))}
                                    </li>
                                }),
                                None => Either::Right(view! {
                                    <li class="incident-cluster muted" data-alerts="1">{own} "linked to no other alert of those days"</li>
                                }),
                            }
                        }).collect_view()}
                    </ul>
                })),
            }}
        </section>
    }
}
