//! Client behaviour against a scripted transport with a virtual clock: origin checks, paging
//! loops, retries, batch results, long-running operations, errors and cancellation.

// This runs natively, outside the bundle, so the bundle's size rules (clippy.toml) do not
// apply: JSON is read from bytes and trees as is handiest here.
#![allow(clippy::disallowed_methods)]

mod common;

use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use common::{Mock, json, max_in_window, raw};
use futures_executor::block_on;
use serde_json::json;
use vigil_core::batch::BatchRequest;
use vigil_core::client::from_trees;
use vigil_core::fields::alerts;
use vigil_core::models::*;
use vigil_core::odata::Query;
use vigil_core::operations::{OperationHandle, PollOptions};
use vigil_core::transport::Method;
use vigil_core::{ErrorKind, Family, GraphClient, StaticToken};

const BASE: &str = "http://127.0.0.1:8082";

fn client(mock: Mock) -> GraphClient<Mock> {
    GraphClient::new(mock, BASE, "tenant-1", Rc::new(StaticToken("tok".into()))).unwrap()
}

fn alert(id: &str) -> serde_json::Value {
    json!({"id": id, "status": "new", "severity": "high"})
}

#[test]
fn foreign_next_link_is_refused_before_any_request() {
    let c = client(Mock::new(|_, _| {
        json(
            200,
            json!({"value": [alert("a")], "@odata.nextLink": "http://127.0.0.1:9999/v1.0/security/alerts_v2?$skiptoken=2"}),
        )
    }));
    let mut pages = c.list_alerts(&Query::new());
    block_on(async {
        let first = pages.next().await.unwrap().unwrap();
        assert_eq!(first.items.len(), 1);
        let err = pages.next().await.unwrap().unwrap_err();
        assert_eq!(err.kind, ErrorKind::ForeignOrigin);
        assert!(pages.next().await.is_none());
    });
    assert_eq!(
        c.transport().count(),
        1,
        "the foreign link must not be requested"
    );
    // The token is sent only to the Graph origin.
    let log = c.transport().log.borrow();
    assert!(
        log[0]
            .1
            .headers
            .iter()
            .any(|(k, v)| k == "authorization" && v == "Bearer tok")
    );
}

#[test]
fn next_link_is_followed_verbatim_and_a_repeat_stops() {
    let link = format!("{BASE}/v1.0/security/alerts_v2?$skiptoken=abc%2Fdef&$top=1");
    let l2 = link.clone();
    let c = client(Mock::new(move |_, i| {
        json(
            200,
            json!({"value": [alert(&i.to_string())], "@odata.nextLink": l2, "@odata.count": 9}),
        )
    }));
    let mut pages = c.list_alerts(&Query::new().top(1).count(true));
    block_on(async {
        let p1 = pages.next().await.unwrap().unwrap();
        assert_eq!((p1.loaded, p1.total, p1.has_more), (1, Some(9), true));
        assert!(pages.next().await.unwrap().is_ok());
        let err = pages.next().await.unwrap().unwrap_err();
        assert_eq!(err.kind, ErrorKind::PagingLoop);
        assert!(pages.next().await.is_none());
    });
    let urls = c.transport().urls();
    assert_eq!(urls.len(), 2);
    assert_eq!(
        urls[0],
        format!("{BASE}/v1.0/security/alerts_v2?$top=1&$count=true")
    );
    assert_eq!(urls[1], link, "nextLink must not be re-encoded");
}

#[test]
fn tree_models_page_like_the_others_and_refuse_what_is_not_an_object() {
    // Two pages of cases, read through the JSON tree: every item, in order, each field read.
    let next = format!("{BASE}/v1.0/security/cases/ediscoveryCases?$skiptoken=2");
    let c = client(Mock::new(move |_, i| match i {
        0 => json(
            200,
            json!({"value": [{"id": "c1", "displayName": "One", "status": "active",
                "createdBy": {"user": {"displayName": "Erin"}}}],
                "@odata.nextLink": next}),
        ),
        _ => json(
            200,
            json!({"value": [{"id": "c2", "status": "someFutureStatus", "closedDateTime": "0001-01-01T00:00:00Z"}]}),
        ),
    }));
    let trees = block_on(c.list_cases(&Query::new()).trees().collect_all()).unwrap();
    let cases: Vec<EdiscoveryCase> = from_trees(&trees).unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(
        (cases[0].id.as_str(), cases[0].display_name.as_deref()),
        ("c1", Some("One"))
    );
    assert_eq!(cases[0].status, Some(CaseStatus::Active));
    assert_eq!(
        cases[0].created_by.as_ref().and_then(|b| b.label()),
        Some("Erin")
    );
    assert_eq!(
        cases[1].status,
        Some(CaseStatus::Unrecognized("someFutureStatus".into()))
    );
    assert_eq!(
        cases[1].closed_date_time, None,
        "the not-set sentinel is no date"
    );
    assert_eq!(c.transport().count(), 2);

    let bad = client(Mock::new(|_, _| {
        json(200, json!({"value": [{"id": "c1"}, 7]}))
    }));
    let trees = block_on(bad.list_cases(&Query::new()).trees().collect_all()).unwrap();
    let err = from_trees::<EdiscoveryCase>(&trees).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Decode);
}

