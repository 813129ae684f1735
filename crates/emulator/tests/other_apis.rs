//! Hunting, threat submissions, threat intelligence, directory pivots, eDiscovery creation and
//! the app origin.

mod common;

use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn hunting_queries() {
    let emu = emulator(opts(400)).await;
    let g = Graph::analyst(&emu);
    let hunt = |q: &str| g.post("/v1.0/security/runHuntingQuery", json!({"Query": q}));
    let r = hunt("AlertInfo | where Severity == \"high\" and Timestamp > ago(30d) | project Timestamp, AlertId, Title | order by Timestamp desc | take 5").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.body["schema"][0],
        json!({"name": "Timestamp", "type": "DateTime"})
    );
    let rows = r.body["results"].as_array().cloned().unwrap_or_default();
    assert!(!rows.is_empty() && rows.len() <= 5);
    assert!(
        rows.windows(2)
            .all(|w| w[0]["Timestamp"].as_str() >= w[1]["Timestamp"].as_str())
    );
    assert!(
        rows.iter()
            .all(|x| x.as_object().map(|o| o.len()) == Some(3))
    );

    let r = hunt("AlertEvidence | where EntityType in (\"File\", \"Process\") and SHA256 != \"\" | summarize Alerts = count() by SHA256, FileName | order by Alerts desc").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let rows = r.body["results"].as_array().cloned().unwrap_or_default();
    assert!(
        rows.iter().any(|x| x["FileName"] == "rclone.exe"),
        "the planted rclone hash is huntable"
    );
    let r = hunt("AlertEvidence | where RemoteIP == \"185.220.101.47\" or AccountUpn has \"contoso\" | count").await;
    let either = r.body["results"][0]["Count"].as_u64().unwrap_or(0);
    let r = hunt("AlertEvidence | where RemoteIP == \"185.220.101.47\" | count").await;
    let ip = r.body["results"][0]["Count"].as_u64().unwrap_or(0);
    assert!(ip > 0 && either > ip, "{ip} {either}");
    let r = hunt("AlertInfo | where Title contains \"<script>\" | project Title").await;
    assert!(r.body["results"].as_array().is_some_and(|v| !v.is_empty()));

    // The operators analysts write, and bin() over time.
    let r = g
        .post(
            "/v1.0/security/microsoft.graph.security.runHuntingQuery",
            json!({"Query": "AlertInfo | summarize count() by bin(Timestamp, 1d) | order by Timestamp asc"}),
        )
        .await;
    assert_eq!(r.status, 200, "the SDKs' path: {}", r.body);
    let days = r.body["results"].as_array().cloned().unwrap_or_default();
    assert!(days.len() >= 7, "{}", days.len());
    assert!(days.iter().all(|d| {
        d["Timestamp"]
            .as_str()
            .is_some_and(|t| t.contains("T00:00:00"))
    }));
    let total: u64 = days.iter().filter_map(|d| d["count_"].as_u64()).sum();
    let all = hunt("AlertInfo | count").await.body["results"][0]["Count"].as_u64();
    assert_eq!(Some(total), all, "every alert is in one day");
    let r = hunt("AlertInfo | where Severity =~ \"HIGH\" and Severity !~ \"low\" and Category in~ (\"MALWARE\", \"initialaccess\") | summarize n = count(), d = dcount(ServiceSource), s = make_set(ServiceSource) by Category").await;
    assert_eq!(r.status, 200, "{}", r.body);
    for row in r.body["results"].as_array().into_iter().flatten() {
        assert_eq!(
            row["d"].as_u64(),
            row["s"].as_array().map(|a| a.len() as u64)
        );
        assert!(row["Category"].as_str().is_some_and(
            |c| c.eq_ignore_ascii_case("malware") || c.eq_ignore_ascii_case("initialaccess")
        ));
    }
    let r = hunt("AlertEvidence | where Title has_any (\"ransomware\", \"phishing\") | extend Upper = AccountUpn | project-away FolderPath | distinct AlertId, Title | top 3 by Title asc").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let rows = r.body["results"].as_array().cloned().unwrap_or_default();
    assert!(!rows.is_empty() && rows.len() <= 3);
    let r = hunt("AlertInfo | summarize arg_max(Timestamp, Title) by Severity").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["schema"][2]["name"], "Title");
    let e = hunt("AlertInfo | where Severity == \"high\" and | take 5").await;
    assert_error(&e, 400, "BadRequest");
    assert!(
        e.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("could not be parsed")),
        "{}",
        e.body
    );
    assert_error(
        &hunt("DeviceProcessEvents | take 1").await,
        400,
        "BadRequest",
    );
    assert_error(
        &hunt("AlertInfo | where Nope == 1").await,
        400,
        "BadRequest",
    );
    assert_error(
        &hunt("AlertInfo | join kind=inner AlertEvidence on AlertId").await,
        400,
        "BadRequest",
    );
    assert_error(
        &g.post("/v1.0/security/runHuntingQuery", json!({"query2": "x"}))
            .await,
        400,
        "BadRequest",
    );
    let reader = Graph::new(
        &emu,
        emu.mint_access_token(CONTOSO, ANALYST, &["SecurityAlert.Read.All"]),
    );
    assert_error(
        &reader
            .post(
                "/v1.0/security/runHuntingQuery",
                json!({"Query": "AlertInfo"}),
            )
            .await,
        403,
        "Forbidden",
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn submissions_intel_and_pivots() {
    let emu = emulator(opts(200)).await;
    let g = Graph::analyst(&emu);
    let created = g
        .post("/beta/security/threatSubmission/urlThreats", json!({"@odata.type": "#microsoft.graph.security.urlThreatSubmission", "category": "phishing", "webUrl": "http://phishing.contoso.com"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["tenantId"], CONTOSO);
    let list = g.ok("/beta/security/threatSubmission/urlThreats?$filter=category%20eq%20'phishing'&$count=true").await;
    assert!(
        list["value"]
            .as_array()
            .is_some_and(|v| v.iter().any(|x| x["id"] == created.body["id"]))
    );
    assert_error(
        &g.post(
            "/beta/security/threatSubmission/urlThreats",
            json!({"category": "phishing"}),
        )
        .await,
        400,
        "BadRequest",
    );
    // Running, then its verdict: a host the tenant's intelligence calls malicious is phishing.
    let bad = g
        .post("/beta/security/threatSubmission/urlThreats", json!({"@odata.type": "#microsoft.graph.security.urlThreatSubmission", "category": "phishing", "webUrl": "https://invoice-share.net/login"}))
        .await;
    assert_eq!(bad.body["status"], "running");
    let url = format!(
        "/beta/security/threatSubmission/urlThreats/{}",
        bad.body["id"].as_str().unwrap_or_default()
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let done = loop {
        let s = g.ok(&url).await;
        if s["status"] == "succeeded" || std::time::Instant::now() > deadline {
            break s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["result"]["category"], "phishing");
    assert_eq!(done["result"]["detail"], "urlFileShouldBeBlocked");
    assert_error(
        &g.get("/v1.0/security/threatSubmission/urlThreats").await,
        400,
        "BadRequest",
    );

    let host = g
        .ok("/v1.0/security/threatIntelligence/hosts/login-micros0ft-support.com")
        .await;
    assert_eq!(host["@odata.type"], "#microsoft.graph.security.hostname");
    let rep = g
        .ok("/v1.0/security/threatIntelligence/hosts/185.220.101.47/reputation")
        .await;
    assert!(rep["score"].as_i64().is_some_and(|s| s > 50));
    let arts = g
        .ok("/v1.0/security/threatIntelligence/articles?$select=title&$orderby=title&$count=true")
        .await;
    let titles: Vec<&str> = arts["value"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]) && !titles.is_empty());
    assert!(
        arts["value"][0].get("body").is_none(),
        "$select trims properties"
    );

    // Pivot from evidence to the directory.
    let (alerts, _, _) = g.all("/v1.0/security/alerts_v2?$top=200").await;
    let ev: Vec<Value> = alerts
        .iter()
        .flat_map(|a| a["evidence"].as_array().cloned().unwrap_or_default())
        .collect();
    let device = ev
        .iter()
        .find(|e| {
            e["@odata.type"] == "#microsoft.graph.security.deviceEvidence"
                && e["azureAdDeviceId"].is_string()
        })
        .cloned()
        .unwrap_or_default();
    let aad = device["azureAdDeviceId"].as_str().unwrap_or_default();
    let d = g
        .ok(&format!("/v1.0/devices?$filter=deviceId%20eq%20'{aad}'"))
        .await;
    assert_eq!(d["value"].as_array().map(Vec::len), Some(1));
    let user = ev
        .iter()
        .find(|e| {
            // A person (a service account has no department).
            e["@odata.type"] == "#microsoft.graph.security.userEvidence"
                && e["userAccount"]["userPrincipalName"].is_string()
                && e["userAccount"]["azureAdUserId"].is_string()
                && e["roles"] == serde_json::json!(["compromised"])
        })
        .cloned()
        .unwrap_or_default();
    let upn = user["userAccount"]["userPrincipalName"]
        .as_str()
        .unwrap_or_default();
    let u = g.ok(&format!("/v1.0/users/{upn}")).await;
    assert_eq!(u["userPrincipalName"], upn);
    assert!(u.get("department").is_none(), "default properties only");
    let u = g
        .ok(&format!(
            "/v1.0/users/{}?$select=department,accountEnabled",
            user["userAccount"]["azureAdUserId"]
                .as_str()
                .unwrap_or_default()
        ))
        .await;
    assert!(u["department"].is_string());
    assert_error(
        &g.get("/v1.0/users/nobody@contoso.example").await,
        404,
        "Request_ResourceNotFound",
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn ediscovery_creation() {
    let mut o = opts(50);
    o.budgets.enabled = false;
    let emu = emulator(o).await;
    let g = Graph::new(
        &emu,
        emu.mint_access_token(
            CONTOSO,
            "erin.ediscovery@contoso.example",
            &["eDiscovery.ReadWrite.All"],
        ),
    );
    let c = g
        .post(
            "/v1.0/security/cases/ediscoveryCases",
            json!({"displayName": "New matter", "description": "d"}),
        )
        .await;
    assert_eq!(c.status, 201, "{}", c.body);
    let cid = c.body["id"].as_str().unwrap_or_default().to_string();
    let base = format!("/v1.0/security/cases/ediscoveryCases('{cid}')");
    assert_eq!(
        g.post(
            "/v1.0/security/cases/ediscoveryCases",
            json!({"displayName": "New matter"})
        )
        .await
        .status,
        409
    );
    let cu = g
        .post(
            &format!("{base}/custodians"),
            json!({"email": "adelev@contoso.example"}),
        )
        .await;
    assert_eq!(cu.status, 201);
    let cuid = cu.body["id"].as_str().unwrap_or_default().to_string();
    let us = g
        .post(
            &format!("{base}/custodians/{cuid}/userSources"),
            json!({"email": "adelev@contoso.example", "includedSources": "mailbox,site"}),
        )
        .await;
    assert_eq!(us.status, 201, "{}", us.body);
    assert_eq!(
        g.ok(&format!("{base}/custodians/{cuid}/userSources")).await["value"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let rs = g
        .post(&format!("{base}/reviewSets"), json!({"displayName": "RS"}))
        .await;
    let rsid = rs.body["id"].as_str().unwrap_or_default().to_string();
    let q = g
        .post(
            &format!("{base}/reviewSets/{rsid}/queries"),
            json!({"displayName": "Q", "contentQuery": "(Author=\"edison\")"}),
        )
        .await;
    assert_eq!(q.status, 201, "{}", q.body);
    assert_eq!(
        g.send(
            reqwest::Method::PATCH,
            &base,
            Some(json!({"description": "changed"}))
        )
        .await
        .status,
        204
    );
    assert_eq!(g.ok(&base).await["description"], "changed");
    assert_eq!(
        g.send(reqwest::Method::DELETE, &base, None).await.status,
        204
    );
    assert_error(&g.get(&base).await, 404, "NotFound");
    emu.shutdown().await;
}

#[tokio::test]
async fn app_origin_config_and_spa_fallback() {
    let dist = std::env::temp_dir().join(format!("vigil-emu-dist-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dist);
    let _ = std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Vigil</title>",
    );
    let _ = std::fs::write(dist.join("app.js"), "console.log(1)");
    let mut o = opts(50);
    o.dist = Some(dist.clone());
    let emu = emulator(o).await;
    let http = client();
    let cfg: Value = http
        .get(format!("{}/config.json", emu.app_url()))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(cfg["authority"], emu.authority_url());
    assert_eq!(cfg["graphBaseUrl"], emu.graph_url());
    assert_eq!(
        cfg["redirectUri"],
        format!("{}/auth/callback", emu.app_url())
    );
    assert_eq!(cfg["clientId"], CLIENT_ID);
    assert_eq!(cfg["tenants"][0]["id"], CONTOSO);
    assert_eq!(cfg["tenants"][1]["name"], "Fabrikam (demo)");
    assert_eq!(cfg["refreshTokenStorage"], "session");
    let deep = http
        .get(format!("{}/alerts/da123?x=1", emu.app_url()))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(deep.status().as_u16(), 200);
    assert!(
        deep.text()
            .await
            .unwrap_or_default()
            .contains("<title>Vigil</title>")
    );
    let js = http
        .get(format!("{}/app.js", emu.app_url()))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(js.text().await.unwrap_or_default(), "console.log(1)");
    emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dist);
}

#[tokio::test]
async fn live_alerts_arrive_for_the_refresh_query() {
    let mut o = opts(60);
    o.live_interval = Some(std::time::Duration::from_millis(200));
    o.budgets.enabled = false;
    let emu = emulator(o).await;
    let g = Graph::analyst(&emu);
    let since = vigil_emulator::util::fmt_ms(vigil_emulator::util::now_ms() - 1);
    let filter = vigil_emulator::util::encode_component(&format!("lastUpdateDateTime gt {since}"));
    let mut found = Vec::new();
    for _ in 0..30 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        found = g
            .ok(&format!("/v1.0/security/alerts_v2?$filter={filter}"))
            .await["value"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if found.len() >= 2 {
            break;
        }
    }
    assert!(found.len() >= 2, "no live alerts arrived");
    assert!(found.iter().all(|a| a["status"] == "new"));
    // Newest first, and each lives in its own incident.
    let first = g.ok("/v1.0/security/alerts_v2?$top=1").await;
    assert_eq!(first["value"][0]["id"], found[0]["id"]);
    let iid = found[0]["incidentId"].as_str().unwrap_or_default();
    let inc = g
        .ok(&format!("/v1.0/security/incidents/{iid}?$expand=alerts"))
        .await;
    assert_eq!(inc["alerts"][0]["id"], found[0]["id"]);
    emu.shutdown().await;
}

#[tokio::test]
async fn directory_context_manager_and_registered_owners() {
    let emu = emulator(opts(100)).await;
    let g = Graph::analyst(&emu);
    let (users, _, _) = g.all("/v1.0/users?$select=id,department").await;
    // Someone who is not the first of their department reports to that first person.
    let (head, member) = users
        .iter()
        .enumerate()
        .find_map(|(i, u)| {
            let first = users
                .iter()
                .position(|v| v["department"] == u["department"])?;
            (first != i && first != 0).then(|| (users[first].clone(), u.clone()))
        })
        .expect("a department with two people");
    let id = member["id"].as_str().unwrap_or_default();
    let m = g.ok(&format!("/v1.0/users/{id}/manager")).await;
    assert_eq!(m["@odata.type"], "#microsoft.graph.user");
    assert_eq!(m["id"], head["id"]);
    assert!(m["displayName"].is_string() && m["userPrincipalName"].is_string());
    assert!(
        m["@odata.context"]
            .as_str()
            .unwrap_or_default()
            .ends_with("$metadata#directoryObjects/$entity")
    );
    // The head of the organisation has none.
    let top = users[0]["id"].as_str().unwrap_or_default();
    assert_error(
        &g.get(&format!("/v1.0/users/{top}/manager")).await,
        404,
        "Request_ResourceNotFound",
    );

    let (devices, _, _) = g.all("/v1.0/devices").await;
    let dev = devices[0]["id"].as_str().unwrap_or_default();
    let o = g.ok(&format!("/v1.0/devices/{dev}/registeredOwners")).await;
    assert!(
        o["@odata.context"]
            .as_str()
            .unwrap_or_default()
            .ends_with("$metadata#directoryObjects")
    );
    let owners = o["value"].as_array().cloned().unwrap_or_default();
    assert_eq!(owners.len(), 1, "{o}");
    assert_eq!(owners[0]["@odata.type"], "#microsoft.graph.user");
    assert!(owners[0]["userPrincipalName"].is_string());
    assert_error(
        &g.get("/v1.0/devices/nope/registeredOwners").await,
        404,
        "Request_ResourceNotFound",
    );

    // Without the directory scopes both are refused, saying so.
    let basic = Graph::new(
        &emu,
        emu.mint_access_token(
            CONTOSO,
            ANALYST,
            &["SecurityAlert.Read.All", "User.ReadBasic.All"],
        ),
    );
    assert_error(
        &basic.get(&format!("/v1.0/users/{id}/manager")).await,
        403,
        "Authorization_RequestDenied",
    );
    assert_error(
        &basic
            .get(&format!("/v1.0/devices/{dev}/registeredOwners"))
            .await,
        403,
        "Authorization_RequestDenied",
    );
    emu.shutdown().await;
}
