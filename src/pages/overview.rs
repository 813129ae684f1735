//! The overview: open alerts and incidents by severity and provider, new versus resolved per
//! day, mean time to resolve and the oldest unassigned high-severity alerts. Every number links
//! to the queue view that reproduces it (`vigil_core::overview`).

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::models::{Alert, Incident};
use vigil_core::overview::{self, Figure, Overview as Figures, format_duration};
use vigil_core::sorted::SortedSet;

use crate::auth::use_auth;
use crate::components::queue::{export_offset, list_incidents, now, time_or_dash};
use crate::components::{SignedIn, resource};
use crate::prefs::use_prefs;
use crate::router::href;

#[component]
pub fn Overview() -> impl IntoView {
    view! {
        <h1 id="overview-title">"Overview"</h1>
        <SignedIn what="the overview">
            <OverviewBody />
        </SignedIn>
    }
}

async fn load(auth: crate::auth::Auth) -> Result<(Vec<Alert>, Vec<Incident>, Vec<String>), String> {
    let client = auth.client().ok_or("Sign in to see the overview.")?;
    let at = now();
    // The queries overlap: an alert in several is kept once.
    let (mut alerts, mut seen) = (Vec::new(), SortedSet::new());
    let mut problems = Vec::new();
    for q in overview::alert_queries(at) {
        match client.list_alerts(&q.top(500)).collect_all().await {
            Ok(list) => {
                for a in list {
                    if seen.insert(a.id.clone()) {
                        alerts.push(a);
                    }
                }
            }
            Err(e) => problems.push(format!("Alerts: {}", auth.explain(&e))),
        }
    }
    let incidents = match list_incidents(&client, &overview::incident_query(at).top(50)).await {
        Ok(i) => i,
        Err(e) => {
            problems.push(format!("Incidents: {}", auth.explain(&e)));
            Vec::new()
        }
    };
    Ok((alerts, incidents, problems))
}

#[component]
fn OverviewBody() -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let data = resource(move || {
        auth.active_tenant();
        load(auth)
    });
    view! {
        {move || match data.get() {
            None => Either::Left(view! { <p class="muted" id="overview-loading">"Loading alerts and incidents…"</p> }),
            Some(Err(e)) => Either::Right(Either::Left(view! { <p class="error" role="alert">{e}</p> })),
            Some(Ok((alerts, incidents, problems))) => {
                let o = overview::compute(&alerts, &incidents, now(), export_offset(prefs.time_zone.get()));
                Either::Right(Either::Right(view! {
                    {problems.into_iter().map(|p| view! { <p class="error" role="alert">{p}</p> }).collect_view()}
                    <Body o />
                }))
            }
        }}
    }
}

fn figure_link(f: &Figure, id: Option<String>) -> impl IntoView + use<> {
    let to = href(&f.link.href());
    let value = f.value.to_string();
    let label = f.label.clone();
    view! {
        <a href=to class="figure" id=id>
            <span class="figure-value">{value}</span>
            <span class="figure-label">{label}</span>
        </a>
    }
}

#[component]
fn Body(o: Figures) -> impl IntoView {
    let max = o
        .per_day
        .iter()
        .map(|d| d.new.max(d.resolved))
        .max()
        .unwrap_or(0)
        .max(1);
    // Whole percentages by integer arithmetic: formatting a float costs the bundle ~10 kB.
    let bar = move |n: usize| format!("{}%", (n * 100 + max / 2) / max);
    view! {
        <div class="overview">
            {score_card()}
            {ediscovery_card()}
            <section class="card wide" id="open-alerts">
                <h2>"Open alerts"</h2>
                <div class="figures">
                    {figure_link(&o.open_alerts, Some("open-alerts-total".into()))}
                    {o.open_alerts_by_severity.iter().map(|f| figure_link(f, None)).collect_view()}
                </div>
                <h3>"By provider"</h3>
                <div class="figures" id="alerts-by-provider">
                    {o.open_alerts_by_provider.iter().map(|f| figure_link(f, None)).collect_view()}
                </div>
            </section>
            <section class="card wide" id="open-incidents">
                <h2>"Open incidents"</h2>
                <div class="figures">
                    {figure_link(&o.open_incidents, Some("open-incidents-total".into()))}
                    {o.open_incidents_by_severity.iter().map(|f| figure_link(f, None)).collect_view()}
                </div>
            </section>
            <section class="card wide" id="per-day">
                <h2>"New and resolved alerts per day (last 30 days)"</h2>
                <p class="legend"><span class="bar-new">"■"</span>" new  "<span class="bar-resolved">"■"</span>" resolved"</p>
                <div class="day-chart" role="img" aria-label="New and resolved alerts per day">
                    {o.per_day.clone().into_iter().map(|d| view! {
                        <div class="day" title=format!("{}: {} new, {} resolved", d.date, d.new, d.resolved)>
                            <a href=href(&d.new_link.href()) class="bar bar-new" aria-label=format!("{} new on {}", d.new, d.date)>
                                <span class="bar-fill" style:height=bar(d.new)></span>
                            </a>
                            <a href=href(&d.resolved_link.href()) class="bar bar-resolved" aria-label=format!("{} resolved on {}", d.resolved, d.date)>
                                <span class="bar-fill" style:height=bar(d.resolved)></span>
                            </a>
                            <span class="day-label">{d.date[8..].to_owned()}</span>
                        </div>
                    }).collect_view()}
                </div>
            </section>
            <section class="card" id="time-to-resolve">
                <h2>"Mean time to resolve"</h2>
                {match o.time_to_resolve.clone() {
                    Some(t) => Either::Left(view! {
                        <a href=href(&t.link.href()) class="figure">
                            <span class="figure-value" id="mttr-value">{format_duration(t.mean_seconds)}</span>
                            <span class="figure-label">{format!("over {} alerts resolved in the last 30 days", t.sample)}</span>
                        </a>
                    }),
                    None => Either::Right(view! { <p class="muted">"No alert was resolved in the last 30 days."</p> }),
                }}
            </section>
            <section class="card" id="oldest-unassigned">
                <h2>"Oldest unassigned high-severity alerts"</h2>
                {if o.oldest_unassigned_high.is_empty() {
                    Either::Left(view! { <p class="muted">"None: every open high-severity alert has an owner."</p> })
                } else {
                    Either::Right(view! {
                        <ol class="waiting">
                            {o.oldest_unassigned_high.clone().into_iter().map(|w| view! {
                                <li>
                                    <a href=href(&w.link.href())>{w.title.clone()}</a>
                                    " "
                                    <span class="muted">{format!("waiting {}", format_duration(w.age_seconds))}" · "{time_or_dash(w.created)}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    })
                }}
                <p><a href=o.oldest_unassigned_high_link.href()>"All unassigned high-severity alerts"</a></p>
            </section>
        </div>
    }
}

/// The Secure Score card (left out of the bench's build without that page).
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-secure-score")))]
fn score_card() -> impl IntoView {
    view! { <super::secure_score::ScoreCard /> }
}

#[cfg(all(target_arch = "wasm32", feature = "bench-without-secure-score"))]
fn score_card() -> impl IntoView {}

/// The eDiscovery card (left out of the bench's build without that page).
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-ediscovery")))]
fn ediscovery_card() -> impl IntoView {
    super::ediscovery::card()
}

#[cfg(all(target_arch = "wasm32", feature = "bench-without-ediscovery"))]
fn ediscovery_card() -> impl IntoView {}
