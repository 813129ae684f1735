//! The alert queue's view state: filters, sort, the selected alert and the visible columns.
//!
//! The whole state lives in the URL ([`QueueFilter::to_query_string`] /
//! [`QueueFilter::from_query_string`]), so a view can be bookmarked, shared and restored by a
//! reload. Defaults are Defender's (New + In progress, High/Medium/Low, last 7 days, newest
//! first) and are left out of the URL, so the plain `/alerts` link is the default view.
//! Reading never fails: unknown keys and bad values are ignored and the default kept.
//!
//! Graph filters alerts_v2 on `assignedTo`, `classification`, `determination`,
//! `createdDateTime`, `lastUpdateDateTime`, `severity`, `serviceSource` and `status`;
//! [`QueueFilter::server_query`] sends those, and [`Matcher`] checks everything (the rest:
//! detection source, tenant, free text, resolved time) on the client.

use serde::{Deserialize, Serialize};

use super::evidence::push_search_text;
use super::url::{Member, Set, parse_pairs, write_pairs};
use crate::models::{
    Alert, AlertClassification, AlertDetermination, AlertId, AlertSeverity, AlertStatus, DateTime,
    DetectionSource, ServiceSource,
};
use crate::odata::{Filter, Query, alerts};

const DAY: i64 = 86_400;

/// The time window of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TimeRange {
    Last24h,
    Last7d,
    Last30d,
    /// Both ends optional; `Custom { from: None, to: None }` is "all time".
    Custom {
        from: Option<DateTime>,
        to: Option<DateTime>,
    },
}

impl TimeRange {
    pub const ALL_TIME: TimeRange = TimeRange::Custom {
        from: None,
        to: None,
    };

    /// `(from, to)` at `now`.
    pub fn bounds(&self, now: DateTime) -> (Option<DateTime>, Option<DateTime>) {
        let back = |days: i64| Some(DateTime::from_unix(now.unix_seconds() - days * DAY));
        match self {
            TimeRange::Last24h => (back(1), None),
            TimeRange::Last7d => (back(7), None),
            TimeRange::Last30d => (back(30), None),
            TimeRange::Custom { from, to } => (*from, *to),
        }
    }

    fn key(&self) -> &'static str {
        match self {
            TimeRange::Last24h => "24h",
            TimeRange::Last7d => "7d",
            TimeRange::Last30d => "30d",
            TimeRange::Custom { .. } => "custom",
        }
    }

    pub fn label(&self) -> String {
        match self {
            TimeRange::Last24h => "Last 24 hours".into(),
            TimeRange::Last7d => "Last 7 days".into(),
            TimeRange::Last30d => "Last 30 days".into(),
            TimeRange::Custom {
                from: None,
                to: None,
            } => "All time".into(),
            TimeRange::Custom { from, to } => format!(
                "{} to {}",
                from.map(|d| d.to_rfc3339()).unwrap_or_else(|| "…".into()),
                to.map(|d| d.to_rfc3339()).unwrap_or_else(|| "now".into())
            ),
        }
    }
}

/// Which timestamp the time range applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TimeField {
    #[default]
    Created,
    Updated,
    Resolved,
}

impl TimeField {
    fn key(self) -> &'static str {
        match self {
            TimeField::Created => "created",
            TimeField::Updated => "updated",
            TimeField::Resolved => "resolved",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        [TimeField::Created, TimeField::Updated, TimeField::Resolved]
            .into_iter()
            .find(|f| f.key().eq_ignore_ascii_case(s))
    }
}

/// Whose alerts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Assigned {
    #[default]
    Anyone,
    /// The signed-in user.
    Me,
    Unassigned,
    /// A UPN or display name as Graph stores it in `assignedTo`.
    Name(String),
}

impl Assigned {
    fn to_param(&self) -> Option<String> {
        match self {
            Assigned::Anyone => None,
            Assigned::Me => Some("@me".into()),
            Assigned::Unassigned => Some("@none".into()),
            // A name that itself starts with `@` gets a second one, so it cannot read as a token.
            Assigned::Name(n) if n.starts_with('@') => Some(format!("@{n}")),
            Assigned::Name(n) => Some(n.clone()),
        }
    }
    fn from_param(v: &str) -> Option<Self> {
        match v {
            "" | "@any" => Some(Assigned::Anyone),
            "@me" => Some(Assigned::Me),
            "@none" => Some(Assigned::Unassigned),
            n if n.starts_with("@@") => Some(Assigned::Name(n[1..].to_owned())),
            n if n.starts_with('@') => None,
            n => Some(Assigned::Name(n.to_owned())),
        }
    }
    fn normalized(self) -> Self {
        match self {
            Assigned::Name(n) if n.is_empty() => Assigned::Anyone,
            a => a,
        }
    }
    pub fn label(&self) -> String {
        match self {
            Assigned::Anyone => "Anyone".into(),
            Assigned::Me => "Me".into(),
            Assigned::Unassigned => "Unassigned".into(),
            Assigned::Name(n) => n.clone(),
        }
    }
}

