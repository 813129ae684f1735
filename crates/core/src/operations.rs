//! Long-running eDiscovery operations: start (202 + `Location`), then poll within the
//! eDiscovery budget (5 requests a minute) until a final status.
//!
//! The UI can drive polling itself with [`GraphClient::poll_operation`] (one GET, paced by
//! the scheduler) or hand a progress callback to [`GraphClient::wait_operation`].

use std::time::Duration;

use serde::Serialize;

use crate::client::{GraphClient, RequestSpec, Retry, origin_of, scopes};
use crate::decode::decode;
use crate::error::{ErrorKind, GraphError};
use crate::models::{
    AddToReviewSet, ApplyTags, CaseId, CaseOperation, EstimateStatistics, HoldIds, IdRef,
    ReviewSetExport, SearchExport,
};
use crate::odata::encode_path_segment;
use crate::scheduler::Family;
use crate::transport::{HttpResponse, Method, Transport};

/// Where to poll a started operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationHandle {
    /// The absolute `Location` URL from the 202.
    Location(String),
    /// The action answered 204 without a `Location` (documented for estimateStatistics): the
    /// search's `lastEstimateStatisticsOperation` is polled instead.
    LastEstimate { case: CaseId, search: String },
    /// The action completed synchronously and there is nothing to poll.
    Completed,
}

impl OperationHandle {
    /// The operation's id from its `Location` (`…/operations('{id}')` or `…/operations/{id}`),
    /// so the started operation can be shown before the first poll.
    pub fn operation_id(&self) -> Option<String> {
        let OperationHandle::Location(url) = self else {
            return None;
        };
        let path = url.split(['?', '#']).next().unwrap_or_default();
        let (_, rest) = path.rsplit_once("operations")?;
        let id = rest
            .trim_start_matches('/')
            .trim_start_matches("('")
            .trim_end_matches("')")
            .trim_start_matches('(')
            .trim_end_matches(')');
        (!id.is_empty() && !id.contains('/')).then(|| crate::url::form_decode(id))
    }
}

/// Polling cadence for [`GraphClient::wait_operation`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollOptions {
    /// Minimum wait between polls; the scheduler may wait longer to stay within budget.
    pub interval: Duration,
    /// Give up after this many polls (`ErrorKind::Other` with the last status).
    pub max_polls: u32,
}

impl Default for PollOptions {
    /// Every 15 s: under the 5-a-minute eDiscovery budget with room for the user's own clicks.
    fn default() -> Self {
        PollOptions {
            interval: Duration::from_secs(15),
            max_polls: 240,
        }
    }
}

