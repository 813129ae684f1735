//! Alerts and incidents over HTTP: paging, every `$filter` operator, PATCH, comments,
//! `$expand`, and the 400s for what Graph does not support.

mod common;

use std::collections::HashSet;

use common::*;
use serde_json::{Value, json};
use vigil_emulator::util::parse_dt;

fn enc(s: &str) -> String {
    vigil_emulator::util::encode_component(s)
}

#[tokio::test]
async fn pages_ten_thousand_alerts_without_gaps() {
    let mut o = opts(10_000);
    o.budgets.enabled = false;
    let emu = emulator(o).await;
    let g = Graph::analyst(&emu);
    let (items, pages, count) = g.all("/v1.0/security/alerts_v2?$count=true&$top=500").await;
    assert_eq!(count, Some(10_000));
    assert_eq!(items.len(), 10_000);
    assert_eq!(pages, 20);
    let ids: HashSet<&str> = items.iter().filter_map(|a| a["id"].as_str()).collect();
    assert_eq!(ids.len(), 10_000, "duplicate ids across pages");
    // Newest first.
    let times: Vec<i64> = items
        .iter()
        .filter_map(|a| a["createdDateTime"].as_str().and_then(parse_dt))
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    // Default page size and the documented providers, with their id prefixes.
    let first = g.ok("/v1.0/security/alerts_v2").await;
    assert_eq!(first["value"].as_array().map(Vec::len), Some(100));
    let next = first["@odata.nextLink"].as_str().unwrap_or_default();
    assert!(
        next.starts_with(&format!("{}/v1.0/security/alerts_v2?", emu.graph_url()))
            && next.contains("$skiptoken=")
    );
    for (prefix, source) in [
        ("da", "microsoftDefenderForEndpoint"),
        ("fa", "microsoftDefenderForOffice365"),
        ("aa", "microsoftDefenderForIdentity"),
        ("ca", "microsoftDefenderForCloudApps"),
        ("ad", "azureAdIdentityProtection"),
        ("dl", "dataLossPrevention"),
    ] {
        let a = items
            .iter()
            .find(|a| a["id"].as_str().is_some_and(|i| i.starts_with(prefix)))
            .unwrap_or_else(|| panic!("no {prefix} alert"));
        assert_eq!(a["serviceSource"], source);
    }
    // A filtered crawl agrees with counting by hand.
    let high_open = items
        .iter()
        .filter(|a| a["severity"] == "high" && a["status"] != "resolved")
        .count();
    let (f, _, c) = g
        .all(&format!(
            "/v1.0/security/alerts_v2?$count=true&$top=200&$filter={}",
            enc("severity eq 'high' and status ne 'resolved'")
        ))
        .await;
    assert_eq!((f.len(), c), (high_open, Some(high_open as u64)));
    // $skip offsets.
    let s = g.ok("/v1.0/security/alerts_v2?$top=3&$skip=9998").await;
    assert_eq!(s["value"].as_array().map(Vec::len), Some(2));
    assert!(s.get("@odata.nextLink").is_none());
    emu.shutdown().await;
}

type Pred = Box<dyn Fn(&Value) -> bool>;

