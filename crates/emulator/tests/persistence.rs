//! Writes stay in memory, and with `--state` survive a restart.

mod common;

use common::*;
use serde_json::json;

async fn patch_first(emu: &vigil_emulator::Running) -> String {
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
    id
}

#[tokio::test]
async fn patches_persist_only_with_state() {
    let dir = std::env::temp_dir().join(format!("vigil-emu-state-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);

    // Without --state: in memory only.
    let emu = emulator(opts(80)).await;
    let id = patch_first(&emu).await;
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
    emu.shutdown().await;

    // With --state: written atomically and reloaded.
    let mut o = opts(80);
    o.state = Some(file.clone());
    let emu = emulator(o.clone()).await;
    let id2 = patch_first(&emu).await;
    assert_eq!(id, id2, "same seed, same data");
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
    emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
