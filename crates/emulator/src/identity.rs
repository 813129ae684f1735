//! The identity platform: `GET|POST /{tenant}/oauth2/v2.0/authorize` (a server-rendered sign-in
//! page), `POST /{tenant}/oauth2/v2.0/token` (authorization code + PKCE, refresh tokens) and
//! `GET /{tenant}/oauth2/v2.0/logout` (ends the browser's sign-in session).
//!
//! A sign-in starts a session, remembered by a cookie on the authority's origin: while it lives,
//! `prompt=none` signs in without the page, and the page says who is signed in. Sign-out ends
//! it, and with it every refresh token it issued. Refresh tokens rotate; presenting a used one
//! again revokes its whole chain. Test controls (`_emulator/…` on the Graph listener) revoke
//! tokens or sessions, with or without a continuous-access-evaluation claims challenge, and move
//! the identity platform's clock forward.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::jwt;
use crate::state::{App, CLIENT_ID, DEMO_USERS, OIDC_SCOPES, TenantInfo};
use crate::util::{encode_component, fmt_ms, now_ms, parse_query, process_random};

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
    sid: String,
}

/// A live refresh token. `auth_ms` is the original interactive sign-in, which caps its life;
/// `chain` names the rotation chain it belongs to (one per code redemption).
#[derive(Debug, Clone)]
struct RefreshGrant {
    tenant: String,
    client_id: String,
    user: usize,
    scopes: Vec<String>,
    auth_ms: i64,
    sid: String,
    chain: String,
}

/// A browser's sign-in session at the identity platform.
#[derive(Debug, Clone)]
struct Session {
    user: usize,
    /// The opaque `login_hint` claim of its ID tokens (what `logout_hint` names).
    hint: String,
}

/// How Graph refuses a revoked access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 401 `InvalidAuthenticationToken`.
    Invalid,
    /// 401 with a continuous-access-evaluation claims challenge (base64 of the claims JSON).
    Claims(String),
}

/// What a test revokes through `POST _emulator/revoke?tenant=&what=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoke {
    /// The access tokens issued so far (refresh tokens keep working).
    AccessTokens,
    /// The sessions, their refresh tokens and access tokens (plain 401s).
    Sessions,
    /// As `Sessions`, but Graph answers with a claims challenge (continuous access evaluation).
    SessionsWithClaims,
}

#[derive(Default)]
pub struct IdentityStore {
    codes: HashMap<String, AuthCode>,
    refresh: HashMap<String, RefreshGrant>,
    /// Refresh tokens already exchanged, with their chain: presented again, the chain dies.
    used_refresh: HashMap<String, String>,
    sessions: HashMap<String, Session>,
    /// Access tokens issued: (tenant, `uti`, `sid`).
    issued: Vec<(String, String, String)>,
    /// Revoked access tokens by `uti`.
    refused: HashMap<String, Refusal>,
    /// Sessions ended by a revocation (their `sid`), so their codes and grants die too.
    ended: HashSet<String>,
    /// How far the test moved the identity platform's clock.
    clock_offset_ms: i64,
}

impl IdentityStore {
    /// `len` bytes from the operating system's cryptographic generator, base64url.
    fn secret(&mut self, len: usize) -> String {
        URL_SAFE_NO_PAD.encode(secure_random(len))
    }

    /// The identity platform's clock: real time plus what a test advanced it by.
    pub fn now_ms(&self) -> i64 {
        now_ms() + self.clock_offset_ms
    }

    /// How Graph must refuse the access token `uti`, if it was revoked.
    pub fn refusal(&self, uti: &str) -> Option<Refusal> {
        self.refused.get(uti).cloned()
    }

    fn end_session(&mut self, sid: &str) {
        self.sessions.remove(sid);
        self.ended.insert(sid.to_string());
        self.refresh.retain(|_, g| g.sid != sid);
        self.codes.retain(|_, c| c.sid != sid);
    }

