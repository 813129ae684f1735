//! `--import`: alerts from a file served instead of the generated ones, incidents built from
//! their incidentIds, and invalid files refused whole, naming the line.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;
use serde_json::{Value, json};
use vigil_emulator::{Error, Import, start};

const SEVS: [&str; 4] = ["informational", "low", "medium", "high"];
const STATUSES: [&str; 3] = ["new", "inProgress", "resolved"];

/// Alerts the generator did not make: odd ids, extra properties, a few in no incident.
fn alerts(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let incident = if i % 10 == 9 {
                Value::Null
            } else {
                json!(format!("{}", 500 + i / 3))
            };
            json!({
                "@odata.type": "#microsoft.graph.security.alert",
                "id": format!("imp-{i:04}"),
                "title": format!("Imported alert {i}"),
                "severity": SEVS[i % 4],
                "status": STATUSES[i % 3],
                "serviceSource": "microsoftDefenderForEndpoint",
                "incidentId": incident,
                "createdDateTime": format!("2025-03-{:02}T{:02}:00:00Z", 1 + i % 28, i % 24),
                "lastUpdateDateTime": format!("2025-04-{:02}T00:00:00.1234567Z", 1 + i % 28),
                "customerProperty": {"kept": i},
                "evidence": [],
            })
        })
        .collect()
}

fn temp(name: &str, text: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("vigil-import-{}-{name}", std::process::id()));
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    p
}

fn ndjson(v: &[Value]) -> String {
    v.iter()
        .map(|a| a.to_string())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn with_import(path: PathBuf, tenant: Option<&str>) -> vigil_emulator::Options {
    let mut o = opts(300);
    o.imports.push(Import {
        tenant: tenant.map(str::to_string),
        path,
    });
    o
}

#[tokio::test]
async fn ndjson_is_served_with_filters_and_incidents() {
    let given = alerts(240);
    let path = temp("a.ndjson", &format!("{}\n", ndjson(&given)));
    let emu = emulator(with_import(path.clone(), None)).await;
    let g = Graph::analyst(&emu);
    let (all, pages, count) = g.all("/v1.0/security/alerts_v2?$top=50&$count=true").await;
    assert_eq!(all.len(), 240);
    assert_eq!(pages, 5);
    assert_eq!(count, Some(240));
    // Served exactly as given, newest first.
    let a7 = all.iter().find(|a| a["id"] == "imp-0007").cloned();
    assert_eq!(a7.as_ref(), Some(&given[7]));
    let created: Vec<&str> = all
        .iter()
        .filter_map(|a| a["createdDateTime"].as_str())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "not newest first");
    // $filter and $top as for generated alerts.
    let high = g
        .ok("/v1.0/security/alerts_v2?$filter=severity eq 'high' and status ne 'resolved'&$count=true&$top=7")
        .await;
    let want = given
        .iter()
        .filter(|a| a["severity"] == "high" && a["status"] != "resolved")
        .count();
    assert_eq!(high["@odata.count"], want);
    assert_eq!(high["value"].as_array().map(Vec::len), Some(7));
    let since = g
        .ok("/v1.0/security/alerts_v2?$filter=createdDateTime ge 2025-03-20T00:00:00Z&$count=true")
        .await;
    let want = given
        .iter()
        .filter(|a| a["createdDateTime"].as_str().unwrap_or_default() >= "2025-03-20")
        .count();
    assert_eq!(since["@odata.count"], want);

    // Incidents from the incidentIds: one per distinct id, with its alerts.
    let (incs, _, _) = g.all("/v1.0/security/incidents?$expand=alerts").await;
    let mut ids: Vec<String> = given
        .iter()
        .filter_map(|a| a["incidentId"].as_str().map(str::to_string))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(incs.len(), ids.len());
    let inc = g.ok("/v1.0/security/incidents/500?$expand=alerts").await;
    let members: Vec<&Value> = given.iter().filter(|a| a["incidentId"] == "500").collect();
    assert_eq!(inc["alerts"].as_array().map(Vec::len), Some(members.len()));
    let max_sev = members
        .iter()
        .filter_map(|a| SEVS.iter().position(|s| a["severity"] == *s))
        .max()
        .map(|p| SEVS[p]);
    assert_eq!(inc["severity"].as_str(), max_sev);
    let earliest = members
        .iter()
        .min_by_key(|a| a["createdDateTime"].as_str().unwrap_or_default())
        .cloned();
    assert_eq!(
        inc["displayName"],
        earliest.map(|a| a["title"].clone()).unwrap_or_default()
    );
    assert_eq!(
        inc["createdDateTime"],
        members
            .iter()
            .filter_map(|a| a["createdDateTime"].as_str())
            .min()
            .unwrap_or_default()
    );
    assert_eq!(
        inc["lastUpdateDateTime"],
        members
            .iter()
            .filter_map(|a| a["lastUpdateDateTime"].as_str())
            .max()
            .unwrap_or_default()
    );
    let statuses: Vec<&str> = members
        .iter()
        .filter_map(|a| a["status"].as_str())
        .collect();
    let want = if statuses.iter().all(|s| *s == "resolved") {
        "resolved"
    } else if statuses.contains(&"inProgress") {
        "inProgress"
    } else {
        "active"
    };
    assert_eq!(inc["status"], want);
    let high_inc = g
        .ok("/v1.0/security/incidents?$filter=severity eq 'high'&$count=true")
        .await;
    assert!(high_inc["@odata.count"].as_u64().unwrap_or(0) > 0);
    // No planted stories in imported data; the second tenant keeps its generated alerts.
    assert!(emu.ground_truth(CONTOSO).is_empty());
    assert!(!emu.ground_truth(FABRIKAM).is_empty());
    let _ = std::fs::remove_file(path);
}

