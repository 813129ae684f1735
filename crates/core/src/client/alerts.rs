//! Alerts (v2): `security/alerts_v2`, listed, read (also with the JSON as sent), triaged and
//! commented on.

use serde_json::value::RawValue;

use super::paging::Pages;
use crate::error::{ErrorKind, GraphError};
use crate::models::*;
use crate::odata::Query;
use crate::transport::{Method, Transport};

use super::{ApiVersion, GraphClient, Retry, scopes, seg};

const ALERTS: &str = "security/alerts_v2";

impl<T: Transport> GraphClient<T> {
    /// Lists alerts (`$filter`, `$top`, `$skip`, `$count` are supported).
    pub fn list_alerts(&self, query: &Query) -> Pages<T, Alert> {
        Pages::new(self.clone(), self.alerts_url(query), scopes::ALERT_READ)
    }

    /// The same listing as [`GraphClient::list_alerts`] with each alert kept as its raw JSON,
    /// so a caller can decode a page a slice at a time ([`decode_alert`]) instead of in one
    /// long task.
    pub fn list_alerts_raw(&self, query: &Query) -> Pages<T, RawAlert> {
        Pages::new(self.clone(), self.alerts_url(query), scopes::ALERT_READ)
    }

    /// The URL [`GraphClient::list_alerts`] requests first, for showing the request to a
    /// person.
    pub fn alerts_url(&self, query: &Query) -> String {
        format!(
            "{}{}",
            self.url(ApiVersion::V1, ALERTS),
            query.to_query_string()
        )
    }

    /// The URL of one alert (what [`GraphClient::get_alert`] requests).
    pub fn alert_url(&self, id: &AlertId) -> String {
        self.url(ApiVersion::V1, &alert_path(id))
    }

    pub async fn get_alert(&self, id: &AlertId) -> Result<Alert, GraphError> {
        self.get_json(self.alert_url(id), scopes::ALERT_READ).await
    }

    /// One alert and its JSON as Graph sent it, pretty-printed (for a "raw JSON" view).
    pub async fn get_alert_with_raw(&self, id: &AlertId) -> Result<(Alert, String), GraphError> {
        let raw: serde_json::Value = self
            .get_json(self.alert_url(id), scopes::ALERT_READ)
            .await?;
        alert_and_pretty(&raw)
    }

    /// PATCHes only the fields set in `update`; returns the full updated alert.
    pub async fn update_alert(
        &self,
        id: &AlertId,
        update: &AlertUpdate,
    ) -> Result<Alert, GraphError> {
        if update.is_empty() {
            return Err(GraphError::new(
                ErrorKind::InvalidInput,
                "nothing to update",
            ));
        }
        self.write_json(
            Method::Patch,
            self.alert_url(id),
            update,
            Retry::Idempotent,
            scopes::ALERT_WRITE,
        )
        .await
    }

    /// Adds a comment; returns the alert's whole comment list.
    pub async fn add_alert_comment(
        &self,
        id: &AlertId,
        comment: &str,
    ) -> Result<Vec<AlertComment>, GraphError> {
        let path = format!("{}/comments", alert_path(id));
        self.post_comment(&path, comment, scopes::ALERT_WRITE).await
    }
}

/// One alert of a [`GraphClient::list_alerts_raw`] page, still as its JSON text.
pub type RawAlert = Box<RawValue>;

/// Decodes one alert of a [`GraphClient::list_alerts_raw`] page. Concrete, not generic, and
/// with the same text reader as every other body, so the alert decoder is in the bundle once.
pub fn decode_alert(raw: &RawValue) -> Result<Alert, GraphError> {
    serde_json::from_str(raw.get()).map_err(GraphError::decode)
}

/// An alert's path from the version root (`$batch` items name it so).
pub(crate) fn alert_path(id: &AlertId) -> String {
    format!("/{ALERTS}/{}", seg(id.as_str()))
}

/// The alert and its pretty JSON. The alert is decoded from the text, by the same reader as
/// every other alert, not from the tree: `from_value` would build a second copy of the whole
/// alert decoder into the bundle. Kept out of the generic client so it is built once.
fn alert_and_pretty(raw: &serde_json::Value) -> Result<(Alert, String), GraphError> {
    let pretty = serde_json::to_string_pretty(raw).unwrap_or_default();
    let alert = serde_json::from_str(&pretty).map_err(GraphError::decode)?;
    Ok((alert, pretty))
}

/// A one-alert page in Graph's shape with a value of every type an alert page carries and the
/// common evidence kinds: what [`rehearse_alert_page`] decodes.
const REHEARSAL: &str = include_str!("rehearsal.json");

/// Decodes a small built-in alert page as [`GraphClient::list_alerts_raw`]'s pages and
/// [`decode_alert`] decode Graph's. A browser compiles each wasm function on its first run: an
/// app that rehearses while it waits on the network (Vigil: for the sign-in's token) has that
/// code compiled when the first alerts come (docs/architecture.md, "Where the queue's first
/// rows wait").
pub fn rehearse_alert_page() -> Vec<Alert> {
    let page: ODataPage<RawAlert> = match crate::decode::decode(REHEARSAL.as_bytes()) {
        Ok(page) => page,
        Err(_) => return Vec::new(),
    };
    page.value
        .iter()
        .filter_map(|raw| decode_alert(raw).ok())
        .collect()
}
