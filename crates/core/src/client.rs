//! [`GraphClient`]: the one request path of the app.
//!
//! Every request goes through [`GraphClient::execute`], which checks the origin (the bearer
//! token never leaves for another host), waits for scheduler budget, attaches the token,
//! retries idempotent requests after 429/503/network errors, and turns failures into
//! [`GraphError`]. The typed methods are thin: they build a URL and call one of a few generic
//! helpers, so each monomorphised copy in the wasm bundle stays small.
//!
//! Retry policy: GET and DELETE are retried; PATCH is retried only where our bodies set
//! absolute values (alerts, incidents), because repeating such a PATCH changes nothing; a
//! secure score control PATCH appends a history entry and is never retried; POST is never
//! retried automatically (except `$batch` after a 429 on the whole batch, which Graph answers
//! before executing anything). A failed POST surfaces `ErrorKind::Throttled` with the
//! `Retry-After` so the UI can offer a retry.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ErrorKind, GraphError, parse_retry_after};
use crate::models::*;
use crate::odata::{Query, encode_path_segment, encode_query_value, write_string_literal};
use crate::paging::Pages;
use crate::scheduler::{Family, Scheduler, SchedulerConfig};
use crate::transport::{HttpRequest, HttpResponse, Method, Transport};

/// The permissions named in "This needs the … permission." messages.
pub mod scopes {
    pub const ALERT_READ: &str = "SecurityAlert.Read.All";
    pub const ALERT_WRITE: &str = "SecurityAlert.ReadWrite.All";
    pub const INCIDENT_READ: &str = "SecurityIncident.Read.All";
    pub const INCIDENT_WRITE: &str = "SecurityIncident.ReadWrite.All";
    pub const EVENTS_READ: &str = "SecurityEvents.Read.All";
    pub const EVENTS_WRITE: &str = "SecurityEvents.ReadWrite.All";
    pub const EDISCOVERY_READ: &str = "eDiscovery.Read.All";
    pub const EDISCOVERY_WRITE: &str = "eDiscovery.ReadWrite.All";
    pub const SUBMISSION_READ: &str = "ThreatSubmission.Read";
    pub const SUBMISSION_WRITE: &str = "ThreatSubmission.ReadWrite";
    pub const TI_READ: &str = "ThreatIntelligence.Read.All";
    pub const HUNTING_READ: &str = "ThreatHunting.Read.All";
    pub const USER_READ: &str = "User.Read.All";
    pub const DEVICE_READ: &str = "Device.Read.All";
}

/// A boxed local future (no `Send`: browser futures are `!Send`).
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Supplies the current access token for a tenant. The app refreshes tokens behind it.
pub trait TokenProvider {
    fn access_token<'a>(&'a self, tenant: &'a str) -> LocalFuture<'a, Result<String, GraphError>>;

    /// Called when Graph answered 401 to `token`, so the provider can drop it and renew before
    /// the client asks again (once). The default does nothing, and the 401 then reaches the
    /// caller as "Your sign-in has expired; sign in again.".
    fn token_rejected<'a>(&'a self, _tenant: &'a str, _token: &'a str) -> LocalFuture<'a, ()> {
        Box::pin(async {})
    }
}

/// A fixed token (tests, tools).
#[derive(Debug, Clone)]
pub struct StaticToken(pub String);

impl TokenProvider for StaticToken {
    fn access_token<'a>(&'a self, _tenant: &'a str) -> LocalFuture<'a, Result<String, GraphError>> {
        let t = self.0.clone();
        Box::pin(async move { Ok(t) })
    }
}

/// Any synchronous closure `Fn(tenant) -> Result<token, GraphError>` is a provider.
impl<F: Fn(&str) -> Result<String, GraphError>> TokenProvider for F {
    fn access_token<'a>(&'a self, tenant: &'a str) -> LocalFuture<'a, Result<String, GraphError>> {
        let r = self(tenant);
        Box::pin(async move { r })
    }
}

/// Graph API version of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    V1,
    Beta,
}

