//! eDiscovery over HTTP: seeded cases, an operation that progresses to completion, holds.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn operation_progresses_to_completion() {
    let mut o = opts(50);
    o.operation_duration = Duration::from_millis(1500);
    o.budgets.enabled = false;
    let emu = emulator(o).await;
    let g = Graph::analyst(&emu);
    let cases = g
        .ok("/v1.0/security/cases/ediscoveryCases?$count=true")
        .await;
    let statuses: Vec<&str> = cases["value"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["status"].as_str())
        .collect();
    for s in ["active", "closed", "closing", "closedWithError"] {
        assert!(statuses.contains(&s), "no {s} case");
    }
    let cid = cases["value"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let base = format!("/v1.0/security/cases/ediscoveryCases/{cid}");
    let custodians = g.ok(&format!("{base}/custodians")).await;
    assert!(custodians["value"].as_array().is_some_and(|v| v.len() >= 2));
    let searches = g.ok(&format!("{base}/searches")).await;
    let sid = searches["value"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // Reading needs only Read; writing needs ReadWrite.
    let reader = Graph::new(
        &emu,
        emu.mint_access_token(CONTOSO, ANALYST, &["eDiscovery.Read.All"]),
    );
    assert_error(
        &reader
            .post(
                &format!("{base}/searches/{sid}/estimateStatistics"),
                json!({}),
            )
            .await,
        403,
        "Forbidden",
    );

    let r = g
        .post(
            &format!("{base}/searches/{sid}/estimateStatistics"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 202);
    let loc = r
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        loc.contains(&format!("ediscoveryCases('{cid}')/operations('")),
        "{loc}"
    );
    let first = g.ok(&loc).await;
    assert_eq!(
        first["@odata.type"],
        "#microsoft.graph.security.ediscoveryEstimateOperation"
    );
    assert_eq!(first["action"], "estimateStatistics");
    assert!(matches!(
        first["status"].as_str(),
        Some("notStarted" | "running")
    ));
    assert_eq!(first["completedDateTime"], "0001-01-01T00:00:00Z");
    let mut last = first["percentProgress"].as_i64().unwrap_or(0);
    let mut done = None;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let op = g.ok(&loc).await;
        let p = op["percentProgress"].as_i64().unwrap_or(0);
        assert!(p >= last, "progress went back");
        last = p;
        if matches!(
            op["status"].as_str(),
            Some("succeeded" | "partiallySucceeded" | "failed")
        ) {
            done = Some(op);
            break;
        }
    }
    let done = done.unwrap_or_else(|| panic!("operation never finished"));
    assert_ne!(done["completedDateTime"], "0001-01-01T00:00:00Z");
    assert!(done["indexedItemCount"].is_number());
    let latest = g
        .ok(&format!(
            "{base}/searches/{sid}/lastEstimateStatisticsOperation"
        ))
        .await;
    assert_eq!(latest["id"], done["id"]);

    // Seeded operations include every terminal state, with resultInfo on failures.
    let ops = g.ok(&format!("{base}/operations")).await;
    let ops = ops["value"].as_array().cloned().unwrap_or_default();
    assert!(
        ops.iter()
            .any(|o| o["status"] == "failed" && o["resultInfo"]["message"].is_string())
    );
    assert!(ops.iter().any(|o| o["status"] == "partiallySucceeded"));
    assert!(ops.iter().any(|o| o["status"] == "running"));

    // Holds and review-set export start operations too.
    let cust = custodians["value"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        g.post(&format!("{base}/custodians/{cust}/applyHold"), json!({}))
            .await
            .status,
        202
    );
    let rs = g.ok(&format!("{base}/reviewSets")).await;
    let rsid = rs["value"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_error(
        &g.post(&format!("{base}/reviewSets/{rsid}/export"), json!({}))
            .await,
        400,
        "BadRequest",
    );
    assert_eq!(
        g.post(
            &format!("{base}/reviewSets/{rsid}/export"),
            json!({"outputName": "x", "exportOptions": "originalFiles"})
        )
        .await
        .status,
        202
    );
    assert_eq!(
        g.post(
            &format!("{base}/reviewSets/{rsid}/addToReviewSet"),
            json!({"search": {"id": sid}})
        )
        .await
        .status,
        202
    );
    assert_eq!(
        g.send(reqwest::Method::POST, &format!("{base}/close"), None)
            .await
            .status,
        204
    );
    assert_eq!(g.ok(&base).await["status"], "closed");
    emu.shutdown().await;
}

const BETA_CASES: &str = "/beta/security/cases/ediscoveryCases";
const CASES: &str = "/v1.0/security/cases/ediscoveryCases";

fn fast(speed: f64) -> vigil_emulator::Options {
    let mut o = opts(50);
    o.operation_speed = speed;
    o.budgets.enabled = false;
    o
}

fn id(v: &serde_json::Value) -> String {
    v["id"].as_str().unwrap_or_default().to_string()
}

fn items(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["value"].as_array().cloned().unwrap_or_default()
}

/// GET with `Prefer: include-unknown-enum-members`.
async fn get_all_members(g: &Graph, path: &str) -> serde_json::Value {
    let r = g
        .http
        .get(if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", g.base)
        })
        .bearer_auth(&g.token)
        .header("Prefer", "include-unknown-enum-members")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    r.json().await.unwrap_or_else(|e| panic!("{e}"))
}

