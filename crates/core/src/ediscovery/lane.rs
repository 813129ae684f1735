//! The eDiscovery lane: one queue per tenant in front of Graph's budget of five eDiscovery
//! requests a minute, serving the most urgent work first.
//!
//! Order: what the user asked for just now (a manual refresh or an action, which jump the
//! queue), then the polls of running operations, then what the user opened, then everything
//! else (counts for the case list). Within a priority, first come first served. The lane keeps
//! its own record of what it let go, so it is the one gate for the family; Graph's window is
//! measured at arrival, so the lane waits a small margin beyond the window to absorb latency
//! and clock skew, and keeps a slot for the user's own clicks when it serves the two lowest
//! priorities. Time is passed in (milliseconds on any monotonic clock), so every decision is
//! testable without a real clock.

use std::collections::VecDeque;

/// How urgent a request is; a smaller value is served first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// A manual refresh or a write the user just asked for: jumps the queue.
    Now,
    /// A poll of operations that are still running.
    Operations,
    /// What the user opened (the case page's sections).
    Opened,
    /// Everything else: the case list's counts, details read ahead.
    Background,
}

impl Priority {
    pub fn label(self) -> &'static str {
        match self {
            Priority::Now => "asked now",
            Priority::Operations => "running operations",
            Priority::Opened => "opened",
            Priority::Background => "background",
        }
    }
}

/// The budget the lane serves under.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LaneConfig {
    /// Requests per window (Graph: 5).
    pub per_window: u32,
    pub window_ms: f64,
    /// Waited beyond the window before a slot counts as free again.
    pub margin_ms: f64,
    /// Slots the two lowest priorities leave free for the user's clicks.
    pub reserve: u32,
    /// Slots reading ahead ([`Priority::Background`]) also leaves free, for the page the user
    /// may open next: a case page is three reads, and it should not wait a minute because the
    /// list read ahead meanwhile.
    pub room: u32,
}

impl Default for LaneConfig {
    /// Graph's eDiscovery budget, five a minute per tenant, with a 1.5 s margin, one slot
    /// kept for the user and three for a case page: reading ahead takes one a minute.
    fn default() -> Self {
        LaneConfig {
            per_window: 5,
            window_ms: 60_000.0,
            margin_ms: 1_500.0,
            reserve: 1,
            room: 3,
        }
    }
}

/// One waiting request.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting<K> {
    pub key: K,
    pub priority: Priority,
    /// What the request reads or does, for the queue shown to the user.
    pub label: String,
    /// When it was queued.
    pub since_ms: f64,
    seq: u64,
}

/// A queue of requests for one tenant's eDiscovery budget.
#[derive(Debug, Clone)]
pub struct Lane<K> {
    config: LaneConfig,
    waiting: Vec<Waiting<K>>,
    starts: VecDeque<f64>,
    throttled_until: Option<f64>,
    seq: u64,
}

impl<K: PartialEq + Clone> Lane<K> {
    pub fn new(config: LaneConfig) -> Self {
        Lane {
            config,
            waiting: Vec::new(),
            starts: VecDeque::new(),
            throttled_until: None,
            seq: 0,
        }
    }

    pub fn config(&self) -> LaneConfig {
        self.config
    }

    /// Queues `key`. A key already waiting is not queued twice: it keeps its place, moved up
    /// to `priority` when that is more urgent. Returns whether the queue changed (a new key, or
    /// one moved up), so that asking again for what waits changes nothing.
    pub fn push(&mut self, key: K, priority: Priority, label: impl Into<String>, now: f64) -> bool {
        if let Some(w) = self.waiting.iter_mut().find(|w| w.key == key) {
            if priority >= w.priority {
                return false;
            }
            w.priority = priority;
            // A refresh asked for now goes before everything queued before it.
            if priority == Priority::Now {
                self.seq += 1;
                w.seq = self.seq;
            }
            return true;
        }
        self.seq += 1;
        self.waiting.push(Waiting {
            key,
            priority,
            label: label.into(),
            since_ms: now,
            seq: self.seq,
        });
        true
    }

    /// Whether `key` is waiting.
    pub fn is_waiting(&self, key: &K) -> bool {
        self.waiting.iter().any(|w| w.key == *key)
    }

