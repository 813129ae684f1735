//! The trend chart: the window (7/30/90 days), points or percent, the comparison lines as
//! toggles, the zones, a hover read-out, exports, and the same figures as a table. With
//! several tenants signed in it compares their percentages instead (the MSSP's view).

use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use vigil_core::models::SecureScore as Snapshot;
use vigil_core::score::trend::{basis_label, compare_tenants, trend};
use vigil_core::score::{WINDOWS, tenths};

use super::view::day_text;
use super::{S, export, table, zones};
use crate::components::chart::backend::{Canvas, Surface};
use crate::components::chart::plot::{
    self, ACHIEVABLE, Layout, Level, Line, PALETTE, PLANNED, Plot, SCORE,
};

/// One column of figures: a line of the chart, or the maximum beside the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: String,
    pub values: Vec<Option<f64>>,
    pub suffix: &'static str,
}

/// What is drawn, and the figures behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub plot: Plot,
    pub columns: Vec<Column>,
    /// Comparison bases in the data: (wire name, label, shown, has a value in the window).
    pub bases: Vec<(String, String, bool, bool)>,
    pub compare: bool,
}

impl Chart {
    /// `2026-11-03: Score 82.4 · Max 136.0 · All tenants 41.9`.
    pub fn readout(&self, i: usize) -> String {
        let Some(d) = self.plot.days.get(i) else {
            return String::new();
        };
        let mut out = day_text(*d);
        out.push(':');
        let mut any = false;
        for c in &self.columns {
            if let Some(Some(v)) = c.values.get(i) {
                out.push_str(if any { " · " } else { " " });
                out.push_str(&c.label);
                out.push(' ');
                out.push_str(&tenths(*v));
                out.push_str(c.suffix);
                any = true;
            }
        }
        if !any {
            out.push_str(" no snapshot");
        }
        out
    }
}

fn percent_of(values: &[Option<f64>], max: &[Option<f64>]) -> Vec<Option<f64>> {
    values
        .iter()
        .zip(max)
        .map(|(v, m)| vigil_core::score::percent(*v, *m))
        .collect()
}

fn column(l: &Line, suffix: &'static str) -> Column {
    Column {
        label: l.label.clone(),
        values: l.points.clone(),
        suffix,
    }
}

/// The chart for the current view.
pub fn build(s: S) -> Option<Chart> {
    let v = s.view.get();
    let data = s.data.get()?;
    let now = s.now();
    let zones = s.zones.get();
    if data.tenants.len() > 1 && !v.own {
        let list: Vec<(&str, &[Snapshot])> = data
            .tenants
            .iter()
            .map(|t| (t.label(), t.scores.as_slice()))
            .collect();
        let c = compare_tenants(&list, now, v.days);
        let lines: Vec<Line> = c
            .tenants
            .iter()
            .enumerate()
            .map(|(i, t)| Line {
                label: t.label.clone(),
                color: if i == 0 {
                    SCORE
                } else {
                    PALETTE[(i - 1) % PALETTE.len()]
                },
                points: t.points.clone(),
                main: false,
            })
            .collect();
        return Some(Chart {
            columns: lines.iter().map(|l| column(l, "%")).collect(),
            plot: Plot {
                days: c.days,
                lines,
                bands: Some(zones),
                y_top: Some(100.0),
                suffix: "%",
                ..Default::default()
            },
            bases: Vec::new(),
            compare: true,
        });
    }
    let t = s.tenant.get()?;
    let tr = trend(&t.scores, now, v.days);
    let suffix = if v.percent { "%" } else { "" };
    let conv = |pts: &[Option<f64>]| {
        if v.percent {
            percent_of(pts, &tr.max.points)
        } else {
            pts.to_vec()
        }
    };
    let main = Line {
        label: if v.percent { "Score (%)" } else { "Score" }.to_owned(),
        color: SCORE,
        points: if v.percent {
            tr.percent.points.clone()
        } else {
            tr.score.points.clone()
        },
        main: true,
    };
    let mut lines = Vec::new();
    let mut bases = Vec::new();
    for (i, c) in tr.comparatives.iter().enumerate() {
        let has = c.points.iter().any(Option::is_some);
        let shown = v.shows(&c.label);
        bases.push((
            c.label.clone(),
            basis_label(&c.label).to_owned(),
            shown,
            has,
        ));
        if shown && has {
            lines.push(Line {
                label: basis_label(&c.label).to_owned(),
                color: PALETTE[i % PALETTE.len()],
                points: conv(&c.points),
                main: false,
            });
        }
    }
    let mut columns = vec![column(&main, suffix)];
    if !v.percent {
        columns.push(Column {
            label: "Max".into(),
            values: tr.max.points.clone(),
            suffix: "",
        });
    }
    columns.extend(lines.iter().map(|l| column(l, suffix)));
    lines.insert(0, main);
    let mut levels = Vec::new();
    let mut bands = Some(zones);
    if let Some(p) = s.projection() {
        let scale = |x: f64| {
            if v.percent {
                p.percent(x).unwrap_or(0.0)
            } else {
                x
            }
        };
        if s.planned.with(|p| !p.is_empty()) {
            levels.push(Level {
                label: format!("Planned {}{suffix}", tenths(scale(p.planned))),
                color: PLANNED,
                value: scale(p.planned),
            });
        }
        levels.push(Level {
            label: format!("Achievable {}{suffix}", tenths(scale(p.achievable))),
            color: ACHIEVABLE,
            value: scale(p.achievable),
        });
        if !v.percent {
            bands = Some(plot::Bands {
                fair: zones.fair * p.max / 100.0,
                good: zones.good * p.max / 100.0,
            });
        }
    }
    let mark = v
        .day
        .as_deref()
        .and_then(|d| tr.days.iter().position(|x| day_text(*x) == d));
    Some(Chart {
        plot: Plot {
            days: tr.days,
            lines,
            levels,
            bands,
            y_top: v.percent.then_some(100.0),
            suffix,
            mark,
        },
        columns,
        bases,
        compare: false,
    })
}

