//! The alert queue: filters in the URL (removable chips), a virtualised table, the detail pane,
//! triage, bulk actions, export, keyboard, live refresh. The logic lives in
//! `vigil_core::queue`; this file wires it to the browser.

mod bulk;
mod columns;
mod filters;
mod keys;
mod lines;
mod live;
mod load;
mod status;
mod table;
mod toolbar;
mod views;

use vigil_core::sorted::SortedSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::client::scopes;
use vigil_core::models::*;
use vigil_core::queue::filter::Viewer;
use vigil_core::queue::layout::{Layout, group_view};
use vigil_core::queue::table::{Group, Stamp};
use vigil_core::queue::{QueueFilter, Set as MemberSet};

use bulk::BulkBar;
use status::{Chips, Status};
use table::QueueTable;
use toolbar::Toolbar;

pub(crate) use load::rehearse;

use crate::auth::{Auth, use_auth};
use crate::components::queue::{AlertDetail, TableHandle, now, triage};
use crate::components::{SignedIn, later, when_idle};
use crate::router::{NavigateOptions, use_location, use_navigate};

/// The providers offered in the filter (the documented `serviceSource` members).
const PROVIDERS: [ServiceSource; 8] = [
    ServiceSource::MicrosoftDefenderForEndpoint,
    ServiceSource::MicrosoftDefenderForIdentity,
    ServiceSource::MicrosoftDefenderForCloudApps,
    ServiceSource::MicrosoftDefenderForOffice365,
    ServiceSource::Microsoft365Defender,
    ServiceSource::AzureAdIdentityProtection,
    ServiceSource::MicrosoftAppGovernance,
    ServiceSource::DataLossPrevention,
];

/// Row height in pixels (fixed, so positions are arithmetic). Keep in step with `.qrow`.
const ROW_PX: usize = 34;
const ROW_H: f64 = ROW_PX as f64;
/// Alerts per request. 100,000 alerts take 100 requests, inside the family's budget of 150 a
/// minute, so a large load never waits on throttling. Not Graph's maximum of 2,000: a page is
/// split into its alerts in one task, and 8 MB pages made tasks of over 50 ms. Measured with
/// tests/bench/queue.mjs on 20,000 alerts (2026-12-02), load time and longest task: 500 a page
/// 3.5 s and 62 ms, 2,000 2.1 s and 76 ms, 1,000 2.4 s and no task of 50 ms or more.
const PAGE: u32 = 1000;
/// Alerts indexed between yields to the browser.
const CHUNK: usize = 200;

#[component]
pub fn Alerts() -> impl IntoView {
    view! {
        <h1 id="alerts-title">"Alerts"</h1>
        <SignedIn what="alerts">
            <AlertQueue />
        </SignedIn>
    }
}

/// Navigates to a URL, replacing the history entry or not.
type Navigate = std::rc::Rc<dyn Fn(&str, bool)>;

/// The queue's state, shared by its parts. `Copy`.
#[derive(Clone, Copy)]
struct Q {
    handle: TableHandle,
    filter: Memo<QueueFilter>,
    /// The rows shown, in display order (grouped order when grouped).
    view: Memo<Vec<u32>>,
    /// The groups (none when flat) and the table's lines.
    groups: Memo<(Vec<Group>, Layout)>,
    /// `(loaded, total)` while pages arrive.
    loading: RwSignal<Option<(usize, Option<u64>)>>,
    /// When the current load started (for its pace in the progress line).
    load_started: StoredValue<DateTime>,
    /// The listing request behind the view, as sent.
    request: RwSignal<String>,
    /// Loads started (the page shows it as `data-loads`, so a test can wait for a reload).
    loads: RwSignal<u64>,
    error: RwSignal<Option<String>>,
    throttle: RwSignal<String>,
    checked: RwSignal<SortedSet<AlertId>>,
    cursor: RwSignal<usize>,
    scroll_top: RwSignal<f64>,
    new_alerts: RwSignal<usize>,
    resolve_intent: RwSignal<Option<AlertId>>,
    help: RwSignal<bool>,
    nav: StoredValue<Navigate, LocalStorage>,
}

impl Q {
    /// Puts `f` in the address bar (`replace` for cursor moves, so Back is not flooded).
    fn go(&self, f: &QueueFilter, replace: bool) {
        let url = crate::router::join("/alerts", &f.to_query_string());
        self.nav.with_value(|n| n(&url, replace));
    }

    fn set(&self, change: impl FnOnce(&mut QueueFilter)) {
        let mut f = self.filter.get_untracked();
        change(&mut f);
        self.go(&f, false);
    }

