//! Alert correlation: identifier merging and normalisation, the time window, hub suppression,
//! weights, tenants, incidents, the views' questions (pivot, membership, advice, case file),
//! and properties: clusters partition the alerts whatever the input order or page boundaries.

// Native tests: fixtures are built as JSON trees and sorted with the standard sort.
#![allow(clippy::disallowed_methods)]

use proptest::prelude::*;
use serde_json::{Value, json};
use vigil_core::correlate::{
    self, Correlator, EntityKind, IdKind, Settings, advice, case_json, case_markdown,
    naive_clusters, pairwise_precision_recall,
};
use vigil_core::models::*;

const T0: i64 = 1_790_000_000;

fn at(hours: i64) -> String {
    DateTime::from_unix(T0 + hours * 3600).to_rfc3339()
}

/// An alert at `hours` after T0 in tenant t1, from Defender for Endpoint; `extra` overrides.
fn alert(id: &str, hours: i64, evidence: Value, extra: Value) -> Alert {
    let mut v = json!({
        "id": id, "title": format!("Alert {id}"), "severity": "medium", "status": "new",
        "serviceSource": "microsoftDefenderForEndpoint", "tenantId": "t1",
        "createdDateTime": at(hours), "evidence": evidence,
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    serde_json::from_value(v).unwrap()
}

fn ev(kind: &str, body: Value) -> Value {
    let mut v = json!({"@odata.type": format!("#microsoft.graph.security.{kind}"), "roles": [], "verdict": "unknown"});
    for (k, x) in body.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

fn user(account: Value) -> Value {
    ev("userEvidence", json!({ "userAccount": account }))
}

fn device(mde: &str) -> Value {
    ev("deviceEvidence", json!({ "mdeDeviceId": mde }))
}

fn ip(addr: &str) -> Value {
    ev("ipEvidence", json!({ "ipAddress": addr }))
}

fn url(u: &str) -> Value {
    ev("urlEvidence", json!({ "url": u }))
}

fn sha256(n: u8) -> String {
    format!("{n:02x}").repeat(32)
}

fn file(n: u8) -> Value {
    ev(
        "fileEvidence",
        json!({ "fileDetails": { "sha256": sha256(n), "fileName": "x.exe" } }),
    )
}

/// A year's window, and a user or a device links on its own: the tests of identifiers,
/// names and weights link through one entity; corroboration has tests of its own.
fn wide() -> Settings {
    Settings {
        window_hours: 24 * 365,
        corroborate: false,
        ..Settings::default()
    }
}

fn run(settings: Settings, alerts: &[Alert]) -> Correlator {
    let mut c = Correlator::new(settings);
    c.add(alerts);
    c
}

fn groups(c: &Correlator) -> Vec<Vec<String>> {
    c.partition()
        .into_iter()
        .map(|s| s.into_iter().map(|i| i.0).collect())
        .collect()
}

fn g(v: &[&[&str]]) -> Vec<Vec<String>> {
    v.iter()
        .map(|s| s.iter().map(|i| i.to_string()).collect())
        .collect()
}

#[test]
fn identifiers_merge_across_kinds_into_one_entity() {
    let a = alert(
        "a",
        0,
        json!([user(json!({"userPrincipalName": "JDoe@Contoso.com"}))]),
        json!({}),
    );
    let b = alert(
        "b",
        1,
        json!([user(json!({"azureAdUserId": "{AAAA-1111}"}))]),
        json!({}),
    );
    // A mailbox carrying both the address and the object id says they are one person.
    let m = alert(
        "m",
        2,
        json!([ev(
            "mailboxEvidence",
            json!({"primaryAddress": "jdoe@contoso.com", "userAccount": {"azureAdUserId": "aaaa-1111"}})
        )]),
        json!({"serviceSource": "microsoftDefenderForOffice365"}),
    );
    assert_eq!(
        groups(&run(wide(), &[a.clone(), b.clone()])),
        g(&[&["a"], &["b"]])
    );
    let c = run(wide(), &[a, b, m]);
    assert_eq!(groups(&c), g(&[&["a", "b", "m"]]));
    let top = &c.clusters()[0];
    assert_eq!(top.reasons.len(), 1);
    assert_eq!(top.reasons[0].kind, EntityKind::User);
    assert_eq!(
        top.reasons[0].label, "jdoe@contoso.com",
        "a UPN labels before an object id"
    );
    assert_eq!(
        top.reasons[0].text(),
        "same user jdoe@contoso.com (3 alerts)"
    );
    assert_eq!(
        c.cluster_entities(&top.key)[0].identifiers,
        ["oid:aaaa-1111", "upn:jdoe@contoso.com"]
    );
    assert_eq!(c.cluster_entities(&top.key)[0].alerts, 3);
    assert!(c.cluster_entities(&AlertId::new("missing")).is_empty());
}

#[test]
fn file_hashes_link_files_and_process_images() {
    let f = alert(
        "f",
        0,
        json!([ev(
            "fileEvidence",
            json!({"fileDetails": {"sha1": "AB".repeat(20), "md5": "CD".repeat(16)}})
        )]),
        json!({}),
    );
    let p = alert(
        "p",
        1,
        json!([ev(
            "processEvidence",
            json!({"imageFile": {"sha1": "ab".repeat(20)}, "mdeDeviceId": "dev1"})
        )]),
        json!({}),
    );
    let d = alert(
        "d",
        2,
        json!([ev(
            "fileEvidence",
            json!({"fileDetails": {"md5": "cd".repeat(16)}})
        )]),
        json!({}),
    );
    let c = run(wide(), &[f, p, d]);
    assert_eq!(groups(&c), g(&[&["d", "f", "p"]]));
    assert_eq!(c.clusters()[0].reasons[0].kind, EntityKind::File);
}

#[test]
fn names_are_normalised_case_and_account_forms() {
    let a = alert(
        "a",
        0,
        json!([user(json!({"accountName": "CONTOSO\\JDoe"}))]),
        json!({}),
    );
    let b = alert(
        "b",
        1,
        json!([user(
            json!({"accountName": "jdoe", "domainName": "Contoso.COM"})
        )]),
        json!({}),
    );
    let c = alert(
        "c",
        2,
        json!([user(json!({"accountName": "JDOE@contoso.com"}))]),
        json!({}),
    );
    let d = alert(
        "d",
        3,
        json!([user(
            json!({"userPrincipalName": "jdoe@CONTOSO.com", "accountName": "jdoe", "domainName": "CONTOSO"})
        )]),
        json!({}),
    );
    // d carries both forms, so it joins the address (c) and the account (a, b).
    assert_eq!(
        groups(&run(wide(), &[a.clone(), b.clone(), c.clone()])),
        g(&[&["a", "b"], &["c"]])
    );
    assert_eq!(
        groups(&run(wide(), &[a, b, c, d])),
        g(&[&["a", "b", "c", "d"]])
    );
    assert_eq!(
        correlate::entity_key(IdKind::Account, "CONTOSO\\JDoe").as_deref(),
        Some("account:contoso\\jdoe")
    );
}

#[test]
fn urls_are_normalised_and_their_domains_link() {
    let a = alert(
        "a",
        0,
        json!([url("HTTPS://Evil.Example:443/Login?x=1#top")]),
        json!({}),
    );
    let b = alert(
        "b",
        1,
        json!([url("https://evil.example/Login?x=1")]),
        json!({}),
    );
    let c = alert(
        "c",
        2,
        json!([url("hxxp://www[.]evil[.]example/other")]),
        json!({}),
    );
    let d = alert(
        "d",
        3,
        json!([url("https://evil.example/login?x=1")]),
        json!({"tenantId": "t2"}),
    );
    let cor = run(wide(), &[a, b, c, d]);
    assert_eq!(groups(&cor), g(&[&["a", "b", "c"], &["d"]]));
    let top = cor.cluster(&AlertId::new("a")).unwrap();
    let kinds: Vec<_> = top
        .reasons
        .iter()
        .map(|r| (r.kind, r.label.as_str(), r.alerts))
        .collect();
    assert!(
        kinds.contains(&(EntityKind::Url, "https://evil.example/Login?x=1", 2)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(EntityKind::Domain, "evil.example", 3)),
        "{kinds:?}"
    );
}

#[test]
fn the_window_links_time_neighbours_only() {
    let mk = |id: &str, h: i64| alert(id, h, json!([file(1)]), json!({}));
    let alerts = [mk("a", 0), mk("b", 3), mk("c", 6), mk("d", 20)];
    let narrow = Settings {
        window_hours: 4,
        ..Settings::default()
    };
    // a-b and b-c are within 4 hours: a chain; d is 14 hours after c.
    assert_eq!(
        groups(&run(narrow, &alerts)),
        g(&[&["a", "b", "c"], &["d"]])
    );
    let tight = Settings {
        window_hours: 2,
        ..Settings::default()
    };
    assert_eq!(
        groups(&run(tight, &alerts)),
        g(&[&["a"], &["b"], &["c"], &["d"]])
    );
    let none = Settings {
        window_hours: 0,
        ..Settings::default()
    };
    assert_eq!(groups(&run(none, &alerts)), g(&[&["a", "b", "c", "d"]]));
}

#[test]
fn alerts_without_a_time_link_to_each_other_only() {
    let timeless = |id: &str| {
        let mut a = alert(id, 0, json!([file(1)]), json!({}));
        a.created_date_time = None;
        a
    };
    let alerts = [
        timeless("x"),
        alert("a", 0, json!([file(1)]), json!({})),
        timeless("y"),
        alert("b", 1, json!([file(1)]), json!({})),
    ];
    let narrow = Settings {
        window_hours: 4,
        ..Settings::default()
    };
    assert_eq!(
        groups(&run(narrow, &alerts)),
        g(&[&["a", "b"], &["x", "y"]])
    );
    let none = Settings {
        window_hours: 0,
        ..Settings::default()
    };
    assert_eq!(groups(&run(none, &alerts)), g(&[&["a", "b"], &["x", "y"]]));
}

#[test]
fn a_user_or_a_device_alone_links_nothing() {
    let upn = |u: &str| user(json!({ "userPrincipalName": u }));
    let alerts = [
        alert(
            "a",
            0,
            json!([upn("jdoe@contoso.com"), device("d1")]),
            json!({}),
        ),
        // The same person an hour later, on another machine: nothing else in common.
        alert(
            "b",
            1,
            json!([upn("jdoe@contoso.com"), device("d2")]),
            json!({}),
        ),
        // The same person on the same machine: two entities agree.
        alert(
            "c",
            2,
            json!([upn("jdoe@contoso.com"), device("d1")]),
            json!({}),
        ),
        // Both again, but 20 hours later: past the 12 hours a person links within.
        alert(
            "d",
            22,
            json!([upn("jdoe@contoso.com"), device("d1")]),
            json!({}),
        ),
        // An indicator links alone, within the 72-hour window.
        alert(
            "e",
            40,
            json!([file(7), upn("other@contoso.com")]),
            json!({}),
        ),
        alert("f", 100, json!([file(7)]), json!({})),
    ];
    let c = run(Settings::default(), &alerts);
    assert_eq!(groups(&c), g(&[&["a", "c"], &["b"], &["d"], &["e", "f"]]));
    let kinds: Vec<EntityKind> = c
        .cluster(&AlertId::new("a"))
        .unwrap()
        .reasons
        .iter()
        .map(|r| r.kind)
        .collect();
    assert!(
        kinds.contains(&EntityKind::User) && kinds.contains(&EntityKind::Device),
        "{kinds:?}"
    );
    // Without corroboration, the user chains a to d (each within the window of the next).
    let lone = Settings {
        corroborate: false,
        ..Settings::default()
    };
    assert_eq!(
        groups(&run(lone, &alerts)),
        g(&[&["a", "b", "c", "d"], &["e", "f"]])
    );
    // A hub does not corroborate: with d1 in most alerts, a and c share only the user.
    let many: Vec<Alert> = (0..30)
        .map(|i| {
            alert(
                &format!("n{i:02}"),
                200 + i,
                json!([device("d1")]),
                json!({}),
            )
        })
        .chain(alerts.iter().cloned())
        .collect();
    let hubbed = run(Settings::default(), &many);
    assert!(hubbed.hubs().iter().any(|h| h.entity.key == "mdedevice:d1"));
    assert_ne!(hubbed.cluster(&AlertId::new("a")).unwrap().alerts.len(), 2);
}

#[test]
fn clean_infrastructure_is_shown_but_links_nothing() {
    let clean = |addr: &str, roles: Value| {
        ev(
            "ipEvidence",
            json!({ "ipAddress": addr, "verdict": "noThreatsFound", "roles": roles }),
        )
    };
    let alerts = [
        // The proxy every sign-in passes through, found clean and only context.
        alert(
            "a",
            0,
            json!([clean("10.1.1.1", json!(["contextual"]))]),
            json!({}),
        ),
        alert(
            "b",
            1,
            json!([clean("10.1.1.1", json!(["scanned"]))]),
            json!({}),
        ),
        // Found clean, but in the attacker's role: it links (with d, which names it plainly).
        alert(
            "c",
            2,
            json!([clean("203.0.113.9", json!(["attacker"]))]),
            json!({}),
        ),
        alert("d", 3, json!([ip("203.0.113.9")]), json!({})),
    ];
    let c = run(Settings::default(), &alerts);
    assert_eq!(groups(&c), g(&[&["a"], &["b"], &["c", "d"]]));
    // The pivot still lists both alerts of the proxy, and plain components join them.
    assert_eq!(c.alerts_with("ip:10.1.1.1").len(), 2);
    assert_eq!(
        naive_clusters(&alerts).len(),
        2,
        "the naive baseline links context too"
    );
    // However many alerts name it, context is no hub: putting it back would change nothing.
    let proxy: Vec<Alert> = (0..30)
        .map(|i| {
            alert(
                &format!("p{i:02}"),
                i,
                json!([clean("10.1.1.1", json!(["contextual"]))]),
                json!({}),
            )
        })
        .collect();
    assert!(run(Settings::default(), &proxy).hubs().is_empty());
    let plain: Vec<Alert> = (0..30)
        .map(|i| alert(&format!("p{i:02}"), i, json!([ip("10.1.1.1")]), json!({})))
        .collect();
    assert_eq!(run(Settings::default(), &plain).hubs().len(), 1);
    let with_context = Settings {
        min_link_weight: 0,
        ..Settings::default()
    };
    assert_eq!(
        groups(&run(with_context, &alerts)),
        g(&[&["a", "b"], &["c", "d"]])
    );
}

#[test]
fn an_entity_is_a_reason_in_each_cluster_it_links() {
    // One IP behind two bursts a month apart: two clusters, each saying why.
    let alerts = [
        alert("a", 0, json!([ip("198.51.100.7")]), json!({})),
        alert("b", 1, json!([ip("198.51.100.7")]), json!({})),
        alert("c", 720, json!([ip("198.51.100.7")]), json!({})),
        alert("d", 721, json!([ip("198.51.100.7")]), json!({})),
        alert("e", 722, json!([ip("198.51.100.7")]), json!({})),
    ];
    let c = run(Settings::default(), &alerts);
    assert_eq!(groups(&c), g(&[&["a", "b"], &["c", "d", "e"]]));
    for (id, n) in [("a", 2), ("c", 3)] {
        let reasons = c.cluster(&AlertId::new(id)).unwrap().reasons;
        assert_eq!(reasons.len(), 1, "{id}: {reasons:?}");
        assert_eq!(reasons[0].alerts, n, "{id}");
    }
}

#[test]
fn one_shared_indicator_in_a_burst_ranks_above_a_chain() {
    let p = |s: &str| json!({ "serviceSource": s, "severity": "high" });
    // An attack: three providers within hours, all through one IP.
    let burst = [
        alert(
            "b1",
            100,
            json!([ip("203.0.113.1")]),
            p("microsoftDefenderForEndpoint"),
        ),
        alert(
            "b2",
            102,
            json!([ip("203.0.113.1")]),
            p("microsoftDefenderForIdentity"),
        ),
        alert(
            "b3",
            104,
            json!([ip("203.0.113.1")]),
            p("microsoftDefenderForOffice365"),
        ),
    ];
    // As many alerts and providers, chained over five days through a new IP at each step.
    let chain = [
        alert(
            "c1",
            0,
            json!([ip("198.51.100.1")]),
            p("microsoftDefenderForEndpoint"),
        ),
        alert(
            "c2",
            60,
            json!([ip("198.51.100.1"), ip("198.51.100.2")]),
            p("microsoftDefenderForIdentity"),
        ),
        alert(
            "c3",
            120,
            json!([ip("198.51.100.2")]),
            p("microsoftDefenderForOffice365"),
        ),
    ];
    let all: Vec<Alert> = burst.iter().chain(chain.iter()).cloned().collect();
    let ranked = run(Settings::default(), &all).clusters();
    assert_eq!(ranked.len(), 2);
    assert_eq!(ranked[0].alerts[0].id.as_str(), "b1", "{ranked:?}");
    assert!(ranked[0].score > ranked[1].score);
}

/// 30 alerts from a scanner IP, two of them also sharing a file.
fn scanner() -> Vec<Alert> {
    (0..30)
        .map(|i| {
            let mut e = vec![ip("203.0.113.9")];
            if i < 2 {
                e.push(file(7));
            }
            alert(&format!("s{i:02}"), i, Value::Array(e), json!({}))
        })
        .collect()
}

#[test]
fn hubs_are_suppressed_listed_and_can_be_put_back() {
    let settings = Settings {
        hub_percent: 50,
        hub_min_alerts: 5,
        ..wide()
    };
    let mut c = run(settings, &scanner());
    let hubs = c.hubs();
    assert_eq!(hubs.len(), 1);
    assert_eq!(hubs[0].entity.key, "ip:203.0.113.9");
    assert_eq!(
        (hubs[0].alerts, hubs[0].tenant_alerts, hubs[0].percent()),
        (30, 30, 100)
    );
    assert!(!hubs[0].included);
    let p = c.partition();
    assert_eq!(p.len(), 29, "only the file joins two alerts");
    assert_eq!(c.cluster_of(&AlertId::new("s00")).unwrap().alerts, 2);
    let top = c.cluster(&AlertId::new("s00")).unwrap();
    assert!(
        c.cluster_entities(&top.key)
            .iter()
            .any(|e| e.hub && e.kind == EntityKind::Ip)
    );
    c.include_hub("ip:203.0.113.9");
    assert_eq!(c.partition().len(), 1);
    assert!(c.hubs()[0].included);
    c.exclude_hub("ip:203.0.113.9");
    assert_eq!(c.partition().len(), 29);
    // Under the floor of alerts, nothing is a hub.
    let floor = run(
        Settings {
            hub_percent: 50,
            hub_min_alerts: 31,
            ..wide()
        },
        &scanner(),
    );
    assert!(floor.hubs().is_empty());
}

#[test]
fn roles_and_verdicts_weigh_links() {
    let strong = json!({"roles": ["compromised"], "verdict": "malicious", "userAccount": {"userPrincipalName": "ceo@contoso.com"}});
    let weak =
        json!({"roles": ["contextual"], "userAccount": {"userPrincipalName": "ceo@contoso.com"}});
    let a = alert(
        "a",
        0,
        json!([ev("userEvidence", strong.clone())]),
        json!({}),
    );
    let b = alert("b", 1, json!([ev("userEvidence", strong)]), json!({}));
    let w = alert("w", 2, json!([ev("userEvidence", weak)]), json!({}));
    let all = run(wide(), &[a.clone(), b.clone(), w.clone()]);
    assert_eq!(groups(&all), g(&[&["a", "b", "w"]]));
    assert_eq!(
        all.clusters()[0].reasons[0].weight,
        12,
        "compromised 4 x malicious 3"
    );
    let strict = run(
        Settings {
            min_link_weight: 2,
            ..wide()
        },
        &[a.clone(), b, w.clone()],
    );
    assert_eq!(groups(&strict), g(&[&["a", "b"], &["w"]]));
    // A contextual-only pair links weakly and ranks below the compromised pair.
    let w2 = alert(
        "w2",
        3,
        json!([ev(
            "userEvidence",
            json!({"roles": ["contextual"], "userAccount": {"userPrincipalName": "ceo@contoso.com"}})
        )]),
        json!({"tenantId": "t2"}),
    );
    let w3 = alert(
        "w3",
        3,
        json!([ev(
            "userEvidence",
            json!({"userAccount": {"userPrincipalName": "ceo@contoso.com"}})
        )]),
        json!({"tenantId": "t2"}),
    );
    let mixed = run(
        wide(),
        &[
            a,
            alert(
                "b",
                1,
                json!([ev(
                    "userEvidence",
                    json!({"roles": ["attacker"], "verdict": "malicious", "userAccount": {"userPrincipalName": "ceo@contoso.com"}})
                )]),
                json!({}),
            ),
            w2,
            w3,
        ],
    );
    let cl = mixed.clusters();
    assert_eq!(cl[0].key.as_str(), "a");
    assert_eq!(cl[1].reasons[0].weight, 1);
    assert!(cl[0].score > cl[1].score);
}

#[test]
fn tenants_never_share_a_cluster() {
    let a = alert("a", 0, json!([device("dev1")]), json!({}));
    let b = alert("b", 1, json!([device("DEV1")]), json!({"tenantId": "t2"}));
    let c = run(wide(), &[a, b]);
    assert_eq!(groups(&c), g(&[&["a"], &["b"]]));
    assert_eq!(
        c.alerts_with("mdedevice:Dev1"),
        [AlertId::new("a"), AlertId::new("b")]
    );
}

#[test]
fn a_cluster_joining_incidents_says_so() {
    let mk = |id: &str, h: i64, inc: &str, src: &str, sev: &str| {
        alert(
            id,
            h,
            json!([device("dev9")]),
            json!({"incidentId": inc, "serviceSource": src, "severity": sev}),
        )
    };
    let c = run(
        wide(),
        &[
            mk("a", 0, "1", "microsoftDefenderForEndpoint", "low"),
            mk("b", 1, "2", "microsoftDefenderForIdentity", "high"),
            mk("c", 2, "3", "microsoftDefenderForCloudApps", "medium"),
            mk("d", 3, "3", "microsoftDefenderForEndpoint", "low"),
        ],
    );
    let cl = &c.clusters()[0];
    assert_eq!(cl.incidents, ["1", "2", "3"]);
    assert!(cl.joins_incidents());
    assert_eq!(
        cl.incidents_sentence().as_deref(),
        Some("These 3 incidents look like one attack")
    );
    assert_eq!(cl.summary(), "4 alerts across 3 providers");
    assert_eq!(cl.severity, Some(AlertSeverity::High));
    assert_eq!(cl.status.open(), 4);
    let m = c.cluster_of(&AlertId::new("d")).unwrap();
    assert_eq!(
        m.summary().as_deref(),
        Some("part of a 4-alert cluster across 3 providers")
    );
    assert_eq!(m.key.as_str(), "a");
    assert_eq!(c.alerts_with("mdedevice:dev9").len(), 4);
}

#[test]
fn ranking_puts_cross_provider_high_severity_recent_open_first() {
    let lone = alert(
        "z",
        0,
        json!([]),
        json!({"severity": "low", "status": "resolved"}),
    );
    let old_pair = [
        alert(
            "o1",
            0,
            json!([device("d1")]),
            json!({"severity": "low", "status": "resolved"}),
        ),
        alert(
            "o2",
            1,
            json!([device("d1")]),
            json!({"severity": "low", "status": "resolved"}),
        ),
    ];
    let hot = [
        alert("h1", 99, json!([device("d2")]), json!({"severity": "high"})),
        alert(
            "h2",
            100,
            json!([device("d2")]),
            json!({"serviceSource": "microsoftDefenderForIdentity"}),
        ),
    ];
    let mut all = vec![lone];
    all.extend(old_pair);
    all.extend(hot);
    let keys: Vec<String> = run(wide(), &all)
        .clusters()
        .into_iter()
        .map(|c| c.key.0)
        .collect();
    assert_eq!(keys, ["h1", "o1", "z"]);
}

#[test]
fn a_live_refresh_delta_replaces_the_known_version() {
    let a = alert("a", 0, json!([device("dev1")]), json!({}));
    let b_old = alert("b", 1, json!([device("dev1")]), json!({}));
    let b_new = alert(
        "b",
        1,
        json!([device("dev2")]),
        json!({"status": "resolved"}),
    );
    let mut c = run(wide(), &[a.clone(), b_old.clone()]);
    assert_eq!(groups(&c), g(&[&["a", "b"]]));
    c.add(std::slice::from_ref(&b_new));
    assert_eq!(groups(&c), g(&[&["a"], &["b"]]));
    assert_eq!(
        c.clusters(),
        run(wide(), &[a.clone(), b_new.clone()]).clusters()
    );
    // Many deltas: the identifiers of replaced versions are dropped along the way, and what
    // is left is the current versions' alone.
    for _ in 0..5 {
        c.add(&[b_old.clone(), a.clone()]);
        c.add(std::slice::from_ref(&b_new));
    }
    assert_eq!(c.clusters(), run(wide(), &[a, b_new]).clusters());
    assert!(c.remove(&AlertId::new("b")));
    assert_eq!(c.len(), 1);
}

#[test]
fn advice_counts_earlier_verdicts_on_the_same_detection_and_entity() {
    let now = DateTime::from_unix(T0 + 39 * 86_400);
    let mut history = Vec::new();
    for i in 0..10 {
        let class = if i == 9 {
            "truePositive"
        } else {
            "falsePositive"
        };
        history.push(alert(
            &format!("old{i}"),
            24 * i,
            json!([user(json!({"userPrincipalName": "svc@contoso.com"}))]),
            json!({"title": "Impossible travel", "status": "resolved", "classification": class,
                   "resolvedDateTime": DateTime::from_unix(T0 + (19 + i) * 86_400).to_rfc3339()}),
        ));
    }
    // Same title, other user: not like it. Same user, other detection: not like it.
    history.push(alert("other", 5, json!([user(json!({"userPrincipalName": "bob@contoso.com"}))]), json!({"title": "Impossible travel", "status": "resolved", "classification": "truePositive"})));
    history.push(alert(
        "diff",
        5,
        json!([user(json!({"userPrincipalName": "svc@contoso.com"}))]),
        json!({"title": "Mass download", "status": "resolved", "classification": "truePositive"}),
    ));
    history.push(alert(
        "now",
        960,
        json!([user(json!({"userPrincipalName": "SVC@contoso.com"}))]),
        json!({"title": "impossible travel "}),
    ));
    let a = advice(&history, &[AlertId::new("now")], now);
    assert_eq!((a.similar, a.closed), (10, 10));
    assert_eq!(
        a.sentence().as_deref(),
        Some("9 of 10 closed as false positive, last 12 days ago")
    );
    // By detector id as well.
    let by_detector = advice(
        &[
            alert(
                "x",
                0,
                json!([device("d")]),
                json!({"detectorId": "rule-7", "title": "A", "status": "resolved", "classification": "truePositive", "resolvedDateTime": at(1)}),
            ),
            alert(
                "y",
                2,
                json!([device("d")]),
                json!({"detectorId": "rule-7", "title": "B"}),
            ),
        ],
        &[AlertId::new("y")],
        DateTime::from_unix(T0 + 3600),
    );
    assert_eq!(
        by_detector.sentence().as_deref(),
        Some("1 of 1 closed as true positive, last today")
    );
}

#[test]
fn the_case_file_escapes_api_strings() {
    let evil = "x | y [click](https://evil.example) <b>\n# h";
    let c = run(
        wide(),
        &[
            alert(
                "a",
                0,
                json!([user(json!({"userPrincipalName": "a|b@contoso.com"}))]),
                json!({"title": evil}),
            ),
            alert(
                "b",
                1,
                json!([user(json!({"userPrincipalName": "a|b@contoso.com"}))]),
                json!({}),
            ),
        ],
    );
    let cl = &c.clusters()[0];
    let entities = c.cluster_entities(&cl.key);
    let md = case_markdown(cl, &entities);
    assert!(
        md.contains("x \\| y \\[click\\]\\(https\\://evil.example\\) &lt;b&gt; \\# h"),
        "{md}"
    );
    assert!(
        md.contains("| same user | a\\|b@contoso.com | 2 | 1 |"),
        "{md}"
    );
    for line in md.lines().filter(|l| l.starts_with('|')) {
        let unescaped = line.replace("\\|", "");
        let cells = unescaped.matches('|').count();
        assert!(
            cells == 5 || cells == 8 || cells == 7,
            "a cell was broken: {line}"
        );
    }
    let j = case_json(cl, &entities);
    assert_eq!(j["timeline"][0]["title"], evil);
    assert_eq!(j["reasons"][0]["reason"], "same user");
    assert_eq!(j["entities"][0]["key"], "upn:a|b@contoso.com");
}

#[test]
fn the_engine_beats_the_naive_baseline_where_hubs_and_time_matter() {
    // Truth: s00+s01 (the file) are one attack; every other scanner alert stands alone.
    let alerts = scanner();
    let mut truth: Vec<Vec<AlertId>> = vec![vec![AlertId::new("s00"), AlertId::new("s01")]];
    truth.extend((2..30).map(|i| vec![AlertId::new(format!("s{i:02}"))]));
    let naive = pairwise_precision_recall(&naive_clusters(&alerts), &truth);
    let settings = Settings {
        hub_percent: 50,
        hub_min_alerts: 5,
        ..wide()
    };
    let engine = pairwise_precision_recall(&run(settings, &alerts).partition(), &truth);
    assert_eq!(naive.recall_permille(), 1000);
    assert!(naive.precision_permille() < 10);
    assert_eq!(
        (engine.precision_permille(), engine.recall_permille()),
        (1000, 1000)
    );
}

// ----- properties -----

/// Small random alerts over small identifier pools, so that links, hubs and merges happen.
fn arb_alert(i: usize) -> impl Strategy<Value = Alert> {
    let evidence = prop_oneof![
        (0u8..6, any::<bool>()).prop_map(|(u, upper)| {
            let upn = format!("user{u}@contoso.com");
            user(json!({"userPrincipalName": if upper { upn.to_uppercase() } else { upn }}))
        }),
        (0u8..6).prop_map(|u| user(json!({"azureAdUserId": format!("oid-{u}"), "userPrincipalName": format!("user{}@contoso.com", u / 2)}))),
        (0u8..4).prop_map(|d| device(&format!("dev{d}"))),
        (0u8..4).prop_map(|f| ev("fileEvidence", json!({"roles": ["attacker"], "verdict": "malicious", "fileDetails": {"sha256": sha256(f)}}))),
        (0u8..3).prop_map(|n| ip(&format!("10.0.0.{n}"))),
        (0u8..3).prop_map(|n| url(&format!("https://site{n}.example/p"))),
    ];
    (
        prop::collection::vec(evidence, 0..4),
        0i64..200,
        0u8..2,
        0u8..3,
    )
        .prop_map(move |(e, h, tenant, src)| {
            let src = ["microsoftDefenderForEndpoint", "microsoftDefenderForIdentity", "microsoftDefenderForOffice365"][src as usize];
            alert(&format!("a{i:03}"), h, Value::Array(e), json!({"tenantId": format!("t{tenant}"), "serviceSource": src, "incidentId": format!("{}", i % 5)}))
        })
}

fn arb_alerts() -> impl Strategy<Value = Vec<Alert>> {
    (1usize..40).prop_flat_map(|n| (0..n).map(arb_alert).collect::<Vec<_>>())
}

fn arb_settings() -> impl Strategy<Value = Settings> {
    (
        0u32..100,
        prop_oneof![Just(0u32), 10u32..60],
        1u32..6,
        1u32..4,
        any::<bool>(),
        0u32..30,
    )
        .prop_map(|(w, hub, min, link, corroborate, near)| Settings {
            window_hours: w,
            hub_percent: hub,
            hub_min_alerts: min,
            min_link_weight: link,
            included_hubs: vec!["ip:10.0.0.1".into()],
            corroborate,
            person_window_hours: near,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn clusters_partition_the_alerts(alerts in arb_alerts(), s in arb_settings()) {
        let c = run(s, &alerts);
        let mut seen: Vec<String> = c.clusters().iter().flat_map(|cl| cl.alerts.iter().map(|a| a.id.0.clone())).collect();
        seen.sort();
        let mut all: Vec<String> = alerts.iter().map(|a| a.id.0.clone()).collect();
        all.sort();
        prop_assert_eq!(seen, all);
        for cl in c.clusters() {
            prop_assert!(cl.alerts.iter().all(|a| a.tenant_id == cl.tenant_id), "one tenant per cluster");
        }
    }

    #[test]
    fn clusters_do_not_depend_on_input_order(alerts in arb_alerts(), s in arb_settings(), seed in any::<u64>()) {
        let mut shuffled = alerts.clone();
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(run(s.clone(), &alerts).clusters(), run(s.clone(), &shuffled).clusters());
        prop_assert_eq!(run(s.clone(), &alerts).hubs(), run(s, &shuffled).hubs());
    }

    #[test]
    fn pages_and_deltas_give_the_same_clusters(alerts in arb_alerts(), s in arb_settings(), page in 1usize..7, stale in prop::collection::vec(any::<bool>(), 40)) {
        let mut c = Correlator::new(s.clone());
        // Some alerts first arrive in an older version (other evidence, other status), then
        // again as a live-refresh delta.
        let older: Vec<Alert> = alerts.iter().zip(&stale).filter(|(_, s)| **s).map(|(a, _)| {
            let mut o = a.clone();
            o.evidence.reverse();
            o.evidence.truncate(1);
            o.evidence.push(serde_json::from_value(device("stale")).unwrap());
            o.status = Some(AlertStatus::InProgress);
            o
        }).collect();
        c.add(&older);
        let _ = c.clusters();
        for chunk in alerts.chunks(page) {
            c.add(chunk);
            let _ = c.partition();
        }
        prop_assert_eq!(c.clusters(), run(s, &alerts).clusters());
    }

    #[test]
    fn a_settings_change_relinks_as_a_fresh_pass_would(alerts in arb_alerts(), before in arb_settings(), after in arb_settings(), put_back in any::<bool>()) {
        // The engine keeps the alerts' entities and lists across a settings change and
        // redoes only the links: the result must be a fresh pass's.
        let mut c = run(before, &alerts);
        let _ = (c.clusters(), c.hubs());
        c.set_settings(after.clone());
        let mut fresh = after;
        if put_back {
            let _ = c.clusters();
            c.include_hub("ip:10.0.0.2");
            fresh.included_hubs.push("ip:10.0.0.2".into());
        }
        prop_assert_eq!(c.clusters(), run(fresh.clone(), &alerts).clusters());
        prop_assert_eq!(c.hubs(), run(fresh.clone(), &alerts).hubs());
        c.exclude_hub("ip:10.0.0.1");
        fresh.included_hubs.retain(|k| k != "ip:10.0.0.1");
        prop_assert_eq!(c.clusters(), run(fresh, &alerts).clusters());
    }

    #[test]
    fn naive_settings_match_the_naive_baseline(alerts in arb_alerts()) {
        prop_assert_eq!(run(Settings::naive(), &alerts).partition(), naive_clusters(&alerts));
    }
}

#[test]
fn the_engine_answers_the_views_alert_entities_entity_info_and_advice() {
    let mut alerts = Vec::new();
    for i in 0..10 {
        let class = if i == 9 {
            "truePositive"
        } else {
            "falsePositive"
        };
        alerts.push(alert(
            &format!("old{i}"),
            24 * i,
            json!([user(
                json!({"userPrincipalName": "svc@contoso.com", "azureAdUserId": "0b1"})
            )]),
            json!({"title": "Impossible travel", "status": "resolved", "classification": class,
                   "resolvedDateTime": DateTime::from_unix(T0 + (19 + i) * 86_400).to_rfc3339()}),
        ));
    }
    // Same title, other user; same user, other detection; an open look-alike (similar, not
    // closed).
    alerts.push(alert("other", 5, json!([user(json!({"userPrincipalName": "bob@contoso.com"}))]), json!({"title": "Impossible travel", "status": "resolved", "classification": "truePositive"})));
    alerts.push(alert(
        "diff",
        5,
        json!([user(json!({"userPrincipalName": "svc@contoso.com"}))]),
        json!({"title": "Mass download", "status": "resolved", "classification": "truePositive"}),
    ));
    alerts.push(alert(
        "open",
        6,
        json!([user(json!({"azureAdUserId": "0B1"}))]),
        json!({"title": "Impossible travel"}),
    ));
    alerts.push(alert(
        "now",
        960,
        json!([
            user(json!({"userPrincipalName": "SVC@contoso.com"})),
            device("mde-9")
        ]),
        json!({"title": "impossible travel "}),
    ));
    let c = run(wide(), &alerts);
    let now = DateTime::from_unix(T0 + 39 * 86_400);
    let a = c.advice(&[AlertId::new("now")], now);
    assert_eq!((a.similar, a.closed), (11, 10));
    assert_eq!(
        a.sentence().as_deref(),
        Some("9 of 10 closed as false positive, last 12 days ago")
    );
    assert_eq!(
        a.classification(),
        Some(&AlertClassification::FalsePositive)
    );
    // A whole set as subject leaves its own members out.
    let own = c.advice(&[AlertId::new("now"), AlertId::new("old0")], now);
    assert_eq!(own.similar, 10);
    // Nothing like it: no advice, nothing to apply.
    let none = c.advice(&[AlertId::new("diff")], now);
    assert_eq!(none.sentence(), None);
    assert_eq!(none.same_way(), None);

    let ents = c.alert_entities(&AlertId::new("now"));
    let keys: Vec<&str> = ents.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.contains(&"upn:svc@contoso.com"), "{keys:?}");
    assert!(keys.contains(&"mdedevice:mde-9"), "{keys:?}");
    let svc = ents.iter().find(|e| e.kind == EntityKind::User).unwrap();
    assert_eq!(
        svc.alerts, 13,
        "every alert naming the user, by UPN or object id"
    );
    assert!(c.alert_entities(&AlertId::new("missing")).is_empty());

    let found = c.entity("oid:0b1");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0.as_deref(), Some("t1"));
    assert_eq!(found[0].1.key, "upn:svc@contoso.com");
    assert!(found[0].1.identifiers.contains(&"oid:0b1".to_owned()));
    assert!(c.entity("upn:nobody@contoso.com").is_empty());

    let info = c.info(&AlertId::new("open")).unwrap();
    assert_eq!(info.title, "Impossible travel");
    assert_eq!(c.info(&AlertId::new("missing")), None);
}