/// Draws the plot on the canvas; records how long it took (microseconds) for the benchmark.
fn render(el: &web_sys::HtmlCanvasElement, p: &Plot) -> Result<(), String> {
    let perf = window().performance();
    let started = perf.as_ref().map(|p| p.now());
    let backend = Canvas::new(el).ok_or("this browser has no 2D canvas")?;
    plot::draw(&Surface::Canvas(backend).into_drawing_area(), p)?;
    if let (Some(perf), Some(t0)) = (perf, started) {
        let us = ((perf.now() - t0) * 1000.0) as i64;
        let _ = el.set_attribute("data-render-us", &us.to_string());
    }
    let draws: u32 = el
        .get_attribute("data-draws")
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    let _ = el.set_attribute("data-draws", &(draws + 1).to_string());
    Ok(())
}

#[component]
pub fn TrendChart(s: S) -> impl IntoView {
    let chart = Memo::new(move |_| build(s));
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let hover = RwSignal::new(None::<usize>);
    let failure = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(el) = canvas.get() else { return };
        chart.with(|c| {
            if let Some(c) = c {
                failure.set(render(&el, &c.plot).err());
            }
        });
    });
    let day_at = move |ev: &web_sys::MouseEvent| -> Option<usize> {
        let el = canvas.get_untracked()?;
        let scale = f64::from(el.width()) / f64::from(el.client_width().max(1));
        chart.with_untracked(|c| {
            let c = c.as_ref()?;
            Layout::new(&c.plot, el.width(), el.height()).day_at(f64::from(ev.offset_x()) * scale)
        })
    };
    let pick = move |ev: web_sys::MouseEvent| {
        let Some(i) = day_at(&ev) else { return };
        let day = chart.with_untracked(|c| c.as_ref().and_then(|c| c.plot.days.get(i).copied()));
        if let Some(d) = day {
            s.edit(|v| v.day = Some(day_text(d)));
        }
    };
    let v = s.view;
    view! {
        <div class="chart-head">
            <h2>{move || if chart.with(|c| c.as_ref().is_some_and(|c| c.compare)) {
                "Score by tenant (percent of each tenant's maximum)"
            } else {
                "Score history"
            }}</h2>
            <div class="chart-controls" role="group" aria-label="Chart options">
                {WINDOWS.iter().map(|d| {
                    let d = *d;
                    view! {
                        <button class="seg" id=format!("window-{d}") aria-pressed=move || (v.get().days == d).to_string()
                            on:click=move |_| s.edit(|x| x.days = d)>{format!("{d} days")}</button>
                    }
                }).collect_view()}
                {move || {
                    let compare = chart.with(|c| c.as_ref().is_some_and(|c| c.compare));
                    (!compare).then(|| view! {
                        <button class="seg" id="unit-points" aria-pressed=move || (!v.get().percent).to_string()
                            on:click=move |_| s.edit(|x| x.percent = false)>"Points"</button>
                        <button class="seg" id="unit-percent" aria-pressed=move || v.get().percent.to_string()
                            on:click=move |_| s.edit(|x| x.percent = true)>"Percent"</button>
                    })
                }}
                {move || s.data.with(|d| d.as_ref().is_some_and(|d| d.tenants.len() > 1)).then(|| view! {
                    <button class="seg" id="compare-tenants" aria-pressed=move || (!v.get().own).to_string()
                        on:click=move |_| s.edit(|x| x.own = !x.own)>"Compare tenants"</button>
                })}
            </div>
        </div>
        <div class="chart-lines" role="group" aria-label="Comparison lines">
            {move || chart.with(|c| c.as_ref().map(|c| c.bases.clone()).unwrap_or_default()).into_iter().map(|(basis, label, shown, has)| {
                let id = format!("toggle-{basis}");
                let title = if has { "Show or hide this line" } else { "No comparison figure in this window" };
                let b = basis.clone();
                view! {
                    <label class="line-toggle" title=title>
                        <input type="checkbox" id=id data-basis=basis checked=shown disabled=!has
                            on:change=move |_| { let b = b.clone(); s.edit(move |x| *x = x.toggled(&b)) } />
                        " " {label} {(!has).then_some(" (no data)")}
                    </label>
                }
            }).collect_view()}
            <zones::ZonesEditor s />
        </div>
        <div class="chart-frame">
            <canvas id="score-chart" node_ref=canvas width="960" height="320" role="img"
                aria-label="Secure Score history; the figures are in the table below"
                on:mousemove=move |ev| hover.set(day_at(&ev))
                on:mouseleave=move |_| hover.set(None)
                on:click=pick></canvas>
        </div>
        <p id="chart-readout" class="readout" aria-live="polite">
            {move || match hover.get() {
                Some(i) => chart.with(|c| c.as_ref().map(|c| c.readout(i)).unwrap_or_default()),
                None => "Point at a day for its figures; click it to see what changed.".to_owned(),
            }}
        </p>
        {move || failure.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        <export::Exports chart canvas />
        <table::FiguresTable chart />
    }
}