/// A column of the alert table (also a sort key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Severity,
    Title,
    Status,
    Provider,
    Detection,
    Category,
    AssignedTo,
    Classification,
    Determination,
    Created,
    Updated,
    Incident,
    Tenant,
    Id,
}

impl Column {
    pub const ALL: [Column; 14] = [
        Column::Severity,
        Column::Title,
        Column::Status,
        Column::Provider,
        Column::Detection,
        Column::Category,
        Column::AssignedTo,
        Column::Classification,
        Column::Determination,
        Column::Created,
        Column::Updated,
        Column::Incident,
        Column::Tenant,
        Column::Id,
    ];
    pub const DEFAULT: [Column; 7] = [
        Column::Severity,
        Column::Title,
        Column::Status,
        Column::Provider,
        Column::Category,
        Column::AssignedTo,
        Column::Created,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Column::Severity => "severity",
            Column::Title => "title",
            Column::Status => "status",
            Column::Provider => "provider",
            Column::Detection => "detection",
            Column::Category => "category",
            Column::AssignedTo => "assigned",
            Column::Classification => "classification",
            Column::Determination => "determination",
            Column::Created => "created",
            Column::Updated => "updated",
            Column::Incident => "incident",
            Column::Tenant => "tenant",
            Column::Id => "id",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Severity => "Severity",
            Column::Title => "Title",
            Column::Status => "Status",
            Column::Provider => "Provider",
            Column::Detection => "Detection source",
            Column::Category => "Category",
            Column::AssignedTo => "Assigned to",
            Column::Classification => "Classification",
            Column::Determination => "Determination",
            Column::Created => "Created",
            Column::Updated => "Last updated",
            Column::Incident => "Incident",
            Column::Tenant => "Tenant",
            Column::Id => "Alert id",
        }
    }

    pub fn parse(s: &str) -> Option<Column> {
        Column::ALL
            .into_iter()
            .find(|c| c.key().eq_ignore_ascii_case(s.trim()))
    }
}

/// A sort column and direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    /// Newest first, as Graph returns them.
    fn default() -> Self {
        Sort {
            column: Column::Created,
            descending: true,
        }
    }
}

impl Sort {
    /// Clicking a header: the same column flips direction, another starts descending for dates
    /// and severity (most urgent first) and ascending otherwise.
    pub fn clicked(self, column: Column) -> Sort {
        if self.column == column {
            Sort {
                column,
                descending: !self.descending,
            }
        } else {
            Sort {
                column,
                descending: matches!(column, Column::Severity | Column::Created | Column::Updated),
            }
        }
    }
}

/// The queue's view state. Sets are empty for "any".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QueueFilter {
    pub statuses: Set<AlertStatus>,
    pub severities: Set<AlertSeverity>,
    pub services: Set<ServiceSource>,
    pub detections: Set<DetectionSource>,
    pub classifications: Set<AlertClassification>,
    pub determinations: Set<AlertDetermination>,
    pub assigned: Assigned,
    /// A tenant id (the app may be signed in to several); `None` for all.
    pub tenant: Option<String>,
    pub range: TimeRange,
    pub time_field: TimeField,
    /// Free text over title, description and evidence values (every word must occur).
    pub search: String,
    pub sort: Sort,
    pub selected: Option<AlertId>,
    /// Visible columns, in order; never empty.
    pub columns: Vec<Column>,
    /// Rows grouped under headers by this column's value (`None`: one flat list).
    pub group: Option<Column>,
}

