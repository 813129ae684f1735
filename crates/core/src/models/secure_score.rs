//! Secure Score (`/security/secureScores`) and its control profiles
//! (`/security/secureScoreControlProfiles`), namespace `microsoft.graph`.

use serde::{Deserialize, Serialize};

use super::common::{DateTime, VendorInformation, graph_enum};
use super::wire::wire_struct;

wire_struct! {
    /// One day's secure score.
    @tree
    SecureScore {
        id: String = "id",
        azure_tenant_id: Option<String> = "azureTenantId",
        active_user_count: Option<i64> = "activeUserCount",
        licensed_user_count: Option<i64> = "licensedUserCount",
        created_date_time: Option<DateTime> = "createdDateTime" => date,
        current_score: Option<f64> = "currentScore",
        max_score: Option<f64> = "maxScore",
        enabled_services: Vec<String> = "enabledServices" => list,
        average_comparative_scores: Vec<AverageComparativeScore> = "averageComparativeScores" => list,
        control_scores: Vec<ControlScore> = "controlScores" => list,
        vendor_information: Option<VendorInformation> = "vendorInformation",
    }

    /// How the tenant compares with others (`basis`: `AllTenants`, `TotalSeats`, `IndustryTypes`).
    @tree
    AverageComparativeScore {
        basis: Option<String> = "basis",
        average_score: Option<f64> = "averageScore",
    }

    /// One control's contribution to the score. Newer service versions add keys; they are ignored.
    @tree
    ControlScore {
        control_name: Option<String> = "controlName",
        control_category: Option<String> = "controlCategory",
        description: Option<String> = "description",
        score: Option<f64> = "score",
    }
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

wire_struct! {
    /// A secure score control and its action history.
    @tree
    SecureScoreControlProfile {
        id: String = "id",
        title: Option<String> = "title",
        azure_tenant_id: Option<String> = "azureTenantId",
        action_type: Option<String> = "actionType",
        action_url: Option<String> = "actionUrl",
        control_category: Option<String> = "controlCategory",
        service: Option<String> = "service",
        max_score: Option<f64> = "maxScore",
        rank: Option<i64> = "rank",
        tier: Option<String> = "tier",
        implementation_cost: Option<String> = "implementationCost",
        user_impact: Option<String> = "userImpact",
        threats: Vec<String> = "threats" => list,
        remediation: Option<String> = "remediation",
        remediation_impact: Option<String> = "remediationImpact",
        deprecated: Option<bool> = "deprecated",
        last_modified_date_time: Option<DateTime> = "lastModifiedDateTime" => date,
        compliance_information: Vec<ComplianceInformation> = "complianceInformation" => list,
        control_state_updates: Vec<ControlStateUpdate> = "controlStateUpdates" => list,
        vendor_information: Option<VendorInformation> = "vendorInformation",
    }

    /// A certification the control maps to.
    @tree
    ComplianceInformation {
        certification_name: Option<String> = "certificationName",
        certification_controls: Vec<CertificationControl> = "certificationControls" => list,
    }

    @tree
    CertificationControl {
        name: Option<String> = "name",
        url: Option<String> = "url",
    }

    /// One entry of a control's history (`secureScoreControlStateUpdate`).
    @tree
    ControlStateUpdate {
        assigned_to: Option<String> = "assignedTo",
        comment: Option<String> = "comment",
        state: Option<ControlState> = "state",
        updated_by: Option<String> = "updatedBy",
        updated_date_time: Option<DateTime> = "updatedDateTime" => date,
    }
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
