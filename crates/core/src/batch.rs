//! JSON batching (`POST /v1.0/$batch`): up to 20 requests in one round trip, with per-item
//! results. Items answered 429 are re-sent (alone, in a new batch) after their own
//! `Retry-After`, a bounded number of times; Graph does not do this for us.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::{
    ApiVersion, GraphClient, RequestSpec, Retry, alert_path, incident_path, scopes,
};
use crate::decode::{decode, decode_value};
use crate::error::{ErrorKind, GraphError, parse_retry_after};
use crate::models::{Alert, AlertId, AlertUpdate, Incident, IncidentId, IncidentUpdate};
use crate::scheduler::Family;
use crate::transport::{HttpResponse, Method, Transport};

/// Graph's limit of requests per batch.
pub const MAX_BATCH: usize = 20;

/// One request inside a batch; `url` is relative to the version root (`/security/alerts_v2/x`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchRequest {
    pub id: String,
    pub method: &'static str,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<serde_json::Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

impl BatchRequest {
    /// A request with an optional JSON body (adds the mandatory `Content-Type`).
    pub fn new(
        id: impl Into<String>,
        method: Method,
        url: impl Into<String>,
        body: Option<Value>,
    ) -> Self {
        let headers = body.as_ref().map(|_| {
            let mut h = serde_json::Map::new();
            h.insert(
                "Content-Type".into(),
                Value::String("application/json".into()),
            );
            h
        });
        BatchRequest {
            id: id.into(),
            method: method.as_str(),
            url: url.into(),
            headers,
            body,
        }
    }
}

/// One raw item result.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BatchResponse {
    pub id: String,
    pub status: u16,
    #[serde(default)]
    pub headers: serde_json::Map<String, Value>,
    #[serde(default)]
    pub body: Option<Value>,
}

#[derive(Serialize)]
struct BatchBody<'a> {
    requests: &'a [BatchRequest],
}

impl BatchResponse {
    /// The items of a `$batch` answer, read from its JSON tree (whose reader the bundle has for
    /// the items' bodies anyway) rather than by a derived decoder of their own, and as strictly:
    /// an item without a string `id` or a numeric `status` makes the answer unreadable.
    fn read_all(body: &[u8]) -> Result<Vec<BatchResponse>, GraphError> {
        let unreadable = || GraphError::decode("a $batch answer that is not a list of responses");
        let items = match decode::<Value>(body)? {
            Value::Object(mut envelope) => match envelope.remove("responses") {
                Some(Value::Array(items)) => items,
                None | Some(Value::Null) => Vec::new(),
                Some(_) => return Err(unreadable()),
            },
            _ => return Err(unreadable()),
        };
        items
            .into_iter()
            .map(|item| {
                let Value::Object(mut item) = item else {
                    return Err(unreadable());
                };
                let (Some(Value::String(id)), Some(status)) =
                    (item.remove("id"), item.remove("status"))
                else {
                    return Err(unreadable());
                };
                let status = status
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .ok_or_else(unreadable)?;
                Ok(BatchResponse {
                    id,
                    status,
                    headers: match item.remove("headers") {
                        Some(Value::Object(h)) => h,
                        _ => serde_json::Map::new(),
                    },
                    body: item.remove("body").filter(|b| !b.is_null()),
                })
            })
            .collect()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
    }

    /// The item as an HTTP response, for error mapping and decoding.
    pub fn to_http(&self) -> HttpResponse {
        HttpResponse {
            status: self.status,
            headers: self
                .headers
                .keys()
                .filter_map(|k| self.header(k).map(|v| (k.to_ascii_lowercase(), v)))
                .collect(),
            body: self
                .body
                .as_ref()
                .map(|b| serde_json::to_vec(b).unwrap_or_default())
                .unwrap_or_default(),
        }
    }

    /// Decodes the body as `R`, or maps a failed status to a [`GraphError`].
    pub fn into_result<R: DeserializeOwned>(&self, scope: Option<&str>) -> Result<R, GraphError> {
        let http = self.to_http();
        if !http.is_success() {
            return Err(GraphError::from_response(&http, scope));
        }
        match &self.body {
            Some(v) => decode_value(v),
            None => decode(b"null"),
        }
    }
}

/// A typed per-item outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchItemResult<K, R> {
    pub key: K,
    pub status: u16,
    pub result: Result<R, GraphError>,
}

