//! Directory pivots from evidence: users (`/users/{id|upn}`) and devices (`/devices`).

use super::common::DateTime;
use super::wire::wire_struct;

wire_struct! {
    /// A user; only default fields unless `$select` asks for more (`accountEnabled`, `department`).
    User {
        id: String = "id",
        display_name: Option<String> = "displayName",
        given_name: Option<String> = "givenName",
        surname: Option<String> = "surname",
        user_principal_name: Option<String> = "userPrincipalName",
        mail: Option<String> = "mail",
        job_title: Option<String> = "jobTitle",
        department: Option<String> = "department",
        office_location: Option<String> = "officeLocation",
        mobile_phone: Option<String> = "mobilePhone",
        preferred_language: Option<String> = "preferredLanguage",
        business_phones: Vec<String> = "businessPhones" => list,
        account_enabled: Option<bool> = "accountEnabled",
    }
}

wire_struct! {
    /// An Entra device. `id` is the directory object id; `device_id` is what evidence calls
    /// `azureAdDeviceId`.
    Device {
        id: String = "id",
        device_id: Option<String> = "deviceId",
        display_name: Option<String> = "displayName",
        operating_system: Option<String> = "operatingSystem",
        operating_system_version: Option<String> = "operatingSystemVersion",
        is_compliant: Option<bool> = "isCompliant",
        is_managed: Option<bool> = "isManaged",
        trust_type: Option<String> = "trustType",
        account_enabled: Option<bool> = "accountEnabled",
        approximate_last_sign_in_date_time: Option<DateTime> = "approximateLastSignInDateTime" => date,
        manufacturer: Option<String> = "manufacturer",
        model: Option<String> = "model",
        profile_type: Option<String> = "profileType",
    }
}
