//! Every alert of the signed-in tenants, as the correlation pages need them: read once and
//! kept for the tab's session, so that the entity pivot and the way back to the clusters do
//! not read the tenant again, with what changed since (triage anywhere in the app, the queue's
//! live refresh) kept beside it.

use std::cell::Cell;
use std::rc::Rc;

use vigil_core::correlate::Correlator;
use vigil_core::models::Alert;
use vigil_core::odata::Query;

use crate::auth::Auth;

/// Alerts per request while loading: Graph's largest page for alerts_v2, so a load of every
/// alert spends as little of the tenant's alert budget as it can.
const PAGE: u32 = 2000;

/// Every alert of the signed-in tenants, as read (a tenant that fails is named and the others
/// load), with what changed since.
#[derive(Clone)]
pub struct Read {
    pub alerts: Rc<Vec<Alert>>,
    /// Why a tenant's alerts, or a new read, are missing.
    pub problems: Vec<String>,
    /// Alerts changed since, the newest version of each (to apply after `alerts`).
    pub patches: Vec<Alert>,
    /// When it was read (ms since the epoch).
    pub at: f64,
    /// The engine `load` was asked to feed, once fed exactly `alerts` (for the first to take it).
    pub fed: Rc<Cell<Option<Correlator>>>,
}

/// The last read, kept for the tab's session so that the entity pivot and the way back to the
/// clusters do not read every alert again: at 100,000 alerts a read is 50 requests and seconds
/// of the tenant's budget.
struct Kept {
    /// The signed-in tenants it covers, and the users who read them.
    tenants: Vec<String>,
    read: Read,
}

thread_local! {
    static KEPT: std::cell::RefCell<Option<Kept>> = const { std::cell::RefCell::new(None) };
}

/// A kept read is read again after this long, or when the user asks.
const KEEP_MS: f64 = 15.0 * 60_000.0;

/// Every alert of the signed-in tenants: the kept read when it covers them and is recent
/// (unless `fresh`), else read now and kept. A new read that fails entirely leaves the kept
/// one in place and is given with it, as a problem.
///
/// `feed`, when given, takes each page of a new read as it arrives, so that correlating it
/// overlaps the wait for the next page instead of following the whole read; it comes back in
/// [`Read::fed`] when it took exactly the read's alerts (a new read in which no tenant failed).
pub async fn load(auth: Auth, fresh: bool, mut feed: Option<Correlator>) -> Result<Read, String> {
    let tenants = auth.data_tenants();
    // Who reads, too: another user signed in to the same tenant gets a read of their own.
    let key: Vec<String> = tenants
        .iter()
        .map(|(t, _)| t.clone())
        .chain(auth.accounts().into_iter().map(|a| a.username))
        .collect();
    let now = js_sys::Date::now();
    let kept = || {
        KEPT.with_borrow(|k| {
            k.as_ref()
                .filter(|k| k.tenants == key)
                .map(|k| k.read.clone())
        })
    };
    if let Some(read) = kept().filter(|r| !fresh && now - r.at < KEEP_MS) {
        return Ok(read);
    }
    let mut alerts = Vec::new();
    let mut problems = Vec::new();
    for (tenant, name) in &tenants {
        let Some(client) = auth.client_for_data(Some(tenant)) else {
            continue;
        };
        let mut each = |items: &[Alert]| {
            if let Some(engine) = &mut feed {
                engine.add(items);
            }
        };
        match client
            .list_alerts(&Query::new().top(PAGE))
            .collect_each(Some(&mut each))
            .await
        {
            Ok(mut list) => alerts.append(&mut list),
            Err(e) => {
                // The tenant's alerts are left out, so an engine fed some of them is not the
                // read's.
                feed = None;
                problems.push(if name.is_empty() {
                    auth.explain(&e)
                } else {
                    format!("{name}: {}", auth.explain(&e))
                });
            }
        }
    }
    if alerts.is_empty() && !problems.is_empty() {
        let why = problems.join(" ");
        return match kept() {
            Some(mut read) => {
                read.problems = vec![format!(
                    "reading again failed, so these are the alerts read before. {why}"
                )];
                Ok(read)
            }
            None => Err(why),
        };
    }
    let read = Read {
        alerts: Rc::new(alerts),
        problems,
        patches: Vec::new(),
        at: now,
        fed: Rc::default(),
    };
    KEPT.set(Some(Kept {
        tenants: key,
        // The engine goes with this answer only, not with the copy kept for later visits.
        read: Read {
            fed: Rc::default(),
            ..read.clone()
        },
    }));
    read.fed.set(feed);
    Ok(read)
}

/// Alerts changed since the read, as the service confirmed them or a refresh read them (from
/// any page): kept with the read they change, the newest version of each. A read past its time
/// is dropped instead: it will be read again anyway, and the queue's live refresh would
/// otherwise keep patching it, and holding its alerts, for the rest of the session.
pub fn keep_patches(changed: &[Alert]) {
    let now = js_sys::Date::now();
    KEPT.with_borrow_mut(|kept| {
        let Some(k) = kept else { return };
        if now - k.read.at >= KEEP_MS {
            *kept = None;
            return;
        }
        for a in changed {
            match k.read.patches.iter_mut().find(|p| p.id == a.id) {
                Some(p) => *p = a.clone(),
                None => k.read.patches.push(a.clone()),
            }
        }
    });
}
