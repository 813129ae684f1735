//! The virtualised table: only the visible rows are in the DOM.

use vigil_core::sorted::SortedSet;

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::models::*;
use vigil_core::queue::Column;
use vigil_core::queue::chips::{humanize, service_label};
use vigil_core::queue::export::thousands;
use vigil_core::queue::layout::Line;
use vigil_core::queue::table::{Group, visible_range};

use crate::components::queue::{severity_badge, time_or_dash};

use super::{Q, ROW_H, ROW_PX, toggle_checked};

#[component]
pub(super) fn QueueTable(q: Q) -> impl IntoView {
    let viewport_h = RwSignal::new(600.0);
    let columns = Memo::new(move |_| q.filter.with(|f| f.normalized().columns));
    let template = move || {
        let mut t = String::from("32px");
        for c in columns.get() {
            t.push(' ');
            t.push_str(match c {
                Column::Title => "minmax(220px, 3fr)",
                Column::Severity | Column::Status => "110px",
                Column::Created | Column::Updated => "150px",
                _ => "minmax(100px, 1fr)",
            });
        }
        t
    };
    // The rows to render; a scroll within the same rows renders nothing. Rows are rendered in
    // the frame of the scroll event, so a small overscan (for keyboard moves) is enough.
    let range = Memo::new(move |_| {
        visible_range(
            q.scroll_top.get(),
            viewport_h.get(),
            ROW_H,
            q.groups.with(|(_, l)| l.len()),
            3,
        )
    });
    let lines = Memo::new(move |_| {
        let version = q.handle.version.get();
        let range = range.get();
        let cursor = q.cursor.get();
        let selected = q.filter.with(|f| f.selected.clone());
        q.handle.table.with_value(|t| {
            q.view.with(|v| {
                q.groups.with(|(_, layout)| {
                    q.checked.with(|checked| {
                        range
                            .map(|k| match layout.line(k) {
                                Line::Header { group } => LineKey::Header { k, group, version },
                                Line::Row { pos } => {
                                    let id = t.row(v[pos]).id.clone();
                                    LineKey::Row {
                                        k,
                                        pos,
                                        cursor: pos == cursor,
                                        open: selected.as_ref() == Some(&id),
                                        checked: checked.contains(&id),
                                        row: v[pos],
                                        id,
                                        version,
                                    }
                                }
                            })
                            .collect::<Vec<_>>()
                    })
                })
            })
        })
    });
    let on_scroll = move |ev: leptos::ev::Event| {
        if let Some(el) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        {
            q.scroll_top.set(f64::from(el.scroll_top()));
            viewport_h.set(f64::from(el.client_height()));
        }
    };
    view! {
        <div class="queue-table" role="grid" aria-rowcount=move || q.view.with(Vec::len).to_string()>
            <div class="qrow qhead" role="row" style:grid-template-columns=template>
                <span role="columnheader">
                    <input type="checkbox" id="check-all" aria-label="Select all shown"
                        prop:checked={move || { let n = q.view.with(Vec::len); n > 0 && q.checked.with(SortedSet::len) >= n }}
                        on:change=move |ev| {
                            if event_target_checked(&ev) {
                                let mut ids = SortedSet::<AlertId>::new();
                                q.handle.table.with_value(|t| q.view.with_untracked(|v| ids.extend(v.iter().map(|&i| t.row(i).id.clone()))));
                                q.checked.set(ids);
                            } else {
                                q.checked.set(SortedSet::new());
                            }
                        } />
                </span>
                {move || columns.get().into_iter().map(|c| {
                    let sort = q.filter.with(|f| f.sort);
                    let mark = if sort.column == c { if sort.descending { " ▼" } else { " ▲" } } else { "" };
                    let aria = if sort.column == c { if sort.descending { "descending" } else { "ascending" } } else { "none" };
                    view! {
                        <button role="columnheader" class="colhead" data-col=c.key() aria-sort=aria on:click=move |_| {
                            q.set(|f| f.sort = f.sort.clicked(c));
                        }>{format!("{}{mark}", c.label())}</button>
                    }
                }).collect_view()}
            </div>
            <div id="queue-scroll" class="queue-scroll" on:scroll=on_scroll>
                <div class="queue-body" style:height=move || format!("{}px", q.groups.with(|(_, l)| l.len()) * ROW_PX)>
                    {move || {
                        // Columns and grouping rebuild every line; otherwise a line is built
                        // only when its key changes (it scrolls in, its alert changes, the
                        // cursor, the open alert or its checkbox moves).
                        let cols = columns.get();
                        let template = template();
                        let group_col = q.filter.with(|f| f.group);
                        view! {
                            <For each=move || lines.get() key=|l| l.clone() children=move |l| {
                                render_line(q, l, &cols, &template, group_col)
                            } />
                        }
                    }}
                </div>
            </div>
            {move || (q.view.with(Vec::is_empty) && q.loading.get().is_none()).then(|| view! {
                <p id="queue-empty" class="muted">"No alerts match these filters. Remove a filter above to widen the view."</p>
            })}
        </div>
    }
}

