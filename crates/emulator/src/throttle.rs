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
    } else if p.starts_with("/security/runhuntingquery")
        || p.starts_with("/security/microsoft.graph.security.runhuntingquery")
    {
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

    /// Admits a request or says how many whole seconds to wait (`Retry-After`).
    ///
    /// The rule, as Graph's "usage keeps accruing while you hammer a throttled endpoint":
    /// every request that reaches a budget is counted at its arrival time, whether it is
    /// admitted or refused (a refusal for concurrency counts too). A request is admitted when
    /// fewer than `requests` requests (of either kind) arrived in the `window` before it, and,
    /// for a concurrency budget, fewer than `concurrent` admitted ones are still in flight.
    /// So a client that keeps calling while throttled keeps the window full and keeps getting
    /// 429s; one that waits stops adding to it.
    ///
    /// Retry-After is computed after the refused request itself was counted: the time until
    /// the oldest of the last `requests` arrivals leaves the window, rounded up to a whole
    /// second, at least 1. A client that sends nothing else in the meantime and retries after
    /// that long is admitted (bar concurrency, where 1 s is a guess: slots free up when the
    /// requests in flight finish).
    ///
    /// Only the newest `requests` arrivals are kept: an older one can never decide admission,
    /// so the state stays bounded however hard a client hammers.
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
        let limit = rule.requests as usize;
        if limit == 0 {
            return Err(window.div_ceil(1000).max(1));
        }
        let mut g = self.inner.lock().map_err(|_| 1u64)?;
        let busy = rule
            .concurrent
            .is_some_and(|max| g.in_flight.get(&key).copied().unwrap_or(0) >= max);
        let q = g.windows.entry(key.clone()).or_default();
        while q.front().is_some_and(|&t| t + window <= now) {
            q.pop_front();
        }
        let full = q.len() >= limit;
        q.push_back(now);
        while q.len() > limit {
            q.pop_front();
        }
        if full || busy {
            // With the refusal counted, the window lets a request through once the oldest
            // kept arrival has left it (if the window is not full, only concurrency refused).
            let wait_ms = if q.len() >= limit {
                q.front().map_or(0, |&t| (t + window).saturating_sub(now))
            } else {
                0
            };
            return Err(wait_ms.div_ceil(1000).max(1));
        }
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

    #[test]
    fn refusals_count_and_push_retry_after_out() {
        let mut b = Budgets::default();
        b.set(BudgetRule::parse("alerts=2/3s").unwrap_or_else(|e| panic!("{e}")));
        let t = Throttle::new(b);
        assert!(t.admit("t", "a", "alerts").is_ok());
        assert!(t.admit("t", "a", "alerts").is_ok());
        std::thread::sleep(Duration::from_millis(1200));
        // Window: the second admitted request (t≈0) and this refusal (t≈1.2 s); the former
        // leaves it at 3 s.
        assert_eq!(t.admit("t", "a", "alerts").err(), Some(2));
        // Now two refusals fill the window: a full window from now. (Were refusals not
        // counted, this would still say 2.)
        assert_eq!(t.admit("t", "a", "alerts").err(), Some(3));
        // Hammering keeps only the newest `requests` arrivals.
        for _ in 0..10_000 {
            assert_eq!(t.admit("t", "a", "alerts").err(), Some(3));
        }
        let kept = t
            .inner
            .lock()
            .map(|g| g.windows.values().map(VecDeque::len).max());
        assert_eq!(kept.ok().flatten(), Some(2));
    }
}
