//! The selected alert: every field, evidence, MITRE techniques, comments, the Graph request
//! behind the view, raw JSON, and triage (only changed fields sent, optimistic with rollback).

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::client::scopes;
use vigil_core::models::*;
use vigil_core::queue::chips::{humanize, service_label};
use vigil_core::queue::pivot::Pivot;
use vigil_core::queue::similar::{same_title_view, similar};
use vigil_core::queue::triage::{
    Refusal, TriageEdit, applied, changes, determinations_for, may_send,
};

use super::correlation::AlertCorrelation;
use super::{
    PivotValue, TableHandle, evidence_list, queue_filter_here, safe_href, severity_badge,
    time_or_dash,
};
use crate::auth::{Auth, drafts, use_auth};
use crate::components::{RequiresScope, Submit, resource};
use crate::router::use_location;

/// What the pane loaded: the alert and its JSON as sent.
#[derive(Clone)]
struct Loaded {
    alert: Alert,
    raw: String,
    request: String,
}

fn draft_key(id: &AlertId) -> String {
    format!("alert.{}.comment", id.as_str())
}

/// Sends `update` for `alert` optimistically: the table shows the change at once and gets the
/// original back if the service refuses, with the sentence to show.
pub async fn triage(
    auth: Auth,
    handle: TableHandle,
    alert: Alert,
    update: AlertUpdate,
) -> Result<Alert, String> {
    let Some(client) = auth.client_for_data(alert.tenant_id.as_deref()) else {
        return Err("Sign in to change alerts.".into());
    };
    handle.merge(&[applied(&alert, &update)]);
    match client.update_alert(&alert.id, &update).await {
        Ok(fresh) => {
            handle.merge(std::slice::from_ref(&fresh));
            Ok(fresh)
        }
        Err(e) => {
            handle.merge(std::slice::from_ref(&alert));
            Err(format!(
                "Not saved, the change was rolled back: {}",
                auth.explain(&e)
            ))
        }
    }
}

#[component]
pub fn AlertDetail(
    id: AlertId,
    handle: TableHandle,
    /// Set by the `r` key to the alert to resolve: status Resolved, focus the comment.
    resolve_intent: RwSignal<Option<AlertId>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let reload = RwSignal::new(0u32);
    let saved = RwSignal::new(None::<String>);
    let id_for_fetch = id.clone();
    // The alert's own tenant (several may be signed in and shown together).
    let tenant = handle.tenant_of(&id);
    let data = resource(move || {
        reload.track();
        let id = id_for_fetch.clone();
        let client = auth.client_for_data(tenant.as_deref());
        async move {
            let Some(client) = client else {
                return Err("Sign in to see this alert.".to_owned());
            };
            let (alert, raw) = client
                .get_alert_with_raw(&id)
                .await
                .map_err(|e| auth.explain(&e))?;
            Ok(Loaded {
                alert,
                raw,
                request: format!("GET {}", client.alert_url(&id)),
            })
        }
    });
    view! {
        <aside id="alert-detail" class="detail-pane" aria-label="Alert details" data-id=id.as_str().to_owned()>
            <div class="detail-head">
                <button class="link" id="detail-close" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
            {move || match data.get() {
                None => Either::Left(view! { <p class="muted">"Loading the alert…"</p> }),
                Some(Err(e)) => Either::Right(Either::Left(view! { <p class="error" role="alert">{e}</p> })),
                Some(Ok(l)) => Either::Right(Either::Right(view! {
                    <AlertBody loaded=l handle reload saved resolve_intent />
                })),
            }}
        </aside>
    }
}