#[tokio::test]
async fn every_filter_operator() {
    let emu = emulator(opts(600)).await;
    let g = Graph::analyst(&emu);
    let (all, _, _) = g.all("/v1.0/security/alerts_v2?$top=2000").await;
    let mid = all[all.len() / 2]["createdDateTime"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mid_ms = parse_dt(&mid).unwrap_or(0);
    let sev_rank = |s: &Value| {
        ["unknown", "informational", "low", "medium", "high"]
            .iter()
            .position(|x| s == *x)
            .unwrap_or(0)
    };
    let t = |a: &Value| parse_dt(a["createdDateTime"].as_str().unwrap_or("")).unwrap_or(0);
    let cases: Vec<(String, Pred)> = vec![
        (
            "severity eq 'high'".into(),
            Box::new(|a: &Value| a["severity"] == "high"),
        ),
        (
            "severity ne 'high'".into(),
            Box::new(|a: &Value| a["severity"] != "high"),
        ),
        (
            "severity gt 'low'".into(),
            Box::new(move |a: &Value| sev_rank(&a["severity"]) > 2),
        ),
        (
            "severity ge 'medium'".into(),
            Box::new(move |a: &Value| sev_rank(&a["severity"]) >= 3),
        ),
        (
            "severity lt 'medium'".into(),
            Box::new(move |a: &Value| sev_rank(&a["severity"]) < 3),
        ),
        (
            "severity le 'low'".into(),
            Box::new(move |a: &Value| sev_rank(&a["severity"]) <= 2),
        ),
        (
            format!("createdDateTime gt {mid}"),
            Box::new(move |a: &Value| t(a) > mid_ms),
        ),
        (
            format!("createdDateTime le {mid}"),
            Box::new(move |a: &Value| t(a) <= mid_ms),
        ),
        (
            "status eq 'new' or status eq 'inProgress'".into(),
            Box::new(|a: &Value| a["status"] == "new" || a["status"] == "inProgress"),
        ),
        (
            "not (status eq 'resolved')".into(),
            Box::new(|a: &Value| a["status"] != "resolved"),
        ),
        (
            "(severity eq 'high' or severity eq 'medium') and assignedTo eq null".into(),
            Box::new(|a: &Value| {
                (a["severity"] == "high" || a["severity"] == "medium") && a["assignedTo"].is_null()
            }),
        ),
        (
            "assignedTo eq 'alex.analyst@contoso.example'".into(),
            Box::new(|a: &Value| a["assignedTo"] == ANALYST),
        ),
        (
            "serviceSource eq microsoft.graph.security.serviceSource'dataLossPrevention'".into(),
            Box::new(|a: &Value| a["serviceSource"] == "dataLossPrevention"),
        ),
        (
            "classification eq 'truePositive' and determination ne 'malware'".into(),
            Box::new(|a: &Value| {
                a["classification"] == "truePositive" && a["determination"] != "malware"
            }),
        ),
    ];
    for (f, pred) in cases {
        let expected = all.iter().filter(|a| pred(a)).count();
        let (got, _, count) = g
            .all(&format!(
                "/v1.0/security/alerts_v2?$count=true&$top=2000&$filter={}",
                enc(&f)
            ))
            .await;
        assert_eq!(got.len(), expected, "{f}");
        assert_eq!(count, Some(expected as u64), "{f}");
        assert!(got.iter().all(pred), "{f}");
    }
    // String literals escape quotes by doubling them, and match the undoubled value.
    let target = all[0]["id"].as_str().unwrap_or_default().to_string();
    let r = g
        .patch(
            &format!("/v1.0/security/alerts_v2/{target}"),
            json!({"assignedTo": "o'brien@contoso.example"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = g
        .ok(&format!(
            "/v1.0/security/alerts_v2?$filter={}",
            enc("assignedTo eq 'o''brien@contoso.example'")
        ))
        .await;
    let hits: Vec<&str> = r["value"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["id"].as_str())
        .collect();
    assert_eq!(hits, [target.as_str()]);
    // The live refresh's query.
    let recent = g
        .ok(&format!(
            "/v1.0/security/alerts_v2?$filter={}",
            enc(&format!("lastUpdateDateTime gt {mid}"))
        ))
        .await;
    assert!(recent["value"].as_array().is_some_and(|v| !v.is_empty()));
    // Unsupported things are 400s, never silently ignored.
    for bad in [
        "/v1.0/security/alerts_v2?$filter=title%20eq%20'x'",
        "/v1.0/security/alerts_v2?$filter=severity%20eq%20'severe'",
        "/v1.0/security/alerts_v2?$filter=severity%20eq",
        "/v1.0/security/alerts_v2?$filter=startswith(title,'x')",
        "/v1.0/security/alerts_v2?$filter=createdDateTime%20gt%20'2024-01-01'",
        "/v1.0/security/alerts_v2?$orderby=createdDateTime",
        "/v1.0/security/alerts_v2?$select=title",
        "/v1.0/security/alerts_v2?$expand=evidence",
        "/v1.0/security/alerts_v2?$search=x",
        "/v1.0/security/alerts_v2?$top=5000",
        "/v1.0/security/alerts_v2?$top=abc",
        "/v1.0/security/alerts_v2?$skiptoken=garbage",
        "/v1.0/security/incidents?$top=51",
    ] {
        assert_error(&g.get(bad).await, 400, "BadRequest");
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn patch_comment_and_expand() {
    let emu = emulator(opts(300)).await;
    let g = Graph::analyst(&emu);
    let list = g.ok("/v1.0/security/alerts_v2?$top=1").await;
    let id = list["value"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let before = list["value"][0]["lastUpdateDateTime"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = g.patch(&format!("/v1.0/security/alerts_v2/{id}"), json!({"status": "resolved", "classification": "truePositive", "determination": "malware", "assignedTo": "secAdmin@contoso.example"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "resolved");
    assert!(r.body["resolvedDateTime"].is_string());
    assert!(
        r.body["evidence"].is_array(),
        "PATCH returns the whole alert"
    );
    assert!(r.body["lastUpdateDateTime"].as_str().unwrap_or_default() > before.as_str());
    let again = g.ok(&format!("/v1.0/security/alerts_v2/{id}")).await;
    assert_eq!(again["assignedTo"], "secAdmin@contoso.example");
    // The live refresh finds it.
    let f = g
        .ok(&format!(
            "/v1.0/security/alerts_v2?$filter={}",
            enc(&format!("lastUpdateDateTime gt {before}"))
        ))
        .await;
    assert!(
        f["value"]
            .as_array()
            .is_some_and(|v| v.iter().any(|a| a["id"] == id.as_str()))
    );
    // Not patchable / bad values.
    assert_error(
        &g.patch(
            &format!("/v1.0/security/alerts_v2/{id}"),
            json!({"title": "x"}),
        )
        .await,
        400,
        "BadRequest",
    );
    assert_error(
        &g.patch(
            &format!("/v1.0/security/alerts_v2/{id}"),
            json!({"status": "closed"}),
        )
        .await,
        400,
        "BadRequest",
    );
    let raw = g
        .http
        .patch(format!("{}/v1.0/security/alerts_v2/{id}", g.base))
        .bearer_auth(&g.token)
        .body("{not json")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(raw.status().as_u16(), 400);
    assert_error(
        &g.get("/v1.0/security/alerts_v2/da000_0").await,
        404,
        "NotFound",
    );

    let c = g.post(&format!("/v1.0/security/alerts_v2/{id}/comments"), json!({"@odata.type": "microsoft.graph.security.alertComment", "comment": "<script>alert(1)</script> looked at it"})).await;
    assert_eq!(c.status, 200, "{}", c.body);
    let comments = c.body["value"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        comments.last().map(|x| x["comment"].clone()),
        Some(json!("<script>alert(1)</script> looked at it"))
    );
    assert_eq!(
        comments.last().map(|x| x["createdByDisplayName"].clone()),
        Some(json!(ANALYST))
    );
    assert_error(
        &g.post(
            &format!("/v1.0/security/alerts_v2/{id}/comments"),
            json!({"comment": ""}),
        )
        .await,
        400,
        "BadRequest",
    );

    let inc = g.ok("/v1.0/security/incidents?$expand=alerts&$top=5").await;
    for i in inc["value"].as_array().into_iter().flatten() {
        let alerts = i["alerts"].as_array().cloned().unwrap_or_default();
        assert!(!alerts.is_empty());
        assert!(alerts.iter().all(|a| a["incidentId"] == i["id"]));
    }
    let iid = inc["value"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let one = g
        .ok(&format!("/v1.0/security/incidents/{iid}?$expand=alerts"))
        .await;
    assert!(one["alerts"].is_array());
    let p = g.patch(&format!("/v1.0/security/incidents/{iid}"), json!({"status": "resolved", "customTags": ["Demo", "Reviewed"], "classification": "falsePositive", "determination": "notMalicious"})).await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert_eq!(p.body["customTags"], json!(["Demo", "Reviewed"]));
    let pc = g
        .post(
            &format!("/v1.0/security/incidents/{iid}/comments"),
            json!({"comment": "Closing 🔒"}),
        )
        .await;
    assert_eq!(pc.status, 200);
    assert!(
        pc.body["value"]
            .as_array()
            .is_some_and(|v| v.iter().any(|x| x["comment"] == "Closing 🔒"))
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn demo_tenant_content() {
    let emu = emulator(opts(400)).await;
    let g = Graph::analyst(&emu);
    let (all, _, _) = g.all("/v1.0/security/alerts_v2?$top=2000").await;
    let text = serde_json::to_string(&all).unwrap_or_default();
    for needle in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\u{202E}",
        "🔒",
        "\u{0301}",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
    let kinds: HashSet<String> = all
        .iter()
        .flat_map(|a| a["evidence"].as_array().cloned().unwrap_or_default())
        .filter_map(|e| e["@odata.type"].as_str().map(str::to_string))
        .collect();
    for k in [
        "userEvidence",
        "deviceEvidence",
        "ipEvidence",
        "fileEvidence",
        "urlEvidence",
        "mailboxEvidence",
        "analyzedMessageEvidence",
        "cloudApplicationEvidence",
        "processEvidence",
        "registryKeyEvidence",
        "registryValueEvidence",
    ] {
        assert!(
            kinds.contains(&format!("#microsoft.graph.security.{k}")),
            "no {k}"
        );
    }
    // The planted stories (out-of-band ground truth) cross at least three providers each.
    let truth = emu.ground_truth(CONTOSO);
    assert_eq!(truth.len(), 3);
    assert_eq!(truth, vigil_emulator::ground_truth(42, 400, CONTOSO));
    for story in &truth {
        let ids: HashSet<&str> = story.alert_ids.iter().map(String::as_str).collect();
        let sources: HashSet<&str> = all
            .iter()
            .filter(|a| a["id"].as_str().is_some_and(|i| ids.contains(i)))
            .filter_map(|a| a["serviceSource"].as_str())
            .collect();
        assert_eq!(sources.len(), story.providers.len(), "{}", story.name);
        assert!(sources.len() >= 3, "{}: {sources:?}", story.name);
    }
    // Tenant isolation: Fabrikam has its own, different data.
    let fab = Graph::new(
        &emu,
        emu.mint_access_token(FABRIKAM, "alex.analyst@fabrikam.example", ALL_SCOPES),
    );
    let f = fab.ok("/v1.0/security/alerts_v2?$top=5").await;
    assert!(
        f["value"]
            .as_array()
            .is_some_and(|v| v.iter().all(|a| a["tenantId"] == FABRIKAM))
    );
    assert_error(
        &fab.get(&format!(
            "/v1.0/security/alerts_v2/{}",
            all[0]["id"].as_str().unwrap_or_default()
        ))
        .await,
        404,
        "NotFound",
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn planted_stories_are_split_and_unmarked() {
    let emu = emulator(opts(3000)).await;
    let g = Graph::analyst(&emu);
    let (alerts, _, _) = g.all("/v1.0/security/alerts_v2?$top=1000").await;
    let (incidents, _, _) = g.all("/v1.0/security/incidents?$top=50").await;
    let served = format!(
        "{}{}",
        serde_json::to_string(&alerts).unwrap_or_default(),
        serde_json::to_string(&incidents).unwrap_or_default()
    );
    let truth = emu.ground_truth(CONTOSO);
    assert_eq!(truth.len(), 3);
    // Nothing served marks a story.
    for marker in [
        "vigilStory",
        "Planted story",
        "Story 1",
        "Story 2",
        "Story 3",
    ] {
        assert!(!served.contains(marker), "served {marker:?}");
    }
    for story in &truth {
        assert!(!served.contains(&story.name), "served {:?}", story.name);
    }
    let by_id: std::collections::HashMap<&str, &Value> = alerts
        .iter()
        .filter_map(|a| Some((a["id"].as_str()?, a)))
        .collect();
    let mut story_alerts = HashSet::new();
    for story in &truth {
        // Two or three Defender incidents plus one or two alerts in none.
        assert!((2..=3).contains(&story.incident_ids.len()), "{story:?}");
        assert!(
            (1..=2).contains(&story.unincidented_alert_ids.len()),
            "{story:?}"
        );
        let incs: HashSet<&str> = story
            .alert_ids
            .iter()
            .filter_map(|i| by_id.get(i.as_str())?["incidentId"].as_str())
            .collect();
        let want: HashSet<&str> = story.incident_ids.iter().map(String::as_str).collect();
        assert_eq!(incs, want, "{}", story.name);
        for i in &story.unincidented_alert_ids {
            assert!(by_id[i.as_str()]["incidentId"].is_null());
        }
        story_alerts.extend(story.alert_ids.iter().map(String::as_str));
        // Story incidents are not story-only containers: no tag, no story name.
        for inc in incidents
            .iter()
            .filter(|i| i["id"].as_str().is_some_and(|x| want.contains(x)))
        {
            assert!(inc["displayName"].as_str().is_some_and(|d| !d.is_empty()));
        }
    }
    // The story's indicators are its own: no other alert carries them except its decoys.
    for story in &truth {
        let decoys: HashSet<&str> = story.decoy_alert_ids.iter().map(String::as_str).collect();
        assert_eq!(decoys.len(), 3);
        let mut decoy_hits = 0;
        for a in &alerts {
            let id = a["id"].as_str().unwrap_or_default();
            if story.alert_ids.iter().any(|s| s == id) {
                continue;
            }
            let text = a["evidence"].to_string();
            let hits: Vec<&String> = story
                .iocs
                .iter()
                .filter(|i| text.contains(i.as_str()))
                .collect();
            if decoys.contains(id) {
                decoy_hits += hits.len();
            } else {
                assert!(hits.is_empty(), "{id} carries {hits:?} of {}", story.name);
            }
            assert!(!story_alerts.contains(id) || hits.is_empty());
        }
        assert_eq!(
            decoy_hits, 1,
            "{}: the far decoy shares exactly the IP",
            story.name
        );
    }
    // Noise indicators are diverse: not a dozen IPs for everything.
    let ips: HashSet<&str> = alerts
        .iter()
        .flat_map(|a| a["evidence"].as_array().into_iter().flatten())
        .filter_map(|e| e["ipAddress"].as_str())
        .collect();
    assert!(ips.len() > 300, "{} distinct IPs", ips.len());
    emu.shutdown().await;
}
