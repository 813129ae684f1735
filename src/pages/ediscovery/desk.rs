//! What the eDiscovery page has read, kept for the tab's session, and the lane every
//! eDiscovery read of a tenant waits in: Graph allows five eDiscovery requests a minute per
//! tenant, so the lane (`vigil_core::ediscovery::lane`) serves the user's own clicks first,
//! then the polls of running operations, then what the user opened, then the rest.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::client::{CustodianSources, from_trees};
use vigil_core::ediscovery::lane::{Lane, LaneConfig, POLL_INTERVAL_MS, Priority, poll_due};
use vigil_core::ediscovery::progress::{hold_finished, is_running};
use vigil_core::ediscovery::report::needs_operations;
use vigil_core::ediscovery::view::is_open;
use vigil_core::error::ErrorKind;
use vigil_core::models::{
    CaseId, CaseOperation, Custodian, DataSource, EdiscoveryCase, HoldPolicy,
    NoncustodialDataSource, PolicyStatus, ReviewSet, ReviewSetQuery, ReviewTag, Search,
};
use vigil_core::odata::Query;

use crate::auth::Auth;
use crate::auth::storage::{KeyValue, SessionStore};

/// One read of the eDiscovery API.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    /// The tenant's cases.
    Cases,
    /// One case's operations, custodians, non-custodial sources, searches, legal holds, review
    /// sets or tags (as a tree), by case id.
    Operations(String),
    Custodians(String),
    Sources(String),
    Searches(String),
    LegalHolds(String),
    ReviewSets(String),
    Tags(String),
    /// A review set's saved queries, by case id and review set id.
    Queries(String, String),
    /// One of a custodian's source collections, by case id and custodian id.
    Held(String, String, CustodianSources),
}

impl Key {
    fn case(&self) -> Option<&str> {
        match self {
            Key::Cases => None,
            Key::Operations(c)
            | Key::Custodians(c)
            | Key::Sources(c)
            | Key::Searches(c)
            | Key::LegalHolds(c)
            | Key::ReviewSets(c)
            | Key::Tags(c)
            | Key::Queries(c, _)
            | Key::Held(c, ..) => Some(c),
        }
    }

    fn label(&self, case_name: &str) -> String {
        let what = match self {
            Key::Cases => return "the case list".to_owned(),
            Key::Operations(_) => "operations",
            Key::Custodians(_) => "custodians",
            Key::Sources(_) => "non-custodial sources",
            Key::Searches(_) => "searches",
            Key::LegalHolds(_) => "legal holds",
            Key::ReviewSets(_) => "review sets",
            Key::Tags(_) => "tags",
            Key::Queries(..) => "review set queries",
            Key::Held(..) => "custodian sources",
        };
        format!("{what} of {case_name}")
    }
}

/// What a read brought.
#[derive(Debug, Clone)]
pub enum Got {
    Cases(Vec<EdiscoveryCase>),
    Operations(Vec<CaseOperation>),
    Custodians(Vec<Custodian>),
    Sources(Vec<NoncustodialDataSource>),
    Searches(Vec<Search>),
    LegalHolds(Vec<HoldPolicy>),
    ReviewSets(Vec<ReviewSet>),
    Tags(Vec<ReviewTag>),
    Queries(Vec<ReviewSetQuery>),
    Held(Vec<DataSource>),
}

/// The last answer to one read: what was read (kept when a later read fails), why the last
/// read failed, and when it was read (ms since the epoch).
#[derive(Debug, Clone)]
pub struct Answer {
    pub got: Option<Rc<Got>>,
    pub problem: Option<String>,
    pub at: f64,
}

struct Tenant {
    id: String,
    lane: Lane<Key>,
    answers: Vec<(Key, Answer)>,
    /// Reads under way.
    busy: Vec<Key>,
    /// Changes the user asked for that wait for their turn ([`Desk::turn`]).
    writes: u32,
}

#[derive(Default)]
struct State {
    /// The signed-in users the answers were read for: another user's sign-in reads again
    /// (what a case shows depends on who asks).
    users: Vec<String>,
    tenants: Vec<Tenant>,
    /// The case whose operations are polled while some run: (tenant, case id).
    watched: Option<(String, String)>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::default();
}

