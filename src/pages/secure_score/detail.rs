//! The selected improvement action: what it is, its remediation (reduced to text and https
//! links), the action link, its state history, and the state form for users with the write
//! permission (the others see the form disabled, with why).

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::client::scopes;
use vigil_core::models::{ControlProfileUpdate, ControlState, SecureScoreControlProfile};
use vigil_core::score::{ActionRow, tenths};

use super::S;
use super::actions::state_label;
use super::remediation::Remediation;
use crate::auth::use_auth;
use crate::components::queue::{safe_href, time_or_dash};
use crate::components::{RequiresScope, Submit};

const STATES: [ControlState; 4] = [
    ControlState::Default,
    ControlState::Ignored,
    ControlState::ThirdParty,
    ControlState::Reviewed,
];

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), tenths)
}

#[component]
pub fn DetailPane(s: S) -> impl IntoView {
    // Outlives the pane's rebuilds (a save reloads the data), cleared when another action opens.
    let saved = RwSignal::new(None::<String>);
    Effect::watch(
        move || s.view.with(|v| v.action.clone()),
        move |_, _, _| saved.set(None),
        false,
    );
    let selected = move || {
        let name = s.view.with(|v| v.action.clone())?;
        let row = s.rows.with(|r| r.iter().find(|r| r.name == name).cloned());
        let profile = s.tenant.with(|t| {
            t.as_ref()
                .and_then(|t| t.profiles.iter().find(|p| p.id == name).cloned())
        });
        Some((name, row, profile))
    };
    view! {
        {move || selected().map(|(name, row, profile)| view! {
            <aside class="card action-detail" id="action-detail" data-control=name.clone()>
                <button class="link close" id="detail-close" on:click=move |_| s.edit(|v| v.action = None)>"Close"</button>
                {match row {
                    None => Either::Left(view! { <p class="muted">{format!("No action named {name} in this tenant.")}</p> }),
                    Some(row) => Either::Right(view! { <Detail s row profile saved /> }),
                }}
            </aside>
        })}
    }
}

