//! The virtualised table: only the visible rows are in the DOM.

use vigil_core::sorted::SortedSet;

use leptos::prelude::*;
use vigil_core::models::*;
use vigil_core::queue::Column;
use vigil_core::queue::chips::{humanize, service_label};
use vigil_core::queue::export::thousands;
use vigil_core::queue::layout::Line;
use vigil_core::queue::table::{Group, Table, visible_range};
use wasm_bindgen::JsCast;

use crate::components::dom::{H, el, live, text, tx};
use crate::components::queue::severity_look;
use crate::prefs::TimeZone;
use crate::time::{format_instant, offset_label};

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
                <div class="queue-body" style:height=move || format!("{}px", q.groups.with(|(_, l)| l.len()) * ROW_PX)
                    on:click=move |ev| clicked(q, &ev) on:change=move |ev| changed(q, &ev)>
                    {live(move || {
                        // Every line is drawn again when any changes: as the floor list of
                        // issue #18 does, and cheaper than keeping each line's own view.
                        let cols = columns.get();
                        let template = template();
                        let group_col = q.filter.with(|f| f.group);
                        let zone = zone.get();
                        let lines = lines.get();
                        q.handle.table.with_value(|t| {
                            el("div").cls("live").kids(
                                lines
                                    .into_iter()
                                    .map(|l| line(q, t, l, &cols, &template, group_col, zone))
                                    .collect(),
                            )
                        })
                    })}
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

/// One line of the table: a group header or an alert's row, placed at line `k`. Rows carry no
/// listeners: the body's own ([`clicked`], [`changed`]) find the row an event came from.
fn line(
    q: Q,
    t: &Table,
    line: LineKey,
    cols: &[Column],
    template: &str,
    group_col: Option<Column>,
    zone: TimeZone,
) -> H {
    match line {
        LineKey::Header { k, group, .. } => q.groups.with_untracked(|(groups, _)| {
            groups.get(group).map_or_else(
                || text(""),
                |g| group_header(g, group, group_col).built(place(k, None)),
            )
        }),
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
            let mut class = String::from("qrow");
            if cursor {
                class.push_str(" cursor");
            }
            if open {
                class.push_str(" open");
            }
            let check = el("input")
                .attr("type", "checkbox")
                .cls("row-check")
                .attr("aria-label", "Select")
                .flag("checked", checked);
            el("div")
                .cls(&class)
                .attr("role", "row")
                .attr("data-id", &id.0)
                .attr("data-pos", &pos.to_string())
                .child(
                    el("span")
                        .cls("check-cell")
                        .attr("role", "gridcell")
                        .child(check),
                )
                .kids(cols.iter().map(|&c| cell(t, row, c, zone)).collect())
                .built(place(k, Some(template.to_owned())))
        }
    }
}

/// Puts a line at line `k` of the body, with the columns' template (a row's), through the CSS
/// object model (the CSP refuses style attributes).
fn place(k: usize, template: Option<String>) -> impl FnOnce(&web_sys::Element) + 'static {
    move |e| {
        let style = e.unchecked_ref::<web_sys::HtmlElement>().style();
        let _ = style.set_property("transform", &format!("translateY({}px)", k * ROW_PX));
        if let Some(t) = template {
            let _ = style.set_property("grid-template-columns", &t);
        }
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

/// The header line of a group (the `index`th): its value, size and severity mix.
fn group_header(g: &Group, index: usize, column: Option<Column>) -> H {
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
    let n = g.rows.len();
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
    let count = format!(
        "{} alert{}",
        thousands(n as u64),
        if n == 1 { "" } else { "s" }
    );
    el("div")
        .cls("qrow qgroup")
        .attr("role", "row")
        .attr("data-group", &g.key)
        .child(tx("span", "group-label", &label).attr("role", "rowheader"))
        .child(tx("span", "group-count", &count))
        .child(tx("span", "group-mix muted", &mix))
        .child(
            tx(
                "button",
                "link group-select",
                &format!("Select these {}", thousands(n as u64)),
            )
            .attr("data-index", &index.to_string()),
        )
}

/// One cell as text (API strings are text nodes, never markup).
fn cell(t: &Table, i: u32, c: Column, zone: TimeZone) -> H {
    let r = t.row(i);
    let inner = match c {
        Column::Severity => {
            let (class, label) = severity_look(r.severity.as_ref());
            tx("span", &class, &label)
        }
        Column::Created => time(r.created, zone),
        Column::Updated => time(r.updated, zone),
        Column::Provider => text(&r.service.as_ref().map(service_label).unwrap_or_default()),
        Column::Status | Column::Classification | Column::Determination | Column::Detection => {
            text(&humanize(&t.cell(i, c)))
        }
        _ => text(&t.cell(i, c)),
    };
    el("span")
        .attr("role", "gridcell")
        .cls(&format!("qcell col-{}", c.key()))
        .child(inner)
}

/// An instant in the user's time zone with the offset on hover (as `components::Time`), or a
/// dash.
fn time(d: Option<DateTime>, zone: TimeZone) -> H {
    match d {
        Some(d) => {
            let ms = d.unix_millis() as f64;
            el("time")
                .attr("title", &offset_label(ms, zone))
                .t(&format_instant(ms, zone))
        }
        None => tx("span", "muted", "—"),
    }
}