/// A handle on the session's eDiscovery reads. `Copy`.
#[derive(Clone, Copy)]
pub struct Desk {
    /// Bumped whenever an answer arrives or the queue changes (tracked by the views).
    version: RwSignal<u32>,
    /// The clock the views show durations and waits against, ticking each second.
    pub now: RwSignal<f64>,
    auth: StoredValue<Auth, LocalStorage>,
}

impl Desk {
    pub fn new(auth: Auth) -> Desk {
        Desk {
            version: RwSignal::new(0),
            now: RwSignal::new(js_sys::Date::now()),
            auth: StoredValue::new_local(auth),
        }
    }

    /// Tracks every change to what was read.
    pub fn track(self) {
        self.version.track();
    }

    /// Tells the views; a write that ends after the page has gone finds nobody to tell.
    fn changed(self) {
        self.version.try_update(|v| *v = v.wrapping_add(1));
    }

    /// The last answer to `key` in `tenant` (untracked: call [`Desk::track`] first).
    pub fn answer(self, tenant: &str, key: &Key) -> Option<Answer> {
        STATE.with_borrow(|s| {
            s.tenants
                .iter()
                .find(|t| t.id == tenant)?
                .answers
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, a)| a.clone())
        })
    }

    /// Asks, at `priority`, for the operations of every case that can have some in the last
    /// 30 days (open, or closed within them) and has not been read: the report's figures and
    /// the case list's running operations. A read that failed is not asked again here: the
    /// case page's refresh does that.
    pub fn read_operations_ahead(self, tenants: &[(String, String)], priority: Priority) {
        let now = js_sys::Date::now() as i64;
        self.read_ahead(tenants, priority, |c| {
            needs_operations(c, now).then(|| Key::Operations(c.id.as_str().to_owned()))
        });
    }

    /// Each open case's custodians (the case list counts them), behind what is already asked
    /// for at the same priority.
    pub fn read_custodians_ahead(self, tenants: &[(String, String)], priority: Priority) {
        self.read_ahead(tenants, priority, |c| {
            is_open(c).then(|| Key::Custodians(c.id.as_str().to_owned()))
        });
    }

    /// Asks for `key_of` each listed case, where it names a read not kept yet.
    fn read_ahead(
        self,
        tenants: &[(String, String)],
        priority: Priority,
        key_of: impl Fn(&EdiscoveryCase) -> Option<Key>,
    ) {
        for (tenant, _) in tenants {
            let Some(got) = self.answer(tenant, &Key::Cases).and_then(|a| a.got) else {
                continue;
            };
            let Got::Cases(cases) = got.as_ref() else {
                continue;
            };
            for c in cases.iter() {
                let Some(key) = key_of(c) else { continue };
                if self.answer(tenant, &key).is_none() {
                    let name = c.display_name.as_deref().unwrap_or(c.id.as_str());
                    self.want(tenant, key, priority, name, false);
                }
            }
        }
    }

    /// Asks for `key` unless an answer is kept (or `fresh`, which also jumps the queue). Asking
    /// again for what already waits changes nothing, so a view may ask as it draws.
    pub fn want(self, tenant: &str, key: Key, priority: Priority, label: &str, fresh: bool) {
        let now = js_sys::Date::now();
        let queued = with_tenant(tenant, |t| {
            let kept = t.answers.iter().any(|(k, a)| *k == key && a.got.is_some());
            if (kept && !fresh) || t.busy.contains(&key) {
                return false;
            }
            let label = key.label(label);
            t.lane.push(key, priority, label, now)
        });
        if queued {
            self.changed();
            self.pump();
        }
    }

    /// Waits until the tenant's budget lets a request the user asked for go now, and counts
    /// it: a write waits its turn like a read (ahead of every queued read), instead of waiting
    /// unseen in the client while the page shows a budget it has already spent.
    pub async fn turn(self, tenant: &str) {
        with_tenant(tenant, |t| t.writes += 1);
        loop {
            let now = js_sys::Date::now();
            let wait = with_tenant(tenant, |t| {
                let at = t.lane.free_at(Priority::Now, now);
                if at <= now {
                    t.lane.start(now);
                    t.writes -= 1;
                }
                at - now
            });
            self.changed();
            if wait <= 0.0 {
                return;
            }
            crate::transport::sleep(std::time::Duration::from_millis(wait.min(1000.0) as u64))
                .await;
        }
    }

    /// Polls `case`'s operations while some of them run, until another case is watched.
    pub fn watch(self, tenant: &str, case: &str) {
        STATE.with_borrow_mut(|s| s.watched = Some((tenant.to_owned(), case.to_owned())));
    }

    /// Changes the kept copy of a case the service has just changed (closed, reopened), so the
    /// page shows it at once instead of spending a read of the whole case list on it.
    pub fn patch_case(self, tenant: &str, case: &str, change: impl FnOnce(&mut EdiscoveryCase)) {
        self.edit_cases(tenant, |cases| {
            if let Some(c) = cases.iter_mut().find(|c| c.id.as_str() == case) {
                change(c);
            }
        });
    }

    /// A case the service has just created, first in the kept list so that it shows at once
    /// without a read of the whole list.
    pub fn add_case(self, tenant: &str, case: EdiscoveryCase) {
        self.edit_cases(tenant, |cases| cases.insert(0, case));
    }

    /// Changes the kept case list of `tenant` (nothing when it was not read).
    fn edit_cases(self, tenant: &str, edit: impl FnOnce(&mut Vec<EdiscoveryCase>)) {
        with_tenant(tenant, |t| {
            if let Some((_, Answer { got: Some(got), .. })) =
                t.answers.iter_mut().find(|(k, _)| *k == Key::Cases)
                && let Some(Got::Cases(cases)) = Rc::get_mut(got)
            {
                edit(cases);
            }
        });
        self.changed();
    }

    /// An operation the user just started, shown at once until the next read lists it.
    pub fn started(self, tenant: &str, case: &str, op: CaseOperation) {
        let key = Key::Operations(case.to_owned());
        with_tenant(tenant, |t| {
            let kept = t.answers.iter_mut().find(|(k, _)| *k == key);
            // Draws hold the answers only while drawing, so the kept one is not shared here.
            match kept.and_then(|(_, a)| a.got.as_mut()).and_then(Rc::get_mut) {
                Some(Got::Operations(ops)) => ops.insert(0, op),
                _ => t.answers.push((
                    key,
                    Answer {
                        got: Some(Rc::new(Got::Operations(vec![op]))),
                        problem: None,
                        at: 0.0,
                    },
                )),
            }
        });
        self.changed();
    }

    /// The queue of one tenant, in the order it will be served, and when the next read may go.
    pub fn queue(self, tenant: &str) -> (Vec<(String, &'static str)>, Option<f64>, u32) {
        let now = self.now.get_untracked();
        STATE.with_borrow(|s| {
            let Some(t) = s.tenants.iter().find(|t| t.id == tenant) else {
                return (Vec::new(), None, 0);
            };
            let writes = (0..t.writes).map(|_| ("your change".to_owned(), Priority::Now.label()));
            let reads = t.lane.queue().into_iter();
            let q = writes
                .chain(reads.map(|w| (w.label.clone(), w.priority.label())))
                .collect();
            let next = if t.writes > 0 {
                Some(t.lane.free_at(Priority::Now, now))
            } else {
                t.lane.next_at(now)
            };
            (q, next, t.lane.used(now))
        })
    }

    /// The watched case's reads that are polled, each with when it is due again: its
    /// operations while some run, its legal holds (once the user opened them) while some are
    /// pending.
    fn polls(self) -> Vec<(String, Key, f64)> {
        let Some((tenant, case)) = STATE.with_borrow(|s| s.watched.clone()) else {
            return Vec::new();
        };
        [Key::Operations(case.clone()), Key::LegalHolds(case)]
            .into_iter()
            .filter_map(|key| {
                let a = self.answer(&tenant, &key)?;
                let busy = match a.got.as_deref() {
                    Some(Got::Operations(ops)) => ops.iter().any(is_running),
                    Some(Got::LegalHolds(holds)) => holds
                        .iter()
                        .any(|h| h.status == Some(PolicyStatus::Pending)),
                    _ => false,
                };
                Some((tenant.clone(), key, poll_due(a.at, busy)?))
            })
            .collect()
    }

    /// When the next poll of the watched case is due (`None` when nothing runs).
    pub fn next_poll(self) -> Option<f64> {
        self.polls()
            .into_iter()
            .map(|(_, _, at)| at)
            .reduce(f64::min)
    }

    /// Each second: the clock, the due polls, and every read the budget lets go now.
    pub fn tick(self) {
        let now = js_sys::Date::now();
        self.now.set(now);
        for (tenant, key, due) in self.polls() {
            if due <= now {
                let name = self.case_name(&tenant, key.case().unwrap_or_default());
                self.want(&tenant, key, Priority::Operations, &name, true);
            }
        }
        self.pump();
    }

    /// A case's name as read with the case list (its id when not read).
    pub fn case_name(self, tenant: &str, case: &str) -> String {
        match self
            .answer(tenant, &Key::Cases)
            .and_then(|a| a.got)
            .as_deref()
        {
            Some(Got::Cases(cases)) => cases
                .iter()
                .find(|c| c.id.as_str() == case)
                .and_then(|c| c.display_name.clone()),
            _ => None,
        }
        .unwrap_or_else(|| case.to_owned())
    }

    /// Starts every read the lanes let go now.
    fn pump(self) {
        let now = js_sys::Date::now();
        let go: Vec<(String, Key)> = STATE.with_borrow_mut(|s| {
            let mut go = Vec::new();
            for t in &mut s.tenants {
                let before = go.len();
                while let Some(w) = t.lane.take(now) {
                    t.busy.push(w.key.clone());
                    go.push((t.id.clone(), w.key));
                }
                if go.len() > before {
                    save_starts(t);
                }
            }
            go
        });
        if go.is_empty() {
            return;
        }
        self.changed();
        for (tenant, key) in go {
            let auth = self.auth.get_value();
            spawn_local(async move {
                let result = read(auth, &tenant, &key).await;
                self.store(&tenant, key, result);
            });
        }
    }

    fn store(self, tenant: &str, key: Key, result: Result<Got, (String, Option<f64>)>) {
        let now = js_sys::Date::now();
        let label = key.label(
            &key.case()
                .map(|c| self.case_name(tenant, c))
                .unwrap_or_default(),
        );
        let reread = with_tenant(tenant, |t| {
            t.busy.retain(|k| *k != key);
            let (got, problem) = match result {
                Ok(got) => (Some(Rc::new(got)), None),
                // Throttled anyway (another app of the tenant spent the budget): wait as Graph
                // says and ask again, never a failure for the user.
                Err((_, Some(wait))) => {
                    t.lane.throttled(now + wait);
                    t.lane.push(key, Priority::Now, label, now);
                    return None;
                }
                // A failed read keeps what was read before, with the reason beside it.
                Err((why, None)) => (None, Some(why)),
            };
            // A hold that finished changed its custodians' hold status, and their sources':
            // read them again (the sources only where they were read).
            let reread = match (&key, got.as_deref()) {
                (Key::Operations(case), Some(Got::Operations(after))) => t
                    .answers
                    .iter()
                    .find(|(k, _)| *k == key)
                    .and_then(|(_, a)| match a.got.as_deref() {
                        Some(Got::Operations(before)) => Some(before),
                        _ => None,
                    })
                    .filter(|before| hold_finished(before, after))
                    .map(|_| {
                        let held = t.answers.iter().map(|(k, _)| k);
                        let held = held.filter(|k| matches!(k, Key::Held(c, ..) if c == case));
                        let mut keys = vec![Key::Custodians(case.clone())];
                        keys.extend(held.cloned());
                        keys
                    }),
                _ => None,
            };
            match t.answers.iter_mut().find(|(k, _)| *k == key) {
                Some((_, a)) => {
                    a.problem = problem;
                    a.at = now;
                    if got.is_some() {
                        a.got = got;
                    }
                }
                None => t.answers.push((
                    key,
                    Answer {
                        got,
                        problem,
                        at: now,
                    },
                )),
            }
            reread
        });
        let _ = self.version.try_update(|v| *v = v.wrapping_add(1));
        for key in reread.into_iter().flatten() {
            let name = self.case_name(tenant, key.case().unwrap_or_default());
            self.want(tenant, key, Priority::Operations, &name, true);
        }
    }
}

