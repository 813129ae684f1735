//! The overview page's figures, computed from loaded alerts and incidents. Every figure
//! carries the queue view that reproduces it ([`Link`]), so the page can link each number to
//! the filtered queue.

use crate::sorted::SortedMap;

use crate::fields::alerts;
use crate::models::{
    Alert, AlertId, AlertSeverity, AlertStatus, DateTime, Incident, IncidentStatus,
};
use crate::odata::{Filter, Query};
use crate::queue::Set;
use crate::queue::chips::{humanize, service_label};
use crate::queue::filter::{Assigned, Column, QueueFilter, Sort, TimeField, TimeRange};
use crate::queue::incidents::IncidentFilter;

const DAY: i64 = 86_400;

/// The days the per-day chart covers.
pub const DAYS: usize = 30;

/// The queue view behind a figure.
#[derive(Debug, Clone, PartialEq)]
pub enum Link {
    Alerts(QueueFilter),
    Incidents(IncidentFilter),
}

impl Link {
    /// The app path, e.g. `/alerts?severity=high&range=custom`.
    pub fn href(&self) -> String {
        let (path, qs) = match self {
            Link::Alerts(f) => ("/alerts", f.to_query_string()),
            Link::Incidents(f) => ("/incidents", f.to_query_string()),
        };
        if qs.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{qs}")
        }
    }
}

/// One number with its label and link.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub label: String,
    pub value: usize,
    pub link: Link,
}

/// New and resolved alerts on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    /// `YYYY-MM-DD` in the requested offset.
    pub date: String,
    pub new: usize,
    pub resolved: usize,
    pub new_link: Link,
    pub resolved_link: Link,
}

/// Mean time from creation to resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeToResolve {
    pub mean_seconds: i64,
    /// Alerts the mean is over.
    pub sample: usize,
    pub link: Link,
}

/// An open, unassigned, high-severity alert that has waited long.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    pub id: AlertId,
    pub title: String,
    pub created: Option<DateTime>,
    pub age_seconds: i64,
    pub link: Link,
}

/// Everything the overview page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    pub open_alerts: Figure,
    pub open_alerts_by_severity: Vec<Figure>,
    pub open_alerts_by_provider: Vec<Figure>,
    pub open_incidents: Figure,
    pub open_incidents_by_severity: Vec<Figure>,
    /// Oldest first, [`DAYS`] entries ending today.
    pub per_day: Vec<Day>,
    pub time_to_resolve: Option<TimeToResolve>,
    /// Oldest first, at most 10.
    pub oldest_unassigned_high: Vec<Waiting>,
    /// All of them, in the queue.
    pub oldest_unassigned_high_link: Link,
}

fn is_open(a: &Alert) -> bool {
    matches!(
        a.status,
        Some(AlertStatus::New) | Some(AlertStatus::InProgress)
    )
}

fn open_alerts_filter() -> QueueFilter {
    QueueFilter {
        severities: Set::any(),
        range: TimeRange::ALL_TIME,
        ..QueueFilter::default()
    }
}

const SEVERITIES: [AlertSeverity; 4] = [
    AlertSeverity::High,
    AlertSeverity::Medium,
    AlertSeverity::Low,
    AlertSeverity::Informational,
];

/// The alert listings the overview needs: everything updated in the last [`DAYS`] days
/// (covers created and resolved in the window) and every open alert (the oldest waiting ones
/// may be older). Merge the results by id.
pub fn alert_queries(now: DateTime) -> [Query; 2] {
    let from = DateTime::from_unix(now.unix_seconds() - DAYS as i64 * DAY);
    let open: Filter<Alert> = alerts::STATUS
        .any_of(&[AlertStatus::New, AlertStatus::InProgress])
        .expect("two statuses");
    [
        Query::new()
            .filter(alerts::LAST_UPDATE_DATE_TIME.ge(&from))
            .count(true),
        Query::new().filter(open).count(true),
    ]
}

/// The incident listing the overview needs (open incidents).
pub fn incident_query(now: DateTime) -> Query {
    IncidentFilter {
        days: None,
        ..IncidentFilter::default()
    }
    .server_query(now, None)
}

