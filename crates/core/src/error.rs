//! The one error type of the client, [`GraphError`], with a sentence a person can act on.

use serde::Deserialize;
use std::fmt;
use std::time::Duration;

use crate::transport::{HttpResponse, TransportError};

/// What went wrong, coarsely, so the UI can choose a reaction (sign in again, ask an admin for
/// a permission, wait, report a bug).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// 401: the token expired or was rejected.
    Unauthorized,
    /// 403: a missing permission, licence or role.
    Forbidden,
    /// 404.
    NotFound,
    /// 400, 405, 409, 412 and other caller errors.
    BadRequest,
    /// 429 after retries ran out (or a POST, which is never retried).
    Throttled,
    /// 5xx.
    Server,
    /// No HTTP response (DNS, TCP, TLS, CORS).
    Network,
    /// The request was cancelled.
    Aborted,
    /// The response was not the JSON we expected.
    Decode,
    /// A nextLink or Location pointed at another origin; refused before sending the token.
    ForeignOrigin,
    /// The server returned the same nextLink twice; paging stopped to avoid a loop.
    PagingLoop,
    /// A caller-side precondition failed (empty update, too many batch items, bad URL).
    InvalidInput,
    /// Any other non-success status.
    Other,
}

/// A failed Graph call.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphError {
    pub kind: ErrorKind,
    /// HTTP status, when there was a response.
    pub status: Option<u16>,
    /// Graph's `error.code` (branch on this, never on `message`).
    pub code: Option<String>,
    /// Graph's `error.message` or our own description.
    pub message: String,
    /// `request-id` from the body's `innerError` or the response header, for support tickets.
    pub request_id: Option<String>,
    /// The server's `Retry-After`, if it sent one.
    pub retry_after: Option<Duration>,
    /// The permission this call needs, when the operation is known (set on 403).
    pub missing_scope: Option<String>,
}

