//! What the view says in words: the removable filter chips, and the labels of wire values
//! (`inProgress` → `In progress`, provider names) the pages show.

use super::filter::{Assigned, QueueFilter, TimeField, TimeRange};
use super::url::{Member, Set};
use crate::models::ServiceSource;

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
/// Wire spellings are ASCII camelCase, so only ASCII letters change case: Unicode's upper-case
/// table is not linked for this (3.0 kB brotli, measured 2026-12-02).
pub fn humanize(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len() + 4);
    for (i, c) in wire.chars().enumerate() {
        if i == 0 {
            out.push(c.to_ascii_uppercase());
        } else if c.is_ascii_uppercase() {
            out.push(' ');
            out.push(c.to_ascii_lowercase());
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

impl QueueFilter {
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
}

impl TimeRange {
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

impl Assigned {
    pub fn label(&self) -> String {
        match self {
            Assigned::Anyone => "Anyone".into(),
            Assigned::Me => "Me".into(),
            Assigned::Unassigned => "Unassigned".into(),
            Assigned::Name(n) => n.clone(),
        }
    }
}

fn set_label<E: Member>(name: &str, s: &Set<E>, label: impl Fn(&E) -> String) -> String {
    let parts: Vec<String> = s.iter().map(label).collect();
    format!("{name}: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humanized_labels() {
        assert_eq!(humanize("inProgress"), "In progress");
        assert_eq!(humanize("high"), "High");
    }
}
