//! The queue's toolbar: search, filters, saved views, export, copy link.

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::models::*;
use vigil_core::queue::chips::{humanize, service_label};
use vigil_core::queue::export::{self, ExportOptions, Format, thousands};
use vigil_core::queue::{Assigned, QueueFilter, Set as MemberSet, TimeRange};

use crate::auth::use_auth;
use crate::browser::{copy_text, download};
use crate::components::later;
use crate::components::queue::{export_offset, now};
use crate::prefs::use_prefs;

use super::columns::{ColumnChooser, GroupBy};
use super::filters::MoreFilters;
use super::live::LiveRefresh;
use super::views::SavedViews;
use super::{PROVIDERS, Q};

#[component]
pub(super) fn Toolbar(q: Q) -> impl IntoView {
    let prefs = use_prefs();
    let auth = use_auth();
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
                thousands(loaded as u64),
                thousands(total)
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
            {move || {
                let accounts = auth.accounts();
                (accounts.len() > 1).then(|| view! {
                    <label>"Tenant "
                        <select id="filter-tenant" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            q.set(|f| f.tenant = (!v.is_empty()).then_some(v));
                        }>
                            <option value="">"All signed-in tenants"</option>
                            {accounts.into_iter().map(|a| {
                                let id = a.tenant_id.clone();
                                view! {
                                    <option value=a.tenant_id.clone() selected=move || q.filter.with(|f| f.tenant.as_deref() == Some(id.as_str()))>{a.tenant_name}</option>
                                }
                            }).collect_view()}
                        </select>
                    </label>
                })
            }}
            // Menus in a task of their own, after the filters (see `later`).
            {later(move || view! {
                <MoreFilters q />
                <GroupBy q />
                <ColumnChooser q />
                <SavedViews q />
                <LiveRefresh q />
            }.into_any())}
            <button id="export-csv" on:click=move |_| do_export(Format::Csv)>"Export CSV"</button>
            <button id="export-ndjson" on:click=move |_| do_export(Format::Ndjson)>"Export NDJSON"</button>
            <button id="copy-link" title="Copy a link to this exact view" on:click=move |_| {
                let here = window().location().href().unwrap_or_default();
                spawn_local(async move {
                    let _ = exported.try_set(Some(match copy_text(&here).await {
                        true => "Link copied.".into(),
                        false => "Copy the address bar: the browser refused the clipboard.".into(),
                    }));
                });
            }>"Copy link"</button>
            <button id="help-toggle" on:click=move |_| q.help.update(|h| *h = !*h)>"Keys ( ? )"</button>
            {move || exported.get().map(|m| view! { <span id="export-status" class="muted" role="status">{m}</span> })}
        </div>
    }
}
