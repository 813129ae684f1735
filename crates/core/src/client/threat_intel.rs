//! Threat intelligence: hosts, articles and intel profiles.

use super::paging::Pages;
use crate::error::GraphError;
use crate::models::*;
use crate::odata::Query;
use crate::transport::Transport;

use super::{ApiVersion, GraphClient, scopes, seg};

impl<T: Transport> GraphClient<T> {
    /// A hostname or IP address.
    pub async fn get_host(&self, host: &str) -> Result<Host, GraphError> {
        self.get_json(
            self.url(
                ApiVersion::V1,
                &format!("security/threatIntelligence/hosts/{}", seg(host)),
            ),
            scopes::TI_READ,
        )
        .await
    }

    pub async fn get_host_reputation(&self, host: &str) -> Result<HostReputation, GraphError> {
        let url = self.url(
            ApiVersion::V1,
            &format!("security/threatIntelligence/hosts/{}/reputation", seg(host)),
        );
        self.get_json(url, scopes::TI_READ).await
    }

    pub fn list_articles(&self, query: &Query) -> Pages<T, Article> {
        self.pages(
            ApiVersion::V1,
            "security/threatIntelligence/articles",
            query,
            scopes::TI_READ,
        )
    }

    pub async fn get_article(&self, id: &str) -> Result<Article, GraphError> {
        self.get_json(
            self.url(
                ApiVersion::V1,
                &format!("security/threatIntelligence/articles/{}", seg(id)),
            ),
            scopes::TI_READ,
        )
        .await
    }

    pub fn list_intel_profiles(&self, query: &Query) -> Pages<T, IntelligenceProfile> {
        self.pages(
            ApiVersion::V1,
            "security/threatIntelligence/intelProfiles",
            query,
            scopes::TI_READ,
        )
    }

    pub async fn get_intel_profile(&self, id: &str) -> Result<IntelligenceProfile, GraphError> {
        self.get_json(
            self.url(
                ApiVersion::V1,
                &format!("security/threatIntelligence/intelProfiles/{}", seg(id)),
            ),
            scopes::TI_READ,
        )
        .await
    }
}
