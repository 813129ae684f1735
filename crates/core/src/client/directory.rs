//! Directory: users, the signed-in user and devices (pivots from evidence).

use serde_json::Value;

use crate::error::GraphError;
use crate::models::*;
use crate::odata::{Query, encode_query_value, write_string_literal};
use crate::transport::Transport;

use super::{ApiVersion, GraphClient, scopes, seg};

impl<T: Transport> GraphClient<T> {
    /// A user by object id or UPN. UPNs starting with `$` use the `users('…')` form Graph needs.
    pub async fn get_user(&self, id_or_upn: &str, select: &[&str]) -> Result<User, GraphError> {
        let path = user_path(id_or_upn);
        let q = if select.is_empty() {
            Query::new()
        } else {
            Query::new().select(select)
        };
        self.get_json(
            format!("{}{}", self.url(ApiVersion::V1, &path), q.to_query_string()),
            scopes::USER_READ,
        )
        .await
    }

    /// The signed-in user (`/me`), all of [`User`] (tools and tests).
    pub async fn get_me(&self, select: &[&str]) -> Result<User, GraphError> {
        self.get_json(self.me_url(select), scopes::ME_READ).await
    }

    /// The signed-in user's display name (`/me?$select=displayName`), e.g. for a connection
    /// check. Read from the JSON tree rather than as a [`User`]: the app decodes no other user,
    /// and a whole `User` decoder would be bundle bytes for one name.
    pub async fn get_me_display_name(&self) -> Result<Option<String>, GraphError> {
        let me: serde_json::Value = self
            .get_json(self.me_url(&["displayName"]), scopes::ME_READ)
            .await?;
        Ok(me["displayName"].as_str().map(str::to_owned))
    }

    fn me_url(&self, select: &[&str]) -> String {
        let q = if select.is_empty() {
            Query::new()
        } else {
            Query::new().select(select)
        };
        format!("{}{}", self.url(ApiVersion::V1, "me"), q.to_query_string())
    }

    /// A device by directory object id.
    pub async fn get_device(&self, object_id: &str) -> Result<Device, GraphError> {
        self.get_json(
            self.url(ApiVersion::V1, &format!("devices/{}", seg(object_id))),
            scopes::DEVICE_READ,
        )
        .await
    }

    /// Devices whose `deviceId` is evidence's `azureAdDeviceId`.
    pub async fn find_devices(&self, azure_ad_device_id: &str) -> Result<Vec<Device>, GraphError> {
        let q = Query::new().filter(crate::fields::devices::DEVICE_ID.eq(azure_ad_device_id));
        self.pages::<Device>(ApiVersion::V1, "devices", &q, scopes::DEVICE_READ)
            .collect_all()
            .await
    }

    /// What the entity pivot shows of a user: Entra profile and manager (`None`: no such
    /// user). Read as JSON trees, not as [`User`]s: two small records are not worth a second
    /// decoder in the bundle. Needs User.Read.All (the manager is not a basic property).
    pub async fn user_context(&self, id_or_upn: &str) -> Result<Option<UserContext>, GraphError> {
        let q = Query::new().select(&[
            "id",
            "displayName",
            "userPrincipalName",
            "jobTitle",
            "department",
            "accountEnabled",
        ]);
        let path = user_path(id_or_upn);
        let url = format!("{}{}", self.url(ApiVersion::V1, &path), q.to_query_string());
        let Some(u) = found(self.get_json::<Value>(url, scopes::USER_READ).await)? else {
            return Ok(None);
        };
        let manager_url = self.url(ApiVersion::V1, &format!("{path}/manager"));
        let manager = found(self.get_json::<Value>(manager_url, scopes::USER_READ).await)
            .map(|m| m.as_ref().and_then(name));
        Ok(Some(UserContext {
            id: text(&u, "id").unwrap_or_default(),
            display_name: text(&u, "displayName"),
            user_principal_name: text(&u, "userPrincipalName"),
            job_title: text(&u, "jobTitle"),
            department: text(&u, "department"),
            account_enabled: u["accountEnabled"].as_bool(),
            manager,
        }))
    }

    /// What the entity pivot shows of a device: its Entra record, found by evidence's
    /// `azureAdDeviceId` (Entra's `deviceId`) or else by display name, and its registered
    /// owners (`None`: no such device). Needs Device.Read.All.
    pub async fn device_context(
        &self,
        by: DeviceKey<'_>,
    ) -> Result<Option<DeviceContext>, GraphError> {
        let filter = match by {
            DeviceKey::DeviceId(id) => crate::fields::devices::DEVICE_ID.eq(id),
            DeviceKey::Name(name) => crate::fields::devices::DISPLAY_NAME.eq(name),
        };
        let q = Query::new().filter(filter).top(1);
        let url = format!(
            "{}{}",
            self.url(ApiVersion::V1, "devices"),
            q.to_query_string()
        );
        let list: Value = self.get_json(url, scopes::DEVICE_READ).await?;
        let Some(d) = list["value"].get(0) else {
            return Ok(None);
        };
        let id = text(d, "id").unwrap_or_default();
        let owners_url = self.url(
            ApiVersion::V1,
            &format!("devices/{}/registeredOwners", seg(&id)),
        );
        let owners = self
            .get_json::<Value>(owners_url, scopes::DEVICE_READ)
            .await
            .map(|o| {
                o["value"]
                    .as_array()
                    .map(|v| v.iter().filter_map(name).collect())
                    .unwrap_or_default()
            });
        Ok(Some(DeviceContext {
            display_name: text(d, "displayName"),
            operating_system: text(d, "operatingSystem"),
            operating_system_version: text(d, "operatingSystemVersion"),
            is_compliant: d["isCompliant"].as_bool(),
            is_managed: d["isManaged"].as_bool(),
            account_enabled: d["accountEnabled"].as_bool(),
            id,
            owners,
        }))
    }
}

/// How to find a device in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceKey<'a> {
    /// Entra's `deviceId` (evidence's `azureAdDeviceId`).
    DeviceId(&'a str),
    /// Its display name (a host name without its domain).
    Name(&'a str),
}

/// A user's Entra profile as the entity pivot shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserContext {
    pub id: String,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub account_enabled: Option<bool>,
    /// The manager's name; `Ok(None)` when none is on record (Graph's 404).
    pub manager: Result<Option<String>, GraphError>,
}

/// A device's Entra record as the entity pivot shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceContext {
    pub id: String,
    pub display_name: Option<String>,
    pub operating_system: Option<String>,
    pub operating_system_version: Option<String>,
    pub is_compliant: Option<bool>,
    pub is_managed: Option<bool>,
    pub account_enabled: Option<bool>,
    /// The registered owners' names.
    pub owners: Result<Vec<String>, GraphError>,
}

/// `Ok(None)` for Graph's 404.
fn found(r: Result<Value, GraphError>) -> Result<Option<Value>, GraphError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.kind == crate::error::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn text(v: &Value, key: &str) -> Option<String> {
    v[key]
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A directory object's display name, else its sign-in name.
fn name(v: &Value) -> Option<String> {
    text(v, "displayName").or_else(|| text(v, "userPrincipalName"))
}

/// `users/{id}`, or `users('{upn}')` for a UPN starting with `$`, as Graph needs.
fn user_path(id_or_upn: &str) -> String {
    if id_or_upn.starts_with('$') {
        let mut lit = String::new();
        write_string_literal(id_or_upn, &mut lit);
        format!("users({})", encode_query_value(&lit))
    } else {
        format!("users/{}", seg(id_or_upn))
    }
}
