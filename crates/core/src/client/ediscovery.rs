//! eDiscovery cases, custodians, sources, searches, review sets, tags and operations (the
//! long-running actions are in [`crate::operations`]).

use super::paging::Pages;
use crate::error::GraphError;
use crate::models::*;
use crate::odata::Query;
use crate::transport::{HttpResponse, Method, Transport};

use super::{ApiVersion, GraphClient, Retry, scopes, seg};

impl<T: Transport> GraphClient<T> {
    pub fn list_cases(&self, query: &Query) -> Pages<T, EdiscoveryCase> {
        self.pages(
            ApiVersion::V1,
            "security/cases/ediscoveryCases",
            query,
            scopes::EDISCOVERY_READ,
        )
    }

    pub async fn get_case(&self, case: &CaseId) -> Result<EdiscoveryCase, GraphError> {
        self.get_json(self.case_url(case, ""), scopes::EDISCOVERY_READ)
            .await
    }

    pub async fn create_case(&self, case: &CaseWrite) -> Result<EdiscoveryCase, GraphError> {
        let url = self.url(ApiVersion::V1, "security/cases/ediscoveryCases");
        self.write_json(
            Method::Post,
            url,
            case,
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
    }

    pub async fn update_case(&self, case: &CaseId, update: &CaseWrite) -> Result<(), GraphError> {
        self.write_no_content(
            Method::Patch,
            self.case_url(case, ""),
            Some(update),
            Retry::Idempotent,
            scopes::EDISCOVERY_WRITE,
        )
        .await
        .map(drop)
    }

    /// Closes (`close`) or reopens (`reopen`) a case; 204.
    pub async fn set_case_closed(&self, case: &CaseId, closed: bool) -> Result<(), GraphError> {
        let url = self.case_url(case, if closed { "close" } else { "reopen" });
        self.write_no_content::<()>(
            Method::Post,
            url,
            None,
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
        .map(drop)
    }

    pub async fn get_case_settings(&self, case: &CaseId) -> Result<CaseSettings, GraphError> {
        self.get_json(self.case_url(case, "settings"), scopes::EDISCOVERY_READ)
            .await
    }

    pub fn list_custodians(&self, case: &CaseId, query: &Query) -> Pages<T, Custodian> {
        Pages::new(
            self.clone(),
            format!(
                "{}{}",
                self.case_url(case, "custodians"),
                query.to_query_string()
            ),
            scopes::EDISCOVERY_READ,
        )
    }

    pub async fn create_custodian(
        &self,
        case: &CaseId,
        email: &str,
    ) -> Result<Custodian, GraphError> {
        let body = NewCustodian {
            email: email.to_owned(),
        };
        self.write_json(
            Method::Post,
            self.case_url(case, "custodians"),
            &body,
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
    }

    /// A custodian's `userSources`, `siteSources` or `unifiedGroupSources`.
    pub fn list_custodian_sources(
        &self,
        case: &CaseId,
        custodian: &str,
        collection: CustodianSources,
    ) -> Pages<T, DataSource> {
        let url = self.case_url(
            case,
            &format!("custodians/{}/{}", seg(custodian), collection.path()),
        );
        Pages::new(self.clone(), url, scopes::EDISCOVERY_READ)
    }

    /// Adds a user or site source to a custodian (the body goes without `@odata.type`). The
    /// source the service made is not decoded: it is listed with the custodian's sources.
    pub async fn add_custodian_source(
        &self,
        case: &CaseId,
        custodian: &str,
        source: &NewDataSource,
    ) -> Result<(), GraphError> {
        let collection = if source.site.is_some() {
            "siteSources"
        } else {
            "userSources"
        };
        let url = self.case_url(case, &format!("custodians/{}/{collection}", seg(custodian)));
        self.write_no_content(
            Method::Post,
            url,
            Some(&source.clone().untyped()),
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
        .map(drop)
    }

    /// Custodian hold actions: `applyHold`, `removeHold`, `release`, `activate`, `updateIndex`.
    /// Hold and index changes are long-running; see [`crate::operations`].
    pub async fn custodian_action(
        &self,
        case: &CaseId,
        custodian: &str,
        action: CustodianAction,
    ) -> Result<HttpResponse, GraphError> {
        let url = self.case_url(
            case,
            &format!("custodians/{}/{}", seg(custodian), action.path()),
        );
        self.write_no_content::<()>(
            Method::Post,
            url,
            None,
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
    }

    /// Non-custodial sources with their `dataSource` expanded.
    pub fn list_noncustodial_sources(&self, case: &CaseId) -> Pages<T, NoncustodialDataSource> {
        let url = format!(
            "{}{}",
            self.case_url(case, "noncustodialDataSources"),
            Query::new().expand("dataSource").to_query_string()
        );
        Pages::new(self.clone(), url, scopes::EDISCOVERY_READ)
    }

    pub async fn create_noncustodial_source(
        &self,
        case: &CaseId,
        source: NewDataSource,
    ) -> Result<NoncustodialDataSource, GraphError> {
        let body = NewNoncustodialDataSource {
            data_source: source,
        };
        self.write_json(
            Method::Post,
            self.case_url(case, "noncustodialDataSources"),
            &body,
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
    }

    pub fn list_searches(&self, case: &CaseId, query: &Query) -> Pages<T, Search> {
        Pages::new(
            self.clone(),
            format!(
                "{}{}",
                self.case_url(case, "searches"),
                query.to_query_string()
            ),
            scopes::EDISCOVERY_READ,
        )
    }

    pub async fn get_search(&self, case: &CaseId, search: &str) -> Result<Search, GraphError> {
        self.get_json(
            self.case_url(case, &format!("searches/{}", seg(search))),
            scopes::EDISCOVERY_READ,
        )
        .await
    }

    pub async fn create_search(
        &self,
        case: &CaseId,
        search: &SearchWrite,
    ) -> Result<Search, GraphError> {
        self.write_json(
            Method::Post,
            self.case_url(case, "searches"),
            search,
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
    }

    pub async fn update_search(
        &self,
        case: &CaseId,
        search: &str,
        update: &SearchWrite,
    ) -> Result<(), GraphError> {
        let url = self.case_url(case, &format!("searches/{}", seg(search)));
        self.write_no_content(
            Method::Patch,
            url,
            Some(update),
            Retry::Idempotent,
            scopes::EDISCOVERY_WRITE,
        )
        .await
        .map(drop)
    }

    /// A search's `custodianSources` or `additionalSources`.
    pub fn list_search_sources(
        &self,
        case: &CaseId,
        search: &str,
        additional: bool,
    ) -> Pages<T, DataSource> {
        let coll = if additional {
            "additionalSources"
        } else {
            "custodianSources"
        };
        Pages::new(
            self.clone(),
            self.case_url(case, &format!("searches/{}/{coll}", seg(search))),
            scopes::EDISCOVERY_READ,
        )
    }

    pub async fn add_search_source(
        &self,
        case: &CaseId,
        search: &str,
        source: &NewDataSource,
    ) -> Result<DataSource, GraphError> {
        let url = self.case_url(case, &format!("searches/{}/additionalSources", seg(search)));
        self.write_json(
            Method::Post,
            url,
            source,
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
    }

    /// The latest estimate of a search (also the fallback when `estimateStatistics` answers
    /// 204 without a `Location`).
    pub async fn last_estimate(
        &self,
        case: &CaseId,
        search: &str,
    ) -> Result<CaseOperation, GraphError> {
        self.get_json(
            self.case_url(
                case,
                &format!("searches/{}/lastEstimateStatisticsOperation", seg(search)),
            ),
            scopes::EDISCOVERY_READ,
        )
        .await
    }

    pub fn list_review_sets(&self, case: &CaseId) -> Pages<T, ReviewSet> {
        Pages::new(
            self.clone(),
            self.case_url(case, "reviewSets"),
            scopes::EDISCOVERY_READ,
        )
    }

    pub async fn get_review_set(
        &self,
        case: &CaseId,
        review_set: &str,
    ) -> Result<ReviewSet, GraphError> {
        self.get_json(
            self.case_url(case, &format!("reviewSets/{}", seg(review_set))),
            scopes::EDISCOVERY_READ,
        )
        .await
    }

    pub async fn create_review_set(
        &self,
        case: &CaseId,
        display_name: &str,
    ) -> Result<ReviewSet, GraphError> {
        let body = NewReviewSet {
            display_name: display_name.to_owned(),
        };
        self.write_json(
            Method::Post,
            self.case_url(case, "reviewSets"),
            &body,
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
    }

    pub fn list_review_set_queries(
        &self,
        case: &CaseId,
        review_set: &str,
    ) -> Pages<T, ReviewSetQuery> {
        Pages::new(
            self.clone(),
            self.case_url(case, &format!("reviewSets/{}/queries", seg(review_set))),
            scopes::EDISCOVERY_READ,
        )
    }

    pub async fn create_review_set_query(
        &self,
        case: &CaseId,
        review_set: &str,
        query: &ReviewSetQueryWrite,
    ) -> Result<ReviewSetQuery, GraphError> {
        let url = self.case_url(case, &format!("reviewSets/{}/queries", seg(review_set)));
        self.write_json(
            Method::Post,
            url,
            query,
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
    }

    pub async fn update_review_set_query(
        &self,
        case: &CaseId,
        review_set: &str,
        query_id: &str,
        update: &ReviewSetQueryWrite,
    ) -> Result<(), GraphError> {
        let url = self.case_url(
            case,
            &format!("reviewSets/{}/queries/{}", seg(review_set), seg(query_id)),
        );
        self.write_no_content(
            Method::Patch,
            url,
            Some(update),
            Retry::Idempotent,
            scopes::EDISCOVERY_WRITE,
        )
        .await
        .map(drop)
    }

    pub fn list_tags(&self, case: &CaseId) -> Pages<T, ReviewTag> {
        Pages::new(
            self.clone(),
            self.case_url(case, "tags"),
            scopes::EDISCOVERY_READ,
        )
    }

    /// Tags as a tree (`asHierarchy`).
    pub fn list_tags_hierarchy(&self, case: &CaseId) -> Pages<T, ReviewTag> {
        Pages::new(
            self.clone(),
            self.case_url(case, "tags/microsoft.graph.security.asHierarchy()"),
            scopes::EDISCOVERY_READ,
        )
    }

    pub async fn create_tag(&self, case: &CaseId, tag: &TagWrite) -> Result<ReviewTag, GraphError> {
        self.write_json(
            Method::Post,
            self.case_url(case, "tags"),
            tag,
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
    }

    pub fn list_operations(&self, case: &CaseId, query: &Query) -> Pages<T, CaseOperation> {
        Pages::new(
            self.clone(),
            format!(
                "{}{}",
                self.case_url(case, "operations"),
                query.to_query_string()
            ),
            scopes::EDISCOVERY_READ,
        )
    }

    pub async fn get_operation(
        &self,
        case: &CaseId,
        operation: &str,
    ) -> Result<CaseOperation, GraphError> {
        self.get_json(
            self.case_url(case, &format!("operations/{}", seg(operation))),
            scopes::EDISCOVERY_READ,
        )
        .await
    }

    /// A case's legal holds (Graph beta only: v1.0 has no such navigation).
    pub fn list_legal_holds(&self, case: &CaseId) -> Pages<T, HoldPolicy> {
        Pages::new(
            self.clone(),
            self.case_url_in(ApiVersion::Beta, case, "legalHolds"),
            scopes::EDISCOVERY_READ,
        )
    }

    /// Creates a legal hold (beta); it starts `pending` until the policy is in force. What the
    /// service made is not decoded: the holds are read again.
    pub async fn create_legal_hold(
        &self,
        case: &CaseId,
        hold: &NewHoldPolicy,
    ) -> Result<(), GraphError> {
        self.write_no_content(
            Method::Post,
            self.case_url_in(ApiVersion::Beta, case, "legalHolds"),
            Some(hold),
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
        .map(drop)
    }

    /// Retries a legal hold in `error` (beta, `retryPolicy`; 204).
    pub async fn retry_legal_hold(&self, case: &CaseId, hold: &str) -> Result<(), GraphError> {
        let url = self.case_url_in(
            ApiVersion::Beta,
            case,
            &format!("legalHolds/{}/retryPolicy", seg(hold)),
        );
        self.write_no_content::<()>(
            Method::Post,
            url,
            None,
            Retry::OnThrottle,
            scopes::EDISCOVERY_WRITE,
        )
        .await
        .map(drop)
    }

    /// Creates a tag, under `parent` (a tag id of the case) when given.
    pub async fn create_tag_under(
        &self,
        case: &CaseId,
        name: &str,
        parent: Option<&str>,
        child_selectability: Option<ChildSelectability>,
    ) -> Result<ReviewTag, GraphError> {
        let tag = TagWrite {
            display_name: Some(name.to_owned()),
            description: None,
            child_selectability,
            parent_bind: parent.map(|p| self.case_url(case, &format!("tags/{}", seg(p)))),
        };
        self.create_tag(case, &tag).await
    }

    /// The URL of `rest` under a case (the case itself when `rest` is empty); also used by the
    /// long-running actions in [`crate::operations`].
    pub(crate) fn case_url(&self, case: &CaseId, rest: &str) -> String {
        self.case_url_in(ApiVersion::V1, case, rest)
    }

    fn case_url_in(&self, version: ApiVersion, case: &CaseId, rest: &str) -> String {
        let base = format!("security/cases/ediscoveryCases/{}", seg(case.as_str()));
        self.url(
            version,
            &if rest.is_empty() {
                base
            } else {
                format!("{base}/{rest}")
            },
        )
    }
}

/// A custodian's source collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustodianSources {
    User,
    Site,
    UnifiedGroup,
}

impl CustodianSources {
    fn path(self) -> &'static str {
        match self {
            CustodianSources::User => "userSources",
            CustodianSources::Site => "siteSources",
            CustodianSources::UnifiedGroup => "unifiedGroupSources",
        }
    }
}

/// Actions on one custodian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustodianAction {
    Activate,
    Release,
    ApplyHold,
    RemoveHold,
    UpdateIndex,
}

impl CustodianAction {
    fn path(self) -> &'static str {
        match self {
            CustodianAction::Activate => "activate",
            CustodianAction::Release => "release",
            CustodianAction::ApplyHold => "applyHold",
            CustodianAction::RemoveHold => "removeHold",
            CustodianAction::UpdateIndex => "updateIndex",
        }
    }
}
