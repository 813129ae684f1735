//! Per-tenant, per-endpoint-family request pacing, so the app queues instead of earning 429s.
//!
//! Graph's documented budgets are per app per tenant: alerts, incidents and secure score 150
//! requests a minute, secure score also at most 4 concurrent requests, eDiscovery 5 a minute,
//! advanced hunting at least 45 a minute. The scheduler keeps a sliding one-minute window of
//! request starts and an in-flight count per (tenant, family); a request that would exceed
//! either waits with [`Transport::sleep`]. When Graph answers 429/503 anyway, the whole family
//! pauses until the `Retry-After` time, because hammering a throttled endpoint extends the
//! throttling.
//!
//! Single-threaded by design (`Rc`/`RefCell`): the browser runs everything on one thread.

use std::cell::RefCell;
use std::collections::VecDeque;

use crate::sorted::SortedMap;
use std::rc::Rc;
use std::time::Duration;

use crate::transport::Transport;

/// Endpoint families that share a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    Alerts,
    Incidents,
    SecureScore,
    Ediscovery,
    Hunting,
    ThreatSubmission,
    ThreatIntelligence,
    Directory,
    Batch,
    Other,
}

impl Family {
    /// Classifies a Graph path (with or without origin, version or query).
    pub fn of_url(url: &str) -> Family {
        let path = url
            .split('?')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let has = |s: &str| path.contains(s);
        if has("/alerts_v2") || has("/security/alerts") {
            Family::Alerts
        } else if has("/security/incidents") {
            Family::Incidents
        } else if has("/securescore") {
            Family::SecureScore
        } else if has("/ediscoverycases") || has("/security/cases") {
            Family::Ediscovery
        } else if has("/runhuntingquery") {
            Family::Hunting
        } else if has("/threatsubmission") {
            Family::ThreatSubmission
        } else if has("/threatintelligence") {
            Family::ThreatIntelligence
        } else if has("/users") || has("/devices") || path.ends_with("/me") {
            Family::Directory
        } else if path.ends_with("/$batch") {
            Family::Batch
        } else {
            Family::Other
        }
    }

    /// A label for the UI.
    pub fn label(self) -> &'static str {
        match self {
            Family::Alerts => "alerts",
            Family::Incidents => "incidents",
            Family::SecureScore => "secure score",
            Family::Ediscovery => "eDiscovery",
            Family::Hunting => "advanced hunting",
            Family::ThreatSubmission => "threat submissions",
            Family::ThreatIntelligence => "threat intelligence",
            Family::Directory => "directory",
            Family::Batch => "batch",
            Family::Other => "other",
        }
    }
}

/// A family's limits; `None` means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Budget {
    /// Requests started per sliding window.
    pub per_window: Option<u32>,
    /// Requests in flight at once.
    pub max_concurrent: Option<u32>,
}

impl Budget {
    pub const fn new(per_window: Option<u32>, max_concurrent: Option<u32>) -> Self {
        Budget {
            per_window,
            max_concurrent,
        }
    }
}

/// Budgets and retry policy. Everything is configurable so tests can shrink windows.
#[derive(Debug, Clone, PartialEq)]
pub struct SchedulerConfig {
    pub window: Duration,
    pub budgets: SortedMap<Family, Budget>,
    /// Retries of an idempotent request after 429/503/network errors.
    pub max_retries: u32,
    /// First backoff when the server gave no `Retry-After`; doubled per attempt, with jitter.
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    /// How often a request blocked only by concurrency re-checks.
    pub concurrency_poll: Duration,
}

impl Default for SchedulerConfig {
    /// The documented Graph budgets.
    fn default() -> Self {
        let mut budgets = SortedMap::new();
        budgets.insert(Family::Alerts, Budget::new(Some(150), None));
        budgets.insert(Family::Incidents, Budget::new(Some(150), None));
        budgets.insert(Family::SecureScore, Budget::new(Some(150), Some(4)));
        budgets.insert(Family::Ediscovery, Budget::new(Some(5), None));
        budgets.insert(Family::Hunting, Budget::new(Some(45), None));
        SchedulerConfig {
            window: Duration::from_secs(60),
            budgets,
            max_retries: 5,
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            concurrency_poll: Duration::from_millis(50),
        }
    }
}

