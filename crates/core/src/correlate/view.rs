//! The correlation page's state as its URL holds it: the engine's settings (window, hub
//! threshold, hubs put back), the cluster filters and the selected cluster, so a view can be
//! bookmarked and shared like the queue's.

use super::{Cluster, Settings};
use crate::models::{AlertId, AlertSeverity};
use crate::url::{form_parse, form_serialize};

/// Windows offered (hours); any other number in the URL is kept as given.
pub const WINDOWS: [u32; 5] = [6, 24, 72, 168, 720];

/// What `/correlation?…` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrelationView {
    /// Link alerts at most this many hours apart (0: no limit).
    pub window_hours: u32,
    /// An entity in more than this percent of a tenant's alerts is a hub (0: no hubs).
    pub hub_percent: u32,
    /// Hubs put back by the analyst, by identifier key.
    pub include: Vec<String>,
    /// Only clusters that span at least this many providers.
    pub min_providers: u32,
    /// Only clusters with at least this many alerts (1 shows single alerts too).
    pub min_alerts: u32,
    /// Only clusters whose highest severity is at least this.
    pub severity: Option<AlertSeverity>,
    /// Only clusters with an alert that is not resolved.
    pub open_only: bool,
    /// Only clusters with an alert in the last this many days (0: any time).
    pub days: u32,
    /// The cluster shown beside the list (its key: its first alert's id).
    pub selected: Option<AlertId>,
}

impl Default for CorrelationView {
    fn default() -> Self {
        let s = Settings::default();
        CorrelationView {
            window_hours: s.window_hours,
            hub_percent: s.hub_percent,
            include: Vec::new(),
            min_providers: 1,
            min_alerts: 2,
            severity: None,
            open_only: false,
            days: 0,
            selected: None,
        }
    }
}

impl CorrelationView {
    /// The engine's settings for this view.
    pub fn settings(&self) -> Settings {
        Settings {
            window_hours: self.window_hours,
            hub_percent: self.hub_percent,
            included_hubs: self.include.clone(),
            ..Settings::default()
        }
    }

    /// Whether a cluster passes the filters; `now_secs` bounds the time range.
    pub fn admits(&self, c: &Cluster, now_secs: i64) -> bool {
        c.providers.len() as u32 >= self.min_providers
            && c.alerts.len() as u32 >= self.min_alerts
            && self
                .severity
                .as_ref()
                .is_none_or(|min| rank(c.severity.as_ref()) >= rank(Some(min)))
            && (!self.open_only || c.status.open() > 0)
            && (self.days == 0
                || c.last
                    .is_some_and(|t| t.unix_seconds() >= now_secs - i64::from(self.days) * 86_400))
    }

    /// The query string, without `?`; defaults are left out, so the plain page is `""`.
    pub fn to_query_string(&self) -> String {
        let d = CorrelationView::default();
        let numbers = [
            ("window", self.window_hours, d.window_hours),
            ("hubs", self.hub_percent, d.hub_percent),
            ("providers", self.min_providers, d.min_providers),
            ("alerts", self.min_alerts, d.min_alerts),
            ("days", self.days, d.days),
        ];
        let numbers: Vec<(&str, String)> = numbers
            .into_iter()
            .filter(|(_, v, default)| v != default)
            .map(|(k, v, _)| (k, v.to_string()))
            .collect();
        let mut pairs: Vec<(&str, &str)> = numbers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        if let Some(s) = &self.severity {
            pairs.push(("severity", s.as_str()));
        }
        if self.open_only {
            pairs.push(("open", "1"));
        }
        for key in &self.include {
            pairs.push(("include", key));
        }
        if let Some(id) = &self.selected {
            pairs.push(("cluster", id.as_str()));
        }
        form_serialize(pairs)
    }

    /// Reads a query string; anything unreadable keeps its default.
    pub fn from_query_string(qs: &str) -> CorrelationView {
        let mut v = CorrelationView::default();
        for (k, value) in form_parse(qs) {
            let number = || value.parse::<u32>().ok();
            match k.as_str() {
                "window" => v.window_hours = number().unwrap_or(v.window_hours),
                "hubs" => v.hub_percent = number().map_or(v.hub_percent, |n| n.min(100)),
                "providers" => v.min_providers = number().unwrap_or(v.min_providers),
                "alerts" => v.min_alerts = number().map_or(v.min_alerts, |n| n.max(1)),
                "days" => v.days = number().unwrap_or(v.days),
                "severity" => {
                    let s = AlertSeverity::parse(&value);
                    if rank(Some(&s)) > 0 {
                        v.severity = Some(s);
                    }
                }
                "open" => v.open_only = value == "1",
                "include" if !value.is_empty() && !v.include.contains(&value) => {
                    v.include.push(value)
                }
                "cluster" if !value.is_empty() => v.selected = Some(AlertId::new(value)),
                _ => {}
            }
        }
        v
    }

    /// This view with a hub put back (or taken out again).
    pub fn toggled_hub(&self, key: &str) -> CorrelationView {
        let mut v = self.clone();
        if let Some(at) = v.include.iter().position(|k| k == key) {
            v.include.remove(at);
        } else {
            v.include.push(key.to_owned());
        }
        v
    }
}

/// Severity order for filtering: unknown and informational lowest.
fn rank(s: Option<&AlertSeverity>) -> u8 {
    match s {
        Some(AlertSeverity::High) => 4,
        Some(AlertSeverity::Medium) => 3,
        Some(AlertSeverity::Low) => 2,
        Some(AlertSeverity::Informational) => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_view_is_the_plain_page_and_every_field_round_trips() {
        assert_eq!(CorrelationView::default().to_query_string(), "");
        let v = CorrelationView {
            window_hours: 24,
            hub_percent: 0,
            include: vec!["ip:10.0.0.1".into(), "upn:a b@contoso.com".into()],
            min_providers: 2,
            min_alerts: 3,
            severity: Some(AlertSeverity::High),
            open_only: true,
            days: 7,
            selected: Some(AlertId::new("da1&2")),
        };
        let qs = v.to_query_string();
        assert_eq!(CorrelationView::from_query_string(&qs), v);
        assert!(qs.contains("include=upn%3Aa+b%40contoso.com"), "{qs}");
    }

    #[test]
    fn bad_values_keep_their_defaults() {
        let v = CorrelationView::from_query_string(
            "window=soon&hubs=250&alerts=0&severity=catastrophic&open=yes&include=&cluster=",
        );
        assert_eq!(v.window_hours, 72);
        assert_eq!(v.hub_percent, 100);
        assert_eq!(v.min_alerts, 1);
        assert_eq!(v.severity, None);
        assert!(!v.open_only);
        assert!(v.include.is_empty());
        assert_eq!(v.selected, None);
    }

    #[test]
    fn a_hub_is_put_back_and_taken_out_again() {
        let v = CorrelationView::default().toggled_hub("ip:10.0.0.1");
        assert_eq!(v.include, ["ip:10.0.0.1"]);
        assert_eq!(v.settings().included_hubs, ["ip:10.0.0.1"]);
        assert!(v.toggled_hub("ip:10.0.0.1").include.is_empty());
    }
}
