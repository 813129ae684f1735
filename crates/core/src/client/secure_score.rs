//! Secure score and its control profiles.

use super::paging::Pages;
use crate::error::GraphError;
use crate::models::*;
use crate::odata::Query;
use crate::transport::{Method, Transport};

use super::{ApiVersion, GraphClient, Retry, scopes, seg};

impl<T: Transport> GraphClient<T> {
    /// One score per day, newest first; `$top=n` = last n days.
    pub fn list_secure_scores(&self, query: &Query) -> Pages<T, SecureScore> {
        self.pages(
            ApiVersion::V1,
            "security/secureScores",
            query,
            scopes::EVENTS_READ,
        )
    }

    pub async fn get_secure_score(&self, id: &str) -> Result<SecureScore, GraphError> {
        self.get_json(
            self.url(
                ApiVersion::V1,
                &format!("security/secureScores/{}", seg(id)),
            ),
            scopes::EVENTS_READ,
        )
        .await
    }

    pub fn list_control_profiles(&self, query: &Query) -> Pages<T, SecureScoreControlProfile> {
        self.pages(
            ApiVersion::V1,
            "security/secureScoreControlProfiles",
            query,
            scopes::EVENTS_READ,
        )
    }

    pub async fn get_control_profile(
        &self,
        id: &str,
    ) -> Result<SecureScoreControlProfile, GraphError> {
        self.get_json(
            self.url(
                ApiVersion::V1,
                &format!("security/secureScoreControlProfiles/{}", seg(id)),
            ),
            scopes::EVENTS_READ,
        )
        .await
    }

    /// Updates a control's state; answered 204. Never retried: each PATCH appends history.
    pub async fn update_control_profile(
        &self,
        id: &str,
        update: &ControlProfileUpdate,
    ) -> Result<(), GraphError> {
        let url = self.url(
            ApiVersion::V1,
            &format!("security/secureScoreControlProfiles/{}", seg(id)),
        );
        self.write_no_content(
            Method::Patch,
            url,
            Some(update),
            Retry::Never,
            scopes::EVENTS_WRITE,
        )
        .await
        .map(drop)
    }
}
