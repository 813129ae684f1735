//! Pivots: from a value shown anywhere (a severity, a provider, an assignee, a device name) to
//! the queue view of the alerts that share it, or that do not.

use crate::models::{
    AlertClassification, AlertDetermination, AlertSeverity, AlertStatus, DetectionSource,
    ServiceSource,
};

use super::filter::{Assigned, Column, QueueFilter};
use super::{Member, Set};

/// A value the analyst can pivot on.
#[derive(Debug, Clone, PartialEq)]
pub enum Pivot {
    Severity(AlertSeverity),
    Status(AlertStatus),
    Service(ServiceSource),
    Detection(DetectionSource),
    Classification(AlertClassification),
    Determination(AlertDetermination),
    AssignedTo(String),
    /// Any other text (a category, a user, a device, an IP address, a hash): found by search.
    Text(String),
}

/// What to do with a pivot value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Only alerts with this value (the other filters kept).
    Only,
    /// Alerts with this value too (added to the filter's members).
    Include,
    /// Every alert but those with this value.
    Exclude,
    /// Alerts whose text contains the value.
    Search,
    /// Group the queue by this value's column.
    GroupBy,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::Only => "Show only this",
            Action::Include => "Include this too",
            Action::Exclude => "Exclude this",
            Action::Search => "Search for this",
            Action::GroupBy => "Group the queue by this",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Action::Only => "only",
            Action::Include => "include",
            Action::Exclude => "exclude",
            Action::Search => "search",
            Action::GroupBy => "group",
        }
    }
}

impl Pivot {
    /// The value as shown and searched (the wire spelling for enum values).
    pub fn value(&self) -> &str {
        match self {
            Pivot::Severity(v) => v.as_str(),
            Pivot::Status(v) => v.as_str(),
            Pivot::Service(v) => v.as_str(),
            Pivot::Detection(v) => v.as_str(),
            Pivot::Classification(v) => v.as_str(),
            Pivot::Determination(v) => v.as_str(),
            Pivot::AssignedTo(v) | Pivot::Text(v) => v,
        }
    }

    /// The queue column holding this kind of value.
    pub fn column(&self) -> Option<Column> {
        Some(match self {
            Pivot::Severity(_) => Column::Severity,
            Pivot::Status(_) => Column::Status,
            Pivot::Service(_) => Column::Provider,
            Pivot::Detection(_) => Column::Detection,
            Pivot::Classification(_) => Column::Classification,
            Pivot::Determination(_) => Column::Determination,
            Pivot::AssignedTo(_) => Column::AssignedTo,
            Pivot::Text(_) => return None,
        })
    }

    /// Whether `f` admits this value: `None` when the value is not a filter member (text,
    /// assignee).
    fn admitted(&self, f: &QueueFilter) -> Option<bool> {
        Some(match self {
            Pivot::Severity(v) => f.severities.admits(Some(v)),
            Pivot::Status(v) => f.statuses.admits(Some(v)),
            Pivot::Service(v) => f.services.admits(Some(v)),
            Pivot::Detection(v) => f.detections.admits(Some(v)),
            Pivot::Classification(v) => f.classifications.admits(Some(v)),
            Pivot::Determination(v) => f.determinations.admits(Some(v)),
            Pivot::AssignedTo(_) | Pivot::Text(_) => return None,
        })
    }

    /// The actions that make sense for this value seen from `base`, in menu order: "include"
    /// only when `base` leaves the value out, "exclude" only when it lets it in.
    pub fn actions(&self, base: &QueueFilter) -> Vec<Action> {
        let mut a = Vec::new();
        match self.admitted(base) {
            Some(true) => a.extend([Action::Only, Action::Exclude]),
            Some(false) => a.extend([Action::Only, Action::Include]),
            None if matches!(self, Pivot::AssignedTo(_)) => a.push(Action::Only),
            None => {}
        }
        if !self.value().trim().is_empty() {
            a.push(Action::Search);
        }
        if self.column().is_some() {
            a.push(Action::GroupBy);
        }
        a
    }

    /// `base` changed by `action` on this value, with no alert open.
    pub fn apply(&self, action: Action, base: &QueueFilter) -> QueueFilter {
        let mut f = base.clone();
        f.selected = None;
        match action {
            Action::Search => f.search = self.value().trim().to_owned(),
            Action::GroupBy => f.group = self.column().or(f.group),
            Action::Only | Action::Include | Action::Exclude => {
                let only = action == Action::Only;
                match self {
                    Pivot::Severity(v) => f.severities = change(&f.severities, v, action),
                    Pivot::Status(v) => f.statuses = change(&f.statuses, v, action),
                    Pivot::Service(v) => f.services = change(&f.services, v, action),
                    Pivot::Detection(v) => f.detections = change(&f.detections, v, action),
                    Pivot::Classification(v) => {
                        f.classifications = change(&f.classifications, v, action)
                    }
                    Pivot::Determination(v) => {
                        f.determinations = change(&f.determinations, v, action)
                    }
                    Pivot::AssignedTo(v) if only => {
                        f.assigned = if v.trim().is_empty() {
                            Assigned::Unassigned
                        } else {
                            Assigned::Name(v.clone())
                        }
                    }
                    Pivot::AssignedTo(_) | Pivot::Text(_) => {}
                }
            }
        }
        f
    }
}

