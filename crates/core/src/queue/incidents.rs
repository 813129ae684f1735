//! The incident queue's view state: the alert queue's URL model for the fields incidents have.
//! Defender's default is the last six months, any status but resolved and redirected.

use super::filter::{Assigned, TimeRange};
use super::server::any_of;
use super::url::{Set, parse_pairs, write_pairs};
use crate::fields::incidents;
use crate::models::{
    AlertClassification, AlertDetermination, AlertSeverity, DateTime, Incident, IncidentId,
    IncidentStatus,
};
use crate::odata::{Filter, Query};

const DAY: i64 = 86_400;

/// The incident queue's filters, sort (newest first or by severity) and selection.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IncidentFilter {
    pub statuses: Set<IncidentStatus>,
    pub severities: Set<AlertSeverity>,
    pub classifications: Set<AlertClassification>,
    pub determinations: Set<AlertDetermination>,
    pub assigned: Assigned,
    /// Days back from now (180 by default); `None` for all time.
    pub days: Option<u32>,
    pub search: String,
    pub selected: Option<IncidentId>,
}

impl Default for IncidentFilter {
    fn default() -> Self {
        IncidentFilter {
            statuses: Set::of([IncidentStatus::Active, IncidentStatus::InProgress]),
            severities: Set::any(),
            classifications: Set::any(),
            determinations: Set::any(),
            assigned: Assigned::Anyone,
            days: Some(180),
            search: String::new(),
            selected: None,
        }
    }
}

impl IncidentFilter {
    pub fn to_query_string(&self) -> String {
        let d = IncidentFilter::default();
        let mut p: Vec<(&str, String)> = Vec::new();
        if self.statuses != d.statuses {
            p.push(("status", self.statuses.to_param()));
        }
        if self.severities != d.severities {
            p.push(("severity", self.severities.to_param()));
        }
        if self.classifications != d.classifications {
            p.push(("classification", self.classifications.to_param()));
        }
        if self.determinations != d.determinations {
            p.push(("determination", self.determinations.to_param()));
        }
        match &self.assigned {
            Assigned::Anyone => {}
            Assigned::Me => p.push(("assigned", "@me".into())),
            Assigned::Unassigned => p.push(("assigned", "@none".into())),
            Assigned::Name(n) if n.is_empty() => {}
            Assigned::Name(n) if n.starts_with('@') => p.push(("assigned", format!("@{n}"))),
            Assigned::Name(n) => p.push(("assigned", n.clone())),
        }
        if self.days != d.days {
            p.push((
                "days",
                self.days
                    .map_or_else(|| "all".to_owned(), |n| n.to_string()),
            ));
        }
        if !self.search.is_empty() {
            p.push(("q", self.search.clone()));
        }
        if let Some(s) = self.selected.as_ref().filter(|s| !s.0.is_empty()) {
            p.push(("incident", s.0.clone()));
        }
        write_pairs(&p)
    }

    pub fn from_query_string(qs: &str) -> IncidentFilter {
        let mut f = IncidentFilter::default();
        for (k, v) in parse_pairs(qs) {
            match k.as_str() {
                "status" => f.statuses = Set::from_param(&v).unwrap_or(f.statuses),
                "severity" => f.severities = Set::from_param(&v).unwrap_or(f.severities),
                "classification" => {
                    f.classifications = Set::from_param(&v).unwrap_or(f.classifications)
                }
                "determination" => {
                    f.determinations = Set::from_param(&v).unwrap_or(f.determinations)
                }
                "assigned" => {
                    f.assigned = match v.as_str() {
                        "" => Assigned::Anyone,
                        "@me" => Assigned::Me,
                        "@none" => Assigned::Unassigned,
                        n if n.starts_with("@@") => Assigned::Name(n[1..].to_owned()),
                        n if n.starts_with('@') => f.assigned,
                        n => Assigned::Name(n.to_owned()),
                    }
                }
                "days" => {
                    f.days = match v.as_str() {
                        "all" => None,
                        n => n.parse().ok().filter(|&n| n > 0).or(f.days),
                    }
                }
                "q" => f.search = v,
                "incident" => f.selected = Some(IncidentId::new(v)).filter(|s| !s.0.is_empty()),
                _ => {}
            }
        }
        f
    }

