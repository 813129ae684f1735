//! A native [`Transport`] over reqwest and tokio, for tests, benches and tools (feature
//! `native`; the app never enables it).
//!
//! reqwest is built without TLS features to keep test builds small, so this transport speaks
//! plain HTTP (the emulator); enable a reqwest TLS feature in a tool that talks to Microsoft.
//!
//! [`NativeTransport::with_virtual_clock`] makes `sleep` advance a virtual clock instantly, so
//! tests that honour `Retry-After` or a 5-a-minute budget finish in milliseconds.

use std::cell::Cell;
use std::time::{Duration, Instant};

use crate::transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};

/// reqwest-backed transport.
#[derive(Debug)]
pub struct NativeTransport {
    client: reqwest::Client,
    start: Instant,
    virtual_ms: Option<Cell<f64>>,
    /// Virtual milliseconds per real millisecond (1 = real time).
    scale: f64,
    rng: Cell<u64>,
}

impl Default for NativeTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl NativeTransport {
    /// Real time: `sleep` really sleeps.
    pub fn new() -> Self {
        NativeTransport {
            client: reqwest::Client::new(),
            start: Instant::now(),
            virtual_ms: None,
            scale: 1.0,
            rng: Cell::new(0x9E37_79B9_7F4A_7C15),
        }
    }

    /// Virtual time: `sleep` advances the clock and returns at once (after yielding).
    pub fn with_virtual_clock() -> Self {
        NativeTransport {
            virtual_ms: Some(Cell::new(0.0)),
            ..Self::new()
        }
    }

    /// Scaled time: the clock runs `scale` times faster than real time and sleeps are that
    /// much shorter, so budgets and `Retry-After` stay consistent with a server that really
    /// takes time (an eDiscovery operation finishing) while the test stays fast.
    pub fn with_time_scale(scale: f64) -> Self {
        NativeTransport {
            scale: scale.max(1.0),
            ..Self::new()
        }
    }

    /// Seeds the jitter generator so runs are reproducible.
    pub fn with_seed(self, seed: u64) -> Self {
        self.rng.set(seed | 1);
        self
    }
}

impl Transport for NativeTransport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = match req.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.client.request(method, &req.url);
        for (k, v) in &req.headers {
            builder = builder.header(k, v);
        }
        if let Some(body) = req.body {
            builder = builder.body(body);
        }
        let resp = builder
            .send()
            .await
            .map_err(|e| TransportError::Network(e.to_string()))?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .filter_map(|(k, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (k.as_str().to_ascii_lowercase(), v.to_owned()))
            })
            .collect();
        let body = resp
            .bytes()
            .await
            .map_err(|e| TransportError::Network(e.to_string()))?
            .to_vec();
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    async fn sleep(&self, dur: Duration) {
        match &self.virtual_ms {
            Some(clock) => {
                clock.set(clock.get() + dur.as_secs_f64() * 1000.0);
                tokio::task::yield_now().await;
            }
            None => tokio::time::sleep(dur.div_f64(self.scale)).await,
        }
    }

    fn now_ms(&self) -> f64 {
        match &self.virtual_ms {
            Some(clock) => clock.get(),
            None => self.start.elapsed().as_secs_f64() * 1000.0 * self.scale,
        }
    }

    fn random(&self) -> f64 {
        // xorshift64*: jitter needs spread, not cryptographic quality.
        let mut x = self.rng.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng.set(x);
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_is_in_unit_interval_and_seeded() {
        let a = NativeTransport::new().with_seed(3);
        let b = NativeTransport::new().with_seed(3);
        for _ in 0..1000 {
            let x = a.random();
            assert!((0.0..1.0).contains(&x));
            assert_eq!(x, b.random());
        }
    }

    #[tokio::test]
    async fn virtual_clock_advances_on_sleep() {
        let t = NativeTransport::with_virtual_clock();
        t.sleep(Duration::from_secs(12)).await;
        assert_eq!(t.now_ms(), 12_000.0);
    }

    #[tokio::test]
    async fn network_errors_are_transport_errors() {
        let t = NativeTransport::new();
        let req = HttpRequest {
            method: Method::Get,
            url: "http://127.0.0.1:1/".into(),
            headers: vec![],
            body: None,
        };
        assert!(matches!(t.send(req).await, Err(TransportError::Network(_))));
    }
}
