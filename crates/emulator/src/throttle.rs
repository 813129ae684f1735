//! Per-app-per-tenant request budgets (reference §10.2): a sliding window of request times and,
//! for Secure Score, a cap on requests in flight.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One budget: `requests` per `window`, optionally at most `concurrent` in flight.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetRule {
    pub name: String,
    pub requests: u32,
    pub window: Duration,
    pub concurrent: Option<u32>,
}

impl BudgetRule {
    /// Parses `alerts=150/60s` or `securescore=150/60s/4` (the third part is concurrency).
    pub fn parse(s: &str) -> Result<Self, String> {
        let (name, rest) = s
            .split_once('=')
            .ok_or_else(|| format!("budget '{s}' has no '='"))?;
        let mut parts = rest.split('/');
        let requests = parts
            .next()
            .and_then(|n| n.trim().parse().ok())
            .ok_or_else(|| format!("budget '{s}': bad request count"))?;
        let window = parts
            .next()
            .map(parse_duration)
            .transpose()?
            .unwrap_or(Duration::from_secs(60));
        let concurrent = parts
            .next()
            .map(|c| {
                c.trim()
                    .parse()
                    .map_err(|_| format!("budget '{s}': bad concurrency"))
            })
            .transpose()?;
        Ok(BudgetRule {
            name: name.trim().to_string(),
            requests,
            window,
            concurrent,
        })
    }
}

/// Parses `60s`, `500ms`, `2m` or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, mul) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1000.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60_000.0)
    } else {
        (s, 1000.0)
    };
    let v: f64 = num.parse().map_err(|_| format!("bad duration '{s}'"))?;
    if v < 0.0 {
        return Err(format!("negative duration '{s}'"));
    }
    Ok(Duration::from_millis((v * mul) as u64))
}

/// The budgets in force. `enabled = false` is `--no-throttle`.
#[derive(Clone, Debug)]
pub struct Budgets {
    pub enabled: bool,
    pub rules: Vec<BudgetRule>,
}

impl Default for Budgets {
    /// The documented limits: 150/min for alerts, incidents and Secure Score (4 concurrent for
    /// Secure Score), 5/min for eDiscovery, 45/min for advanced hunting.
    fn default() -> Self {
        let r = |n: &str, req, conc| BudgetRule {
            name: n.into(),
            requests: req,
            window: Duration::from_secs(60),
            concurrent: conc,
        };
        Budgets {
            enabled: true,
            rules: vec![
                r("alerts", 150, None),
                r("incidents", 150, None),
                r("securescore", 150, Some(4)),
                r("ediscovery", 5, None),
                r("hunting", 45, None),
                r("default", 2000, None),
            ],
        }
    }
}

impl Budgets {
    /// Replaces (or adds) the rule of the same name.
    pub fn set(&mut self, rule: BudgetRule) {
        self.rules.retain(|r| r.name != rule.name);
        self.rules.push(rule);
    }
    fn rule(&self, name: &str) -> Option<&BudgetRule> {
        self.rules.iter().find(|r| r.name == name)
    }
}

/// Which budget a Graph path (without the version prefix) draws on.
pub fn bucket_for(path: &str) -> &'static str {
    let p = path.to_ascii_lowercase();
    if p.starts_with("/security/alerts_v2") {
        "alerts"
    } else if p.starts_with("/security/incidents") {
        "incidents"
    } else if p.starts_with("/security/securescore") {
        "securescore"
    } else if p.starts_with("/security/cases/ediscoverycases") {
        "ediscovery"
    } else if p.starts_with("/security/runhuntingquery") {
        "hunting"
    } else {
        "default"
    }
}

type Key = (String, String, &'static str);

#[derive(Default)]
struct Inner {
    windows: HashMap<Key, VecDeque<u64>>,
    in_flight: HashMap<Key, u32>,
}

/// Shared throttle state; cheap to clone.
#[derive(Clone)]
pub struct Throttle {
    budgets: Budgets,
    inner: Arc<Mutex<Inner>>,
    epoch: std::time::Instant,
}

/// Releases a concurrency slot when the request finishes.
pub struct Slot {
    inner: Arc<Mutex<Inner>>,
    key: Option<Key>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(key) = self.key.take()
            && let Ok(mut g) = self.inner.lock()
            && let Some(n) = g.in_flight.get_mut(&key)
        {
            *n = n.saturating_sub(1);
        }
    }
}

impl Throttle {
    pub fn new(budgets: Budgets) -> Self {
        Throttle {
            budgets,
            inner: Arc::default(),
            epoch: std::time::Instant::now(),
        }
    }

    /// Admits a request or says how many seconds to wait. Refused requests are not counted, so
    /// Retry-After is exact for a client that honours it.
    pub fn admit(&self, tenant: &str, app: &str, bucket: &'static str) -> Result<Slot, u64> {
        let none = Slot {
            inner: self.inner.clone(),
            key: None,
        };
        if !self.budgets.enabled {
            return Ok(none);
        }
        let Some(rule) = self.budgets.rule(bucket) else {
            return Ok(none);
        };
        let key: Key = (tenant.to_string(), app.to_string(), bucket);
        let now = self.epoch.elapsed().as_millis() as u64;
        let window = rule.window.as_millis() as u64;
        let mut g = self.inner.lock().map_err(|_| 1u64)?;
        if let Some(max) = rule.concurrent
            && g.in_flight.get(&key).copied().unwrap_or(0) >= max
        {
            return Err(1);
        }
        let q = g.windows.entry(key.clone()).or_default();
        while q.front().is_some_and(|&t| t + window <= now) {
            q.pop_front();
        }
        if q.len() as u32 >= rule.requests {
            let oldest = q.front().copied().unwrap_or(now);
            let wait_ms = (oldest + window).saturating_sub(now);
            return Err(wait_ms.div_ceil(1000).max(1));
        }
        q.push_back(now);
        if rule.concurrent.is_some() {
            *g.in_flight.entry(key.clone()).or_insert(0) += 1;
            return Ok(Slot {
                inner: self.inner.clone(),
                key: Some(key),
            });
        }
        Ok(none)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules() {
        let r = BudgetRule::parse("securescore=10/2s/3").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (r.requests, r.window, r.concurrent),
            (10, Duration::from_secs(2), Some(3))
        );
        assert!(BudgetRule::parse("x").is_err());
    }

    #[test]
    fn window_and_concurrency() {
        let mut b = Budgets::default();
        b.set(BudgetRule::parse("alerts=2/60s").unwrap_or_else(|e| panic!("{e}")));
        b.set(BudgetRule::parse("securescore=100/60s/1").unwrap_or_else(|e| panic!("{e}")));
        let t = Throttle::new(b);
        assert!(t.admit("t", "a", "alerts").is_ok());
        assert!(t.admit("t", "a", "alerts").is_ok());
        assert!(matches!(t.admit("t", "a", "alerts"), Err(s) if (1..=60).contains(&s)));
        assert!(t.admit("other", "a", "alerts").is_ok());
        let slot = t.admit("t", "a", "securescore");
        assert!(slot.is_ok());
        assert!(t.admit("t", "a", "securescore").is_err());
        drop(slot);
        assert!(t.admit("t", "a", "securescore").is_ok());
    }
}
