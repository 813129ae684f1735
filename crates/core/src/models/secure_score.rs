//! Secure Score (`/security/secureScores`) and its control profiles
//! (`/security/secureScoreControlProfiles`), namespace `microsoft.graph`.

use serde::{Deserialize, Serialize};

use super::common::{DateTime, VendorInformation, de_opt_datetime, de_vec, graph_enum};

/// One day's secure score.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SecureScore {
    pub id: String,
    pub azure_tenant_id: Option<String>,
    pub active_user_count: Option<i64>,
    pub licensed_user_count: Option<i64>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub created_date_time: Option<DateTime>,
    pub current_score: Option<f64>,
    pub max_score: Option<f64>,
    #[serde(deserialize_with = "de_vec")]
    pub enabled_services: Vec<String>,
    #[serde(deserialize_with = "de_vec")]
    pub average_comparative_scores: Vec<AverageComparativeScore>,
    #[serde(deserialize_with = "de_vec")]
    pub control_scores: Vec<ControlScore>,
    pub vendor_information: Option<VendorInformation>,
}

/// How the tenant compares with others (`basis`: `AllTenants`, `TotalSeats`, `IndustryTypes`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AverageComparativeScore {
    pub basis: Option<String>,
    pub average_score: Option<f64>,
}

/// One control's contribution to the score. Newer service versions add keys; they are ignored.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ControlScore {
    pub control_name: Option<String>,
    pub control_category: Option<String>,
    pub description: Option<String>,
    pub score: Option<f64>,
}

graph_enum! {
    /// The state an analyst sets on a control. Sent PascalCase as documented; read
    /// case-insensitively because the history type uses lowercase.
    ControlState {
        Default = "Default",
        Ignored = "Ignored",
        ThirdParty = "ThirdParty",
        Reviewed = "Reviewed",
    }
}

/// A secure score control and its action history.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SecureScoreControlProfile {
    pub id: String,
    pub title: Option<String>,
    pub azure_tenant_id: Option<String>,
    pub action_type: Option<String>,
    pub action_url: Option<String>,
    pub control_category: Option<String>,
    pub service: Option<String>,
    pub max_score: Option<f64>,
    pub rank: Option<i64>,
    pub tier: Option<String>,
    pub implementation_cost: Option<String>,
    pub user_impact: Option<String>,
    #[serde(deserialize_with = "de_vec")]
    pub threats: Vec<String>,
    pub remediation: Option<String>,
    pub remediation_impact: Option<String>,
    pub deprecated: Option<bool>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub last_modified_date_time: Option<DateTime>,
    #[serde(deserialize_with = "de_vec")]
    pub compliance_information: Vec<ComplianceInformation>,
    #[serde(deserialize_with = "de_vec")]
    pub control_state_updates: Vec<ControlStateUpdate>,
    pub vendor_information: Option<VendorInformation>,
}

/// A certification the control maps to.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ComplianceInformation {
    pub certification_name: Option<String>,
    #[serde(deserialize_with = "de_vec")]
    pub certification_controls: Vec<CertificationControl>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CertificationControl {
    pub name: Option<String>,
    pub url: Option<String>,
}

/// One entry of a control's history (`secureScoreControlStateUpdate`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ControlStateUpdate {
    pub assigned_to: Option<String>,
    pub comment: Option<String>,
    pub state: Option<ControlState>,
    pub updated_by: Option<String>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub updated_date_time: Option<DateTime>,
}

/// A PATCH of a control profile. Graph requires `vendorInformation` (SecureScore/Microsoft) on
/// every update, so [`ControlProfileUpdate::new`] fills it in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlProfileUpdate {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub assigned_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub state: Option<ControlState>,
    pub vendor_information: VendorInformation,
}

impl ControlProfileUpdate {
    pub fn new() -> Self {
        ControlProfileUpdate {
            assigned_to: None,
            comment: None,
            state: None,
            vendor_information: VendorInformation {
                provider: Some("SecureScore".into()),
                vendor: Some("Microsoft".into()),
                ..Default::default()
            },
        }
    }
}

impl Default for ControlProfileUpdate {
    fn default() -> Self {
        Self::new()
    }
}
