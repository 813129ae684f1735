//! The sign-in flow over HTTP: authorize page, PKCE, codes, refresh rotation, CORS.

mod common;

use std::time::Duration;

use base64::Engine;
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
    // Presenting a used token revoked its whole chain: the current token is dead too.
    let (s, body) = refresh(&emu, &rt2).await;
    assert_eq!(
        (s, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    // Past the hard cap from the original sign-in, rotation does not extend it. The test moves
    // the identity platform's clock instead of waiting.
    let fresh = sign_in(&emu, 1, SCOPE).await;
    let rt = fresh["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (s, next) = refresh(&emu, &rt).await;
    assert_eq!(s, 200, "{next}");
    advance_clock(&emu, 2.1).await;
    let rt = next["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (s, body) = refresh(&emu, &rt).await;
    assert_eq!(
        (s, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    assert_eq!(body["error_codes"][0], 700084);
    emu.shutdown().await;
}

async fn refresh(emu: &vigil_emulator::Running, rt: &str) -> (u16, Value) {
    token(
        emu,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", rt),
        ],
    )
    .await
}

async fn control(emu: &vigil_emulator::Running, what: &str) -> u16 {
    client()
        .post(format!("{}/_emulator/{what}", emu.graph_url()))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .status()
        .as_u16()
}

async fn advance_clock(emu: &vigil_emulator::Running, seconds: f64) {
    assert_eq!(control(emu, &format!("clock?advance={seconds}")).await, 200);
}

fn str_of(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_reused_refresh_token_revokes_its_chain_and_only_its_chain() {
    let emu = emulator(opts(50)).await;
    let a = sign_in(&emu, 0, SCOPE).await;
    let other = sign_in(&emu, 0, SCOPE).await;
    let (s, a2) = refresh(&emu, &str_of(&a, "refresh_token")).await;
    assert_eq!(s, 200);
    let (s, a3) = refresh(&emu, &str_of(&a2, "refresh_token")).await;
    assert_eq!(s, 200);
    // The first token again (say, stolen before it was rotated): refused, and the chain dies.
    let (s, body) = refresh(&emu, &str_of(&a, "refresh_token")).await;
    assert_eq!((s, body["error"].as_str()), (400, Some("invalid_grant")));
    assert!(
        str_of(&body, "error_description").contains("chain"),
        "{body}"
    );
    let (s, _) = refresh(&emu, &str_of(&a3, "refresh_token")).await;
    assert_eq!(s, 400, "the newest token of the chain is revoked too");
    // Another sign-in's chain is untouched.
    let (s, _) = refresh(&emu, &str_of(&other, "refresh_token")).await;
    assert_eq!(s, 200);
    emu.shutdown().await;
}

#[tokio::test]
async fn revoked_access_tokens_get_a_401_and_refresh_still_works() {
    let emu = emulator(opts(50)).await;
    let t = sign_in(&emu, 0, SCOPE).await;
    let graph = Graph::new(&emu, str_of(&t, "access_token"));
    assert_eq!(
        graph.get("/v1.0/security/alerts_v2?$top=1").await.status,
        200
    );
    assert_eq!(control(&emu, "revoke?tenant=nope&what=access").await, 400);
    assert_eq!(
        control(&emu, &format!("revoke?tenant={CONTOSO}&what=x")).await,
        400
    );
    assert_eq!(
        control(&emu, &format!("revoke?tenant={CONTOSO}&what=access")).await,
        204
    );
    let r = graph.get("/v1.0/security/alerts_v2?$top=1").await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["error"]["code"], "InvalidAuthenticationToken");
    assert!(
        r.headers.get("www-authenticate").is_none(),
        "no claims challenge"
    );
    let (s, t2) = refresh(&emu, &str_of(&t, "refresh_token")).await;
    assert_eq!(s, 200, "{t2}");
    let renewed = Graph::new(&emu, str_of(&t2, "access_token"));
    assert_eq!(
        renewed.get("/v1.0/security/alerts_v2?$top=1").await.status,
        200
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn a_revoked_session_ends_its_refresh_tokens_and_can_send_a_claims_challenge() {
    let emu = emulator(opts(50)).await;
    let t = sign_in(&emu, 0, SCOPE).await;
    let fabrikam = Graph::new(
        &emu,
        emu.mint_access_token(FABRIKAM, "a@fabrikam.example", ALL_SCOPES),
    );
    assert_eq!(
        control(&emu, &format!("revoke?tenant={CONTOSO}&what=claims")).await,
        204
    );
    let r = Graph::new(&emu, str_of(&t, "access_token"))
        .get("/v1.0/security/alerts_v2?$top=1")
        .await;
    assert_eq!(r.status, 401);
    let challenge = r.headers["www-authenticate"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        challenge.starts_with("Bearer ") && challenge.contains("error=\"insufficient_claims\""),
        "{challenge}"
    );
    let claims = challenge
        .split("claims=\"")
        .nth(1)
        .and_then(|c| c.split('"').next())
        .unwrap_or_default();
    let json: Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(claims)
            .unwrap_or_default(),
    )
    .unwrap_or(Value::Null);
    assert_eq!(json["access_token"]["nbf"]["essential"], true, "{json}");
    let (s, body) = refresh(&emu, &str_of(&t, "refresh_token")).await;
    assert_eq!((s, body["error"].as_str()), (400, Some("invalid_grant")));
    // Only the tenant's tokens: Fabrikam is untouched.
    assert_eq!(
        fabrikam.get("/v1.0/security/alerts_v2?$top=1").await.status,
        200
    );
    // A new interactive sign-in works again.
    let again = sign_in(&emu, 0, SCOPE).await;
    let r = Graph::new(&emu, str_of(&again, "access_token"))
        .get("/v1.0/security/alerts_v2?$top=1")
        .await;
    assert_eq!(r.status, 200);
    emu.shutdown().await;
}

/// A browser's cookie for the authority: `name=value` from a `Set-Cookie`, or empty.
fn cookie_of(r: &reqwest::Response) -> String {
    r.headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .to_string()
}

/// Presses a user's button as a browser would; returns the redirect and the session cookie.
async fn press_in(emu: &vigil_emulator::Running, a: &Authorize, user: &str) -> (String, String) {
    let mut form = a.params();
    form.push(("user", user.to_string()));
    let r = client()
        .post(format!(
            "{}/{}/oauth2/v2.0/authorize",
            emu.authority_url(),
            a.tenant
        ))
        .form(&form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status().as_u16(), 302);
    let cookie = cookie_of(&r);
    (
        r.headers()["location"]
            .to_str()
            .unwrap_or_default()
            .to_string(),
        cookie,
    )
}

/// A `prompt=none` authorize request with `cookie`; returns the redirect.
async fn silent(emu: &vigil_emulator::Running, a: &Authorize, cookie: &str) -> String {
    let mut q = a.params();
    q.push(("prompt", "none".into()));
    let r = client()
        .get(format!(
            "{}/{}/oauth2/v2.0/authorize",
            emu.authority_url(),
            a.tenant
        ))
        .header("cookie", cookie)
        .query(&q)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status().as_u16(), 302);
    r.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn sign_out_ends_the_session_at_the_identity_platform() {
    let emu = emulator(opts(50)).await;
    let (verifier, challenge) = pkce();
    let a = Authorize::new(&emu, &challenge, SCOPE);
    // No session yet: a silent sign-in is refused.
    let loc = silent(&emu, &a, "").await;
    assert_eq!(
        param(&loc, "error").as_deref(),
        Some("login_required"),
        "{loc}"
    );
    let (loc, cookie) = press_in(&emu, &a, "0").await;
    assert!(cookie.starts_with("vigil_emulator_session_"), "{cookie}");
    let code = param(&loc, "code").unwrap_or_default();
    let (s, t) = token(
        &emu,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &a.redirect_uri),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(s, 200, "{t}");
    let id = vigil_emulator::jwt::peek(&str_of(&t, "id_token")).unwrap_or(Value::Null);
    let hint = str_of(&id, "login_hint");
    assert!(hint.starts_with("lh."), "{id}");
    // The session lets the browser sign in without the page, and the page names the account.
    let loc = silent(&emu, &a, &cookie).await;
    assert!(param(&loc, "code").is_some(), "{loc}");
    let page = client()
        .get(format!(
            "{}/{CONTOSO}/oauth2/v2.0/authorize",
            emu.authority_url()
        ))
        .header("cookie", &cookie)
        .query(&a.params())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(
        page.contains("id=\"signed-in-as\""),
        "the page names the signed-in account"
    );
    // Sign-out to an unregistered address is refused with a page.
    let logout = format!("{}/{CONTOSO}/oauth2/v2.0/logout", emu.authority_url());
    let r = client()
        .get(&logout)
        .header("cookie", &cookie)
        .query(&[("post_logout_redirect_uri", "https://evil.example/")])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status().as_u16(), 400);
    // Sign-out, as MSAL does it: back to the app, the session and its refresh tokens gone.
    let r = client()
        .get(&logout)
        .header("cookie", &cookie)
        .query(&[
            ("post_logout_redirect_uri", a.redirect_uri.as_str()),
            ("logout_hint", hint.as_str()),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status().as_u16(), 302);
    assert_eq!(
        r.headers()["location"].to_str().unwrap_or_default(),
        a.redirect_uri
    );
    assert!(cookie_of(&r).ends_with('='), "the cookie is cleared");
    let loc = silent(&emu, &a, &cookie).await;
    assert_eq!(
        param(&loc, "error").as_deref(),
        Some("login_required"),
        "{loc}"
    );
    let (s, _) = refresh(&emu, &str_of(&t, "refresh_token")).await;
    assert_eq!(s, 400, "the session's refresh token is revoked");
    // The logout_hint alone (another browser, no cookie) is enough too.
    let other = sign_in(&emu, 0, SCOPE).await;
    let hint = str_of(
        &vigil_emulator::jwt::peek(&str_of(&other, "id_token")).unwrap_or(Value::Null),
        "login_hint",
    );
    let r = client()
        .get(&logout)
        .query(&[("logout_hint", hint.as_str())])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status().as_u16(), 200);
    let (s, _) = refresh(&emu, &str_of(&other, "refresh_token")).await;
    assert_eq!(s, 400);
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
