//! Threat submissions (beta): `security/threatSubmission`.

use super::paging::Pages;
use crate::error::GraphError;
use crate::models::*;
use crate::odata::Query;
use crate::transport::{Method, Transport};

use super::{ApiVersion, GraphClient, Retry, scopes, seg};

impl<T: Transport> GraphClient<T> {
    pub fn list_submissions(
        &self,
        kind: SubmissionCollection,
        query: &Query,
    ) -> Pages<T, ThreatSubmission> {
        self.pages(
            ApiVersion::Beta,
            &format!("security/threatSubmission/{}", kind.path()),
            query,
            scopes::SUBMISSION_READ,
        )
    }

    pub async fn get_submission(
        &self,
        kind: SubmissionCollection,
        id: &str,
    ) -> Result<ThreatSubmission, GraphError> {
        let url = self.url(
            ApiVersion::Beta,
            &format!("security/threatSubmission/{}/{}", kind.path(), seg(id)),
        );
        self.get_json(url, scopes::SUBMISSION_READ).await
    }

    pub async fn create_submission(
        &self,
        submission: &NewThreatSubmission,
    ) -> Result<ThreatSubmission, GraphError> {
        let url = self.url(
            ApiVersion::Beta,
            &format!("security/threatSubmission/{}", submission.collection()),
        );
        self.write_json(
            Method::Post,
            url,
            submission,
            Retry::Never,
            scopes::SUBMISSION_WRITE,
        )
        .await
    }
}

/// Threat submission collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmissionCollection {
    Email,
    Url,
    File,
}

impl SubmissionCollection {
    fn path(self) -> &'static str {
        match self {
            SubmissionCollection::Email => "emailThreats",
            SubmissionCollection::Url => "urlThreats",
            SubmissionCollection::File => "fileThreats",
        }
    }
}