#[test]
fn filter_is_encoded_into_the_url() {
    let c = client(Mock::new(|_, _| json(200, json!({"value": []}))));
    let q = Query::new().filter(
        alerts::STATUS
            .eq(&AlertStatus::New)
            .and(alerts::ASSIGNED_TO.eq("O'Neil & co")),
    );
    let all = block_on(c.list_alerts(&q).collect_all()).unwrap();
    assert!(all.is_empty());
    assert_eq!(
        c.transport().urls()[0],
        format!(
            "{BASE}/v1.0/security/alerts_v2?$filter=status%20eq%20'new'%20and%20assignedTo%20eq%20'O''Neil%20%26%20co'"
        )
    );
}

#[test]
fn get_is_retried_after_retry_after_and_state_is_exposed() {
    let c = client(Mock::new(|_, i| match i {
        0 => raw(
            429,
            &[("retry-after", "12")],
            r#"{"error":{"code":"TooManyRequests","message":"slow"}}"#,
        ),
        1 => raw(503, &[], ""),
        _ => json(200, alert("x")),
    }));
    let a = block_on(c.get_alert(&AlertId::new("x"))).unwrap();
    assert_eq!(a.severity, Some(AlertSeverity::High));
    let log = c.transport().log.borrow();
    assert_eq!(log.len(), 3);
    assert!(log[1].0 >= 12_000.0, "waited for Retry-After: {}", log[1].0);
    assert!(log[2].0 > log[1].0, "backed off after the 503");
    let st = c.scheduler().family_state("tenant-1", Family::Alerts, 0.0);
    assert_eq!(
        st.last_retry_reason.as_deref(),
        Some("HTTP 503 from alerts")
    );
}

#[test]
fn post_is_never_retried() {
    let c = client(Mock::new(|_, _| raw(429, &[("retry-after", "7")], "")));
    let err = block_on(c.add_alert_comment(&AlertId::new("x"), "hi")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Throttled);
    assert_eq!(
        err.user_message(),
        "Microsoft Graph is throttling requests; retrying in 7 s."
    );
    assert_eq!(c.transport().count(), 1);
    let log = c.transport().log.borrow();
    let body: serde_json::Value = serde_json::from_slice(log[0].1.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"@odata.type": "microsoft.graph.security.alertComment", "comment": "hi"})
    );
}

#[test]
fn retries_are_bounded() {
    let c = client(Mock::new(|_, _| raw(503, &[("retry-after", "1")], "")));
    let err = block_on(c.get_alert(&AlertId::new("x"))).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Server);
    assert!(err.is_retryable());
    assert_eq!(c.transport().count(), 6, "one try and five retries");
}

