//! The ranked cluster list: score, size and providers, key entities, span, severity and the
//! Defender incidents each cluster touches.

use leptos::prelude::*;
use vigil_core::correlate::Cluster;
use vigil_core::queue::chips::service_label;

use super::{C, now_secs};
use crate::components::queue::{severity_badge, time_or_dash};

/// Clusters listed at most (the rest are counted).
const SHOWN: usize = 200;

#[component]
pub(super) fn ClusterList(c: C) -> impl IntoView {
    // Recomputed with the filters; compared by identity of the computation (never equal to
    // an older one) and the admitted positions.
    let shown = Memo::new_with_compare(
        move |_| {
            let view = c.view.get();
            let now = now_secs();
            c.computed.get().map(|comp| {
                let admitted: Vec<usize> = comp
                    .clusters
                    .iter()
                    .enumerate()
                    .filter(|(_, cl)| view.admits(cl, now))
                    .map(|(i, _)| i)
                    .collect();
                (comp, admitted)
            })
        },
        |old, new| match (old, new) {
            (Some(Some((a, x))), Some(Some((b, y)))) => !std::sync::Arc::ptr_eq(a, b) || x != y,
            (Some(None), Some(None)) => false,
            _ => true,
        },
    );
    view! {
        <section class="cluster-list" aria-label="Clusters">
            {move || shown.get().map(|(comp, admitted)| {
                let total = admitted.len();
                let line = format!(
                    "{total} cluster{} from {} alerts{}",
                    if total == 1 { "" } else { "s" },
                    comp.alerts,
                    if total > SHOWN { format!(", the first {SHOWN} shown") } else { String::new() }
                );
                view! {
                    <p id="cluster-count" class="muted" role="status">{line}</p>
                    <ol id="clusters" class="clusters">
                        {admitted.into_iter().take(SHOWN).map(|i| row(c, &comp.clusters[i], i + 1)).collect_view()}
                    </ol>
                }
            })}
        </section>
    }
}

fn row(c: C, cl: &Cluster, rank: usize) -> impl IntoView + use<> {
    let key = cl.key.clone();
    let selected = {
        let key = key.clone();
        move || c.selected_key.with(|k| k.as_ref() == Some(&key))
    };
    let providers: Vec<String> = cl.providers.iter().map(service_label).collect();
    let entities: Vec<String> = cl.reasons.iter().take(3).map(|r| r.label.clone()).collect();
    let incidents = cl.incidents_sentence();
    let data_key = key.as_str().to_owned();
    view! {
        <li class="cluster" data-key=data_key data-rank=rank.to_string()
            data-alerts=cl.alerts.len().to_string() data-providers=cl.providers.len().to_string()
            aria-current=move || selected().then_some("true")>
            <button class="cluster-open link" on:click=move |_| {
                let mut v = c.view.get_untracked();
                v.selected = Some(key.clone());
                c.go(&v);
            }>
                <span class="cluster-score" title="Rank score: providers, severity, recency, open alerts, link strength">{cl.score}</span>
                " "
                {severity_badge(cl.severity.as_ref())}
                " "
                <span class="cluster-summary">{cl.summary()}</span>
            </button>
            <div class="cluster-facts">
                <span class="providers">{providers.into_iter().map(|p| view! { <span class="provider-badge">{p}</span> }).collect_view()}</span>
                <span class="cluster-entities muted">{entities.join(" · ")}</span>
                <span class="cluster-span">{time_or_dash(cl.first)} " – " {time_or_dash(cl.last)}</span>
                {incidents.map(|s| view! { <span class="joins-incidents">{s}</span> })}
            </div>
        </li>
    }
}
