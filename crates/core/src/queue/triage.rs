//! The triage rules of one alert or incident, as the triage forms apply them: which
//! determinations fit a classification, what an edit changes (only that is sent), when the form
//! refuses to send, and the optimistic view of a pending change.

use crate::models::{
    Alert, AlertClassification, AlertDetermination, AlertStatus, AlertUpdate, Incident,
    IncidentStatus, IncidentUpdate,
};

/// What the triage form holds, as wire values. An empty status, classification or
/// determination is "not chosen" and never sent; an empty assignee (after trimming) unassigns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TriageEdit<'a> {
    pub status: &'a str,
    pub classification: &'a str,
    pub determination: &'a str,
    pub assigned_to: &'a str,
}

/// Why the form does not send an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Resolving without saying why.
    CommentNeeded,
    /// Neither a change nor a comment.
    NothingChanged,
}

impl Refusal {
    /// What the form says.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::CommentNeeded => {
                "Resolving asks for a comment: say why, so the next analyst knows."
            }
            Refusal::NothingChanged => "Nothing changed.",
        }
    }
}

/// The determinations that fit a classification (Defender offers these together); none for an
/// unset or unknown classification.
pub fn determinations_for(c: Option<&AlertClassification>) -> Vec<AlertDetermination> {
    use AlertDetermination as D;
    match c {
        Some(AlertClassification::TruePositive) => vec![
            D::MultiStagedAttack,
            D::MaliciousUserActivity,
            D::CompromisedAccount,
            D::Malware,
            D::Phishing,
            D::UnwantedSoftware,
            D::Apt,
            D::SecurityTesting,
            D::SecurityPersonnel,
            D::Other,
        ],
        Some(AlertClassification::InformationalExpectedActivity) => vec![
            D::SecurityTesting,
            D::LineOfBusinessApplication,
            D::ConfirmedActivity,
            D::Other,
        ],
        Some(AlertClassification::FalsePositive) => {
            vec![D::NotMalicious, D::NotEnoughDataToValidate, D::Other]
        }
        _ => vec![],
    }
}

/// The PATCH that takes `alert` to `edit`: only the fields that differ, so a save never
/// overwrites what another analyst changed in a field this one left alone.
pub fn changes(alert: &Alert, edit: &TriageEdit<'_>) -> AlertUpdate {
    let differs =
        |current: Option<&str>, wanted: &str| !wanted.is_empty() && current != Some(wanted);
    let mut u = AlertUpdate::default();
    if differs(alert.status.as_ref().map(|x| x.as_str()), edit.status) {
        u.status = Some(AlertStatus::parse(edit.status));
    }
    if differs(
        alert.classification.as_ref().map(|x| x.as_str()),
        edit.classification,
    ) {
        u.classification = Some(AlertClassification::parse(edit.classification));
    }
    if differs(
        alert.determination.as_ref().map(|x| x.as_str()),
        edit.determination,
    ) {
        u.determination = Some(AlertDetermination::parse(edit.determination));
    }
    let who = edit.assigned_to.trim();
    if who != alert.assigned_to.as_deref().unwrap_or_default() {
        u.assigned_to = Some((!who.is_empty()).then(|| who.to_owned()));
    }
    u
}

/// Whether `update` may be sent with `comment`: resolving asks for a comment, and an edit with
/// neither a change nor a comment has nothing to send.
pub fn may_send(update: &AlertUpdate, comment: &str) -> Result<(), Refusal> {
    let commented = !comment.trim().is_empty();
    if update.status == Some(AlertStatus::Resolved) && !commented {
        Err(Refusal::CommentNeeded)
    } else if update.is_empty() && !commented {
        Err(Refusal::NothingChanged)
    } else {
        Ok(())
    }
}

/// What the incident triage form holds: the alert form's fields plus the tags, comma-separated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IncidentEdit<'a> {
    pub triage: TriageEdit<'a>,
    pub tags: &'a str,
}