    fn select(&self, id: Option<AlertId>) {
        let mut f = self.filter.get_untracked();
        f.selected = id;
        self.go(&f, true);
    }

    fn row_id(&self, pos: usize) -> Option<AlertId> {
        let i = self.view.with_untracked(|v| v.get(pos).copied())?;
        Some(self.handle.table.with_value(|t| t.row(i).id.clone()))
    }
}

/// The filter without what the client does alone (sort, selection, columns, text, detection
/// source, tenant): when only those change, nothing is fetched again.
fn server_key(f: &QueueFilter) -> String {
    let d = QueueFilter::default();
    QueueFilter {
        search: String::new(),
        sort: d.sort,
        selected: None,
        columns: d.columns,
        group: None,
        detections: MemberSet::any(),
        tenant: None,
        ..f.clone()
    }
    .to_query_string()
}

#[component]
fn AlertQueue() -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let navigate = use_navigate();
    let nav: Navigate = std::rc::Rc::new(move |url: &str, replace: bool| {
        navigate(
            url,
            NavigateOptions {
                replace,
                scroll: false,
            },
        )
    });
    let filter = Memo::new(move |_| QueueFilter::from_query_string(&location.search.get()));
    let handle = TableHandle::new();
    let me = Memo::new(move |_| auth.account().map(|a| a.username));
    // The view depends on everything but the selection, the columns and the grouping.
    let view_filter = Memo::new(move |_| {
        let mut f = filter.get();
        f.selected = None;
        f.columns = Vec::new();
        f.group = None;
        f
    });
    // While pages arrive the table only grows: the view is extended with the new rows (checked,
    // sorted and merged in) rather than computed again over every row.
    let extends = StoredValue::new(None::<(QueueFilter, Option<String>, Stamp, usize)>);
    let flat = Memo::new(move |prev: Option<&Vec<u32>>| {
        handle.version.track();
        let f = view_filter.get();
        let me = me.get();
        let viewer = Viewer {
            now: now(),
            me: me.as_deref(),
        };
        handle.table.with_value(|t| {
            let from = extends.with_value(|e| match (e, prev) {
                (Some((ef, em, stamp, n)), Some(_))
                    if *ef == f && *em == me && *stamp == t.stamp() && *n <= t.len() =>
                {
                    Some(*n)
                }
                _ => None,
            });
            let v = match (from, prev) {
                (Some(n), Some(prev)) => t.extend_view(prev, n, &f, viewer),
                _ => t.view(&f, viewer),
            };
            extends.set_value(Some((f.clone(), me.clone(), t.stamp(), t.len())));
            v
        })
    });
    // Grouped: rows reordered group by group, with a header line before each group.
    let group = Memo::new(move |_| filter.with(|f| f.group));
    let grouped = Memo::new(move |_| {
        let column = group.get()?;
        Some(
            handle
                .table
                .with_value(|t| flat.with(|v| group_view(t, v, column))),
        )
    });
    let view = Memo::new(move |_| {
        grouped
            .with(|g| g.as_ref().map(|(order, _, _)| order.clone()))
            .unwrap_or_else(|| flat.get())
    });
    let groups = Memo::new(move |_| {
        grouped
            .with(|g| {
                g.as_ref()
                    .map(|(_, groups, layout)| (groups.clone(), layout.clone()))
            })
            .unwrap_or_else(|| (Vec::new(), Layout::flat(flat.with(Vec::len))))
    });
    let q = Q {
        handle,
        filter,
        view,
        groups,
        loading: RwSignal::new(None),
        load_started: StoredValue::new(now()),
        loads: RwSignal::new(0),
        request: RwSignal::new(String::new()),
        error: RwSignal::new(None),
        throttle: RwSignal::new(String::new()),
        checked: RwSignal::new(SortedSet::new()),
        cursor: RwSignal::new(0),
        scroll_top: RwSignal::new(0.0),
        new_alerts: RwSignal::new(0),
        resolve_intent: RwSignal::new(None),
        help: RwSignal::new(false),
        nav: StoredValue::new_local(nav),
    };

    // Fetch again when the server-side part of the filter or the signed-in tenants change.
    let load_key = Memo::new(move |_| {
        // Not whether a session ended: that must not empty the queue under the analyst.
        let tenants: Vec<String> = auth.accounts().into_iter().map(|a| a.tenant_id).collect();
        format!(
            "{}|{}|{}",
            tenants.join(","),
            auth.active_tenant().unwrap_or_default(),
            server_key(&filter.get())
        )
    });
    let generation = StoredValue::new(0u64);
    Effect::watch(
        move || load_key.get(),
        move |_, _, _| load::start(q, auth, generation),
        true,
    );
    load::watch_throttle(q, auth);

    keys::install(q, auth);

    let selected = Memo::new(move |_| filter.with(|f| f.selected.clone()));
    view! {
        <div class="queue" data-loads=move || q.loads.get().to_string()
            data-state=move || if q.loading.with(Option::is_some) { "loading" } else { "done" }>
            // The first rows first: the listing's first request goes out with this task, the
            // table follows in a task of its own, and the rest of the page (its largest build,
            // and its code's first run, compiled as it goes) when nothing more urgent waits,
            // such as the first rows' data.
            {when_idle(move || view! { <Toolbar q /> }.into_any())}
            {when_idle(move || view! { <Chips q /> <Status q /> <BulkBar q /> }.into_any())}
            <div class="queue-main">
                {later(move || view! { <QueueTable q /> }.into_any())}
                {move || selected.get().map(|id| view! {
                    <AlertDetail id handle=q.handle resolve_intent=q.resolve_intent
                        on_close=Callback::new(move |_| q.select(None)) />
                })}
            </div>
            {move || q.help.get().then(|| view! { <Help q /> })}
        </div>
    }
}