impl SchedulerConfig {
    /// No limits at all (useful for tests that exercise something else).
    pub fn unlimited() -> Self {
        SchedulerConfig {
            budgets: SortedMap::new(),
            ..Self::default()
        }
    }

    /// Replaces one family's budget.
    pub fn with_budget(mut self, family: Family, budget: Budget) -> Self {
        self.budgets.insert(family, budget);
        self
    }

    /// The backoff before retry number `attempt` (0-based): exponential with jitter in
    /// `[delay/2, delay)`, so many clients do not retry in lockstep.
    pub fn backoff(&self, attempt: u32, random: f64) -> Duration {
        let exp = self.base_backoff.as_secs_f64() * 2f64.powi(attempt.min(30) as i32);
        let capped = exp.min(self.max_backoff.as_secs_f64());
        Duration::from_secs_f64(capped * (0.5 + 0.5 * random.clamp(0.0, 1.0)))
    }
}

/// What the UI shows about one (tenant, family).
#[derive(Debug, Clone, PartialEq)]
pub struct SchedulerState {
    pub tenant: String,
    pub family: Family,
    /// Requests waiting for budget.
    pub queued: u32,
    pub in_flight: u32,
    /// Requests started in the current window.
    pub used_in_window: u32,
    /// Transport-clock time until which the family is paused after a 429/503.
    pub throttled_until_ms: Option<f64>,
    pub last_retry_reason: Option<String>,
}

impl SchedulerState {
    /// A short sentence, e.g. "throttled, retrying in 12 s" or "3 requests waiting".
    pub fn describe(&self, now_ms: f64) -> String {
        if let Some(until) = self.throttled_until_ms.filter(|u| *u > now_ms) {
            let secs = ((until - now_ms) / 1000.0).ceil() as u64;
            return format!("throttled, retrying in {secs} s");
        }
        match (self.queued, self.in_flight) {
            (0, 0) => "idle".to_owned(),
            (0, n) => format!("{n} request{} in progress", if n == 1 { "" } else { "s" }),
            (q, _) => format!(
                "{q} request{} waiting for the {} budget",
                if q == 1 { "" } else { "s" },
                self.family.label()
            ),
        }
    }
}

#[derive(Debug, Default)]
struct Slot {
    starts: VecDeque<f64>,
    in_flight: u32,
    queued: u32,
    throttled_until_ms: Option<f64>,
    last_retry_reason: Option<String>,
}

#[derive(Default)]
struct Inner {
    slots: SortedMap<(String, Family), Slot>,
    listener: Option<Rc<dyn Fn()>>,
}

/// The shared pacing state; clone it freely (it is an `Rc`).
#[derive(Clone)]
pub struct Scheduler {
    config: Rc<SchedulerConfig>,
    inner: Rc<RefCell<Inner>>,
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Holds one in-flight slot; dropping it (also when the request future is dropped) frees it.
pub struct Permit {
    scheduler: Scheduler,
    key: (String, Family),
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.scheduler
            .update(&self.key, |s| s.in_flight = s.in_flight.saturating_sub(1));
    }
}

/// Counts a waiting request; dropping it (cancellation) removes it from the queue count.
struct QueuedGuard<'a> {
    scheduler: &'a Scheduler,
    key: &'a (String, Family),
}

impl Drop for QueuedGuard<'_> {
    fn drop(&mut self) {
        self.scheduler
            .update(self.key, |s| s.queued = s.queued.saturating_sub(1));
    }
}

impl Scheduler {
    pub fn new(config: SchedulerConfig) -> Self {
        Scheduler {
            config: Rc::new(config),
            inner: Rc::new(RefCell::new(Inner::default())),
        }
    }

    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    /// Registers a callback run after every state change (the app bumps a signal in it).
    pub fn set_listener(&self, listener: Option<Rc<dyn Fn()>>) {
        self.inner.borrow_mut().listener = listener;
    }

    fn budget(&self, family: Family) -> Budget {
        self.config
            .budgets
            .get(&family)
            .copied()
            .unwrap_or_default()
    }

