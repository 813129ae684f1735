//! Advanced hunting (KQL).

use crate::error::GraphError;
use crate::models::*;
use crate::transport::{Method, Transport};

use super::{ApiVersion, GraphClient, Retry, scopes};

impl<T: Transport> GraphClient<T> {
    /// Runs a KQL query. A POST, so never retried automatically (the quota is per CPU time).
    pub async fn run_hunting_query(
        &self,
        query: &HuntingQuery,
    ) -> Result<HuntingQueryResults, GraphError> {
        let url = self.url(ApiVersion::V1, "security/runHuntingQuery");
        self.write_json(Method::Post, url, query, Retry::Never, scopes::HUNTING_READ)
            .await
    }
}
