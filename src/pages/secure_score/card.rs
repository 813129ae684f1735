//! The Secure Score card of the Overview page: the current score, its change over 30 days and
//! the three actions worth most points.

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::models::ControlState;
use vigil_core::score::{ActionFilter, ActionSort, actions, percent, signed_tenths, tenths, trend};

use super::latest;
use super::load;
use crate::auth::use_auth;
use crate::components::resource;
use crate::router::href;

/// The figures of the card.
struct Card {
    current: f64,
    percent: Option<f64>,
    change: Option<f64>,
    top: Vec<(String, String, f64)>,
}

#[component]
pub fn ScoreCard() -> impl IntoView {
    let auth = use_auth();
    let data = resource(move || {
        let tenant = auth.active_tenant();
        async move {
            let tenant = tenant?;
            let mut problems = Vec::new();
            let t = load::tenant(auth, &tenant, "", &mut problems).await;
            Some(t.ok_or_else(|| problems.join(" ")))
        }
    });
    let card = move || {
        let t = data.get()??;
        Some(t.map(|t| {
            let now = crate::components::queue::now();
            let snap = latest(&t.scores)?;
            let tr = trend(&t.scores, now, 31);
            let first = tr.score.points.iter().find_map(|p| *p);
            let last = tr.score.last();
            let mut rows = actions(Some(snap), &t.profiles);
            ActionSort::Remaining.apply(&mut rows);
            let f = ActionFilter::default();
            let top = rows
                .iter()
                .filter(|r| f.matches(r))
                .filter(|r| {
                    !matches!(
                        r.state,
                        Some(ControlState::Ignored | ControlState::ThirdParty)
                    )
                })
                .filter_map(|r| {
                    Some((
                        r.name.clone(),
                        r.display_title().to_owned(),
                        r.remaining.filter(|x| *x > 0.0)?,
                    ))
                })
                .take(3)
                .collect();
            Some(Card {
                current: snap.current_score.unwrap_or(0.0),
                percent: percent(snap.current_score, snap.max_score),
                change: first.zip(last).map(|(a, b)| b - a),
                top,
            })
        }))
    };
    view! {
        <section class="card" id="score-card">
            <h2><a href=href("/secure-score")>"Secure Score"</a></h2>
            {move || match card() {
                None => Either::Left(view! { <p class="muted">"Loading the score…"</p> }),
                Some(Err(e)) => Either::Right(Either::Left(view! { <p class="error" role="alert">{e}</p> })),
                Some(Ok(None)) => Either::Right(Either::Left(view! { <p class="muted" role="status">{"No score yet for this tenant.".to_owned()}</p> })),
                Some(Ok(Some(c))) => Either::Right(Either::Right(view! {
                    <div class="figures">
                        <a class="figure" href=href("/secure-score") id="score-card-current">
                            <span class="figure-value">{tenths(c.current)}</span>
                            <span class="figure-label">{c.percent.map(|p| format!("points ({}%)", tenths(p))).unwrap_or_else(|| "points".into())}</span>
                        </a>
                        <a class="figure" href=href("/secure-score?days=30") id="score-card-change">
                            <span class="figure-value">{c.change.map(signed_tenths).unwrap_or_else(|| "—".into())}</span>
                            <span class="figure-label">"in 30 days"</span>
                        </a>
                    </div>
                    <h3>"Worth most points"</h3>
                    <ol class="waiting" id="score-card-top">
                        {c.top.into_iter().map(|(name, title, rem)| view! {
                            <li><a href=href(&format!("/secure-score?action={}", vigil_core::url::form_encode(&name)))>{title}</a>
                                " " <span class="muted">{format!("+{} points", tenths(rem))}</span></li>
                        }).collect_view()}
                    </ol>
                })),
            }}
        </section>
    }
}