/// Everything one rendered line shows depends on (with the columns and grouping, which
/// rebuild all lines).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum LineKey {
    Header {
        k: usize,
        group: usize,
        version: u64,
    },
    Row {
        k: usize,
        pos: usize,
        /// The table row.
        row: u32,
        id: AlertId,
        version: u64,
        cursor: bool,
        open: bool,
        checked: bool,
    },
}

/// One line of the table: a group header or an alert's row, placed at line `k`.
fn render_line(
    q: Q,
    line: LineKey,
    cols: &[Column],
    template: &str,
    group_col: Option<Column>,
) -> impl IntoView + use<> {
    match line {
        LineKey::Header { k, group, .. } => {
            let top = format!("translateY({}px)", k * ROW_PX);
            Either::Left(q.groups.with_untracked(|(groups, _)| {
                groups
                    .get(group)
                    .map(|g| group_header(q, g, group_col, top))
            }))
        }
        LineKey::Row {
            k,
            pos,
            row,
            id,
            cursor,
            open,
            checked,
            ..
        } => {
            let top = format!("translateY({}px)", k * ROW_PX);
            let mut class = String::from("qrow");
            if cursor {
                class.push_str(" cursor");
            }
            if open {
                class.push_str(" open");
            }
            let cells = q
                .handle
                .table
                .with_value(|t| cols.iter().map(|&c| cell(t, row, c)).collect_view());
            let id_click = id.clone();
            let id_check = id.clone();
            Either::Right(view! {
                <div class=class role="row" data-id=id.0.clone() data-pos=pos.to_string()
                    style:transform=top
                    style:grid-template-columns=template.to_owned()
                    on:click=move |_| { q.cursor.set(pos); q.select(Some(id_click.clone())); }>
                    <span role="gridcell" on:click=|ev| ev.stop_propagation()>
                        <input type="checkbox" class="row-check" aria-label="Select" prop:checked=checked
                            on:change=move |_| toggle_checked(q, id_check.clone()) />
                    </span>
                    {cells}
                </div>
            })
        }
    }
}

/// The header line of a group: its value, size and severity mix.
fn group_header(q: Q, g: &Group, column: Option<Column>, top: String) -> impl IntoView + use<> {
    let label = match column {
        _ if g.key.is_empty() => "(not set)".to_owned(),
        Some(Column::Provider) => service_label(&ServiceSource::parse(&g.key)),
        Some(
            Column::Severity
            | Column::Status
            | Column::Detection
            | Column::Classification
            | Column::Determination,
        ) => humanize(&g.key),
        _ => g.key.clone(),
    };
    let c = g.counts;
    let rows = g.rows.clone();
    let select = format!("Select these {}", thousands(g.rows.len() as u64));
    let mix = [
        ("high", c.high),
        ("medium", c.medium),
        ("low", c.low),
        ("informational", c.informational),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(s, n)| format!("{n} {s}"))
    .collect::<Vec<_>>()
    .join(", ");
    view! {
        <div class="qrow qgroup" role="row" data-group=g.key.clone() style:transform=top>
            <span role="rowheader" class="group-label">{label}</span>
            <span class="group-count">{format!("{} alert{}", thousands(g.rows.len() as u64), if g.rows.len() == 1 { "" } else { "s" })}</span>
            <span class="group-mix muted">{mix}</span>
            <button class="link group-select" on:click=move |_| {
                let ids: Vec<AlertId> = q.handle.table.with_value(|t| rows.iter().map(|&i| t.row(i).id.clone()).collect());
                q.checked.update(|c| c.extend(ids));
            }>{select}</button>
        </div>
    }
}

/// One cell as text (API strings are text nodes, never markup).
fn cell(t: &vigil_core::queue::Table, i: u32, c: Column) -> impl IntoView + use<> {
    let r = t.row(i);
    let inner = match c {
        Column::Severity => Either::Left(Either::Left(severity_badge(r.severity.as_ref()))),
        Column::Created => Either::Left(Either::Right(time_or_dash(r.created))),
        Column::Updated => Either::Left(Either::Right(time_or_dash(r.updated))),
        Column::Provider => {
            Either::Right(r.service.as_ref().map(service_label).unwrap_or_default())
        }
        Column::Status | Column::Classification | Column::Determination | Column::Detection => {
            Either::Right(humanize(&t.cell(i, c)))
        }
        _ => Either::Right(t.cell(i, c)),
    };
    let class = format!("qcell col-{}", c.key());
    view! { <span role="gridcell" class=class>{inner}</span> }
}
