//! The improvement actions: every control profile (and every scored control without one) as a
//! table with search, sort, filters and grouping from the URL; a tick marks an action planned.

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::models::ControlState;
use vigil_core::score::{ActionFilter, ActionRow, CATEGORIES, Group, tenths};

use super::S;
use super::store;
use super::view::{group_name, parse_group, parse_sort, sort_name};

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
    let Some(t) = s
        .tenant
        .with_untracked(|t| t.as_ref().map(|t| t.id.clone()))
    else {
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
            {cells(r).into_iter().map(|(class, text)| view! { <td class=class>{text}</td> }).collect_view()}
        </tr>
    }
}

const COLUMNS: [&str; 12] = [
    "Plan",
    "Action",
    "Points",
    "Remaining",
    "Category",
    "Tier",
    "Cost",
    "User impact",
    "Threats",
    "Rank",
    "State",
    "Assigned to",
];

/// The plain cells of a row after the title: (class, text).
fn cells(r: &ActionRow) -> [(&'static str, String); 10] {
    [
        ("num", format!("{} / {}", opt(r.achieved), opt(r.max))),
        ("num", opt(r.remaining)),
        ("", r.category.clone()),
        ("", r.tier.clone().unwrap_or_default()),
        ("", r.implementation_cost.clone().unwrap_or_default()),
        ("", r.user_impact.clone().unwrap_or_default()),
        ("threats", r.threats.join(", ")),
        ("num", r.rank.map(|x| x.to_string()).unwrap_or_default()),
        ("", state_label(r.state_label()).to_owned()),
        ("", r.assignee.clone().unwrap_or_default()),
    ]
}

/// `(value, label)` options of a select.
fn options(items: &'static [(&'static str, &'static str)]) -> impl IntoView {
    items
        .iter()
        .map(|(v, l)| view! { <option value=*v>{*l}</option> })
        .collect_view()
}

const SORTS: &[(&str, &str)] = &[
    ("remaining", "Remaining points"),
    ("rank", "Rank"),
    ("category", "Category"),
    ("state", "State"),
    ("title", "Title"),
];

const GROUPS: &[(&str, &str)] = &[
    ("", "None"),
    ("category", "Category"),
    ("state", "State"),
    ("tier", "Tier"),
];

const STATE_OPTIONS: &[(&str, &str)] = &[
    ("", "Any"),
    ("Default", "Default"),
    ("Ignored", "Risk accepted"),
    ("ThirdParty", "Third party"),
    ("Reviewed", "Reviewed"),
];

fn head() -> impl IntoView {
    view! {
        <thead><tr>{COLUMNS.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view()}</tr></thead>
    }
}

#[component]
pub fn ActionsTable(s: S) -> impl IntoView {
    let v = s.view;
    // Sorted and filtered positions, and the groups when grouping.
    let shown = Memo::new_with_compare(
        move |_| {
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
        },
        |_, _| true,
    );
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
                        {options(STATE_OPTIONS)}
                    </select>
                </label>
                <label>"Sort "
                    <select id="action-sort" prop:value=move || sort_name(v.get().sort)
                        on:change=move |ev| { let c = event_target_value(&ev); s.edit(|x| x.sort = parse_sort(&c)) }>
                        {options(SORTS)}
                    </select>
                </label>
                <label>"Group "
                    <select id="action-group" prop:value=move || group_name(v.get().group)
                        on:change=move |ev| { let c = event_target_value(&ev); s.edit(|x| x.group = parse_group(&c)) }>
                        {options(GROUPS)}
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