    /// Drops every waiting request `drop` says no to (a page closed, a case left).
    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        self.waiting.retain(|w| keep(&w.key));
    }

    /// The waiting requests in the order they will be served.
    pub fn queue(&self) -> Vec<&Waiting<K>> {
        let mut q: Vec<&Waiting<K>> = self.waiting.iter().collect();
        crate::sort::by_key(&mut q, |w| (w.priority, w.seq));
        q
    }

    fn head_index(&self) -> Option<usize> {
        (0..self.waiting.len()).min_by_key(|&i| (self.waiting[i].priority, self.waiting[i].seq))
    }

    /// Requests let go in the window ending at `now`.
    pub fn used(&self, now: f64) -> u32 {
        let span = self.config.window_ms + self.config.margin_ms;
        self.starts.iter().filter(|t| **t > now - span).count() as u32
    }

    /// The earliest time a request of `priority` may start, given what was let go.
    pub fn free_at(&self, priority: Priority, now: f64) -> f64 {
        let span = self.config.window_ms + self.config.margin_ms;
        let c = self.config;
        let limit = match priority {
            Priority::Now | Priority::Operations => c.per_window,
            Priority::Opened => c.per_window.saturating_sub(c.reserve).max(1),
            Priority::Background => c.per_window.saturating_sub(c.reserve + c.room).max(1),
        } as usize;
        let recent: Vec<f64> = self
            .starts
            .iter()
            .copied()
            .filter(|t| *t > now - span)
            .collect();
        let by_budget = if recent.len() < limit {
            now
        } else {
            // The slot frees when the start `limit` places from the newest leaves the window.
            recent[recent.len() - limit] + span
        };
        by_budget.max(self.throttled_until.unwrap_or(now)).max(now)
    }

    /// When the next waiting request may start (`None` when nothing waits).
    pub fn next_at(&self, now: f64) -> Option<f64> {
        let head = &self.waiting[self.head_index()?];
        Some(self.free_at(head.priority, now))
    }

    /// Takes the most urgent waiting request if the budget lets it start at `now`, and counts
    /// it as started.
    pub fn take(&mut self, now: f64) -> Option<Waiting<K>> {
        let i = self.head_index()?;
        if self.free_at(self.waiting[i].priority, now) > now {
            return None;
        }
        self.start(now);
        Some(self.waiting.remove(i))
    }

    /// Counts a request started outside the queue (a retry the client made by itself).
    pub fn start(&mut self, now: f64) {
        let span = self.config.window_ms + self.config.margin_ms;
        while self.starts.front().is_some_and(|t| *t <= now - span) {
            self.starts.pop_front();
        }
        self.starts.push_back(now);
    }

    /// When the requests still inside the window started, oldest first: kept by the page
    /// across a reload (with [`Lane::start`]) so that a new page does not spend the budget again.
    pub fn starts(&self) -> Vec<f64> {
        self.starts.iter().copied().collect()
    }

    /// Graph answered 429 anyway: nothing starts before `until`.
    pub fn throttled(&mut self, until: f64) {
        self.throttled_until = Some(self.throttled_until.map_or(until, |u| u.max(until)));
    }
}

/// How often running operations are read again: often enough to see progress move, rarely
/// enough to leave most of the budget to everything else (3 of 5 a minute at most).
pub const POLL_INTERVAL_MS: f64 = 20_000.0;

/// When a read made at `last_read` is due again: only while what it read is still changing (a
/// case's operations while some run, its legal holds while some are pending).
pub fn poll_due(last_read: f64, running: bool) -> Option<f64> {
    running.then_some(last_read + POLL_INTERVAL_MS)
}

