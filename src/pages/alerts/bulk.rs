//! The bulk bar: one change applied to the selected alerts as a queued job.

use vigil_core::sorted::SortedSet;

use leptos::prelude::*;
use vigil_core::client::scopes;
use vigil_core::models::*;
use vigil_core::queue::bulk::{Alerts, BulkJob};

use crate::auth::use_auth;
use crate::components::RequiresScope;
use crate::components::queue::{BulkState, BulkStatus};

use super::Q;

#[derive(Clone, Copy, PartialEq)]
enum BulkAction {
    AssignMe,
    InProgress,
    Resolve,
    FalsePositive,
}

impl BulkAction {
    /// Resolving asks for a comment, added to each alert.
    fn resolves(self) -> bool {
        matches!(self, BulkAction::Resolve | BulkAction::FalsePositive)
    }
}

#[component]
pub(super) fn BulkBar(q: Q) -> impl IntoView {
    let auth = use_auth();
    let action = RwSignal::new(BulkAction::AssignMe);
    let bulk = BulkState::<Alerts>::new(
        move |confirmed| {
            q.handle.merge(confirmed);
        },
        move |id| q.handle.tenant_of(id),
        Callback::new(|_| {}),
    );
    let problem = RwSignal::new(None::<String>);
    let comment = RwSignal::new(String::new());
    let resolving = move || action.get().resolves();
    let start = move |_| {
        let why = comment.get_untracked();
        if action.get_untracked().resolves() && why.trim().is_empty() {
            problem.set(Some(
                "Resolving asks for a comment: say why, so the next analyst knows.".into(),
            ));
            return;
        }
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
                bulk.run(j.with_comment(&why))
            }
            Err(e) => problem.set(Some(e.user_message())),
        }
    };
    view! {
        {move || {
            let n = q.checked.with(SortedSet::len);
            let has_job = bulk.job.with(Option::is_some);
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
                        {move || resolving().then(|| view! {
                            <input id="bulk-comment" type="text" placeholder="Why? Added as a comment to each alert"
                                prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev)) />
                        })}
                        " "
                        <button id="bulk-apply" class="primary" disabled=move || bulk.running.get() || q.checked.with(SortedSet::is_empty) on:click=start>
                            {format!("Apply to {n}")}
                        </button>
                    </RequiresScope>
                    <button class="link" id="bulk-clear" on:click=move |_| { q.checked.set(SortedSet::new()); bulk.clear(); }>"Clear selection"</button>
                    <BulkStatus state=bulk prefix="bulk" />
                    {move || problem.get().map(|p| view! { <span class="error">{p}</span> })}
                </div>
            })
        }}
    }
}