impl ApiVersion {
    fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

/// When a request may be repeated automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// After 429, 503 and network errors.
    Idempotent,
    /// Only after 429 (the server did not execute it).
    OnThrottle,
    /// Never.
    Never,
}

/// One request before token, pacing and retries are applied.
#[derive(Debug, Clone)]
pub struct RequestSpec {
    pub method: Method,
    /// Absolute URL on the configured Graph origin.
    pub url: String,
    pub body: Option<Vec<u8>>,
    pub family: Family,
    pub retry: Retry,
    /// Permission named on 403.
    pub scope: Option<&'static str>,
}

/// The origin check every request URL passes (see [`crate::url`]).
pub use crate::url::origin_of;

struct Shared<T> {
    transport: T,
    base: String,
    origin: String,
    token: Rc<dyn TokenProvider>,
    scheduler: Scheduler,
}

/// The typed Microsoft Graph security client for one tenant. Cheap to clone.
pub struct GraphClient<T: Transport> {
    shared: Rc<Shared<T>>,
    tenant: Rc<str>,
}

impl<T: Transport> Clone for GraphClient<T> {
    fn clone(&self) -> Self {
        GraphClient {
            shared: self.shared.clone(),
            tenant: self.tenant.clone(),
        }
    }
}

fn json_body<B: Serialize + ?Sized>(b: &B) -> Result<Vec<u8>, GraphError> {
    serde_json::to_vec(b).map_err(|e| GraphError::new(ErrorKind::InvalidInput, e.to_string()))
}

/// Decodes a JSON body; malformed or truncated JSON is a `Decode` error, never a panic.
///
/// Every body Vigil decodes goes through here, as text: the UTF-8 check runs once over the
/// whole body (instead of once per string, as `from_slice` does), and keeping to one reader type
/// (`serde_json`'s `StrRead`) means each model's decoder is built into the bundle once.
pub fn decode<R: DeserializeOwned>(body: &[u8]) -> Result<R, GraphError> {
    let text = std::str::from_utf8(body).map_err(GraphError::decode)?;
    serde_json::from_str(text).map_err(GraphError::decode)
}

/// Decodes a JSON tree (a `$batch` item's body) by way of its text, with the same reader as
/// [`decode`]: `R::deserialize(value)` would build a second copy of `R`'s whole decoder (an
/// alert's, evidence included) into the bundle for the tree reader.
pub fn decode_value<R: DeserializeOwned>(value: &serde_json::Value) -> Result<R, GraphError> {
    let text = serde_json::to_string(value).map_err(GraphError::decode)?;
    serde_json::from_str(&text).map_err(GraphError::decode)
}

fn seg(id: &str) -> String {
    encode_path_segment(id)
}

impl<T: Transport> GraphClient<T> {
    /// A client for `tenant` against `graph_base_url` (`https://graph.microsoft.com` or the
    /// emulator's `http://127.0.0.1:8082`), with the documented budgets.
    pub fn new(
        transport: T,
        graph_base_url: &str,
        tenant: &str,
        token: Rc<dyn TokenProvider>,
    ) -> Result<Self, GraphError> {
        Self::with_config(
            transport,
            graph_base_url,
            tenant,
            token,
            SchedulerConfig::default(),
        )
    }

    /// Like [`GraphClient::new`] with explicit budgets (tests shrink them).
    pub fn with_config(
        transport: T,
        graph_base_url: &str,
        tenant: &str,
        token: Rc<dyn TokenProvider>,
        config: SchedulerConfig,
    ) -> Result<Self, GraphError> {
        let origin = origin_of(graph_base_url).ok_or_else(|| {
            GraphError::new(
                ErrorKind::InvalidInput,
                format!("not an absolute http(s) URL: {graph_base_url}"),
            )
        })?;
        let base = graph_base_url.trim_end_matches('/').to_owned();
        Ok(GraphClient {
            shared: Rc::new(Shared {
                transport,
                base,
                origin,
                token,
                scheduler: Scheduler::new(config),
            }),
            tenant: Rc::from(tenant),
        })
    }

