//! Loading the queue: every page of the server-side filter, decoded and merged into the table
//! in time slices with a yield to the browser between them, so paint and input keep going
//! while 100,000 alerts arrive.
//!
//! A page is first split into its alerts' raw JSON (a quick scan), then each alert is decoded
//! and indexed, a slice at a time: decoding a whole 500-alert page at once would be one long
//! task. The view takes in new rows a few times a second, extending itself with them.

use std::time::Duration;
use vigil_core::sorted::SortedSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::client::{RawAlert, decode_alert};
use vigil_core::models::Alert;
use vigil_core::odata::Query;
use vigil_core::queue::filter::Viewer;
use vigil_core::scheduler::Family;
use vigil_core::transport::Transport;
use vigil_core::{GraphClient, GraphError};

use super::{CHUNK, PAGE, Q};
use crate::auth::Auth;
use crate::components::queue::{TableHandle, now};
use crate::transport::{BrowserTransport, after_paint, with_timeout, yield_to_browser};

/// Longest stretch of decoding and indexing between yields to the browser.
const SLICE_MS: f64 = 8.0;
/// Alerts in the first, quick request: a screenful and some.
const FIRST_SCREEN: u32 = 50;
/// The longest the first screen's correlation waits for its rows to be painted.
const FRAME: Duration = Duration::from_millis(100);
/// How often, at most, the view takes in the rows merged meanwhile while pages arrive.
const SHOW_EVERY_MS: f64 = 150.0;