/// The PATCH that takes `incident` to `edit`, by the same rule as [`changes`]; the tags are
/// sent whole when the list differs (the service replaces `customTags`).
pub fn incident_changes(incident: &Incident, edit: &IncidentEdit<'_>) -> IncidentUpdate {
    let e = &edit.triage;
    let differs =
        |current: Option<&str>, wanted: &str| !wanted.is_empty() && current != Some(wanted);
    let mut u = IncidentUpdate::default();
    if differs(incident.status.as_ref().map(|x| x.as_str()), e.status) {
        u.status = Some(IncidentStatus::parse(e.status));
    }
    if differs(
        incident.classification.as_ref().map(|x| x.as_str()),
        e.classification,
    ) {
        u.classification = Some(AlertClassification::parse(e.classification));
    }
    if differs(
        incident.determination.as_ref().map(|x| x.as_str()),
        e.determination,
    ) {
        u.determination = Some(AlertDetermination::parse(e.determination));
    }
    let who = e.assigned_to.trim();
    if who != incident.assigned_to.as_deref().unwrap_or_default() {
        u.assigned_to = Some((!who.is_empty()).then(|| who.to_owned()));
    }
    let tags: Vec<String> = edit
        .tags
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    if tags != incident.tags() {
        u.custom_tags = Some(tags);
    }
    u
}

/// [`may_send`] for an incident.
pub fn may_send_incident(update: &IncidentUpdate, comment: &str) -> Result<(), Refusal> {
    let commented = !comment.trim().is_empty();
    if update.status == Some(IncidentStatus::Resolved) && !commented {
        Err(Refusal::CommentNeeded)
    } else if update.is_empty() && !commented {
        Err(Refusal::NothingChanged)
    } else {
        Ok(())
    }
}

