//! The client-side filter: whether an alert (or a table row's [`Facts`]) passes the whole view,
//! including what Graph cannot filter alerts_v2 on (detection source, tenant, free text,
//! resolved time).

use super::evidence::view;
use super::filter::{Assigned, QueueFilter, TimeField, Viewer};
use super::table::{Interner, Sym};
use crate::models::{
    Alert, AlertClassification, AlertDetermination, AlertSeverity, AlertStatus, DateTime,
    DetectionSource, ServiceSource,
};

/// What a filter looks at in one alert (borrowed from an [`Alert`] or a table row).
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    pub status: Option<&'a AlertStatus>,
    pub severity: Option<&'a AlertSeverity>,
    pub service: Option<&'a ServiceSource>,
    pub detection: Option<&'a DetectionSource>,
    pub classification: Option<&'a AlertClassification>,
    pub determination: Option<&'a AlertDetermination>,
    pub assigned_to: Option<&'a str>,
    pub tenant: Option<&'a str>,
    pub created: Option<DateTime>,
    pub updated: Option<DateTime>,
    pub resolved: Option<DateTime>,
    /// What free text is searched in.
    pub text: Searchable<'a>,
}

/// Where a search's terms are looked for.
#[derive(Debug, Clone, Copy)]
pub enum Searchable<'a> {
    /// An alert's lower-cased parts ([`search_parts`]).
    Parts(&'a [String]),
    /// A table row: its lower-cased words, interned in `strings`, and its id.
    Words {
        words: &'a [Sym],
        strings: &'a Interner,
        id: &'a str,
    },
}

impl Default for Searchable<'_> {
    fn default() -> Self {
        Searchable::Parts(&[])
    }
}

/// A filter prepared for checking many alerts.
#[derive(Debug, Clone)]
pub struct Matcher<'f> {
    filter: &'f QueueFilter,
    me: Option<String>,
    from: Option<DateTime>,
    to: Option<DateTime>,
    terms: Vec<String>,
}

impl Matcher<'_> {
    /// Whether the alert passes every filter.
    pub fn admits(&self, f: &Facts<'_>) -> bool {
        let q = self.filter;
        if !(q.statuses.admits(f.status)
            && q.severities.admits(f.severity)
            && q.services.admits(f.service)
            && q.detections.admits(f.detection)
            && q.classifications.admits(f.classification)
            && q.determinations.admits(f.determination))
        {
            return false;
        }
        let assigned = f.assigned_to.filter(|a| !a.is_empty());
        let ok = match &q.assigned {
            Assigned::Anyone => true,
            Assigned::Unassigned => assigned.is_none(),
            Assigned::Me => match (&self.me, assigned) {
                (Some(me), Some(a)) => a.eq_ignore_ascii_case(me),
                _ => false,
            },
            Assigned::Name(n) => assigned.is_some_and(|a| a.eq_ignore_ascii_case(n)),
        };
        if !ok {
            return false;
        }
        if let Some(t) = &q.tenant
            && f.tenant.is_none_or(|ft| !ft.eq_ignore_ascii_case(t))
        {
            return false;
        }
        if self.from.is_some() || self.to.is_some() {
            let at = match q.time_field {
                TimeField::Created => f.created,
                TimeField::Updated => f.updated,
                TimeField::Resolved => f.resolved,
            };
            let Some(at) = at else { return false };
            if self.from.is_some_and(|from| at < from) || self.to.is_some_and(|to| at > to) {
                return false;
            }
        }
        match f.text {
            Searchable::Parts(parts) => self
                .terms
                .iter()
                .all(|t| parts.iter().any(|p| p.contains(t.as_str()))),
            Searchable::Words { words, strings, id } => self.terms.iter().all(|t| {
                words.iter().any(|&w| strings.get(w).contains(t.as_str())) || contains_folded(id, t)
            }),
        }
    }

    /// Whether the filter searches text at all (if not, callers can skip building it).
    pub fn searches(&self) -> bool {
        !self.terms.is_empty()
    }

    /// Checks a full alert (its searchable parts are lower-cased on the fly).
    pub fn admits_alert(&self, a: &Alert) -> bool {
        let parts = if self.searches() {
            search_parts(a)
        } else {
            Vec::new()
        };
        self.admits(&facts_of(a, &parts))
    }
}

/// Whether `hay` holds `lower` (lower-cased) in any ASCII case: alert ids are ASCII.
fn contains_folded(hay: &str, lower: &str) -> bool {
    let (hay, lower) = (hay.as_bytes(), lower.as_bytes());
    lower.is_empty()
        || hay
            .windows(lower.len())
            .any(|w| w.eq_ignore_ascii_case(lower))
}

/// The facts of an alert; `parts` are its [`search_parts`] (or none when not searching).
fn facts_of<'a>(a: &'a Alert, parts: &'a [String]) -> Facts<'a> {
    Facts {
        status: a.status.as_ref(),
        severity: a.severity.as_ref(),
        service: a.service_source.as_ref(),
        detection: a.detection_source.as_ref(),
        classification: a.classification.as_ref(),
        determination: a.determination.as_ref(),
        assigned_to: a.assigned_to.as_deref(),
        tenant: a.tenant_id.as_deref(),
        created: a.created_date_time,
        updated: a.last_update_date_time,
        resolved: a.resolved_date_time,
        text: Searchable::Parts(parts),
    }
}

/// Each searchable part of an alert as it is: title, description, category, assignee and
/// evidence values (the id apart: a table searches it as it is).
pub(crate) fn each_part(a: &Alert, each: &mut dyn FnMut(&str)) {
    for part in [&a.title, &a.description, &a.category, &a.assigned_to]
        .into_iter()
        .flatten()
    {
        each(part);
    }
    for e in &a.evidence {
        for (_, v) in view(e).fields {
            each(&v);
        }
    }
}

/// An alert's searchable parts and id, lower-cased. A term is found in one part (terms have no
/// spaces), so a table row's words find what these find.
pub fn search_parts(a: &Alert) -> Vec<String> {
    let mut out = Vec::new();
    each_part(a, &mut |p| out.push(crate::lowercase::lower(p)));
    out.push(crate::lowercase::lower(&a.id.0));
    out
}

impl QueueFilter {
    /// Prepares the filter for checking alerts.
    pub fn matcher(&self, viewer: Viewer<'_>) -> Matcher<'_> {
        let (from, to) = self.range.bounds(viewer.now);
        Matcher {
            filter: self,
            me: viewer.me.map(str::to_owned),
            from,
            to,
            terms: crate::lowercase::lower(&self.search)
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        }
    }

    /// Whether `alert` passes the whole filter (server-side and client-side parts).
    pub fn matches(&self, alert: &Alert, viewer: Viewer<'_>) -> bool {
        self.matcher(viewer).admits_alert(alert)
    }
}
