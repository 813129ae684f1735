//! Every alert of the signed-in tenants, as the correlation pages need them: read once and
//! kept for the tab's session, so that the entity pivot and the way back to the clusters do
//! not read the tenant again, with what changed since (triage anywhere in the app, the queue's
//! live refresh) kept beside it.

use std::rc::Rc;

use vigil_core::models::Alert;
use vigil_core::odata::Query;

use crate::auth::Auth;

/// Alerts per request while loading: Graph's largest page for alerts_v2, so a load of every
/// alert spends as little of the tenant's alert budget as it can.
const PAGE: u32 = 2000;

/// Every alert of every signed-in tenant (a tenant that fails is named and the others load),
/// and the problems of those that failed.
pub type Loaded = (Vec<Alert>, Vec<String>);

/// The last load, kept for the tab's session so that the entity pivot and the way back to the
/// clusters do not read every alert again: at 100,000 alerts a load is 50 requests and
/// seconds of the tenant's budget.
struct Kept {
    /// The signed-in tenants it covers.
    tenants: Vec<String>,
    /// When it was read (ms since the epoch).
    at: f64,
    data: Rc<Loaded>,
    /// Alerts changed since, the newest version of each.
    patches: Vec<Alert>,
}

thread_local! {
    static KEPT: std::cell::RefCell<Option<Kept>> = const { std::cell::RefCell::new(None) };
}

/// A kept load is read again after this long, or when the user asks.
const KEEP_MS: f64 = 15.0 * 60_000.0;

/// Every alert of the signed-in tenants: the kept load when it covers them and is recent
/// (unless `fresh`), else read now and kept. With the alerts changed here since.
pub async fn load(auth: Auth, fresh: bool) -> Result<(Rc<Loaded>, Vec<Alert>, f64), String> {
    let tenants = auth.data_tenants();
    let key: Vec<String> = tenants.iter().map(|(t, _)| t.clone()).collect();
    let now = js_sys::Date::now();
    let kept = KEPT.with_borrow(|k| {
        k.as_ref()
            .filter(|k| !fresh && k.tenants == key && now - k.at < KEEP_MS)
            .map(|k| (k.data.clone(), k.patches.clone(), k.at))
    });
    if let Some(kept) = kept {
        return Ok(kept);
    }
    let mut alerts = Vec::new();
    let mut problems = Vec::new();
    for (tenant, name) in tenants {
        let Some(client) = auth.client_for_data(Some(&tenant)) else {
            continue;
        };
        match client
            .list_alerts(&Query::new().top(PAGE))
            .collect_all()
            .await
        {
            Ok(mut list) => alerts.append(&mut list),
            Err(e) if name.is_empty() => problems.push(auth.explain(&e)),
            Err(e) => problems.push(format!("{name}: {}", auth.explain(&e))),
        }
    }
    if alerts.is_empty() && !problems.is_empty() {
        return Err(problems.join(" "));
    }
    let data = Rc::new((alerts, problems));
    KEPT.set(Some(Kept {
        tenants: key,
        at: now,
        data: data.clone(),
        patches: Vec::new(),
    }));
    Ok((data, Vec::new(), now))
}

/// Alerts changed since the load, as the service confirmed them or a refresh read them (from
/// any page): kept with the load they change, the newest version of each.
pub fn keep_patches(changed: &[Alert]) {
    KEPT.with_borrow_mut(|k| {
        let Some(k) = k else { return };
        for a in changed {
            match k.patches.iter_mut().find(|p| p.id == a.id) {
                Some(p) => *p = a.clone(),
                None => k.patches.push(a.clone()),
            }
        }
    });
}
