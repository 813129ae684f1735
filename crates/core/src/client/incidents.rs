//! Incidents: `security/incidents`.

use super::paging::Pages;
use crate::error::{ErrorKind, GraphError};
use crate::models::*;
use crate::odata::Query;
use crate::transport::{Method, Transport};

use super::{ApiVersion, GraphClient, Retry, scopes, seg};

impl<T: Transport> GraphClient<T> {
    /// Lists incidents (`$expand=alerts` via `query.expand("alerts")`).
    pub fn list_incidents(&self, query: &Query) -> Pages<T, Incident> {
        self.pages(
            ApiVersion::V1,
            "security/incidents",
            query,
            scopes::INCIDENT_READ,
        )
    }

    pub async fn get_incident(
        &self,
        id: &IncidentId,
        expand_alerts: bool,
    ) -> Result<Incident, GraphError> {
        let q = if expand_alerts {
            Query::new().expand("alerts")
        } else {
            Query::new()
        };
        let url = format!(
            "{}{}",
            self.url(ApiVersion::V1, &incident_path(id)),
            q.to_query_string()
        );
        self.get_json(url, scopes::INCIDENT_READ).await
    }

    pub async fn update_incident(
        &self,
        id: &IncidentId,
        update: &IncidentUpdate,
    ) -> Result<Incident, GraphError> {
        if update.is_empty() {
            return Err(GraphError::new(
                ErrorKind::InvalidInput,
                "nothing to update",
            ));
        }
        let url = self.url(ApiVersion::V1, &incident_path(id));
        self.write_json(
            Method::Patch,
            url,
            update,
            Retry::Idempotent,
            scopes::INCIDENT_WRITE,
        )
        .await
    }

    /// Adds a comment; returns the incident's whole comment list.
    pub async fn add_incident_comment(
        &self,
        id: &IncidentId,
        comment: &str,
    ) -> Result<Vec<AlertComment>, GraphError> {
        let path = format!("{}/comments", incident_path(id));
        self.post_comment(&path, comment, scopes::INCIDENT_WRITE)
            .await
    }
}

/// An incident's path from the version root (`$batch` items name it so).
pub(crate) fn incident_path(id: &IncidentId) -> String {
    format!("/security/incidents/{}", seg(id.as_str()))
}
