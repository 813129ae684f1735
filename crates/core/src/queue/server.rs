//! The server-side part of the alert queue's view: `$filter` on the properties Graph filters
//! alerts_v2 on (`assignedTo`, `classification`, `determination`, `createdDateTime`,
//! `lastUpdateDateTime`, `severity`, `serviceSource` and `status`). The rest is checked on the
//! client by [`super::matcher::Matcher`].

use super::filter::{Assigned, QueueFilter, TimeField, Viewer};
use super::url::Member;
use crate::fields::alerts;
use crate::models::Alert;
use crate::odata::{Field, Filter, FilterLiteral, Query};

impl QueueFilter {
    /// The server-side part: `$filter` on the properties Graph filters alerts_v2 on, plus
    /// `$count=true` for progress. "Assigned to me" needs `viewer.me`; without it the
    /// condition is left to the client.
    pub fn server_query(&self, viewer: Viewer<'_>) -> Query {
        let mut parts: Vec<Filter<Alert>> = Vec::new();
        parts.extend(any_of(alerts::STATUS, self.statuses.iter()));
        parts.extend(any_of(alerts::SEVERITY, self.severities.iter()));
        parts.extend(any_of(alerts::SERVICE_SOURCE, self.services.iter()));
        parts.extend(any_of(alerts::CLASSIFICATION, self.classifications.iter()));
        parts.extend(any_of(alerts::DETERMINATION, self.determinations.iter()));
        match &self.assigned {
            Assigned::Anyone => {}
            Assigned::Me => parts.extend(viewer.me.map(|me| alerts::ASSIGNED_TO.eq(me))),
            Assigned::Unassigned => parts.push(alerts::ASSIGNED_TO.is_null()),
            Assigned::Name(n) => parts.push(alerts::ASSIGNED_TO.eq(n.as_str())),
        }
        let (from, to) = self.range.bounds(viewer.now);
        let field = match self.time_field {
            TimeField::Created => alerts::CREATED_DATE_TIME,
            // Resolving an alert updates it, so "resolved since" implies "updated since"; the
            // client checks the resolved time itself.
            TimeField::Updated | TimeField::Resolved => alerts::LAST_UPDATE_DATE_TIME,
        };
        parts.extend(from.map(|f| field.ge(&f)));
        if self.time_field != TimeField::Resolved {
            parts.extend(to.map(|t| field.le(&t)));
        }
        let q = Query::new().count(true);
        match Filter::all(parts) {
            Some(f) => q.filter(f),
            None => q,
        }
    }
}

/// `field eq a or field eq b …`, without parentheses around a single comparison.
pub(crate) fn any_of<R, V: FilterLiteral + Member>(
    field: Field<R, V>,
    set: std::slice::Iter<'_, V>,
) -> Option<Filter<R>> {
    let values: Vec<&V> = set.collect();
    match values.as_slice() {
        [one] => Some(field.eq(one)),
        _ => field.any_of(values),
    }
}
