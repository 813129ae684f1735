//! The column chooser (which columns, in which order) and the group-by choice. Both live in
//! the URL (`cols=`, `group=`), so a shared link shows the same table.

use leptos::prelude::*;
use vigil_core::queue::Column;

use super::Q;

/// Columns a queue can be grouped by: all but the title and the id, which are nearly unique.
fn groupable() -> impl Iterator<Item = Column> {
    Column::ALL
        .into_iter()
        .filter(|c| !matches!(c, Column::Title | Column::Id | Column::Updated))
}

#[component]
pub(super) fn GroupBy(q: Q) -> impl IntoView {
    let current = move || {
        q.filter
            .with(|f| f.group.map(Column::key).unwrap_or_default())
    };
    view! {
        <label>"Group by "
            <select id="group-by" prop:value=current on:change=move |ev| {
                let v = event_target_value(&ev);
                q.set(|f| f.group = Column::parse(&v));
            }>
                <option value="" selected=move || current().is_empty()>"Nothing"</option>
                {groupable().map(|c| {
                    let label = if c == Column::Created { "Created (day)" } else { c.label() };
                    view! { <option value=c.key() selected=move || current() == c.key()>{label}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub(super) fn ColumnChooser(q: Q) -> impl IntoView {
    let shown = Memo::new(move |_| q.filter.with(|f| f.normalized().columns));
    let change = move |edit: &dyn Fn(&mut Vec<Column>)| {
        let mut cols = shown.get_untracked();
        edit(&mut cols);
        if !cols.is_empty() {
            q.set(|f| f.columns = cols);
        }
    };
    view! {
        <details id="column-chooser" class="menu">
            <summary>"Columns"</summary>
            <div class="menu-body">
                <p class="muted">"Shown columns, in order. The table, the link and CSV export follow it."</p>
                <ol class="column-list">
                    {move || {
                        let cols = shown.get();
                        let n = cols.len();
                        cols.iter().copied().enumerate().map(|(k, c)| view! {
                            <li data-col=c.key()>
                                <label>
                                    <input type="checkbox" checked disabled=n == 1
                                        on:change=move |_| change(&|v: &mut Vec<Column>| v.retain(|x| *x != c)) />
                                    " " {c.label()}
                                </label>
                                <button class="icon move-up" aria-label=format!("Move {} left", c.label()) disabled=k == 0
                                    on:click=move |_| change(&|v: &mut Vec<Column>| v.swap(k, k - 1))>"↑"</button>
                                <button class="icon move-down" aria-label=format!("Move {} right", c.label()) disabled=k + 1 == n
                                    on:click=move |_| change(&|v: &mut Vec<Column>| v.swap(k, k + 1))>"↓"</button>
                            </li>
                        }).collect_view()
                    }}
                </ol>
                <ul class="column-hidden">
                    {move || {
                        let cols = shown.get();
                        Column::ALL.into_iter().filter(|c| !cols.contains(c)).map(|c| view! {
                            <li data-col=c.key()>
                                <label>
                                    <input type="checkbox" on:change=move |_| change(&|v: &mut Vec<Column>| v.push(c)) />
                                    " " {c.label()}
                                </label>
                            </li>
                        }).collect_view()
                    }}
                </ul>
                <button id="columns-reset" on:click=move |_| q.set(|f| f.columns = Column::DEFAULT.to_vec())>"Default columns"</button>
            </div>
        </details>
    }
}
