//! The virtualised table: only the visible rows are in the DOM, kept and rewritten in place by
//! [`super::lines`]; the body's two listeners act for every row.

use vigil_core::sorted::SortedSet;

use leptos::prelude::*;
use vigil_core::models::*;
use vigil_core::queue::Column;
use vigil_core::queue::layout::Line;
use vigil_core::queue::table::visible_range;
use wasm_bindgen::JsCast;

use super::lines::{LineKey, Lines, Look};
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
    let zone = crate::prefs::use_prefs().time_zone;
    let body = NodeRef::<leptos::html::Div>::new();
    let kept = StoredValue::new_local(Lines::default());
    Effect::new(move |_| {
        let look = Look {
            cols: columns.get(),
            template: template(),
            group_col: q.filter.with(|f| f.group),
            zone: zone.get(),
        };
        let lines = lines.get();
        let Some(body) = body.get() else {
            return;
        };
        q.groups.with_untracked(|(groups, _)| {
            q.handle.table.with_value(|t| {
                kept.update_value(|k| k.show(&body, groups, t, lines, look));
            })
        });
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
                <div class="queue-body" node_ref=body style:height=move || format!("{}px", q.groups.with(|(_, l)| l.len()) * ROW_PX)
                    on:click=move |ev| clicked(q, &ev) on:change=move |ev| changed(q, &ev)></div>
            </div>
            {move || (q.view.with(Vec::is_empty) && q.loading.get().is_none()).then(|| view! {
                <p id="queue-empty" class="muted">"No alerts match these filters. Remove a filter above to widen the view."</p>
            })}
        </div>
    }
}

/// The element an event of the body came from, and the nearest of it matching `selector`.
fn from(ev: &web_sys::Event, selector: &str) -> Option<web_sys::Element> {
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    target.closest(selector).ok().flatten()
}

/// A click in the body: a group's "Select these", or a row (not its checkbox's cell) opened.
fn clicked(q: Q, ev: &web_sys::MouseEvent) {
    if let Some(b) = from(ev, ".group-select") {
        let group = b
            .get_attribute("data-index")
            .and_then(|i| i.parse::<usize>().ok());
        let rows = q
            .groups
            .with_untracked(|(groups, _)| group.and_then(|g| groups.get(g)).map(|g| g.rows.clone()))
            .unwrap_or_default();
        let ids: Vec<AlertId> = q
            .handle
            .table
            .with_value(|t| rows.iter().map(|&i| t.row(i).id.clone()).collect());
        q.checked.update(|c| c.extend(ids));
        return;
    }
    if from(ev, ".check-cell").is_some() {
        return;
    }
    let Some(row) = from(ev, ".qrow[data-pos]") else {
        return;
    };
    let pos = row.get_attribute("data-pos").and_then(|p| p.parse().ok());
    if let (Some(pos), Some(id)) = (pos, row.get_attribute("data-id")) {
        q.cursor.set(pos);
        q.select(Some(AlertId::new(id)));
    }
}

/// A row's checkbox ticked or cleared.
fn changed(q: Q, ev: &web_sys::Event) {
    if from(ev, ".row-check").is_none() {
        return;
    }
    if let Some(id) = from(ev, ".qrow").and_then(|r| r.get_attribute("data-id")) {
        toggle_checked(q, AlertId::new(id));
    }
}