    /// Revokes what `what` says for `tenant`.
    pub fn revoke(&mut self, tenant: &str, what: Revoke, claims_nbf_s: i64) {
        let refusal = match what {
            Revoke::SessionsWithClaims => {
                let claims = format!(
                    r#"{{"access_token":{{"nbf":{{"essential":true,"value":"{claims_nbf_s}"}}}}}}"#
                );
                Refusal::Claims(base64::engine::general_purpose::STANDARD.encode(claims))
            }
            _ => Refusal::Invalid,
        };
        let mut sids = HashSet::new();
        for (t, uti, sid) in &self.issued {
            if t == tenant {
                self.refused.insert(uti.clone(), refusal.clone());
                sids.insert(sid.clone());
            }
        }
        if what == Revoke::AccessTokens {
            return;
        }
        sids.extend(
            self.refresh
                .values()
                .filter(|g| g.tenant == tenant)
                .map(|g| g.sid.clone()),
        );
        for sid in sids {
            self.end_session(&sid);
        }
    }
}

/// `len` bytes from the operating system's cryptographic generator: codes, refresh tokens,
/// token ids, session ids and the signing key. (The seeded generator in `util` is for demo
/// data only: its output is predictable by design.)
pub fn secure_random(len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    // Without an OS generator nothing here may be issued; the emulator is a development tool,
    // so failing loudly is the right answer.
    getrandom::getrandom(&mut buf).expect("the operating system's random generator failed");
    buf
}

/// The cookie that remembers a browser's session. Cookies do not tell ports apart, and several
/// emulators may serve one browser, so the name carries the authority's port.
fn session_cookie(app: &App) -> String {
    let port = app.cfg.authority_url.rsplit(':').next().unwrap_or("0");
    format!("vigil_emulator_session_{port}")
}

fn cookie_sid(app: &App, headers: &HeaderMap) -> Option<String> {
    let name = session_cookie(app);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
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
    headers: HeaderMap,
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
    let session = cookie_sid(&app, &headers).and_then(|sid| {
        let store = app.identity.lock().ok()?;
        store.sessions.get(&sid).map(|s| (sid, s.user))
    });
    if req.get("prompt") == Some("none") {
        // Silent sign-in: only with a live session, never with the page.
        return match session {
            Some((sid, user)) => code_redirect(&app, &req, user, Some(sid)).0,
            None => req.error_redirect(
                "login_required",
                "AADSTS50058: A silent sign-in request was sent but no user is signed in.",
            ),
        };
    }
    sign_in_page(&tenant, &req, session.map(|(_, user)| user))
}

fn sign_in_page(tenant_path: &str, r: &AuthorizeReq, signed_in: Option<usize>) -> Response {
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
    // A live session: the real service would pick this account without a password.
    let session = signed_in
        .and_then(|u| DEMO_USERS.get(u))
        .map(|u| {
            format!(
                "<p id=\"signed-in-as\">Already signed in as {} {} &lt;{}@{}&gt;.</p>",
                u.given,
                u.surname,
                u.local,
                html_escape(&r.tenant.domain)
            )
        })
        .unwrap_or_default();
    let scopes = html_escape(r.get("scope").unwrap_or(""));
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>Sign in to {tn}</title></head><body><main>\
         <h1>Sign in to {tn}</h1>{session}<p>Vigil emulator: pick a demo identity. Requested permissions: <code>{scopes}</code></p>\
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
    headers: HeaderMap,
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
    // The same person again keeps the browser's session; another person starts a new one.
    let kept = cookie_sid(&app, &headers).filter(|sid| {
        app.identity
            .lock()
            .is_ok_and(|s| s.sessions.get(sid).is_some_and(|x| x.user == user))
    });
    let (mut resp, sid) = code_redirect(&app, &req, user, kept);
    if let Some(sid) = sid
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{}={sid}; Path=/; HttpOnly; SameSite=Lax",
            session_cookie(&app)
        ))
    {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

/// Issues a code for `user` in the session `sid` (a new session when `None`) and redirects
/// back to the app with it. Returns the session the code belongs to.
fn code_redirect(
    app: &App,
    req: &AuthorizeReq,
    user: usize,
    sid: Option<String>,
) -> (Response, Option<String>) {
    // `claims` (a claims challenge passed on by the app) must be a JSON object.
    if let Some(claims) = req.get("claims")
        && !matches!(
            serde_json::from_str::<serde_json::Value>(claims),
            Ok(serde_json::Value::Object(_))
        )
    {
        return (
            req.error_redirect(
                "invalid_request",
                "AADSTS90019: The claims parameter is not a valid JSON object.",
            ),
            None,
        );
    }
    let scopes = grant(&split_scopes(req.get("scope").unwrap_or("")), user);
    let Ok(mut store) = app.identity.lock() else {
        return (
            req.error_redirect("server_error", "AADSTS90000: Internal error."),
            None,
        );
    };
    let sid = match sid {
        Some(sid) => sid,
        None => {
            let sid = store.secret(16);
            let hint = format!("lh.{}", store.secret(24));
            store.sessions.insert(sid.clone(), Session { user, hint });
            sid
        }
    };
    let code = store.secret(48);
    let issued_ms = store.now_ms();
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
            issued_ms,
            sid: sid.clone(),
        },
    );
    drop(store);
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
    (redirect(&loc), Some(sid))
}

