//! The table body's lines: one kept element per visible line, rewritten in place when the line it
//! shows changes (a scroll, the cursor, a checkbox, a page loaded), so that a scroll writes a few
//! properties per line instead of building new elements. Measured 2026-12-03 with 20,000 alerts
//! (`tests/bench/queue.mjs load`, 3 runs each, the script's time from a scroll event to the next
//! frame): building each of the 22 lines anew took 11 to 15 ms (median frame), and scrolling
//! dropped every other frame (p95 33.4 ms); rewriting them takes 6 to 7 ms, and the p95 frame is
//! 16.8 ms, the floor list's. Group headers are rare and are built anew. Rows have no listeners:
//! the body's own find the row an event came from (`super::table`).

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

use vigil_core::models::{AlertId, DateTime, ServiceSource};
use vigil_core::queue::Column;
use vigil_core::queue::chips::{humanize, service_label};
use vigil_core::queue::export::thousands;
use vigil_core::queue::table::{Group, Table};

use crate::components::dom::{H, el, element, tx};
use crate::components::queue::severity_look;
use crate::prefs::TimeZone;
use crate::time::{format_instant, offset_label};

use super::ROW_PX;

/// Everything one line shows depends on, besides the [`Look`] of every line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum LineKey {
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

/// What every line is drawn with: when it changes, every line is built again.
#[derive(Clone, PartialEq)]
pub(super) struct Look {
    pub cols: Vec<Column>,
    /// The rows' `grid-template-columns`.
    pub template: String,
    pub group_col: Option<Column>,
    pub zone: TimeZone,
}

/// One kept line.
struct Slot {
    el: Element,
    /// A row's checkbox and, per column, the element its text goes in; `None` for a header.
    row: Option<(HtmlInputElement, Vec<Element>)>,
    shows: LineKey,
}

/// The kept lines, in the order of the lines they show.
#[derive(Default)]
pub(super) struct Lines {
    look: Option<Look>,
    slots: Vec<Slot>,
}

impl Lines {
    /// Shows `lines` in `body`: a line already shown is left alone, a row goes into a kept row's
    /// element, anything else is built.
    pub fn show(
        &mut self,
        body: &Element,
        groups: &[Group],
        t: &Table,
        lines: Vec<LineKey>,
        look: Look,
    ) {
        if self.look.as_ref() != Some(&look) {
            for s in self.slots.drain(..) {
                s.el.remove();
            }
            self.look = Some(look);
        }
        let Some(look) = self.look.as_ref() else {
            return;
        };
        let n = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let kept = self.slots.get(i);
            if kept.is_some_and(|s| s.shows == line) {
                continue;
            }
            let is_row = matches!(line, LineKey::Row { .. });
            if !(is_row && kept.is_some_and(|s| s.row.is_some())) {
                let slot = match &line {
                    LineKey::Header { k, group, .. } => {
                        header(groups, *group, *k, look, line.clone())
                    }
                    LineKey::Row { .. } => skeleton(look, line.clone()),
                };
                let _ = body.append_child(&slot.el);
                if let Some(old) = self.slots.get_mut(i) {
                    std::mem::replace(old, slot).el.remove();
                } else {
                    self.slots.push(slot);
                }
            }
            let slot = &mut self.slots[i];
            fill(slot, t, &line, look);
            slot.shows = line;
        }
        for s in self.slots.drain(n.min(self.slots.len())..) {
            s.el.remove();
        }
    }
}

/// A group's header line (the `index`th group), placed at line `k`: its value, size and
/// severity mix, and "Select these" (the body's listener reads `data-index`).
fn header(groups: &[Group], index: usize, k: usize, look: &Look, shows: LineKey) -> Slot {
    let h = groups
        .get(index)
        .map_or_else(|| el("div"), |g| group_header(g, index, look.group_col));
    let el = element(h);
    place(&el, k);
    Slot {
        el,
        row: None,
        shows,
    }
}

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