    fn update<R>(&self, key: &(String, Family), f: impl FnOnce(&mut Slot) -> R) -> R {
        let (r, listener) = {
            let mut inner = self.inner.borrow_mut();
            let r = f(inner.slots.get_or_default(key.clone()));
            (r, inner.listener.clone())
        };
        if let Some(l) = listener {
            l();
        }
        r
    }

    /// Either takes a slot (`Ok`) or says how long to wait (`Err(ms)`). Not generic, so the
    /// logic exists once in the wasm bundle.
    fn try_take(&self, key: &(String, Family), now: f64) -> Result<(), f64> {
        let budget = self.budget(key.1);
        let window_ms = self.config.window.as_secs_f64() * 1000.0;
        let poll_ms = self.config.concurrency_poll.as_secs_f64() * 1000.0;
        let mut inner = self.inner.borrow_mut();
        let slot = inner.slots.get_or_default(key.clone());
        while slot.starts.front().is_some_and(|t| *t <= now - window_ms) {
            slot.starts.pop_front();
        }
        if let Some(until) = slot.throttled_until_ms {
            if until > now {
                return Err(until - now);
            }
            slot.throttled_until_ms = None;
        }
        if let Some(limit) = budget.per_window
            && slot.starts.len() >= limit as usize
        {
            let oldest = slot.starts.front().copied().unwrap_or(now);
            return Err((oldest + window_ms - now).max(1.0));
        }
        if let Some(limit) = budget.max_concurrent
            && slot.in_flight >= limit
        {
            return Err(poll_ms.max(1.0));
        }
        slot.starts.push_back(now);
        slot.in_flight += 1;
        Ok(())
    }

    /// Waits until `family` of `tenant` has budget, then holds an in-flight slot until the
    /// returned permit is dropped. Dropping the future while it waits leaves no trace.
    pub async fn acquire<T: Transport>(
        &self,
        transport: &T,
        tenant: &str,
        family: Family,
    ) -> Permit {
        let key = (tenant.to_owned(), family);
        if self.try_take(&key, transport.now_ms()).is_ok() {
            self.notify();
            return Permit {
                scheduler: self.clone(),
                key,
            };
        }
        self.update(&key, |s| s.queued += 1);
        let _guard = QueuedGuard {
            scheduler: self,
            key: &key,
        };
        loop {
            match self.try_take(&key, transport.now_ms()) {
                Ok(()) => break,
                Err(wait_ms) => {
                    transport
                        .sleep(Duration::from_secs_f64(wait_ms / 1000.0))
                        .await
                }
            }
        }
        drop(_guard);
        Permit {
            scheduler: self.clone(),
            key,
        }
    }

    fn notify(&self) {
        let listener = self.inner.borrow().listener.clone();
        if let Some(l) = listener {
            l();
        }
    }

    /// Pauses the family until `until_ms` (transport clock) after a 429/503.
    pub fn note_throttled(&self, tenant: &str, family: Family, until_ms: f64, reason: String) {
        self.update(&(tenant.to_owned(), family), |s| {
            s.throttled_until_ms = Some(s.throttled_until_ms.map_or(until_ms, |u| u.max(until_ms)));
            s.last_retry_reason = Some(reason);
        });
    }

    /// Snapshot of every (tenant, family) seen so far.
    pub fn state(&self, now_ms: f64) -> Vec<SchedulerState> {
        let window_ms = self.config.window.as_secs_f64() * 1000.0;
        self.inner
            .borrow()
            .slots
            .iter()
            .map(|((tenant, family), s)| SchedulerState {
                tenant: tenant.clone(),
                family: *family,
                queued: s.queued,
                in_flight: s.in_flight,
                used_in_window: s.starts.iter().filter(|t| **t > now_ms - window_ms).count() as u32,
                throttled_until_ms: s.throttled_until_ms.filter(|u| *u > now_ms),
                last_retry_reason: s.last_retry_reason.clone(),
            })
            .collect()
    }