    /// A client for another tenant sharing the transport, token provider and scheduler.
    pub fn for_tenant(&self, tenant: &str) -> Self {
        GraphClient {
            shared: self.shared.clone(),
            tenant: Rc::from(tenant),
        }
    }

    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The Graph origin the token may be sent to.
    pub fn origin(&self) -> &str {
        &self.shared.origin
    }

    pub fn scheduler(&self) -> &Scheduler {
        &self.shared.scheduler
    }

    pub fn transport(&self) -> &T {
        &self.shared.transport
    }

    /// The absolute URL of `path` (relative to the version root, e.g. `security/alerts_v2`).
    pub fn url(&self, version: ApiVersion, path: &str) -> String {
        format!(
            "{}/{}/{}",
            self.shared.base,
            version.as_str(),
            path.trim_start_matches('/')
        )
    }

    /// Checks that `url` is on the configured Graph origin (call before any request).
    pub fn check_origin(&self, url: &str) -> Result<(), GraphError> {
        match origin_of(url) {
            Some(o) if o == self.shared.origin => Ok(()),
            other => Err(GraphError::new(
                ErrorKind::ForeignOrigin,
                format!(
                    "refusing to send the token to {} (Graph is {})",
                    other.as_deref().unwrap_or(url),
                    self.shared.origin
                ),
            )),
        }
    }

    /// Sends one request with pacing, token and retries. Returns any 2xx response.
    pub async fn execute(&self, spec: RequestSpec) -> Result<HttpResponse, GraphError> {
        self.check_origin(&spec.url)?;
        let sh = &*self.shared;
        let cfg = sh.scheduler.config();
        let mut attempt = 0u32;
        let mut renewed = false;
        loop {
            let permit = sh
                .scheduler
                .acquire(&sh.transport, &self.tenant, spec.family)
                .await;
            let token = sh.token.access_token(&self.tenant).await?;
            let mut headers = vec![
                ("authorization".to_owned(), format!("Bearer {token}")),
                ("accept".to_owned(), "application/json".to_owned()),
            ];
            if spec.body.is_some() {
                headers.push((
                    "content-type".to_owned(),
                    "application/json; charset=utf-8".to_owned(),
                ));
            }
            let req = HttpRequest {
                method: spec.method,
                url: spec.url.clone(),
                headers,
                body: spec.body.clone(),
            };
            let result = sh.transport.send(req).await;
            drop(permit);
            let can_retry = attempt < cfg.max_retries;
            match result {
                Err(e) => {
                    let err = GraphError::from(e);
                    if err.kind == ErrorKind::Network
                        && spec.retry == Retry::Idempotent
                        && can_retry
                    {
                        sh.transport
                            .sleep(cfg.backoff(attempt, sh.transport.random()))
                            .await;
                        attempt += 1;
                        continue;
                    }
                    return Err(err);
                }
                Ok(resp) if resp.status == 429 || resp.status == 503 => {
                    let delay = resp
                        .header("retry-after")
                        .and_then(|v| parse_retry_after(v, resp.header("date")))
                        .unwrap_or_else(|| cfg.backoff(attempt, sh.transport.random()));
                    let reason = format!("HTTP {} from {}", resp.status, spec.family.label());
                    let until = sh.transport.now_ms() + delay.as_secs_f64() * 1000.0;
                    sh.scheduler
                        .note_throttled(&self.tenant, spec.family, until, reason);
                    let retryable = match spec.retry {
                        Retry::Idempotent => true,
                        Retry::OnThrottle => resp.status == 429,
                        Retry::Never => false,
                    };
                    if retryable && can_retry {
                        attempt += 1;
                        continue;
                    }
                    let mut err = GraphError::from_response(&resp, spec.scope);
                    err.retry_after = Some(delay);
                    return Err(err);
                }
                // A rejected token is renewed once; Graph did not execute the request, so
                // even a POST may be repeated.
                Ok(resp) if resp.status == 401 && !renewed => {
                    renewed = true;
                    sh.token.token_rejected(&self.tenant, &token).await;
                    continue;
                }
                Ok(resp) if !resp.is_success() => {
                    return Err(GraphError::from_response(&resp, spec.scope));
                }
                Ok(resp) => return Ok(resp),
            }
        }
    }