fn with_tenant<R>(tenant: &str, f: impl FnOnce(&mut Tenant) -> R) -> R {
    STATE.with_borrow_mut(|s| {
        let i = match s.tenants.iter().position(|t| t.id == tenant) {
            Some(i) => i,
            None => {
                let mut lane = Lane::new(LaneConfig::default());
                let kept = SessionStore.get(&starts_key(tenant)).unwrap_or_default();
                for t in kept.split(',').filter_map(|t| t.parse::<i64>().ok()) {
                    lane.start(t as f64);
                }
                s.tenants.push(Tenant {
                    id: tenant.to_owned(),
                    lane,
                    answers: Vec::new(),
                    busy: Vec::new(),
                    writes: 0,
                });
                s.tenants.len() - 1
            }
        };
        let r = f(&mut s.tenants[i]);
        save_starts(&s.tenants[i]);
        r
    })
}

fn save_starts(t: &Tenant) {
    let starts: Vec<String> = t
        .lane
        .starts()
        .iter()
        .map(|s| (*s as i64).to_string())
        .collect();
    SessionStore.set(&starts_key(&t.id), &starts.join(","));
}

/// Where a tenant's lane keeps when its requests started, so that a reload (a consent round
/// trip, say) does not spend the same minute's budget again.
fn starts_key(tenant: &str) -> String {
    format!("vigil.ediscovery.starts.{tenant}")
}

