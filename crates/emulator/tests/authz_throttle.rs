//! 401/403/429 behaviour, `$batch`, CORS on the Graph origin and fault injection.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use vigil_emulator::{BudgetRule, FaultRule};

#[tokio::test]
async fn unauthenticated_and_forbidden() {
    let emu = emulator(opts(50)).await;
    let url = "/v1.0/security/alerts_v2";
    let none = client()
        .get(format!("{}{url}", emu.graph_url()))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(none.status().as_u16(), 401);
    let body: serde_json::Value = none.json().await.unwrap_or_default();
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");

    let good = emu.mint_access_token(CONTOSO, ANALYST, &["SecurityAlert.Read.All"]);
    // Forged: payload swapped, signature kept.
    let parts: Vec<&str> = good.split('.').collect();
    let other = emu.mint_access_token(FABRIKAM, ANALYST, &["SecurityAlert.ReadWrite.All"]);
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        other.split('.').nth(1).unwrap_or_default(),
        parts[2]
    );
    assert_error(
        &Graph::new(&emu, forged).get(url).await,
        401,
        "InvalidAuthenticationToken",
    );
    assert_error(
        &Graph::new(&emu, "not-a-jwt".into()).get(url).await,
        401,
        "InvalidAuthenticationToken",
    );

    // Expired: a one-second token, used after it lapsed.
    let mut o = opts(50);
    o.token_ttl = std::time::Duration::from_secs(1);
    let short = emulator(o).await;
    let t = short.mint_access_token(CONTOSO, ANALYST, &["SecurityAlert.Read.All"]);
    assert_eq!(Graph::new(&short, t.clone()).get(url).await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_error(
        &Graph::new(&short, t).get(url).await,
        401,
        "InvalidAuthenticationToken",
    );
    // A token from another emulator (another signing key) is refused too.
    let foreign = short.mint_access_token(CONTOSO, ANALYST, &["SecurityAlert.Read.All"]);
    assert_error(
        &Graph::new(&emu, foreign).get(url).await,
        401,
        "InvalidAuthenticationToken",
    );
    short.shutdown().await;

    // Read scope cannot write; ReadWrite satisfies read; missing scope is 403.
    let reader = Graph::new(&emu, good);
    let first = reader.ok(url).await;
    let id = first["value"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_error(
        &reader
            .patch(&format!("{url}/{id}"), json!({"status": "inProgress"}))
            .await,
        403,
        "Forbidden",
    );
    assert_error(
        &reader.get("/v1.0/security/incidents").await,
        403,
        "Forbidden",
    );
    assert_error(
        &reader.get("/v1.0/users").await,
        403,
        "Authorization_RequestDenied",
    );
    let writer = Graph::new(
        &emu,
        emu.mint_access_token(CONTOSO, ANALYST, &["SecurityAlert.ReadWrite.All"]),
    );
    assert_eq!(writer.get(url).await.status, 200);
    assert_eq!(
        writer
            .patch(&format!("{url}/{id}"), json!({"status": "inProgress"}))
            .await
            .status,
        200
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn throttling_per_tenant_with_retry_after() {
    let mut o = opts(50);
    o.budgets
        .set(BudgetRule::parse("alerts=5/60s").unwrap_or_else(|e| panic!("{e}")));
    o.budgets
        .set(BudgetRule::parse("ediscovery=2/60s").unwrap_or_else(|e| panic!("{e}")));
    let emu = emulator(o).await;
    let g = Graph::analyst(&emu);
    for _ in 0..5 {
        assert_eq!(g.get("/v1.0/security/alerts_v2?$top=1").await.status, 200);
    }
    let r = g.get("/v1.0/security/alerts_v2?$top=1").await;
    assert_error(&r, 429, "TooManyRequests");
    let ra: u64 = r
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((1..=60).contains(&ra), "Retry-After {ra}");
    // Other budgets and other tenants are unaffected.
    assert_eq!(g.get("/v1.0/security/incidents?$top=1").await.status, 200);
    let fab = Graph::new(
        &emu,
        emu.mint_access_token(FABRIKAM, "alex.analyst@fabrikam.example", ALL_SCOPES),
    );
    assert_eq!(fab.get("/v1.0/security/alerts_v2?$top=1").await.status, 200);
    // eDiscovery: 2 a minute here.
    assert_eq!(
        g.get("/v1.0/security/cases/ediscoveryCases").await.status,
        200
    );
    assert_eq!(
        g.get("/v1.0/security/cases/ediscoveryCases").await.status,
        200
    );
    assert_error(
        &g.get("/v1.0/security/cases/ediscoveryCases").await,
        429,
        "TooManyRequests",
    );

    // In a batch each item is throttled on its own.
    let b = g
        .post(
            "/v1.0/$batch",
            json!({"requests": [
                {"id": "1", "method": "GET", "url": "/security/alerts_v2?$top=1"},
                {"id": "2", "method": "GET", "url": "/security/incidents?$top=1"},
                {"id": "3", "method": "GET", "url": "/security/secureScores?$top=1"},
            ]}),
        )
        .await;
    assert_eq!(b.status, 200, "{}", b.body);
    let resp = b.body["responses"].as_array().cloned().unwrap_or_default();
    let by_id = |id: &str| {
        resp.iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(by_id("1")["status"], 429);
    assert!(by_id("1")["headers"]["Retry-After"].is_string());
    assert_eq!(by_id("2")["status"], 200);
    assert!(by_id("3")["body"]["value"].is_array());
    // Malformed batches are a 400 as a whole.
    let many: Vec<_> = (0..21)
        .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/security/incidents"}))
        .collect();
    assert_error(
        &g.post("/v1.0/$batch", json!({"requests": many})).await,
        400,
        "BadRequest",
    );
    let dup = json!({"requests": [{"id": "a", "method": "GET", "url": "/users"}, {"id": "A", "method": "GET", "url": "/users"}]});
    assert_error(&g.post("/v1.0/$batch", dup).await, 400, "BadRequest");
    emu.shutdown().await;

    let mut o = opts(50);
    o.budgets.enabled = false;
    let free = emulator(o).await;
    let g = Graph::analyst(&free);
    for _ in 0..200 {
        assert_eq!(
            g.get("/v1.0/security/secureScores?$top=1").await.status,
            200
        );
    }
    free.shutdown().await;
}

#[tokio::test]
async fn graph_cors_and_request_ids() {
    let emu = emulator(opts(50)).await;
    let pre = client()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/v1.0/security/alerts_v2", emu.graph_url()),
        )
        .header("Origin", emu.app_url())
        .header("Access-Control-Request-Method", "PATCH")
        .header(
            "Access-Control-Request-Headers",
            "authorization,content-type,prefer,consistencylevel",
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let h = |n: &str| {
        pre.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    assert_eq!(h("access-control-allow-origin"), emu.app_url());
    for hdr in [
        "authorization",
        "content-type",
        "prefer",
        "consistencylevel",
    ] {
        assert!(h("access-control-allow-headers").contains(hdr), "{hdr}");
    }
    let g = Graph::analyst(&emu);
    let r = g
        .http
        .get(format!(
            "{}/v1.0/security/alerts_v2?$top=1",
            emu.graph_url()
        ))
        .bearer_auth(&g.token)
        .header("Origin", emu.app_url())
        .header("client-request-id", "abc-123")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let expose = r
        .headers()
        .get("access-control-expose-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    for hdr in ["retry-after", "location", "request-id", "client-request-id"] {
        assert!(expose.contains(hdr), "{hdr} not exposed");
    }
    assert_eq!(
        r.headers()
            .get("client-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("abc-123")
    );
    assert!(r.headers().get("request-id").is_some());
    let evil = g
        .http
        .get(format!(
            "{}/v1.0/security/alerts_v2?$top=1",
            emu.graph_url()
        ))
        .bearer_auth(&g.token)
        .header("Origin", "http://evil.example")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(evil.headers().get("access-control-allow-origin").is_none());
    emu.shutdown().await;
}

#[tokio::test]
async fn deterministic_faults() {
    let run = || async {
        let mut o = opts(50);
        o.seed = 7;
        o.faults = vec![
            FaultRule::parse(
                "/v1.0/security/alerts_v2*:429=0.3,503=0.2,malformed=0.1,truncate=0.1",
            )
            .unwrap_or_else(|e| panic!("{e}")),
        ];
        o.budgets.enabled = false;
        let emu = emulator(o).await;
        let g = Graph::analyst(&emu);
        let mut seen = Vec::new();
        for _ in 0..60 {
            let r = g
                .http
                .get(format!(
                    "{}/v1.0/security/alerts_v2?$top=1",
                    emu.graph_url()
                ))
                .bearer_auth(&g.token)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let status = r.status().as_u16();
            let retry = r.headers().get("retry-after").is_some();
            let parses =
                serde_json::from_slice::<serde_json::Value>(&r.bytes().await.unwrap_or_default())
                    .is_ok();
            if status >= 429 {
                assert!(retry, "{status} without Retry-After");
            }
            seen.push((status, parses));
        }
        // Other routes are untouched.
        assert_eq!(g.get("/v1.0/security/incidents?$top=1").await.status, 200);
        emu.shutdown().await;
        seen
    };
    let a = run().await;
    let b = run().await;
    assert_eq!(a, b, "same seed, same faults");
    assert!(a.iter().any(|x| x.0 == 429) && a.iter().any(|x| x.0 == 503));
    assert!(
        a.iter().any(|x| x.0 == 200 && !x.1),
        "some bodies are truncated or malformed"
    );
    assert!(a.iter().any(|x| x.0 == 200 && x.1));
}

/// The Retry-After of a 429, in seconds.
fn retry_after(r: &Resp) -> u64 {
    assert_error(r, 429, "TooManyRequests");
    r.headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no whole-second Retry-After: {:?}", r.headers))
}

#[tokio::test]
async fn refused_requests_count_so_only_backing_off_gets_through() {
    // 3 requests per 2 s, as `--budget alerts=3/2s`.
    let mut o = opts(50);
    o.budgets
        .set(BudgetRule::parse("alerts=3/2s").unwrap_or_else(|e| panic!("{e}")));
    let emu = emulator(o).await;
    const PAGE: &str = "/v1.0/security/alerts_v2?$top=1";

    // A client that ignores Retry-After: hammering every 200 ms for well over a window keeps it
    // refused, although its 3 admitted requests left the window after 2 s.
    let hammer = Graph::analyst(&emu);
    for _ in 0..3 {
        assert_eq!(hammer.get(PAGE).await.status, 200);
    }
    let start = std::time::Instant::now();
    let mut last = 0;
    while start.elapsed() < Duration::from_millis(3500) {
        last = retry_after(&hammer.get(PAGE).await);
        assert!((1..=2).contains(&last), "Retry-After {last}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Backing off for Retry-After lets it through.
    tokio::time::sleep(Duration::from_secs(last)).await;
    assert_eq!(hammer.get(PAGE).await.status, 200);

    // A client (another tenant: its own budget) that honours every Retry-After gets through
    // at the first retry, again and again.
    let polite = Graph::new(
        &emu,
        emu.mint_access_token(FABRIKAM, "alex.analyst@fabrikam.example", ALL_SCOPES),
    );
    let mut admitted = 0;
    let mut refused_in_a_row = 0;
    while admitted < 7 {
        let r = polite.get(PAGE).await;
        if r.status == 200 {
            admitted += 1;
            refused_in_a_row = 0;
        } else {
            refused_in_a_row += 1;
            assert_eq!(refused_in_a_row, 1, "a retry after Retry-After was refused");
            tokio::time::sleep(Duration::from_secs(retry_after(&r))).await;
        }
    }
    emu.shutdown().await;
}