async fn wait_for(g: &Graph, path: &str, key: &str, want: &str) -> serde_json::Value {
    for _ in 0..80 {
        let v = g.ok(path).await;
        if v[key] == want {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{path}: {key} never became {want}");
}

#[tokio::test]
async fn legal_holds_in_beta_only_with_sources_retry_and_sync() {
    // Speed 20: a policy syncs in 3 s instead of 60 s.
    let emu = emulator(fast(20.0)).await;
    let g = Graph::analyst(&emu);
    let cid = id(&items(&g.ok(CASES).await)[0]);
    // v1.0 has no legalHolds navigation.
    assert_error(
        &g.get(&format!("{CASES}/{cid}/legalHolds")).await,
        400,
        "BadRequest",
    );
    let base = format!("{BETA_CASES}('{cid}')/legalHolds");
    let seeded = items(&g.ok(&base).await);
    assert!(seeded.iter().any(|h| h["status"] == "success"));
    let pending = seeded
        .iter()
        .find(|h| h["status"] == "pending")
        .unwrap_or_else(|| panic!("a seeded pending policy: {seeded:?}"));
    for k in [
        "displayName",
        "description",
        "contentQuery",
        "isEnabled",
        "errors",
        "createdBy",
        "createdDateTime",
        "lastModifiedBy",
        "lastModifiedDateTime",
    ] {
        assert!(pending.get(k).is_some(), "no {k}: {pending}");
    }
    assert!(seeded.iter().all(|h| h.get("_settleAtMs").is_none()));
    // The seeded pending one is in force a little later (40 s / 20).
    wait_for(&g, &format!("{base}/{}", id(pending)), "status", "success").await;

    let created = g
        .post(
            &base,
            json!({"displayName": "Hold: finance mailboxes", "description": "Created from Graph API", "contentQuery": "Bazooka",
                "userSources@odata.bind": [{"@odata.type": "microsoft.graph.security.userSource", "email": "adelev@contoso.example"}],
                "siteSources@odata.bind": [{"@odata.type": "microsoft.graph.security.siteSource", "site": {"webUrl": "https://contoso.sharepoint.com/sites/Finance"}}]}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["status"], "pending");
    assert_eq!(created.body["isEnabled"], true);
    assert!(
        created.body["@odata.context"]
            .as_str()
            .is_some_and(|c| c.contains("/beta/$metadata#") && c.ends_with("legalHolds/$entity"))
    );
    let hid = id(&created.body);
    let one = format!("{base}('{hid}')");
    assert_eq!(g.ok(&one).await["status"], "pending");
    assert_error(
        &g.post(&base, json!({"displayName": "Hold: finance mailboxes"}))
            .await,
        409,
        "Conflict",
    );
    let users = items(&g.ok(&format!("{one}/userSources")).await);
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["email"], "adelev@contoso.example");
    let sites = items(&g.ok(&format!("{one}/siteSources")).await);
    assert_eq!(
        sites[0]["site"]["webUrl"],
        "https://contoso.sharepoint.com/sites/Finance"
    );
    wait_for(&g, &one, "status", "success").await;

    // Any write syncs the policy again: pending, then success.
    assert_eq!(
        g.patch(
            &one,
            json!({"description": "Narrowed", "contentQuery": "Bazooka AND invoice"})
        )
        .await
        .status,
        204
    );
    let after = g.ok(&one).await;
    assert_eq!(after["status"], "pending");
    assert_eq!(after["description"], "Narrowed");
    assert_error(
        &g.patch(&one, json!({"status": "success"})).await,
        400,
        "BadRequest",
    );
    wait_for(&g, &one, "status", "success").await;
    let added = g
        .post(
            &format!("{one}/userSources"),
            json!({"email": "nestorw@contoso.example"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(g.ok(&one).await["status"], "pending");
    let site_id = id(&sites[0]);
    assert_eq!(
        g.send(
            reqwest::Method::DELETE,
            &format!("{one}/siteSources/{site_id}"),
            None
        )
        .await
        .status,
        204
    );
    assert!(items(&g.ok(&format!("{one}/siteSources")).await).is_empty());
    assert_eq!(items(&g.ok(&format!("{one}/userSources")).await).len(), 2);

    // The seeded failing policy of the second case: error with errors, until retryPolicy.
    let cid2 = id(&items(&g.ok(CASES).await)[1]);
    let holds2 = items(&g.ok(&format!("{BETA_CASES}('{cid2}')/legalHolds")).await);
    let failed = holds2
        .iter()
        .find(|h| h["status"] == "error")
        .unwrap_or_else(|| panic!("a seeded policy in error: {holds2:?}"));
    assert!(failed["errors"].as_array().is_some_and(|e| !e.is_empty()));
    let failed_url = format!("{BETA_CASES}('{cid2}')/legalHolds('{}')", id(failed));
    assert_eq!(
        g.post(
            &format!("{failed_url}/microsoft.graph.security.retryPolicy"),
            json!({})
        )
        .await
        .status,
        204
    );
    assert_eq!(g.ok(&failed_url).await["status"], "pending");
    let ok = wait_for(&g, &failed_url, "status", "success").await;
    assert_eq!(ok["errors"], json!([]));

    assert_eq!(
        g.send(reqwest::Method::DELETE, &one, None).await.status,
        204
    );
    assert_error(&g.get(&one).await, 404, "NotFound");
    emu.shutdown().await;
}

#[tokio::test]
async fn custodian_hold_status_moves_through_its_operation() {
    let mut o = fast(100.0);
    o.operation_duration = Duration::from_secs(60); // 0.6 s at speed 100
    let emu = emulator(o).await;
    let g = Graph::analyst(&emu);
    let cases = items(&g.ok(CASES).await);
    // Seeded custodians in applying/removing settle (their hold operations finish) soon.
    let mut moving = Vec::new();
    for c in &cases {
        for cu in items(&g.ok(&format!("{CASES}/{}/custodians", id(c))).await) {
            if matches!(cu["holdStatus"].as_str(), Some("applying" | "removing")) {
                moving.push(format!("{CASES}/{}/custodians/{}", id(c), id(&cu)));
            }
        }
    }
    assert!(moving.len() >= 4, "{moving:?}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    for m in &moving {
        let s = g.ok(m).await["holdStatus"].clone();
        assert!(s == "applied" || s == "notApplied", "{m} stuck in {s}");
    }

    // A new hold: notApplied -> applying -> applied, then removing -> notApplied.
    let cid = id(&cases[0]);
    let cust = g
        .post(
            &format!("{CASES}/{cid}/custodians"),
            json!({"email": "adelev@contoso.example"}),
        )
        .await;
    assert_eq!(cust.body["holdStatus"], "notApplied");
    let url = format!("{CASES}/{cid}/custodians/{}", id(&cust.body));
    // Its sources are held with it: each carries the custodian's hold status, listed (as
    // Microsoft lists them) without `@odata.type`.
    let sources = format!("{url}/userSources");
    let added = g
        .post(&sources, json!({"email": "adelev@contoso.example"}))
        .await;
    assert_eq!(added.status, 201, "{}", added.body);
    let source_hold = |body: &Value| {
        let all = items(body);
        assert_eq!(all.len(), 1, "{body}");
        assert!(all[0].get("@odata.type").is_none(), "{body}");
        all[0]["holdStatus"].clone()
    };
    assert_eq!(source_hold(&g.ok(&sources).await), "notApplied");
    let r = g
        .post(
            &format!("{url}/microsoft.graph.security.applyHold"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 202);
    let loc = r
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let op = g.ok(&loc).await;
    assert_eq!(
        op["@odata.type"],
        "#microsoft.graph.security.ediscoveryHoldOperation"
    );
    assert_eq!(op["action"], "holdUpdate");
    assert_eq!(g.ok(&url).await["holdStatus"], "applying");
    assert_eq!(source_hold(&g.ok(&sources).await), "applying");
    let filtered = g
        .ok(&format!(
            "{CASES}/{cid}/custodians?$filter=holdStatus eq 'applying'"
        ))
        .await;
    assert!(items(&filtered).iter().any(|c| c["id"] == cust.body["id"]));
    wait_for(&g, &url, "holdStatus", "applied").await;
    assert_eq!(source_hold(&g.ok(&sources).await), "applied");
    assert_eq!(g.ok(&loc).await["status"], "succeeded");
    assert_eq!(
        g.post(&format!("{url}/removeHold"), json!({})).await.status,
        202
    );
    assert_eq!(g.ok(&url).await["holdStatus"], "removing");
    wait_for(&g, &url, "holdStatus", "notApplied").await;
    assert_eq!(source_hold(&g.ok(&sources).await), "notApplied");
    emu.shutdown().await;
}

#[tokio::test]
async fn opt_in_enum_members_qualified_actions_and_export_format() {
    let emu = emulator(fast(20.0)).await; // 20 s operations take 1 s
    let g = Graph::analyst(&emu);
    let cid = id(&items(&g.ok(CASES).await)[0]);
    let base = format!("{CASES}('{cid}')");
    let sid = id(&items(&g.ok(&format!("{base}/searches")).await)[0]);
    let search = format!("{base}/searches('{sid}')");
    let body = json!({"exportCriteria": "searchHits, partiallyIndexed", "additionalOptions": "none", "displayName": "Export 1"});
    // exportResult requires exportFormat.
    assert_error(
        &g.post(
            &format!("{search}/microsoft.graph.security.exportResult"),
            body.clone(),
        )
        .await,
        400,
        "BadRequest",
    );
    let mut with_format = body.clone();
    with_format["exportFormat"] = json!("pst");
    let r = g
        .post(
            &format!("{search}/microsoft.graph.security.exportResult"),
            with_format,
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    let loc = r
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    // Without the Prefer header the opt-in member comes back as unknownFutureValue.
    let plain = g.ok(&loc).await;
    assert_eq!(plain["action"], "unknownFutureValue");
    assert_eq!(
        plain["@odata.type"],
        "#microsoft.graph.security.ediscoverySearchExportOperation"
    );
    let full = get_all_members(&g, &loc).await;
    assert_eq!(full["action"], "exportResult");
    assert_eq!(full["exportFormat"], "pst");
    let listed = get_all_members(&g, &format!("{base}/operations")).await;
    assert!(items(&listed).iter().any(|o| o["action"] == "exportResult"));
    assert!(
        items(&g.ok(&format!("{base}/operations")).await)
            .iter()
            .all(|o| !matches!(
                o["action"].as_str(),
                Some("exportResult" | "exportReport" | "purgeData")
            ))
    );
    // Progress rises over accelerated time, then the export carries its files.
    let mut last = -1;
    let mut done = None;
    for _ in 0..60 {
        let op = get_all_members(&g, &loc).await;
        let p = op["percentProgress"].as_i64().unwrap_or(-1);
        assert!(p >= last, "progress went back");
        last = p;
        if op["status"] != "running" && op["status"] != "notStarted" {
            done = Some(op);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let done = done.unwrap_or_else(|| panic!("never finished"));
    assert_eq!(done["status"], "succeeded");
    assert!(done["exportFileMetadata"][0]["downloadUrl"].is_string());

    // purgeData and exportReport are opt-in too.
    let r = g
        .post(
            &format!("{search}/microsoft.graph.security.purgeData"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 202);
    let loc = r.headers["location"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(g.ok(&loc).await["action"], "unknownFutureValue");
    assert_eq!(get_all_members(&g, &loc).await["action"], "purgeData");

    // Other actions and functions by their qualified names.
    assert_eq!(
        g.post(
            &format!("{search}/microsoft.graph.security.estimateStatistics"),
            json!({})
        )
        .await
        .status,
        202
    );
    let tags = g
        .ok(&format!(
            "{base}/tags/microsoft.graph.security.asHierarchy()"
        ))
        .await;
    assert!(!items(&tags).is_empty());
    assert_eq!(
        g.post(&format!("{base}/microsoft.graph.security.close"), json!({}))
            .await
            .status,
        204
    );
    assert_eq!(g.ok(&base).await["status"], "closed");
    assert_eq!(
        g.post(
            &format!("{base}/microsoft.graph.security.reopen"),
            json!({})
        )
        .await
        .status,
        204
    );
    assert_eq!(g.ok(&base).await["status"], "active");
    emu.shutdown().await;
}

#[tokio::test]
async fn a_year_of_cases_per_tenant_with_work_in_flight() {
    let emu = emulator(fast(1.0)).await;
    let mut names = Vec::new();
    for (tenant, upn) in [
        (CONTOSO, ANALYST),
        (FABRIKAM, "alex.analyst@fabrikam.example"),
    ] {
        let g = Graph::new(&emu, emu.mint_access_token(tenant, upn, ALL_SCOPES));
        let cases = items(&g.ok(CASES).await);
        assert!(cases.len() >= 30, "{tenant}: {} cases", cases.len());
        let days: Vec<i64> = cases
            .iter()
            .filter_map(|c| c["createdDateTime"].as_str())
            .filter_map(|s| s.get(..10).map(str::to_string))
            .map(|d| d.replace('-', "").parse::<i64>().unwrap_or(0))
            .collect();
        let (lo, hi) = (days.iter().min().copied(), days.iter().max().copied());
        assert!(
            hi.zip(lo).is_some_and(|(h, l)| h - l >= 9_000),
            "{lo:?}..{hi:?}"
        );
        let statuses: Vec<&str> = cases.iter().filter_map(|c| c["status"].as_str()).collect();
        for s in ["active", "closed", "closing", "closedWithError"] {
            assert!(statuses.contains(&s), "{tenant}: no {s} case");
        }
        assert!(statuses.iter().filter(|s| **s == "closed").count() >= 5);
        let mut in_flight = 0;
        let mut seen = std::collections::BTreeSet::new();
        for c in &cases {
            let ops = get_all_members(&g, &format!("{CASES}/{}/operations", id(c))).await;
            for o in items(&ops) {
                let s = o["status"].as_str().unwrap_or_default().to_string();
                if s == "running" || s == "notStarted" {
                    in_flight += 1;
                    assert_eq!(o["completedDateTime"], "0001-01-01T00:00:00Z");
                }
                if matches!(s.as_str(), "failed" | "submissionFailed") {
                    assert!(o["resultInfo"]["message"].is_string(), "{o}");
                    assert!(o["resultInfo"]["code"].is_number(), "{o}");
                }
                seen.insert(s);
            }
        }
        assert!(in_flight >= 4, "{tenant}: {in_flight} operations in flight");
        for s in [
            "notStarted",
            "running",
            "succeeded",
            "partiallySucceeded",
            "failed",
            "submissionFailed",
        ] {
            assert!(seen.contains(s), "{tenant}: no {s} operation ({seen:?})");
        }
        names.push(
            cases
                .iter()
                .filter_map(|c| c["displayName"].as_str().map(str::to_string))
                .collect::<std::collections::BTreeSet<_>>(),
        );
    }
    assert!(
        names[0].is_disjoint(&names[1]),
        "Fabrikam has its own case names"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn ediscovery_budget_is_5_a_minute_per_tenant_and_logged() {
    let emu = emulator(opts(50)).await; // the documented budgets
    let g = Graph::analyst(&emu);
    for _ in 0..5 {
        assert_eq!(g.get(CASES).await.status, 200);
    }
    let refused = g.get(&format!("{BETA_CASES}?$top=1")).await;
    assert_error(&refused, 429, "TooManyRequests");
    let wait: u64 = refused.headers["retry-after"]
        .to_str()
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    // Another family and another tenant have their own budgets.
    assert_eq!(g.get("/v1.0/security/alerts_v2?$top=1").await.status, 200);
    let fab = Graph::new(
        &emu,
        emu.mint_access_token(FABRIKAM, "alex.analyst@fabrikam.example", ALL_SCOPES),
    );
    assert_eq!(fab.get(CASES).await.status, 200);

    let log = emu.requests(Some(CONTOSO), Some("ediscovery"));
    assert_eq!(log.len(), 6, "{log:?}");
    assert!(
        log[..5]
            .iter()
            .all(|r| r.status == 200 && r.method == "GET")
    );
    assert_eq!(log[5].status, 429);
    assert_eq!(log[5].version, "beta");
    assert_eq!(log[5].path, "/security/cases/ediscoveryCases?$top=1");
    assert_eq!(emu.requests(Some(FABRIKAM), Some("ediscovery")).len(), 1);
    assert_eq!(emu.requests(Some(CONTOSO), Some("alerts")).len(), 1);

    // The same over HTTP, without a token.
    let body: serde_json::Value = client()
        .get(format!(
            "{}/_emulator/requests?tenant={CONTOSO}&family=ediscovery",
            emu.graph_url()
        ))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let v = items(&body);
    assert_eq!(v.len(), 6);
    assert_eq!(v[5]["status"], 429);
    assert!(v[0]["timeMs"].as_i64() <= v[5]["timeMs"].as_i64());
    assert_eq!(v[0]["family"], "ediscovery");
    emu.clear_requests();
    assert!(emu.requests(None, None).is_empty());
    emu.shutdown().await;
}

#[tokio::test]
async fn legal_holds_persist_with_state() {
    let dir = std::env::temp_dir().join(format!("vigil-emu-holds-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    let mut o = fast(1.0);
    o.state = Some(file.clone());
    let emu = emulator(o.clone()).await;
    let g = Graph::analyst(&emu);
    let cid = id(&items(&g.ok(CASES).await)[2]);
    let base = format!("{BETA_CASES}/{cid}/legalHolds");
    let created = g
        .post(
            &base,
            json!({"displayName": "Persisted hold", "userSources@odata.bind": [{"email": "adelev@contoso.example"}]}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let one = format!("{base}/{}", id(&created.body));
    let before = g.ok(&one).await;
    let users_before = g.ok(&format!("{one}/userSources")).await;
    emu.shutdown().await;

    let emu = emulator(o).await;
    let g = Graph::analyst(&emu);
    let after = g.ok(&one).await;
    assert_eq!(after["displayName"], before["displayName"]);
    assert_eq!(after["createdDateTime"], before["createdDateTime"]);
    assert_eq!(after["status"], "pending", "still syncing after a restart");
    assert_eq!(
        items(&g.ok(&format!("{one}/userSources")).await),
        items(&users_before)
    );
    emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