fn toggle_checked(q: Q, id: AlertId) {
    q.checked.update(|c| {
        if !c.remove(&id) {
            c.insert(id);
        }
    });
}

/// The alert the keyboard acts on: the open one, else the cursor row.
fn current_alert_id(q: Q) -> Option<AlertId> {
    q.filter
        .with_untracked(|f| f.selected.clone())
        .or_else(|| q.row_id(q.cursor.get_untracked()))
}

fn assign_to_me(q: Q, auth: Auth) {
    if auth.lacks(scopes::ALERT_WRITE).is_some() {
        q.error.set(Some(format!(
            "Assigning {}.",
            auth.lacks(scopes::ALERT_WRITE).unwrap_or_default()
        )));
        return;
    }
    let Some(id) = current_alert_id(q) else {
        return;
    };
    let tenant = q.handle.tenant_of(&id);
    let (Some(me), Some(client)) = (
        auth.username_in(tenant.as_deref()),
        auth.client_for_data(tenant.as_deref()),
    ) else {
        return;
    };
    // The table keeps rows, not alerts; the optimistic copy only needs the row's id and the
    // change, and the service's answer replaces it.
    spawn_local(async move {
        let before = client.get_alert(&id).await;
        let Ok(alert) = before else {
            let _ = q
                .error
                .try_set(Some("That alert could not be read.".into()));
            return;
        };
        let update = AlertUpdate {
            assigned_to: Some(Some(me)),
            ..Default::default()
        };
        let _ = q.error.try_set(None);
        if let Err(e) = triage(auth, q.handle, alert, update).await {
            let _ = q.error.try_set(Some(e));
        }
    });
}

fn scroll_to_cursor(q: Q) {
    let Some(el) = document().get_element_by_id("queue-scroll") else {
        return;
    };
    let line = q
        .groups
        .with_untracked(|(_, l)| l.line_of_row(q.cursor.get_untracked()));
    let top = line as f64 * ROW_H;
    let view_h = f64::from(el.client_height());
    let st = f64::from(el.scroll_top());
    if top < st {
        el.set_scroll_top(top as i32);
    } else if top + ROW_H > st + view_h {
        el.set_scroll_top((top + ROW_H - view_h) as i32);
    }
}

#[component]
fn Help(q: Q) -> impl IntoView {
    view! {
        <div id="keyboard-help" class="help-card" role="dialog" aria-label="Keyboard shortcuts">
            <h2>"Keyboard"</h2>
            <dl>
                <dt><kbd>"j"</kbd> " / " <kbd>"k"</kbd></dt><dd>"Next / previous alert"</dd>
                <dt><kbd>"x"</kbd></dt><dd>"Select for a bulk action"</dd>
                <dt><kbd>"Enter"</kbd></dt><dd>"Open the alert"</dd>
                <dt><kbd>"a"</kbd></dt><dd>"Assign to me"</dd>
                <dt><kbd>"r"</kbd></dt><dd>"Resolve (asks for a comment)"</dd>
                <dt><kbd>"/"</kbd></dt><dd>"Search"</dd>
                <dt><kbd>"Esc"</kbd></dt><dd>"Close the alert / leave a field"</dd>
                <dt><kbd>"?"</kbd></dt><dd>"This help"</dd>
            </dl>
            <button on:click=move |_| q.help.set(false)>"Close"</button>
        </div>
    }
}