#[test]
fn errors_are_typed_and_never_panic() {
    let c = client(Mock::new(|req, _| {
        if req.url.contains("forbidden") {
            raw(
                403,
                &[("request-id", "rid-1")],
                r#"{"error":{"code":"Forbidden","message":"no"}}"#,
            )
        } else if req.url.contains("gone") {
            raw(
                404,
                &[],
                r#"{"error":{"code":"itemNotFound","message":"x","innerError":{"request-id":"rid-2"}}}"#,
            )
        } else {
            raw(200, &[], r#"{"id":"trunc"#)
        }
    }));
    let e = block_on(c.update_alert(
        &AlertId::new("forbidden"),
        &AlertUpdate {
            status: Some(AlertStatus::Resolved),
            ..Default::default()
        },
    ))
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert_eq!(e.request_id.as_deref(), Some("rid-1"));
    assert!(e.user_message().contains("SecurityAlert.ReadWrite.All"));
    let e = block_on(c.get_alert(&AlertId::new("gone"))).unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref(), e.request_id.as_deref()),
        (ErrorKind::NotFound, Some("itemNotFound"), Some("rid-2"))
    );
    let e = block_on(c.get_alert(&AlertId::new("ok"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    let e = block_on(c.update_alert(&AlertId::new("x"), &AlertUpdate::default())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput);
}

#[test]
fn ids_are_escaped_in_paths() {
    let c = client(Mock::new(|_, _| json(200, json!({"id": "1"}))));
    block_on(c.get_incident(&IncidentId::new("1/../../users?x=#"), true)).unwrap();
    assert_eq!(
        c.transport().urls()[0],
        format!("{BASE}/v1.0/security/incidents/1%2F..%2F..%2Fusers%3Fx%3D%23?$expand=alerts")
    );
}

#[test]
fn batch_mixed_results_and_item_429_retry() {
    let c = client(Mock::new(|req, i| {
        let body: serde_json::Value = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
        let reqs = body["requests"].as_array().unwrap();
        let responses: Vec<_> = reqs
            .iter()
            .map(|r| {
                let id = r["id"].as_str().unwrap();
                let url = r["url"].as_str().unwrap();
                let status = if url.ends_with("/missing") {
                    404
                } else if url.ends_with("/busy") && i == 0 {
                    429
                } else {
                    200
                };
                let body = if status == 200 {
                    alert(url.rsplit('/').next().unwrap())
                } else {
                    json!({"error": {"code": "x", "message": "m"}})
                };
                json!({"id": id, "status": status, "headers": {"Retry-After": "3"}, "body": body})
            })
            .rev()
            .collect();
        json(200, json!({ "responses": responses }))
    }));
    let upd = AlertUpdate {
        status: Some(AlertStatus::Resolved),
        ..Default::default()
    };
    let items = vec![
        (AlertId::new("a1"), upd.clone()),
        (AlertId::new("missing"), upd.clone()),
        (AlertId::new("busy"), upd),
    ];
    let results = block_on(c.patch_alerts_batch(&items)).unwrap();
    assert_eq!(
        results.iter().map(|r| r.status).collect::<Vec<_>>(),
        vec![200, 404, 200]
    );
    assert_eq!(results[0].result.as_ref().unwrap().id.as_str(), "a1");
    assert_eq!(
        results[1].result.as_ref().unwrap_err().kind,
        ErrorKind::NotFound
    );
    assert_eq!(results[2].key.as_str(), "busy");
    assert_eq!(
        c.transport().count(),
        2,
        "only the throttled item is re-sent"
    );
    let log = c.transport().log.borrow();
    let second: serde_json::Value =
        serde_json::from_slice(log[1].1.body.as_ref().unwrap()).unwrap();
    assert_eq!(second["requests"].as_array().unwrap().len(), 1);
    assert!(log[1].0 >= 3000.0, "waited for the item's Retry-After");
    assert_eq!(log[0].1.url, format!("{BASE}/v1.0/$batch"));
    let first: serde_json::Value = serde_json::from_slice(log[0].1.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        first["requests"][0],
        json!({"id": "1", "method": "PATCH", "url": "/security/alerts_v2/a1", "headers": {"Content-Type": "application/json"}, "body": {"status": "resolved"}})
    );
    drop(log);
    let too_many: Vec<BatchRequest> = (0..21)
        .map(|i| BatchRequest::new(i.to_string(), Method::Get, "/me", None))
        .collect();
    assert_eq!(
        block_on(c.batch(&too_many)).unwrap_err().kind,
        ErrorKind::InvalidInput
    );
}

#[test]
fn estimate_is_polled_to_completion_within_five_a_minute() {
    let loc = format!("{BASE}/v1.0/security/cases/ediscoveryCases('c1')/operations('op1')");
    let l = loc.clone();
    let c = client(Mock::new(move |req, i| match req.method {
        Method::Post => raw(202, &[("location", &l)], ""),
        _ => {
            let done = i >= 9;
            json(
                200,
                json!({
                    "@odata.type": "#microsoft.graph.security.ediscoveryEstimateOperation",
                    "id": "op1", "action": "estimateStatistics",
                    "status": if done { "succeeded" } else { "running" },
                    "percentProgress": if done { 100 } else { i * 10 },
                    "completedDateTime": if done { "2024-01-01T00:10:00Z" } else { "0001-01-01T00:00:00Z" },
                    "indexedItemCount": 1756
                }),
            )
        }
    }));
    let case = CaseId::new("c1");
    let handle =
        block_on(c.estimate_statistics(&case, "s1", &EstimateStatistics::default())).unwrap();
    assert_eq!(handle, OperationHandle::Location(loc));
    let mut progress = Vec::new();
    let fast = PollOptions {
        interval: std::time::Duration::from_secs(1),
        max_polls: 100,
    };
    let op = block_on(c.wait_operation(&handle, fast, |op| {
        progress.push(op.common.percent_progress.unwrap_or(0))
    }))
    .unwrap()
    .unwrap();
    assert!(op.is_final());
    assert_eq!(op.common.status, Some(CaseOperationStatus::Succeeded));
    assert!(
        matches!(op.details, CaseOperationDetails::Estimate(ref e) if e.indexed_item_count == Some(1756))
    );
    assert_eq!(progress.len(), 9);
    assert!(progress.windows(2).all(|w| w[0] <= w[1]));
    let times: Vec<f64> = c.transport().log.borrow().iter().map(|(t, _)| *t).collect();
    assert_eq!(times.len(), 10);
    assert!(
        max_in_window(&times, 60_000.0) <= 5,
        "more than 5 eDiscovery requests in a minute: {times:?}"
    );
    assert!(times[9] >= 60_000.0);
}

#[test]
fn an_operation_still_running_after_the_last_poll_says_its_status_in_the_wire_words() {
    let loc = format!("{BASE}/v1.0/security/cases/ediscoveryCases('c1')/operations('op1')");
    let c = client(Mock::new(move |_, _| {
        json(
            200,
            json!({
                "@odata.type": "#microsoft.graph.security.ediscoveryEstimateOperation",
                "id": "op1", "action": "estimateStatistics", "status": "running"
            }),
        )
    }));
    let few = PollOptions {
        interval: std::time::Duration::from_secs(1),
        max_polls: 3,
    };
    let e = block_on(c.wait_operation(&OperationHandle::Location(loc), few, |_| {})).unwrap_err();
    assert_eq!(e.message, "the operation is still running after 3 polls");
}

#[test]
fn foreign_location_is_refused() {
    let c = client(Mock::new(|_, _| {
        raw(202, &[("location", "https://evil.example/op")], "")
    }));
    let e = block_on(c.estimate_statistics(&CaseId::new("c"), "s", &EstimateStatistics::default()))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ForeignOrigin);
}

/// Time never advances and sleeping never ends: a queued request stays queued.
struct Frozen;

impl vigil_core::Transport for Frozen {
    async fn send(
        &self,
        _req: vigil_core::HttpRequest,
    ) -> Result<vigil_core::HttpResponse, vigil_core::TransportError> {
        json(200, json!({"id": "c"}))
    }
    async fn sleep(&self, _dur: std::time::Duration) {
        std::future::pending::<()>().await
    }
    fn now_ms(&self) -> f64 {
        0.0
    }
    fn random(&self) -> f64 {
        0.5
    }
}

#[test]
fn dropping_a_queued_request_leaves_no_trace() {
    let c = GraphClient::new(Frozen, BASE, "t", Rc::new(StaticToken("x".into()))).unwrap();
    let case = CaseId::new("c");
    for _ in 0..5 {
        block_on(c.get_case(&case)).unwrap();
    }
    {
        let mut fut = pin!(c.get_case(&case));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(
            matches!(fut.as_mut().poll(&mut cx), Poll::Pending),
            "the sixth request of the minute must wait"
        );
        let st = c.scheduler().family_state("t", Family::Ediscovery, 0.0);
        assert_eq!((st.queued, st.used_in_window), (1, 5));
        assert_eq!(
            st.describe(0.0),
            "1 request waiting for the eDiscovery budget"
        );
    }
    let st = c.scheduler().family_state("t", Family::Ediscovery, 0.0);
    assert_eq!((st.queued, st.in_flight), (0, 0));
}

/// Hands out `old` until told it was rejected, then `new`.
struct Renewing(std::cell::Cell<u32>);

impl vigil_core::TokenProvider for Renewing {
    fn access_token<'a>(
        &'a self,
        _tenant: &'a str,
    ) -> vigil_core::client::LocalFuture<'a, Result<String, vigil_core::GraphError>> {
        let t = if self.0.get() == 0 { "old" } else { "new" };
        Box::pin(async move { Ok(t.to_owned()) })
    }
    fn token_rejected<'a>(
        &'a self,
        _tenant: &'a str,
        token: &'a str,
    ) -> vigil_core::client::LocalFuture<'a, ()> {
        assert_eq!(token, "old");
        self.0.set(self.0.get() + 1);
        Box::pin(async {})
    }
}

