//! Secure Score: where the tenant stands, how the score moved and why, what to do next and
//! what it would give. The figures come from `vigil_core::score`; this folder wires them to the
//! browser, one file per part. The view (window, unit, lines, day, action, filters) is in the
//! URL; zones and planned actions are kept in the browser.

mod actions;
mod card;
mod categories;
mod changes;
mod chart;
mod detail;
mod export;
mod load;
mod projection;
mod remediation;
mod store;
mod table;
mod view;
mod zones;

use std::rc::Rc;
use std::sync::Arc;

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::models::{DateTime, SecureScore as Snapshot};
use vigil_core::score::{ActionRow, Projection, actions as action_rows, days::ByDay, project};

use crate::components::{SignedIn, resource};
use crate::router::{NavigateOptions, use_location, use_navigate};

use crate::components::chart::plot::Bands;
pub use card::ScoreCard;
use load::{Loaded, TenantData};
use view::ScoreView;

#[component]
pub fn SecureScore() -> impl IntoView {
    view! {
        <h1 id="secure-score-title">"Secure Score"</h1>
        <SignedIn what="your Secure Score">
            <ScoreBody />
        </SignedIn>
    }
}

/// Writes a view to the address bar.
type Go = Rc<dyn Fn(&ScoreView)>;

/// The page's state, shared by its parts. `Copy`.
#[derive(Clone, Copy)]
struct S {
    view: Memo<ScoreView>,
    go: StoredValue<Go, LocalStorage>,
    /// Every signed-in tenant's history and profiles.
    data: Memo<Option<Arc<Loaded>>>,
    /// The tenant whose details are shown.
    tenant: Memo<Option<Arc<TenantData>>>,
    /// Its improvement actions (profiles joined with the latest snapshot).
    rows: Memo<Arc<Vec<ActionRow>>>,
    /// Control names planned by the user for that tenant (kept in the browser).
    planned: RwSignal<Vec<String>>,
    zones: RwSignal<Bands>,
    /// Bumped after a write: everything is loaded again.
    reload: RwSignal<u32>,
    /// When the data was loaded: the windows end with this day.
    now: StoredValue<DateTime>,
}

impl S {
    fn go(&self, v: &ScoreView) {
        self.go.with_value(|go| go(v));
    }

    /// The current view changed by `f`.
    fn edit(&self, f: impl FnOnce(&mut ScoreView)) {
        let mut v = self.view.get_untracked();
        f(&mut v);
        self.go(&v);
    }

    fn now(&self) -> DateTime {
        self.now.get_value()
    }