/// Starts a fresh load (a newer one makes this one stop at its next page or slice).
pub(super) fn start(q: Q, auth: Auth, generation: StoredValue<u64>) {
    let handle = q.handle;
    let filter = q.filter;
    generation.update_value(|g| *g += 1);
    let current = generation.get_value();
    handle.clear();
    q.checked.set(SortedSet::new());
    q.new_alerts.set(0);
    // Every signed-in tenant's alerts, one after the other, into one table (the tenant
    // filter then narrows it without a reload); the active tenant alone when none is known.
    let tenants = auth.data_tenants();
    let f = filter.get_untracked();
    let sources: Vec<(GraphClient<BrowserTransport>, Query, String)> = tenants
        .into_iter()
        .filter_map(|(t, name)| {
            let client = auth.client_for_data(Some(&t))?;
            let me = auth.username_in(Some(&t));
            let query = f
                .server_query(Viewer {
                    now: now(),
                    me: me.as_deref(),
                })
                .top(PAGE);
            Some((client, query, name))
        })
        .collect();
    let several = sources.len() > 1;
    let Some((first, _, _)) = sources.first() else {
        return;
    };
    let t = *first.transport();
    q.loading.set(Some((0, None)));
    q.load_started.set_value(now());
    q.loads.update(|n| *n += 1);
    q.request.set(
        sources
            .iter()
            .map(|(c, query, _)| format!("GET {}", c.alerts_url(query)))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    spawn_local(async move {
        let _ = q.loading.try_set(Some((0, None)));
        let _ = q.error.try_set(None);
        let live = move || generation.try_get_value() == Some(current);
        // When the view last took in new rows (never yet: the first rows show at once).
        let mut shown: Option<f64> = None;
        // The first screen of rows comes from a small request of its own, so rows show before
        // the first full page (4 MB of JSON) has arrived; the full listing then replaces them
        // (merged by id). Its failure is left to the full listing to report.
        // It is decoded in slices as every page is: its code's first run (compiled as it goes)
        // would otherwise make one long task of it.
        if let Some((client, query, _)) = sources.first() {
            let quick = query.clone().top(FIRST_SCREEN);
            let mut first = client.list_alerts_raw(&quick);
            let mut kept = Vec::new();
            if let Some(Ok(page)) = first.next().await
                && let Absorbed::Stopped =
                    absorb(page.items, Some(&mut kept), q, t, live, &mut shown).await
            {
                return;
            }
            // Correlated once the rows are painted (the full listing brings them again): the
            // correlation's code runs for the first time there, so is compiled as it goes. A
            // tab in the background paints nothing: then after FRAME at the latest.
            with_timeout(FRAME, after_paint()).await;
            if !live() {
                return;
            }
            handle.correlate_quietly(&kept);
        }
        // What stopped a tenant's listing (a tenant that fails leaves the others to load).
        let mut failures: Vec<String> = Vec::new();
        // Alerts (and totals) of the tenants already loaded, for the progress line.
        let (mut done_loaded, mut done_total) = (0usize, Some(0u64));
        for (client, query, name) in sources {
            let mut failed: Option<GraphError> = None;
            // The same listing as `list_alerts`, each alert kept as its raw JSON until its slice.
            let mut pages = client.list_alerts_raw(&query);
            let (mut loaded, mut total) = (0usize, None::<u64>);
            // The next page is requested while this one decodes: the wire and the decoder work
            // at the same time instead of taking turns.
            let mut upcoming = pages.next().await;
            while let Some(page) = upcoming.take() {
                if !live() {
                    return;
                }
                let page = match page {
                    Ok(page) => page,
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                };
                (loaded, total) = (page.loaded, page.total);
                let _ = q.loading.try_set(Some((
                    done_loaded + loaded,
                    done_total.zip(total).map(|(a, b)| a + b),
                )));
                let more = page.has_more;
                let decoding = absorb(page.items, None, q, t, live, &mut shown);
                let (next, outcome) = if more {
                    futures::future::join(pages.next(), decoding).await
                } else {
                    (None, decoding.await)
                };
                match outcome {
                    Absorbed::Stopped => return,
                    Absorbed::Failed(e) => {
                        failed = Some(e);
                        break;
                    }
                    Absorbed::Done { unshown: true } => {
                        // Rows merged since the last update show within SHOW_EVERY_MS even
                        // when the next page is slow to come.
                        show_later(handle, t, generation, current);
                    }
                    Absorbed::Done { unshown: false } => {}
                }
                upcoming = next;
            }
            if let Some(e) = failed {
                let why = auth.explain(&e);
                failures.push(if several && !name.is_empty() {
                    format!("{name}: {why}")
                } else {
                    why
                });
            }
            done_loaded += loaded;
            done_total = done_total.zip(total).map(|(a, b)| a + b);
        }
        if !failures.is_empty() {
            let _ = q.error.try_set(Some(format!(
                "Loading stopped: {} Showing what arrived.",
                failures.join(" ")
            )));
        }
        handle.settle();
        let _ = q.loading.try_set(None);
    });
}

/// How decoding a page ended.
enum Absorbed {
    /// Every alert merged; `unshown`: some are not in the view yet.
    Done { unshown: bool },
    /// An alert could not be decoded.
    Failed(GraphError),
    /// A newer load started, or the page went away.
    Stopped,
}

/// Decodes a page's alerts and merges them into the table in slices of at most SLICE_MS, with
/// a yield to the browser between slices; the view takes in new rows at most every
/// SHOW_EVERY_MS (`shown`: when it last did). With `rows_only`, the alerts go into the table
/// alone, and into `rows_only` for the correlation to take later.
async fn absorb(
    raws: Vec<RawAlert>,
    mut rows_only: Option<&mut Vec<Alert>>,
    q: Q,
    t: BrowserTransport,
    live: impl Fn() -> bool,
    shown: &mut Option<f64>,
) -> Absorbed {
    let handle = q.handle;
    // A page that had already arrived resolves without a task boundary, so its split into raw
    // alerts would run on in the task of the previous page's last slice: decoding starts in a
    // task of its own.
    yield_to_browser().await;
    if !live() {
        return Absorbed::Stopped;
    }
    let mut unshown = false;
    let mut slice_start = t.now_ms();
    let mut batch: Vec<Alert> = Vec::with_capacity(CHUNK);
    let mut raws = raws.into_iter().peekable();
    while let Some(raw) = raws.next() {
        match decode_alert(&raw) {
            Ok(a) => batch.push(a),
            Err(e) => return Absorbed::Failed(e),
        }
        drop(raw);
        let last = raws.peek().is_none();
        if batch.len() < CHUNK && !last && t.now_ms() - slice_start < SLICE_MS {
            continue;
        }
        let merged = match rows_only.as_deref_mut() {
            Some(kept) => {
                let m = handle.merge_rows_quietly(&batch);
                kept.append(&mut batch);
                m
            }
            None => handle.merge_quietly(&batch),
        };
        if merged.is_none() {
            return Absorbed::Stopped;
        }
        batch.clear();
        // The view and the rows on screen follow a few times a second, not after every batch:
        // each update costs time in proportion to the rows.
        let now = t.now_ms();
        if shown.is_none_or(|s| now - s >= SHOW_EVERY_MS) {
            // Drawn in a task of their own when this slice has had its time.
            if now - slice_start >= SLICE_MS {
                yield_to_browser().await;
                if !live() {
                    return Absorbed::Stopped;
                }
                slice_start = t.now_ms();
            }
            handle.version.try_update(|v| *v += 1);
            *shown = Some(now);
            unshown = false;
        } else {
            unshown = true;
        }
        if now - slice_start >= SLICE_MS {
            yield_to_browser().await;
            if !live() {
                return Absorbed::Stopped;
            }
            slice_start = t.now_ms();
        }
    }
    Absorbed::Done { unshown }
}

/// Updates the view in SHOW_EVERY_MS unless something else has by then.
fn show_later(
    handle: TableHandle,
    t: BrowserTransport,
    generation: StoredValue<u64>,
    current: u64,
) {
    let Some(seen) = handle.version.try_get_untracked() else {
        return;
    };
    spawn_local(async move {
        t.sleep(Duration::from_millis(SHOW_EVERY_MS as u64)).await;
        if generation.try_get_value() == Some(current)
            && handle.version.try_get_untracked() == Some(seen)
        {
            handle.version.try_update(|v| *v += 1);
        }
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

/// Decodes a small built-in alert page and indexes it in a table of its own, for the code it
/// runs: a browser compiles each wasm function on its first run, so this done while the
/// sign-in's token is on its way takes that compilation off the path to the first rows.
pub(crate) fn rehearse() {
    let alerts = vigil_core::client::rehearse_alert_page();
    vigil_core::queue::Table::new().merge(alerts.iter());
}