impl Default for QueueFilter {
    /// Defender's defaults.
    fn default() -> Self {
        QueueFilter {
            statuses: Set::of([AlertStatus::New, AlertStatus::InProgress]),
            severities: Set::of([
                AlertSeverity::High,
                AlertSeverity::Medium,
                AlertSeverity::Low,
            ]),
            services: Set::any(),
            detections: Set::any(),
            classifications: Set::any(),
            determinations: Set::any(),
            assigned: Assigned::Anyone,
            tenant: None,
            range: TimeRange::Last7d,
            time_field: TimeField::Created,
            search: String::new(),
            sort: Sort::default(),
            selected: None,
            columns: Column::DEFAULT.to_vec(),
            group: None,
        }
    }
}

/// Who is looking, and when: what "me" and "last 7 days" mean.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub now: DateTime,
    /// The signed-in user's UPN.
    pub me: Option<&'a str>,
}

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
    /// Lower-cased searchable text.
    pub text: &'a str,
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
        self.terms.iter().all(|t| f.text.contains(t.as_str()))
    }

    /// Whether the filter searches text at all (if not, callers can skip building it).
    pub fn searches(&self) -> bool {
        !self.terms.is_empty()
    }

    /// Checks a full alert (the searchable text is built on the fly).
    pub fn admits_alert(&self, a: &Alert) -> bool {
        let text = if self.searches() {
            search_text(a)
        } else {
            String::new()
        };
        self.admits(&facts_of(a, &text))
    }
}

/// The facts of an alert; `text` is its [`search_text`] (or empty when not searching).
pub fn facts_of<'a>(a: &'a Alert, text: &'a str) -> Facts<'a> {
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
        text,
    }
}

/// Lower-cased title, description, id and evidence values, for free-text search.
pub fn search_text(a: &Alert) -> String {
    let mut s = String::new();
    for part in [&a.title, &a.description, &a.category, &a.assigned_to]
        .into_iter()
        .flatten()
    {
        s.push_str(&part.to_lowercase());
        s.push(' ');
    }
    s.push_str(&a.id.0.to_lowercase());
    push_search_text(&a.evidence, &mut s);
    s
}

/// `field eq a or field eq b …`, without parentheses around a single comparison.
pub(crate) fn any_of<R, V: crate::odata::FilterLiteral + Member>(
    field: crate::odata::Field<R, V>,
    set: std::slice::Iter<'_, V>,
) -> Option<Filter<R>> {
    let values: Vec<&V> = set.collect();
    match values.as_slice() {
        [one] => Some(field.eq(one)),
        _ => field.any_of(values),
    }
}

/// One removable filter chip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chip {
    pub key: ChipKey,
    pub label: String,
}

/// Which part of the filter a chip stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChipKey {
    Status,
    Severity,
    Service,
    Detection,
    Classification,
    Determination,
    Assigned,
    Tenant,
    Range,
    Search,
}

