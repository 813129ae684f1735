//! Pieces of the alert and incident queues shared by the pages: downloads, badges, the
//! evidence list, time helpers. Every API string is rendered as a text node.

mod bulk;
mod correlation;
mod detail;
mod pivot;

pub use bulk::{BulkState, BulkStatus};
pub use correlation::{entity_href, membership_href};
pub use detail::{AlertDetail, triage};
pub use pivot::PivotValue;

use leptos::prelude::*;
use vigil_core::correlate::Correlator;
use vigil_core::models::{AlertSeverity, DateTime};
use vigil_core::queue::chips::humanize;
use vigil_core::queue::evidence::{EvidenceView, Group, grouped, process_chain};
use vigil_core::queue::pivot::Pivot;

use crate::components::Time;
use crate::prefs::TimeZone;

/// The alert queue's view as the address bar has it (the default view off the queue page): what
/// links and pivots from an alert start from. Takes the location's `pathname` and `search`.
pub fn queue_filter_here(
    pathname: Memo<String>,
    search: Memo<String>,
) -> vigil_core::queue::QueueFilter {
    if pathname.get_untracked() == "/alerts" {
        vigil_core::queue::QueueFilter::from_query_string(&search.get_untracked())
    } else {
        vigil_core::queue::QueueFilter::default()
    }
}

/// Now, as the core's UTC instant.
pub fn now() -> DateTime {
    DateTime::from_unix_millis(js_sys::Date::now() as i64)
}

/// Minutes east of UTC for exports in the chosen time zone.
pub fn export_offset(zone: TimeZone) -> i32 {
    match zone {
        TimeZone::Utc => 0,
        TimeZone::Local => -(js_sys::Date::new_0().get_timezone_offset() as i32),
    }
}

/// A severity badge (`sev sev-high`).
pub fn severity_badge(s: Option<&AlertSeverity>) -> impl IntoView + use<> {
    let (class, label) = severity_look(s);
    view! { <span class=class>{label}</span> }
}

/// A severity badge's class and label.
pub fn severity_look(s: Option<&AlertSeverity>) -> (String, String) {
    let wire = s.map(|s| s.as_str().to_owned()).unwrap_or_default();
    let class = format!("sev sev-{}", wire.to_ascii_lowercase());
    let label = if wire.is_empty() {
        "—".to_owned()
    } else {
        humanize(&wire)
    };
    (class, label)
}

/// An instant, or a dash.
pub fn time_or_dash(d: Option<DateTime>) -> impl IntoView + use<> {
    match d {
        Some(d) => leptos::either::Either::Left(view! { <Time epoch_ms=d.unix_millis() as f64 /> }),
        None => leptos::either::Either::Right(view! { <span class="muted">"—"</span> }),
    }
}

/// Only https links from the API become `href`s: never `javascript:` or `data:`, and never
/// plain http, which anyone on the way could rewrite.
pub fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    url.get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
        .then(|| url.to_owned())
}

fn evidence_item(v: EvidenceView, depth: usize) -> impl IntoView {
    let class = format!("evidence-item depth-{}", depth.min(6));
    view! {
        <li class=class>
            <span class="evidence-headline">{v.headline}</span>
            <dl class="evidence-fields">
                {v.fields.into_iter().map(|(k, val)| view! {
                    <dt>{k}</dt><dd><PivotValue pivot=Pivot::Text(val.clone()) label=val /></dd>
                }).collect_view()}
            </dl>
        </li>
    }
}

/// Evidence grouped by kind; processes as a parent/child chain.
pub fn evidence_list(evidence: &[vigil_core::models::Evidence]) -> impl IntoView + use<> {
    let groups = grouped(evidence);
    if groups.is_empty() {
        return leptos::either::Either::Left(view! { <p class="muted">"No evidence."</p> });
    }
    leptos::either::Either::Right(view! {
        <div class="evidence">
            {groups.into_iter().map(|(g, items)| {
                let count = items.len();
                let rows: Vec<(EvidenceView, usize)> = if g == Group::Processes {
                    let order = process_chain(&items);
                    let mut slots: Vec<Option<EvidenceView>> = items.into_iter().map(Some).collect();
                    order.into_iter().filter_map(|(i, d)| slots[i].take().map(|v| (v, d))).collect()
                } else {
                    items.into_iter().map(|v| (v, 0)).collect()
                };
                let key = format!("{g:?}").to_ascii_lowercase();
                view! {
                    <section class="evidence-group" data-group=key>
                        <h4>{format!("{} ({count})", g.label())}</h4>
                        <ul>{rows.into_iter().map(|(v, d)| evidence_item(v, d)).collect_view()}</ul>
                    </section>
                }
            }).collect_view()}
        </div>
    })
}

