//! The projection: current, planned and achievable score by the product's rules
//! (`vigil_core::score::projection`), the planned actions (kept in the browser per tenant)
//! and their export.

use leptos::prelude::*;
use vigil_core::queue::export::csv_field;
use vigil_core::score::{Projection, signed_tenths, tenths};

use super::S;
use super::actions::tenths_attr;
use super::store;
use crate::browser::download;

fn figure(
    id: &'static str,
    label: &'static str,
    value: f64,
    p: &Projection,
    extra: Option<String>,
) -> impl IntoView + use<> {
    let pct = p
        .percent(value)
        .map(|x| format!(" ({}%)", tenths(x)))
        .unwrap_or_default();
    view! {
        <div class="figure" id=id data-tenths=tenths_attr(Some(value))>
            <span class="figure-value">{tenths(value)}</span>
            <span class="figure-label">{label}{pct}{extra}</span>
        </div>
    }
}

/// The planned actions as CSV: control, title, remaining points, category, state.
fn planned_csv(s: S) -> String {
    let planned = s.planned.get_untracked();
    let mut out = String::from("control,title,remaining points,category,state\n");
    s.rows.with_untracked(|rows| {
        for name in &planned {
            let r = rows.iter().find(|r| &r.name == name);
            let cells = [
                name.clone(),
                r.map(|r| r.display_title().to_owned()).unwrap_or_default(),
                r.and_then(|r| r.remaining).map(tenths).unwrap_or_default(),
                r.map(|r| r.category.clone()).unwrap_or_default(),
                r.map(|r| r.state_label().to_owned()).unwrap_or_default(),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
    });
    out
}

#[component]
pub fn ProjectionSummary(s: S) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let export = move |_| {
        let r = download("vigil-planned-actions.csv", "text/csv", &planned_csv(s));
        error.set(r.err());
    };
    let clear = move |_| {
        if let Some(t) = s
            .tenant
            .with_untracked(|t| t.as_ref().map(|t| t.id.clone()))
        {
            store::save_planned(&t, &[]);
        }
        s.planned.set(Vec::new());
    };
    view! {
        <section class="card score-projection" id="score-projection">
            <h2>"Where it can go"</h2>
            {move || s.projection().map(|p| {
                let count = s.planned.with(Vec::len);
                let gain = p.planned - p.current;
                view! {
                    <div class="figures">
                        {figure("projection-current", "current", p.current, &p, None)}
                        {figure("projection-planned", "planned", p.planned, &p,
                            Some(format!(" · {} with {count} planned", signed_tenths(gain))))}
                        {figure("projection-achievable", "achievable", p.achievable, &p,
                            Some(" · without risk-accepted actions".to_owned()))}
                        {figure("projection-max", "maximum", p.max, &p, None)}
                    </div>
                    {(p.pending > 0.0).then(|| view! {
                        <p class="muted" id="projection-pending">{format!(
                            "Includes {} points of actions resolved through a third party that the service has not counted yet.",
                            tenths(p.pending)
                        )}</p>
                    })}
                }
            })}
            <p class="muted">"Tick actions in the table to plan them. The plan is kept in this browser; changes show in the service after a day or two. "
                <button class="link" id="planned-export" on:click=export>"Export the plan (CSV)"</button>
                " · "
                <button class="link" id="planned-clear" on:click=clear>"Clear the plan"</button>
            </p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
    }
}
