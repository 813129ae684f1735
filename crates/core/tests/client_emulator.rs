//! The client over real HTTP against the emulator (native transport).
//!
//! Time runs scaled (1 ms real = 1 s virtual) so `Retry-After`, the 5-a-minute eDiscovery
//! budget and operation durations stay consistent while the tests take a moment.

mod common;

use std::collections::HashSet;
use std::rc::Rc;
use std::time::Duration;

use common::{Recorder, max_in_window};
use vigil_core::fields::alerts;
use vigil_core::models::*;
use vigil_core::native::NativeTransport;
use vigil_core::odata::Query;
use vigil_core::operations::PollOptions;
use vigil_core::{ErrorKind, GraphClient, StaticToken};
use vigil_emulator::{Budgets, FaultRule, Options, Running};

const ANALYST: &str = "alex.analyst@contoso.example";
const SCOPES: &[&str] = &[
    "SecurityAlert.ReadWrite.All",
    "SecurityIncident.ReadWrite.All",
    "SecurityEvents.ReadWrite.All",
    "eDiscovery.ReadWrite.All",
    "ThreatHunting.Read.All",
    "ThreatSubmission.ReadWrite",
];

async fn emulator(opts: Options) -> Running {
    vigil_emulator::start(Options { port: 0, ..opts })
        .await
        .expect("emulator starts")
}

fn client_for(emu: &Running, upn: &str) -> GraphClient<Recorder<NativeTransport>> {
    let tenant = emu.tenants()[0].id.clone();
    let token = emu.mint_access_token(&tenant, upn, SCOPES);
    let transport = Recorder::new(NativeTransport::with_time_scale(1000.0).with_seed(7));
    GraphClient::new(
        transport,
        emu.graph_url(),
        &tenant,
        Rc::new(StaticToken(token)),
    )
    .unwrap()
}

#[tokio::test]
async fn pages_ten_thousand_alerts_through_injected_429s_and_503s() {
    let fault = FaultRule {
        pattern: "/v1.0/security/alerts_v2*".into(),
        rate_429: 0.2,
        rate_503: 0.05,
        ..Default::default()
    };
    let t0 = std::time::Instant::now();
    let emu = emulator(Options {
        alerts: 10_000,
        faults: vec![fault],
        ..Default::default()
    })
    .await;
    eprintln!("emulator started in {:?}", t0.elapsed());
    let c = client_for(&emu, ANALYST);
    let mut pages = c.list_alerts(&Query::new().top(500).count(true));
    let mut ids = HashSet::new();
    let mut total = None;
    let mut last_loaded = 0;
    while let Some(page) = pages.next().await {
        let page = page.expect("page");
        assert!(page.loaded > last_loaded || page.items.is_empty());
        last_loaded = page.loaded;
        total = total.or(page.total);
        for a in page.items {
            assert!(ids.insert(a.id.0.clone()), "duplicate alert id {}", a.id);
        }
    }
    eprintln!("paged in {:?}", t0.elapsed());
    assert_eq!(total, Some(10_000), "@odata.count");
    assert_eq!(ids.len() as u64, total.unwrap(), "every alert exactly once");
    let log = c.transport().log.borrow();
    let throttled = log
        .iter()
        .filter(|(_, _, _, s)| *s == 429 || *s == 503)
        .count();
    assert!(
        throttled > 0,
        "the fault injection should have hit at least once in {} requests",
        log.len()
    );
    assert!(
        log.iter()
            .all(|(_, _, u, _)| u.starts_with(emu.graph_url()))
    );
}

#[tokio::test]
async fn filtered_listing_matches_the_filter() {
    let emu = emulator(Options {
        alerts: 300,
        ..Default::default()
    })
    .await;
    let c = client_for(&emu, ANALYST);
    let q = Query::new()
        .filter(
            alerts::SEVERITY
                .eq(&AlertSeverity::High)
                .and(alerts::STATUS.ne(&AlertStatus::Resolved)),
        )
        .top(50);
    let all = c.list_alerts(&q).collect_all().await.unwrap();
    assert!(!all.is_empty());
    assert!(all.iter().all(
        |a| a.severity == Some(AlertSeverity::High) && a.status != Some(AlertStatus::Resolved)
    ));
}

