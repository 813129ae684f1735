//! The alert queue: filters in the URL (removable chips), a virtualised table, the detail pane,
//! triage, bulk actions, export, keyboard, live refresh. The logic lives in
//! `vigil_core::queue`; this file wires it to the browser.

use std::collections::BTreeSet;
use std::time::Duration;

use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use vigil_core::client::scopes;
use vigil_core::models::*;
use vigil_core::odata::{Query, alerts as alert_fields};
use vigil_core::queue::bulk::BulkJob;
use vigil_core::queue::export::{self, ExportOptions, Format, thousands};
use vigil_core::queue::filter::{Viewer, humanize, service_label};
use vigil_core::queue::table::visible_range;
use vigil_core::queue::{Assigned, Column, QueueFilter, SavedView, Set as MemberSet, TimeRange};
use vigil_core::scheduler::Family;
use vigil_core::transport::Transport;

use crate::auth::{Auth, use_auth};
use crate::components::queue::{
    AlertDetail, TableHandle, download, export_offset, now, severity_badge, time_or_dash, triage,
};
use crate::components::{RequiresScope, SignedIn};
use crate::prefs::use_prefs;

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
const ROW_H: f64 = 34.0;
/// Alerts per request.
const PAGE: u32 = 500;
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
    view: Memo<Vec<u32>>,
    /// `(loaded, total)` while pages arrive.
    loading: RwSignal<Option<(usize, Option<u64>)>>,
    /// The listing request behind the view, as sent.
    request: RwSignal<String>,
    /// Loads started (the page shows it as `data-loads`, so a test can wait for a reload).
    loads: RwSignal<u64>,
    error: RwSignal<Option<String>>,
    throttle: RwSignal<String>,
    checked: RwSignal<BTreeSet<AlertId>>,
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
        let qs = f.to_query_string();
        let url = if qs.is_empty() {
            "/alerts".to_owned()
        } else {
            format!("/alerts?{qs}")
        };
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
                ..Default::default()
            },
        )
    });
    let filter = Memo::new(move |_| QueueFilter::from_query_string(&location.search.get()));
    let handle = TableHandle::new();
    let me = Memo::new(move |_| auth.account().map(|a| a.username));
    // The view depends on everything but the selection and the columns.
    let view_filter = Memo::new(move |_| {
        let mut f = filter.get();
        f.selected = None;
        f.columns = Vec::new();
        f
    });
    let view = Memo::new(move |_| {
        handle.version.track();
        let f = view_filter.get();
        let me = me.get();
        let viewer = Viewer {
            now: now(),
            me: me.as_deref(),
        };
        handle.table.with_value(|t| t.view(&f, viewer))
    });
    let q = Q {
        handle,
        filter,
        view,
        loading: RwSignal::new(None),
        loads: RwSignal::new(0),
        request: RwSignal::new(String::new()),
        error: RwSignal::new(None),
        throttle: RwSignal::new(String::new()),
        checked: RwSignal::new(BTreeSet::new()),
        cursor: RwSignal::new(0),
        scroll_top: RwSignal::new(0.0),
        new_alerts: RwSignal::new(0),
        resolve_intent: RwSignal::new(None),
        help: RwSignal::new(false),
        nav: StoredValue::new_local(nav),
    };

    // Fetch again when the server-side part of the filter or the tenant changes.
    let load_key = Memo::new(move |_| {
        format!(
            "{}|{}",
            auth.active_tenant().unwrap_or_default(),
            server_key(&filter.get())
        )
    });
    let generation = StoredValue::new(0u64);
    let start_load = move || {
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
    };
    Effect::watch(move || load_key.get(), move |_, _, _| start_load(), true);

    // The scheduler's state for the progress line.
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

    // Keyboard: j/k move, x select, Enter open, a assign to me, r resolve, / search, ? help.
    let keys = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
            .unwrap_or(false);
        if typing {
            if ev.key() == "Escape"
                && let Some(el) = document().active_element()
            {
                let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).blur();
            }
            return;
        }
        let len = q.view.with_untracked(Vec::len);
        match ev.key().as_str() {
            "j" | "ArrowDown" if len > 0 => {
                ev.prevent_default();
                q.cursor.update(|c| *c = (*c + 1).min(len - 1));
                scroll_to_cursor(q);
            }
            "k" | "ArrowUp" if len > 0 => {
                ev.prevent_default();
                q.cursor.update(|c| *c = c.saturating_sub(1));
                scroll_to_cursor(q);
            }
            "x" => {
                if let Some(id) = q.row_id(q.cursor.get_untracked()) {
                    toggle_checked(q, id);
                }
            }
            "Enter" => {
                if let Some(id) = q.row_id(q.cursor.get_untracked()) {
                    q.select(Some(id));
                }
            }
            "Escape" => q.select(None),
            "a" => assign_to_me(q, auth),
            "r" => {
                if let Some(id) = current_alert_id(q) {
                    if q.filter
                        .with_untracked(|f| f.selected.as_ref() != Some(&id))
                    {
                        q.select(Some(id.clone()));
                    }
                    q.resolve_intent.set(Some(id));
                }
            }
            "/" => {
                ev.prevent_default();
                if let Some(el) = document().get_element_by_id("queue-search") {
                    let _ =
                        wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
                }
            }
            "?" => q.help.update(|h| *h = !*h),
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    let selected = Memo::new(move |_| filter.with(|f| f.selected.clone()));
    view! {
        <div class="queue" data-loads=move || q.loads.get().to_string()
            data-state=move || if q.loading.with(Option::is_some) { "loading" } else { "done" }>
            <Toolbar q />
            <Chips q />
            <Status q />
            <BulkBar q />
            <div class="queue-main">
                <QueueTable q />
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
    let (Some(id), Some(me)) = (current_alert_id(q), auth.account().map(|a| a.username)) else {
        return;
    };
    let Some(client) = auth.client() else { return };
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
        triage(auth, q.handle, alert, update, q.error, |_| {});
    });
}

