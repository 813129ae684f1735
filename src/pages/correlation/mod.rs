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
use vigil_core::odata::Query;

use crate::auth::{Auth, use_auth};
use crate::components::queue::now;
use crate::components::{SignedIn, resource};
use crate::router::{NavigateOptions, use_location, use_navigate};

/// Alerts per request while loading: Graph's largest page for alerts_v2, so a load of every
/// alert spends as little of the tenant's alert budget as it can.
const PAGE: u32 = 2000;

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

/// Every alert of every signed-in tenant (a tenant that fails is named and the others load).
pub(super) async fn load(auth: Auth) -> Result<(Vec<Alert>, Vec<String>), String> {
    let tenants = auth.data_tenants();
    let mut alerts = Vec::new();
    let mut problems = Vec::new();
    for (tenant, name) in tenants {
        let Some(client) = auth.client_for_data(Some(&tenant)) else {
            continue;
        };
        match client
            .list_alerts(&Query::new().top(PAGE))
            .collect_all()
            .await
        {
            Ok(mut list) => alerts.append(&mut list),
            Err(e) if name.is_empty() => problems.push(auth.explain(&e)),
            Err(e) => problems.push(format!("{name}: {}", auth.explain(&e))),
        }
    }
    if alerts.is_empty() && !problems.is_empty() {
        return Err(problems.join(" "));
    }
    Ok((alerts, problems))
}

#[component]
fn CorrelationBody() -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let navigate = use_navigate();
    let view = Memo::new(move |_| CorrelationView::from_query_string(&location.search.get()));
    let data = resource(move || {
        auth.accounts();
        load(auth)
    });
    // The engine runs again only when the alerts or its own settings change, not for a filter
    // or a selection.
    let settings = Memo::new(move |_| view.with(CorrelationView::settings));
    let engine = StoredValue::new_local(None::<Correlator>);
    let patched = RwSignal::new(Vec::<Alert>::new());
    let computed = Memo::new_with_compare(
        move |_| {
            let settings = settings.get();
            data.with(|d| match d {
                Some(Ok((alerts, _))) => {
                    let mut e = Correlator::new(settings);
                    e.add(alerts);
                    patched.with(|p| e.add(p));
                    let out = Arc::new(Computed {
                        clusters: e.clusters(),
                        hubs: e.hubs(),
                        alerts: e.len(),
                    });
                    engine.set_value(Some(e));
                    Some(out)
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
                Some(Ok((_, problems))) => Either::Right(Either::Right(view! {
                    {problems.into_iter().map(|p| view! { <p class="error" role="alert">"Not loaded: " {p}</p> }).collect_view()}
                    <div class="correlation-main">
                        <list::ClusterList c />
                        <cluster::ClusterPane c />
                    </div>
                    <hubs::Hubs c />
                })),
            }}
        </div>
    }
}

/// Seconds since the epoch, now.
fn now_secs() -> i64 {
    now().unix_seconds()
}
