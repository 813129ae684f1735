//! Loading the queue: every page of the server-side filter, merged into the table in chunks
//! with a yield to the browser between them, so paint and input keep going while 100,000
//! alerts arrive.

use std::collections::BTreeSet;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::queue::filter::Viewer;
use vigil_core::scheduler::Family;
use vigil_core::transport::Transport;

use super::{CHUNK, PAGE, Q};
use crate::auth::Auth;
use crate::components::queue::now;

/// Starts a fresh load (a newer one makes this one stop at its next page or chunk).
pub(super) fn start(q: Q, auth: Auth, me: Memo<Option<String>>, generation: StoredValue<u64>) {
    let handle = q.handle;
    let filter = q.filter;
    generation.update_value(|g| *g += 1);
    let current = generation.get_value();
    handle.clear();
    q.checked.set(BTreeSet::new());
    q.new_alerts.set(0);
    let Some(client) = auth.client() else { return };
    q.loading.set(Some((0, None)));
    q.loads.update(|n| *n += 1);
    let f = filter.get_untracked();
    let me = me.get_untracked();
    let query = f
        .server_query(Viewer {
            now: now(),
            me: me.as_deref(),
        })
        .top(PAGE);
    q.request.set(format!(
        "GET {}{}",
        client.url(vigil_core::ApiVersion::V1, "security/alerts_v2"),
        query.to_query_string()
    ));
    spawn_local(async move {
        let _ = q.loading.try_set(Some((0, None)));
        let _ = q.error.try_set(None);
        let mut pages = client.list_alerts(&query);
        while let Some(page) = pages.next().await {
            if generation.try_get_value() != Some(current) {
                return;
            }
            match page {
                Ok(page) => {
                    let _ = q.loading.try_set(Some((page.loaded, page.total)));
                    for chunk in page.items.chunks(CHUNK) {
                        handle.merge(chunk);
                        // Let the browser paint and handle input between chunks.
                        client.transport().sleep(Duration::ZERO).await;
                        if generation.try_get_value() != Some(current) {
                            return;
                        }
                    }
                }
                Err(e) => {
                    let _ = q.error.try_set(Some(format!(
                        "Loading stopped: {} Showing what arrived.",
                        auth.explain(&e)
                    )));
                    break;
                }
            }
        }
        let _ = q.loading.try_set(None);
    });
}

/// Keeps the scheduler's state for the progress line current.
pub(super) fn watch_throttle(q: Q, auth: Auth) {
    if let Ok(h) = set_interval_with_handle(
        move || {
            if let Some(c) = auth.client() {
                let now_ms = c.transport().now_ms();
                let s = c
                    .scheduler()
                    .family_state(c.tenant(), Family::Alerts, now_ms)
                    .describe(now_ms);
                if q.throttle.get_untracked() != s {
                    q.throttle.set(s);
                }
            }
        },
        Duration::from_millis(700),
    ) {
        on_cleanup(move || h.clear());
    }
}
