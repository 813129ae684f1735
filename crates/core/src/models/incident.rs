//! Incidents, `microsoft.graph.security.incident` at `/security/incidents`.

use serde::{Deserialize, Serialize};

use super::alert::{
    Alert, AlertClassification, AlertComment, AlertDetermination, AlertSeverity, double_option,
};
use super::common::{DateTime, de_opt_datetime, de_vec, graph_enum, id_newtype};

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

/// An incident; `alerts` is filled only with `$expand=alerts`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Incident {
    pub id: IncidentId,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub summary: Option<String>,
    pub incident_web_url: Option<String>,
    pub tenant_id: Option<String>,
    pub redirect_incident_id: Option<String>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub created_date_time: Option<DateTime>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub last_update_date_time: Option<DateTime>,
    pub assigned_to: Option<String>,
    pub classification: Option<AlertClassification>,
    pub determination: Option<AlertDetermination>,
    pub status: Option<IncidentStatus>,
    pub severity: Option<AlertSeverity>,
    /// Use [`Incident::tags`]: some samples spell the key `tags` instead, or send both.
    #[serde(deserialize_with = "de_vec")]
    pub custom_tags: Vec<String>,
    /// The `tags` spelling of `customTags` (see [`Incident::tags`]).
    #[serde(rename = "tags", deserialize_with = "de_vec")]
    pub tags_alias: Vec<String>,
    #[serde(deserialize_with = "de_vec")]
    pub system_tags: Vec<String>,
    #[serde(deserialize_with = "de_vec")]
    pub comments: Vec<AlertComment>,
    pub last_modified_by: Option<String>,
    pub resolving_comment: Option<String>,
    #[serde(deserialize_with = "de_vec")]
    pub alerts: Vec<Alert>,
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