    /// The score with the planned actions done. Worked out when read (a few dozen rows), not
    /// kept in a memo: a memo's code costs the bundle more than the sum costs the reader.
    fn projection(&self) -> Option<Projection> {
        let t = self.tenant.get()?;
        let snap = latest(&t.scores)?;
        let planned = self.planned.get();
        let names: Vec<&str> = planned.iter().map(String::as_str).collect();
        Some(self.rows.with(|r| project(snap, r, &names)))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Loading,
    Failed(String),
    Ready,
}

/// A memo's comparison for loaded data: another allocation is news (no deep comparison of
/// whole histories, which would also ship their `PartialEq` code).
fn other_arc<T>(a: Option<&Option<Arc<T>>>, b: Option<&Option<Arc<T>>>) -> bool {
    match (a.and_then(Option::as_ref), b.and_then(Option::as_ref)) {
        (Some(a), Some(b)) => !Arc::ptr_eq(a, b),
        (None, None) => a.is_none() != b.is_none(),
        _ => true,
    }
}

/// The newest snapshot of a history.
fn latest(scores: &[Snapshot]) -> Option<&Snapshot> {
    ByDay::new(scores).latest().map(|(_, s)| s)
}

#[component]
fn ScoreBody() -> impl IntoView {
    let auth = crate::auth::use_auth();
    let location = use_location();
    let navigate = use_navigate();
    let view = Memo::new(move |_| ScoreView::from_query_string(&location.search.get()));
    let reload = RwSignal::new(0u32);
    let now = StoredValue::new(crate::components::queue::now());
    let resource = resource(move || {
        reload.get();
        now.set_value(crate::components::queue::now());
        load::load(auth)
    });
    // A reload keeps what is shown until the new data is in (and keeps it if the reload fails).
    let data = Memo::new_with_compare(
        move |prev: Option<&Option<Arc<Loaded>>>| match resource.get() {
            Some(Ok(l)) => Some(Arc::new(l)),
            _ => prev.cloned().flatten(),
        },
        other_arc,
    );
    let phase = Memo::new(move |_| match resource.get() {
        None if data.with_untracked(Option::is_none) => Phase::Loading,
        Some(Err(e)) if data.with_untracked(Option::is_none) => Phase::Failed(e),
        _ => Phase::Ready,
    });
    let tenant = Memo::new_with_compare(
        move |_| {
            let want = view.with(|v| v.tenant.clone());
            data.get().and_then(|d| {
                let pick = want
                    .and_then(|w| d.tenants.iter().position(|t| t.id == w))
                    .unwrap_or(0);
                d.tenants.get(pick).cloned()
            })
        },
        other_arc,
    );
    // Recomputed only when the tenant's data changes, and then always news.
    let rows = Memo::new_with_compare(
        move |_| {
            Arc::new(tenant.with(|t| match t {
                Some(t) => action_rows(latest(&t.scores), &t.profiles),
                None => Vec::new(),
            }))
        },
        |_, _| true,
    );
    let planned = RwSignal::new(Vec::<String>::new());
    // The planned actions are the chosen tenant's: read them when it changes.
    Effect::watch(
        move || tenant.with(|t| t.as_ref().map(|t| t.id.clone())),
        move |id, _, _| planned.set(id.as_deref().map(store::planned).unwrap_or_default()),
        true,
    );
    let go: Go = Rc::new(move |v: &ScoreView| {
        let to = crate::router::join("/secure-score", &v.to_query_string());
        navigate(
            &to,
            NavigateOptions {
                replace: true,
                scroll: false,
            },
        );
    });
    let s = S {
        view,
        go: StoredValue::new_local(go),
        data,
        tenant,
        rows,
        planned,
        zones: RwSignal::new(store::zones()),
        reload,
        now,
    };
    view! {
        <div class="score-page">
            {move || match phase.get() {
                Phase::Loading => Either::Left(view! { <p class="muted" id="score-loading">"Loading the score history and improvement actions…"</p> }),
                Phase::Failed(e) => Either::Right(Either::Left(view! { <p class="error" role="alert" id="score-error">{e}</p> })),
                Phase::Ready => Either::Right(Either::Right(view! {
                    {move || match resource.get() {
                        Some(Err(e)) => vec![format!("The reload failed; showing what was loaded before. {e}")],
                        Some(Ok(l)) => l.problems,
                        None => Vec::new(),
                    }.into_iter().map(|p| view! { <p class="error" role="alert">"Not loaded: " {p}</p> }).collect_view()}
                    <Page s />
                })),
            }}
        </div>
    }
}

/// The loaded page.
#[component]
fn Page(s: S) -> impl IntoView {
    view! {
        <TenantPicker s />
        <section class="card score-trend" id="score-trend">
            <chart::TrendChart s />
        </section>
        <projection::ProjectionSummary s />
        <div class="score-columns">
            <changes::Changes s />
            <categories::Categories s />
        </div>
        <div class="score-actions-main">
            <actions::ActionsTable s />
            <detail::DetailPane s />
        </div>
    }
}

/// With several tenants signed in: whose details are shown.
#[component]
fn TenantPicker(s: S) -> impl IntoView {
    move || {
        let d = s.data.get()?;
        if d.tenants.len() < 2 {
            return None;
        }
        let current = s.tenant.get().map(|t| t.id.clone()).unwrap_or_default();
        Some(view! {
            <label class="score-tenant">"Tenant "
                <select id="score-tenant" prop:value=current.clone() on:change=move |ev| {
                    let t = event_target_value(&ev);
                    s.edit(|v| { v.tenant = Some(t); v.action = None; v.day = None; });
                }>
                    {d.tenants.iter().map(|t| {
                        let label = if t.name.is_empty() { t.id.clone() } else { t.name.clone() };
                        view! { <option value=t.id.clone() selected=t.id == current>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
        })
    }
}