#[test]
fn a_rejected_token_is_renewed_once() {
    let provider = Rc::new(Renewing(std::cell::Cell::new(0)));
    let mock = Mock::new(|req, _| {
        let bearer = req
            .headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .map(|(_, v)| v.as_str());
        if bearer == Some("Bearer new") {
            json(200, json!({"value": []}))
        } else {
            raw(401, &[], "")
        }
    });
    let c = GraphClient::new(mock, BASE, "t", provider.clone()).unwrap();
    let comments = block_on(c.add_alert_comment(&AlertId::new("a"), "x")).unwrap();
    assert!(comments.is_empty());
    assert_eq!((c.transport().count(), provider.0.get()), (2, 1));

    // A provider that cannot renew: the 401 reaches the caller after one more try.
    let c = client(Mock::new(|_, _| raw(401, &[], "")));
    let e = block_on(c.get_me(&["displayName"])).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthorized);
    assert_eq!(c.transport().count(), 2);
    assert_eq!(
        c.transport().urls()[0],
        format!("{BASE}/v1.0/me?$select=displayName")
    );
}

/// Records claims challenges; renewing does nothing useful.
#[derive(Default)]
struct Challenged(std::cell::RefCell<Vec<String>>, std::cell::Cell<u32>);

impl vigil_core::TokenProvider for Challenged {
    fn access_token<'a>(
        &'a self,
        _tenant: &'a str,
    ) -> vigil_core::client::LocalFuture<'a, Result<String, vigil_core::GraphError>> {
        Box::pin(async { Ok("t".to_owned()) })
    }
    fn token_rejected<'a>(
        &'a self,
        _tenant: &'a str,
        _token: &'a str,
    ) -> vigil_core::client::LocalFuture<'a, ()> {
        self.1.set(self.1.get() + 1);
        Box::pin(async {})
    }
    fn claims_challenge<'a>(
        &'a self,
        tenant: &'a str,
        claims: &'a str,
    ) -> vigil_core::client::LocalFuture<'a, ()> {
        self.0.borrow_mut().push(format!("{tenant} {claims}"));
        Box::pin(async {})
    }
}