/// "next refresh in 12 s", "refreshing now" or "up to date", for the lane's status line.
pub fn describe_next(next_at: Option<f64>, now: f64) -> String {
    match next_at {
        None => "up to date".to_owned(),
        Some(t) if t <= now => "refreshing now".to_owned(),
        Some(t) => format!("next refresh in {} s", ((t - now) / 1000.0).ceil() as u64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lane() -> Lane<&'static str> {
        Lane::new(LaneConfig {
            margin_ms: 0.0,
            ..LaneConfig::default()
        })
    }

    /// Serves the lane from `from` to `until` (ms) in steps of 100 ms, as the app's loop does;
    /// returns (time, key) of every start.
    fn run(l: &mut Lane<&'static str>, from: f64, until: f64) -> Vec<(f64, &'static str)> {
        let mut out = Vec::new();
        let mut t = from;
        while t <= until {
            while let Some(w) = l.take(t) {
                out.push((t, w.key));
            }
            t += 100.0;
        }
        out
    }

    #[test]
    fn never_more_than_five_in_any_minute() {
        let mut l = lane();
        let keys = [
            "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
        ];
        for k in keys {
            l.push(k, Priority::Operations, k, 0.0);
        }
        let starts = run(&mut l, 0.0, 200_000.0);
        assert_eq!(starts.len(), keys.len());
        for w in starts.windows(6) {
            assert!(w[5].0 - w[0].0 >= 60_000.0, "{starts:?}");
        }
        // The first five go at once, the sixth a minute later.
        assert_eq!(starts[4].0, 0.0);
        assert_eq!(starts[5].0, 60_000.0);
    }

    #[test]
    fn the_lower_priorities_leave_a_slot_for_the_user() {
        let mut l = lane();
        for k in ["a", "b", "c", "d", "e", "f"] {
            l.push(k, Priority::Opened, k, 0.0);
        }
        let first = run(&mut l, 0.0, 1_000.0);
        assert_eq!(first.len(), 4, "four of five, one kept: {first:?}");
        // A refresh asked now still starts at once, in the kept slot.
        l.push("refresh", Priority::Now, "refresh", 1_000.0);
        assert_eq!(l.take(1_000.0).map(|w| w.key), Some("refresh"));
        assert_eq!(l.take(1_000.0), None);
        assert_eq!(l.next_at(1_000.0), Some(60_000.0));
    }

    #[test]
    fn reading_ahead_leaves_room_for_the_case_page_opened_next() {
        let mut l = lane();
        l.push("cases", Priority::Opened, "", 0.0);
        for k in ["ops 1", "ops 2", "ops 3", "ops 4"] {
            l.push(k, Priority::Background, k, 0.0);
        }
        // The case list, and nothing read ahead while it holds the one slot reading ahead may use.
        let first = run(&mut l, 0.0, 30_000.0);
        assert_eq!(first, [(0.0, "cases")]);
        // The user opens a case: its three reads go at once, and a refresh still has its slot.
        for k in ["operations", "custodians", "searches"] {
            l.push(k, Priority::Opened, k, 30_000.0);
        }
        let opened = run(&mut l, 30_000.0, 30_000.0);
        let keys: Vec<&str> = opened.iter().map(|s| s.1).collect();
        assert_eq!(keys, ["operations", "custodians", "searches"]);
        l.push("refresh", Priority::Now, "", 40_000.0);
        assert_eq!(l.take(40_000.0).map(|w| w.key), Some("refresh"));
        // Reading ahead goes on once nothing else is in the window, one a minute.
        let later = run(&mut l, 30_100.0, 300_000.0);
        let times: Vec<f64> = later.iter().map(|s| s.0).collect();
        assert_eq!(times, [100_000.0, 160_000.0, 220_000.0, 280_000.0]);
    }

    #[test]
    fn priorities_are_served_in_order_under_the_budget() {
        let mut l = lane();
        // The budget is already spent by five reads at t = 0.
        for k in ["x1", "x2", "x3", "x4", "x5"] {
            l.push(k, Priority::Now, k, 0.0);
            assert!(l.take(0.0).is_some());
        }
        l.push("list counts", Priority::Background, "", 1.0);
        l.push("custodians", Priority::Opened, "", 2.0);
        l.push("operations", Priority::Operations, "", 3.0);
        l.push("searches", Priority::Opened, "", 4.0);
        let order: Vec<&str> = l.queue().iter().map(|w| w.key).collect();
        assert_eq!(
            order,
            ["operations", "custodians", "searches", "list counts"]
        );
        assert_eq!(l.take(59_999.0), None, "nothing before the window ends");
        let starts = run(&mut l, 60_000.0, 130_000.0);
        let keys: Vec<&str> = starts.iter().map(|s| s.1).collect();
        assert_eq!(
            keys,
            ["operations", "custodians", "searches", "list counts"]
        );
        // Operations may use the fifth slot, the opened sections only four.
        assert_eq!(starts[0].0, 60_000.0);
    }

    #[test]
    fn a_manual_refresh_jumps_the_queue_and_is_not_queued_twice() {
        let mut l = lane();
        for k in ["x1", "x2", "x3", "x4", "x5"] {
            l.push(k, Priority::Now, k, 0.0);
            l.take(0.0);
        }
        l.push("operations", Priority::Operations, "", 1.0);
        l.push("tags", Priority::Background, "", 2.0);
        assert!(l.push("tags", Priority::Now, "", 3.0), "moved up");
        assert!(
            !l.push("tags", Priority::Now, "", 3.5),
            "already waiting as urgent"
        );
        assert_eq!(l.queue().len(), 2);
        assert_eq!(l.queue()[0].key, "tags");
        assert!(
            !l.push("operations", Priority::Background, "", 4.0),
            "a less urgent push does not demote"
        );
        assert_eq!(l.queue()[1].priority, Priority::Operations);
        assert_eq!(l.take(60_000.0).map(|w| w.key), Some("tags"));
    }

    #[test]
    fn a_429_pauses_the_lane_and_the_margin_is_kept() {
        let mut l = Lane::new(LaneConfig::default());
        l.push("a", Priority::Now, "", 0.0);
        l.throttled(30_000.0);
        assert_eq!(l.take(10_000.0), None);
        assert_eq!(l.next_at(10_000.0), Some(30_000.0));
        assert!(l.take(30_000.0).is_some());
        for k in ["b", "c", "d", "e", "f"] {
            l.push(k, Priority::Now, "", 30_000.0);
        }
        let starts = run(&mut l, 30_000.0, 200_000.0);
        // The sixth start waits the window plus the 1.5 s margin after the first.
        assert_eq!(starts[4].0, 30_000.0 + 61_500.0);
        l.retain(|_| false);
        assert_eq!(l.next_at(200_000.0), None);
    }

    #[test]
    fn polls_only_while_running_and_the_status_line() {
        assert_eq!(poll_due(1_000.0, true), Some(21_000.0));
        assert_eq!(poll_due(1_000.0, false), None);
        assert_eq!(
            describe_next(Some(12_100.0), 1_000.0),
            "next refresh in 12 s"
        );
        assert_eq!(describe_next(Some(500.0), 1_000.0), "refreshing now");
        assert_eq!(describe_next(None, 1_000.0), "up to date");
    }
}