/// `GET /{tenant}/oauth2/v2.0/logout`: ends the browser's session (the one in its cookie, and
/// the one `logout_hint` names) and every refresh token issued in it, then returns to
/// `post_logout_redirect_uri` when that is a registered redirect URI.
pub async fn logout(
    State(app): State<Arc<App>>,
    Path(_tenant): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let params = form_params(q.as_deref().unwrap_or(""));
    let get = |k: &str| params.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let back = get("post_logout_redirect_uri");
    if let Some(uri) = back
        && !app.cfg.redirect_uris.iter().any(|r| r == uri)
    {
        return error_page(
            StatusCode::BAD_REQUEST,
            "AADSTS50011",
            &format!(
                "The post_logout_redirect_uri '{uri}' does not match the redirect URIs configured for the application."
            ),
        );
    }
    if let Ok(mut store) = app.identity.lock() {
        let mut sids: Vec<String> = cookie_sid(&app, &headers).into_iter().collect();
        if let Some(hint) = get("logout_hint") {
            sids.extend(
                store
                    .sessions
                    .iter()
                    .filter(|(_, s)| s.hint == hint)
                    .map(|(sid, _)| sid.clone()),
            );
        }
        for sid in sids {
            store.end_session(&sid);
        }
    }
    let clear = format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
        session_cookie(&app)
    );
    let mut resp = match back {
        Some(uri) => {
            let mut loc = uri.to_string();
            if let Some(state) = get("state") {
                let sep = if loc.contains('?') { '&' } else { '?' };
                loc.push_str(&format!("{sep}state={}", encode_component(state)));
            }
            redirect(&loc)
        }
        None => Html(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>Signed out</title></head>\
             <body><main><h1 id=\"signed-out\">You signed out of your account</h1><p>It's a good idea to close all browser windows.</p></main></body></html>",
        )
        .into_response(),
    };
    if let Ok(v) = HeaderValue::from_str(&clear) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
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
    match app.identity.lock() {
        Ok(mut store) => mint(app, &mut store, s, scopes, ""),
        Err(poisoned) => mint(app, &mut poisoned.into_inner(), s, scopes, ""),
    }
}