#[test]
fn a_claims_challenge_goes_to_the_provider_without_a_silent_retry() {
    let provider = Rc::new(Challenged::default());
    let mock = Mock::new(|_, _| {
        raw(
            401,
            &[(
                "www-authenticate",
                r#"Bearer realm="", error="insufficient_claims", claims="eyJ9""#,
            )],
            r#"{"error":{"code":"InvalidAuthenticationToken","message":"CAE"}}"#,
        )
    });
    let c = GraphClient::new(mock, BASE, "t", provider.clone()).unwrap();
    let e = block_on(c.get_me(&["displayName"])).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthorized);
    assert_eq!(
        c.transport().count(),
        1,
        "no second try: renewal cannot satisfy claims"
    );
    assert_eq!(*provider.0.borrow(), ["t eyJ9"]);
    assert_eq!(provider.1.get(), 0);
}

#[test]
fn a_page_that_keeps_failing_can_be_retried_later() {
    let c = client(Mock::new(|req, i| {
        if req.url.contains("skiptoken") && i < 7 {
            raw(503, &[], "")
        } else if req.url.contains("skiptoken") {
            json(200, json!({"value": [alert("b")]}))
        } else {
            json(
                200,
                json!({"value": [alert("a")], "@odata.nextLink": format!("{BASE}/v1.0/security/alerts_v2?$skiptoken=2")}),
            )
        }
    }));
    let mut pages = c.list_alerts(&Query::new());
    block_on(async {
        assert_eq!(pages.next().await.unwrap().unwrap().items.len(), 1);
        let e = pages.next().await.unwrap().unwrap_err();
        assert!(e.is_retryable());
        assert!(!pages.is_done());
        let p = pages.next().await.unwrap().unwrap();
        assert_eq!(
            (p.items[0].id.as_str(), p.loaded, p.has_more),
            ("b", 2, false)
        );
        assert!(pages.next().await.is_none());
    });
}

