//! The incident bulk bar: one change applied to the selected incidents as a queued job, 20 per
//! `$batch`, with a result per incident and a retry of the failures.

use vigil_core::sorted::SortedSet;

use leptos::prelude::*;
use vigil_core::client::scopes;
use vigil_core::models::{IncidentId, IncidentStatus, IncidentUpdate};
use vigil_core::queue::bulk::{IncidentJob, Incidents};

use crate::auth::use_auth;
use crate::components::RequiresScope;
use crate::components::queue::{BulkState, BulkStatus};

#[derive(Clone, Copy, PartialEq)]
enum Action {
    AssignMe,
    InProgress,
    Resolve,
}

#[component]
pub(super) fn IncidentBulkBar(
    checked: RwSignal<SortedSet<IncidentId>>,
    /// Called after a job ends, to read the list again.
    on_done: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let action = RwSignal::new(Action::AssignMe);
    let comment = RwSignal::new(String::new());
    // The incident queue shows the active tenant's incidents.
    let bulk = BulkState::<Incidents>::new(|_| {}, |_| None, on_done);
    let problem = RwSignal::new(None::<String>);
    let start = move |_| {
        let ids: Vec<IncidentId> = checked.get_untracked().into_iter().collect();
        let me = auth.account().map(|a| a.username);
        let update = match action.get_untracked() {
            Action::AssignMe => IncidentUpdate {
                assigned_to: Some(me),
                ..Default::default()
            },
            Action::InProgress => IncidentUpdate {
                status: Some(IncidentStatus::InProgress),
                ..Default::default()
            },
            Action::Resolve => {
                let why = comment.get_untracked().trim().to_owned();
                if why.is_empty() {
                    problem.set(Some(
                        "Resolving asks for a comment: say why, so the next analyst knows.".into(),
                    ));
                    return;
                }
                IncidentUpdate {
                    status: Some(IncidentStatus::Resolved),
                    resolving_comment: Some(why),
                    ..Default::default()
                }
            }
        };
        match IncidentJob::new(ids, update) {
            Ok(j) => {
                problem.set(None);
                bulk.run(j)
            }
            Err(e) => problem.set(Some(e.user_message())),
        }
    };
    view! {
        {move || {
            let n = checked.with(SortedSet::len);
            let has_job = bulk.job.with(Option::is_some);
            (n > 0 || has_job).then(|| view! {
                <div id="incident-bulk-bar" class="bulk-bar">
                    <span id="incident-bulk-count">{format!("{n} selected")}</span>
                    <RequiresScope scope=scopes::INCIDENT_WRITE>
                        <select id="incident-bulk-action" on:change=move |ev| action.set(match event_target_value(&ev).as_str() {
                            "progress" => Action::InProgress,
                            "resolve" => Action::Resolve,
                            _ => Action::AssignMe,
                        })>
                            <option value="assign">"Assign to me"</option>
                            <option value="progress">"Set in progress"</option>
                            <option value="resolve">"Resolve (with a comment)"</option>
                        </select>
                        {move || (action.get() == Action::Resolve).then(|| view! {
                            <input id="incident-bulk-comment" type="text" placeholder="Why are these resolved?"
                                prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev)) />
                        })}
                        " "
                        <button id="incident-bulk-apply" class="primary" disabled=move || bulk.running.get() || checked.with(SortedSet::is_empty) on:click=start>
                            {format!("Apply to {n}")}
                        </button>
                    </RequiresScope>
                    <button class="link" id="incident-bulk-clear" on:click=move |_| { checked.set(SortedSet::new()); bulk.clear(); }>"Clear selection"</button>
                    <BulkStatus state=bulk prefix="incident-bulk" />
                    {move || problem.get().map(|p| view! { <span class="error" role="alert">{p}</span> })}
                </div>
            })
        }}
    }
}
