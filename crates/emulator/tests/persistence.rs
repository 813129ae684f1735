//! Writes stay in memory, and with `--state` survive a restart.

mod common;

use common::*;
use serde_json::{Value, json};

/// Ids written by `patch_first`.
struct Patched {
    alert: String,
    incident: String,
    submission: String,
}

const URL_THREATS: &str = "/beta/security/threatSubmission/urlThreats";

/// An alert PATCH, an incident PATCH, a control profile PATCH and a threat submission.
async fn patch_first(emu: &vigil_emulator::Running) -> Patched {
    let g = Graph::analyst(emu);
    let id = g.ok("/v1.0/security/alerts_v2?$top=1").await["value"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = g
        .patch(
            &format!("/v1.0/security/alerts_v2/{id}"),
            json!({"assignedTo": "persist@contoso.example", "status": "inProgress"}),
        )
        .await;
    assert_eq!(r.status, 200);
    let p = g.patch("/v1.0/security/secureScoreControlProfiles/DLPEnabled", json!({"state": "reviewed", "comment": "done", "vendorInformation": {"provider": "SecureScore", "vendor": "Microsoft"}})).await;
    assert_eq!(p.status, 204);
    let incident = g.ok("/v1.0/security/incidents?$top=1").await["value"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = g
        .patch(
            &format!("/v1.0/security/incidents/{incident}"),
            json!({"customTags": ["persisted"], "summary": "kept across restarts"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let s = g
        .post(
            URL_THREATS,
            json!({"@odata.type": "#microsoft.graph.security.urlThreatSubmission", "category": "phishing", "webUrl": "http://persisted.example"}),
        )
        .await;
    assert_eq!(s.status, 201, "{}", s.body);
    Patched {
        alert: id,
        incident,
        submission: s.body["id"].as_str().unwrap_or_default().to_string(),
    }
}

#[tokio::test]
async fn patches_persist_only_with_state() {
    let dir = std::env::temp_dir().join(format!("vigil-emu-state-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);

    // Without --state: in memory only.
    let emu = emulator(opts(80)).await;
    let w = patch_first(&emu).await;
    let id = w.alert.clone();
    let g = Graph::analyst(&emu);
    assert_eq!(
        g.ok(&format!("/v1.0/security/alerts_v2/{id}")).await["assignedTo"],
        "persist@contoso.example"
    );
    emu.shutdown().await;
    let emu = emulator(opts(80)).await;
    let g = Graph::analyst(&emu);
    assert_ne!(
        g.ok(&format!("/v1.0/security/alerts_v2/{id}")).await["assignedTo"],
        "persist@contoso.example"
    );
    assert_ne!(
        g.ok(&format!("/v1.0/security/incidents/{}", w.incident))
            .await["summary"],
        "kept across restarts"
    );
    assert_error(
        &g.get(&format!("{URL_THREATS}/{}", w.submission)).await,
        404,
        "NotFound",
    );
    emu.shutdown().await;

    // With --state: written atomically and reloaded.
    let mut o = opts(80);
    o.state = Some(file.clone());
    let emu = emulator(o.clone()).await;
    let w2 = patch_first(&emu).await;
    assert_eq!(
        (&id, &w.incident),
        (&w2.alert, &w2.incident),
        "same seed, same data"
    );
    emu.shutdown().await;
    assert!(file.exists());
    assert!(
        std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0) == 1,
        "no temp files left"
    );
    let emu = emulator(o).await;
    let g = Graph::analyst(&emu);
    let a = g.ok(&format!("/v1.0/security/alerts_v2/{id}")).await;
    assert_eq!(a["assignedTo"], "persist@contoso.example");
    assert_eq!(a["status"], "inProgress");
    let f = g
        .ok(&format!(
            "/v1.0/security/alerts_v2?$filter={}",
            vigil_emulator::util::encode_component("assignedTo eq 'persist@contoso.example'")
        ))
        .await;
    assert_eq!(
        f["value"].as_array().map(Vec::len),
        Some(1),
        "filters see persisted values"
    );
    let prof = g
        .ok("/v1.0/security/secureScoreControlProfiles/DLPEnabled")
        .await;
    let last = prof["controlStateUpdates"]
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (last["state"].as_str(), last["comment"].as_str()),
        (Some("Reviewed"), Some("done"))
    );
    let inc = g
        .ok(&format!("/v1.0/security/incidents/{}", w2.incident))
        .await;
    assert_eq!(inc["summary"], "kept across restarts");
    assert_eq!(inc["customTags"], json!(["persisted"]));
    let sub = g.ok(&format!("{URL_THREATS}/{}", w2.submission)).await;
    assert_eq!(sub["webUrl"], "http://persisted.example");
    emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

const CASES: &str = "/v1.0/security/cases/ediscoveryCases";

fn id_of(r: &Resp) -> String {
    assert!(r.status < 300, "{} {}", r.status, r.body);
    r.body["id"].as_str().unwrap_or_default().to_string()
}

/// The operation id at the end of a 202's `Location`.
fn op_of(r: &Resp) -> String {
    assert_eq!(r.status, 202, "{}", r.body);
    let loc = r
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    loc.rsplit("operations('")
        .next()
        .unwrap_or_default()
        .trim_end_matches("')")
        .to_string()
}

/// Drops `@odata.context` (it names the port, which changes with every start).
fn portless(mut v: Value) -> Value {
    match &mut v {
        Value::Object(m) => {
            m.remove("@odata.context");
            for x in m.values_mut() {
                *x = portless(x.take());
            }
        }
        Value::Array(a) => {
            for x in a.iter_mut() {
                *x = portless(x.take());
            }
        }
        _ => {}
    }
    v
}

/// What the eDiscovery writes below changed.
struct Written {
    case: String,
    /// Seeded cases: closed, reopened, deleted.
    closed: String,
    reopened: String,
    deleted: String,
    custodian: String,
    search: String,
    review_set: String,
    op: String,
}

/// Every kind of eDiscovery write the emulator accepts, on a new case and on seeded ones.
async fn ediscovery_writes(g: &Graph) -> Written {
    let seeded = g.ok(CASES).await["value"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let with_status = |s: &str| {
        seeded
            .iter()
            .find(|c| c["status"] == s)
            .and_then(|c| c["id"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    let (closed, reopened, deleted) = (
        with_status("active"),
        with_status("closed"),
        with_status("closedWithError"),
    );
    let case = id_of(
        &g.post(
            CASES,
            json!({"displayName": "Persisted matter", "description": "d", "externalId": "X-1"}),
        )
        .await,
    );
    let base = format!("{CASES}('{case}')");
    let no_content = |r: Resp| assert_eq!(r.status, 204, "{}", r.body);
    no_content(
        g.patch(&base, json!({"description": "changed before restart"}))
            .await,
    );
    let custodian = id_of(
        &g.post(
            &format!("{base}/custodians"),
            json!({"email": "adelev@contoso.example"}),
        )
        .await,
    );
    id_of(
        &g.post(
            &format!("{base}/custodians/{custodian}/userSources"),
            json!({"email": "adelev@contoso.example", "includedSources": "mailbox,site"}),
        )
        .await,
    );
    id_of(
        &g.post(
            &format!("{base}/custodians/{custodian}/siteSources"),
            json!({"site": {"webUrl": "https://contoso.sharepoint.com/sites/Legal"}}),
        )
        .await,
    );
    op_of(
        &g.post(
            &format!("{base}/custodians/{custodian}/applyHold"),
            json!({}),
        )
        .await,
    );
    op_of(
        &g.post(
            &format!("{base}/custodians/{custodian}/updateIndex"),
            json!({}),
        )
        .await,
    );
    id_of(
        &g.post(
            &format!("{base}/noncustodialDataSources"),
            json!({"dataSource": {"@odata.type": "microsoft.graph.security.siteSource", "site": {"webUrl": "https://contoso.sharepoint.com/sites/Board"}}}),
        )
        .await,
    );
    let search = id_of(
        &g.post(
            &format!("{base}/searches"),
            json!({"displayName": "Invoices", "contentQuery": "subject:invoice"}),
        )
        .await,
    );
    no_content(
        g.patch(
            &format!("{base}/searches/{search}"),
            json!({"contentQuery": "subject:invoice AND from:fatimag"}),
        )
        .await,
    );
    let op = op_of(
        &g.post(
            &format!("{base}/searches/{search}/estimateStatistics"),
            json!({}),
        )
        .await,
    );
    let review_set = id_of(
        &g.post(
            &format!("{base}/reviewSets"),
            json!({"displayName": "First pass"}),
        )
        .await,
    );
    id_of(
        &g.post(
            &format!("{base}/reviewSets/{review_set}/queries"),
            json!({"displayName": "Hot", "contentQuery": "(Author=\"edison\")"}),
        )
        .await,
    );
    op_of(
        &g.post(
            &format!("{base}/reviewSets/{review_set}/addToReviewSet"),
            json!({"search": {"id": search}}),
        )
        .await,
    );
    let parent = id_of(
        &g.post(
            &format!("{base}/tags"),
            json!({"displayName": "Relevant", "childSelectability": "Many"}),
        )
        .await,
    );
    id_of(
        &g.post(
            &format!("{base}/tags"),
            json!({"displayName": "Very relevant", "parent@odata.bind": format!("https://graph.microsoft.com/v1.0/security/cases/ediscoveryCases('{case}')/tags('{parent}')")}),
        )
        .await,
    );
    // Seeded cases: close one (through $batch, which routes the same way), reopen one,
    // delete one.
    let b = g
        .post(
            "/v1.0/$batch",
            json!({"requests": [{"id": "1", "method": "POST", "url": format!("/security/cases/ediscoveryCases('{closed}')/close")}]}),
        )
        .await;
    assert_eq!(b.body["responses"][0]["status"], 204, "{}", b.body);
    no_content(
        g.post(&format!("{CASES}('{reopened}')/reopen"), json!({}))
            .await,
    );
    no_content(
        g.send(
            reqwest::Method::DELETE,
            &format!("{CASES}('{deleted}')"),
            None,
        )
        .await,
    );
    Written {
        case,
        closed,
        reopened,
        deleted,
        custodian,
        search,
        review_set,
        op,
    }
}

/// Everything the writes touched, as the API reads it back (without the port-bearing context).
async fn read_back(g: &Graph, w: &Written) -> Value {
    let base = format!("{CASES}('{}')", w.case);
    let mut out = serde_json::Map::new();
    for path in [
        base.clone(),
        format!("{base}/custodians"),
        format!("{base}/custodians/{}/userSources", w.custodian),
        format!("{base}/custodians/{}/siteSources", w.custodian),
        format!("{base}/custodians/{}/lastIndexOperation", w.custodian),
        format!("{base}/noncustodialDataSources?$expand=dataSource"),
        format!("{base}/searches"),
        format!(
            "{base}/searches/{}/lastEstimateStatisticsOperation",
            w.search
        ),
        format!("{base}/reviewSets"),
        format!("{base}/reviewSets/{}/queries", w.review_set),
        format!("{base}/tags/asHierarchy"),
        format!("{base}/operations"),
        format!("{base}/operations('{}')", w.op),
        format!("{CASES}('{}')", w.closed),
        format!("{CASES}('{}')", w.reopened),
    ] {
        let r = g.get(&path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        out.insert(path, json!({"status": r.status, "body": portless(r.body)}));
    }
    Value::Object(out)
}

#[tokio::test]
async fn ediscovery_writes_persist_only_with_state() {
    let dir = std::env::temp_dir().join(format!("vigil-emu-ediscovery-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("state.json");
    let mut o = opts(50);
    o.budgets.enabled = false;
    o.operation_duration = std::time::Duration::from_millis(300);
    let settle = || tokio::time::sleep(std::time::Duration::from_millis(400));

    // Without --state the writes are in memory only.
    let emu = emulator(o.clone()).await;
    let g = Graph::analyst(&emu);
    let w = ediscovery_writes(&g).await;
    assert_eq!(
        g.ok(&format!("{CASES}('{}')", w.case)).await["description"],
        "changed before restart"
    );
    emu.shutdown().await;
    let emu = emulator(o.clone()).await;
    let g = Graph::analyst(&emu);
    assert_error(
        &g.get(&format!("{CASES}('{}')", w.case)).await,
        404,
        "NotFound",
    );
    assert_eq!(
        g.ok(&format!("{CASES}('{}')", w.closed)).await["status"],
        "active"
    );
    assert_eq!(
        g.ok(&format!("{CASES}('{}')", w.reopened)).await["status"],
        "closed"
    );
    assert_eq!(
        g.get(&format!("{CASES}('{}')", w.deleted)).await.status,
        200
    );
    emu.shutdown().await;
    assert!(!file.exists());

    // With --state they survive a restart, exactly as they read before it.
    o.state = Some(file.clone());
    let emu = emulator(o.clone()).await;
    let g = Graph::analyst(&emu);
    let w2 = ediscovery_writes(&g).await;
    assert_eq!(
        (&w2.closed, &w2.reopened, &w2.deleted),
        (&w.closed, &w.reopened, &w.deleted),
        "same seed, same cases"
    );
    let w = w2;
    settle().await;
    let before = read_back(&g, &w).await;
    // One operation still running at shutdown keeps following the clock after the restart.
    let late = op_of(
        &g.post(
            &format!("{CASES}('{}')/reviewSets/{}/export", w.case, w.review_set),
            json!({"outputName": "Late export"}),
        )
        .await,
    );
    let listed = g.ok(CASES).await["value"].clone();
    emu.shutdown().await;
    assert!(file.exists());
    assert_eq!(
        std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0),
        1,
        "no temp files left"
    );

    let emu = emulator(o.clone()).await;
    let g = Graph::analyst(&emu);
    let after = read_back(&g, &w).await;
    for (path, v) in before.as_object().into_iter().flatten() {
        if path.ends_with("/operations") {
            continue; // one more operation now; compared below
        }
        assert_eq!(Some(v), after.get(path), "{path} after the restart");
    }
    let case = &after[format!("{CASES}('{}')", w.case)]["body"];
    assert_eq!(
        (
            case["displayName"].as_str(),
            case["description"].as_str(),
            case["externalId"].as_str()
        ),
        (
            Some("Persisted matter"),
            Some("changed before restart"),
            Some("X-1")
        )
    );
    assert_eq!(
        after[format!("{CASES}('{}')", w.closed)]["body"]["status"],
        "closed"
    );
    assert_eq!(
        after[format!("{CASES}('{}')", w.reopened)]["body"]["status"],
        "active"
    );
    assert_error(
        &g.get(&format!("{CASES}('{}')", w.deleted)).await,
        404,
        "NotFound",
    );
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["id"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(
        ids(&g.ok(CASES).await["value"]),
        ids(&listed),
        "the same cases in the same order"
    );
    let custodians = &after[format!("{CASES}('{}')/custodians", w.case)]["body"]["value"];
    assert_eq!(custodians[0]["holdStatus"], "applied", "{custodians}");
    let op = &after[format!("{CASES}('{}')/operations('{}')", w.case, w.op)]["body"];
    assert_eq!(op["action"], "estimateStatistics");
    assert_eq!(op["percentProgress"], 100, "{op}");
    settle().await;
    let late = g
        .ok(&format!("{CASES}('{}')/operations('{late}')", w.case))
        .await;
    assert!(
        matches!(
            late["status"].as_str(),
            Some("succeeded" | "partiallySucceeded" | "failed")
        ),
        "{late}"
    );
    // Writes after the restart are saved too, over what was loaded.
    assert_eq!(
        g.patch(
            &format!("{CASES}('{}')", w.case),
            json!({"description": "changed after restart"})
        )
        .await
        .status,
        204
    );
    emu.shutdown().await;
    let emu = emulator(o).await;
    let g = Graph::analyst(&emu);
    assert_eq!(
        g.ok(&format!("{CASES}('{}')", w.case)).await["description"],
        "changed after restart"
    );
    assert_eq!(
        g.ok(&format!("{CASES}('{}')/searches", w.case)).await["value"][0]["contentQuery"],
        "subject:invoice AND from:fatimag"
    );
    emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn refused_ediscovery_patch_changes_nothing() {
    let mut o = opts(50);
    o.budgets.enabled = false;
    let emu = emulator(o).await;
    let g = Graph::analyst(&emu);
    let case = g.ok(CASES).await["value"][0].clone();
    let path = format!("{CASES}('{}')", case["id"].as_str().unwrap_or_default());
    assert_error(
        &g.patch(&path, json!({"description": "half", "status": "closed"}))
            .await,
        400,
        "BadRequest",
    );
    let now = g.ok(&path).await;
    assert_eq!(now["description"], case["description"]);
    assert_eq!(now["lastModifiedDateTime"], case["lastModifiedDateTime"]);
    emu.shutdown().await;
}
