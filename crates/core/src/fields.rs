//! The filterable properties of each resource, as documented, typed by the resource and the
//! value they compare with: `fields::alerts::STATUS.eq(&AlertStatus::New)` compiles,
//! `fields::alerts::STATUS.eq(&IncidentStatus::Active)` does not. The `$filter` machinery they
//! plug into is [`crate::odata`], which knows no model.

use crate::models::{
    Alert, AlertClassification, AlertDetermination, AlertSeverity, AlertStatus, CaseAction,
    CaseOperation, CaseOperationStatus, CaseStatus, DateTime, Device, EdiscoveryCase, Incident,
    IncidentStatus, SecureScore, SecureScoreControlProfile, ServiceSource, SubmissionCategory,
    SubmissionContentType, SubmissionStatus, ThreatSubmission, User,
};
use crate::odata::Field;

/// Filterable fields of alerts (v2), as documented.
pub mod alerts {
    use super::*;
    pub const ASSIGNED_TO: Field<Alert, str> = Field::new("assignedTo");
    pub const CLASSIFICATION: Field<Alert, AlertClassification> = Field::new("classification");
    pub const DETERMINATION: Field<Alert, AlertDetermination> = Field::new("determination");
    pub const CREATED_DATE_TIME: Field<Alert, DateTime> = Field::new("createdDateTime");
    pub const LAST_UPDATE_DATE_TIME: Field<Alert, DateTime> = Field::new("lastUpdateDateTime");
    pub const SEVERITY: Field<Alert, AlertSeverity> = Field::new("severity");
    pub const SERVICE_SOURCE: Field<Alert, ServiceSource> = Field::new("serviceSource");
    pub const STATUS: Field<Alert, AlertStatus> = Field::new("status");
}

/// Filterable fields of incidents, as documented.
pub mod incidents {
    use super::*;
    pub const ASSIGNED_TO: Field<Incident, str> = Field::new("assignedTo");
    pub const CLASSIFICATION: Field<Incident, AlertClassification> = Field::new("classification");
    pub const DETERMINATION: Field<Incident, AlertDetermination> = Field::new("determination");
    pub const CREATED_DATE_TIME: Field<Incident, DateTime> = Field::new("createdDateTime");
    pub const LAST_UPDATE_DATE_TIME: Field<Incident, DateTime> = Field::new("lastUpdateDateTime");
    pub const SEVERITY: Field<Incident, AlertSeverity> = Field::new("severity");
    pub const STATUS: Field<Incident, IncidentStatus> = Field::new("status");
}

/// Secure score fields (`$filter` is supported; the documented examples filter on dates).
pub mod secure_scores {
    use super::*;
    pub const CREATED_DATE_TIME: Field<SecureScore, DateTime> = Field::new("createdDateTime");
}

/// Secure score control profile fields.
pub mod control_profiles {
    use super::*;
    pub const CONTROL_CATEGORY: Field<SecureScoreControlProfile, str> =
        Field::new("controlCategory");
    pub const SERVICE: Field<SecureScoreControlProfile, str> = Field::new("service");
    pub const TIER: Field<SecureScoreControlProfile, str> = Field::new("tier");
    pub const DEPRECATED: Field<SecureScoreControlProfile, bool> = Field::new("deprecated");
}

/// eDiscovery case fields.
pub mod cases {
    use super::*;
    pub const DISPLAY_NAME: Field<EdiscoveryCase, str> = Field::new("displayName");
    pub const STATUS: Field<EdiscoveryCase, CaseStatus> = Field::new("status");
}

/// Case operation fields (to find e.g. the latest estimate).
pub mod case_operations {
    use super::*;
    pub const ACTION: Field<CaseOperation, CaseAction> = Field::new("action");
    pub const STATUS: Field<CaseOperation, CaseOperationStatus> = Field::new("status");
}

/// Threat submission fields.
pub mod submissions {
    use super::*;
    pub const CATEGORY: Field<ThreatSubmission, SubmissionCategory> = Field::new("category");
    pub const CONTENT_TYPE: Field<ThreatSubmission, SubmissionContentType> =
        Field::new("contentType");
    pub const STATUS: Field<ThreatSubmission, SubmissionStatus> = Field::new("status");
    pub const CREATED_DATE_TIME: Field<ThreatSubmission, DateTime> = Field::new("createdDateTime");
}

/// Directory user fields.
pub mod users {
    use super::*;
    pub const USER_PRINCIPAL_NAME: Field<User, str> = Field::new("userPrincipalName");
    pub const MAIL: Field<User, str> = Field::new("mail");
    pub const DISPLAY_NAME: Field<User, str> = Field::new("displayName");
}

/// Directory device fields (`deviceId` is evidence's `azureAdDeviceId`).
pub mod devices {
    use super::*;
    pub const DEVICE_ID: Field<Device, str> = Field::new("deviceId");
    pub const DISPLAY_NAME: Field<Device, str> = Field::new("displayName");
}
