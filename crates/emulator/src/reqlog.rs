//! The request log: every authenticated Graph request (`$batch` items one by one, throttled ones
//! too) by tenant and throttle family, so a test can check what a client sent, e.g. that it
//! never made more than 5 eDiscovery requests in a minute. Read with `Running::requests` or
//! `GET /_emulator/requests?tenant=…&family=…` on the Graph origin (loopback, no token). Never
//! part of the Graph API.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::util::fmt_ms;

/// The newest entries kept per tenant and family.
const KEEP: usize = 10_000;

/// One request as Graph received it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedRequest {
    /// Arrival, Unix milliseconds (wall clock).
    pub time_ms: i64,
    pub tenant: String,
    /// The throttle family: alerts, incidents, securescore, ediscovery, hunting, default.
    pub family: &'static str,
    pub method: String,
    /// Path after the version, with the query, e.g. `/security/cases/ediscoveryCases?$top=5`.
    pub path: String,
    pub version: &'static str,
    /// The status answered (429 when throttled).
    pub status: u16,
}

impl LoggedRequest {
    pub fn to_json(&self) -> Value {
        json!({"time": fmt_ms(self.time_ms), "timeMs": self.time_ms, "tenant": self.tenant, "family": self.family,
            "method": self.method, "version": self.version, "path": self.path, "status": self.status})
    }
}

#[derive(Default)]
pub struct RequestLog {
    inner: Mutex<HashMap<(String, &'static str), VecDeque<LoggedRequest>>>,
}

impl RequestLog {
    pub fn record(&self, r: LoggedRequest) {
        if let Ok(mut m) = self.inner.lock() {
            let q = m.entry((r.tenant.clone(), r.family)).or_default();
            if q.len() == KEEP {
                q.pop_front();
            }
            q.push_back(r);
        }
    }

    /// The logged requests, oldest first, of one tenant and/or family (None = all).
    pub fn get(&self, tenant: Option<&str>, family: Option<&str>) -> Vec<LoggedRequest> {
        let Ok(m) = self.inner.lock() else {
            return Vec::new();
        };
        let mut out: Vec<LoggedRequest> = m
            .iter()
            .filter(|((t, f), _)| {
                tenant.is_none_or(|x| x.eq_ignore_ascii_case(t))
                    && family.is_none_or(|x| x.eq_ignore_ascii_case(f))
            })
            .flat_map(|(_, q)| q.iter().cloned())
            .collect();
        out.sort_by_key(|r| r.time_ms);
        out
    }

    /// Forgets everything (e.g. between phases of a test).
    pub fn clear(&self) {
        if let Ok(mut m) = self.inner.lock() {
            m.clear();
        }
    }
}