    /// GET and decode.
    pub async fn get_json<R: DeserializeOwned>(
        &self,
        url: String,
        scope: &'static str,
    ) -> Result<R, GraphError> {
        let family = Family::of_url(&url);
        let resp = self
            .execute(RequestSpec {
                method: Method::Get,
                url,
                body: None,
                family,
                retry: Retry::Idempotent,
                scope: Some(scope),
            })
            .await?;
        decode(&resp.body)
    }

    /// Sends a JSON body; returns the raw response (callers decode or read headers).
    async fn send_body(
        &self,
        method: Method,
        url: String,
        body: Vec<u8>,
        retry: Retry,
        scope: &'static str,
    ) -> Result<HttpResponse, GraphError> {
        let family = Family::of_url(&url);
        self.execute(RequestSpec {
            method,
            url,
            body: Some(body),
            family,
            retry,
            scope: Some(scope),
        })
        .await
    }

    async fn write_json<B: Serialize + ?Sized, R: DeserializeOwned>(
        &self,
        method: Method,
        url: String,
        body: &B,
        retry: Retry,
        scope: &'static str,
    ) -> Result<R, GraphError> {
        let resp = self
            .send_body(method, url, json_body(body)?, retry, scope)
            .await?;
        decode(&resp.body)
    }

    async fn write_no_content<B: Serialize + ?Sized>(
        &self,
        method: Method,
        url: String,
        body: Option<&B>,
        retry: Retry,
        scope: &'static str,
    ) -> Result<HttpResponse, GraphError> {
        let family = Family::of_url(&url);
        let body = body.map(json_body).transpose()?;
        self.execute(RequestSpec {
            method,
            url,
            body,
            family,
            retry,
            scope: Some(scope),
        })
        .await
    }

    /// Pages of a collection at `path` (relative to `version`) with `query`.
    pub fn pages<R: DeserializeOwned>(
        &self,
        version: ApiVersion,
        path: &str,
        query: &Query,
        scope: &'static str,
    ) -> Pages<T, R> {
        let url = format!("{}{}", self.url(version, path), query.to_query_string());
        Pages::new(self.clone(), url, scope)
    }

    // ----- Alerts (v2) -----

    /// Lists alerts (`$filter`, `$top`, `$skip`, `$count` are supported).
    pub fn list_alerts(&self, query: &Query) -> Pages<T, Alert> {
        self.pages(
            ApiVersion::V1,
            "security/alerts_v2",
            query,
            scopes::ALERT_READ,
        )
    }

    pub async fn get_alert(&self, id: &AlertId) -> Result<Alert, GraphError> {
        self.get_json(
            self.url(
                ApiVersion::V1,
                &format!("security/alerts_v2/{}", seg(id.as_str())),
            ),
            scopes::ALERT_READ,
        )
        .await
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
        let url = self.url(
            ApiVersion::V1,
            &format!("security/alerts_v2/{}", seg(id.as_str())),
        );
        self.write_json(
            Method::Patch,
            url,
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
        let path = format!("security/alerts_v2/{}/comments", seg(id.as_str()));
        self.post_comment(&path, comment, scopes::ALERT_WRITE).await
    }

    /// `POST {path}` with a comment body; alerts and incidents answer with the whole list.
    async fn post_comment(
        &self,
        path: &str,
        comment: &str,
        scope: &'static str,
    ) -> Result<Vec<AlertComment>, GraphError> {
        let url = self.url(ApiVersion::V1, path);
        let page: ODataPage<AlertComment> = self
            .write_json(
                Method::Post,
                url,
                &NewComment::new(comment),
                Retry::Never,
                scope,
            )
            .await?;
        Ok(page.value)
    }

    // ----- Incidents -----

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
            self.url(
                ApiVersion::V1,
                &format!("security/incidents/{}", seg(id.as_str()))
            ),
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
        let url = self.url(
            ApiVersion::V1,
            &format!("security/incidents/{}", seg(id.as_str())),
        );
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
        let path = format!("security/incidents/{}/comments", seg(id.as_str()));
        self.post_comment(&path, comment, scopes::INCIDENT_WRITE)
            .await
    }