fn scroll_to_cursor(q: Q) {
    let Some(el) = document().get_element_by_id("queue-scroll") else {
        return;
    };
    let top = q.cursor.get_untracked() as f64 * ROW_H;
    let view_h = f64::from(el.client_height());
    let st = f64::from(el.scroll_top());
    if top < st {
        el.set_scroll_top(top as i32);
    } else if top + ROW_H > st + view_h {
        el.set_scroll_top((top + ROW_H - view_h) as i32);
    }
}

#[component]
fn Toolbar(q: Q) -> impl IntoView {
    let prefs = use_prefs();
    let exported = RwSignal::new(None::<String>);
    let search = RwSignal::new(q.filter.get_untracked().search);
    Effect::watch(
        move || q.filter.with(|f| f.search.clone()),
        move |s, _, _| search.set(s.clone()),
        false,
    );
    let do_export = move |format: Format| {
        let opts = ExportOptions {
            format,
            offset_minutes: export_offset(prefs.time_zone.get_untracked()),
            ..ExportOptions::default()
        };
        let e = q
            .handle
            .table
            .with_value(|t| q.view.with_untracked(|v| export::export(t, v, &opts)));
        let loading = q.loading.get_untracked();
        let note = match loading {
            Some((loaded, Some(total))) => format!(
                " Still loading: {} of {} alerts had arrived.",
                thousands(loaded),
                thousands(total as usize)
            ),
            _ => String::new(),
        };
        exported.set(Some(
            match download(&e.file_name(now()), format.mime(), &e.text) {
                Ok(()) => format!("{}{note}", e.summary()),
                Err(err) => format!("Export failed: {err}"),
            },
        ));
    };
    let range_value = move || {
        q.filter.with(|f| match &f.range {
            TimeRange::Last24h => "24h",
            TimeRange::Last7d => "7d",
            TimeRange::Last30d => "30d",
            TimeRange::Custom { .. } => "all",
        })
    };
    let saved = SavedView::builtin();
    view! {
        <div class="toolbar">
            <form class="search" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let s = search.get_untracked();
                q.set(|f| f.search = s);
            }>
                <input id="queue-search" type="search" placeholder="Search title, description, evidence  ( / )"
                    prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) />
                <button type="submit">"Search"</button>
            </form>
            <label>"Severity "
                <select id="filter-severity" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    q.set(|f| f.severities = match v.as_str() {
                        "any" => MemberSet::any(),
                        "default" => QueueFilter::default().severities,
                        s => MemberSet::of([AlertSeverity::parse(s)]),
                    });
                }>
                    <option value="default">"High, medium, low"</option>
                    <option value="any">"Any"</option>
                    {["high", "medium", "low", "informational"].into_iter().map(|s| view! {
                        <option value=s selected=move || q.filter.with(|f| f.severities.as_slice() == [AlertSeverity::parse(s)])>{humanize(s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"Status "
                <select id="filter-status" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    q.set(|f| f.statuses = match v.as_str() {
                        "any" => MemberSet::any(),
                        "open" => QueueFilter::default().statuses,
                        s => MemberSet::of([AlertStatus::parse(s)]),
                    });
                }>
                    <option value="open">"New, in progress"</option>
                    <option value="any" selected=move || q.filter.with(|f| f.statuses.is_any())>"Any"</option>
                    {["new", "inProgress", "resolved"].into_iter().map(|s| view! {
                        <option value=s selected=move || q.filter.with(|f| f.statuses.as_slice() == [AlertStatus::parse(s)])>{humanize(s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"Provider "
                <select id="filter-provider" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    q.set(|f| f.services = if v.is_empty() {
                        MemberSet::any()
                    } else {
                        MemberSet::of([ServiceSource::parse(&v)])
                    });
                }>
                    <option value="">"Any"</option>
                    {PROVIDERS.iter().map(|p| {
                        let wire = p.as_str().to_owned();
                        let label = service_label(p);
                        let this = p.clone();
                        view! {
                            <option value=wire selected=move || q.filter.with(|f| f.services.as_slice() == std::slice::from_ref(&this))>{label}</option>
                        }
                    }).collect_view()}
                </select>
            </label>
            <label>"Assigned "
                <select id="filter-assigned" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    q.set(|f| f.assigned = match v.as_str() {
                        "me" => Assigned::Me,
                        "none" => Assigned::Unassigned,
                        _ => Assigned::Anyone,
                    });
                }>
                    <option value="any">"Anyone"</option>
                    <option value="me" selected=move || q.filter.with(|f| f.assigned == Assigned::Me)>"Me"</option>
                    <option value="none" selected=move || q.filter.with(|f| f.assigned == Assigned::Unassigned)>"Unassigned"</option>
                </select>
            </label>
            <label>"Time "
                <select id="filter-range" prop:value=range_value on:change=move |ev| {
                    let v = event_target_value(&ev);
                    q.set(|f| f.range = match v.as_str() {
                        "24h" => TimeRange::Last24h,
                        "30d" => TimeRange::Last30d,
                        "all" => TimeRange::ALL_TIME,
                        _ => TimeRange::Last7d,
                    });
                }>
                    <option value="24h" selected=move || range_value() == "24h">"Last 24 hours"</option>
                    <option value="7d" selected=move || range_value() == "7d">"Last 7 days"</option>
                    <option value="30d" selected=move || range_value() == "30d">"Last 30 days"</option>
                    <option value="all" selected=move || range_value() == "all">"All time"</option>
                </select>
            </label>
            <label>"View "
                <select id="saved-views" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if !v.is_empty() {
                        q.go(&QueueFilter::from_query_string(&v), false);
                    }
                }>
                    <option value="">"Saved views…"</option>
                    <option value="">"Default (Defender's)"</option>
                    {saved.into_iter().map(|s| view! { <option value=s.query.clone()>{s.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <LiveRefresh q />
            <button id="export-csv" on:click=move |_| do_export(Format::Csv)>"Export CSV"</button>
            <button id="export-ndjson" on:click=move |_| do_export(Format::Ndjson)>"Export NDJSON"</button>
            <button id="copy-link" title="Copy a link to this exact view" on:click=move |_| {
                exported.set(Some(match copy_location() {
                    Ok(()) => "Link copied.".into(),
                    Err(()) => "Copy the address bar: the browser refused the clipboard.".into(),
                }));
            }>"Copy link"</button>
            <button id="help-toggle" on:click=move |_| q.help.update(|h| *h = !*h)>"Keys ( ? )"</button>
            {move || exported.get().map(|m| view! { <span id="export-status" class="muted" role="status">{m}</span> })}
        </div>
    }
}

/// Puts the current address on the clipboard (`navigator.clipboard.writeText`).
fn copy_location() -> Result<(), ()> {
    use wasm_bindgen::JsCast;
    let w = web_sys::window().ok_or(())?;
    let href = w.location().href().map_err(drop)?;
    let nav = js_sys::Reflect::get(&w, &"navigator".into()).map_err(drop)?;
    let clip = js_sys::Reflect::get(&nav, &"clipboard".into()).map_err(drop)?;
    let write: js_sys::Function = js_sys::Reflect::get(&clip, &"writeText".into())
        .map_err(drop)?
        .dyn_into()
        .map_err(drop)?;
    write.call1(&clip, &href.into()).map(drop).map_err(drop)
}

#[component]
fn LiveRefresh(q: Q) -> impl IntoView {
    let auth = use_auth();
    let minutes = RwSignal::new(0u32);
    let interval = StoredValue::new(None::<IntervalHandle>);
    let refresh = move || {
        let Some(client) = auth.client() else { return };
        let since = q
            .handle
            .table
            .with_value(|t| t.rows().iter().filter_map(|r| r.updated).max());
        let Some(since) = since else { return };
        let query = Query::new()
            .filter(alert_fields::LAST_UPDATE_DATE_TIME.gt(&since))
            .top(PAGE);
        spawn_local(async move {
            match client.list_alerts(&query).collect_all().await {
                Ok(changed) => {
                    let f = q.filter.get_untracked();
                    let me = auth.account().map(|a| a.username);
                    let viewer = Viewer {
                        now: now(),
                        me: me.as_deref(),
                    };
                    let new_ids: Vec<AlertId> = q.handle.table.with_value(|t| {
                        changed
                            .iter()
                            .filter(|a| t.position(&a.id).is_none() && f.matches(a, viewer))
                            .map(|a| a.id.clone())
                            .collect()
                    });
                    q.handle.merge(&changed);
                    if !new_ids.is_empty() {
                        q.new_alerts.try_update(|n| *n += new_ids.len());
                    }
                }
                Err(e) => {
                    let _ = q
                        .error
                        .try_set(Some(format!("Refresh failed: {}", auth.explain(&e))));
                }
            }
        });
    };
    Effect::watch(
        move || minutes.get(),
        move |&m, _, _| {
            if let Some(h) = interval.try_update_value(Option::take).flatten() {
                h.clear();
            }
            if m > 0
                && let Ok(h) =
                    set_interval_with_handle(refresh, Duration::from_secs(u64::from(m) * 60))
            {
                interval.set_value(Some(h));
            }
        },
        false,
    );
    on_cleanup(move || {
        if let Some(h) = interval.try_update_value(Option::take).flatten() {
            h.clear();
        }
    });
    view! {
        <label>"Live refresh "
            <select id="live-refresh" on:change=move |ev| minutes.set(event_target_value(&ev).parse().unwrap_or(0))>
                <option value="0">"Off"</option>
                <option value="1">"1 min"</option>
                <option value="5">"5 min"</option>
                <option value="15">"15 min"</option>
            </select>
        </label>
        <button id="refresh-now" title="Fetch what changed since the last load" on:click=move |_| refresh()>"Refresh"</button>
    }
}

#[component]
fn Chips(q: Q) -> impl IntoView {
    view! {
        <ul id="filter-chips" class="chips" aria-label="Active filters">
            {move || q.filter.get().chips().into_iter().map(|c| {
                let key = c.key;
                let label = c.label.clone();
                view! {
                    <li class="filter-chip" data-key=format!("{key:?}").to_ascii_lowercase()>
                        <span>{label.clone()}</span>
                        <button class="chip-remove" aria-label=format!("Remove {label}") on:click=move |_| {
                            let f = q.filter.get_untracked().without(key);
                            q.go(&f, false);
                        }>"×"</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Status(q: Q) -> impl IntoView {
    view! {
        <div class="queue-status">
            <span id="queue-count" class="count">
                {move || {
                    let n = q.view.with(Vec::len);
                    format!("{} alert{}", thousands(n), if n == 1 { "" } else { "s" })
                }}
            </span>
            <span id="severity-counts" class="sev-counts">
                {move || {
                    let c = q.handle.table.with_value(|t| q.view.with(|v| t.severity_counts(v)));
                    view! {
                        <span class="sev sev-high">{format!("High {}", c.high)}</span>
                        <span class="sev sev-medium">{format!("Medium {}", c.medium)}</span>
                        <span class="sev sev-low">{format!("Low {}", c.low)}</span>
                        <span class="sev sev-informational">{format!("Informational {}", c.informational)}</span>
                    }
                }}
            </span>
            {move || q.loading.get().map(|(loaded, total)| view! {
                <span id="load-progress" role="status">
                    {match total {
                        Some(t) => format!("Loading {} of {}…", thousands(loaded), thousands(t as usize)),
                        None => format!("Loading… {} so far", thousands(loaded)),
                    }}
                </span>
            })}
            <span id="throttle-state" class="muted">{move || {
                let s = q.throttle.get();
                if s.is_empty() || s == "idle" { String::new() } else { format!("Graph: {s}") }
            }}</span>
            {move || (q.new_alerts.get() > 0).then(|| view! {
                <button id="new-alerts" class="banner-button" on:click=move |_| {
                    q.new_alerts.set(0);
                    if let Some(el) = document().get_element_by_id("queue-scroll") {
                        el.set_scroll_top(0);
                    }
                }>{move || format!("{} new alert{}", q.new_alerts.get(), if q.new_alerts.get() == 1 { "" } else { "s" })}</button>
            })}
            {move || q.error.get().map(|e| view! { <p id="queue-error" class="error" role="alert">{e}</p> })}
            <details class="queue-request">
                <summary>"Graph request"</summary>
                <pre id="queue-request">{move || q.request.get()}</pre>
            </details>
        </div>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum BulkAction {
    AssignMe,
    InProgress,
    Resolve,
    FalsePositive,
}

#[component]
fn BulkBar(q: Q) -> impl IntoView {
    let auth = use_auth();
    let action = RwSignal::new(BulkAction::AssignMe);
    let job = RwSignal::new(None::<BulkJob>);
    let running = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let run = move |mut j: BulkJob| {
        let Some(client) = auth.client() else { return };
        running.set(true);
        job.set(Some(j.clone()));
        spawn_local(async move {
            j.run(&client, |now, confirmed| {
                let _ = job.try_set(Some(now.clone()));
                q.handle.merge(confirmed);
            })
            .await;
            let _ = job.try_set(Some(j));
            let _ = running.try_set(false);
        });
    };
    let start = move |_| {
        let ids: Vec<AlertId> = q.checked.get_untracked().into_iter().collect();
        let me = auth.account().map(|a| a.username);
        let update = match action.get_untracked() {
            BulkAction::AssignMe => AlertUpdate {
                assigned_to: Some(me),
                ..Default::default()
            },
            BulkAction::InProgress => AlertUpdate {
                status: Some(AlertStatus::InProgress),
                ..Default::default()
            },
            BulkAction::Resolve => AlertUpdate {
                status: Some(AlertStatus::Resolved),
                ..Default::default()
            },
            BulkAction::FalsePositive => AlertUpdate {
                status: Some(AlertStatus::Resolved),
                classification: Some(AlertClassification::FalsePositive),
                determination: Some(AlertDetermination::NotMalicious),
                ..Default::default()
            },
        };
        match BulkJob::new(ids, update) {
            Ok(j) => {
                problem.set(None);
                run(j)
            }
            Err(e) => problem.set(Some(e.user_message())),
        }
    };
    let retry = move |_| {
        if let Some(mut j) = job.get_untracked() {
            j.retry_failures();
            run(j);
        }
    };
    view! {
        {move || {
            let n = q.checked.with(BTreeSet::len);
            let has_job = job.with(Option::is_some);
            (n > 0 || has_job).then(|| view! {
                <div id="bulk-bar" class="bulk-bar">
                    <span id="bulk-count">{format!("{n} selected")}</span>
                    <RequiresScope scope=scopes::ALERT_WRITE>
                        <select id="bulk-action" on:change=move |ev| action.set(match event_target_value(&ev).as_str() {
                            "progress" => BulkAction::InProgress,
                            "resolve" => BulkAction::Resolve,
                            "fp" => BulkAction::FalsePositive,
                            _ => BulkAction::AssignMe,
                        })>
                            <option value="assign">"Assign to me"</option>
                            <option value="progress">"Set in progress"</option>
                            <option value="resolve">"Resolve"</option>
                            <option value="fp">"Resolve as false positive (not malicious)"</option>
                        </select>
                        " "
                        <button id="bulk-apply" class="primary" disabled=move || running.get() || q.checked.with(BTreeSet::is_empty) on:click=start>
                            {format!("Apply to {n}")}
                        </button>
                    </RequiresScope>
                    <button class="link" id="bulk-clear" on:click=move |_| { q.checked.set(BTreeSet::new()); job.set(None); }>"Clear selection"</button>
                    {move || job.get().map(|j| {
                        let p = j.progress();
                        let failures: Vec<(String, String)> = j.failures().map(|(i, m)| (i.0.clone(), m.to_owned())).collect();
                        view! {
                            <span id="bulk-progress" role="status" data-done=p.is_finished().to_string()>{p.describe()}</span>
                            {(!failures.is_empty() && !running.get()).then(|| view! {
                                <button id="bulk-retry" on:click=retry>{format!("Retry {} failed", failures.len())}</button>
                            })}
                            <ul id="bulk-failures" class="failures">
                                {failures.into_iter().map(|(id, m)| view! { <li><code>{id}</code> ": " {m}</li> }).collect_view()}
                            </ul>
                        }
                    })}
                    {move || problem.get().map(|p| view! { <span class="error">{p}</span> })}
                </div>
            })
        }}
    }
}

#[component]
fn QueueTable(q: Q) -> impl IntoView {
    let viewport_h = RwSignal::new(600.0);
    let columns = Memo::new(move |_| q.filter.with(|f| f.normalized().columns));
    let template = move || {
        let mut t = String::from("32px");
        for c in columns.get() {
            t.push(' ');
            t.push_str(match c {
                Column::Title => "minmax(220px, 3fr)",
                Column::Severity | Column::Status => "110px",
                Column::Created | Column::Updated => "150px",
                _ => "minmax(100px, 1fr)",
            });
        }
        t
    };
    let on_scroll = move |ev: leptos::ev::Event| {
        if let Some(el) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        {
            q.scroll_top.set(f64::from(el.scroll_top()));
            viewport_h.set(f64::from(el.client_height()));
        }
    };
    view! {
        <div class="queue-table" role="grid" aria-rowcount=move || q.view.with(Vec::len).to_string()>
            <div class="qrow qhead" role="row" style:grid-template-columns=template>
                <span role="columnheader">
                    <input type="checkbox" id="check-all" aria-label="Select all shown"
                        prop:checked={move || { let n = q.view.with(Vec::len); n > 0 && q.checked.with(BTreeSet::len) >= n }}
                        on:change=move |ev| {
                            if event_target_checked(&ev) {
                                let ids: BTreeSet<AlertId> = q.handle.table.with_value(|t| q.view.with_untracked(|v| v.iter().map(|&i| t.row(i).id.clone()).collect()));
                                q.checked.set(ids);
                            } else {
                                q.checked.set(BTreeSet::new());
                            }
                        } />
                </span>
                {move || columns.get().into_iter().map(|c| {
                    let sort = q.filter.with(|f| f.sort);
                    let mark = if sort.column == c { if sort.descending { " ▼" } else { " ▲" } } else { "" };
                    let aria = if sort.column == c { if sort.descending { "descending" } else { "ascending" } } else { "none" };
                    view! {
                        <button role="columnheader" class="colhead" data-col=c.key() aria-sort=aria on:click=move |_| {
                            q.set(|f| f.sort = f.sort.clicked(c));
                        }>{format!("{}{mark}", c.label())}</button>
                    }
                }).collect_view()}
            </div>
            <div id="queue-scroll" class="queue-scroll" on:scroll=on_scroll>
                <div class="queue-body" style:height=move || format!("{}px", q.view.with(Vec::len) as f64 * ROW_H)>
                    {move || {
                        q.handle.version.track();
                        let range = visible_range(q.scroll_top.get(), viewport_h.get(), ROW_H, q.view.with(Vec::len), 8);
                        let cols = columns.get();
                        let cursor = q.cursor.get();
                        let selected = q.filter.with(|f| f.selected.clone());
                        let checked = q.checked.get();
                        let template = template();
                        q.handle.table.with_value(|t| q.view.with(|v| {
                            v[range.clone()].iter().enumerate().map(|(k, &i)| {
                                let pos = range.start + k;
                                let r = t.row(i);
                                let id = r.id.clone();
                                let mut class = String::from("qrow");
                                if pos == cursor { class.push_str(" cursor"); }
                                if selected.as_ref() == Some(&r.id) { class.push_str(" open"); }
                                let is_checked = checked.contains(&r.id);
                                let cells = cols.iter().map(|&c| cell(t, i, c)).collect_view();
                                let id_click = id.clone();
                                let id_check = id.clone();
                                view! {
                                    <div class=class role="row" data-id=id.0.clone() data-pos=pos.to_string()
                                        style:transform=format!("translateY({}px)", pos as f64 * ROW_H)
                                        style:grid-template-columns=template.clone()
                                        on:click=move |_| { q.cursor.set(pos); q.select(Some(id_click.clone())); }>
                                        <span role="gridcell" on:click=|ev| ev.stop_propagation()>
                                            <input type="checkbox" class="row-check" aria-label="Select" prop:checked=is_checked
                                                on:change=move |_| toggle_checked(q, id_check.clone()) />
                                        </span>
                                        {cells}
                                    </div>
                                }
                            }).collect_view()
                        }))
                    }}
                </div>
            </div>
            {move || (q.view.with(Vec::is_empty) && q.loading.get().is_none()).then(|| view! {
                <p id="queue-empty" class="muted">"No alerts match these filters. Remove a filter above to widen the view."</p>
            })}
        </div>
    }
}

/// One cell as text (API strings are text nodes, never markup).
fn cell(t: &vigil_core::queue::Table, i: u32, c: Column) -> impl IntoView + use<> {
    let r = t.row(i);
    let inner = match c {
        Column::Severity => Either::Left(Either::Left(severity_badge(r.severity.as_ref()))),
        Column::Created => Either::Left(Either::Right(time_or_dash(r.created))),
        Column::Updated => Either::Left(Either::Right(time_or_dash(r.updated))),
        Column::Provider => {
            Either::Right(r.service.as_ref().map(service_label).unwrap_or_default())
        }
        Column::Status | Column::Classification | Column::Determination | Column::Detection => {
            Either::Right(humanize(&t.cell(i, c)))
        }
        _ => Either::Right(t.cell(i, c)),
    };
    let class = format!("qcell col-{}", c.key());
    view! { <span role="gridcell" class=class>{inner}</span> }
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
