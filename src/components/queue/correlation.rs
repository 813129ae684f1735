//! What the loaded queue's correlation says about the open alert: the cluster it is part of
//! (a link to the correlation page with that cluster open), the entities it names (each a link
//! to the entity pivot) and how alerts like it were classified before, with one click to
//! classify it the same way. Everything comes from the alerts already loaded: no request.

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::client::scopes;
use vigil_core::correlate::{Advice, CorrelationView, EntityRef, Membership};
use vigil_core::models::{Alert, AlertId};
use vigil_core::url::form_serialize;

use super::{TableHandle, now, triage};
use crate::auth::use_auth;
use crate::components::{RequiresScope, Submit};
use crate::router::href;

/// The correlation page with the cluster of `alert` open (any alert of a cluster selects it,
/// so the link holds even when that page, which loads every alert, draws the cluster wider).
pub fn membership_href(alert: &AlertId) -> String {
    let v = CorrelationView {
        selected: Some(alert.clone()),
        ..CorrelationView::default()
    };
    href(&format!("/correlation?{}", v.to_query_string()))
}

/// The entity pivot for the identifier `key` (`upn:…`), in `tenant` when known.
pub fn entity_href(key: &str, tenant: Option<&str>) -> String {
    let mut pairs = vec![("key", key)];
    if let Some(t) = tenant.filter(|t| !t.is_empty()) {
        pairs.push(("tenant", t));
    }
    href(&format!("/correlation/entity?{}", form_serialize(pairs)))
}

/// What the loaded alerts say about one of them.
struct Facts {
    membership: Membership,
    entities: Vec<EntityRef>,
    advice: Advice,
}

/// The detail pane's "Correlation" section for `alert`.
#[component]
pub(super) fn AlertCorrelation(
    alert: Alert,
    handle: TableHandle,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let id = alert.id.clone();
    let tenant = alert.tenant_id.clone();
    let facts = move || {
        handle.correlated.track();
        handle.correlator.with_value(|c| {
            let membership = c.cluster_of(&id)?;
            Some(Facts {
                membership,
                entities: c.alert_entities(&id),
                advice: c.advice(std::slice::from_ref(&id), now()),
            })
        })
    };
    let alert = StoredValue::new(alert);
    view! {
        <section class="detail-section" id="detail-correlation">
            <h3>"Correlation"</h3>
            {move || match facts() {
                None => Either::Left(view! {
                    <p id="detail-cluster" class="muted">"This alert is not in the loaded queue, so its cluster is not known."</p>
                }),
                Some(f) => Either::Right(view! {
                    {cluster_line(&alert.with_value(|a| a.id.clone()), &f.membership)}
                    <AdviceLine advice=f.advice.clone() alert reload handle />
                    <h4>"Entities"</h4>
                    {entity_list(&f.entities, tenant.as_deref())}
                }),
            }}
        </section>
    }
}

fn cluster_line(id: &AlertId, m: &Membership) -> impl IntoView + use<> {
    match m.summary() {
        Some(s) => Either::Left(view! {
            <p id="detail-cluster" data-key=m.key.as_str().to_owned() data-alerts=m.alerts.to_string()>
                "This alert is "
                <a id="detail-cluster-link" href=membership_href(id)>{s}</a>
                {(m.incidents > 1).then(|| format!(", joining {} incidents", m.incidents))}
                "."
            </p>
        }),
        None => Either::Right(view! {
            <p id="detail-cluster" class="muted" data-alerts="1">"No other loaded alert shares an entity with this one in the time window."</p>
        }),
    }
}

/// Entities as links to their pivot, with how many alerts name each.
pub(crate) fn entity_list(entities: &[EntityRef], tenant: Option<&str>) -> impl IntoView + use<> {
    if entities.is_empty() {
        return Either::Left(view! { <p class="muted">"No entity in its evidence."</p> });
    }
    Either::Right(view! {
        <ul class="entities entity-links">
            {entities.iter().map(|e| view! {
                <li data-kind=e.kind.name() data-key=e.key.clone() data-hub=e.hub.to_string()>
                    <span class="muted">{e.kind.name()}</span> " "
                    <a class="entity-link" href=entity_href(&e.key, tenant)>{e.label.clone()}</a>
                    <span class="muted">{format!(" ({} alerts)", e.alerts)}</span>
                </li>
            }).collect_view()}
        </ul>
    })
}

/// "9 of 10 closed as false positive, last 12 days ago" and "Classify the same way" for one
/// alert, through the detail pane's own triage (optimistic, rolled back if refused), with a
/// comment that says why.
#[component]
fn AdviceLine(
    advice: Advice,
    alert: StoredValue<Alert>,
    reload: RwSignal<u32>,
    handle: TableHandle,
) -> impl IntoView {
    let auth = use_auth();
    let Some(sentence) = advice.sentence() else {
        return Either::Left(view! {
            <p id="advice" class="muted">"No earlier alert with this detection and a shared entity was closed."</p>
        });
    };
    let same = advice.same_way();
    let apply = Submit::new();
    let write = move || {
        let a = alert.get_value();
        let same = same.clone();
        async move {
            let (update, why) = same.ok_or_else(|| "Nothing to apply.".to_owned())?;
            let client = auth
                .client_for_data(a.tenant_id.as_deref())
                .ok_or_else(|| "Sign in to change alerts.".to_owned())?;
            let id = a.id.clone();
            triage(auth, handle, a, update).await?;
            client.add_alert_comment(&id, &why).await.map_err(|e| {
                format!(
                    "Classified, but the comment was not added: {}",
                    auth.explain(&e)
                )
            })?;
            reload.try_update(|n| *n += 1);
            Ok(String::new())
        }
    };
    let busy = move || apply.pending();
    let already = alert.with_value(|a| {
        a.status == Some(vigil_core::models::AlertStatus::Resolved)
            && a.classification.as_ref() == advice.classification()
    });
    Either::Right(view! {
        <div id="advice" class="advice">
            <p><span class="advice-sentence">{sentence}</span>
               <span class="muted">{format!(" ({} similar alerts with a shared entity)", advice.similar)}</span></p>
            {(!already).then(|| view! {
                <RequiresScope scope=scopes::ALERT_WRITE>
                    <button id="advice-apply" type="button" disabled=busy
                        on:click=move |_| apply.start(write())>
                        {move || if busy() { "Classifying…" } else { "Classify the same way" }}
                    </button>
                </RequiresScope>
            })}
            {move || apply.error().map(|e| view! { <p id="advice-error" class="error" role="alert">{e}</p> })}
        </div>
    })
}