    // ----- Secure score -----

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

    // ----- eDiscovery -----

    fn case_url(&self, case: &CaseId, rest: &str) -> String {
        let base = format!("security/cases/ediscoveryCases/{}", seg(case.as_str()));
        self.url(
            ApiVersion::V1,
            &if rest.is_empty() {
                base
            } else {
                format!("{base}/{rest}")
            },
        )
    }

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
            Retry::Never,
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
            Retry::Never,
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
            Retry::Never,
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

    /// Adds a user or site source to a custodian (the body goes without `@odata.type`).
    pub async fn add_custodian_source(
        &self,
        case: &CaseId,
        custodian: &str,
        source: &NewDataSource,
    ) -> Result<DataSource, GraphError> {
        let collection = if source.site.is_some() {
            "siteSources"
        } else {
            "userSources"
        };
        let url = self.case_url(case, &format!("custodians/{}/{collection}", seg(custodian)));
        self.write_json(
            Method::Post,
            url,
            &source.clone().untyped(),
            Retry::Never,
            scopes::EDISCOVERY_WRITE,
        )
        .await
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
            Retry::Never,
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
            Retry::Never,
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
            Retry::Never,
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
            Retry::Never,
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
            Retry::Never,
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
            Retry::Never,
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
            Retry::Never,
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

    // ----- Threat submissions (beta) -----

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

    // ----- Threat intelligence -----

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

    // ----- Advanced hunting -----

    /// Runs a KQL query. A POST, so never retried automatically (the quota is per CPU time).
    pub async fn run_hunting_query(
        &self,
        query: &HuntingQuery,
    ) -> Result<HuntingQueryResults, GraphError> {
        let url = self.url(ApiVersion::V1, "security/runHuntingQuery");
        self.write_json(Method::Post, url, query, Retry::Never, scopes::HUNTING_READ)
            .await
    }

    // ----- Directory -----

    /// A user by object id or UPN. UPNs starting with `$` use the `users('…')` form Graph needs.
    pub async fn get_user(&self, id_or_upn: &str, select: &[&str]) -> Result<User, GraphError> {
        let path = if id_or_upn.starts_with('$') {
            let mut lit = String::new();
            write_string_literal(id_or_upn, &mut lit);
            format!("users({})", encode_query_value(&lit))
        } else {
            format!("users/{}", seg(id_or_upn))
        };
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

    /// The signed-in user (`/me`), e.g. for the account menu.
    pub async fn get_me(&self, select: &[&str]) -> Result<User, GraphError> {
        let q = if select.is_empty() {
            Query::new()
        } else {
            Query::new().select(select)
        };
        self.get_json(
            format!("{}{}", self.url(ApiVersion::V1, "me"), q.to_query_string()),
            "User.Read",
        )
        .await
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
        let q = Query::new().filter(crate::odata::devices::DEVICE_ID.eq(azure_ad_device_id));
        self.pages::<Device>(ApiVersion::V1, "devices", &q, scopes::DEVICE_READ)
            .collect_all()
            .await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://graph.microsoft.com/v1.0/x").as_deref(),
            Some("https://graph.microsoft.com")
        );
        assert_eq!(
            origin_of("https://Graph.Microsoft.com:443").as_deref(),
            Some("https://graph.microsoft.com")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8082/v1.0?$x").as_deref(),
            Some("http://127.0.0.1:8082")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8083/v1.0").as_deref(),
            Some("http://127.0.0.1:8083")
        );
        assert_eq!(origin_of("https://graph.microsoft.com@evil.example/"), None);
        assert_eq!(origin_of("/v1.0/relative"), None);
        assert_eq!(origin_of("javascript:alert(1)"), None);
    }
}
