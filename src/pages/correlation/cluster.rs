//! The selected cluster: why its alerts belong together (the shared entities behind the links),
//! its alerts on one time axis by provider and as an alert-entity graph, the incidents it
//! joins, triage advice and bulk triage of its alerts, and the case file.

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::correlate::{AlertInfo, Cluster, EntityRef, case_json, case_markdown};
use vigil_core::models::AlertId;
use vigil_core::queue::chips::service_label;
use vigil_core::queue::similar::same_title_view;
use vigil_core::queue::{QueueFilter, TimeRange};

use super::C;
use super::graph::{ClusterGraph, MAX_ALERTS, MAX_ENTITIES};
use super::triage::{ClusterTriage, Triage};
use crate::browser::download;
use crate::components::queue::{entity_href, severity_badge, time_or_dash};
use crate::router::href;

/// The timeline's drawing width, in SVG units.
const WIDTH: i64 = 640;
const LANE: i64 = 26;

#[component]
pub(super) fn ClusterPane(c: C) -> impl IntoView {
    let cluster = Memo::new(move |_| {
        let key = c.selected_key.get()?;
        let comp = c.computed.get()?;
        comp.clusters.iter().find(|cl| cl.key == key).cloned()
    });
    let t = Triage::new(c);
    // Another cluster: nothing ticked.
    Effect::watch(
        move || c.selected_key.get(),
        move |_, _, _| t.checked.set(Default::default()),
        false,
    );
    move || match cluster.get() {
        None => Either::Left(view! {
            <aside class="cluster-pane muted" id="cluster-pane-empty">"Choose a cluster to see why its alerts belong together."</aside>
        }),
        Some(cl) => Either::Right(view! { <ClusterDetail cl c t /> }),
    }
}

