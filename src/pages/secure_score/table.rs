//! The chart's figures as a table: what keyboard and screen-reader users read instead of the
//! picture. Days without a snapshot say so; a missing comparison figure is a dash, not zero.

use leptos::prelude::*;
use vigil_core::score::tenths;

use super::chart::Chart;
use super::view::day_text;

#[component]
pub fn FiguresTable(chart: Memo<Option<Chart>>) -> impl IntoView {
    view! {
        <details class="figures-table">
            <summary>"The chart's figures as a table"</summary>
            {move || chart.with(|c| c.as_ref().map(|c| {
                let main = c.columns.first().map(|m| m.values.clone()).unwrap_or_default();
                view! {
                    <table id="score-table" class="score-table">
                        <caption>"One row per day, oldest first"</caption>
                        <thead><tr>
                            <th scope="col">"Day"</th>
                            {c.columns.iter().map(|col| view! { <th scope="col">{col.label.clone()}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {c.plot.days.iter().enumerate().map(|(i, d)| {
                                let gap = !c.compare && main.get(i).is_none_or(Option::is_none);
                                view! {
                                    <tr data-day=day_text(*d) class:gap=gap>
                                        <th scope="row">{day_text(*d)}</th>
                                        {c.columns.iter().enumerate().map(|(k, col)| {
                                            let text = match col.values.get(i).copied().flatten() {
                                                Some(v) => format!("{}{}", tenths(v), col.suffix),
                                                None if gap && k == 0 => "no snapshot".to_owned(),
                                                None => "—".to_owned(),
                                            };
                                            view! { <td>{text}</td> }
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            }))}
        </details>
    }
}
