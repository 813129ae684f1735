//! The alert queue's view state: filters, sort, the selected alert and the visible columns.
//!
//! The whole state lives in the URL ([`QueueFilter::to_query_string`] /
//! [`QueueFilter::from_query_string`]), so a view can be bookmarked, shared and restored by a
//! reload. Defaults are Defender's (New + In progress, High/Medium/Low, last 7 days, newest
//! first) and are left out of the URL, so the plain `/alerts` link is the default view.
//! Reading never fails: unknown keys and bad values are ignored and the default kept.
//!
//! What the state means lives beside it: [`QueueFilter::server_query`] (in `server.rs`) turns
//! it into Graph's `$filter`, [`super::matcher`] checks alerts against all of it on the
//! client, [`super::chips`] labels it, and [`super::saved`] names it.

use super::url::{Set, parse_pairs, write_pairs};
use crate::models::{
    AlertClassification, AlertDetermination, AlertId, AlertSeverity, AlertStatus, DateTime,
    DetectionSource, ServiceSource,
};

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
}
