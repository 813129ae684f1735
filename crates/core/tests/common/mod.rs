//! Test transports: a scripted mock with a virtual clock, and a recorder around any transport.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::time::Duration;

use vigil_core::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// The scripted answer to the `index`-th request.
type Handler = Box<dyn Fn(&HttpRequest, usize) -> Result<HttpResponse, TransportError>>;

/// Answers requests with a closure `(request, index) -> response` and logs them with the
/// virtual time they were sent at. `sleep` advances the clock instantly.
pub struct Mock {
    pub log: RefCell<Vec<(f64, HttpRequest)>>,
    pub clock: Cell<f64>,
    handler: Handler,
}

impl Mock {
    pub fn new(
        handler: impl Fn(&HttpRequest, usize) -> Result<HttpResponse, TransportError> + 'static,
    ) -> Self {
        Mock {
            log: RefCell::new(Vec::new()),
            clock: Cell::new(0.0),
            handler: Box::new(handler),
        }
    }
    pub fn count(&self) -> usize {
        self.log.borrow().len()
    }
    pub fn urls(&self) -> Vec<String> {
        self.log
            .borrow()
            .iter()
            .map(|(_, r)| r.url.clone())
            .collect()
    }
}

impl Transport for Mock {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let i = self.count();
        let r = (self.handler)(&req, i);
        self.log.borrow_mut().push((self.clock.get(), req));
        r
    }
    async fn sleep(&self, dur: Duration) {
        self.clock
            .set(self.clock.get() + dur.as_secs_f64() * 1000.0);
    }
    fn now_ms(&self) -> f64 {
        self.clock.get()
    }
    fn random(&self) -> f64 {
        0.5
    }
}

/// A JSON response.
pub fn json(status: u16, body: serde_json::Value) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: serde_json::to_vec(&body).unwrap(),
    })
}

/// A response with headers and a raw body.
pub fn raw(
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.as_bytes().to_vec(),
    })
}

/// Wraps a transport and records `(time, method, url, status)` of every request.
pub struct Recorder<T> {
    pub inner: T,
    pub log: RefCell<Vec<(f64, String, String, u16)>>,
}

impl<T> Recorder<T> {
    pub fn new(inner: T) -> Self {
        Recorder {
            inner,
            log: RefCell::new(Vec::new()),
        }
    }
}

impl<T: Transport> Transport for Recorder<T> {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let t = self.inner.now_ms();
        let (m, u) = (req.method.as_str().to_owned(), req.url.clone());
        let r = self.inner.send(req).await;
        self.log
            .borrow_mut()
            .push((t, m, u, r.as_ref().map(|r| r.status).unwrap_or(0)));
        r
    }
    async fn sleep(&self, dur: Duration) {
        self.inner.sleep(dur).await
    }
    fn now_ms(&self) -> f64 {
        self.inner.now_ms()
    }
    fn random(&self) -> f64 {
        self.inner.random()
    }
}

/// The largest number of timestamps inside any window of `window_ms`.
pub fn max_in_window(times: &[f64], window_ms: f64) -> usize {
    let mut best = 0;
    for (i, t) in times.iter().enumerate() {
        best = best.max(
            times[i..]
                .iter()
                .take_while(|u| **u < t + window_ms)
                .count(),
        );
    }
    best
}

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The repository's own example bodies, `crates/core/tests/fixtures/<name>` (see its README).
pub fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// Where Microsoft's documented example payloads are looked for: `VIGIL_GRAPH_EXAMPLES` (a
/// relative value is taken from the workspace root, as `cargo xtask test` does), else
/// `<workspace root>/../shared/graph-examples`. `Ok` when the folder holds `INDEX.tsv`, `Err`
/// with the folder looked at otherwise. They are not part of the repository, so a clean clone
/// has none; `cargo xtask test` then leaves out the `documented_` tests and counts them skipped.
pub fn graph_examples() -> Result<PathBuf, PathBuf> {
    let root = workspace_root();
    let dir = match std::env::var_os("VIGIL_GRAPH_EXAMPLES") {
        Some(v) if !v.is_empty() => root.join(v),
        _ => root.join("../shared/graph-examples"),
    };
    if dir.join("INDEX.tsv").is_file() {
        Ok(dir)
    } else {
        Err(dir)
    }
}

/// The documented examples for a `documented_` test, which panics without them: a test that
/// cannot check anything must not pass. The runner (`cargo xtask test`) is what skips these.
pub fn documented_examples() -> PathBuf {
    graph_examples().unwrap_or_else(|dir| {
        panic!(
            "Microsoft's example payloads not found at {} (no INDEX.tsv); set \
             VIGIL_GRAPH_EXAMPLES to their folder, or run `cargo xtask test`, which skips the \
             documented_ tests when they are absent",
            dir.display()
        )
    })
}