#[tokio::test]
async fn json_array_and_graph_page_for_another_tenant() {
    let given = alerts(30);
    let page = serde_json::to_string_pretty(&json!({"@odata.context": "x", "value": given}))
        .unwrap_or_default();
    let path = temp("b.json", &page);
    let emu = emulator(with_import(path.clone(), Some("fabrikam"))).await;
    let fab = Graph::new(
        &emu,
        emu.mint_access_token(FABRIKAM, "alex.analyst@fabrikam.example", ALL_SCOPES),
    );
    let (all, _, _) = fab.all("/v1.0/security/alerts_v2").await;
    assert_eq!(all.len(), 30);
    // Contoso still has its generated alerts.
    let g = Graph::analyst(&emu);
    let c = g.ok("/v1.0/security/alerts_v2?$top=1&$count=true").await;
    assert_eq!(c["@odata.count"], 300);
    drop(emu);

    let arr = serde_json::to_string_pretty(&given).unwrap_or_default();
    let path2 = temp("c.json", &arr);
    let emu = emulator(with_import(path2.clone(), Some(CONTOSO))).await;
    let g = Graph::analyst(&emu);
    let top = g.ok("/v1.0/security/alerts_v2?$top=3").await;
    assert_eq!(top["value"].as_array().map(Vec::len), Some(3));
    assert!(top["@odata.nextLink"].is_string());
    let one = g.ok("/v1.0/security/alerts_v2/imp-0003").await;
    assert_eq!(one["customerProperty"]["kept"], 3);
    for p in [path, path2] {
        let _ = std::fs::remove_file(p);
    }
}

async fn refused(text: &str, name: &str) -> String {
    let path = temp(name, text);
    let r = start(with_import(path.clone(), None)).await;
    let _ = std::fs::remove_file(path);
    match r {
        Err(Error::Import(e)) => e.to_string(),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("{name} was accepted"),
    }
}

#[tokio::test]
async fn invalid_lines_are_refused_naming_the_line() {
    let good = alerts(5);
    let mut lines: Vec<String> = good.iter().map(Value::to_string).collect();
    lines[3] = "{\"id\": \"x\", \"title\": ".into();
    let e = refused(&lines.join("\n"), "bad.ndjson").await;
    assert!(e.contains("line 4") && e.contains("not valid JSON"), "{e}");

    let mut lines: Vec<String> = good.iter().map(Value::to_string).collect();
    lines.insert(2, String::new());
    lines[4] = json!({"title": "no id"}).to_string();
    let e = refused(&lines.join("\n"), "noid.ndjson").await;
    assert!(e.contains("line 5") && e.contains("no `id`"), "{e}");

    let mut lines: Vec<String> = good.iter().map(Value::to_string).collect();
    lines.push(good[1].to_string());
    let e = refused(&lines.join("\n"), "dup.ndjson").await;
    assert!(
        e.contains("line 6") && e.contains("duplicate") && e.contains("imp-0001"),
        "{e}"
    );

    let mut arr = good.clone();
    arr[2] = json!({"id": 17});
    let e = refused(
        &serde_json::to_string_pretty(&arr).unwrap_or_default(),
        "arr.json",
    )
    .await;
    assert!(e.contains("not a string"), "{e}");
    assert!(e.contains("line "), "{e}");

    // The binary exits non-zero with the message, before printing READY.
    let path = temp("bin.ndjson", "{\"id\":\"a\"}\n{\"id\":\"a\"}\n");
    let out = Command::new(env!("CARGO_BIN_EXE_vigil-emulator"))
        .args(["--port", "0", "--alerts", "60", "--import"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_file(path);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2") && err.contains("duplicate"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("VIGIL_EMULATOR_READY"));
}