#[component]
fn Detail(
    s: S,
    row: ActionRow,
    profile: Option<SecureScoreControlProfile>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let mut history = profile
        .as_ref()
        .map(|p| p.control_state_updates.clone())
        .unwrap_or_default();
    history.reverse();
    vigil_core::sort::by(&mut history, |a, b| {
        b.updated_date_time.cmp(&a.updated_date_time)
    });
    let impact = profile.as_ref().and_then(|p| p.remediation_impact.clone());
    let link = row.action_url.as_deref().and_then(safe_href);
    view! {
        <h2 id="detail-title">{row.display_title().to_owned()}</h2>
        <p class="muted">{row.name.clone()}
            {row.service.clone().map(|sv| format!(" · {sv}"))}
        </p>
        {(!row.has_profile).then(|| view! {
            <p class="muted" id="detail-no-profile">"Microsoft publishes no profile for this control: its name and score are all there is, so no title or remediation is shown."</p>
        })}
        <dl class="facts">
            {[
                ("Points", "", format!("{} of {}", opt(row.achieved), opt(row.max))),
                ("Remaining", "detail-remaining", opt(row.remaining)),
                ("Category", "", row.category.clone()),
                ("State", "detail-state", state_label(row.state_label()).to_owned()),
                ("Assigned to", "", row.assignee.clone().unwrap_or_else(|| "—".into())),
                ("Threats", "", if row.threats.is_empty() { "—".to_owned() } else { row.threats.join(", ") }),
            ].into_iter().map(|(k, id, v)| view! { <dt>{k}</dt><dd id=(!id.is_empty()).then_some(id)>{v}</dd> }).collect_view()}
        </dl>
        {row.remediation.clone().map(|html| view! { <h3>"Remediation"</h3> <Remediation html /> })}
        {impact.map(|i| view! { <p class="muted">{i}</p> })}
        {link.map(|href| view! {
            <p><a id="detail-action-link" href=href target="_blank" rel="noopener noreferrer">"Open this action in Microsoft Defender"</a></p>
        })}
        {row.has_profile.then(|| view! { <StateForm s row=row.clone() saved /> })}
        <h3>"History"</h3>
        {if history.is_empty() {
            Either::Left(view! { <p class="muted" id="detail-history">"No state change recorded."</p> })
        } else {
            Either::Right(view! {
                <ol class="history" id="detail-history">
                    {history.into_iter().map(|u| {
                        let state = u.state.as_ref().map_or("Default", ControlState::as_str).to_owned();
                        view! {
                            <li>
                                {time_or_dash(u.updated_date_time)}
                                " · " <strong>{state_label(&state).to_owned()}</strong>
                                {u.assigned_to.clone().filter(|a| !a.is_empty()).map(|a| format!(" · assigned to {a}"))}
                                {u.updated_by.clone().filter(|a| !a.is_empty()).map(|a| format!(" · by {a}"))}
                                {u.comment.clone().filter(|c| !c.is_empty()).map(|c| view! { <p class="comment">{c}</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            })
        }}
    }
}

#[component]
fn StateForm(s: S, row: ActionRow, saved: RwSignal<Option<String>>) -> impl IntoView {
    let auth = use_auth();
    let state = RwSignal::new(row.state_label().to_owned());
    let assignee = RwSignal::new(row.assignee.clone().unwrap_or_default());
    let comment = RwSignal::new(String::new());
    let name = StoredValue::new(row.name.clone());
    let send = Submit::new();
    let write = move |update: ControlProfileUpdate| {
        let tenant = s
            .tenant
            .with_untracked(|t| t.as_ref().map(|t| t.id.clone()));
        let client = tenant.and_then(|t| auth.client_for(&t));
        let id = name.get_value();
        async move {
            let client =
                client.ok_or_else(|| "Sign in to change improvement actions.".to_owned())?;
            client
                .update_control_profile(&id, &update)
                .await
                .map_err(|e| format!("Not saved: {}", auth.explain(&e)))?;
            let _ = saved.try_set(Some(
                "Saved. The score counts the new state from the next daily snapshot (24–48 hours)."
                    .into(),
            ));
            s.reload.try_update(|n| *n += 1);
            Ok(String::new())
        }
    };
    let busy = move || send.pending();
    let error = move || (!busy()).then(|| send.error())?;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let mut u = ControlProfileUpdate::new();
        u.state = Some(ControlState::parse(&state.get_untracked()));
        let who = assignee.get_untracked();
        u.assigned_to = (!who.trim().is_empty()).then(|| who.trim().to_owned());
        let c = comment.get_untracked();
        u.comment = (!c.trim().is_empty()).then(|| c.trim().to_owned());
        send.start(write(u));
    };
    view! {
        <h3>"Status"</h3>
        <RequiresScope scope=scopes::EVENTS_WRITE>
            <form id="state-form" class="state-form" on:submit=submit>
                <label>"State "
                    <select id="state-select" prop:value=move || state.get() on:change=move |ev| state.set(event_target_value(&ev))>
                        {STATES.iter().map(|st| view! {
                            <option value=st.as_str()>{state_label(st.as_str()).to_owned()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>"Assigned to "
                    <input type="text" id="state-assignee" prop:value=move || assignee.get()
                        on:input=move |ev| assignee.set(event_target_value(&ev)) placeholder="Unassigned" />
                </label>
                <label class="block">"Comment "
                    <textarea id="state-comment" rows="2" prop:value=move || comment.get()
                        on:input=move |ev| comment.set(event_target_value(&ev))
                        placeholder="Why? (kept in the action's history)"></textarea>
                </label>
                <button type="submit" id="state-save" class="primary" disabled=busy>
                    {move || if busy() { "Saving…" } else { "Save" }}
                </button>
                {move || saved.get().map(|m| view! { <span id="state-saved" class="ok">" " {m}</span> })}
                {move || error().map(|e| view! { <p id="state-error" class="error" role="alert">{e}</p> })}
            </form>
        </RequiresScope>
    }
}