/// The loaded table and its change counter, shared by the queue page, the detail pane and
/// bulk jobs. `Copy`.
#[derive(Clone, Copy)]
pub struct TableHandle {
    pub table: StoredValue<vigil_core::queue::Table, LocalStorage>,
    /// Bumped whenever the table changes.
    pub version: RwSignal<u64>,
    /// The loaded alerts correlated (the table keeps rows, this their entities): what the
    /// detail pane asks for an alert's cluster, entities and triage advice, with no request.
    pub correlator: StoredValue<Correlator, LocalStorage>,
    /// Bumped when the correlated alerts settle: a load ends, or alerts are merged one by one
    /// (not for each slice of a load, so an open pane does not relink while pages arrive).
    pub correlated: RwSignal<u64>,
}

impl TableHandle {
    pub fn new() -> Self {
        TableHandle {
            table: StoredValue::new_local(vigil_core::queue::Table::new()),
            version: RwSignal::new(0),
            correlator: StoredValue::new_local(Correlator::default()),
            correlated: RwSignal::new(0),
        }
    }

    /// Inserts or replaces alerts; returns how many were new.
    pub fn merge(&self, alerts: &[vigil_core::models::Alert]) -> usize {
        crate::components::every_alert::keep_patches(alerts);
        let added = self.merge_quietly(alerts).unwrap_or_default();
        self.version.try_update(|v| *v += 1);
        self.correlated.try_update(|v| *v += 1);
        added
    }

    /// Inserts or replaces alerts without telling anyone (a load's slice; [`settle`] after);
    /// `None` once the table is gone.
    ///
    /// [`settle`]: Self::settle
    pub fn merge_quietly(&self, alerts: &[vigil_core::models::Alert]) -> Option<usize> {
        let added = self.merge_rows_quietly(alerts)?;
        self.correlate_quietly(alerts);
        Some(added)
    }

    /// [`merge_quietly`]'s two halves, for a first screen of rows drawn before the
    /// correlation's code first runs (compiled as it goes).
    ///
    /// [`merge_quietly`]: Self::merge_quietly
    pub fn merge_rows_quietly(&self, alerts: &[vigil_core::models::Alert]) -> Option<usize> {
        self.table
            .try_update_value(|t| t.merge(alerts.iter()))
            .map(|m| m.added)
    }

    pub fn correlate_quietly(&self, alerts: &[vigil_core::models::Alert]) {
        self.correlator.try_update_value(|c| c.add(alerts));
    }

    /// The rows and the correlation are current: views of either follow.
    pub fn settle(&self) {
        self.version.try_update(|v| *v += 1);
        self.correlated.try_update(|v| *v += 1);
    }

    /// The tenant an alert of the table came from (`None` when unknown).
    pub fn tenant_of(&self, id: &vigil_core::models::AlertId) -> Option<String> {
        self.table.with_value(|t| {
            t.position(id)
                .map(|i| t.str(t.row(i).tenant).to_owned())
                .filter(|s| !s.is_empty())
        })
    }

    pub fn clear(&self) {
        self.table.set_value(vigil_core::queue::Table::new());
        self.correlator.set_value(Correlator::default());
        self.version.update(|v| *v += 1);
        self.correlated.update(|v| *v += 1);
    }
}

impl Default for TableHandle {
    fn default() -> Self {
        Self::new()
    }
}

/// Every incident matching `query`, all pages.
pub async fn list_incidents<T: vigil_core::Transport>(
    client: &vigil_core::GraphClient<T>,
    query: &vigil_core::odata::Query,
) -> Result<Vec<vigil_core::models::Incident>, vigil_core::GraphError> {
    client.list_incidents(query).collect_all().await
}

/// One incident with its alerts (`$expand=alerts`).
pub async fn get_incident<T: vigil_core::Transport>(
    client: &vigil_core::GraphClient<T>,
    id: &vigil_core::models::IncidentId,
) -> Result<vigil_core::models::Incident, vigil_core::GraphError> {
    client.get_incident(id, true).await
}

#[cfg(test)]
mod tests {
    use super::safe_href;

    #[test]
    fn only_https_links_from_the_api_become_links() {
        assert_eq!(
            safe_href(" https://security.microsoft.com/alerts/x "),
            Some("https://security.microsoft.com/alerts/x".to_owned())
        );
        assert!(safe_href("HTTPS://security.microsoft.com").is_some());
        assert_eq!(safe_href("http://security.microsoft.com/alerts/x"), None);
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,<b>x</b>"), None);
        assert_eq!(safe_href("//evil.example/x"), None);
        assert_eq!(safe_href("https:"), None);
    }
}
