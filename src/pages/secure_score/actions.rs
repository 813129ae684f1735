//! The improvement actions: every control profile (and every scored control without one) as a
//! table with search, sort, filters and grouping from the URL; a tick marks an action planned.

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::models::ControlState;
use vigil_core::score::{ActionFilter, ActionRow, CATEGORIES, Group, tenths};

use super::S;
use super::store;
use super::view::{group_name, parse_group, parse_sort, sort_name};

const STATES: [&str; 4] = ["Default", "Ignored", "ThirdParty", "Reviewed"];

/// A state as a person reads it.
pub fn state_label(wire: &str) -> &str {
    match wire {
        "Ignored" => "Risk accepted",
        "ThirdParty" => "Third party",
        "Reviewed" => "Reviewed",
        "Default" => "Default",
        other => other,
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), tenths)
}

/// Whole tenths, for the tests to compare without floats (`data-remaining`).
pub fn tenths_attr(v: Option<f64>) -> String {
    v.map(|v| ((v * 10.0).round() as i64).to_string())
        .unwrap_or_default()
}

/// Why planning this action adds nothing, if it does not.
fn plan_note(r: &ActionRow) -> Option<&'static str> {
    match r.state {
        _ if !r.scored => Some("not scored for this tenant"),
        Some(ControlState::Ignored) => Some("risk accepted: earns no points"),
        Some(ControlState::ThirdParty) => Some("resolved through a third party: already counted"),
        _ if r.remaining.is_none() => Some("no published maximum"),
        _ => None,
    }
}

fn toggle_plan(s: S, name: &str, on: bool) {
    let Some(t) = s.tenant.with_untracked(|t| t.as_ref().map(|t| t.id.clone())) else {
        return;
    };
    s.planned.update(|p| {
        p.retain(|x| x != name);
        if on {
            p.push(name.to_owned());
        }
        store::save_planned(&t, p);
    });
}

fn row(s: S, r: &ActionRow) -> impl IntoView + use<> {
    let name = r.name.clone();
    let n2 = name.clone();
    let n3 = name.clone();
    let planned = move || s.planned.with(|p| p.contains(&n2));
    let selected = move || s.view.with(|v| v.action.as_deref() == Some(n3.as_str()));
    let open = {
        let name = name.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let name = name.clone();
            s.edit(move |v| v.action = Some(name));
        }
    };
    let href = crate::router::href(&format!(
        "/secure-score?action={}",
        vigil_core::url::form_encode(&name)
    ));
    let note = plan_note(r);
    let plan_name = name.clone();
    view! {
        <tr class="action-row" data-control=name.clone() data-remaining=tenths_attr(r.remaining)
            data-state=r.state_label().to_owned() class:selected=selected>
            <td><input type="checkbox" class="plan" data-control=name.clone() title=note.unwrap_or("Plan this action")
                aria-label=format!("Plan {}", r.display_title()) prop:checked=planned
                on:change=move |ev| toggle_plan(s, &plan_name, event_target_checked(&ev)) /></td>
            <td class="action-title">
                <a href=href on:click=open>{r.display_title().to_owned()}</a>
                {(!r.has_profile).then(|| view! { " " <span class="muted">"(no profile published)"</span> })}
                {(!r.scored).then(|| view! { " " <span class="badge">"not licensed"</span> })}
                {r.deprecated.then(|| view! { " " <span class="badge">"deprecated"</span> })}
            </td>
            <td class="num">{format!("{} / {}", opt(r.achieved), opt(r.max))}</td>
            <td class="num">{opt(r.remaining)}</td>
            <td>{r.category.clone()}</td>
            <td>{r.tier.clone().unwrap_or_default()}</td>
            <td>{r.implementation_cost.clone().unwrap_or_default()}</td>
            <td>{r.user_impact.clone().unwrap_or_default()}</td>
            <td class="threats">{r.threats.join(", ")}</td>
            <td class="num">{r.rank.map(|x| x.to_string()).unwrap_or_default()}</td>
            <td>{state_label(r.state_label()).to_owned()}</td>
            <td>{r.assignee.clone().unwrap_or_default()}</td>
        </tr>
    }
}

fn head() -> impl IntoView {
    view! {
        <thead><tr>
            <th scope="col">"Plan"</th><th scope="col">"Action"</th><th scope="col">"Points"</th>
            <th scope="col">"Remaining"</th><th scope="col">"Category"</th><th scope="col">"Tier"</th>
            <th scope="col">"Cost"</th><th scope="col">"User impact"</th><th scope="col">"Threats"</th>
            <th scope="col">"Rank"</th><th scope="col">"State"</th><th scope="col">"Assigned to"</th>
        </tr></thead>
    }
}

