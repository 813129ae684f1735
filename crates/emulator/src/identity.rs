//! The identity platform: `GET|POST /{tenant}/oauth2/v2.0/authorize` (a server-rendered sign-in
//! page) and `POST /{tenant}/oauth2/v2.0/token` (authorization code + PKCE, refresh tokens).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::jwt;
use crate::state::{App, CLIENT_ID, DEMO_USERS, OIDC_SCOPES, TenantInfo};
use crate::util::{Rng, encode_component, fmt_ms, now_ms, parse_query, process_random};

const GRAPH_PREFIX: &str = "https://graph.microsoft.com/";
pub const GRAPH_AUDIENCE: &str = "https://graph.microsoft.com";

/// An issued authorization code, waiting to be redeemed once.
#[derive(Debug, Clone)]
struct AuthCode {
    tenant: String,
    client_id: String,
    redirect_uri: String,
    challenge: String,
    user: usize,
    scopes: Vec<String>,
    nonce: Option<String>,
    issued_ms: i64,
}

/// A live refresh token. `auth_ms` is the original interactive sign-in, which caps its life.
#[derive(Debug, Clone)]
struct RefreshGrant {
    tenant: String,
    client_id: String,
    user: usize,
    scopes: Vec<String>,
    auth_ms: i64,
}

#[derive(Default)]
pub struct IdentityStore {
    codes: HashMap<String, AuthCode>,
    refresh: HashMap<String, RefreshGrant>,
    rng: Option<Rng>,
}

impl IdentityStore {
    fn secret(&mut self, len: usize) -> String {
        let rng = self.rng.get_or_insert_with(|| Rng::new(process_random()));
        let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        URL_SAFE_NO_PAD.encode(bytes)
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn error_page(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>Sign in error</title></head>\
         <body><main><h1>Sorry, but we're having trouble signing you in.</h1><p id=\"error-code\">{}</p><p id=\"error-message\">{}</p></main></body></html>",
        html_escape(code),
        html_escape(message)
    );
    (status, Html(body)).into_response()
}

fn redirect(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}

/// A validated authorize request.
struct AuthorizeReq {
    tenant: TenantInfo,
    params: HashMap<String, String>,
    redirect_uri: String,
}

impl AuthorizeReq {
    fn get(&self, k: &str) -> Option<&str> {
        self.params
            .get(k)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
    /// Redirects back to the app with an OAuth error, as the real service does once it trusts
    /// the redirect URI.
    fn error_redirect(&self, error: &str, description: &str) -> Response {
        let sep = if self.get("response_mode") == Some("fragment") {
            '#'
        } else if self.redirect_uri.contains('?') {
            '&'
        } else {
            '?'
        };
        let mut loc = format!(
            "{}{sep}error={}&error_description={}",
            self.redirect_uri,
            encode_component(error),
            encode_component(description)
        );
        if let Some(state) = self.get("state") {
            loc.push_str(&format!("&state={}", encode_component(state)));
        }
        redirect(&loc)
    }
}

/// Checks the parts whose failure must show an error page (never redirect), then the rest.
// The error is the finished response, built at most once per sign-in: boxing it buys nothing.
#[allow(clippy::result_large_err)]
fn validate(
    app: &App,
    tenant: &str,
    params: HashMap<String, String>,
) -> Result<AuthorizeReq, Response> {
    let tenant_info = match tenant {
        "common" | "organizations" => app.tenants.first().cloned(),
        t => app.tenant(t).cloned(),
    }
    .ok_or_else(|| {
        error_page(
            StatusCode::BAD_REQUEST,
            "AADSTS90002",
            &format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID."
            ),
        )
    })?;
    match params.get("client_id").map(String::as_str) {
        Some(CLIENT_ID) => {}
        Some(other) => {
            return Err(error_page(
                StatusCode::BAD_REQUEST,
                "AADSTS700016",
                &format!("Application with identifier '{other}' was not found in the directory."),
            ));
        }
        None => {
            return Err(error_page(
                StatusCode::BAD_REQUEST,
                "AADSTS900144",
                "The request body must contain the following parameter: 'client_id'.",
            ));
        }
    }
    let redirect_uri = params.get("redirect_uri").cloned().unwrap_or_default();
    if !app.cfg.redirect_uris.contains(&redirect_uri) {
        return Err(error_page(
            StatusCode::BAD_REQUEST,
            "AADSTS50011",
            &format!(
                "The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application."
            ),
        ));
    }
    Ok(AuthorizeReq {
        tenant: tenant_info,
        params,
        redirect_uri,
    })
}

/// Checks that may be reported to the app through an error redirect.
#[allow(clippy::result_large_err)]
fn check_protocol(r: &AuthorizeReq) -> Result<(), Response> {
    match r.get("response_type") {
        Some("code") => {}
        Some(_) => {
            return Err(r.error_redirect(
                "unsupported_response_type",
                "AADSTS700054: response_type must be 'code' for this application.",
            ));
        }
        None => return Err(r.error_redirect(
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'response_type'.",
        )),
    }
    if r.get("scope").is_none() {
        return Err(r.error_redirect(
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'scope'.",
        ));
    }
    if let Some(m) = r.get("response_mode")
        && !matches!(m, "query" | "fragment")
    {
        return Err(r.error_redirect(
            "invalid_request",
            "AADSTS900144: Unsupported response_mode for this emulator; use query or fragment.",
        ));
    }
    let Some(challenge) = r.get("code_challenge") else {
        return Err(r.error_redirect("invalid_request", "AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption."));
    };
    match r.get("code_challenge_method") {
        Some("S256") => {}
        Some("plain") | None => {
            return Err(r.error_redirect("invalid_request", "AADSTS5002325: Only the S256 code_challenge_method is accepted for single-page applications."));
        }
        Some(other) => {
            return Err(r.error_redirect(
                "invalid_request",
                &format!("AADSTS50147: Invalid code_challenge_method '{other}'."),
            ));
        }
    }
    if challenge.len() != 43
        || !challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(r.error_redirect(
            "invalid_request",
            "AADSTS501491: Invalid size of Code_Challenge parameter.",
        ));
    }
    Ok(())
}

