//! Incidents, `microsoft.graph.security.incident` at `/security/incidents`.

use serde::{Deserialize, Serialize};

use super::alert::{
    Alert, AlertClassification, AlertComment, AlertDetermination, AlertSeverity, double_option,
};
use super::common::{DateTime, graph_enum, id_newtype};
use super::wire::wire_struct;

id_newtype! {
    /// An incident id (a numeric string such as `2972395`).
    IncidentId
}

graph_enum! {
    /// `incidentStatus`; `awaitingAction` is opt-in and set only by Defender Experts.
    IncidentStatus {
        Active = "active",
        Resolved = "resolved",
        InProgress = "inProgress",
        Redirected = "redirected",
        UnknownFutureValue = "unknownFutureValue",
        AwaitingAction = "awaitingAction",
    }
}

wire_struct! {
    /// An incident; `alerts` is filled only with `$expand=alerts`.
    Incident {
        id: IncidentId = "id",
        display_name: Option<String> = "displayName",
        description: Option<String> = "description",
        summary: Option<String> = "summary",
        incident_web_url: Option<String> = "incidentWebUrl",
        tenant_id: Option<String> = "tenantId",
        redirect_incident_id: Option<String> = "redirectIncidentId",
        created_date_time: Option<DateTime> = "createdDateTime" => date,
        last_update_date_time: Option<DateTime> = "lastUpdateDateTime" => date,
        assigned_to: Option<String> = "assignedTo",
        classification: Option<AlertClassification> = "classification",
        determination: Option<AlertDetermination> = "determination",
        status: Option<IncidentStatus> = "status",
        severity: Option<AlertSeverity> = "severity",
        /// Use [`Incident::tags`]: some samples spell the key `tags` instead, or send both.
        custom_tags: Vec<String> = "customTags" => list,
        /// The `tags` spelling of `customTags` (see [`Incident::tags`]).
        tags_alias: Vec<String> = "tags" => list,
        system_tags: Vec<String> = "systemTags" => list,
        comments: Vec<AlertComment> = "comments" => list,
        last_modified_by: Option<String> = "lastModifiedBy",
        resolving_comment: Option<String> = "resolvingComment",
        alerts: Vec<Alert> = "alerts" => list,
    }
}

impl Incident {
    /// The incident's custom tags, whichever spelling the service used (`customTags` wins).
    pub fn tags(&self) -> &[String] {
        if self.custom_tags.is_empty() {
            &self.tags_alias
        } else {
            &self.custom_tags
        }
    }
}

/// A PATCH of an incident; only `Some` fields are sent. `custom_tags` replaces the whole array.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncidentUpdate {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<IncidentStatus>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub classification: Option<AlertClassification>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub determination: Option<AlertDetermination>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        with = "double_option"
    )]
    pub assigned_to: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub custom_tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub resolving_comment: Option<String>,
}

impl IncidentUpdate {
    /// Whether nothing would be sent.
    pub fn is_empty(&self) -> bool {
        *self == IncidentUpdate::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case_sample_values() {
        let i: Incident = serde_json::from_str(r#"{"id":"1","status":"Active","classification":"TruePositive","determination":"MultiStagedAttack","tags":["Demo"],"alerts":null}"#).unwrap();
        assert_eq!(i.status, Some(IncidentStatus::Active));
        assert_eq!(i.classification, Some(AlertClassification::TruePositive));
        assert_eq!(i.determination, Some(AlertDetermination::MultiStagedAttack));
        assert_eq!(i.tags(), ["Demo"]);
        let both: Incident =
            serde_json::from_str(r#"{"id":"2","customTags":["A"],"tags":["A"]}"#).unwrap();
        assert_eq!(both.tags(), ["A"], "an object with both spellings decodes");
    }

    #[test]
    fn update_is_camel_case_and_minimal() {
        let u = IncidentUpdate {
            custom_tags: Some(vec!["a".into()]),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&u).unwrap(),
            r#"{"customTags":["a"]}"#
        );
    }
}