#[test]
fn collect_each_shows_every_page_as_it_arrives_and_stops_at_a_failure() {
    let link = |n: u32| format!("{BASE}/v1.0/security/alerts_v2?$skiptoken={n}");
    let pages = move |fail_third: bool| {
        client(Mock::new(move |req, _| {
            if req.url.contains("skiptoken=3") {
                if fail_third {
                    raw(400, &[], "")
                } else {
                    json(200, json!({"value": [alert("e")]}))
                }
            } else if req.url.contains("skiptoken=2") {
                json(
                    200,
                    json!({"value": [alert("c"), alert("d")], "@odata.nextLink": link(3)}),
                )
            } else {
                json(
                    200,
                    json!({"value": [alert("a"), alert("b")], "@odata.nextLink": link(2)}),
                )
            }
        }))
    };
    let ids = |items: &[Alert]| {
        items
            .iter()
            .map(|a| a.id.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    let mut seen: Vec<Vec<String>> = Vec::new();
    let all = block_on(
        pages(false)
            .list_alerts(&Query::new())
            .collect_each(Some(&mut |items| seen.push(ids(items)))),
    )
    .unwrap();
    assert_eq!(seen, [vec!["a", "b"], vec!["c", "d"], vec!["e"]]);
    assert_eq!(ids(&all), ["a", "b", "c", "d", "e"]);

    // The pages before a failure were shown; the list is the error.
    seen.clear();
    let failed = block_on(
        pages(true)
            .list_alerts(&Query::new())
            .collect_each(Some(&mut |items| seen.push(ids(items)))),
    );
    assert!(failed.is_err());
    assert_eq!(seen, [vec!["a", "b"], vec!["c", "d"]]);
}

#[test]
fn the_queue_calls_name_the_urls_they_request() {
    let c = client(Mock::new(|req, _| {
        if req.url.contains("/me") {
            json(200, json!({"displayName": "Ada"}))
        } else if req.url.contains("alerts_v2/a%2Fb") {
            json(200, json!({"severity": "high", "id": "a/b"}))
        } else {
            json(200, json!({"value": [alert("x"), {"id": 5}]}))
        }
    }));
    let q = Query::new().top(2).count(true);
    assert_eq!(
        c.alerts_url(&q),
        format!("{BASE}/v1.0/security/alerts_v2?$top=2&$count=true")
    );
    let id = AlertId::new("a/b");
    assert_eq!(
        c.alert_url(&id),
        format!("{BASE}/v1.0/security/alerts_v2/a%2Fb")
    );

    // Raw pages: each alert's JSON as sent, decoded one at a time.
    let page = block_on(c.list_alerts_raw(&q).next()).unwrap().unwrap();
    assert_eq!(c.transport().urls()[0], c.alerts_url(&q));
    assert_eq!(
        page.items[0].get(),
        r#"{"id":"x","status":"new","severity":"high"}"#
    );
    let a = vigil_core::client::decode_alert(&page.items[0]).unwrap();
    assert_eq!(a.id.as_str(), "x");
    let e = vigil_core::client::decode_alert(&page.items[1]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);

    // One alert with its pretty JSON, its keys in the service's order.
    let (a, pretty) = block_on(c.get_alert_with_raw(&id)).unwrap();
    assert_eq!(a.id.as_str(), "a/b");
    assert_eq!(pretty, "{\n  \"severity\": \"high\",\n  \"id\": \"a/b\"\n}");
    assert_eq!(c.transport().urls()[1], c.alert_url(&id));

    let name = block_on(c.get_me_display_name()).unwrap();
    assert_eq!(name.as_deref(), Some("Ada"));
    assert_eq!(
        c.transport().urls()[2],
        format!("{BASE}/v1.0/me?$select=displayName")
    );
}

#[test]
fn the_rehearsal_page_decodes_every_field_type_and_the_common_evidence_kinds() {
    let alerts = vigil_core::client::rehearse_alert_page();
    assert_eq!(
        alerts.len(),
        1,
        "the built-in page decodes to its one alert"
    );
    let a = &alerts[0];
    assert_eq!(a.severity, Some(AlertSeverity::Low));
    assert_eq!(a.status, Some(AlertStatus::New));
    assert!(a.created_date_time.is_some() && a.additional_data.is_some());
    assert_eq!((a.mitre_techniques.len(), a.comments.len()), (1, 1));
    let kinds: Vec<&str> = a.evidence.iter().map(|e| e.kind.name()).collect();
    assert_eq!(
        kinds,
        [
            "user",
            "device",
            "ip",
            "file",
            "process",
            "mailbox",
            "cloudApplication",
            "url"
        ],
        "no evidence item falls back to an unknown kind"
    );
}