fn form_params(raw: &str) -> HashMap<String, String> {
    parse_query(raw).into_iter().collect()
}

pub async fn authorize_get(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let params = form_params(q.as_deref().unwrap_or(""));
    let req = match validate(&app, &tenant, params) {
        Ok(r) => r,
        Err(page) => return page,
    };
    if let Err(resp) = check_protocol(&req) {
        return resp;
    }
    sign_in_page(&tenant, &req)
}

fn sign_in_page(tenant_path: &str, r: &AuthorizeReq) -> Response {
    let hidden: String = r
        .params
        .iter()
        .filter(|(k, _)| k.as_str() != "user" && k.as_str() != "action")
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                html_escape(k),
                html_escape(v)
            )
        })
        .collect();
    let buttons: String = DEMO_USERS
        .iter()
        .enumerate()
        .map(|(i, u)| {
            format!(
                "<li><button type=\"submit\" name=\"user\" value=\"{i}\">Sign in as {} {} ({}) &lt;{}@{}&gt;</button></li>",
                u.given,
                u.surname,
                u.role,
                u.local,
                html_escape(&r.tenant.domain)
            )
        })
        .collect();
    let scopes = html_escape(r.get("scope").unwrap_or(""));
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>Sign in to {tn}</title></head><body><main>\
         <h1>Sign in to {tn}</h1><p>Vigil emulator: pick a demo identity. Requested permissions: <code>{scopes}</code></p>\
         <form method=\"post\" action=\"/{tp}/oauth2/v2.0/authorize\">{hidden}<ul>{buttons}</ul>\
         <button type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button></form></main></body></html>",
        tn = html_escape(&r.tenant.name),
        tp = encode_component(tenant_path),
    );
    ([(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

fn split_scopes(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

/// The scopes granted: the intersection of what was asked and what the user may have.
fn grant(asked: &[String], user: usize) -> Vec<String> {
    let allowed = DEMO_USERS.get(user).map(|u| u.allowed).unwrap_or(&[]);
    let mut out: Vec<String> = Vec::new();
    for s in asked {
        let bare = s.strip_prefix(GRAPH_PREFIX).unwrap_or(s);
        let ok = OIDC_SCOPES.iter().any(|o| o.eq_ignore_ascii_case(bare))
            || allowed.iter().any(|a| a.eq_ignore_ascii_case(bare));
        let canon = allowed
            .iter()
            .chain(OIDC_SCOPES.iter())
            .find(|a| a.eq_ignore_ascii_case(bare))
            .map(|a| a.to_string());
        if let (true, Some(c)) = (ok, canon)
            && !out.contains(&c)
        {
            out.push(c);
        }
    }
    out
}

pub async fn authorize_post(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    body: String,
) -> Response {
    let params = form_params(&body);
    let action = params.get("action").cloned();
    let user = params.get("user").cloned();
    let req = match validate(&app, &tenant, params) {
        Ok(r) => r,
        Err(page) => return page,
    };
    if let Err(resp) = check_protocol(&req) {
        return resp;
    }
    if action.as_deref() == Some("cancel") {
        return req.error_redirect(
            "access_denied",
            "AADSTS65004: User declined to consent to access the app.",
        );
    }
    let Some(user) = user
        .and_then(|u| u.parse::<usize>().ok())
        .filter(|u| *u < DEMO_USERS.len())
    else {
        return req.error_redirect("invalid_request", "AADSTS900144: No account was selected.");
    };
    let scopes = grant(&split_scopes(req.get("scope").unwrap_or("")), user);
    let code = {
        let Ok(mut store) = app.identity.lock() else {
            return req.error_redirect("server_error", "AADSTS90000: Internal error.");
        };
        let code = store.secret(48);
        store.codes.insert(
            code.clone(),
            AuthCode {
                tenant: req.tenant.id.clone(),
                client_id: CLIENT_ID.into(),
                redirect_uri: req.redirect_uri.clone(),
                challenge: req.get("code_challenge").unwrap_or_default().to_string(),
                user,
                scopes,
                nonce: req.get("nonce").map(str::to_string),
                issued_ms: now_ms(),
            },
        );
        code
    };
    let sep = if req.get("response_mode") == Some("fragment") {
        '#'
    } else if req.redirect_uri.contains('?') {
        '&'
    } else {
        '?'
    };
    let mut loc = format!("{}{sep}code={}", req.redirect_uri, encode_component(&code));
    if let Some(state) = req.get("state") {
        loc.push_str(&format!("&state={}", encode_component(state)));
    }
    loc.push_str(&format!(
        "&session_state={}",
        encode_component(&req.tenant.id)
    ));
    redirect(&loc)
}

fn oauth_error(error: &str, code: u32, description: &str) -> Response {
    let trace = format!("{:016x}", process_random());
    let ts = fmt_ms(now_ms());
    let body = json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {description} Trace ID: {trace} Correlation ID: {trace} Timestamp: {}", &ts[..19]),
        "error_codes": [code],
        "timestamp": format!("{}Z", &ts[..19].replace('T', " ")),
        "trace_id": trace,
        "correlation_id": trace,
    });
    (
        StatusCode::BAD_REQUEST,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(body),
    )
        .into_response()
}

/// Who a token is for.
pub struct Subject<'a> {
    pub tenant: &'a TenantInfo,
    pub upn: &'a str,
    pub name: &'a str,
    pub oid: &'a str,
    pub client_id: &'a str,
}

/// Mints a Graph access token. `scopes` are bare Graph scope names.
pub fn access_token(app: &App, s: &Subject, scopes: &[String]) -> String {
    let now = now_ms() / 1000;
    let graph_scopes: Vec<&str> = scopes
        .iter()
        .map(String::as_str)
        .filter(|x| !OIDC_SCOPES.contains(x))
        .collect();
    let claims = json!({
        "aud": GRAPH_AUDIENCE,
        "iss": issuer(app, &s.tenant.id),
        "iat": now, "nbf": now, "exp": now + app.cfg.token_ttl.as_secs() as i64,
        "scp": graph_scopes.join(" "),
        "tid": s.tenant.id, "oid": s.oid, "sub": s.oid, "upn": s.upn, "unique_name": s.upn, "name": s.name,
        "azp": s.client_id, "appid": s.client_id, "ver": "2.0",
    });
    jwt::sign(&app.key, &claims)
}

pub fn issuer(app: &App, tenant_id: &str) -> String {
    format!("{}/{}/v2.0", app.cfg.authority_url, tenant_id)
}

/// The directory identity of a demo user in a tenant.
pub fn demo_subject(app: &App, tenant: &TenantInfo, user: usize) -> (String, String, String) {
    let u = &DEMO_USERS[user.min(DEMO_USERS.len() - 1)];
    let upn = format!("{}@{}", u.local, tenant.domain);
    let name = format!("{} {}", u.given, u.surname);
    let oid = oid_for(app, tenant, &upn);
    (upn, name, oid)
}

/// The user's object id in the tenant's directory, or a stable GUID derived from the UPN.
pub fn oid_for(app: &App, tenant: &TenantInfo, upn: &str) -> String {
    if let Some(Ok(d)) = app.data.get(&tenant.id).map(|d| d.read())
        && let Some(p) = d.entities.person_by_upn(upn)
    {
        return p.id.clone();
    }
    let h = Sha256::digest(upn.to_lowercase().as_bytes());
    let x: String = h.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-4{}-8{}-{}",
        &x[0..8],
        &x[8..12],
        &x[13..16],
        &x[17..20],
        &x[20..32]
    )
}

