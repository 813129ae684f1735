//! The HTTP seam between the client and the outside world.
//!
//! The shape is fixed by `docs/contracts.md`: the app implements [`Transport`] over the
//! browser's `fetch`, and `crate::native` (feature `native`) implements it over reqwest for tests. Futures carry
//! no `Send` bound because browser futures hold JavaScript values and are `!Send`.

use std::future::Future;
use std::time::Duration;

/// The HTTP methods Graph calls need; nothing else is ever sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    /// The method token as it appears on the wire and in `$batch` bodies.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One request, fully built by the client (absolute URL, headers including the bearer token).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

/// One response. Header names are lower-case (the contract), so lookups need no case folding.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of a header; `name` must be lower-case, as the contract guarantees for keys.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is in the 2xx range.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why a request produced no HTTP response at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// DNS, TCP, TLS or CORS failure; the browser does not say which.
    Network(String),
    /// The request was cancelled (the page navigated away or the user pressed stop).
    Aborted,
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportError::Network(m) => write!(f, "network error: {m}"),
            TransportError::Aborted => f.write_str("request aborted"),
        }
    }
}

impl std::error::Error for TransportError {}

/// Sends requests and provides the clock, sleep and randomness the scheduler needs.
///
/// Time and randomness come through the transport (not `std::time`, which panics on wasm32)
/// so tests can run a fake clock and finish a five-minute eDiscovery poll in milliseconds.
pub trait Transport {
    /// Sends one request and resolves to the full response.
    fn send(&self, req: HttpRequest) -> impl Future<Output = Result<HttpResponse, TransportError>>;
    /// Waits for `dur`; the scheduler queues requests with this instead of earning a 429.
    fn sleep(&self, dur: Duration) -> impl Future<Output = ()>;
    /// Monotonic milliseconds.
    fn now_ms(&self) -> f64;
    /// A number in `[0, 1)`, used for retry jitter.
    fn random(&self) -> f64;
}
