//! Achieved and attainable points per category (Identity, Data, Device, Apps,
//! Infrastructure) as bars, with each category's move over the window.

use leptos::prelude::*;
use vigil_core::score::{categories, category_trend, signed_tenths, tenths};

use super::{S, latest};

/// Whole percent for a bar's width, by integer arithmetic.
fn width(achieved: f64, attainable: f64) -> String {
    if attainable <= 0.0 {
        return "0%".to_owned();
    }
    format!(
        "{}%",
        ((achieved / attainable).clamp(0.0, 1.0) * 100.0).round() as u32
    )
}

#[component]
pub fn Categories(s: S) -> impl IntoView {
    let rows = move || {
        let days = s.view.with(|v| v.days);
        s.tenant.with(|t| {
            let t = t.as_ref()?;
            let now = categories(latest(&t.scores)?, &t.profiles);
            let trend = category_trend(&t.scores, &t.profiles, s.now(), days);
            Some(
                now.into_iter()
                    .map(|c| {
                        let moved = trend
                            .categories
                            .iter()
                            .find(|x| x.category == c.category)
                            .and_then(|x| {
                                let first = x.achieved.iter().find_map(|v| *v)?;
                                let last = x.achieved.iter().rev().find_map(|v| *v)?;
                                Some(last - first)
                            });
                        (c, moved)
                    })
                    .collect::<Vec<_>>(),
            )
        })
    };
    view! {
        <section class="card" id="score-categories">
            <h2>"By category"</h2>
            <ul class="cat-bars">
                {move || rows().unwrap_or_default().into_iter().map(|(c, moved)| {
                    let days = s.view.with_untracked(|v| v.days);
                    let label = format!("{} of {} points", tenths(c.achieved), tenths(c.attainable));
                    let unknown = (c.unknown_max > 0).then(|| format!(" ({} without a published maximum)", c.unknown_max));
                    view! {
                        <li class="cat" data-category=c.category.clone()>
                            <span class="cat-name">{c.category.clone()}</span>
                            <span class="cat-bar" role="img" aria-label=label.clone()>
                                <span class="cat-fill" style:width=width(c.achieved, c.attainable)></span>
                            </span>
                            <span class="cat-figures">{label}{unknown}
                                {moved.map(|m| format!(" · {} in {days} days", signed_tenths(m)))}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