/// Graph's error body: `{"error": {"code", "message", "innerError": {...}}}`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct GraphErrorBody {
    pub error: GraphErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct GraphErrorDetail {
    pub code: Option<String>,
    pub message: Option<String>,
    #[serde(alias = "innererror", rename = "innerError")]
    pub inner_error: Option<InnerError>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct InnerError {
    pub code: Option<String>,
    pub date: Option<String>,
    #[serde(rename = "request-id")]
    pub request_id: Option<String>,
    #[serde(rename = "client-request-id")]
    pub client_request_id: Option<String>,
    #[serde(alias = "innererror", rename = "innerError")]
    pub inner_error: Option<Box<InnerError>>,
}

/// Parses `Retry-After`: delta seconds (possibly fractional, e.g. `2.128`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`). A date is measured against the response's own `Date`
/// header, because the transport clock is monotonic, not wall time, and the browser's wall
/// clock may be skewed against the server's anyway.
pub fn parse_retry_after(value: &str, server_date: Option<&str>) -> Option<Duration> {
    let v = value.trim();
    if v.starts_with(|c: char| c.is_ascii_digit()) {
        return parse_seconds(v).map(|d| d.min(Duration::from_secs(86_400)));
    }
    let at = parse_http_date(v)?;
    let now = parse_http_date(server_date?.trim())?;
    Some(Duration::from_secs((at - now).clamp(0, 86_400) as u64))
}

/// Delta seconds, `12` or `2.128`, to the millisecond. Read by hand: a float parser is about
/// 8 kB of wasm for this one header.
fn parse_seconds(v: &str) -> Option<Duration> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (whole, fraction) = v.split_once('.').unwrap_or((v, "0"));
    if !digits(whole) || !digits(fraction) {
        return None;
    }
    let secs: u64 = whole.parse().unwrap_or(u64::MAX);
    let millis = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0'));
    Some(Duration::from_secs(secs).saturating_add(Duration::from_millis(millis)))
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) to Unix seconds.
fn parse_http_date(v: &str) -> Option<i64> {
    let parts: Vec<&str> = v.split_whitespace().collect();
    if parts.len() != 6 || parts[5] != "GMT" {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let day: u32 = parts[1].parse().ok()?;
    let month = MONTHS.iter().position(|m| *m == parts[2])? as u32 + 1;
    let year: i64 = parts[3].parse().ok()?;
    let hms: Vec<u32> = parts[4]
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if hms.len() != 3 {
        return None;
    }
    crate::models::DateTime::from_ymd_hms(year, month, day, hms[0], hms[1], hms[2])
        .map(|d| d.unix_seconds())
}

impl GraphError {
    /// A plain error without an HTTP response.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        GraphError {
            kind,
            status: None,
            code: None,
            message: message.into(),
            request_id: None,
            retry_after: None,
            missing_scope: None,
        }
    }

    /// A decode failure; never a panic.
    pub fn decode(err: impl fmt::Display) -> Self {
        GraphError::new(
            ErrorKind::Decode,
            format!("unexpected response from Microsoft Graph: {err}"),
        )
    }

    /// Builds the error for a non-success response, reading Graph's error body when present.
    /// `scope` is the permission the operation needs, reported on 403.
    pub fn from_response(resp: &HttpResponse, scope: Option<&str>) -> Self {
        let body = read_error_body(&resp.body);
        let detail = body.error;
        let kind = match resp.status {
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::Throttled,
            500..=599 => ErrorKind::Server,
            400..=499 => ErrorKind::BadRequest,
            _ => ErrorKind::Other,
        };
        let request_id = detail
            .inner_error
            .as_ref()
            .and_then(|i| i.request_id.clone())
            .or_else(|| resp.header("request-id").map(str::to_owned))
            .or_else(|| resp.header("client-request-id").map(str::to_owned));
        let message = detail
            .message
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| format!("Microsoft Graph answered HTTP {}", resp.status));
        GraphError {
            kind,
            status: Some(resp.status),
            code: detail.code,
            message,
            request_id,
            retry_after: resp
                .header("retry-after")
                .and_then(|v| parse_retry_after(v, resp.header("date"))),
            missing_scope: if resp.status == 403 {
                scope.map(str::to_owned)
            } else {
                None
            },
        }
    }

    /// Whether retrying the same request later may succeed (throttling, 5xx, network).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Throttled | ErrorKind::Server | ErrorKind::Network
        ) && !matches!(self.status, Some(501 | 505))
    }

    /// A sentence for a person, saying what to do next.
    pub fn user_message(&self) -> String {
        match self.kind {
            ErrorKind::Unauthorized => "Your sign-in has expired; sign in again.".to_owned(),
            ErrorKind::Forbidden => match &self.missing_scope {
                Some(scope) => format!(
                    "This needs the {scope} permission. Ask an administrator to grant it (and the Security Reader or Security Administrator role)."
                ),
                None => "You do not have access to this. Ask an administrator for the right permission or role.".to_owned(),
            },
            ErrorKind::NotFound => "This item no longer exists or you cannot see it.".to_owned(),
            ErrorKind::Throttled => match self.retry_after {
                Some(d) => format!("Microsoft Graph is throttling requests; retrying in {} s.", d.as_secs_f64().ceil() as u64),
                None => "Microsoft Graph is throttling requests; try again in a minute.".to_owned(),
            },
            ErrorKind::Server => "Microsoft Graph is having trouble; try again in a few minutes.".to_owned(),
            ErrorKind::Network => "Cannot reach Microsoft Graph; check your network connection.".to_owned(),
            ErrorKind::Aborted => "The request was cancelled.".to_owned(),
            ErrorKind::Decode => "Microsoft Graph sent a response Vigil could not read; please report this.".to_owned(),
            ErrorKind::ForeignOrigin => {
                "Vigil refused to follow a link to another server so your sign-in stays private; please report this.".to_owned()
            }
            ErrorKind::PagingLoop => "Microsoft Graph repeated a page; the list may be incomplete.".to_owned(),
            ErrorKind::InvalidInput => format!("Vigil could not send this request: {}", self.message),
            ErrorKind::BadRequest | ErrorKind::Other => format!("Microsoft Graph rejected the request: {}", self.message),
        }
    }
}

impl From<TransportError> for GraphError {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::Aborted => GraphError::new(ErrorKind::Aborted, "request aborted"),
            TransportError::Network(m) => GraphError::new(ErrorKind::Network, m),
        }
    }
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = self.status {
            write!(f, "HTTP {s}: ")?;
        }
        if let Some(c) = &self.code {
            write!(f, "{c}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(r) = &self.request_id {
            write!(f, " (request-id {r})")?;
        }
        Ok(())
    }
}

