//! Directory: users, the signed-in user and devices (pivots from evidence).

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

    /// A user's manager (`/users/{id}/manager`), `None` when they have none (Graph's 404).
    /// Needs User.Read.All: basic profiles do not reach the reporting line.
    pub async fn get_manager(&self, id_or_upn: &str) -> Result<Option<User>, GraphError> {
        let url = self.url(ApiVersion::V1, &format!("{}/manager", user_path(id_or_upn)));
        match self.get_json(url, scopes::USER_READ).await {
            Ok(u) => Ok(Some(u)),
            Err(e) if e.kind == crate::error::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A device's registered owners (`/devices/{objectId}/registeredOwners`): directory
    /// objects, read as users (the owner is a user; another kind keeps its id and name).
    pub async fn device_owners(&self, object_id: &str) -> Result<Vec<User>, GraphError> {
        let path = format!("devices/{}/registeredOwners", seg(object_id));
        self.pages::<User>(ApiVersion::V1, &path, &Query::new(), scopes::DEVICE_READ)
            .collect_all()
            .await
    }

    /// Devices whose display name is `name` (a host name, without its domain).
    pub async fn find_devices_named(&self, name: &str) -> Result<Vec<Device>, GraphError> {
        let q = Query::new().filter(crate::fields::devices::DISPLAY_NAME.eq(name));
        self.pages::<Device>(ApiVersion::V1, "devices", &q, scopes::DEVICE_READ)
            .collect_all()
            .await
    }
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