#[tokio::test]
async fn batch_triage_with_mixed_results() {
    let emu = emulator(Options {
        alerts: 100,
        ..Default::default()
    })
    .await;
    let c = client_for(&emu, ANALYST);
    let first = c
        .list_alerts(&Query::new().top(2))
        .next()
        .await
        .unwrap()
        .unwrap();
    let upd = AlertUpdate {
        status: Some(AlertStatus::InProgress),
        assigned_to: Some(Some(ANALYST.into())),
        ..Default::default()
    };
    let items = vec![
        (first.items[0].id.clone(), upd.clone()),
        (AlertId::new("no-such-alert"), upd.clone()),
        (first.items[1].id.clone(), upd),
    ];
    let results = c.patch_alerts_batch(&items).await.unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].status, 200, "{:?}", results[0].result);
    assert_eq!(
        results[0].result.as_ref().unwrap().status,
        Some(AlertStatus::InProgress)
    );
    assert_eq!(
        results[1].result.as_ref().unwrap_err().kind,
        ErrorKind::NotFound
    );
    assert_eq!(results[2].status, 200);
    let fresh = c.get_alert(&first.items[1].id).await.unwrap();
    assert_eq!(fresh.assigned_to.as_deref(), Some(ANALYST));
}

#[tokio::test]
async fn ediscovery_estimate_polled_to_completion_within_budget() {
    let emu = emulator(Options {
        alerts: 50,
        operation_duration: Duration::from_millis(150),
        // The emulator's own budget is real time; ours runs on the scaled clock and is checked below.
        budgets: Budgets {
            enabled: false,
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let c = client_for(&emu, "erin.ediscovery@contoso.example");
    let cases = c.list_cases(&Query::new()).collect_all().await.unwrap();
    let case = cases
        .iter()
        .find(|k| k.status == Some(CaseStatus::Active))
        .expect("an active case")
        .id
        .clone();
    let searches = c
        .list_searches(&case, &Query::new())
        .collect_all()
        .await
        .unwrap();
    let search = &searches.first().expect("a search").id;
    let handle = c
        .estimate_statistics(&case, search, &EstimateStatistics::default())
        .await
        .unwrap();
    let mut polls = 0;
    let op = c
        .wait_operation(
            &handle,
            PollOptions {
                interval: Duration::from_secs(15),
                max_polls: 50,
            },
            |_| polls += 1,
        )
        .await
        .unwrap()
        .expect("an operation to poll");
    assert!(op.is_final(), "{:?}", op.common.status);
    assert!(
        polls >= 2,
        "the operation should have been seen running first"
    );
    let times: Vec<f64> = c
        .transport()
        .log
        .borrow()
        .iter()
        .map(|(t, ..)| *t)
        .collect();
    assert!(
        max_in_window(&times, 60_000.0) <= 5,
        "more than 5 eDiscovery requests in a minute: {times:?}"
    );
}

#[tokio::test]
async fn read_only_user_gets_an_actionable_403() {
    let emu = emulator(Options {
        alerts: 20,
        ..Default::default()
    })
    .await;
    let tenant = emu.tenants()[0].id.clone();
    let token = emu.mint_access_token(
        &tenant,
        "morgan.manager@contoso.example",
        &["SecurityAlert.Read.All"],
    );
    let c = GraphClient::new(
        NativeTransport::new(),
        emu.graph_url(),
        &tenant,
        Rc::new(StaticToken(token)),
    )
    .unwrap();
    let a = c
        .list_alerts(&Query::new().top(1))
        .next()
        .await
        .unwrap()
        .unwrap()
        .items
        .remove(0);
    let e = c
        .update_alert(
            &a.id,
            &AlertUpdate {
                status: Some(AlertStatus::Resolved),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "{e}");
    assert!(
        e.user_message()
            .starts_with("This needs the SecurityAlert.ReadWrite.All permission.")
    );
    let bad = GraphClient::new(
        NativeTransport::new(),
        emu.graph_url(),
        &tenant,
        Rc::new(StaticToken("garbage".into())),
    )
    .unwrap();
    let e = bad.get_alert(&a.id).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthorized);
    assert_eq!(e.user_message(), "Your sign-in has expired; sign in again.");
}

#[tokio::test]
async fn directory_context_for_the_entity_pivot() {
    use vigil_core::client::DeviceKey;
    let emu = emulator(Options {
        alerts: 50,
        ..Default::default()
    })
    .await;
    let tenant = emu.tenants()[0].id.clone();
    let client = |scopes: &[&str]| {
        GraphClient::new(
            NativeTransport::new(),
            emu.graph_url(),
            &tenant,
            Rc::new(StaticToken(emu.mint_access_token(&tenant, ANALYST, scopes))),
        )
        .unwrap()
    };
    let c = client(&["SecurityAlert.Read.All", "User.Read.All", "Device.Read.All"]);
    let devices: Vec<Device> = c
        .pages::<Device>(
            vigil_core::client::ApiVersion::V1,
            "devices",
            &Query::new(),
            "Device.Read.All",
        )
        .collect_all()
        .await
        .unwrap();
    let d = &devices[0];
    let by_id = c
        .device_context(DeviceKey::DeviceId(d.device_id.as_deref().unwrap()))
        .await
        .unwrap()
        .expect("the device");
    assert_eq!(by_id.id, d.id);
    assert_eq!(by_id.operating_system, d.operating_system);
    assert_eq!(by_id.is_compliant, d.is_compliant);
    assert_eq!(by_id.owners.as_ref().map(Vec::len), Ok(1));
    let by_name = c
        .device_context(DeviceKey::Name(d.display_name.as_deref().unwrap()))
        .await
        .unwrap()
        .expect("the device by name");
    assert_eq!(by_name.id, d.id);
    assert_eq!(
        c.device_context(DeviceKey::Name("no-such-host"))
            .await
            .unwrap(),
        None
    );

    let users: Vec<User> = c
        .pages::<User>(
            vigil_core::client::ApiVersion::V1,
            "users",
            &Query::new(),
            "User.Read.All",
        )
        .collect_all()
        .await
        .unwrap();
    let mut with_manager = None;
    let mut without = None;
    for u in &users {
        let ctx = c.user_context(&u.id).await.unwrap().expect("the user");
        assert_eq!(ctx.id, u.id);
        assert!(
            ctx.department.is_some() && ctx.account_enabled.is_some(),
            "selected properties"
        );
        match ctx.manager.clone().unwrap() {
            Some(m) => with_manager = with_manager.or(Some((ctx, m))),
            None => without = without.or(Some(ctx)),
        }
    }
    let (ctx, manager) = with_manager.expect("someone has a manager");
    assert_ne!(Some(&manager), ctx.display_name.as_ref());
    assert!(without.is_some(), "the top of the organisation has none");
    assert_eq!(
        c.user_context("nobody@contoso.example").await.unwrap(),
        None
    );

    // Without the directory scopes: a 403 naming the permission.
    let basic = client(&["SecurityAlert.Read.All"]);
    let e = basic
        .device_context(DeviceKey::Name("x"))
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "{e}");
    assert_eq!(e.missing_scope.as_deref(), Some("Device.Read.All"));
    let e = basic.user_context(&users[0].id).await.unwrap_err();
    assert_eq!(e.missing_scope.as_deref(), Some("User.Read.All"));
    emu.shutdown().await;
}

/// caseAction members listed after `unknownFutureValue` (exportResult, purgeData, …) come back
/// as `unknownFutureValue` unless the request carries `Prefer: include-unknown-enum-members`;
/// the client sends it on every eDiscovery request, so it sees the real members.
#[tokio::test]
async fn ediscovery_requests_opt_in_to_the_evolvable_enum_members() {
    use vigil_core::transport::{HttpRequest, Method, Transport};
    let emu = emulator(Options {
        alerts: 20,
        // Real-time budgets against a scaled clock would only add retries.
        budgets: Budgets {
            enabled: false,
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let tenant = emu.tenants()[0].id.clone();
    let upn = "erin.ediscovery@contoso.example";
    let token = emu.mint_access_token(&tenant, upn, SCOPES);
    let c = client_for(&emu, upn);
    let raw = |url: String, prefer: bool| {
        let mut headers = vec![("authorization".to_owned(), format!("Bearer {token}"))];
        if prefer {
            headers.push((
                "prefer".to_owned(),
                "include-unknown-enum-members".to_owned(),
            ));
        }
        let t = NativeTransport::new();
        async move {
            let r = t
                .send(HttpRequest {
                    method: Method::Get,
                    url,
                    headers,
                    body: None,
                })
                .await
                .expect("an answer");
            assert_eq!(r.status, 200);
            String::from_utf8(r.body).unwrap()
        }
    };
    let cases = c.list_cases(&Query::new()).collect_all().await.unwrap();
    let opt_in = [
        CaseAction::PurgeData,
        CaseAction::ExportReport,
        CaseAction::ExportResult,
        CaseAction::HoldPolicySync,
    ];
    let mut seen = 0;
    for case in cases.iter().take(12) {
        let ops = c
            .list_operations(&case.id, &Query::new())
            .collect_all()
            .await
            .unwrap();
        let late = ops
            .iter()
            .filter(|o| o.common.action.as_ref().is_some_and(|a| opt_in.contains(a)))
            .count();
        if late == 0 {
            continue;
        }
        seen += late;
        assert!(
            ops.iter()
                .all(|o| o.common.action != Some(CaseAction::UnknownFutureValue)),
            "the client asked for every member"
        );
        let url = format!(
            "{}/v1.0/security/cases/ediscoveryCases/{}/operations",
            emu.graph_url(),
            case.id
        );
        let without = raw(url.clone(), false).await;
        assert!(without.contains("\"unknownFutureValue\""), "{without}");
        for a in [
            "purgeData",
            "exportReport",
            "exportResult",
            "holdPolicySync",
        ] {
            assert!(!without.contains(&format!("\"{a}\"")), "{a} without Prefer");
        }
        let with = raw(url, true).await;
        assert!(!with.contains("\"unknownFutureValue\""), "{with}");
    }
    assert!(
        seen > 0,
        "no seeded operation with an opt-in action in 12 cases"
    );
    assert!(
        c.transport().log.borrow().len() > 1,
        "the client's own requests were recorded"
    );
}

#[tokio::test]
async fn a_url_submission_is_listed_and_reaches_its_verdict() {
    use vigil_core::client::SubmissionCollection;
    let emu = emulator(Options::default()).await;
    let c = client_for(&emu, ANALYST);
    let sent = c
        .create_submission(&NewThreatSubmission::url(
            SubmissionCategory::Phishing,
            "https://invoice-share.net/x",
        ))
        .await
        .unwrap();
    assert_eq!(sent.status, Some(SubmissionStatus::Running));
    for kind in [
        SubmissionCollection::Email,
        SubmissionCollection::Url,
        SubmissionCollection::File,
    ] {
        let all = c
            .list_submissions(kind, &Query::new())
            .collect_all()
            .await
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        if kind == SubmissionCollection::Url {
            assert!(all.iter().any(|s| s.id == sent.id));
        }
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let s = c
            .get_submission(SubmissionCollection::Url, &sent.id)
            .await
            .unwrap();
        if s.status == Some(SubmissionStatus::Succeeded) {
            let r = s.result.unwrap_or_default();
            assert_eq!(r.category, Some(SubmissionResultCategory::Phishing));
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still {:?}", s.status);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
