//! "Why did the score drop on Tuesday?": a day's change attributed to the controls that moved
//! (gained, lost, new, deprecated or removed), and the 30-day biggest movers.

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::score::days::{ByDay, day_start as start_of_day};
use vigil_core::score::{ControlDelta, DayChange, day_change, movers, signed_tenths, tenths};

use super::S;
use super::view::{day_start, day_text};

/// Movers listed.
const MOVERS: usize = 10;

fn points(v: Option<f64>) -> String {
    v.map_or_else(|| "absent".to_owned(), tenths)
}

fn delta_item(d: &ControlDelta) -> impl IntoView + use<> {
    let name = d.name.clone();
    let class = if d.delta < 0.0 {
        "delta down"
    } else {
        "delta up"
    };
    view! {
        <li data-control=name.clone()>
            <span class=class>{signed_tenths(d.delta)}</span>
            " "
            <a href=crate::router::href(&format!("/secure-score?action={}", vigil_core::url::form_encode(&name)))
                class="control-title">{d.title.clone().unwrap_or_else(|| name.clone())}</a>
            {d.title.is_none().then(|| view! { " " <span class="muted">"(no profile published)"</span> })}
            " "
            <span class="muted">{format!("{} · {} → {}", d.category, points(d.before), points(d.after))}</span>
            {d.deprecated.then(|| view! { " " <span class="badge">"deprecated"</span> })}
        </li>
    }
}

fn list(id: &'static str, title: &'static str, items: &[ControlDelta]) -> impl IntoView + use<> {
    (!items.is_empty()).then(|| {
        view! {
            <h3>{title}</h3>
            <ul class="deltas" id=id>{items.iter().map(delta_item).collect_view()}</ul>
        }
    })
}

fn explained(c: &DayChange) -> impl IntoView + use<> {
    let head = match c.delta {
        Some(d) => format!(
            "{} points on {} (compared with {}).",
            signed_tenths(d),
            day_text(c.day),
            day_text(c.previous_day)
        ),
        None => format!("On {} the score is missing.", day_text(c.day)),
    };
    let max = c
        .max_delta
        .filter(|m| m.abs() > 1e-9)
        .map(|m| format!(" The maximum moved {} points.", signed_tenths(m)));
    let rest = c.unattributed().filter(|r| r.abs() >= 0.05).map(|r| {
        format!(
            "{} points are not explained by any control's score.",
            signed_tenths(r)
        )
    });
    let quiet = c.all().is_empty();
    view! {
        <p id="change-headline">{head}{max}</p>
        {quiet.then(|| view! { <p class="muted">"No control's points changed."</p> })}
        {list("change-lost", "Lost points", &c.lost)}
        {list("change-gained", "Gained points", &c.gained)}
        {list("change-added", "New controls", &c.added)}
        {list("change-removed", "Deprecated or removed", &c.removed)}
        {rest.map(|r| view! { <p class="muted" id="change-unattributed">{r}</p> })}
    }
}

#[component]
pub fn Changes(s: S) -> impl IntoView {
    // The days that have a snapshot, newest first.
    let days = move || {
        s.tenant.with(|t| {
            t.as_ref().map_or_else(Vec::new, |t| {
                let by = ByDay::new(&t.scores);
                let mut v: Vec<String> = by
                    .range(i64::MIN, i64::MAX)
                    .map(|(d, _)| day_text(start_of_day(d)))
                    .collect();
                v.reverse();
                v
            })
        })
    };
    // Without a day in the URL: the latest day on which a control moved.
    let chosen = Memo::new(move |_| {
        s.view.with(|v| v.day.clone()).or_else(|| {
            let t = s.tenant.get()?;
            let d = days();
            d.iter()
                .find(|day| {
                    day_start(day)
                        .and_then(|at| day_change(&t.scores, &t.profiles, at))
                        .is_some_and(|c| !c.all().is_empty())
                })
                .or(d.first())
                .cloned()
        })
    });
    let change = move || {
        let day = chosen.get()?;
        let at = day_start(&day)?;
        s.tenant.with(|t| {
            let t = t.as_ref()?;
            Some(match day_change(&t.scores, &t.profiles, at) {
                Some(c) => Either::Left(explained(&c)),
                None => Either::Right(view! {
                    <p class="muted" id="change-headline">{format!("No comparison for {day}: there is no snapshot that day or none before it.")}</p>
                }),
            })
        })
    };
    let moved = move || {
        s.tenant.with(|t| {
            t.as_ref().map(|t| {
                let mut m = movers(&t.scores, &t.profiles, s.now(), 30);
                m.truncate(MOVERS);
                m
            })
        })
    };
    view! {
        <section class="card" id="score-changes">
            <h2>"What changed"</h2>
            <label>"Day "
                <select id="change-day" prop:value=move || chosen.get().unwrap_or_default()
                    on:change=move |ev| { let d = event_target_value(&ev); s.edit(|v| v.day = Some(d)) }>
                    {move || { let chosen = chosen.get(); days().into_iter().map(|d| {
                        let selected = chosen.as_deref() == Some(d.as_str());
                        let value = d.clone();
                        view! { <option value=value selected=selected>{d}</option> }
                    }).collect_view() }}
                </select>
            </label>
            <div id="change-detail">{change}</div>
            <h3>"Biggest movers, last 30 days"</h3>
            {move || match moved() {
                Some(m) if !m.is_empty() => Either::Left(view! {
                    <ul class="deltas" id="movers">{m.iter().map(delta_item).collect_view()}</ul>
                }),
                _ => Either::Right(view! { <p class="muted" id="movers">"No control moved in the last 30 days."</p> }),
            }}
        </section>
    }
}