#[component]
fn ClusterDetail(cl: Cluster, c: C, t: Triage) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    // Its entities come from the engine, for this cluster only: the ranked list leaves them
    // out.
    let entities = c
        .engine
        .with_value(|e| e.as_ref().map(|e| e.cluster_entities(&cl.key)))
        .unwrap_or_default();
    let markdown = case_markdown(&cl, &entities);
    let json = case_json(&cl, &entities).to_string();
    let name = format!("vigil-cluster-{}", cl.key.as_str());
    let save = move |ext: &str, mime: &str, text: &str| {
        message.set(Some(match download(&format!("{name}.{ext}"), mime, text) {
            Ok(()) => format!("Case file saved as {name}.{ext}."),
            Err(e) => format!("Not saved: {e}"),
        }));
    };
    let save_md = save.clone();
    let incidents: Vec<String> = cl.incidents.clone();
    view! {
        <aside class="cluster-pane" id="cluster-detail" data-key=cl.key.as_str().to_owned() aria-label="Cluster">
            <div class="detail-head">
                <h2 id="cluster-title">{cl.summary()}</h2>
                <button class="link" id="cluster-close" on:click=move |_| {
                    let mut v = c.view.get_untracked();
                    v.selected = None;
                    c.go(&v);
                }>"Close"</button>
            </div>
            {cl.incidents_sentence().map(|s| view! {
                <p id="cluster-incidents" class="joins-incidents">
                    {s} ": "
                    {incidents.iter().map(|id| view! {
                        <a class="incident-link" href=href(&format!("/incidents?incident={}", vigil_core::url::form_encode(id)))>{format!("#{id}")}</a> " "
                    }).collect_view()}
                </p>
            })}
            <h3>"Why these alerts belong together"</h3>
            <ul id="cluster-reasons" class="reasons">
                {cl.reasons.iter().map(|r| view! {
                    <li data-kind=r.kind.name() data-key=r.key.clone()>{r.text()}</li>
                }).collect_view()}
            </ul>
            <h3>"Timeline"</h3>
            {timeline(&cl.alerts, "cluster-timeline")}
            <h3>"Alerts and their entities"</h3>
            {graph(&cl, &entities, c)}
            <h3>"Triage"</h3>
            <ClusterTriage cl=cl.clone() c t />
            <h3>"Alerts"</h3>
            <ol id="cluster-alerts" class="cluster-alerts">
                {cl.alerts.iter().map(|a| {
                    let link = alert_link(&a.id, &a.title);
                    let provider = a.provider.as_ref().map(service_label).unwrap_or_default();
                    let (id, id2) = (a.id.clone(), a.id.clone());
                    view! {
                        <li data-id=a.id.as_str().to_owned()>
                            <input type="checkbox" class="cluster-check" aria-label="Select for triage"
                                prop:checked=move || t.checked.with(|c| c.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    t.checked.update(|c| { if on { c.insert(id2.clone()); } else { c.remove(&id2); } });
                                } />
                            " "
                            {time_or_dash(a.time)} " " {severity_badge(a.severity.as_ref())} " "
                            <span class="provider-badge">{provider}</span> " "
                            <a href=link>{a.title.clone()}</a>
                            {a.incident_id.clone().map(|i| view! { <span class="muted">{format!(" incident #{i}")}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <h3>"Entities"</h3>
            <ul id="cluster-entities" class="entities">
                {entities.iter().take(40).map(|e| view! {
                    <li data-kind=e.kind.name() data-hub=e.hub.to_string() data-key=e.key.clone()>
                        <span class="muted">{e.kind.name()}</span> " "
                        <a class="entity-link" href=entity_href(&e.key, cl.tenant_id.as_deref())>{e.label.clone()}</a>
                        <span class="muted">{format!(" ({} alert{})", e.alerts, if e.alerts == 1 { "" } else { "s" })}</span>
                    </li>
                }).collect_view()}
            </ul>
            <p class="case-file">
                <button id="case-markdown" on:click=move |_| save_md("md", "text/markdown", &markdown)>"Case file (Markdown)"</button>
                " "
                <button id="case-json" on:click=move |_| save("json", "application/json", &json)>"Case file (JSON)"</button>
                {move || message.get().map(|m| view! { <span id="case-status" class="muted" role="status">{m}</span> })}
            </p>
        </aside>
    }
}

/// The alert in the queue, whatever its status or age.
pub(super) fn alert_link(id: &AlertId, title: &str) -> String {
    let f = QueueFilter {
        selected: Some(id.clone()),
        range: TimeRange::ALL_TIME,
        ..same_title_view(title)
    };
    href(&format!("/alerts?{}", f.to_query_string()))
}

/// The alert-entity graph of the cluster's first alerts and strongest entities, with the
/// links the engine knows for each alert.
fn graph(cl: &Cluster, all: &[EntityRef], c: C) -> impl IntoView + use<> {
    let alerts: Vec<AlertInfo> = cl.alerts.iter().take(MAX_ALERTS).cloned().collect();
    let entities: Vec<_> = all.iter().take(MAX_ENTITIES).cloned().collect();
    let edges: Vec<(usize, usize)> = c
        .engine
        .with_value(|e| {
            let e = e.as_ref()?;
            Some(
                alerts
                    .iter()
                    .enumerate()
                    .flat_map(|(i, a)| {
                        e.alert_entities(&a.id)
                            .into_iter()
                            .filter_map(|x| entities.iter().position(|y| y.key == x.key))
                            .map(move |j| (i, j))
                            .collect::<Vec<_>>()
                    })
                    .collect(),
            )
        })
        .unwrap_or_default();
    let note = (cl.alerts.len() > MAX_ALERTS || all.len() > MAX_ENTITIES).then(|| {
        format!(
            "The graph shows the first {} alerts and the {} strongest entities.",
            alerts.len(),
            entities.len()
        )
    });
    view! {
        <ClusterGraph alerts entities edges tenant=cl.tenant_id.clone() />
        {note.map(|n| view! { <p class="muted">{n}</p> })}
    }
}

/// Alerts on one time axis, one lane per provider, as SVG (text only from the API, in
/// `<title>` elements); `id` names the drawing.
pub(super) fn timeline(alerts: &[AlertInfo], id: &'static str) -> impl IntoView + use<> {
    let mut providers: Vec<vigil_core::models::ServiceSource> =
        alerts.iter().filter_map(|a| a.provider.clone()).collect();
    vigil_core::sort::by(&mut providers, |a, b| a.as_str().cmp(b.as_str()));
    providers.dedup();
    let times: Vec<i64> = alerts
        .iter()
        .filter_map(|a| a.time)
        .map(|t| t.unix_seconds())
        .collect();
    let (lo, hi) = (
        times.iter().copied().min().unwrap_or(0),
        times.iter().copied().max().unwrap_or(0),
    );
    let span = (hi - lo).max(1);
    let lanes: Vec<String> = providers.iter().map(service_label).collect();
    let height = LANE * lanes.len().max(1) as i64 + 20;
    let x = move |t: i64| 150 + (t - lo) * (WIDTH - 170) / span;
    let dots: Vec<(i64, i64, String, usize)> = alerts
        .iter()
        .filter_map(|a| {
            let t = a.time?.unix_seconds();
            let lane = a
                .provider
                .as_ref()
                .and_then(|p| providers.iter().position(|q| q == p))
                .unwrap_or(0);
            Some((x(t), lane as i64 * LANE + 18, a.title.clone(), lane))
        })
        .collect();
    view! {
        <svg id=id class="timeline" viewBox=format!("0 0 {WIDTH} {height}") role="img"
            aria-label=format!("{} alerts over time by provider", alerts.len())>
            {lanes.into_iter().enumerate().map(|(i, name)| {
                let y = i as i64 * LANE + 18;
                view! {
                    <text x="0" y=(y + 4).to_string() class="lane-label">{name}</text>
                    <line x1="150" x2=(WIDTH - 20).to_string() y1=y.to_string() y2=y.to_string() class="lane" />
                }
            }).collect_view()}
            {dots.into_iter().map(|(cx, cy, title, lane)| view! {
                <circle cx=cx.to_string() cy=cy.to_string() r="6" class=format!("dot lane-{}", lane % 8)>
                    <title>{title}</title>
                </circle>
            }).collect_view()}
        </svg>
    }
}