impl std::error::Error for GraphError {}

/// Graph's error body, or an empty one when the body is not that JSON. Read as a JSON tree,
/// whose reader the bundle already has for the small collections, rather than through a decoder
/// of its own: the derived one was 3 kB of wasm for three strings (2026-12-04). The nested
/// `innerError` chain is read as far as its first request id, which is all a person is shown.
fn read_error_body(body: &[u8]) -> GraphErrorBody {
    let tree: serde_json::Value = std::str::from_utf8(body)
        .ok()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default();
    let error = &tree["error"];
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    let first = match &error["innerError"] {
        serde_json::Value::Null => &error["innererror"],
        found => found,
    };
    let inner_error = first.is_object().then(|| InnerError {
        code: text(&first["code"]),
        date: text(&first["date"]),
        request_id: text(&first["request-id"]),
        client_request_id: text(&first["client-request-id"]),
        inner_error: None,
    });
    GraphErrorBody {
        error: GraphErrorDetail {
            code: text(&error["code"]),
            message: text(&error["message"]),
            inner_error,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn the_error_body_reads_as_the_derived_decoder_reads_it() {
        for body in [
            r#"{"error":{"code":"Forbidden","message":"no","innerError":{"date":"2026-12-04T10:00:00","request-id":"r1","client-request-id":"c1","innerError":{"request-id":"deeper"}}}}"#,
            r#"{"error":{"code":"x","innererror":{"code":"inner","request-id":"r2"}}}"#,
            r#"{"error":{"message":"only a message"}}"#,
            r#"{"error":{}}"#,
            r#"{}"#,
            r#"[]"#,
            "not json",
            "",
        ] {
            let mut want: GraphErrorBody = serde_json::from_str(body).unwrap_or_default();
            // Only the first request id is kept.
            if let Some(i) = want.error.inner_error.as_mut() {
                i.inner_error = None;
            }
            assert_eq!(read_error_body(body.as_bytes()), want, "{body}");
        }
        // A value of the wrong type is left out; the rest is still read.
        let odd = read_error_body(br#"{"error":{"code":7,"message":"kept","innerError":"text"}}"#);
        assert_eq!(odd.error.code, None);
        assert_eq!(odd.error.message.as_deref(), Some("kept"));
        assert_eq!(odd.error.inner_error, None);
    }

    #[test]
    fn throttled_body_and_header() {
        let r = resp(
            429,
            &[("retry-after", "2.128")],
            r#"{"error":{"code":"TooManyRequests","message":"slow down","innerError":{"code":"429","request-id":"abc"}}}"#,
        );
        let e = GraphError::from_response(&r, None);
        assert_eq!(e.kind, ErrorKind::Throttled);
        assert_eq!(e.code.as_deref(), Some("TooManyRequests"));
        assert_eq!(e.request_id.as_deref(), Some("abc"));
        assert!(e.is_retryable());
        assert_eq!(
            e.user_message(),
            "Microsoft Graph is throttling requests; retrying in 3 s."
        );
    }

    #[test]
    fn forbidden_names_scope_and_header_request_id() {
        let r = resp(403, &[("request-id", "rid")], "not json");
        let e = GraphError::from_response(&r, Some("SecurityAlert.ReadWrite.All"));
        assert_eq!(e.request_id.as_deref(), Some("rid"));
        assert!(
            e.user_message()
                .starts_with("This needs the SecurityAlert.ReadWrite.All permission.")
        );
        assert!(!e.is_retryable());
        let e = GraphError::from_response(&resp(401, &[], ""), None);
        assert_eq!(e.user_message(), "Your sign-in has expired; sign in again.");
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("12", None), Some(Duration::from_secs(12)));
        assert_eq!(
            parse_retry_after(" 2.128 ", None),
            Some(Duration::from_millis(2128))
        );
        assert_eq!(
            parse_retry_after("0.5", None),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            parse_retry_after("99999999999999999999", None),
            Some(Duration::from_secs(86_400))
        );
        assert_eq!(parse_retry_after("-1", None), None);
        assert_eq!(parse_retry_after("1.", None), None);
        assert_eq!(parse_retry_after("1e3", None), None);
        let now = Some("Wed, 21 Oct 2015 07:27:50 GMT");
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", None),
            None
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