    /// `$filter` on status, severity, classification, determination, assignment and creation
    /// time, with `$expand=alerts` left to the detail view.
    pub fn server_query(&self, now: DateTime, me: Option<&str>) -> Query {
        let mut parts: Vec<Filter<Incident>> = Vec::new();
        parts.extend(any_of(incidents::STATUS, self.statuses.iter()));
        parts.extend(any_of(incidents::SEVERITY, self.severities.iter()));
        parts.extend(any_of(
            incidents::CLASSIFICATION,
            self.classifications.iter(),
        ));
        parts.extend(any_of(incidents::DETERMINATION, self.determinations.iter()));
        match &self.assigned {
            Assigned::Anyone => {}
            Assigned::Me => parts.extend(me.map(|m| incidents::ASSIGNED_TO.eq(m))),
            Assigned::Unassigned => parts.push(incidents::ASSIGNED_TO.is_null()),
            Assigned::Name(n) => parts.push(incidents::ASSIGNED_TO.eq(n.as_str())),
        }
        if let Some(days) = self.days {
            let from = DateTime::from_unix(now.unix_seconds() - i64::from(days) * DAY);
            parts.push(incidents::CREATED_DATE_TIME.ge(&from));
        }
        let q = Query::new().count(true);
        match Filter::all(parts) {
            Some(f) => q.filter(f),
            None => q,
        }
    }

    /// Whether `i` passes every filter (the client-side check, including free text over the
    /// name, description and tags).
    pub fn matches(&self, i: &Incident, now: DateTime, me: Option<&str>) -> bool {
        if !(self.statuses.admits(i.status.as_ref())
            && self.severities.admits(i.severity.as_ref())
            && self.classifications.admits(i.classification.as_ref())
            && self.determinations.admits(i.determination.as_ref()))
        {
            return false;
        }
        let assigned = i.assigned_to.as_deref().filter(|a| !a.is_empty());
        let ok = match &self.assigned {
            Assigned::Anyone => true,
            Assigned::Unassigned => assigned.is_none(),
            Assigned::Me => me
                .zip(assigned)
                .is_some_and(|(m, a)| m.eq_ignore_ascii_case(a)),
            Assigned::Name(n) => assigned.is_some_and(|a| a.eq_ignore_ascii_case(n)),
        };
        if !ok {
            return false;
        }
        if let Some(days) = self.days {
            let from = DateTime::from_unix(now.unix_seconds() - i64::from(days) * DAY);
            if i.created_date_time.is_none_or(|c| c < from) {
                return false;
            }
        }
        let text = [&i.display_name, &i.description, &i.assigned_to]
            .into_iter()
            .flatten()
            .map(|s| crate::lowercase::lower(s))
            .chain(i.tags().iter().map(|t| crate::lowercase::lower(t)))
            .chain([crate::lowercase::lower(&i.id.0)])
            .collect::<Vec<_>>()
            .join(" ");
        crate::lowercase::lower(&self.search)
            .split_whitespace()
            .all(|t| text.contains(t))
    }

    /// The alert queue's time range closest to this filter (for links from an incident to
    /// its alerts).
    pub fn alert_range(&self) -> TimeRange {
        match self.days {
            Some(1) => TimeRange::Last24h,
            Some(7) => TimeRange::Last7d,
            Some(30) => TimeRange::Last30d,
            _ => TimeRange::ALL_TIME,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_defaults() {
        assert_eq!(IncidentFilter::default().to_query_string(), "");
        let f = IncidentFilter {
            statuses: Set::of([IncidentStatus::Resolved]),
            assigned: Assigned::Name("a b@c".into()),
            days: None,
            search: "x&y".into(),
            selected: Some(IncidentId::new("42")),
            ..Default::default()
        };
        assert_eq!(IncidentFilter::from_query_string(&f.to_query_string()), f);
        assert_eq!(
            IncidentFilter::from_query_string("days=-3&status=nope"),
            IncidentFilter::default()
        );
    }
}