    /// The state of one (tenant, family).
    pub fn family_state(&self, tenant: &str, family: Family, now_ms: f64) -> SchedulerState {
        self.state(now_ms)
            .into_iter()
            .find(|s| s.tenant == tenant && s.family == family)
            .unwrap_or(SchedulerState {
                tenant: tenant.to_owned(),
                family,
                queued: 0,
                in_flight: 0,
                used_in_window: 0,
                throttled_until_ms: None,
                last_retry_reason: None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::{HttpRequest, HttpResponse, TransportError};
    use std::cell::Cell;

    /// A clock that jumps forward on sleep.
    struct Clock(Cell<f64>);
    impl Transport for Clock {
        async fn send(&self, _req: HttpRequest) -> Result<HttpResponse, TransportError> {
            unreachable!()
        }
        async fn sleep(&self, dur: Duration) {
            self.0.set(self.0.get() + dur.as_secs_f64() * 1000.0);
        }
        fn now_ms(&self) -> f64 {
            self.0.get()
        }
        fn random(&self) -> f64 {
            0.5
        }
    }

    #[test]
    fn family_classification() {
        assert_eq!(
            Family::of_url("https://graph.microsoft.com/v1.0/security/alerts_v2?$top=5"),
            Family::Alerts
        );
        assert_eq!(
            Family::of_url("/v1.0/security/cases/ediscoveryCases/x/operations/y"),
            Family::Ediscovery
        );
        assert_eq!(
            Family::of_url("/v1.0/security/secureScoreControlProfiles"),
            Family::SecureScore
        );
        assert_eq!(Family::of_url("/v1.0/users/a@b"), Family::Directory);
    }

    #[test]
    fn window_budget_queues() {
        let s = Scheduler::new(SchedulerConfig::default());
        let clock = Clock(Cell::new(0.0));
        let mut starts = Vec::new();
        for _ in 0..12 {
            let p = futures_executor::block_on(s.acquire(&clock, "t", Family::Ediscovery));
            starts.push(clock.now_ms());
            drop(p);
        }
        // Five per minute: the sixth waits until the first leaves the window.
        assert_eq!(starts[4], 0.0);
        assert_eq!(starts[5], 60_000.0);
        assert_eq!(starts[10], 120_000.0);
        for w in starts.windows(6) {
            assert!(w[5] - w[0] >= 60_000.0);
        }
    }

    #[test]
    fn secure_score_allows_four_concurrent() {
        let s = Scheduler::new(SchedulerConfig::default());
        let clock = Clock(Cell::new(0.0));
        let permits: Vec<Permit> = (0..4)
            .map(|_| futures_executor::block_on(s.acquire(&clock, "t", Family::SecureScore)))
            .collect();
        assert_eq!(s.family_state("t", Family::SecureScore, 0.0).in_flight, 4);
        assert_eq!(
            s.try_take(&("t".to_owned(), Family::SecureScore), 0.0),
            Err(50.0)
        );
        // Other tenants and families are independent.
        assert!(
            s.try_take(&("u".to_owned(), Family::SecureScore), 0.0)
                .is_ok()
        );
        assert!(s.try_take(&("t".to_owned(), Family::Alerts), 0.0).is_ok());
        drop(permits);
        assert!(
            s.try_take(&("t".to_owned(), Family::SecureScore), 0.0)
                .is_ok()
        );
    }

    #[test]
    fn throttle_state_and_sentence() {
        let s = Scheduler::new(SchedulerConfig::default());
        s.note_throttled(
            "t",
            Family::Alerts,
            12_000.0,
            "429 Too Many Requests".into(),
        );
        let st = s.family_state("t", Family::Alerts, 0.0);
        assert_eq!(st.describe(0.0), "throttled, retrying in 12 s");
        let clock = Clock(Cell::new(0.0));
        let _p = futures_executor::block_on(s.acquire(&clock, "t", Family::Alerts));
        assert_eq!(clock.now_ms(), 12_000.0);
        assert_eq!(
            s.family_state("t", Family::Alerts, clock.now_ms())
                .in_flight,
            1
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let c = SchedulerConfig::default();
        assert_eq!(c.backoff(0, 0.0), Duration::from_millis(250));
        assert_eq!(c.backoff(2, 1.0), Duration::from_secs(2));
        assert!(c.backoff(40, 1.0) <= c.max_backoff);
    }
}