impl<T: Transport> GraphClient<T> {
    async fn start<B: Serialize + ?Sized>(
        &self,
        url: String,
        body: Option<&B>,
    ) -> Result<HttpResponse, GraphError> {
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| GraphError::new(ErrorKind::InvalidInput, e.to_string()))?;
        let spec = RequestSpec {
            method: Method::Post,
            family: Family::of_url(&url),
            url,
            body,
            retry: Retry::OnThrottle,
            scope: Some(scopes::EDISCOVERY_WRITE),
        };
        self.execute(spec).await
    }

    /// The handle from an action's response: its `Location` (resolved against the Graph
    /// origin when relative, and refused when it points at another origin).
    fn handle_from(&self, resp: &HttpResponse) -> Result<OperationHandle, GraphError> {
        match resp.header("location") {
            Some(loc) if origin_of(loc).is_some() => {
                self.check_origin(loc)?;
                Ok(OperationHandle::Location(loc.to_owned()))
            }
            Some(loc) if loc.starts_with('/') => {
                Ok(OperationHandle::Location(format!("{}{loc}", self.origin())))
            }
            Some(loc) => Err(GraphError::new(
                ErrorKind::Decode,
                format!("unusable Location header {loc:?}"),
            )),
            None => Ok(OperationHandle::Completed),
        }
    }

    /// Starts `estimateStatistics` on a search.
    pub async fn estimate_statistics(
        &self,
        case: &CaseId,
        search: &str,
        options: &EstimateStatistics,
    ) -> Result<OperationHandle, GraphError> {
        let url = self.case_url(
            case,
            &format!(
                "searches/{}/estimateStatistics",
                encode_path_segment(search)
            ),
        );
        let resp = self.start(url, Some(options)).await?;
        match self.handle_from(&resp)? {
            OperationHandle::Completed => Ok(OperationHandle::LastEstimate {
                case: case.clone(),
                search: search.to_owned(),
            }),
            h => Ok(h),
        }
    }

    /// Adds a search's results to a review set.
    pub async fn add_to_review_set(
        &self,
        case: &CaseId,
        review_set: &str,
        body: &AddToReviewSet,
    ) -> Result<OperationHandle, GraphError> {
        let url = self.case_url(
            case,
            &format!(
                "reviewSets/{}/addToReviewSet",
                encode_path_segment(review_set)
            ),
        );
        let resp = self.start(url, Some(body)).await?;
        self.handle_from(&resp)
    }

    /// Exports a review set (or, with `query`, one of its queries).
    pub async fn export_review_set(
        &self,
        case: &CaseId,
        review_set: &str,
        query: Option<&str>,
        body: &ReviewSetExport,
    ) -> Result<OperationHandle, GraphError> {
        let mut rest = format!("reviewSets/{}", encode_path_segment(review_set));
        if let Some(q) = query {
            rest.push_str(&format!("/queries/{}", encode_path_segment(q)));
        }
        let resp = self
            .start(self.case_url(case, &format!("{rest}/export")), Some(body))
            .await?;
        self.handle_from(&resp)
    }

    /// `exportReport` (`report = true`) or `exportResult` of a search.
    pub async fn export_search(
        &self,
        case: &CaseId,
        search: &str,
        report: bool,
        body: &SearchExport,
    ) -> Result<OperationHandle, GraphError> {
        let action = if report {
            "exportReport"
        } else {
            "exportResult"
        };
        let url = self.case_url(
            case,
            &format!("searches/{}/{action}", encode_path_segment(search)),
        );
        let resp = self.start(url, Some(body)).await?;
        self.handle_from(&resp)
    }

    /// Applies or removes tags on a review-set query's items.
    pub async fn apply_tags(
        &self,
        case: &CaseId,
        review_set: &str,
        query: &str,
        add: &[&str],
        remove: &[&str],
    ) -> Result<OperationHandle, GraphError> {
        let ids = |v: &[&str]| {
            v.iter()
                .map(|id| IdRef {
                    id: (*id).to_owned(),
                })
                .collect()
        };
        let body = ApplyTags {
            tags_to_add: ids(add),
            tags_to_remove: ids(remove),
        };
        let url = self.case_url(
            case,
            &format!(
                "reviewSets/{}/queries/{}/applyTags",
                encode_path_segment(review_set),
                encode_path_segment(query)
            ),
        );
        let resp = self.start(url, Some(&body)).await?;
        self.handle_from(&resp)
    }

    /// Applies (`apply = true`) or removes a hold on several custodians at once.
    pub async fn custodians_hold(
        &self,
        case: &CaseId,
        custodian_ids: &[String],
        apply: bool,
    ) -> Result<OperationHandle, GraphError> {
        let action = if apply {
            "custodians/applyHold"
        } else {
            "custodians/removeHold"
        };
        let resp = self
            .start(
                self.case_url(case, action),
                Some(&HoldIds {
                    ids: custodian_ids.to_vec(),
                }),
            )
            .await?;
        self.handle_from(&resp)
    }

    /// One poll (one paced GET). `Ok(None)` for a handle with nothing to poll.
    pub async fn poll_operation(
        &self,
        handle: &OperationHandle,
    ) -> Result<Option<CaseOperation>, GraphError> {
        let url = match handle {
            OperationHandle::Location(url) => url.clone(),
            OperationHandle::LastEstimate { case, search } => self.case_url(
                case,
                &format!(
                    "searches/{}/lastEstimateStatisticsOperation",
                    encode_path_segment(search)
                ),
            ),
            OperationHandle::Completed => return Ok(None),
        };
        let spec = RequestSpec {
            method: Method::Get,
            family: Family::Ediscovery,
            url,
            body: None,
            retry: Retry::Idempotent,
            scope: Some(scopes::EDISCOVERY_READ),
        };
        let resp = self.execute(spec).await?;
        decode(&resp.body).map(Some)
    }

    /// Polls until the operation reaches a final status (`succeeded`, `partiallySucceeded`,
    /// `failed`, `submissionFailed`), calling `on_progress` after each poll. Dropping the
    /// future stops polling.
    pub async fn wait_operation(
        &self,
        handle: &OperationHandle,
        options: PollOptions,
        mut on_progress: impl FnMut(&CaseOperation),
    ) -> Result<Option<CaseOperation>, GraphError> {
        let mut polls = 0;
        loop {
            let Some(op) = self.poll_operation(handle).await? else {
                return Ok(None);
            };
            on_progress(&op);
            if op.is_final() {
                return Ok(Some(op));
            }
            polls += 1;
            if polls >= options.max_polls {
                return Err(GraphError::new(
                    ErrorKind::Other,
                    format!(
                        "the operation is still {} after {polls} polls",
                        op.common
                            .status
                            .as_ref()
                            .map_or("without a status", |s| s.as_str())
                    ),
                ));
            }
            self.transport().sleep(options.interval).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_from_both_location_forms() {
        let h = |u: &str| OperationHandle::Location(u.to_owned()).operation_id();
        assert_eq!(
            h("https://g/v1.0/security/cases/ediscoveryCases('c1')/operations('op-7')").as_deref(),
            Some("op-7")
        );
        assert_eq!(
            h("https://g/v1.0/security/cases/ediscoveryCases/c1/operations/op%2F8?x=1").as_deref(),
            Some("op/8")
        );
        assert_eq!(h("https://g/v1.0/security/cases/ediscoveryCases/c1"), None);
        assert_eq!(OperationHandle::Completed.operation_id(), None);
    }
}