/// `{v}` (only), the set with `v` (include), or the set without `v` (exclude: every other
/// known member when that would leave nothing; Graph's `unknownFutureValue` sentinel is never a
/// value to filter on).
fn change<E: Member>(set: &Set<E>, v: &E, action: Action) -> Set<E> {
    match action {
        Action::Only => return Set::of([v.clone()]),
        Action::Include if set.is_any() => return set.clone(),
        Action::Include => return Set::of(set.iter().cloned().chain([v.clone()])),
        _ => {}
    }
    let rest: Vec<E> = set.iter().filter(|e| *e != v).cloned().collect();
    if rest.is_empty() {
        Set::of(
            E::known()
                .iter()
                .filter(|k| **k != "unknownFutureValue")
                .map(|k| E::from_wire(k))
                .filter(|e| e != v),
        )
    } else {
        Set::of(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_keeps_the_other_filters_and_closes_the_alert() {
        let base = QueueFilter {
            search: "ps".into(),
            selected: Some(crate::models::AlertId::new("a1")),
            ..QueueFilter::default()
        };
        let f =
            Pivot::Service(ServiceSource::MicrosoftDefenderForEndpoint).apply(Action::Only, &base);
        assert_eq!(
            f.services.as_slice(),
            [ServiceSource::MicrosoftDefenderForEndpoint]
        );
        assert_eq!(f.search, "ps");
        assert_eq!(f.selected, None);
        assert_eq!(f.statuses, base.statuses);
    }

    #[test]
    fn exclude_removes_one_member_or_takes_every_other() {
        let base = QueueFilter::default(); // high, medium, low
        let f = Pivot::Severity(AlertSeverity::Low).apply(Action::Exclude, &base);
        assert_eq!(
            f.severities,
            Set::of([AlertSeverity::High, AlertSeverity::Medium])
        );
        let any = QueueFilter {
            statuses: Set::any(),
            ..QueueFilter::default()
        };
        let f = Pivot::Status(AlertStatus::Resolved).apply(Action::Exclude, &any);
        assert!(!f.statuses.contains(&AlertStatus::Resolved));
        assert!(f.statuses.contains(&AlertStatus::New));
        assert!(f.statuses.contains(&AlertStatus::InProgress));
    }

    #[test]
    fn include_is_offered_for_a_value_the_filter_leaves_out() {
        let base = QueueFilter::default(); // high, medium, low
        let info = Pivot::Severity(AlertSeverity::Informational);
        assert_eq!(
            info.actions(&base),
            [
                Action::Only,
                Action::Include,
                Action::Search,
                Action::GroupBy
            ]
        );
        let f = info.apply(Action::Include, &base);
        assert!(f.severities.contains(&AlertSeverity::Informational));
        assert!(f.severities.contains(&AlertSeverity::High));
        let high = Pivot::Severity(AlertSeverity::High);
        assert_eq!(high.actions(&base)[..2], [Action::Only, Action::Exclude]);
    }

    #[test]
    fn text_pivots_search_and_assignees_filter() {
        let base = QueueFilter::default();
        let host = Pivot::Text("ws-0042.contoso.example".into());
        assert_eq!(host.actions(&base), [Action::Search]);
        assert_eq!(
            host.apply(Action::Search, &base).search,
            "ws-0042.contoso.example"
        );
        let who = Pivot::AssignedTo("alex@contoso.example".into());
        assert_eq!(
            who.apply(Action::Only, &base).assigned,
            Assigned::Name("alex@contoso.example".into())
        );
        assert_eq!(
            who.apply(Action::GroupBy, &base).group,
            Some(Column::AssignedTo)
        );
        assert_eq!(
            Pivot::AssignedTo(String::new())
                .apply(Action::Only, &base)
                .assigned,
            Assigned::Unassigned
        );
    }

    #[test]
    fn every_pivot_survives_the_url() {
        let base = QueueFilter::default();
        for p in [
            Pivot::Severity(AlertSeverity::High),
            Pivot::Detection(DetectionSource::Antivirus),
            Pivot::Classification(AlertClassification::FalsePositive),
            Pivot::Determination(AlertDetermination::Malware),
            Pivot::AssignedTo("@odd".into()),
            Pivot::Text("o'brien & co".into()),
        ] {
            for a in p.actions(&base) {
                let f = p.apply(a, &base);
                assert_eq!(
                    QueueFilter::from_query_string(&f.to_query_string()),
                    f,
                    "{p:?} {a:?}"
                );
            }
        }
    }
}