impl<T: Transport> GraphClient<T> {
    /// Sends up to [`MAX_BATCH`] requests; 429 items are retried. Results come back in request
    /// order, whatever order Graph used.
    pub async fn batch(&self, requests: &[BatchRequest]) -> Result<Vec<BatchResponse>, GraphError> {
        if requests.len() > MAX_BATCH {
            return Err(GraphError::new(
                ErrorKind::InvalidInput,
                format!("a batch holds at most {MAX_BATCH} requests"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if !requests
            .iter()
            .all(|r| seen.insert(r.id.to_ascii_lowercase()))
        {
            return Err(GraphError::new(
                ErrorKind::InvalidInput,
                "batch request ids must be unique",
            ));
        }
        let mut done: Vec<Option<BatchResponse>> = vec![None; requests.len()];
        let mut pending: Vec<usize> = (0..requests.len()).collect();
        let cfg = self.scheduler().config().clone();
        let mut attempt = 0;
        while !pending.is_empty() {
            let subset: Vec<BatchRequest> = pending.iter().map(|&i| requests[i].clone()).collect();
            let responses = self.send_batch_once(&subset).await?;
            let mut retry_after = Duration::ZERO;
            let mut still = Vec::new();
            for &i in &pending {
                let r = responses
                    .iter()
                    .find(|r| r.id.eq_ignore_ascii_case(&requests[i].id))
                    .cloned()
                    .unwrap_or(BatchResponse {
                        id: requests[i].id.clone(),
                        status: 0,
                        headers: Default::default(),
                        body: None,
                    });
                if r.status == 429 && attempt < cfg.max_retries {
                    let d = r
                        .header("retry-after")
                        .and_then(|v| parse_retry_after(&v, None));
                    retry_after = retry_after
                        .max(d.unwrap_or_else(|| cfg.backoff(attempt, self.transport().random())));
                    still.push(i);
                }
                done[i] = Some(r);
            }
            if !still.is_empty() {
                let family = Family::of_url(&requests[still[0]].url);
                let until = self.transport().now_ms() + retry_after.as_secs_f64() * 1000.0;
                self.scheduler().note_throttled(
                    self.tenant(),
                    family,
                    until,
                    format!("{} batch item(s) throttled", still.len()),
                );
            }
            pending = still;
            attempt += 1;
        }
        Ok(done
            .into_iter()
            .map(|r| r.expect("every item answered"))
            .collect())
    }

    async fn send_batch_once(
        &self,
        requests: &[BatchRequest],
    ) -> Result<Vec<BatchResponse>, GraphError> {
        // Each inner request counts against its family's budget, so take (and release) a slot
        // per item before sending.
        for r in requests {
            drop(
                self.scheduler()
                    .acquire(self.transport(), self.tenant(), Family::of_url(&r.url))
                    .await,
            );
        }
        let body = serde_json::to_vec(&BatchBody { requests })
            .map_err(|e| GraphError::new(ErrorKind::InvalidInput, e.to_string()))?;
        let spec = RequestSpec {
            method: Method::Post,
            url: self.url(ApiVersion::V1, "$batch"),
            body: Some(body),
            family: Family::Batch,
            retry: Retry::OnThrottle,
            scope: None,
        };
        let resp = self.execute(spec).await?;
        BatchResponse::read_all(&resp.body)
    }

    /// Bulk triage: PATCHes many alerts, 20 per batch; one result per alert, in order.
    pub async fn patch_alerts_batch(
        &self,
        updates: &[(AlertId, AlertUpdate)],
    ) -> Result<Vec<BatchItemResult<AlertId, Alert>>, GraphError> {
        self.patch_batch_typed(updates, alert_path, scopes::ALERT_WRITE)
            .await
    }

    /// Bulk incident updates, 20 per batch.
    pub async fn patch_incidents_batch(
        &self,
        updates: &[(IncidentId, IncidentUpdate)],
    ) -> Result<Vec<BatchItemResult<IncidentId, Incident>>, GraphError> {
        self.patch_batch_typed(updates, incident_path, scopes::INCIDENT_WRITE)
            .await
    }

    /// Encodes each update, runs [`Self::patch_many`], and decodes each answer as `R`.
    async fn patch_batch_typed<K: Clone, U: serde::Serialize, R: serde::de::DeserializeOwned>(
        &self,
        updates: &[(K, U)],
        path: impl Fn(&K) -> String,
        scope: &'static str,
    ) -> Result<Vec<BatchItemResult<K, R>>, GraphError> {
        let items: Vec<(String, Value)> = updates
            .iter()
            .map(|(id, u)| Ok((path(id), serde_json::to_value(u)?)))
            .collect::<Result<_, serde_json::Error>>()
            .map_err(|e| GraphError::new(ErrorKind::InvalidInput, e.to_string()))?;
        let results = self.patch_many(&items, scope).await?;
        Ok(updates
            .iter()
            .zip(results)
            .map(|((id, _), (status, r))| BatchItemResult {
                key: id.clone(),
                status,
                result: r.and_then(|v| decode_value(&v)),
            })
            .collect())
    }

    /// Untyped core of the bulk PATCH helpers (one copy in the bundle).
    async fn patch_many(
        &self,
        items: &[(String, Value)],
        scope: &'static str,
    ) -> Result<Vec<(u16, Result<Value, GraphError>)>, GraphError> {
        let mut out = Vec::with_capacity(items.len());
        for chunk in items.chunks(MAX_BATCH) {
            let reqs: Vec<BatchRequest> = chunk
                .iter()
                .enumerate()
                .map(|(i, (url, body))| {
                    BatchRequest::new(
                        (i + 1).to_string(),
                        Method::Patch,
                        url.clone(),
                        Some(body.clone()),
                    )
                })
                .collect();
            for r in self.batch(&reqs).await? {
                out.push((r.status, r.into_result::<Value>(Some(scope))));
            }
        }
        Ok(out)
    }
}

// Fixtures are built as JSON trees; tests are native, so the bundle's one-reader rule
// (clippy.toml) does not apply to them.
#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The derived decoder the tree reading replaced, as the reference.
    #[derive(Deserialize)]
    struct Envelope {
        #[serde(default)]
        responses: Vec<BatchResponse>,
    }

    #[test]
    fn batch_answers_read_as_the_derived_decoder_reads_them() {
        let good = [
            r#"{"responses":[{"id":"1","status":200,"headers":{"Content-Type":"application/json"},"body":{"id":"a"}},{"id":"2","status":204},{"id":"3","status":429,"headers":{"Retry-After":"5"},"body":null,"extra":true}]}"#,
            r#"{"responses":[]}"#,
            r#"{}"#,
        ];
        for body in good {
            let want = serde_json::from_str::<Envelope>(body).unwrap().responses;
            assert_eq!(
                BatchResponse::read_all(body.as_bytes()).unwrap(),
                want,
                "{body}"
            );
        }
        // What the derived decoder refuses is refused, as a decode error.
        for body in [
            r#"{"responses":[{"status":200}]}"#,
            r#"{"responses":[{"id":1,"status":200}]}"#,
            r#"{"responses":[{"id":"1","status":"200"}]}"#,
            r#"{"responses":[{"id":"1","status":70000}]}"#,
            r#"{"responses":[7]}"#,
            r#"{"responses":{}}"#,
            r#"{"responses":["#,
        ] {
            assert!(serde_json::from_str::<Envelope>(body).is_err(), "{body}");
            let e = BatchResponse::read_all(body.as_bytes()).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Decode, "{body}");
        }
        // Stricter than serde's derive, which also reads a struct from an array.
        assert!(BatchResponse::read_all(b"[]").is_err());
    }

    #[test]
    fn request_body_shape() {
        let r = BatchRequest::new(
            "1",
            Method::Patch,
            "/security/alerts_v2/a",
            Some(json!({"status": "resolved"})),
        );
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"id": "1", "method": "PATCH", "url": "/security/alerts_v2/a",
                   "headers": {"Content-Type": "application/json"}, "body": {"status": "resolved"}})
        );
        let g = BatchRequest::new("2", Method::Get, "/me", None);
        assert_eq!(
            serde_json::to_value(&g).unwrap(),
            json!({"id": "2", "method": "GET", "url": "/me"})
        );
    }

    #[test]
    fn item_results_map_to_errors_or_values() {
        let ok: BatchResponse =
            serde_json::from_value(json!({"id": "1", "status": 200, "body": {"id": "a"}})).unwrap();
        assert_eq!(ok.into_result::<Alert>(None).unwrap().id.as_str(), "a");
        let nf: BatchResponse = serde_json::from_value(json!({
            "id": "2", "status": 404, "headers": {"Retry-After": 5},
            "body": {"error": {"code": "itemNotFound", "message": "gone"}}
        }))
        .unwrap();
        let e = nf.into_result::<Alert>(None).unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_deref()),
            (ErrorKind::NotFound, Some("itemNotFound"))
        );
        assert_eq!(nf.header("retry-after").as_deref(), Some("5"));
        let empty: BatchResponse =
            serde_json::from_value(json!({"id": "3", "status": 204})).unwrap();
        assert!(empty.into_result::<Option<Alert>>(None).unwrap().is_none());
    }
}
