//! The demo tenant: everything generated from the seed, relative to now.

pub mod alerts;
pub mod entities;
pub mod extra;
pub mod json;
pub mod score;

use std::sync::OnceLock;

use crate::ediscovery;
use crate::odata::Collection;
use crate::state::{DEMO_USERS, TenantData, TenantInfo};
use crate::util::Rng;
use crate::{directory, securescore, submissions, threatintel};

/// How many alerts the second tenant gets, relative to the first (it is a smaller company).
pub const SECOND_TENANT_SHARE: usize = 4;

pub fn build(info: &TenantInfo, seed: u64, alert_count: usize, now_ms: i64) -> TenantData {
    let mut rng = Rng::new(
        seed ^ info
            .id
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64)),
    );
    let demo: Vec<(&str, &str, String)> = DEMO_USERS
        .iter()
        .map(|u| (u.given, u.surname, format!("{}@{}", u.local, info.domain)))
        .collect();
    let demo_refs: Vec<(&str, &str, &str)> =
        demo.iter().map(|(g, s, u)| (*g, *s, u.as_str())).collect();
    let e = entities::Entities::generate(&mut rng, &info.id, &info.domain, &info.short, &demo_refs);
    let generated = alerts::generate(&mut rng, &e, alert_count, now_ms);
    let incident_alerts = generated.incident_alerts;
    let alerts = Collection::from_recs(generated.alerts);
    let incidents = Collection::from_recs(generated.incidents);
    let (email, url, file) = extra::submissions(&mut rng, &e, now_ms);
    // The Secure Score history has its own generator (so `score_truth` needs no alerts); the
    // draws the old one took are still taken, so everything generated after it is unchanged.
    for _ in 0..264 {
        rng.f64();
    }
    let score = score::Model::new(
        seed,
        &info.id,
        info.id != crate::state::demo_tenants()[0].id,
        now_ms,
    );
    let people: Vec<String> = e.people.iter().map(|p| p.upn.clone()).collect();
    let profiles =
        Collection::from_values(score.profiles(&people, now_ms), &securescore::PROFILES_SPEC);
    let scores = score.render(&score::states(&profiles));
    let hosts = extra::hosts(&e, now_ms, &mut rng);
    TenantData {
        info: info.clone(),
        alerts,
        incidents,
        incident_alerts,
        truth: generated.truth,
        secure_scores: Collection::from_values(scores, &securescore::SCORES_SPEC),
        profiles,
        score,
        email_threats: Collection::from_values(email, &submissions::SPEC),
        url_threats: Collection::from_values(url, &submissions::SPEC),
        file_threats: Collection::from_values(file, &submissions::SPEC),
        articles: Collection::from_values(extra::articles(now_ms), &threatintel::ARTICLES_SPEC),
        intel_profiles: Collection::from_values(
            extra::intel_profiles(),
            &threatintel::PROFILES_SPEC,
        ),
        hosts,
        users: Collection::from_values(extra::users(&e), &directory::USERS_SPEC),
        devices: Collection::from_values(extra::devices(&e, now_ms), &directory::DEVICES_SPEC),
        cases: ediscovery::seed(&mut rng, &e, now_ms),
        entities: e,
        hunting: OnceLock::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::odata::Rec;

    /// The generator writes each record's text and filter keys itself instead of building a
    /// `Value`; both must be exactly what storing the record's JSON would give, and the text
    /// must be held at its exact size.
    #[test]
    fn seeded_records_are_what_their_json_gives() {
        let t = &crate::state::demo_tenants()[0];
        let d = super::build(t, 7, 600, 1_795_000_000_000);
        for (coll, spec) in [
            (&d.alerts, &crate::alerts::SPEC),
            (&d.incidents, &crate::incidents::SPEC),
        ] {
            assert!(!coll.is_empty());
            for r in &coll.items {
                let fresh = Rec::new(&r.value(), spec);
                assert_eq!(fresh.id, r.id);
                assert_eq!(fresh.body, r.body);
                assert_eq!(fresh.keys, r.keys, "{}", r.id);
                assert_eq!(r.body.capacity(), r.body.len());
            }
        }
    }
}
