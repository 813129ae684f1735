//! Correlation: every alert of each signed-in tenant joined into clusters through the entities
//! they share (`vigil_core::correlate`), ranked, with why each link exists. The engine's
//! settings, the filters and the selected cluster are in the URL. `/correlation/entity` is the
//! entity pivot over the same alerts.

mod cluster;
mod entity;
mod graph;
mod hubs;
mod list;
mod settings;
mod triage;

pub use entity::CorrelationEntity;

use std::rc::Rc;
use std::sync::Arc;

use leptos::either::Either;
use leptos::prelude::*;
use vigil_core::correlate::{Cluster, CorrelationView, Correlator, Hub};
use vigil_core::models::{Alert, AlertId};

use crate::auth::use_auth;
use crate::components::every_alert::load;
use crate::components::queue::now;
use crate::components::{SignedIn, Time, resource};
use crate::router::{NavigateOptions, use_location, use_navigate};

#[component]
pub fn Correlation() -> impl IntoView {
    view! {
        <h1 id="correlation-title">"Correlation"</h1>
        <SignedIn what="correlated alerts">
            <CorrelationBody />
        </SignedIn>
    }
}

/// What the engine made of the loaded alerts under the view's settings.
struct Computed {
    /// Which reading of the alerts the engine held: when it was read, and how many changes
    /// to it were known (read, and confirmed here).
    reading: (u64, usize, usize),
    clusters: Vec<Cluster>,
    hubs: Vec<Hub>,
    alerts: usize,
}

/// Writes a view to the address bar.
type Go = Rc<dyn Fn(&CorrelationView)>;

/// The page's state, shared by its parts. `Copy`.
#[derive(Clone, Copy)]
struct C {
    view: Memo<CorrelationView>,
    computed: Memo<Option<Arc<Computed>>>,
    /// The engine behind `computed` (the cluster pane asks it for links and advice).
    engine: StoredValue<Option<Correlator>, LocalStorage>,
    /// Alerts changed here since the load (triage), as the service confirmed them.
    patched: RwSignal<Vec<Alert>>,
    /// The key of the cluster the URL selects (by its key or any of its alerts).
    selected_key: Memo<Option<AlertId>>,
    go: StoredValue<Go, LocalStorage>,
}

impl C {
    fn go(&self, v: &CorrelationView) {
        self.go.with_value(|go| go(v));
    }
}

#[component]
fn CorrelationBody() -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let navigate = use_navigate();
    let view = Memo::new(move |_| CorrelationView::from_query_string(&location.search.get()));
    // Alerts changed on this visit, as the service confirmed them.
    let patched = RwSignal::new(Vec::<Alert>::new());
    // Bumped by "Read again".
    let fresh = RwSignal::new(0u32);
    // The engine runs again only when the alerts or its own settings change, not for a filter
    // or a selection; after a change to the settings alone (a hub put back, another window)
    // it keeps the alerts it holds and only links them again.
    let settings = Memo::new(move |_| view.with(CorrelationView::settings));
    let engine = StoredValue::new_local(None::<Correlator>);
    let data = resource(move || {
        auth.accounts();
        // Fed each page of a new read as it arrives (`Read::fed`).
        let feed = Correlator::new(settings.get_untracked());
        load(auth, fresh.get() > 0, Some(feed))
    });
    let computed = Memo::new_with_compare(
        move |before: Option<&Option<Arc<Computed>>>| {
            let settings = settings.get();
            data.with(|d| match d {
                Some(Ok(read)) => {
                    let reading = (
                        read.at.to_bits(),
                        read.patches.len(),
                        patched.with(Vec::len),
                    );
                    let same =
                        before.is_some_and(|b| b.as_ref().is_some_and(|b| b.reading == reading));
                    engine.try_update_value(|kept| {
                        let e = match kept {
                            Some(e) if same => {
                                e.set_settings(settings);
                                e
                            }
                            _ => {
                                let mut e = match read.fed.take() {
                                    Some(mut e) => {
                                        e.set_settings(settings);
                                        e
                                    }
                                    None => {
                                        let mut e = Correlator::new(settings);
                                        e.add(&read.alerts);
                                        e
                                    }
                                };
                                e.add(&read.patches);
                                patched.with_untracked(|p| e.add(p));
                                kept.insert(e)
                            }
                        };
                        Arc::new(Computed {
                            reading,
                            clusters: e.clusters(),
                            hubs: e.hubs(),
                            alerts: e.len(),
                        })
                    })
                }
                _ => None,
            })
        },
        // A new computation is always news; the same `None` is not.
        |old, new| !matches!((old, new), (Some(None), Some(None))),
    );
    let go: Go = Rc::new(move |v: &CorrelationView| {
        let to = crate::router::join("/correlation", &v.to_query_string());
        navigate(
            &to,
            NavigateOptions {
                replace: true,
                scroll: false,
            },
        );
    });
    let selected_key = Memo::new(move |_| {
        let want = view.with(|v| v.selected.clone())?;
        computed.with(|comp| {
            comp.as_ref()?
                .clusters
                .iter()
                .find(|cl| cl.key == want || cl.alerts.iter().any(|a| a.id == want))
                .map(|cl| cl.key.clone())
        })
    });
    let c = C {
        view,
        computed,
        engine,
        patched,
        selected_key,
        go: StoredValue::new_local(go),
    };
    view! {
        <div class="correlation">
            <settings::Settings c />
            {move || match data.get() {
                None => Either::Left(view! { <p class="muted" id="correlation-loading">"Loading every alert…"</p> }),
                Some(Err(e)) => Either::Right(Either::Left(view! { <p class="error" role="alert">{e}</p> })),
                Some(Ok(read)) => Either::Right(Either::Right({
                    let at = read.at;
                    // Until the new read arrives (it replaces this part).
                    let reading = RwSignal::new(false);
                    view! {
                    <p class="muted" id="correlation-read" data-at=(at as i64).to_string()>
                        "Alerts as read at " <Time epoch_ms=at /> " "
                        <button type="button" id="correlation-reread" disabled=move || reading.get() on:click=move |_| {
                            reading.set(true);
                            // What this visit changed is in what is read again.
                            patched.update(Vec::clear);
                            fresh.update(|n| *n += 1);
                        }>{move || if reading.get() { "Reading every alert…" } else { "Read again" }}</button>
                    </p>
                    {read.problems.into_iter().map(|p| view! { <p class="error" role="alert">"Not loaded: " {p}</p> }).collect_view()}
                    <div class="correlation-main">
                        <list::ClusterList c />
                        <cluster::ClusterPane c />
                    </div>
                    <hubs::Hubs c />
                }})),
            }}
        </div>
    }
}

/// Seconds since the epoch, now.
fn now_secs() -> i64 {
    now().unix_seconds()
}