#[component]
pub fn ActionsTable(s: S) -> impl IntoView {
    let v = s.view;
    // Sorted and filtered positions, and the groups when grouping.
    let shown = Memo::new(move |_| {
        let view = v.get();
        let mut rows: Vec<ActionRow> = s.rows.with(|r| r.as_ref().clone());
        view.sort.apply(&mut rows);
        let f = ActionFilter {
            text: view.text.clone(),
            category: view.category.clone(),
            state: view.state.clone(),
            include_deprecated: view.all,
            include_unscored: view.all,
        };
        let pos = f.apply(&rows);
        let groups: Option<Vec<Group>> = view.group.map(|g| g.apply(&rows, &pos));
        (rows, pos, groups)
    });
    let categories = move || {
        let mut c: Vec<String> = CATEGORIES.iter().map(|c| (*c).to_owned()).collect();
        s.rows.with(|r| {
            for x in r.iter() {
                if !c.contains(&x.category) {
                    c.push(x.category.clone());
                }
            }
        });
        c
    };
    view! {
        <section class="card score-actions" id="score-actions">
            <h2>"Improvement actions"</h2>
            <div class="toolbar">
                <input type="search" id="action-search" placeholder="Search title, category, threat"
                    prop:value=move || v.get().text
                    on:input=move |ev| { let t = event_target_value(&ev); s.edit(|x| x.text = t) } />
                <label>"Category "
                    <select id="action-category" prop:value=move || v.get().category.unwrap_or_default()
                        on:change=move |ev| { let c = event_target_value(&ev); s.edit(|x| x.category = (!c.is_empty()).then_some(c)) }>
                        <option value="">"Any"</option>
                        {move || categories().into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"State "
                    <select id="action-state" prop:value=move || v.get().state.unwrap_or_default()
                        on:change=move |ev| { let c = event_target_value(&ev); s.edit(|x| x.state = (!c.is_empty()).then_some(c)) }>
                        <option value="">"Any"</option>
                        {STATES.iter().map(|w| view! { <option value=*w>{state_label(w).to_owned()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Sort "
                    <select id="action-sort" prop:value=move || sort_name(v.get().sort)
                        on:change=move |ev| { let c = event_target_value(&ev); s.edit(|x| x.sort = parse_sort(&c)) }>
                        <option value="remaining">"Remaining points"</option>
                        <option value="rank">"Rank"</option>
                        <option value="category">"Category"</option>
                        <option value="state">"State"</option>
                        <option value="title">"Title"</option>
                    </select>
                </label>
                <label>"Group "
                    <select id="action-group" prop:value=move || group_name(v.get().group)
                        on:change=move |ev| { let c = event_target_value(&ev); s.edit(|x| x.group = parse_group(&c)) }>
                        <option value="">"None"</option>
                        <option value="category">"Category"</option>
                        <option value="state">"State"</option>
                        <option value="tier">"Tier"</option>
                    </select>
                </label>
                <label><input type="checkbox" id="action-all" prop:checked=move || v.get().all
                    on:change=move |ev| { let on = event_target_checked(&ev); s.edit(|x| x.all = on) } />
                    " Deprecated and not licensed too"</label>
            </div>
            <p class="muted" id="action-count">{move || shown.with(|(rows, pos, _)| format!("{} of {} actions", pos.len(), rows.len()))}</p>
            <div class="table-scroll">
                <table class="actions-table" id="actions-table">
                    {head()}
                    {move || shown.with(|(rows, pos, groups)| match groups {
                        None => Either::Left(view! {
                            <tbody>{pos.iter().map(|&i| row(s, &rows[i])).collect_view()}</tbody>
                        }),
                        Some(groups) => Either::Right(groups.iter().map(|g| view! {
                            <tbody class="action-group">
                                <tr class="group-head"><th colspan="12" scope="rowgroup">
                                    {format!("{} · {} actions · {} points remaining", g.key, g.rows.len(), tenths(g.remaining))}
                                </th></tr>
                                {g.rows.iter().map(|&i| row(s, &rows[i])).collect_view()}
                            </tbody>
                        }).collect_view()),
                    })}
                </table>
            </div>
        </section>
    }
}