fn issue(
    app: &App,
    store: &mut IdentityStore,
    tenant: &TenantInfo,
    user: usize,
    scopes: Vec<String>,
    nonce: Option<String>,
    auth_ms: i64,
) -> Response {
    let (upn, name, oid) = demo_subject(app, tenant, user);
    let subject = Subject {
        tenant,
        upn: &upn,
        name: &name,
        oid: &oid,
        client_id: CLIENT_ID,
    };
    let access = access_token(app, &subject, &scopes);
    let ttl = app.cfg.token_ttl.as_secs();
    let scope_text: Vec<String> = scopes
        .iter()
        .map(|s| {
            if OIDC_SCOPES.contains(&s.as_str()) {
                s.clone()
            } else {
                format!("{GRAPH_PREFIX}{s}")
            }
        })
        .collect();
    let mut body = json!({
        "token_type": "Bearer",
        "scope": scope_text.join(" "),
        "expires_in": ttl,
        "ext_expires_in": ttl,
        "access_token": access,
    });
    if scopes.iter().any(|s| s == "offline_access") {
        let rt = format!("0.vigil.{}", store.secret(64));
        store.refresh.insert(
            rt.clone(),
            RefreshGrant {
                tenant: tenant.id.clone(),
                client_id: CLIENT_ID.into(),
                user,
                scopes: scopes.clone(),
                auth_ms,
            },
        );
        body["refresh_token"] = json!(rt);
        body["refresh_token_expires_in"] = json!(
            ((auth_ms + app.cfg.refresh_lifetime.as_millis() as i64 - now_ms()) / 1000).max(0)
        );
    }
    if scopes.iter().any(|s| s == "openid") {
        let now = now_ms() / 1000;
        let mut claims = json!({
            "aud": CLIENT_ID, "iss": issuer(app, &tenant.id), "iat": now, "nbf": now, "exp": now + 3600,
            "sub": oid, "oid": oid, "tid": tenant.id, "ver": "2.0", "auth_time": auth_ms / 1000,
        });
        if scopes.iter().any(|s| s == "profile") {
            claims["name"] = json!(name);
            claims["preferred_username"] = json!(upn);
        }
        if let Some(n) = nonce {
            claims["nonce"] = json!(n);
        }
        body["id_token"] = json!(jwt::sign(&app.key, &claims));
    }
    (
        StatusCode::OK,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        axum::Json(body),
    )
        .into_response()
}