/// A row's elements, empty: its checkbox's cell, then a cell per column (a severity's badge and
/// an instant have an element of their own inside it).
fn skeleton(look: &Look, shows: LineKey) -> Slot {
    let cells = look.cols.iter().map(|c| {
        let cell = el("span")
            .attr("role", "gridcell")
            .cls(&format!("qcell col-{}", c.key()));
        match c {
            Column::Severity => cell.child(el("span")),
            Column::Created | Column::Updated => cell.child(el("time")),
            _ => cell,
        }
    });
    let check = el("input")
        .attr("type", "checkbox")
        .cls("row-check")
        .attr("aria-label", "Select");
    let row = el("div")
        .attr("role", "row")
        .child(
            el("span")
                .cls("check-cell")
                .attr("role", "gridcell")
                .child(check),
        )
        .kids(cells.collect());
    let el = element(row);
    let _ = el
        .unchecked_ref::<HtmlElement>()
        .style()
        .set_property("grid-template-columns", &look.template);
    let check_cell = el.first_element_child();
    let check = check_cell
        .as_ref()
        .and_then(Element::first_element_child)
        .map(JsCast::unchecked_into::<HtmlInputElement>);
    let mut targets = Vec::new();
    let mut next = check_cell.and_then(|c| c.next_element_sibling());
    while let Some(cell) = next {
        next = cell.next_element_sibling();
        targets.push(cell.first_element_child().unwrap_or(cell));
    }
    Slot {
        row: check.map(|c| (c, targets)),
        el,
        shows,
    }
}

/// Writes what a row shows into its kept elements.
fn fill(slot: &Slot, t: &Table, line: &LineKey, look: &Look) {
    let (
        LineKey::Row {
            k,
            pos,
            row,
            id,
            cursor,
            open,
            checked,
            ..
        },
        Some((check, targets)),
    ) = (line, &slot.row)
    else {
        return;
    };
    let mut class = String::from("qrow");
    if *cursor {
        class.push_str(" cursor");
    }
    if *open {
        class.push_str(" open");
    }
    let e = &slot.el;
    e.set_class_name(&class);
    let _ = e.set_attribute("data-id", &id.0);
    let _ = e.set_attribute("data-pos", &pos.to_string());
    place(e, *k);
    check.set_checked(*checked);
    let r = t.row(*row);
    for (&c, target) in look.cols.iter().zip(targets) {
        let said = match c {
            Column::Severity => {
                let (class, label) = severity_look(t.severity(r));
                target.set_class_name(&class);
                label
            }
            Column::Created => instant(target, r.created, look.zone),
            Column::Updated => instant(target, r.updated, look.zone),
            Column::Provider => t.service(r).map(service_label).unwrap_or_default(),
            Column::Status | Column::Classification | Column::Determination | Column::Detection => {
                humanize(&t.cell(*row, c))
            }
            _ => t.cell(*row, c),
        };
        // API strings are text, never markup.
        target.set_text_content(Some(&said));
    }
}

/// An instant's `<time>`: the offset on hover, the text in the user's time zone (a muted dash
/// when unknown).
fn instant(target: &Element, d: Option<DateTime>, zone: TimeZone) -> String {
    match d {
        Some(d) => {
            let ms = d.unix_millis() as f64;
            target.set_class_name("");
            let _ = target.set_attribute("title", &offset_label(ms, zone));
            format_instant(ms, zone)
        }
        None => {
            target.set_class_name("muted");
            let _ = target.remove_attribute("title");
            "—".to_owned()
        }
    }
}

/// Puts a line at line `k` of the body (through the CSS object model: the CSP refuses style
/// attributes).
fn place(e: &Element, k: usize) {
    let _ = e
        .unchecked_ref::<HtmlElement>()
        .style()
        .set_property("transform", &format!("translateY({}px)", k * ROW_PX));
}
