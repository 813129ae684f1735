//! The eDiscovery page's state in the URL: the case list's status filter and search, and the
//! open case (tenant and id) with its section.

use crate::models::{CaseStatus, EdiscoveryCase};
use crate::url::{form_parse, form_serialize};

/// The case page's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    Overview,
    Report,
}

impl Section {
    fn key(self) -> &'static str {
        match self {
            Section::Overview => "",
            Section::Report => "report",
        }
    }
}

/// What `/ediscovery?…` shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EdiscoveryView {
    /// Only cases with this status (wire spelling); `None` for all.
    pub status: Option<CaseStatus>,
    /// Matched against the name and the external id, case-insensitively.
    pub search: String,
    /// The open case: (tenant id, case id).
    pub case: Option<(String, String)>,
    pub section: Section,
}

impl EdiscoveryView {
    pub fn from_query_string(qs: &str) -> EdiscoveryView {
        let mut v = EdiscoveryView::default();
        let mut tenant = None;
        let mut case = None;
        for (k, value) in form_parse(qs) {
            match k.as_str() {
                "status" if !value.is_empty() => v.status = Some(CaseStatus::parse(&value)),
                "q" => v.search = value,
                "tenant" if !value.is_empty() => tenant = Some(value),
                "case" if !value.is_empty() => case = Some(value),
                "view" => {
                    v.section = match value.as_str() {
                        "report" => Section::Report,
                        _ => Section::Overview,
                    }
                }
                _ => {}
            }
        }
        v.case = tenant.zip(case);
        v
    }

    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if let Some(s) = &self.status {
            pairs.push(("status", s.as_str()));
        }
        if !self.search.is_empty() {
            pairs.push(("q", &self.search));
        }
        if let Some((t, c)) = &self.case {
            pairs.push(("tenant", t));
            pairs.push(("case", c));
        }
        if self.section != Section::Overview {
            pairs.push(("view", self.section.key()));
        }
        form_serialize(pairs)
    }

    /// Whether `case` passes the status filter and the search.
    pub fn matches(&self, case: &EdiscoveryCase) -> bool {
        let status_ok = self
            .status
            .as_ref()
            .is_none_or(|s| case.status.as_ref() == Some(s));
        let q = crate::lowercase::lower(self.search.trim());
        let text_ok = q.is_empty()
            || [&case.display_name, &case.external_id].iter().any(|f| {
                f.as_deref()
                    .is_some_and(|t| crate::lowercase::lower(t).contains(&q))
            });
        status_ok && text_ok
    }
}

/// Whether a case can still change (its operations can run, custodians be added).
pub fn is_open(case: &EdiscoveryCase) -> bool {
    matches!(
        case.status,
        Some(CaseStatus::Active) | Some(CaseStatus::Closing) | None
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_junk() {
        let v = EdiscoveryView {
            status: Some(CaseStatus::Closed),
            search: "FAB & co".into(),
            case: Some(("t-1".into(), "c/1".into())),
            section: Section::Report,
        };
        assert_eq!(EdiscoveryView::from_query_string(&v.to_query_string()), v);
        assert_eq!(EdiscoveryView::default().to_query_string(), "");
        let half = EdiscoveryView::from_query_string("case=x&zzz=1");
        assert_eq!(half.case, None, "a case without its tenant is not a case");
    }

    #[test]
    fn filters_by_status_and_by_name_or_external_id() {
        let case = |name: &str, ext: &str, status| EdiscoveryCase {
            display_name: Some(name.into()),
            external_id: Some(ext.into()),
            status: Some(status),
            ..Default::default()
        };
        let a = case("Contoso v. Litware", "CTS-0042", CaseStatus::Active);
        let b = case("HR inquiry", "HR-7", CaseStatus::Closed);
        let mut v = EdiscoveryView::default();
        assert!(v.matches(&a) && v.matches(&b));
        v.search = "cts-00".into();
        assert!(v.matches(&a) && !v.matches(&b));
        v.search = "inquiry".into();
        assert!(!v.matches(&a) && v.matches(&b));
        v.status = Some(CaseStatus::Active);
        assert!(!v.matches(&b));
        v.search.clear();
        assert!(v.matches(&a));
        assert!(is_open(&a) && !is_open(&b));
    }
}