pub async fn token(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    if !is_form {
        return oauth_error(
            "invalid_request",
            900144,
            "The request body must be application/x-www-form-urlencoded.",
        );
    }
    let p = form_params(&body);
    let get = |k: &str| p.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let Some(tenant_info) = (match tenant.as_str() {
        "common" | "organizations" => app.tenants.first(),
        t => app.tenant(t),
    }) else {
        return oauth_error(
            "invalid_request",
            90002,
            &format!("Tenant '{tenant}' not found."),
        );
    };
    let Some(grant_type) = get("grant_type") else {
        return oauth_error(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'grant_type'.",
        );
    };
    let Some(client_id) = get("client_id") else {
        return oauth_error(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        );
    };
    if client_id != CLIENT_ID {
        return oauth_error(
            "invalid_client",
            700016,
            &format!("Application with identifier '{client_id}' was not found in the directory."),
        );
    }
    if get("client_secret").is_some() || get("client_assertion").is_some() {
        return oauth_error(
            "invalid_client",
            700025,
            "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
        );
    }
    let Ok(mut store) = app.identity.lock() else {
        return oauth_error("temporarily_unavailable", 90000, "Internal error.");
    };
    match grant_type {
        "authorization_code" => {
            let Some(code) = get("code") else {
                return oauth_error(
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'code'.",
                );
            };
            // A code is consumed by any redemption attempt, successful or not.
            let Some(c) = store.codes.remove(code) else {
                return oauth_error(
                    "invalid_grant",
                    54005,
                    "OAuth2 Authorization code was already redeemed or is not valid.",
                );
            };
            if now_ms() - c.issued_ms > app.cfg.code_lifetime.as_millis() as i64 {
                return oauth_error(
                    "invalid_grant",
                    70008,
                    "The provided authorization code or refresh token has expired due to inactivity.",
                );
            }
            if c.tenant != tenant_info.id || c.client_id != client_id {
                return oauth_error(
                    "invalid_grant",
                    70000,
                    "The provided value for the 'code' parameter is not valid for this client or tenant.",
                );
            }
            if get("redirect_uri") != Some(c.redirect_uri.as_str()) {
                return oauth_error(
                    "invalid_grant",
                    50148,
                    "The redirect_uri does not match the one used in the authorization request.",
                );
            }
            let Some(verifier) = get("code_verifier") else {
                return oauth_error(
                    "invalid_request",
                    9002327,
                    "The request body must contain the following parameter: 'code_verifier'.",
                );
            };
            if !(43..=128).contains(&verifier.len())
                || !verifier
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
            {
                return oauth_error(
                    "invalid_request",
                    501481,
                    "The code_verifier is not 43-128 characters of [A-Za-z0-9-._~].",
                );
            }
            if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != c.challenge {
                return oauth_error(
                    "invalid_grant",
                    501481,
                    "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
                );
            }
            issue(
                &app,
                &mut store,
                tenant_info,
                c.user,
                c.scopes,
                c.nonce,
                now_ms(),
            )
        }
        "refresh_token" => {
            let Some(rt) = get("refresh_token") else {
                return oauth_error(
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'refresh_token'.",
                );
            };
            let Some(g) = store.refresh.remove(rt) else {
                return oauth_error(
                    "invalid_grant",
                    9002313,
                    "Invalid request. The refresh token is malformed, was already used (rotated), or was revoked.",
                );
            };
            if g.client_id != client_id || g.tenant != tenant_info.id {
                return oauth_error(
                    "invalid_grant",
                    700005,
                    "The refresh token was issued to a different client or tenant.",
                );
            }
            if now_ms() - g.auth_ms >= app.cfg.refresh_lifetime.as_millis() as i64 {
                return oauth_error(
                    "invalid_grant",
                    700084,
                    "The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime which cannot be extended. Please re-authenticate.",
                );
            }
            let scopes = match get("scope") {
                None => g.scopes.clone(),
                Some(s) => {
                    // A refresh can narrow the grant but never widen it beyond what was consented.
                    let asked = grant(&split_scopes(s), g.user);
                    let mut narrowed: Vec<String> =
                        asked.into_iter().filter(|x| g.scopes.contains(x)).collect();
                    if !narrowed.iter().any(|x| x == "offline_access")
                        && g.scopes.iter().any(|x| x == "offline_access")
                    {
                        narrowed.push("offline_access".into());
                    }
                    narrowed
                }
            };
            issue(
                &app,
                &mut store,
                tenant_info,
                g.user,
                scopes,
                None,
                g.auth_ms,
            )
        }
        other => oauth_error(
            "unsupported_grant_type",
            70003,
            &format!("The app requested an unsupported grant type '{other}'."),
        ),
    }
}