/// `alert` with `update` applied: the optimistic view of a pending PATCH, shown until the
/// service confirms or refuses it.
pub fn applied(alert: &Alert, update: &AlertUpdate) -> Alert {
    let mut a = alert.clone();
    if let Some(s) = &update.status {
        a.status = Some(s.clone());
    }
    if let Some(c) = &update.classification {
        a.classification = Some(c.clone());
    }
    if let Some(d) = &update.determination {
        a.determination = Some(d.clone());
    }
    if let Some(x) = &update.assigned_to {
        a.assigned_to = x.clone();
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::AlertId;

    fn alert() -> Alert {
        Alert {
            id: AlertId::new("a1"),
            status: Some(AlertStatus::New),
            classification: Some(AlertClassification::TruePositive),
            determination: Some(AlertDetermination::Malware),
            assigned_to: Some("alex@contoso.example".into()),
            ..Default::default()
        }
    }

    /// The form as it opens on `a`: every field shows the alert's current value.
    fn unchanged(a: &Alert) -> TriageEdit<'_> {
        TriageEdit {
            status: a.status.as_ref().map_or("", |s| s.as_str()),
            classification: a.classification.as_ref().map_or("", |s| s.as_str()),
            determination: a.determination.as_ref().map_or("", |s| s.as_str()),
            assigned_to: a.assigned_to.as_deref().unwrap_or_default(),
        }
    }

    #[test]
    fn determinations_fit_their_classification() {
        let tp = determinations_for(Some(&AlertClassification::TruePositive));
        assert!(tp.contains(&AlertDetermination::Malware));
        assert!(!tp.contains(&AlertDetermination::NotMalicious));
        let fp = determinations_for(Some(&AlertClassification::FalsePositive));
        assert_eq!(
            fp,
            [
                AlertDetermination::NotMalicious,
                AlertDetermination::NotEnoughDataToValidate,
                AlertDetermination::Other
            ]
        );
        let benign = determinations_for(Some(&AlertClassification::parse("benignPositive")));
        assert!(benign.contains(&AlertDetermination::LineOfBusinessApplication));
        assert!(determinations_for(None).is_empty());
        assert!(determinations_for(Some(&AlertClassification::Unknown)).is_empty());
    }

    #[test]
    fn an_untouched_form_sends_nothing() {
        let a = alert();
        assert!(changes(&a, &unchanged(&a)).is_empty());
        // Padding around the same assignee is no change either.
        let padded = TriageEdit {
            assigned_to: "  alex@contoso.example ",
            ..unchanged(&a)
        };
        assert!(changes(&a, &padded).is_empty());
        // An empty choice is "not chosen", not "clear it".
        let blank = TriageEdit {
            status: "",
            classification: "",
            determination: "",
            ..unchanged(&a)
        };
        assert!(changes(&a, &blank).is_empty());
    }

    #[test]
    fn only_what_changed_is_sent() {
        let a = alert();
        let u = changes(
            &a,
            &TriageEdit {
                status: "resolved",
                determination: "phishing",
                ..unchanged(&a)
            },
        );
        assert_eq!(
            u,
            AlertUpdate {
                status: Some(AlertStatus::Resolved),
                determination: Some(AlertDetermination::Phishing),
                ..Default::default()
            }
        );
        // An emptied assignee unassigns (`null`), a new one is sent trimmed.
        let gone = changes(
            &a,
            &TriageEdit {
                assigned_to: " ",
                ..unchanged(&a)
            },
        );
        assert_eq!(gone.assigned_to, Some(None));
        let other = changes(
            &a,
            &TriageEdit {
                assigned_to: " sam@contoso.example ",
                ..unchanged(&a)
            },
        );
        assert_eq!(other.assigned_to, Some(Some("sam@contoso.example".into())));
        // An unassigned alert left unassigned sends nothing.
        let free = Alert {
            assigned_to: None,
            ..alert()
        };
        assert!(changes(&free, &unchanged(&free)).is_empty());
    }

    #[test]
    fn resolving_asks_for_a_comment_and_an_empty_edit_is_refused() {
        let resolve = AlertUpdate {
            status: Some(AlertStatus::Resolved),
            ..Default::default()
        };
        assert_eq!(may_send(&resolve, "  "), Err(Refusal::CommentNeeded));
        assert_eq!(may_send(&resolve, "benign test"), Ok(()));
        let none = AlertUpdate::default();
        assert_eq!(may_send(&none, ""), Err(Refusal::NothingChanged));
        // A comment alone is worth sending.
        assert_eq!(may_send(&none, "looked at it"), Ok(()));
        let assign = AlertUpdate {
            assigned_to: Some(None),
            ..Default::default()
        };
        assert_eq!(may_send(&assign, ""), Ok(()));
        assert!(Refusal::CommentNeeded.message().contains("comment"));
    }

    #[test]
    fn applied_shows_the_pending_change_and_keeps_the_rest() {
        let a = alert();
        let u = AlertUpdate {
            status: Some(AlertStatus::InProgress),
            assigned_to: Some(None),
            ..Default::default()
        };
        let shown = applied(&a, &u);
        assert_eq!(shown.status, Some(AlertStatus::InProgress));
        assert_eq!(shown.assigned_to, None);
        assert_eq!(shown.classification, a.classification);
        assert_eq!(shown.determination, a.determination);
        assert_eq!(shown.id, a.id);
        assert_eq!(applied(&a, &AlertUpdate::default()), a);
        // What the form sends, applied, is what the form shows.
        let edit = TriageEdit {
            classification: "falsePositive",
            determination: "notMalicious",
            assigned_to: "sam@contoso.example",
            ..unchanged(&a)
        };
        let after = applied(&a, &changes(&a, &edit));
        assert!(changes(&after, &edit).is_empty());
    }

    fn incident() -> Incident {
        let mut i: Incident = crate::decode::decode(
            br#"{"id":"7","status":"active","assignedTo":"sam@contoso.example","customTags":["ransomware","vip"]}"#,
        )
        .unwrap();
        i.classification = None;
        i
    }

    #[test]
    fn an_incident_edit_sends_only_what_changed_and_tags_whole() {
        let i = incident();
        let same = IncidentEdit {
            triage: TriageEdit {
                status: "active",
                assigned_to: " sam@contoso.example ",
                ..Default::default()
            },
            tags: "ransomware, vip,",
        };
        assert!(incident_changes(&i, &same).is_empty());
        let edit = IncidentEdit {
            triage: TriageEdit {
                status: "resolved",
                classification: "falsePositive",
                assigned_to: "",
                ..Default::default()
            },
            tags: "vip",
        };
        let u = incident_changes(&i, &edit);
        assert_eq!(u.status, Some(IncidentStatus::Resolved));
        assert_eq!(u.classification, Some(AlertClassification::FalsePositive));
        assert_eq!(u.determination, None);
        assert_eq!(u.assigned_to, Some(None), "an emptied assignee unassigns");
        assert_eq!(u.custom_tags, Some(vec!["vip".to_owned()]));
        assert_eq!(may_send_incident(&u, " "), Err(Refusal::CommentNeeded));
        assert_eq!(may_send_incident(&u, "benign scanner"), Ok(()));
        assert_eq!(
            may_send_incident(&IncidentUpdate::default(), ""),
            Err(Refusal::NothingChanged)
        );
        assert_eq!(
            may_send_incident(&IncidentUpdate::default(), "note"),
            Ok(())
        );
    }
}
