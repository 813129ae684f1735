//! Graph responses and the Graph error body (`{"error":{"code","message","innerError":{…}}}`).

use serde_json::{Value, json};

use crate::util::{fmt_ms, now_ms};

/// A response from the Graph side, built before it becomes an HTTP response so that `$batch`
/// can embed it in its own body.
#[derive(Debug, Clone)]
pub struct GraphResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl GraphResponse {
    pub fn json(status: u16, body: &Value) -> Self {
        Self::raw_json(status, serde_json::to_vec(body).unwrap_or_default())
    }
    pub fn raw_json(status: u16, body: Vec<u8>) -> Self {
        GraphResponse {
            status,
            headers: vec![("Content-Type".into(), "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8".into())],
            body: Some(body),
        }
    }
    pub fn empty(status: u16) -> Self {
        GraphResponse {
            status,
            headers: vec![],
            body: None,
        }
    }
    pub fn with_header(mut self, k: &str, v: impl Into<String>) -> Self {
        self.headers.push((k.to_string(), v.into()));
        self
    }
    pub fn ok(body: &Value) -> Self {
        Self::json(200, body)
    }
}

/// A Graph error. `code` is what clients branch on.
#[derive(Debug, Clone)]
pub struct GraphError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl GraphError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        GraphError {
            status,
            code: code.into(),
            message: message.into(),
            retry_after: None,
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(404, "NotFound", format!("{what} was not found."))
    }
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(401, "InvalidAuthenticationToken", message)
    }
    pub fn forbidden(scope: &str) -> Self {
        Self::new(
            403,
            "Forbidden",
            format!("Missing role permissions on the request. The API requires one of '{scope}'."),
        )
    }
    pub fn method_not_allowed() -> Self {
        Self::new(
            405,
            "MethodNotAllowed",
            "The HTTP method is not supported for this resource.",
        )
    }
    pub fn throttled(retry_after: u64) -> Self {
        let mut e = Self::new(
            429,
            "TooManyRequests",
            "Too many requests have been sent to this resource. Wait and retry after the period given by Retry-After.",
        );
        e.retry_after = Some(retry_after);
        e
    }

    /// The response with the documented body; the request id also goes into `innerError`.
    pub fn into_response(self, request_id: &str, client_request_id: Option<&str>) -> GraphResponse {
        let date = fmt_ms(now_ms());
        let mut inner = json!({
            "date": &date[..19],
            "request-id": request_id,
            "client-request-id": client_request_id.unwrap_or(request_id),
        });
        if self.status == 429 || self.status == 503 {
            inner["code"] = json!(self.status.to_string());
            inner["status"] = json!(self.status.to_string());
        }
        let body =
            json!({"error": {"code": self.code, "message": self.message, "innerError": inner}});
        let mut r = GraphResponse::json(self.status, &body);
        if let Some(s) = self.retry_after {
            r.headers.push(("Retry-After".into(), s.to_string()));
        }
        r
    }
}

pub type GraphResult = Result<GraphResponse, GraphError>;
