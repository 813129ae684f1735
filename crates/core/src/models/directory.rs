//! Directory pivots from evidence: users (`/users/{id|upn}`) and devices (`/devices`).

use serde::Deserialize;

use super::common::{DateTime, de_opt_datetime, de_vec};

/// A user; only default fields unless `$select` asks for more (`accountEnabled`, `department`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    pub id: String,
    pub display_name: Option<String>,
    pub given_name: Option<String>,
    pub surname: Option<String>,
    pub user_principal_name: Option<String>,
    pub mail: Option<String>,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub office_location: Option<String>,
    pub mobile_phone: Option<String>,
    pub preferred_language: Option<String>,
    #[serde(deserialize_with = "de_vec")]
    pub business_phones: Vec<String>,
    pub account_enabled: Option<bool>,
}

/// An Entra device. `id` is the directory object id; `device_id` is what evidence calls
/// `azureAdDeviceId`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Device {
    pub id: String,
    pub device_id: Option<String>,
    pub display_name: Option<String>,
    pub operating_system: Option<String>,
    pub operating_system_version: Option<String>,
    pub is_compliant: Option<bool>,
    pub is_managed: Option<bool>,
    pub trust_type: Option<String>,
    pub account_enabled: Option<bool>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub approximate_last_sign_in_date_time: Option<DateTime>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub profile_type: Option<String>,
}