/// Mints an access token in session `sid`, remembering its id (`uti`) so a test can revoke it.
fn mint(app: &App, store: &mut IdentityStore, s: &Subject, scopes: &[String], sid: &str) -> String {
    let now = store.now_ms() / 1000;
    let uti = store.secret(16);
    store
        .issued
        .push((s.tenant.id.clone(), uti.clone(), sid.to_string()));
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
        "azp": s.client_id, "appid": s.client_id, "ver": "2.0", "uti": uti, "sid": sid,
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

/// The session and rotation chain a token response belongs to.
struct Lineage {
    sid: String,
    /// `None`: a new chain (a code redemption).
    chain: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn issue(
    app: &App,
    store: &mut IdentityStore,
    tenant: &TenantInfo,
    user: usize,
    scopes: Vec<String>,
    nonce: Option<String>,
    auth_ms: i64,
    lineage: Lineage,
) -> Response {
    let (upn, name, oid) = demo_subject(app, tenant, user);
    let subject = Subject {
        tenant,
        upn: &upn,
        name: &name,
        oid: &oid,
        client_id: CLIENT_ID,
    };
    let access = mint(app, store, &subject, &scopes, &lineage.sid);
    let now_ms = store.now_ms();
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
        let chain = lineage.chain.clone().unwrap_or_else(|| store.secret(16));
        store.refresh.insert(
            rt.clone(),
            RefreshGrant {
                tenant: tenant.id.clone(),
                client_id: CLIENT_ID.into(),
                user,
                scopes: scopes.clone(),
                auth_ms,
                sid: lineage.sid.clone(),
                chain,
            },
        );
        body["refresh_token"] = json!(rt);
        body["refresh_token_expires_in"] =
            json!(((auth_ms + app.cfg.refresh_lifetime.as_millis() as i64 - now_ms) / 1000).max(0));
    }
    if scopes.iter().any(|s| s == "openid") {
        let now = now_ms / 1000;
        let mut claims = json!({
            "aud": CLIENT_ID, "iss": issuer(app, &tenant.id), "iat": now, "nbf": now, "exp": now + 3600,
            "sub": oid, "oid": oid, "tid": tenant.id, "ver": "2.0", "auth_time": auth_ms / 1000,
            "sid": lineage.sid,
        });
        if let Some(s) = store.sessions.get(&lineage.sid) {
            claims["login_hint"] = json!(s.hint);
        }
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
            if store.ended.contains(&c.sid) {
                return oauth_error(
                    "invalid_grant",
                    50173,
                    "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
                );
            }
            if store.now_ms() - c.issued_ms > app.cfg.code_lifetime.as_millis() as i64 {
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
            let auth_ms = store.now_ms();
            let lineage = Lineage {
                sid: c.sid.clone(),
                chain: None,
            };
            issue(
                &app,
                &mut store,
                tenant_info,
                c.user,
                c.scopes,
                c.nonce,
                auth_ms,
                lineage,
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
            if let Some(chain) = store.used_refresh.get(rt).cloned() {
                // A rotated token presented again: stolen, or replayed. Every token of its
                // chain is revoked, the current one included.
                store.refresh.retain(|_, g| g.chain != chain);
                return oauth_error(
                    "invalid_grant",
                    9002313,
                    "Invalid request. The refresh token was already used; every refresh token of its chain is now revoked.",
                );
            }
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
            store.used_refresh.insert(rt.to_string(), g.chain.clone());
            if store.now_ms() - g.auth_ms >= app.cfg.refresh_lifetime.as_millis() as i64 {
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
            let lineage = Lineage {
                sid: g.sid.clone(),
                chain: Some(g.chain.clone()),
            };
            issue(
                &app,
                &mut store,
                tenant_info,
                g.user,
                scopes,
                None,
                g.auth_ms,
                lineage,
            )
        }
        other => oauth_error(
            "unsupported_grant_type",
            70003,
            &format!("The app requested an unsupported grant type '{other}'."),
        ),
    }
}

/// The test controls under `_emulator/` on the Graph listener (loopback only, no token):
/// - `POST clock?advance=SECONDS`: moves the identity platform's clock forward.
/// - `POST revoke?tenant=ID&what=access`: Graph refuses the tenant's access tokens issued so far
///   (401); refresh tokens keep working.
/// - `what=session`: also ends the sessions and their refresh tokens (renewal: `invalid_grant`).
/// - `what=claims`: as `session`, and Graph answers with a claims challenge.
pub fn control(app: &App, what: &str, method: &axum::http::Method, query: &str) -> Response {
    if method != axum::http::Method::POST {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let q = parse_query(query);
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let Ok(mut store) = app.identity.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    match what {
        "clock" => match get("advance").and_then(|v| v.parse::<f64>().ok()) {
            Some(s) if s.is_finite() && s >= 0.0 => {
                store.clock_offset_ms += (s * 1000.0) as i64;
                let body = json!({"offsetSeconds": store.clock_offset_ms as f64 / 1000.0});
                ([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
            }
            _ => (
                StatusCode::BAD_REQUEST,
                "advance=SECONDS (>= 0) is required",
            )
                .into_response(),
        },
        _ => {
            let Some(tenant) = get("tenant").filter(|t| app.tenant(t).is_some()) else {
                return (
                    StatusCode::BAD_REQUEST,
                    "tenant=ID of a demo tenant is required",
                )
                    .into_response();
            };
            let how = match get("what") {
                Some("access") => Revoke::AccessTokens,
                Some("session") => Revoke::Sessions,
                Some("claims") => Revoke::SessionsWithClaims,
                _ => {
                    return (
                        StatusCode::BAD_REQUEST,
                        "what=access|session|claims is required",
                    )
                        .into_response();
                }
            };
            let nbf = store.now_ms() / 1000;
            store.revoke(tenant, how, nbf);
            StatusCode::NO_CONTENT.into_response()
        }
    }
}
