//! The incident queue: the alert queue's URL model for incidents (default: active and in
//! progress, last six months), and the incident with its alerts (`$expand=alerts`) and triage.

mod bulk;
mod clusters;

use vigil_core::sorted::SortedSet;

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::client::scopes;
use vigil_core::models::*;
use vigil_core::queue::chips::humanize;
use vigil_core::queue::incidents::IncidentFilter;
use vigil_core::queue::triage::{IncidentEdit, TriageEdit, incident_changes, may_send_incident};
use vigil_core::queue::{Assigned, QueueFilter, Set as MemberSet, TimeRange};

use crate::auth::{drafts, use_auth};
use crate::components::queue::{
    get_incident, list_incidents, now, safe_href, severity_badge, time_or_dash,
};
use crate::components::{RequiresScope, SignedIn, Submit, member_select, resource};
use crate::router::{NavigateOptions, href, use_location, use_navigate};

use bulk::IncidentBulkBar;

#[component]
pub fn Incidents() -> impl IntoView {
    view! {
        <h1 id="incidents-title">"Incidents"</h1>
        <SignedIn what="incidents">
            <IncidentQueue />
        </SignedIn>
    }
}

#[component]
fn IncidentQueue() -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let navigate = use_navigate();
    let filter = Memo::new(move |_| IncidentFilter::from_query_string(&location.search.get()));
    let go = StoredValue::new_local(std::rc::Rc::new(move |f: &IncidentFilter| {
        let url = crate::router::join("/incidents", &f.to_query_string());
        navigate(
            &url,
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    }) as std::rc::Rc<dyn Fn(&IncidentFilter)>);
    let set = move |change: &dyn Fn(&mut IncidentFilter)| {
        let mut f = filter.get_untracked();
        change(&mut f);
        go.with_value(|g| g(&f));
    };
    let server = Memo::new(move |_| {
        let mut f = filter.get();
        f.selected = None;
        f.search.clear();
        f
    });
    let refetch = RwSignal::new(0u32);
    let checked = RwSignal::new(SortedSet::<IncidentId>::new());
    let list = resource(move || {
        refetch.track();
        let f = server.get();
        let me = auth.account().map(|a| a.username);
        let client = auth.client();
        async move {
            let client = client.ok_or_else(|| "Sign in to see incidents.".to_owned())?;
            list_incidents(&client, &f.server_query(now(), me.as_deref()).top(50))
                .await
                .map_err(|e| auth.explain(&e))
        }
    });
    let search = RwSignal::new(filter.get_untracked().search);
    let selected = Memo::new(move |_| filter.with(|f| f.selected.clone()));
    view! {
        <div class="toolbar">
            <form class="search" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let s = search.get_untracked();
                set(&|f| f.search = s.clone());
            }>
                <input id="incident-search" type="search" placeholder="Search incidents"
                    prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) />
                <button type="submit">"Search"</button>
            </form>
            <label>"Status "
                <select id="incident-status" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(&|f| f.statuses = match v.as_str() {
                        "any" => MemberSet::any(),
                        "open" => IncidentFilter::default().statuses,
                        s => MemberSet::of([IncidentStatus::parse(s)]),
                    });
                }>
                    <option value="open">"Active, in progress"</option>
                    <option value="any" selected=move || filter.with(|f| f.statuses.is_any())>"Any"</option>
                    {["active", "inProgress", "resolved", "redirected"].into_iter().map(|s| view! {
                        <option value=s selected=move || filter.with(|f| f.statuses.as_slice() == [IncidentStatus::parse(s)])>{humanize(s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"Assigned "
                <select id="incident-assigned" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(&|f| f.assigned = match v.as_str() { "me" => Assigned::Me, "none" => Assigned::Unassigned, _ => Assigned::Anyone });
                }>
                    <option value="any">"Anyone"</option>
                    <option value="me" selected=move || filter.with(|f| f.assigned == Assigned::Me)>"Me"</option>
                    <option value="none" selected=move || filter.with(|f| f.assigned == Assigned::Unassigned)>"Unassigned"</option>
                </select>
            </label>
            {member_select::<AlertSeverity>("incident-severity", "Severity",
                move || filter.with(|f| f.severities.clone()), move |s| set(&|f| f.severities = s.clone()))}
            {member_select::<AlertClassification>("incident-classification", "Classification",
                move || filter.with(|f| f.classifications.clone()), move |s| set(&|f| f.classifications = s.clone()))}
            {member_select::<AlertDetermination>("incident-determination", "Determination",
                move || filter.with(|f| f.determinations.clone()), move |s| set(&|f| f.determinations = s.clone()))}
            <label>"Created "
                <select id="incident-days" prop:value=move || filter.with(|f| f.days.map(|d| d.to_string()).unwrap_or_else(|| "all".into()))
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set(&|f| f.days = v.parse().ok());
                    }>
                    {[("7", "Last 7 days"), ("30", "Last 30 days"), ("180", "Last 6 months"), ("all", "All time")].into_iter().map(|(v, l)| view! {
                        <option value=v selected=move || filter.with(|f| f.days.map(|d| d.to_string()).unwrap_or_else(|| "all".into()) == v)>{l}</option>
                    }).collect_view()}
                </select>
            </label>
        </div>
        <IncidentBulkBar checked on_done=Callback::new(move |_| refetch.update(|n| *n += 1)) />
        <div class="queue-main">
            <div class="incident-list">
                {move || match list.get() {
                    None => Either::Left(view! { <p class="muted">"Loading incidents…"</p> }),
                    Some(Err(e)) => Either::Right(Either::Left(view! { <p class="error" role="alert">{e}</p> })),
                    Some(Ok(all)) => {
                        let f = filter.get();
                        let me = auth.account().map(|a| a.username);
                        let shown: Vec<Incident> = all.into_iter().filter(|i| f.matches(i, now(), me.as_deref())).collect();
                        let mut shown_ids = SortedSet::<IncidentId>::new();
                        shown_ids.extend(shown.iter().map(|i| i.id.clone()));
                        let all_ids = shown_ids.clone();
                        Either::Right(Either::Right(view! {
                            <p id="incident-count" class="count">{format!("{} incidents", shown.len())}</p>
                            <table id="incident-table" class="grid incidents">
                                <thead><tr>
                                    <th><input type="checkbox" id="incident-check-all" aria-label="Select all shown"
                                        prop:checked=move || !shown_ids.is_empty() && checked.with(|c| shown_ids.iter().all(|i| c.contains(i)))
                                        on:change=move |ev| checked.set(if event_target_checked(&ev) { all_ids.clone() } else { SortedSet::new() }) /></th>
                                    <th>"Severity"</th><th>"Incident"</th><th>"Status"</th><th>"Assigned to"</th><th>"Created"</th></tr></thead>
                                <tbody>
                                    {shown.into_iter().map(|i| {
                                        let id = i.id.clone();
                                        let check_id = i.id.clone();
                                        let is_checked = checked.with_untracked(|c| c.contains(&i.id));
                                        let open = selected.get().as_ref() == Some(&i.id);
                                        view! {
                                            <tr class=if open { "open" } else { "" } data-id=i.id.0.clone() on:click=move |_| {
                                                let id = id.clone();
                                                set(&|f| f.selected = Some(id.clone()));
                                            }>
                                                <td on:click=|ev| ev.stop_propagation()>
                                                    <input type="checkbox" class="incident-check" aria-label="Select" prop:checked=is_checked
                                                        on:change=move |_| checked.update(|c| { if !c.remove(&check_id) { c.insert(check_id.clone()); } }) />
                                                </td>
                                                <td>{severity_badge(i.severity.as_ref())}</td>
                                                <td>{i.display_name.clone().unwrap_or_default()}</td>
                                                <td>{i.status.as_ref().map(|s| humanize(s.as_str())).unwrap_or_default()}</td>
                                                <td>{i.assigned_to.clone().unwrap_or_default()}</td>
                                                <td>{time_or_dash(i.created_date_time)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }))
                    }
                }}
            </div>
            {move || selected.get().map(|id| view! { <IncidentDetail id on_close=Callback::new(move |_| set(&|f| f.selected = None)) /> })}
        </div>
    }
}

#[component]
fn IncidentDetail(id: IncidentId, on_close: Callback<()>) -> impl IntoView {
    let auth = use_auth();
    let reload = RwSignal::new(0u32);
    let fetch_id = id.clone();
    let data = resource(move || {
        reload.track();
        let id = fetch_id.clone();
        let client = auth.client();
        async move {
            let client = client.ok_or_else(|| "Sign in to see this incident.".to_owned())?;
            get_incident(&client, &id)
                .await
                .map_err(|e| auth.explain(&e))
        }
    });
    view! {
        <aside id="incident-detail" class="detail-pane" data-id=id.0.clone()>
            <div class="detail-head"><button class="link" on:click=move |_| on_close.run(())>"Close"</button></div>
            {move || match data.get() {
                None => Either::Left(view! { <p class="muted">"Loading the incident…"</p> }),
                Some(Err(e)) => Either::Right(Either::Left(view! { <p class="error" role="alert">{e}</p> })),
                Some(Ok(i)) => Either::Right(Either::Right(view! { <IncidentBody i reload /> })),
            }}
        </aside>
    }
}

#[component]
fn IncidentBody(i: Incident, reload: RwSignal<u32>) -> impl IntoView {
    let web = i.incident_web_url.as_deref().and_then(safe_href);
    view! {
        <h2 id="incident-title">{i.display_name.clone().unwrap_or_else(|| format!("Incident {}", i.id))}</h2>
        <p>{severity_badge(i.severity.as_ref())} " " {i.status.as_ref().map(|s| humanize(s.as_str())).unwrap_or_default()}</p>
        {web.map(|href| view! { <p><a href=href target="_blank" rel="noopener noreferrer">"Open in Microsoft Defender"</a></p> })}
        <IncidentTriage i=i.clone() reload />
        <p class="prewrap">{i.description.clone().unwrap_or_default()}</p>
        <dl class="fields">
            <dt>"Assigned to"</dt><dd>{i.assigned_to.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"Classification"</dt><dd>{i.classification.as_ref().map(|c| humanize(c.as_str())).unwrap_or_else(|| "—".into())}</dd>
            <dt>"Determination"</dt><dd>{i.determination.as_ref().map(|c| humanize(c.as_str())).unwrap_or_else(|| "—".into())}</dd>
            <dt>"Tags"</dt><dd id="incident-tags">{i.tags().join(", ")}</dd>
            <dt>"Created"</dt><dd>{time_or_dash(i.created_date_time)}</dd>
            <dt>"Last updated"</dt><dd>{time_or_dash(i.last_update_date_time)}</dd>
        </dl>
        <clusters::IncidentClusters alerts=i.alerts.clone() />
        <h3>{format!("Alerts ({})", i.alerts.len())}</h3>
        <ul id="incident-alerts" class="incident-alerts">
            {i.alerts.clone().into_iter().map(|a| {
                let f = QueueFilter {
                    statuses: MemberSet::any(),
                    severities: MemberSet::any(),
                    range: TimeRange::ALL_TIME,
                    selected: Some(a.id.clone()),
                    ..QueueFilter::default()
                };
                view! {
                    <li>
                        {severity_badge(a.severity.as_ref())} " "
                        <a href=href(&format!("/alerts?{}", f.to_query_string()))>{a.title.clone().unwrap_or_default()}</a>
                    </li>
                }
            }).collect_view()}
        </ul>
        <h3>{format!("Comments ({})", i.comments.len())}</h3>
        <ul id="incident-comments" class="comments">
            {i.comments.clone().into_iter().map(|c| view! {
                <li><p class="prewrap">{c.comment.clone().unwrap_or_default()}</p>
                <p class="muted">{c.created_by_display_name.clone().unwrap_or_default()} " · " {time_or_dash(c.created_date_time)}</p></li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn IncidentTriage(i: Incident, reload: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let wire = |v: Option<&str>| v.unwrap_or("").to_owned();
    let status = RwSignal::new(wire(i.status.as_ref().map(|s| s.as_str())));
    let classification = RwSignal::new(wire(i.classification.as_ref().map(|s| s.as_str())));
    let determination = RwSignal::new(wire(i.determination.as_ref().map(|s| s.as_str())));
    let assigned = RwSignal::new(i.assigned_to.clone().unwrap_or_default());
    let tags = RwSignal::new(i.tags().join(", "));
    let key = format!("incident.{}.comment", i.id.as_str());
    let comment = RwSignal::new(drafts::load(&key));
    // What the form refuses before sending; what the service said comes from the action.
    let invalid = RwSignal::new(None::<String>);
    let original = StoredValue::new(i.clone());
    let key2 = key.clone();
    // The update, then the comment; the comment stays a draft unless it was added.
    let send = Submit::new();
    let write = move |u: IncidentUpdate, text: String| {
        let key = key2.clone();
        let id = original.with_value(|o| o.id.clone());
        let client = auth.client();
        async move {
            let client = client.ok_or_else(|| "Sign in to change incidents.".to_owned())?;
            if !u.is_empty() {
                client
                    .update_incident(&id, &u)
                    .await
                    .map_err(|e| format!("Not saved: {}", auth.explain(&e)))?;
            }
            let mut result = Ok(());
            if !text.trim().is_empty() {
                match client.add_incident_comment(&id, &text).await {
                    Ok(_) => {
                        drafts::clear(&key);
                        let _ = comment.try_set(String::new());
                    }
                    Err(e) => {
                        result = Err(format!(
                            "The comment was not added (kept as a draft): {}",
                            auth.explain(&e)
                        ))
                    }
                }
            }
            reload.try_update(|n| *n += 1);
            result.map(|()| String::new())
        }
    };
    let busy = move || send.pending();
    // The last attempt's failure, until the next attempt is under way.
    let error = move || invalid.get().or_else(|| (!busy()).then(|| send.error())?);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (st, c, d, who, t) = (
            status.get_untracked(),
            classification.get_untracked(),
            determination.get_untracked(),
            assigned.get_untracked(),
            tags.get_untracked(),
        );
        let edit = IncidentEdit {
            triage: TriageEdit {
                status: &st,
                classification: &c,
                determination: &d,
                assigned_to: &who,
            },
            tags: &t,
        };
        let u = original.with_value(|o| incident_changes(o, &edit));
        let text = comment.get_untracked();
        if let Err(why) = may_send_incident(&u, &text) {
            invalid.set(Some(why.message().into()));
            return;
        }
        invalid.set(None);
        send.start(write(u, text));
    };
    let me = move || auth.account().map(|a| a.username).unwrap_or_default();
    let opt = |value: &'static str, current: RwSignal<String>| {
        view! { <option value=value selected=move || current.get() == value>{if value.is_empty() { "Not set".to_owned() } else { humanize(value) }}</option> }
    };
    view! {
        <RequiresScope scope=scopes::INCIDENT_WRITE>
            <form id="incident-triage" class="triage" on:submit=save>
                <label>"Status "
                    <select id="incident-triage-status" on:change=move |ev| status.set(event_target_value(&ev))>
                        {["active", "inProgress", "resolved"].into_iter().map(|v| opt(v, status)).collect_view()}
                    </select>
                </label>
                <label>"Classification "
                    <select on:change=move |ev| classification.set(event_target_value(&ev))>
                        {["", "truePositive", "informationalExpectedActivity", "falsePositive"].into_iter().map(|v| opt(v, classification)).collect_view()}
                    </select>
                </label>
                <label>"Determination "
                    <select on:change=move |ev| determination.set(event_target_value(&ev))>
                        {["", "multiStagedAttack", "maliciousUserActivity", "compromisedAccount", "malware", "phishing", "unwantedSoftware", "securityTesting", "lineOfBusinessApplication", "confirmedActivity", "notMalicious", "notEnoughDataToValidate", "other"].into_iter().map(|v| opt(v, determination)).collect_view()}
                    </select>
                </label>
                <label>"Assigned to "
                    <input type="text" prop:value=move || assigned.get() on:input=move |ev| assigned.set(event_target_value(&ev)) />
                </label>
                <button type="button" on:click=move |_| assigned.set(me())>"Assign to me"</button>
                <label>"Tags "
                    <input id="incident-triage-tags" type="text" prop:value=move || tags.get() on:input=move |ev| tags.set(event_target_value(&ev)) placeholder="comma-separated" />
                </label>
                <label class="block">"Comment "
                    <textarea id="incident-triage-comment" rows="3" prop:value=move || comment.get() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        drafts::save(&key, &v);
                        comment.set(v);
                    }></textarea>
                </label>
                <button type="submit" id="incident-triage-save" class="primary" disabled=busy>"Save"</button>
                {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            </form>
        </RequiresScope>
    }
}
