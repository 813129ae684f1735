//! Alerts (v2), `microsoft.graph.security.alert` at `/security/alerts_v2`, and their comments.

use serde::{Deserialize, Serialize};

use super::common::{DateTime, de_opt_datetime, graph_enum, id_newtype};
use super::evidence::Evidence;
use super::wire::wire_struct;

id_newtype! {
    /// An alert id (opaque, e.g. `da637578995287051192_756343937`). A newtype so an incident id can
    /// never be passed where an alert id is expected.
    AlertId
}

graph_enum! {
    /// `alertSeverity`; also used by incidents.
    AlertSeverity {
        Unknown = "unknown",
        Informational = "informational",
        Low = "low",
        Medium = "medium",
        High = "high",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `alertStatus` (PATCHable).
    AlertStatus {
        Unknown = "unknown",
        New = "new" | "newAlert",
        InProgress = "inProgress",
        Resolved = "resolved",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `alertClassification` (PATCHable); `benignPositive` is the older revision's name.
    AlertClassification {
        Unknown = "unknown",
        FalsePositive = "falsePositive",
        TruePositive = "truePositive",
        InformationalExpectedActivity = "informationalExpectedActivity" | "benignPositive",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `alertDetermination` (PATCHable). The property table's spellings (`compromisedUser`,
    /// `clean`, `insufficientData`, `confirmedUserActivity`) are accepted as aliases of the SDK
    /// names, which are what we send.
    AlertDetermination {
        Unknown = "unknown",
        Apt = "apt",
        Malware = "malware",
        SecurityPersonnel = "securityPersonnel",
        SecurityTesting = "securityTesting",
        UnwantedSoftware = "unwantedSoftware",
        Other = "other",
        MultiStagedAttack = "multiStagedAttack",
        CompromisedAccount = "compromisedAccount" | "compromisedUser",
        Phishing = "phishing",
        MaliciousUserActivity = "maliciousUserActivity",
        NotMalicious = "notMalicious" | "clean",
        NotEnoughDataToValidate = "notEnoughDataToValidate" | "insufficientData",
        ConfirmedActivity = "confirmedActivity" | "confirmedUserActivity",
        LineOfBusinessApplication = "lineOfBusinessApplication",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `serviceSource`: the product that raised the alert.
    ServiceSource {
        Unknown = "unknown",
        MicrosoftDefenderForEndpoint = "microsoftDefenderForEndpoint",
        MicrosoftDefenderForIdentity = "microsoftDefenderForIdentity",
        MicrosoftDefenderForCloudApps = "microsoftDefenderForCloudApps",
        MicrosoftDefenderForOffice365 = "microsoftDefenderForOffice365",
        Microsoft365Defender = "microsoft365Defender",
        AzureAdIdentityProtection = "azureAdIdentityProtection",
        MicrosoftAppGovernance = "microsoftAppGovernance",
        DataLossPrevention = "dataLossPrevention",
        UnknownFutureValue = "unknownFutureValue",
        MicrosoftDefenderForCloud = "microsoftDefenderForCloud",
        MicrosoftSentinel = "microsoftSentinel",
        MicrosoftThreatIntelligence = "microsoftThreatIntelligence",
    }
}

graph_enum! {
    /// `detectionSource`: the sensor or technology that detected it.
    DetectionSource {
        Unknown = "unknown",
        MicrosoftDefenderForEndpoint = "microsoftDefenderForEndpoint",
        Antivirus = "antivirus",
        SmartScreen = "smartScreen",
        CustomTi = "customTi",
        MicrosoftDefenderForOffice365 = "microsoftDefenderForOffice365",
        AutomatedInvestigation = "automatedInvestigation",
        MicrosoftThreatExperts = "microsoftThreatExperts",
        CustomDetection = "customDetection",
        MicrosoftDefenderForIdentity = "microsoftDefenderForIdentity",
        CloudAppSecurity = "cloudAppSecurity",
        Microsoft365Defender = "microsoft365Defender",
        AzureAdIdentityProtection = "azureAdIdentityProtection",
        Manual = "manual",
        MicrosoftDataLossPrevention = "microsoftDataLossPrevention",
        AppGovernancePolicy = "appGovernancePolicy",
        AppGovernanceDetection = "appGovernanceDetection",
        UnknownFutureValue = "unknownFutureValue",
        MicrosoftDefenderForCloud = "microsoftDefenderForCloud",
        MicrosoftDefenderForIoT = "microsoftDefenderForIoT",
        MicrosoftDefenderForServers = "microsoftDefenderForServers",
        MicrosoftDefenderForStorage = "microsoftDefenderForStorage",
        MicrosoftDefenderForDns = "microsoftDefenderForDNS",
        MicrosoftDefenderForDatabases = "microsoftDefenderForDatabases",
        MicrosoftDefenderForContainers = "microsoftDefenderForContainers",
        MicrosoftDefenderForNetwork = "microsoftDefenderForNetwork",
        MicrosoftDefenderForAppService = "microsoftDefenderForAppService",
        MicrosoftDefenderForKeyVault = "microsoftDefenderForKeyVault",
        MicrosoftDefenderForResourceManager = "microsoftDefenderForResourceManager",
        MicrosoftDefenderForApiManagement = "microsoftDefenderForApiManagement",
        MicrosoftSentinel = "microsoftSentinel",
        NrtAlerts = "nrtAlerts",
        ScheduledAlerts = "scheduledAlerts",
        MicrosoftDefenderThreatIntelligenceAnalytics = "microsoftDefenderThreatIntelligenceAnalytics",
        BuiltInMl = "builtInMl",
    }
}

wire_struct! {
    /// An alert (v2). Every property is optional because Graph rarely documents nullability.
    Alert {
        id: AlertId = "id",
        provider_alert_id: Option<String> = "providerAlertId",
        incident_id: Option<String> = "incidentId",
        title: Option<String> = "title",
        description: Option<String> = "description",
        recommended_actions: Option<String> = "recommendedActions",
        category: Option<String> = "category",
        severity: Option<AlertSeverity> = "severity",
        status: Option<AlertStatus> = "status",
        classification: Option<AlertClassification> = "classification",
        determination: Option<AlertDetermination> = "determination",
        assigned_to: Option<String> = "assignedTo",
        service_source: Option<ServiceSource> = "serviceSource",
        detection_source: Option<DetectionSource> = "detectionSource",
        detector_id: Option<String> = "detectorId",
        tenant_id: Option<String> = "tenantId",
        alert_web_url: Option<String> = "alertWebUrl",
        incident_web_url: Option<String> = "incidentWebUrl",
        actor_display_name: Option<String> = "actorDisplayName",
        threat_display_name: Option<String> = "threatDisplayName",
        threat_family_name: Option<String> = "threatFamilyName",
        alert_policy_id: Option<String> = "alertPolicyId",
        product_name: Option<String> = "productName",
        mitre_techniques: Vec<String> = "mitreTechniques" => list,
        created_date_time: Option<DateTime> = "createdDateTime" => date,
        last_update_date_time: Option<DateTime> = "lastUpdateDateTime" => date,
        resolved_date_time: Option<DateTime> = "resolvedDateTime" => date,
        first_activity_date_time: Option<DateTime> = "firstActivityDateTime" => date,
        last_activity_date_time: Option<DateTime> = "lastActivityDateTime" => date,
        comments: Vec<AlertComment> = "comments" => list,
        evidence: Vec<Evidence> = "evidence" => list,
        system_tags: Vec<String> = "systemTags" => list,
        /// Open dictionary of custom details (newer revision); kept raw.
        additional_data: Option<serde_json::Value> = "additionalData",
        /// Beta only.
        custom_details: Option<serde_json::Value> = "customDetails",
        /// Beta only; an open enum kept as text.
        investigation_state: Option<String> = "investigationState",
    }
}

/// A comment on an alert or incident. Incident samples use `createdBy`/`createdTime`, alert
/// samples `createdByDisplayName`/`createdDateTime`; an object may carry both spellings, and
/// the canonical one wins when both are set.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(from = "AlertCommentWire")]
pub struct AlertComment {
    pub comment: Option<String>,
    pub created_by_display_name: Option<String>,
    pub created_date_time: Option<DateTime>,
}

/// Every spelling of a comment's keys, so that one object with both decodes (a plain serde
/// `alias` rejects that as a duplicate field).
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct AlertCommentWire {
    comment: Option<String>,
    created_by_display_name: Option<String>,
    created_by: Option<String>,
    #[serde(deserialize_with = "de_opt_datetime")]
    created_date_time: Option<DateTime>,
    #[serde(deserialize_with = "de_opt_datetime")]
    created_time: Option<DateTime>,
}

impl From<AlertCommentWire> for AlertComment {
    fn from(w: AlertCommentWire) -> Self {
        Self {
            comment: w.comment,
            created_by_display_name: w.created_by_display_name.or(w.created_by),
            created_date_time: w.created_date_time.or(w.created_time),
        }
    }
}

/// The body of `POST …/comments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewComment {
    #[serde(rename = "@odata.type", default = "NewComment::odata_type")]
    pub odata_type: String,
    pub comment: String,
}

impl NewComment {
    fn odata_type() -> String {
        "microsoft.graph.security.alertComment".to_owned()
    }
    pub fn new(comment: impl Into<String>) -> Self {
        NewComment {
            odata_type: Self::odata_type(),
            comment: comment.into(),
        }
    }
}

/// A PATCH of an alert: only the fields that are `Some` are sent, so two analysts editing
/// different fields do not overwrite each other.
///
/// `assigned_to` is doubly optional: `Some(None)` sends `null` (unassign).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertUpdate {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<AlertStatus>,
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
}

impl AlertUpdate {
    /// Whether nothing would be sent (the client refuses empty PATCHes).
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.classification.is_none()
            && self.determination.is_none()
            && self.assigned_to.is_none()
    }
}

/// `Option<Option<T>>` where the outer `None` means "absent" and `Some(None)` means `null`.
pub(crate) mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    pub fn serialize<S: Serializer, T: Serialize>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_are_tolerant() {
        assert_eq!(AlertStatus::parse("InProgress"), AlertStatus::InProgress);
        assert_eq!(
            AlertDetermination::parse("clean"),
            AlertDetermination::NotMalicious
        );
        assert_eq!(AlertDetermination::NotMalicious.as_str(), "notMalicious");
        assert_eq!(
            AlertSeverity::parse("catastrophic"),
            AlertSeverity::Unrecognized("catastrophic".into())
        );
        let s: AlertSeverity = serde_json::from_str("\"High\"").unwrap();
        assert_eq!(s, AlertSeverity::High);
    }

    #[test]
    fn update_sends_only_changed_fields() {
        let u = AlertUpdate {
            status: Some(AlertStatus::Resolved),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&u).unwrap(),
            r#"{"status":"resolved"}"#
        );
        let u = AlertUpdate {
            assigned_to: Some(None),
            ..Default::default()
        };
        assert_eq!(serde_json::to_string(&u).unwrap(), r#"{"assignedTo":null}"#);
        assert!(AlertUpdate::default().is_empty());
    }

    #[test]
    fn comment_spellings() {
        let c: AlertComment = serde_json::from_str(
            r#"{"comment":"x","createdBy":"a@b","createdTime":"2021-09-30T12:07:37.2756993Z"}"#,
        )
        .unwrap();
        assert_eq!(c.created_by_display_name.as_deref(), Some("a@b"));
        // Both spellings in one object (the emulator and some samples send both).
        let both: AlertComment = serde_json::from_str(
            r#"{"comment":"x","createdBy":"old@b","createdByDisplayName":"new@b","createdTime":"2021-09-30T12:07:37Z","createdDateTime":null}"#,
        )
        .unwrap();
        assert_eq!(both.created_by_display_name.as_deref(), Some("new@b"));
        assert!(
            both.created_date_time.is_some(),
            "falls back to createdTime when createdDateTime is null"
        );
        assert!(c.created_date_time.is_some());
    }
}
