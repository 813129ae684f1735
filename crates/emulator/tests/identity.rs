//! The sign-in flow over HTTP: authorize page, PKCE, codes, refresh rotation, CORS.

mod common;

use std::time::Duration;

use common::*;
use serde_json::Value;

const SCOPE: &str = "openid profile offline_access https://graph.microsoft.com/SecurityAlert.Read.All SecurityIncident.Read.All";

#[tokio::test]
async fn full_pkce_flow_and_its_failures() {
    let emu = emulator(opts(100)).await;
    let (verifier, challenge) = pkce();
    let a = Authorize::new(&emu, &challenge, SCOPE);

    // The sign-in page is plain HTML with one button per demo role.
    let page = client()
        .get(format!(
            "{}/{CONTOSO}/oauth2/v2.0/authorize",
            emu.authority_url()
        ))
        .query(&a.params())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap_or_default();
    for role in ["Analyst", "Manager", "eDiscovery"] {
        assert!(html.contains(role), "{role} button missing");
    }
    assert!(html.contains("<form method=\"post\""));
    assert!(!html.contains("<script"), "the page needs no script");

    let r = press(&emu, &a, ("user", "0")).await;
    assert_eq!(r.status().as_u16(), 302);
    let loc = r.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert!(loc.starts_with(&a.redirect_uri), "{loc}");
    assert_eq!(
        param(&loc, "state").as_deref(),
        Some(a.state.as_str()),
        "state must come back untouched"
    );
    let code = param(&loc, "code").unwrap_or_default();

    // Wrong verifier: refused, and the code is spent.
    let base = |code: &str, verifier: &str, redirect: &str| {
        vec![
            ("client_id".to_string(), CLIENT_ID.to_string()),
            ("grant_type".into(), "authorization_code".into()),
            ("code".into(), code.to_string()),
            ("redirect_uri".into(), redirect.to_string()),
            ("code_verifier".into(), verifier.to_string()),
        ]
    };
    let wrong = base(&code, &"x".repeat(43), &a.redirect_uri);
    let wrong: Vec<(&str, &str)> = wrong
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (s, body) = token(&emu, &wrong).await;
    assert_eq!(
        (s, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    assert!(body["error_codes"].is_array() && body["trace_id"].is_string());

    // A fresh code, redeemed with the right verifier, works once.
    let r = press(&emu, &a, ("user", "0")).await;
    let code =
        param(r.headers()["location"].to_str().unwrap_or_default(), "code").unwrap_or_default();
    let good = base(&code, &verifier, &a.redirect_uri);
    let good: Vec<(&str, &str)> = good.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (s, tok) = token(&emu, &good).await;
    assert_eq!(s, 200, "{tok}");
    assert_eq!(tok["token_type"], "Bearer");
    assert!(tok["expires_in"].as_u64().is_some_and(|e| e > 3000));
    assert!(tok["refresh_token"].is_string() && tok["id_token"].is_string());
    let scope = tok["scope"].as_str().unwrap_or_default();
    assert!(
        scope.contains("https://graph.microsoft.com/SecurityAlert.Read.All")
            && scope.contains("SecurityIncident.Read.All")
    );
    let claims = vigil_emulator::jwt::peek(tok["access_token"].as_str().unwrap_or_default())
        .unwrap_or(Value::Null);
    assert_eq!(claims["tid"], CONTOSO);
    assert_eq!(claims["upn"], ANALYST);
    assert_eq!(claims["aud"], "https://graph.microsoft.com");
    assert_eq!(
        claims["scp"],
        "SecurityAlert.Read.All SecurityIncident.Read.All"
    );
    for k in ["iss", "oid", "name", "exp", "iat"] {
        assert!(!claims[k].is_null(), "claim {k} missing");
    }
    let id = vigil_emulator::jwt::peek(tok["id_token"].as_str().unwrap_or_default())
        .unwrap_or(Value::Null);
    assert_eq!(id["nonce"], "nonce-123");
    assert_eq!(id["aud"], CLIENT_ID);

    // Reused code.
    let (s, body) = token(&emu, &good).await;
    assert_eq!((s, body["error"].as_str()), (400, Some("invalid_grant")));

    // Wrong redirect URI at redemption.
    let r = press(&emu, &a, ("user", "0")).await;
    let code =
        param(r.headers()["location"].to_str().unwrap_or_default(), "code").unwrap_or_default();
    let bad = base(&code, &verifier, "http://127.0.0.1:1/elsewhere");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (s, body) = token(&emu, &bad).await;
    assert_eq!((s, body["error"].as_str()), (400, Some("invalid_grant")));

    // Protocol errors on the token endpoint.
    let (s, body) = token(
        &emu,
        &[("client_id", CLIENT_ID), ("grant_type", "password")],
    )
    .await;
    assert_eq!(
        (s, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (s, body) = token(
        &emu,
        &[("client_id", "nope"), ("grant_type", "authorization_code")],
    )
    .await;
    assert_eq!((s, body["error"].as_str()), (400, Some("invalid_client")));
    let (s, body) = token(&emu, &[("grant_type", "authorization_code")]).await;
    assert_eq!((s, body["error"].as_str()), (400, Some("invalid_request")));
    emu.shutdown().await;
}

#[tokio::test]
async fn authorize_errors_redirect_or_show_a_page() {
    let emu = emulator(opts(50)).await;
    let (_, challenge) = pkce();
    let get = |a: &Authorize| {
        let url = format!("{}/{}/oauth2/v2.0/authorize", emu.authority_url(), a.tenant);
        let params = a.params();
        async move {
            client()
                .get(url)
                .query(&params)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    // Cancel: access_denied back to the app with the state.
    let a = Authorize::new(&emu, &challenge, SCOPE);
    let r = press(&emu, &a, ("action", "cancel")).await;
    let loc = r.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(param(&loc, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&loc, "state").as_deref(), Some(a.state.as_str()));

    // plain PKCE and missing PKCE are invalid_request redirects.
    let mut plain = Authorize::new(&emu, &challenge, SCOPE);
    plain.method = "plain".into();
    let r = get(&plain).await;
    assert_eq!(r.status().as_u16(), 302);
    assert_eq!(
        param(
            r.headers()["location"].to_str().unwrap_or_default(),
            "error"
        )
        .as_deref(),
        Some("invalid_request")
    );
    let nopkce = Authorize::new(&emu, "", SCOPE);
    let r = get(&nopkce).await;
    assert_eq!(
        param(
            r.headers()["location"].to_str().unwrap_or_default(),
            "error"
        )
        .as_deref(),
        Some("invalid_request")
    );

    // An unregistered redirect URI (even a prefix match) or tenant gets a page, never a redirect.
    let mut evil = Authorize::new(&emu, &challenge, SCOPE);
    evil.redirect_uri = format!("{}/auth/callback/../evil", emu.app_url());
    let r = get(&evil).await;
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.headers().get("location").is_none());
    assert!(r.text().await.unwrap_or_default().contains("AADSTS50011"));
    let mut t = Authorize::new(&emu, &challenge, SCOPE);
    t.tenant = "00000000-0000-0000-0000-000000000000".into();
    let r = get(&t).await;
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.headers().get("location").is_none());
    emu.shutdown().await;
}

#[tokio::test]
async fn refresh_rotation_cap_and_incremental_consent() {
    let mut o = opts(50);
    o.refresh_token_lifetime = Duration::from_secs(2);
    let emu = emulator(o).await;
    let tok = sign_in(&emu, 1, SCOPE).await;
    // The manager cannot get ReadWrite; asking is still a successful sign-in with fewer scopes.
    let manager = sign_in(
        &emu,
        1,
        "openid offline_access SecurityAlert.ReadWrite.All SecurityAlert.Read.All",
    )
    .await;
    assert_eq!(
        manager["scope"].as_str().map(|s| s.contains("ReadWrite")),
        Some(false)
    );
    assert!(
        manager["scope"]
            .as_str()
            .unwrap_or_default()
            .contains("SecurityAlert.Read.All")
    );
    // Incremental consent: a later sign-in asking for more gets more.
    let analyst = sign_in(
        &emu,
        0,
        "offline_access SecurityAlert.ReadWrite.All ThreatHunting.Read.All",
    )
    .await;
    assert!(
        analyst["scope"]
            .as_str()
            .unwrap_or_default()
            .contains("ThreatHunting.Read.All")
    );
    assert!(analyst.get("id_token").is_none(), "no openid, no id_token");

    let rt1 = tok["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (s, t2) = token(
        &emu,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt1),
        ],
    )
    .await;
    assert_eq!(s, 200, "{t2}");
    let rt2 = t2["refresh_token"].as_str().unwrap_or_default().to_string();
    assert_ne!(rt1, rt2);
    // The rotated-out token no longer works.
    let (s, body) = token(
        &emu,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt1),
        ],
    )
    .await;
    assert_eq!((s, body["error"].as_str()), (400, Some("invalid_grant")));
    // Past the hard cap from the original sign-in, rotation does not extend it.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (s, body) = token(
        &emu,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt2),
        ],
    )
    .await;
    assert_eq!(
        (s, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    assert_eq!(body["error_codes"][0], 700084);
    emu.shutdown().await;
}

#[tokio::test]
async fn token_endpoint_cors_only_for_the_app_origin() {
    let emu = emulator(opts(50)).await;
    let preflight = |origin: String| {
        let url = format!("{}/{CONTOSO}/oauth2/v2.0/token", emu.authority_url());
        async move {
            client()
                .request(reqwest::Method::OPTIONS, url)
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let ok = preflight(emu.app_url().to_string()).await;
    assert_eq!(
        ok.headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some(emu.app_url())
    );
    let evil = preflight("http://localhost:9999".into()).await;
    assert!(evil.headers().get("access-control-allow-origin").is_none());
    emu.shutdown().await;
}
