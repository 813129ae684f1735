//! The bulk bar: one change applied to the selected alerts as a queued job.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::client::scopes;
use vigil_core::models::*;
use vigil_core::queue::bulk::BulkJob;

use crate::auth::use_auth;
use crate::components::RequiresScope;

use super::Q;

#[derive(Clone, Copy, PartialEq)]
enum BulkAction {
    AssignMe,
    InProgress,
    Resolve,
    FalsePositive,
}

#[component]
pub(super) fn BulkBar(q: Q) -> impl IntoView {
    let auth = use_auth();
    let action = RwSignal::new(BulkAction::AssignMe);
    let job = RwSignal::new(None::<BulkJob>);
    let running = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let run = move |mut j: BulkJob| {
        let Some(client) = auth.client() else { return };
        running.set(true);
        job.set(Some(j.clone()));
        spawn_local(async move {
            j.run(&client, |now, confirmed| {
                let _ = job.try_set(Some(now.clone()));
                q.handle.merge(confirmed);
            })
            .await;
            let _ = job.try_set(Some(j));
            let _ = running.try_set(false);
        });
    };
    let start = move |_| {
        let ids: Vec<AlertId> = q.checked.get_untracked().into_iter().collect();
        let me = auth.account().map(|a| a.username);
        let update = match action.get_untracked() {
            BulkAction::AssignMe => AlertUpdate {
                assigned_to: Some(me),
                ..Default::default()
            },
            BulkAction::InProgress => AlertUpdate {
                status: Some(AlertStatus::InProgress),
                ..Default::default()
            },
            BulkAction::Resolve => AlertUpdate {
                status: Some(AlertStatus::Resolved),
                ..Default::default()
            },
            BulkAction::FalsePositive => AlertUpdate {
                status: Some(AlertStatus::Resolved),
                classification: Some(AlertClassification::FalsePositive),
                determination: Some(AlertDetermination::NotMalicious),
                ..Default::default()
            },
        };
        match BulkJob::new(ids, update) {
            Ok(j) => {
                problem.set(None);
                run(j)
            }
            Err(e) => problem.set(Some(e.user_message())),
        }
    };
    let retry = move |_| {
        if let Some(mut j) = job.get_untracked() {
            j.retry_failures();
            run(j);
        }
    };
    view! {
        {move || {
            let n = q.checked.with(BTreeSet::len);
            let has_job = job.with(Option::is_some);
            (n > 0 || has_job).then(|| view! {
                <div id="bulk-bar" class="bulk-bar">
                    <span id="bulk-count">{format!("{n} selected")}</span>
                    <RequiresScope scope=scopes::ALERT_WRITE>
                        <select id="bulk-action" on:change=move |ev| action.set(match event_target_value(&ev).as_str() {
                            "progress" => BulkAction::InProgress,
                            "resolve" => BulkAction::Resolve,
                            "fp" => BulkAction::FalsePositive,
                            _ => BulkAction::AssignMe,
                        })>
                            <option value="assign">"Assign to me"</option>
                            <option value="progress">"Set in progress"</option>
                            <option value="resolve">"Resolve"</option>
                            <option value="fp">"Resolve as false positive (not malicious)"</option>
                        </select>
                        " "
                        <button id="bulk-apply" class="primary" disabled=move || running.get() || q.checked.with(BTreeSet::is_empty) on:click=start>
                            {format!("Apply to {n}")}
                        </button>
                    </RequiresScope>
                    <button class="link" id="bulk-clear" on:click=move |_| { q.checked.set(BTreeSet::new()); job.set(None); }>"Clear selection"</button>
                    {move || job.get().map(|j| {
                        let p = j.progress();
                        let failures: Vec<(String, String)> = j.failures().map(|(i, m)| (i.0.clone(), m.to_owned())).collect();
                        view! {
                            <span id="bulk-progress" role="status" data-done=p.is_finished().to_string()>{p.describe()}</span>
                            {(!failures.is_empty() && !running.get()).then(|| view! {
                                <button id="bulk-retry" on:click=retry>{format!("Retry {} failed", failures.len())}</button>
                            })}
                            <ul id="bulk-failures" class="failures">
                                {failures.into_iter().map(|(id, m)| view! { <li><code>{id}</code> ": " {m}</li> }).collect_view()}
                            </ul>
                        }
                    })}
                    {move || problem.get().map(|p| view! { <span class="error">{p}</span> })}
                </div>
            })
        }}
    }
}