#[component]
fn AlertBody(
    loaded: Loaded,
    handle: TableHandle,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
    resolve_intent: RwSignal<Option<AlertId>>,
) -> impl IntoView {
    let a = loaded.alert.clone();
    let field = |label: &'static str, v: Option<String>| {
        view! { <dt>{label}</dt><dd>{v.unwrap_or_else(|| "—".into())}</dd> }
    };
    // A field whose value opens a pivot menu (shown as `shown`, humanised where it is a wire
    // value).
    let pivot = |label: &'static str, p: Option<Pivot>, shown: Option<String>| {
        let inner = match (p, shown) {
            (Some(p), Some(shown)) => Either::Left(view! { <PivotValue pivot=p label=shown /> }),
            _ => Either::Right("—"),
        };
        view! { <dt>{label}</dt><dd>{inner}</dd> }
    };
    let text = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty()).map(Pivot::Text);
    let web = a.alert_web_url.as_deref().and_then(safe_href);
    let incident_web = a.incident_web_url.as_deref().and_then(safe_href);
    let enum_str = |v: Option<&str>| v.map(humanize);
    view! {
        <h2 id="detail-title">{a.title.clone().unwrap_or_else(|| "(untitled alert)".into())}</h2>
        <p class="detail-badges">
            {severity_badge(a.severity.as_ref())}
            " "
            <span id="detail-status" class="status">{enum_str(a.status.as_ref().map(|s| s.as_str())).unwrap_or_default()}</span>
            " "
            <span class="provider">{a.service_source.clone().map(|s| {
                let label = service_label(&s);
                view! { <PivotValue pivot=Pivot::Service(s) label /> }
            })}</span>
        </p>
        {web.map(|href| view! { <p><a id="alert-web-url" href=href target="_blank" rel="noopener noreferrer">"Open in Microsoft Defender"</a></p> })}
        <TriageForm alert=a.clone() handle reload saved resolve_intent />
        <section class="detail-section">
            <h3>"Description"</h3>
            <p id="detail-description" class="prewrap">{a.description.clone().unwrap_or_default()}</p>
            {a.recommended_actions.clone().map(|r| view! { <h3>"Recommended actions"</h3><p class="prewrap">{r}</p> })}
        </section>
        <section class="detail-section">
            <h3>"Details"</h3>
            <dl class="fields">
                {field("Alert id", Some(a.id.0.clone()))}
                {field("Provider alert id", a.provider_alert_id.clone())}
                {field("Incident", a.incident_id.clone())}
                {pivot("Severity", a.severity.clone().map(Pivot::Severity), enum_str(a.severity.as_ref().map(|s| s.as_str())))}
                {pivot("Status", a.status.clone().map(Pivot::Status), enum_str(a.status.as_ref().map(|s| s.as_str())))}
                {pivot("Category", text(&a.category), a.category.clone())}
                {pivot("Classification", a.classification.clone().map(Pivot::Classification), enum_str(a.classification.as_ref().map(|s| s.as_str())))}
                {pivot("Determination", a.determination.clone().map(Pivot::Determination), enum_str(a.determination.as_ref().map(|s| s.as_str())))}
                {pivot("Assigned to", Some(Pivot::AssignedTo(a.assigned_to.clone().unwrap_or_default())), Some(a.assigned_to.clone().unwrap_or_else(|| "Unassigned".into())))}
                {pivot("Detection source", a.detection_source.clone().map(Pivot::Detection), enum_str(a.detection_source.as_ref().map(|s| s.as_str())))}
                {field("Detector", a.detector_id.clone())}
                {pivot("Product", text(&a.product_name), a.product_name.clone())}
                {pivot("Actor", text(&a.actor_display_name), a.actor_display_name.clone())}
                {pivot("Threat", text(&a.threat_display_name), a.threat_display_name.clone())}
                {pivot("Threat family", text(&a.threat_family_name), a.threat_family_name.clone())}
                {field("Tenant", a.tenant_id.clone())}
                <dt>"Created"</dt><dd>{time_or_dash(a.created_date_time)}</dd>
                <dt>"Last updated"</dt><dd>{time_or_dash(a.last_update_date_time)}</dd>
                <dt>"First activity"</dt><dd>{time_or_dash(a.first_activity_date_time)}</dd>
                <dt>"Last activity"</dt><dd>{time_or_dash(a.last_activity_date_time)}</dd>
                <dt>"Resolved"</dt><dd>{time_or_dash(a.resolved_date_time)}</dd>
                {field("System tags", (!a.system_tags.is_empty()).then(|| a.system_tags.join(", ")))}
            </dl>
            {incident_web.map(|href| view! { <p><a href=href target="_blank" rel="noopener noreferrer">"Open the incident in Microsoft Defender"</a></p> })}
        </section>
        <section class="detail-section">
            <h3>"MITRE ATT&CK techniques"</h3>
            {if a.mitre_techniques.is_empty() {
                Either::Left(view! { <p class="muted">"None listed."</p> })
            } else {
                Either::Right(view! { <ul id="detail-mitre" class="inline-list">{a.mitre_techniques.iter().map(|t| view! { <li><code><PivotValue pivot=Pivot::Text(t.clone()) label=t.clone() /></code></li> }).collect_view()}</ul> })
            }}
        </section>
        <AlertCorrelation alert=a.clone() handle reload />
        <SimilarAlerts id=a.id.clone() title=a.title.clone().unwrap_or_default() handle />
        <section class="detail-section" id="detail-evidence">
            <h3>{format!("Evidence ({})", a.evidence.len())}</h3>
            {evidence_list(&a.evidence)}
        </section>
        <section class="detail-section">
            <h3>{format!("Comments ({})", a.comments.len())}</h3>
            <ul id="detail-comments" class="comments">
                {a.comments.iter().map(|c| view! {
                    <li>
                        <p class="prewrap comment-text">{c.comment.clone().unwrap_or_default()}</p>
                        <p class="muted">{c.created_by_display_name.clone().unwrap_or_default()} " · " {time_or_dash(c.created_date_time)}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section class="detail-section">
            <h3>"The Graph request behind this view"</h3>
            <pre id="detail-request">{loaded.request.clone()}</pre>
            <details>
                <summary>"Raw JSON"</summary>
                <pre id="detail-raw">{loaded.raw.clone()}</pre>
            </details>
        </section>
    }
}

/// Alerts like this one among those loaded: the same detection, the same incident.
#[component]
fn SimilarAlerts(id: AlertId, title: String, handle: TableHandle) -> impl IntoView {
    const SHOWN: usize = 5;
    let location = use_location();
    let found = Memo::new(move |_| {
        handle.version.track();
        handle.table.with_value(|t| {
            let i = t.position(&id)?;
            let s = similar(t, i);
            let rows = |v: &[u32]| -> Vec<(AlertId, String, Option<AlertSeverity>)> {
                v.iter()
                    .take(SHOWN)
                    .map(|&j| {
                        let r = t.row(j);
                        (
                            r.id.clone(),
                            t.str(r.title).to_owned(),
                            t.severity(r).cloned(),
                        )
                    })
                    .collect()
            };
            Some((
                s.same_title.len(),
                rows(&s.same_title),
                s.same_incident.len(),
                rows(&s.same_incident),
            ))
        })
    });
    let link = move |to: &AlertId| {
        let mut f = queue_filter_here(location.pathname, location.search);
        f.selected = Some(to.clone());
        format!("/alerts?{}", f.to_query_string())
    };
    let list = move |items: Vec<(AlertId, String, Option<AlertSeverity>)>| {
        items
            .into_iter()
            .map(|(to, t, sev)| {
                let href = link(&to);
                view! { <li data-id=to.0.clone()>{severity_badge(sev.as_ref())} <a href=href>{t}</a></li> }
            })
            .collect_view()
    };
    let all_title = format!("/alerts?{}", same_title_view(&title).to_query_string());
    view! {
        <section class="detail-section similar" id="detail-similar">
            <h3>"Similar alerts"</h3>
            {move || match found.get() {
                None => Either::Left(view! { <p class="muted">"This alert is not in the loaded queue, so similar alerts are not listed."</p> }),
                Some((0, _, 0, _)) => Either::Left(view! { <p class="muted">"No other loaded alert has this title or incident."</p> }),
                Some((nt, title_rows, ni, incident_rows)) => Either::Right(view! {
                    <h4>{format!("Same detection ({nt})")}</h4>
                    <ul id="similar-title">{list(title_rows)}</ul>
                    {(nt > 0).then(|| view! { <p><a id="similar-all" href=all_title.clone()>"Every alert with this title, any status and time"</a></p> })}
                    <h4>{format!("Same incident ({ni})")}</h4>
                    <ul id="similar-incident">{list(incident_rows)}</ul>
                }),
            }}
        </section>
    }
}

fn options(
    items: Vec<(String, String)>,
    current: impl Fn() -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    items
        .into_iter()
        .map(|(value, label)| {
            let v = value.clone();
            view! { <option value=value selected=move || current() == v>{label}</option> }
        })
        .collect_view()
}

#[component]
fn TriageForm(
    alert: Alert,
    handle: TableHandle,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
    resolve_intent: RwSignal<Option<AlertId>>,
) -> impl IntoView {
    let auth = use_auth();
    let wire = |v: Option<&str>| v.unwrap_or("").to_owned();
    let status = RwSignal::new(wire(alert.status.as_ref().map(|s| s.as_str())));
    let classification = RwSignal::new(wire(alert.classification.as_ref().map(|s| s.as_str())));
    let determination = RwSignal::new(wire(alert.determination.as_ref().map(|s| s.as_str())));
    let assigned = RwSignal::new(alert.assigned_to.clone().unwrap_or_default());
    let key = draft_key(&alert.id);
    let comment = RwSignal::new(drafts::load(&key));
    // What the form refuses before sending; what the service said comes from the action.
    let invalid = RwSignal::new(None::<String>);
    let comment_ref = NodeRef::<leptos::html::Textarea>::new();
    let original = StoredValue::new(alert.clone());

    // The `r` key: set the status to Resolved and ask for the comment.
    let my_id = alert.id.clone();
    Effect::watch(
        move || resolve_intent.get(),
        move |want, _, _| {
            if want.as_ref() == Some(&my_id) {
                status.set(AlertStatus::Resolved.as_str().to_owned());
                if let Some(t) = comment_ref.get_untracked() {
                    let _ = t.focus();
                }
                resolve_intent.set(None);
            }
        },
        true,
    );

    let key_for_input = key.clone();
    let on_comment = move |ev| {
        let v = event_target_value(&ev);
        drafts::save(&key_for_input, &v);
        comment.set(v);
    };

    let build = move || -> AlertUpdate {
        let (s, c, d) = (
            status.get_untracked(),
            classification.get_untracked(),
            determination.get_untracked(),
        );
        let who = assigned.get_untracked();
        let edit = TriageEdit {
            status: &s,
            classification: &c,
            determination: &d,
            assigned_to: &who,
        };
        changes(&original.get_value(), &edit)
    };

    // The change first (shown at once, rolled back if refused), then the comment, which stays a
    // draft unless it was added. Success rebuilds the pane (`reload`), so "Saved." lives there.
    let key_for_send = key.clone();
    let send = Submit::new();
    let write = move |update: AlertUpdate, text: String| {
        let key = key_for_send.clone();
        let alert = original.get_value();
        let client = auth.client_for_data(alert.tenant_id.as_deref());
        async move {
            let client = client.ok_or_else(|| "Sign in to change alerts.".to_owned())?;
            if !update.is_empty() {
                triage(auth, handle, alert.clone(), update).await?;
            }
            if !text.trim().is_empty() {
                client
                    .add_alert_comment(&alert.id, &text)
                    .await
                    .map_err(|e| {
                        format!(
                            "The comment was not added (it is kept as a draft): {}",
                            auth.explain(&e)
                        )
                    })?;
                drafts::clear(&key);
                let _ = comment.try_set(String::new());
            }
            let _ = saved.try_set(Some("Saved.".into()));
            reload.try_update(|n| *n += 1);
            Ok(String::new())
        }
    };
    let busy = move || send.pending();
    // The last attempt's failure, until the next attempt is under way.
    let error = move || invalid.get().or_else(|| (!busy()).then(|| send.error())?);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let update = build();
        let text = comment.get_untracked();
        if let Err(why) = may_send(&update, &text) {
            invalid.set(Some(why.message().into()));
            if why == Refusal::CommentNeeded
                && let Some(t) = comment_ref.get()
            {
                let _ = t.focus();
            }
            return;
        }
        invalid.set(None);
        send.start(write(update, text));
    };

    let me = move || auth.account().map(|a| a.username).unwrap_or_default();
    let status_opts: Vec<(String, String)> = [
        AlertStatus::New,
        AlertStatus::InProgress,
        AlertStatus::Resolved,
    ]
    .iter()
    .map(|s| (s.as_str().to_owned(), humanize(s.as_str())))
    .collect();
    let class_opts: Vec<(String, String)> = std::iter::once((String::new(), "Not set".to_owned()))
        .chain(
            [
                AlertClassification::TruePositive,
                AlertClassification::InformationalExpectedActivity,
                AlertClassification::FalsePositive,
            ]
            .iter()
            .map(|s| (s.as_str().to_owned(), humanize(s.as_str()))),
        )
        .collect();
    view! {
        <RequiresScope scope=scopes::ALERT_WRITE>
            <form id="triage" class="triage" on:submit=save>
                <label>"Status "
                    <select id="triage-status" on:change=move |ev| status.set(event_target_value(&ev))>
                        {options(status_opts.clone(), move || status.get())}
                    </select>
                </label>
                <label>"Classification "
                    <select id="triage-classification" on:change=move |ev| {
                        classification.set(event_target_value(&ev));
                        determination.set(String::new());
                    }>
                        {options(class_opts.clone(), move || classification.get())}
                    </select>
                </label>
                <label>"Determination "
                    <select id="triage-determination" on:change=move |ev| determination.set(event_target_value(&ev))>
                        {move || {
                            let c = classification.get();
                            let fits = determinations_for((!c.is_empty()).then(|| AlertClassification::parse(&c)).as_ref());
                            let items: Vec<(String, String)> = std::iter::once((String::new(), "Not set".to_owned()))
                                .chain(fits.iter().map(|d| (d.as_str().to_owned(), humanize(d.as_str()))))
                                .collect();
                            options(items, move || determination.get())
                        }}
                    </select>
                </label>
                <label>"Assigned to "
                    <input id="triage-assigned" type="text" prop:value=move || assigned.get()
                        on:input=move |ev| assigned.set(event_target_value(&ev)) placeholder="Unassigned" />
                </label>
                <button type="button" id="triage-assign-me" on:click=move |_| assigned.set(me())>"Assign to me"</button>
                <label class="block">"Comment "
                    <textarea id="triage-comment" node_ref=comment_ref rows="3" prop:value=move || comment.get()
                        on:input=on_comment placeholder="Why? (required when resolving; kept as a draft until sent)"></textarea>
                </label>
                <button type="submit" id="triage-save" class="primary" disabled=busy>
                    {move || if busy() { "Saving…" } else { "Save" }}
                </button>
                {move || saved.get().map(|m| view! { <span id="triage-saved" class="ok">" " {m}</span> })}
                {move || error().map(|e| view! { <p id="triage-error" class="error" role="alert">{e}</p> })}
            </form>
        </RequiresScope>
    }
}