/// Computes the overview at `now`; days are counted at `offset_minutes` east of UTC.
pub fn compute(
    alerts: &[Alert],
    incidents: &[Incident],
    now: DateTime,
    offset_minutes: i32,
) -> Overview {
    let open: Vec<&Alert> = alerts.iter().filter(|a| is_open(a)).collect();

    let base = open_alerts_filter();
    let open_alerts = Figure {
        label: "Open alerts".into(),
        value: open.len(),
        link: Link::Alerts(base.clone()),
    };
    let open_alerts_by_severity = SEVERITIES
        .iter()
        .map(|s| Figure {
            label: humanize(s.as_str()),
            value: open
                .iter()
                .filter(|a| a.severity.as_ref() == Some(s))
                .count(),
            link: Link::Alerts(QueueFilter {
                severities: Set::of([s.clone()]),
                ..base.clone()
            }),
        })
        .collect();

    let mut by_provider: SortedMap<String, (usize, QueueFilter)> = SortedMap::new();
    for a in &open {
        let (label, filter) = match a
            .service_source
            .as_ref()
            .filter(|s| !matches!(s, crate::models::ServiceSource::Unrecognized(_)))
        {
            Some(s) => (
                service_label(s),
                QueueFilter {
                    services: Set::of([s.clone()]),
                    ..base.clone()
                },
            ),
            None => ("Other".to_owned(), base.clone()),
        };
        by_provider.get_or_insert_with(label, || (0, filter)).0 += 1;
    }
    let mut open_alerts_by_provider: Vec<Figure> = by_provider
        .into_iter()
        .map(|(label, (value, f))| Figure {
            label,
            value,
            link: Link::Alerts(f),
        })
        .collect();
    crate::sort::by(&mut open_alerts_by_provider, |a, b| {
        b.value.cmp(&a.value).then(a.label.cmp(&b.label))
    });

    let inc_base = IncidentFilter {
        days: None,
        ..IncidentFilter::default()
    };
    let open_inc: Vec<&Incident> = incidents
        .iter()
        .filter(|i| {
            matches!(
                i.status,
                Some(IncidentStatus::Active) | Some(IncidentStatus::InProgress)
            )
        })
        .collect();
    let open_incidents = Figure {
        label: "Open incidents".into(),
        value: open_inc.len(),
        link: Link::Incidents(inc_base.clone()),
    };
    let open_incidents_by_severity = SEVERITIES
        .iter()
        .map(|s| Figure {
            label: humanize(s.as_str()),
            value: open_inc
                .iter()
                .filter(|i| i.severity.as_ref() == Some(s))
                .count(),
            link: Link::Incidents(IncidentFilter {
                severities: Set::of([s.clone()]),
                ..inc_base.clone()
            }),
        })
        .collect();

    // Days in the requested offset: day n covers [start(n), start(n+1)) in UTC seconds.
    let off = i64::from(offset_minutes) * 60;
    let today = (now.unix_seconds() + off).div_euclid(DAY);
    let first = today - (DAYS as i64 - 1);
    let start = |day: i64| day * DAY - off;
    let day_of = |t: DateTime| (t.unix_seconds() + off).div_euclid(DAY);
    let mut new = [0usize; DAYS];
    let mut resolved = [0usize; DAYS];
    for a in alerts {
        if let Some(c) = a.created_date_time {
            let d = day_of(c);
            if (first..=today).contains(&d) {
                new[(d - first) as usize] += 1;
            }
        }
        if let Some(r) = a.resolved_date_time.filter(|r| !r.is_sentinel()) {
            let d = day_of(r);
            if (first..=today).contains(&d) {
                resolved[(d - first) as usize] += 1;
            }
        }
    }
    let any = QueueFilter {
        statuses: Set::any(),
        severities: Set::any(),
        ..QueueFilter::default()
    };
    let per_day = (0..DAYS)
        .map(|n| {
            let day = first + n as i64;
            let range = TimeRange::Custom {
                from: Some(DateTime::from_unix(start(day))),
                to: Some(DateTime::from_unix(start(day + 1) - 1)),
            };
            let (y, m, d) = DateTime::from_unix(day * DAY).date();
            Day {
                date: format!("{y:04}-{m:02}-{d:02}"),
                new: new[n],
                resolved: resolved[n],
                new_link: Link::Alerts(QueueFilter {
                    range: range.clone(),
                    ..any.clone()
                }),
                resolved_link: Link::Alerts(QueueFilter {
                    statuses: Set::of([AlertStatus::Resolved]),
                    range,
                    time_field: TimeField::Resolved,
                    ..any.clone()
                }),
            }
        })
        .collect();

    let window_start = DateTime::from_unix(now.unix_seconds() - DAYS as i64 * DAY);
    let durations: Vec<i64> = alerts
        .iter()
        .filter_map(|a| {
            let r = a.resolved_date_time.filter(|r| !r.is_sentinel())?;
            let c = a.created_date_time?;
            (r >= window_start && r >= c).then(|| r.unix_seconds() - c.unix_seconds())
        })
        .collect();
    let time_to_resolve = (!durations.is_empty()).then(|| TimeToResolve {
        mean_seconds: durations.iter().sum::<i64>() / durations.len() as i64,
        sample: durations.len(),
        link: Link::Alerts(QueueFilter {
            statuses: Set::of([AlertStatus::Resolved]),
            range: TimeRange::Last30d,
            time_field: TimeField::Resolved,
            ..any.clone()
        }),
    });

    let waiting_filter = QueueFilter {
        severities: Set::of([AlertSeverity::High]),
        assigned: Assigned::Unassigned,
        range: TimeRange::ALL_TIME,
        sort: Sort {
            column: Column::Created,
            descending: false,
        },
        ..QueueFilter::default()
    };
    let mut waiting: Vec<&Alert> = open
        .iter()
        .copied()
        .filter(|a| {
            a.severity == Some(AlertSeverity::High)
                && a.assigned_to.as_deref().is_none_or(str::is_empty)
        })
        .collect();
    // Oldest first; alerts without a creation time last.
    crate::sort::by_key(&mut waiting, |a| {
        (a.created_date_time.is_none(), a.created_date_time)
    });
    let oldest_unassigned_high = waiting
        .iter()
        .take(10)
        .map(|a| Waiting {
            id: a.id.clone(),
            title: a.title.clone().unwrap_or_default(),
            created: a.created_date_time,
            age_seconds: a
                .created_date_time
                .map_or(0, |c| now.unix_seconds() - c.unix_seconds()),
            link: Link::Alerts(QueueFilter {
                selected: Some(a.id.clone()),
                ..waiting_filter.clone()
            }),
        })
        .collect();

    Overview {
        open_alerts,
        open_alerts_by_severity,
        open_alerts_by_provider,
        open_incidents,
        open_incidents_by_severity,
        per_day,
        time_to_resolve,
        oldest_unassigned_high,
        oldest_unassigned_high_link: Link::Alerts(waiting_filter),
    }
}

/// "3 d 4 h", "5 h 12 min", "42 min" for a duration in seconds.
pub fn format_duration(secs: i64) -> String {
    let s = secs.max(0);
    let (d, h, m) = (s / DAY, s % DAY / 3600, s % 3600 / 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m} min")
    } else {
        format!("{m} min")
    }
}