/// One read. A throttled read gives how long to wait (ms) instead of a failure. Every read
/// is a collection read as JSON trees, so paging is built once for all of them.
async fn read(auth: Auth, tenant: &str, key: &Key) -> Result<Got, (String, Option<f64>)> {
    let Some(client) = auth.client_for_data(Some(tenant)) else {
        return Err((
            "Sign in to this tenant again to read its cases.".to_owned(),
            None,
        ));
    };
    let q = Query::new();
    let case = CaseId::new(key.case().unwrap_or_default());
    let pages = match key {
        Key::Cases => client.list_cases(&q).trees(),
        Key::Operations(_) => client.list_operations(&case, &q).trees(),
        Key::Custodians(_) => client.list_custodians(&case, &q).trees(),
        Key::Sources(_) => client.list_noncustodial_sources(&case).trees(),
        Key::Searches(_) => client.list_searches(&case, &q).trees(),
        Key::LegalHolds(_) => client.list_legal_holds(&case).trees(),
        Key::ReviewSets(_) => client.list_review_sets(&case).trees(),
        Key::Tags(_) => client.list_tags_hierarchy(&case).trees(),
        Key::Queries(_, set) => client.list_review_set_queries(&case, set).trees(),
        Key::Held(_, who, which) => client.list_custodian_sources(&case, who, *which).trees(),
    };
    let got = pages.collect_all().await.and_then(|values| {
        Ok(match key {
            Key::Cases => Got::Cases(from_trees(&values)?),
            Key::Operations(_) => Got::Operations(from_trees(&values)?),
            Key::Custodians(_) => Got::Custodians(from_trees(&values)?),
            Key::Sources(_) => Got::Sources(from_trees(&values)?),
            Key::Searches(_) => Got::Searches(from_trees(&values)?),
            Key::LegalHolds(_) => Got::LegalHolds(from_trees(&values)?),
            Key::ReviewSets(_) => Got::ReviewSets(from_trees(&values)?),
            Key::Tags(_) => Got::Tags(from_trees(&values)?),
            Key::Queries(..) => Got::Queries(from_trees(&values)?),
            Key::Held(..) => Got::Held(from_trees(&values)?),
        })
    });
    got.map_err(|e| {
        let wait = (e.kind == ErrorKind::Throttled).then(|| {
            e.retry_after
                .map_or(POLL_INTERVAL_MS, |d| d.as_millis() as f64)
        });
        (auth.explain(&e), wait)
    })
}

/// The desk of this page, ticking while the page is open.
pub fn use_desk(auth: Auth) -> Desk {
    let users: Vec<String> = auth.accounts().into_iter().map(|a| a.username).collect();
    STATE.with_borrow_mut(|s| {
        if s.users != users {
            // The lanes stay: Graph's budget is the app's, whoever signs in.
            for t in &mut s.tenants {
                t.answers.clear();
            }
            s.users = users;
        }
    });
    let desk = Desk::new(auth);
    let handle = set_interval_with_handle(move || desk.tick(), std::time::Duration::from_secs(1));
    on_cleanup(move || {
        if let Ok(h) = handle {
            h.clear();
        }
    });
    desk
}

/// Shared by the views: the reads a case page needs.
pub fn open_case(desk: Desk, tenant: &str, case: &str, fresh: bool) {
    let name = desk.case_name(tenant, case);
    let p = if fresh {
        Priority::Now
    } else {
        Priority::Opened
    };
    desk.watch(tenant, case);
    for key in [
        Key::Operations(case.to_owned()),
        Key::Custodians(case.to_owned()),
        Key::Searches(case.to_owned()),
    ] {
        desk.want(tenant, key, p, &name, fresh);
    }
}
