//! Triage of a cluster's alerts through the alerts page's bulk job (`$batch`, 20 at a time,
//! each tenant with its own client, failures listed with a retry): the cluster's triage advice
//! with "classify the open ones the same way", and a chosen change for the alerts ticked.

use vigil_core::sorted::SortedSet;

use leptos::prelude::*;
use vigil_core::client::scopes;
use vigil_core::correlate::Cluster;
use vigil_core::models::*;
use vigil_core::queue::bulk::{Alerts, BulkJob};

use super::C;
use crate::auth::use_auth;
use crate::components::RequiresScope;
use crate::components::every_alert::keep_patches;
use crate::components::queue::{BulkState, BulkStatus, now};

/// The ticked alerts and the job, kept across the cluster's re-renders (a confirmed batch
/// changes the cluster). `Copy`.
#[derive(Clone, Copy)]
pub(super) struct Triage {
    pub checked: RwSignal<SortedSet<AlertId>>,
    pub bulk: BulkState<Alerts>,
}

impl Triage {
    pub fn new(c: C) -> Self {
        let bulk = BulkState::<Alerts>::new(
            move |confirmed: &[Alert]| {
                keep_patches(confirmed);
                c.patched.update(|p| p.extend_from_slice(confirmed))
            },
            move |id: &AlertId| {
                c.engine
                    .with_value(|e| e.as_ref()?.info(id)?.tenant_id)
                    .filter(|t| !t.is_empty())
            },
            Callback::new(|_| {}),
        );
        Triage {
            checked: RwSignal::new(SortedSet::new()),
            bulk,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Change {
    AssignMe,
    InProgress,
    Resolve,
    FalsePositive,
}

/// The cluster's advice and bulk bar.
#[component]
pub(super) fn ClusterTriage(cl: Cluster, c: C, t: Triage) -> impl IntoView {
    let auth = use_auth();
    let ids: Vec<AlertId> = cl.alerts.iter().map(|a| a.id.clone()).collect();
    let open: Vec<AlertId> = cl
        .alerts
        .iter()
        .filter(|a| a.status != Some(AlertStatus::Resolved))
        .map(|a| a.id.clone())
        .collect();
    let advice = c
        .engine
        .with_value(|e| e.as_ref().map(|e| e.advice(&ids, now())))
        .unwrap_or_default();
    let problem = RwSignal::new(None::<String>);
    let run =
        move |ids: Vec<AlertId>, update: AlertUpdate, why: &str| match BulkJob::new(ids, update) {
            Ok(j) => {
                problem.set(None);
                t.bulk.run(j.with_comment(why));
            }
            Err(e) => problem.set(Some(e.user_message())),
        };
    let same = advice.same_way();
    let sentence = advice.sentence();
    let n_open = open.len();
    let advice_view = match (sentence, same) {
        (Some(s), Some((update, why))) => {
            let open = open.clone();
            leptos::either::Either::Left(view! {
                <p id="cluster-advice" class="advice">
                    <span class="advice-sentence">{s}</span>
                    <span class="muted">{format!(" ({} similar alerts with a shared entity)", advice.similar)}</span>
                    " "
                    {(n_open > 0).then(|| view! {
                        <RequiresScope scope=scopes::ALERT_WRITE>
                            <button id="cluster-advice-apply" type="button" disabled=move || t.bulk.running.get()
                                on:click=move |_| run(open.clone(), update.clone(), &why)>
                                {format!("Classify the {n_open} open alert{} the same way", if n_open == 1 { "" } else { "s" })}
                            </button>
                        </RequiresScope>
                    })}
                </p>
            })
        }
        _ => leptos::either::Either::Right(view! {
            <p id="cluster-advice" class="muted">"No earlier alert with these detections and a shared entity was closed."</p>
        }),
    };
    let change = RwSignal::new(Change::InProgress);
    let comment = RwSignal::new(String::new());
    let all = StoredValue::new(ids);
    let apply = move |_| {
        let picked: Vec<AlertId> = t.checked.get_untracked().into_iter().collect();
        let why = comment.get_untracked();
        let ch = change.get_untracked();
        let resolves = matches!(ch, Change::Resolve | Change::FalsePositive);
        if resolves && why.trim().is_empty() {
            problem.set(Some(
                "Resolving asks for a comment: say why, so the next analyst knows.".into(),
            ));
            return;
        }
        let update = match ch {
            Change::AssignMe => AlertUpdate {
                assigned_to: Some(auth.account().map(|a| a.username)),
                ..Default::default()
            },
            Change::InProgress => AlertUpdate {
                status: Some(AlertStatus::InProgress),
                ..Default::default()
            },
            Change::Resolve => AlertUpdate {
                status: Some(AlertStatus::Resolved),
                ..Default::default()
            },
            Change::FalsePositive => AlertUpdate {
                status: Some(AlertStatus::Resolved),
                classification: Some(AlertClassification::FalsePositive),
                determination: Some(AlertDetermination::NotMalicious),
                ..Default::default()
            },
        };
        run(picked, update, &why);
    };
    view! {
        {advice_view}
        <div id="cluster-bulk" class="bulk-bar">
            <label>
                <input id="cluster-select-all" type="checkbox"
                    prop:checked=move || all.with_value(|a| t.checked.with(|c| !a.is_empty() && a.iter().all(|i| c.contains(i))))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        t.checked.set(if on { all.get_value().into_iter().collect() } else { SortedSet::new() });
                    } />
                " All alerts"
            </label>
            <RequiresScope scope=scopes::ALERT_WRITE>
                <select id="cluster-bulk-action" on:change=move |ev| change.set(match event_target_value(&ev).as_str() {
                    "assign" => Change::AssignMe,
                    "resolve" => Change::Resolve,
                    "fp" => Change::FalsePositive,
                    _ => Change::InProgress,
                })>
                    <option value="progress">"Set in progress"</option>
                    <option value="assign">"Assign to me"</option>
                    <option value="resolve">"Resolve"</option>
                    <option value="fp">"Resolve as false positive (not malicious)"</option>
                </select>
                " "
                <input id="cluster-bulk-comment" type="text" placeholder="Why? Added as a comment to each alert"
                    prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev)) />
                " "
                <button id="cluster-bulk-apply" class="primary"
                    disabled=move || t.bulk.running.get() || t.checked.with(SortedSet::is_empty) on:click=apply>
                    {move || format!("Apply to {}", t.checked.with(SortedSet::len))}
                </button>
            </RequiresScope>
            <BulkStatus state=t.bulk prefix="cluster-bulk" />
            {move || problem.get().map(|p| view! { <span class="error" role="alert">{p}</span> })}
        </div>
    }
}
