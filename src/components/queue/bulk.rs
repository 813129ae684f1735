//! A bulk job (alerts or incidents) run from a page: its progress line, the failures with their
//! reasons, and a retry of just those.

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::queue::bulk::{Job, Kind};

use crate::auth::{Auth, use_auth};

/// What a page does with the entities a batch confirmed (merge them into its table, say).
type OnConfirmed<K> = Box<dyn Fn(&[<K as Kind>::Entity])>;
/// The tenant an item belongs to (`None`: the active one).
type TenantOf<K> = Box<dyn Fn(&<K as Kind>::Id) -> Option<String>>;

/// The job a page runs and what to do with its results. `Copy`.
pub struct BulkState<K: Kind + 'static> {
    auth: Auth,
    pub job: RwSignal<Option<Job<K>>>,
    pub running: RwSignal<bool>,
    /// Gets the entities each batch confirmed.
    on_confirmed: StoredValue<OnConfirmed<K>, LocalStorage>,
    /// Items of different tenants are sent with their own tenant's client.
    tenant_of: StoredValue<TenantOf<K>, LocalStorage>,
    /// Runs when a job ends.
    on_done: Callback<()>,
}

impl<K: Kind + 'static> Clone for BulkState<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: Kind + 'static> Copy for BulkState<K> {}

impl<K> BulkState<K>
where
    K: Kind + 'static,
    Job<K>: Send + Sync,
{
    pub fn new(
        on_confirmed: impl Fn(&[K::Entity]) + 'static,
        tenant_of: impl Fn(&K::Id) -> Option<String> + 'static,
        on_done: Callback<()>,
    ) -> Self {
        BulkState {
            auth: use_auth(),
            job: RwSignal::new(None),
            running: RwSignal::new(false),
            on_confirmed: StoredValue::new_local(Box::new(on_confirmed)),
            tenant_of: StoredValue::new_local(Box::new(tenant_of)),
            on_done,
        }
    }

    /// Sends every pending item of `j`, 20 per `$batch`, each tenant's items with that
    /// tenant's client, updating the progress after each batch.
    pub fn run(self, mut j: Job<K>) {
        self.running.set(true);
        self.job.set(Some(j.clone()));
        spawn_local(async move {
            let parts = self
                .tenant_of
                .try_with_value(|of| j.pending_by(|id| of(id)))
                .unwrap_or_default();
            for (tenant, ids) in parts {
                let Some(client) = self.auth.client_for_data(tenant.as_deref()) else {
                    j.fail(&ids, "Sign in again to change these.");
                    continue;
                };
                let mut part = j.part(ids);
                part.run(&client, |now, confirmed| {
                    j.absorb(now);
                    let _ = self.job.try_set(Some(j.clone()));
                    self.on_confirmed.try_with_value(|f| f(confirmed));
                })
                .await;
                j.absorb(&part);
            }
            let _ = self.job.try_set(Some(j));
            let _ = self.running.try_set(false);
            self.on_done.run(());
        });
    }

    /// Sends the failed items again.
    pub fn retry(self) {
        if let Some(mut j) = self.job.get_untracked() {
            j.retry_failures();
            self.run(j);
        }
    }

    pub fn clear(self) {
        self.job.set(None);
    }
}

/// The job's progress ("40 of 50 done, 2 failed"), a retry button once it stops with failures,
/// and each failure with its reason. Element ids start with `prefix`.
#[component]
pub fn BulkStatus<K>(state: BulkState<K>, prefix: &'static str) -> impl IntoView
where
    K: Kind + 'static,
    Job<K>: Send + Sync,
{
    move || {
        state.job.get().map(|j| {
            let p = j.progress();
            let failures: Vec<(String, String)> = j
                .failures()
                .map(|(id, m)| (id.to_string(), m.to_owned()))
                .collect();
            let retry = move |_| state.retry();
            view! {
                <span id=format!("{prefix}-progress") role="status" data-done=p.is_finished().to_string()>{p.describe()}</span>
                {(!failures.is_empty() && !state.running.get()).then(|| view! {
                    <button id=format!("{prefix}-retry") on:click=retry>{format!("Retry {} failed", failures.len())}</button>
                })}
                <ul id=format!("{prefix}-failures") class="failures">
                    {failures.into_iter().map(|(id, m)| view! { <li><code>{id}</code> ": " {m}</li> }).collect_view()}
                </ul>
            }
        })
    }
}