/// `inProgress` → `In progress`; `microsoftDefenderForEndpoint` → `Microsoft defender for endpoint`.
pub fn humanize(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len() + 4);
    for (i, c) in wire.chars().enumerate() {
        if i == 0 {
            out.extend(c.to_uppercase());
        } else if c.is_uppercase() {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A short provider name for badges.
pub fn service_label(s: &ServiceSource) -> String {
    match s {
        ServiceSource::MicrosoftDefenderForEndpoint => "Defender for Endpoint".into(),
        ServiceSource::MicrosoftDefenderForIdentity => "Defender for Identity".into(),
        ServiceSource::MicrosoftDefenderForCloudApps => "Defender for Cloud Apps".into(),
        ServiceSource::MicrosoftDefenderForOffice365 => "Defender for Office 365".into(),
        ServiceSource::Microsoft365Defender => "Microsoft 365 Defender".into(),
        ServiceSource::AzureAdIdentityProtection => "Entra ID Protection".into(),
        ServiceSource::MicrosoftAppGovernance => "App Governance".into(),
        ServiceSource::DataLossPrevention => "Data Loss Prevention".into(),
        ServiceSource::MicrosoftDefenderForCloud => "Defender for Cloud".into(),
        ServiceSource::MicrosoftSentinel => "Sentinel".into(),
        ServiceSource::MicrosoftThreatIntelligence => "Threat Intelligence".into(),
        other => humanize(other.as_str()),
    }
}

fn set_label<E: Member>(name: &str, s: &Set<E>, label: impl Fn(&E) -> String) -> String {
    let parts: Vec<String> = s.iter().map(label).collect();
    format!("{name}: {}", parts.join(", "))
}

impl QueueFilter {
    /// The view as a query string without the leading `?` (empty for the default view).
    pub fn to_query_string(&self) -> String {
        let d = QueueFilter::default();
        let mut p: Vec<(&str, String)> = Vec::new();
        macro_rules! set {
            ($field:ident, $key:literal) => {
                if self.$field != d.$field {
                    p.push(($key, self.$field.to_param()));
                }
            };
        }
        set!(statuses, "status");
        set!(severities, "severity");
        set!(services, "service");
        set!(detections, "detection");
        set!(classifications, "classification");
        set!(determinations, "determination");
        if let Some(a) = self.assigned.to_param() {
            p.push(("assigned", a));
        }
        if let Some(t) = self.tenant.as_ref().filter(|t| !t.is_empty()) {
            p.push(("tenant", t.clone()));
        }
        if self.range != d.range {
            p.push(("range", self.range.key().to_owned()));
            if let TimeRange::Custom { from, to } = &self.range {
                if let Some(f) = from {
                    p.push(("from", f.to_rfc3339()));
                }
                if let Some(t) = to {
                    p.push(("to", t.to_rfc3339()));
                }
            }
        }
        if self.time_field != d.time_field {
            p.push(("on", self.time_field.key().to_owned()));
        }
        if !self.search.is_empty() {
            p.push(("q", self.search.clone()));
        }
        if self.sort != d.sort {
            p.push(("sort", self.sort.column.key().to_owned()));
            p.push((
                "dir",
                if self.sort.descending { "desc" } else { "asc" }.to_owned(),
            ));
        }
        if let Some(s) = self.selected.as_ref().filter(|s| !s.0.is_empty()) {
            p.push(("alert", s.0.clone()));
        }
        let cols = self.normalized_columns();
        if cols != d.columns {
            p.push((
                "cols",
                cols.iter().map(|c| c.key()).collect::<Vec<_>>().join(","),
            ));
        }
        if let Some(g) = self.group {
            p.push(("group", g.key().to_owned()));
        }
        write_pairs(&p)
    }

    /// Reads a query string (with or without `?`). Never fails: unknown keys and bad values
    /// are ignored and leave the default.
    pub fn from_query_string(qs: &str) -> QueueFilter {
        let pairs = parse_pairs(qs);
        Self::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// Reads decoded `(key, value)` pairs (what a router's query map holds). The last value of
    /// a repeated key wins.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> QueueFilter {
        let mut f = QueueFilter::default();
        let mut range_key = None;
        let (mut from, mut to) = (None, None);
        let mut sort_col = None;
        let mut dir = None;
        for (k, v) in pairs {
            match k {
                "status" => f.statuses = Set::from_param(v).unwrap_or(f.statuses),
                "severity" => f.severities = Set::from_param(v).unwrap_or(f.severities),
                "service" => f.services = Set::from_param(v).unwrap_or(f.services),
                "detection" => f.detections = Set::from_param(v).unwrap_or(f.detections),
                "classification" => {
                    f.classifications = Set::from_param(v).unwrap_or(f.classifications)
                }
                "determination" => {
                    f.determinations = Set::from_param(v).unwrap_or(f.determinations)
                }
                "assigned" => f.assigned = Assigned::from_param(v).unwrap_or(f.assigned),
                "tenant" => f.tenant = Some(v.to_owned()).filter(|t| !t.is_empty()),
                "range" => range_key = Some(v.to_owned()),
                "from" => from = DateTime::parse(v),
                "to" => to = DateTime::parse(v),
                "on" => f.time_field = TimeField::parse(v).unwrap_or(f.time_field),
                "q" => f.search = v.to_owned(),
                "sort" => sort_col = Column::parse(v),
                "dir" => {
                    dir = match v {
                        "asc" => Some(false),
                        "desc" => Some(true),
                        _ => None,
                    }
                }
                "group" => f.group = Column::parse(v),
                "alert" => f.selected = Some(AlertId::new(v)).filter(|s| !s.0.is_empty()),
                "cols" => {
                    let mut cols: Vec<Column> = Vec::new();
                    for c in v.split(',').filter_map(Column::parse) {
                        if !cols.contains(&c) {
                            cols.push(c);
                        }
                    }
                    if !cols.is_empty() {
                        f.columns = cols;
                    }
                }
                _ => {}
            }
        }
        f.range = match range_key.as_deref() {
            Some("24h") => TimeRange::Last24h,
            Some("7d") => TimeRange::Last7d,
            Some("30d") => TimeRange::Last30d,
            Some("custom") | Some("all") => TimeRange::Custom { from, to },
            _ => f.range,
        };
        if let Some(column) = sort_col {
            f.sort = Sort {
                column,
                descending: dir.unwrap_or(f.sort.descending),
            };
        } else if let Some(descending) = dir {
            f.sort.descending = descending;
        }
        f
    }

    /// The same view with equivalent spellings made equal (what a URL round trip gives).
    pub fn normalized(&self) -> QueueFilter {
        let mut f = self.clone();
        f.assigned = f.assigned.normalized();
        f.tenant = f.tenant.filter(|t| !t.is_empty());
        f.selected = f.selected.filter(|s| !s.0.is_empty());
        f.columns = f.normalized_columns();
        f
    }

    fn normalized_columns(&self) -> Vec<Column> {
        let mut cols: Vec<Column> = Vec::new();
        for c in &self.columns {
            if !cols.contains(c) {
                cols.push(*c);
            }
        }
        if cols.is_empty() {
            Column::DEFAULT.to_vec()
        } else {
            cols
        }
    }

    /// Prepares the filter for checking alerts.
    pub fn matcher(&self, viewer: Viewer<'_>) -> Matcher<'_> {
        let (from, to) = self.range.bounds(viewer.now);
        Matcher {
            filter: self,
            me: viewer.me.map(str::to_owned),
            from,
            to,
            terms: self
                .search
                .to_lowercase()
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        }
    }

    /// Whether `alert` passes the whole filter (server-side and client-side parts).
    pub fn matches(&self, alert: &Alert, viewer: Viewer<'_>) -> bool {
        self.matcher(viewer).admits_alert(alert)
    }

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

    /// The filter chips to show (everything that narrows the queue), each removable with
    /// [`QueueFilter::without`].
    pub fn chips(&self) -> Vec<Chip> {
        let mut out = Vec::new();
        let mut push = |key, label: String| out.push(Chip { key, label });
        if !self.statuses.is_any() {
            push(
                ChipKey::Status,
                set_label("Status", &self.statuses, |s| humanize(s.as_str())),
            );
        }
        if !self.severities.is_any() {
            push(
                ChipKey::Severity,
                set_label("Severity", &self.severities, |s| humanize(s.as_str())),
            );
        }
        if !self.services.is_any() {
            push(
                ChipKey::Service,
                set_label("Provider", &self.services, service_label),
            );
        }
        if !self.detections.is_any() {
            push(
                ChipKey::Detection,
                set_label("Detection", &self.detections, |s| humanize(s.as_str())),
            );
        }
        if !self.classifications.is_any() {
            push(
                ChipKey::Classification,
                set_label("Classification", &self.classifications, |s| {
                    humanize(s.as_str())
                }),
            );
        }
        if !self.determinations.is_any() {
            push(
                ChipKey::Determination,
                set_label("Determination", &self.determinations, |s| {
                    humanize(s.as_str())
                }),
            );
        }
        if self.assigned != Assigned::Anyone {
            push(
                ChipKey::Assigned,
                format!("Assigned to: {}", self.assigned.label()),
            );
        }
        if let Some(t) = &self.tenant {
            push(ChipKey::Tenant, format!("Tenant: {t}"));
        }
        if self.range != TimeRange::ALL_TIME {
            let on = match self.time_field {
                TimeField::Created => "Created",
                TimeField::Updated => "Updated",
                TimeField::Resolved => "Resolved",
            };
            push(ChipKey::Range, format!("{on}: {}", self.range.label()));
        }
        if !self.search.trim().is_empty() {
            push(ChipKey::Search, format!("Text: {}", self.search.trim()));
        }
        out
    }

    /// The view without one chip's restriction (sets become "any", the range "all time").
    pub fn without(&self, key: ChipKey) -> QueueFilter {
        let mut f = self.clone();
        match key {
            ChipKey::Status => f.statuses = Set::any(),
            ChipKey::Severity => f.severities = Set::any(),
            ChipKey::Service => f.services = Set::any(),
            ChipKey::Detection => f.detections = Set::any(),
            ChipKey::Classification => f.classifications = Set::any(),
            ChipKey::Determination => f.determinations = Set::any(),
            ChipKey::Assigned => f.assigned = Assigned::Anyone,
            ChipKey::Tenant => f.tenant = None,
            ChipKey::Range => f.range = TimeRange::ALL_TIME,
            ChipKey::Search => f.search.clear(),
        }
        f
    }

    /// The view with only the filters (sort, selection and columns kept at their defaults);
    /// what the overview links carry.
    pub fn filters_only(self) -> QueueFilter {
        let d = QueueFilter::default();
        QueueFilter {
            sort: d.sort,
            selected: None,
            columns: d.columns,
            group: None,
            ..self
        }
    }
}

/// A named view ("Unassigned high severity"): a name and the view's query string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub name: String,
    /// [`QueueFilter::to_query_string`] of the view.
    pub query: String,
}

#[derive(Serialize, Deserialize)]
struct SavedViewsFile {
    #[serde(default)]
    version: u32,
    #[serde(default)]
    views: Vec<serde_json::Value>,
}

impl SavedView {
    pub fn new(name: impl Into<String>, filter: &QueueFilter) -> Self {
        SavedView {
            name: name.into(),
            query: filter.to_query_string(),
        }
    }

    pub fn filter(&self) -> QueueFilter {
        QueueFilter::from_query_string(&self.query)
    }

    /// The built-in views analysts expect.
    pub fn builtin() -> Vec<SavedView> {
        let unassigned_high = QueueFilter {
            severities: Set::of([AlertSeverity::High]),
            assigned: Assigned::Unassigned,
            ..QueueFilter::default()
        };
        let mine = QueueFilter {
            assigned: Assigned::Me,
            severities: Set::any(),
            range: TimeRange::ALL_TIME,
            ..QueueFilter::default()
        };
        vec![
            SavedView::new("Unassigned high severity", &unassigned_high),
            SavedView::new("Assigned to me", &mine),
        ]
    }

    /// Views as a JSON document for export: `{"version":1,"views":[{"name","query"}…]}`.
    pub fn to_json(views: &[SavedView]) -> String {
        let file = SavedViewsFile {
            version: 1,
            views: views
                .iter()
                .filter_map(|v| serde_json::to_value(v).ok())
                .collect(),
        };
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Reads exported views (also a bare array). Entries without a name are skipped, and each
    /// query is normalised through [`QueueFilter`], so a hand-edited file cannot smuggle in
    /// anything the URL would not hold. `Err` only when the text is not JSON of either shape.
    pub fn from_json(text: &str) -> Result<Vec<SavedView>, String> {
        let raw: Vec<serde_json::Value> = match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Array(a)) => a,
            Ok(v @ serde_json::Value::Object(_)) => {
                serde_json::from_value::<SavedViewsFile>(v)
                    .map_err(|e| format!("not a saved-views file: {e}"))?
                    .views
            }
            Ok(_) => return Err("not a saved-views file: expected an object or a list".into()),
            Err(e) => return Err(format!("not JSON: {e}")),
        };
        Ok(raw
            .into_iter()
            .filter_map(|v| serde_json::from_value::<SavedView>(v).ok())
            .filter(|v| !v.name.trim().is_empty())
            .map(|v| SavedView {
                name: v.name.trim().to_owned(),
                query: QueueFilter::from_query_string(&v.query).to_query_string(),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_view_is_the_empty_query_string() {
        assert_eq!(QueueFilter::default().to_query_string(), "");
        assert_eq!(QueueFilter::from_query_string(""), QueueFilter::default());
        assert_eq!(QueueFilter::from_query_string("?"), QueueFilter::default());
    }

    #[test]
    fn bad_values_keep_defaults() {
        let f = QueueFilter::from_query_string(
            "status=bogus&severity=%ZZ&range=forever&sort=nope&dir=sideways&cols=x&assigned=@who&zzz=1",
        );
        assert_eq!(f, QueueFilter::default());
        // Partly good lists keep the good members.
        let f = QueueFilter::from_query_string("status=resolved,bogus");
        assert_eq!(f.statuses, Set::of([AlertStatus::Resolved]));
        // An empty list means "any".
        let f = QueueFilter::from_query_string("status=");
        assert!(f.statuses.is_any());
    }

    #[test]
    fn assigned_tokens_and_names() {
        for a in [
            Assigned::Me,
            Assigned::Unassigned,
            Assigned::Name("@me".into()),
            Assigned::Name("o'brien@contoso.example".into()),
        ] {
            let f = QueueFilter {
                assigned: a.clone(),
                ..Default::default()
            };
            assert_eq!(
                QueueFilter::from_query_string(&f.to_query_string()).assigned,
                a
            );
        }
    }

    #[test]
    fn humanized_labels() {
        assert_eq!(humanize("inProgress"), "In progress");
        assert_eq!(humanize("high"), "High");
    }
}
