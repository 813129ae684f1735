//! eDiscovery over HTTP: seeded cases, an operation that progresses to completion, holds.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;

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
