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
//! before executing anything, and eDiscovery writes after a 429, which Graph refuses before
//! executing them: the 5-a-minute budget must never reach the user as a failure). A failed POST surfaces `ErrorKind::Throttled` with the
//! `Retry-After` so the UI can offer a retry.
//!
//! This file is the request engine (URLs, origin check, tokens, pacing, retries, the generic
//! helpers); the typed endpoints are one file per API family, each an `impl` block on
//! [`GraphClient`]: `alerts`, `incidents`, `secure_score`, `ediscovery`, `submissions`,
//! `threat_intel`, `hunting`, `directory` (and, outside this folder, [`crate::batch`] and
//! [`crate::operations`]). Only these build Graph URLs or decode Graph bodies; a test
//! (`tests/layout.rs`) keeps Graph paths out of the rest of the workspace.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ErrorKind, GraphError, parse_retry_after};
use crate::models::*;
use crate::odata::{Query, encode_path_segment};
use crate::scheduler::{Family, Scheduler, SchedulerConfig};
use crate::transport::{HttpRequest, HttpResponse, Method, Transport};
use paging::Pages;

mod alerts;
mod directory;
mod ediscovery;
mod hunting;
mod incidents;
pub mod paging;
mod secure_score;
mod submissions;
mod threat_intel;

pub(crate) use alerts::alert_path;
pub use alerts::{RawAlert, decode_alert, rehearse_alert_page};
pub use directory::{DeviceContext, DeviceKey, UserContext};
pub use ediscovery::{CustodianAction, CustodianSources};
pub(crate) use incidents::incident_path;
pub use paging::from_trees;
pub use submissions::SubmissionCollection;

/// The shared JSON reader, also at its old path here (the app and tools name it so).
pub use crate::decode::{decode, decode_value};

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
    /// The signed-in user's own profile (`/me`).
    pub const ME_READ: &str = "User.Read";
    pub const DEVICE_READ: &str = "Device.Read.All";
}

/// The `Prefer` value that asks Graph for the members of evolvable enums listed after
/// `unknownFutureValue`; sent on every eDiscovery request.
pub const PREFER_UNKNOWN_ENUMS: &str = "include-unknown-enum-members";

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

    /// Called when Graph answered 401 with a claims challenge (continuous access evaluation:
    /// `WWW-Authenticate: Bearer …, error="insufficient_claims", claims="<base64 JSON>"`). No
    /// renewal helps; the provider arranges an interactive sign-in asking for `claims` (the
    /// base64 value as sent). The 401 then reaches the caller. The default does nothing.
    fn claims_challenge<'a>(&'a self, _tenant: &'a str, _claims: &'a str) -> LocalFuture<'a, ()> {
        Box::pin(async {})
    }
}

/// The `claims` of a `WWW-Authenticate` claims challenge (RFC 6750 auth-params, as Microsoft
/// sends them for continuous access evaluation), when the header carries one.
pub fn claims_challenge(www_authenticate: &str) -> Option<&str> {
    let rest = www_authenticate.trim_start();
    let params = rest
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case("bearer "))
        .map(|_| &rest[7..])?;
    let mut claims = None;
    let mut insufficient = false;
    let mut left = params;
    while let Some((name, after)) = left.split_once('=') {
        let name = name.trim_matches(|c: char| c == ',' || c.is_whitespace());
        let (value, next) = match after.strip_prefix('"') {
            Some(quoted) => quoted.split_once('"').unwrap_or((quoted, "")),
            None => after.split_once(',').unwrap_or((after, "")),
        };
        if name.eq_ignore_ascii_case("claims") && !value.is_empty() {
            claims = Some(value);
        }
        if name.eq_ignore_ascii_case("error") && value == "insufficient_claims" {
            insufficient = true;
        }
        left = next;
    }
    claims.filter(|_| insufficient)
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
            // eDiscovery enums evolve (caseAction's purgeData, exportReport, exportResult,
            // holdPolicySync come after unknownFutureValue): without this Graph sends
            // `unknownFutureValue` in their place.
            if spec.family == Family::Ediscovery {
                headers.push(("prefer".to_owned(), PREFER_UNKNOWN_ENUMS.to_owned()));
            }
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
                // A claims challenge: no silent renewal satisfies it.
                Ok(resp)
                    if resp.status == 401
                        && resp
                            .header("www-authenticate")
                            .and_then(claims_challenge)
                            .is_some() =>
                {
                    let claims = resp
                        .header("www-authenticate")
                        .and_then(claims_challenge)
                        .unwrap_or_default()
                        .to_owned();
                    sh.token.claims_challenge(&self.tenant, &claims).await;
                    return Err(GraphError::from_response(&resp, spec.scope));
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

    #[test]
    fn claims_challenges_are_read_from_www_authenticate() {
        // Microsoft's documented example (continuous access evaluation).
        let h = r#"Bearer authorization_uri="https://login.windows.net/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=""#;
        assert_eq!(
            claims_challenge(h),
            Some(
                "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0="
            )
        );
        assert_eq!(
            claims_challenge(r#"bearer claims="abc",error="insufficient_claims""#),
            Some("abc")
        );
        assert_eq!(
            claims_challenge(r#"Bearer realm="", error="invalid_token""#),
            None
        );
        assert_eq!(
            claims_challenge(r#"Bearer error="invalid_token", claims="abc""#),
            None
        );
        assert_eq!(
            claims_challenge(r#"Basic error="insufficient_claims", claims="abc""#),
            None
        );
        assert_eq!(claims_challenge(""), None);
        assert_eq!(claims_challenge("Bearer"), None);
        assert_eq!(
            claims_challenge(r#"Bearer error="insufficient_claims", claims="#),
            None
        );
    }
}
