//! The authorization-code + PKCE flow (RFC 6749, RFC 7636): the authorize URL, the code
//! redemption and the refresh, all as a public client (no secret; `client_id` in the body).
//!
//! Hand-written rather than the `oauth2` crate, which brings `url`, `http` and `rand` into the
//! wasm bundle for these few requests: +37 kB brotli with `idna_adapter` pinned to 1.0, +76 kB
//! without (measured for issue #17). On 2026-12-02 the bundle is about 472 kB of its 500 kB
//! limit with three sections still to come, so those bytes go to pages users see. Secrets come
//! from the browser's `crypto.getRandomValues` (natively, for tests, from the OS through
//! `getrandom`).

use vigil_core::odata::encode_path_segment;
use vigil_core::url::form_serialize;

use super::tokens::authorize_scopes;
use crate::config::RuntimeConfig;

/// Random bytes in a PKCE verifier: 32 bytes are 43 base64url characters (RFC 7636's minimum).
const VERIFIER_BYTES: usize = 32;
/// Random bytes in a `state` or `nonce` (128 bits).
const STATE_BYTES: usize = 16;

fn endpoint(config: &RuntimeConfig, tenant: &str, what: &str) -> String {
    format!(
        "{}/{}/oauth2/v2.0/{what}",
        config.authority.trim_end_matches('/'),
        encode_path_segment(tenant)
    )
}

/// Fills `buf` from a cryptographically strong source: `crypto.getRandomValues`. There is
/// deliberately no fallback (and never `Math.random`): without Web Crypto there is no sign-in.
#[cfg(target_arch = "wasm32")]
fn fill_random(buf: &mut [u8]) -> Result<(), String> {
    let no_crypto = |_| "this browser offers no Web Crypto random numbers".to_string();
    let crypto = web_sys::window()
        .ok_or("no window")?
        .crypto()
        .map_err(no_crypto)?;
    crypto
        .get_random_values_with_u8_array(buf)
        .map_err(no_crypto)?;
    Ok(())
}

/// Natively (the unit tests), the operating system's generator.
#[cfg(not(target_arch = "wasm32"))]
fn fill_random(buf: &mut [u8]) -> Result<(), String> {
    getrandom::getrandom(buf).map_err(|e| e.to_string())
}

/// `n` random bytes, base64url without padding.
fn random_b64(n: usize) -> Result<String, String> {
    let mut buf = vec![0u8; n];
    fill_random(&mut buf)?;
    Ok(super::base64url::encode(&buf))
}

/// A fresh PKCE code verifier: 43 characters of `[A-Za-z0-9-_]`.
pub fn new_verifier() -> Result<String, String> {
    random_b64(VERIFIER_BYTES)
}

/// The S256 code challenge of a verifier: base64url-no-pad(SHA-256(verifier)).
pub fn pkce_challenge(verifier: &str) -> String {
    super::base64url::encode(&super::sha256::digest(verifier.as_bytes()))
}

/// A ready authorize redirect and the secrets to keep for the callback.
pub struct Authorize {
    pub url: String,
    pub state: String,
    pub verifier: String,
    pub nonce: String,
}

/// Builds the authorize URL: code + PKCE S256, a fresh state and nonce, the exact redirect URI;
/// `claims` (JSON) when answering a claims challenge.
pub fn authorize(
    config: &RuntimeConfig,
    tenant: &str,
    graph_scopes: &[String],
    login_hint: Option<&str>,
    claims: Option<&str>,
) -> Result<Authorize, String> {
    let verifier = new_verifier()?;
    let state = random_b64(STATE_BYTES)?;
    let nonce = random_b64(STATE_BYTES)?;
    let challenge = pkce_challenge(&verifier);
    let scope = authorize_scopes(&config.authority, graph_scopes).join(" ");
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", config.client_id.as_str()),
        ("state", state.as_str()),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("redirect_uri", config.redirect_uri.as_str()),
        ("scope", scope.as_str()),
        ("response_mode", "query"),
        ("nonce", nonce.as_str()),
    ];
    if let Some(hint) = login_hint {
        params.push(("login_hint", hint));
    }
    if let Some(claims) = claims {
        params.push(("claims", claims));
    }
    let url = format!(
        "{}?{}",
        endpoint(config, tenant, "authorize"),
        form_serialize(params)
    );
    Ok(Authorize {
        url,
        state,
        verifier,
        nonce,
    })
}

/// The sign-out address at the identity platform (as MSAL's logout): it ends the browser's
/// session there, so the next person at this computer cannot pick the account without a
/// password, then comes back to `redirectUri` (a registered address; the callback page with no
/// answer in it goes to the start page).
pub fn logout_url(config: &RuntimeConfig, tenant: &str, logout_hint: Option<&str>) -> String {
    let mut params = vec![("post_logout_redirect_uri", config.redirect_uri.as_str())];
    if let Some(hint) = logout_hint {
        params.push(("logout_hint", hint));
    }
    format!(
        "{}?{}",
        endpoint(config, tenant, "logout"),
        form_serialize(params)
    )
}

/// The JSON of a claims challenge's base64 `claims` (padded or not, standard or URL-safe
/// alphabet), when it is an object.
pub fn decode_claims(b64: &str) -> Option<String> {
    let bytes = super::base64url::decode(b64)?;
    let json = String::from_utf8(bytes).ok()?;
    // Valid JSON (skimmed, not built: `serde_json::Value` would cost the bundle) and an object.
    (json.trim_start().starts_with('{')
        && serde_json::from_str::<serde::de::IgnoredAny>(&json).is_ok())
    .then_some(json)
}

/// What a token endpoint answered. (No `Debug`: it holds the tokens.)
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in_s: f64,
    /// The `scope` field, split; `None` when the server left it out.
    pub scopes: Option<Vec<String>>,
    pub id_token: Option<String>,
}

/// Why the token endpoint gave no tokens.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenFailure {
    /// The grant is dead (`invalid_grant`, `interaction_required`, `consent_required`,
    /// `invalid_client`): only an interactive sign-in helps.
    Refused { error: String, description: String },
    /// The identity platform answered but could not serve the request now (5xx, 429, or an
    /// OAuth error that does not end the grant): worth retrying, after `retry_after_s` if given.
    Unavailable {
        why: String,
        retry_after_s: Option<f64>,
    },
    /// No answer (network, CORS, offline, a timeout): worth retrying.
    Unreachable(String),
    /// An answer we could not read.
    Malformed(String),
}

impl TokenFailure {
    /// Whether the session must end (else the renewal is retried later).
    pub fn is_final(&self) -> bool {
        matches!(self, TokenFailure::Refused { .. })
    }
}

impl std::fmt::Display for TokenFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenFailure::Refused { error, description } if description.is_empty() => {
                write!(f, "The identity platform refused ({error}).")
            }
            TokenFailure::Refused { error, description } => {
                write!(f, "The identity platform refused ({error}): {description}")
            }
            TokenFailure::Unavailable { why, .. } => {
                write!(f, "The identity platform could not answer now: {why}")
            }
            TokenFailure::Unreachable(why) => {
                write!(f, "The identity platform could not be reached: {why}")
            }
            TokenFailure::Malformed(why) => {
                write!(f, "The identity platform's answer could not be read: {why}")
            }
        }
    }
}

/// A token request without an answer after this long is abandoned (and retried later).
pub const TOKEN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// RFC 6749 §5.1. `token_type` is required there, so an answer without it is malformed. Read
/// from serde_json's tree (its parser ships anyway) rather than by a derived decoder.
struct TokenBody {
    access_token: String,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    scope: Option<String>,
    id_token: Option<String>,
}

impl TokenBody {
    fn read(body: &[u8]) -> Result<TokenBody, String> {
        let o = json_object(body)?;
        let text = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let (Some(access_token), Some(_)) = (text("access_token"), text("token_type")) else {
            return Err("no access_token or token_type".into());
        };
        let expires_in = match o.get("expires_in") {
            None | Some(serde_json::Value::Null) => None,
            Some(n) => Some(n.as_u64().ok_or("expires_in is not a number of seconds")?),
        };
        Ok(TokenBody {
            access_token,
            expires_in,
            refresh_token: text("refresh_token"),
            scope: text("scope"),
            id_token: text("id_token"),
        })
    }
}

/// RFC 6749 §5.2: `error` (required) and `error_description`.
struct ErrorBody {
    error: String,
    error_description: Option<String>,
}

impl ErrorBody {
    fn read(body: &[u8]) -> Option<ErrorBody> {
        let o = json_object(body).ok()?;
        let text = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        Some(ErrorBody {
            error: text("error")?,
            error_description: text("error_description"),
        })
    }
}

/// The body of a token request (`application/x-www-form-urlencoded`).
fn code_grant_body(config: &RuntimeConfig, code: &str, verifier: &str) -> String {
    form_serialize([
        ("grant_type", "authorization_code"),
        ("code", code),
        ("code_verifier", verifier),
        ("client_id", config.client_id.as_str()),
        ("redirect_uri", config.redirect_uri.as_str()),
    ])
}

fn refresh_grant_body(config: &RuntimeConfig, refresh_token: &str) -> String {
    form_serialize([
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        ("client_id", config.client_id.as_str()),
    ])
}

/// Reads a token endpoint's answer: 200 with JSON tokens, or an OAuth error object.
fn read_token_response(
    status: u16,
    content_type: Option<&str>,
    retry_after: Option<&str>,
    body: &[u8],
) -> Result<Tokens, TokenFailure> {
    if status != 200 {
        let oauth = ErrorBody::read(body);
        if let Some(e) = &oauth
            && super::tokens::ends_session(&e.error)
        {
            return Err(TokenFailure::Refused {
                error: e.error.clone(),
                description: e.error_description.clone().unwrap_or_default(),
            });
        }
        let why = match oauth {
            Some(e) => match e.error_description.filter(|d| !d.is_empty()) {
                Some(d) => format!("HTTP {status}, {}: {d}", e.error),
                None => format!("HTTP {status}, {}", e.error),
            },
            None if status >= 500 || status == 429 => format!("HTTP {status}"),
            None if body.is_empty() => {
                return Err(TokenFailure::Malformed(format!(
                    "HTTP {status} with an empty body"
                )));
            }
            None => {
                return Err(TokenFailure::Malformed(format!(
                    "HTTP {status} without an OAuth error"
                )));
            }
        };
        return Err(TokenFailure::Unavailable {
            why,
            retry_after_s: retry_after
                .and_then(|v| v.trim().parse::<u32>().ok())
                .map(f64::from),
        });
    }
    // Media types are case-insensitive and may carry parameters (`; charset=utf-8`).
    if let Some(ct) = content_type
        && !ct
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("application/json")
    {
        return Err(TokenFailure::Malformed(format!(
            "unexpected Content-Type {ct:?}, should be application/json"
        )));
    }
    if body.is_empty() {
        return Err(TokenFailure::Malformed("an empty response body".into()));
    }
    let t = TokenBody::read(body).map_err(TokenFailure::Malformed)?;
    Ok(Tokens {
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        expires_in_s: t.expires_in.map(|s| s as f64).unwrap_or(3600.0),
        scopes: t.scope.map(|s| {
            s.split(' ')
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        }),
        id_token: t.id_token,
    })
}

/// POSTs a grant to the tenant's token endpoint (a CORS request, no client secret), giving up
/// after [`TOKEN_TIMEOUT`] (the request is aborted).
async fn token_request(
    config: &RuntimeConfig,
    tenant: &str,
    body: String,
) -> Result<Tokens, TokenFailure> {
    let url = endpoint(config, tenant, "token");
    let resp =
        crate::transport::with_timeout(TOKEN_TIMEOUT, crate::transport::oauth_http(url, body))
            .await
            .ok_or_else(|| {
                TokenFailure::Unreachable(format!("no answer within {} s", TOKEN_TIMEOUT.as_secs()))
            })?
            .map_err(|e| TokenFailure::Unreachable(e.to_string()))?;
    let header = |name: &str| {
        resp.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    read_token_response(
        resp.status,
        header("content-type"),
        header("retry-after"),
        &resp.body,
    )
}

/// Redeems an authorization code with the PKCE verifier.
pub async fn redeem(
    config: &RuntimeConfig,
    tenant: &str,
    code: &str,
    verifier: &str,
) -> Result<Tokens, TokenFailure> {
    token_request(config, tenant, code_grant_body(config, code, verifier)).await
}

/// Renews with a refresh token; the answer carries a new refresh token (rotation).
pub async fn refresh(
    config: &RuntimeConfig,
    tenant: &str,
    refresh_token: &str,
) -> Result<Tokens, TokenFailure> {
    token_request(config, tenant, refresh_grant_body(config, refresh_token)).await
}

/// A JSON body's members, read from text like every body the app reads (UTF-8 checked once);
/// a message for anything but an object (never the body itself: it may hold tokens).
fn json_object(body: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let text = std::str::from_utf8(body).map_err(|e| e.to_string())?;
    match serde_json::from_str(text).map_err(|e| e.to_string())? {
        serde_json::Value::Object(o) => Ok(o),
        _ => Err("not a JSON object".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::url::form_parse;

    /// RFC 7636 appendix B: the S256 challenge of the example verifier.
    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn random_verifiers_are_long_and_unique() {
        let v1 = new_verifier().unwrap();
        let v2 = new_verifier().unwrap();
        assert_ne!(v1, v2);
        assert!((43..=128).contains(&v1.len()));
        // RFC 7636 §4.1: unreserved characters only.
        assert!(
            v1.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
        );
        let c = pkce_challenge(&v1);
        assert_eq!(c.len(), 43);
        assert_ne!(c, pkce_challenge(&v2));
    }

    fn config() -> RuntimeConfig {
        RuntimeConfig::parse(
            r#"{"authority":"http://127.0.0.1:8081","tenants":[{"id":"7f3c2a9e-0000-4000-8000-000000000001"}],
               "clientId":"c1","redirectUri":"http://127.0.0.1:8080/auth/callback?x=1&y=a b",
               "graphBaseUrl":"http://127.0.0.1:8082"}"#,
        )
        .unwrap()
    }

    fn pairs(body: &str) -> Vec<(String, String)> {
        form_parse(body)
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn grant_bodies_are_form_encoded() {
        let c = config();
        let body = code_grant_body(&c, "0.AX+y/z=&", "v".repeat(43).as_str());
        assert!(body.starts_with("grant_type=authorization_code&code=0.AX%2By%2Fz%3D%26&"));
        assert!(body.contains(
            "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fauth%2Fcallback%3Fx%3D1%26y%3Da+b"
        ));
        assert_eq!(
            pairs(&body),
            [
                p("grant_type", "authorization_code"),
                p("code", "0.AX+y/z=&"),
                p("code_verifier", &"v".repeat(43)),
                p("client_id", "c1"),
                p(
                    "redirect_uri",
                    "http://127.0.0.1:8080/auth/callback?x=1&y=a b"
                ),
            ]
        );
        assert_eq!(
            pairs(&refresh_grant_body(&c, "rt+/=é")),
            [
                p("grant_type", "refresh_token"),
                p("refresh_token", "rt+/=é"),
                p("client_id", "c1"),
            ]
        );
    }

    #[test]
    fn token_answers_are_read() {
        let json = Some("application/json; charset=utf-8");
        let t = read_token_response(
            200,
            json,
            None,
            br#"{"token_type":"Bearer","access_token":"at","expires_in":20,"refresh_token":"rt",
                "scope":"openid https://graph.microsoft.com/User.Read","id_token":"a.b.c","ext_expires_in":20}"#,
        )
        .unwrap();
        assert_eq!(t.access_token, "at");
        assert_eq!(t.refresh_token.as_deref(), Some("rt"));
        assert_eq!(t.expires_in_s, 20.0);
        assert_eq!(
            t.scopes.unwrap(),
            ["openid", "https://graph.microsoft.com/User.Read"]
        );
        assert_eq!(t.id_token.as_deref(), Some("a.b.c"));

        let t = read_token_response(
            200,
            None,
            None,
            br#"{"token_type":"bearer","access_token":"at"}"#,
        )
        .unwrap();
        assert_eq!(
            (t.expires_in_s, t.scopes, t.refresh_token, t.id_token),
            (3600.0, None, None, None)
        );
        let t = read_token_response(
            200,
            Some("Application/JSON"),
            None,
            br#"{"token_type":"Bearer","access_token":"at","scope":"a  b"}"#,
        )
        .unwrap();
        assert_eq!(t.scopes.unwrap(), ["a", "b"]);
    }

    #[test]
    fn oauth_errors_become_refusals() {
        let e = read_token_response(
            400,
            Some("application/json"),
            None,
            br#"{"error":"invalid_grant","error_description":"AADSTS70008: The refresh token has expired.","error_codes":[70008]}"#,
        )
        .err().unwrap();
        assert_eq!(
            e,
            TokenFailure::Refused {
                error: "invalid_grant".into(),
                description: "AADSTS70008: The refresh token has expired.".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "The identity platform refused (invalid_grant): AADSTS70008: The refresh token has expired."
        );
        let e = read_token_response(401, None, None, br#"{"error":"invalid_client"}"#)
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "The identity platform refused (invalid_client)."
        );
    }

    #[test]
    fn unreadable_answers_are_malformed() {
        let malformed = |status, ct, body: &[u8]| {
            matches!(
                read_token_response(status, ct, None, body),
                Err(TokenFailure::Malformed(_))
            )
        };
        assert!(malformed(400, None, b""));
        assert!(malformed(400, None, br#"{"error_description":"no code"}"#));
        assert!(malformed(
            200,
            Some("text/html"),
            br#"{"access_token":"at"}"#
        ));
        assert!(malformed(200, None, b""));
        assert!(malformed(200, None, br#"{"token_type":"Bearer"}"#));
        assert!(malformed(200, None, br#"{"access_token":"at"}"#));
        assert!(malformed(
            200,
            None,
            br#"{"token_type":"Bearer","access_token":"at","expires_in":"x"}"#
        ));
        assert!(malformed(200, None, b"{truncated"));
        // The token never appears in what a person is shown.
        let e = read_token_response(
            200,
            Some("text/plain"),
            None,
            br#"{"access_token":"secret"}"#,
        )
        .err()
        .unwrap();
        assert!(!e.to_string().contains("secret"));
    }

    #[test]
    fn outages_and_throttling_are_worth_retrying_and_do_not_end_the_session() {
        let delayed = |status, retry_after, body: &[u8]| {
            let e = read_token_response(status, None, retry_after, body)
                .err()
                .unwrap();
            assert!(!e.is_final(), "{status}: {e}");
            e
        };
        // Before: a 5xx's OAuth body (or a 429's) was a refusal, and the session ended.
        let e = delayed(
            503,
            Some("7"),
            br#"{"error":"temporarily_unavailable","error_description":"AADSTS90033: busy"}"#,
        );
        assert_eq!(
            e,
            TokenFailure::Unavailable {
                why: "HTTP 503, temporarily_unavailable: AADSTS90033: busy".into(),
                retry_after_s: Some(7.0)
            }
        );
        assert!(matches!(
            delayed(429, Some("x"), br#"{"error":"slow_down"}"#),
            TokenFailure::Unavailable {
                retry_after_s: None,
                ..
            }
        ));
        delayed(500, None, b"");
        delayed(502, None, b"<html>Bad gateway</html>");
        delayed(400, None, br#"{"error":"server_error"}"#);
        delayed(400, None, br#"{"error":"invalid_request"}"#);
        for error in [
            "invalid_grant",
            "interaction_required",
            "consent_required",
            "invalid_client",
        ] {
            let body = format!(r#"{{"error":"{error}"}}"#);
            let e = read_token_response(400, None, None, body.as_bytes())
                .err()
                .unwrap();
            assert!(e.is_final(), "{error}");
        }
        assert!(!TokenFailure::Unreachable("offline".into()).is_final());
        assert!(!TokenFailure::Malformed("x".into()).is_final());
    }

    #[test]
    fn the_logout_url_names_the_account_and_comes_back_to_the_registered_address() {
        let c = config();
        let url = logout_url(&c, "7f3c2a9e-0000-4000-8000-000000000001", Some("lh.a+b/c"));
        let (base, query) = url.split_once('?').unwrap();
        assert_eq!(
            base,
            "http://127.0.0.1:8081/7f3c2a9e-0000-4000-8000-000000000001/oauth2/v2.0/logout"
        );
        assert_eq!(
            pairs(query),
            [
                p(
                    "post_logout_redirect_uri",
                    "http://127.0.0.1:8080/auth/callback?x=1&y=a b"
                ),
                p("logout_hint", "lh.a+b/c"),
            ]
        );
        assert!(!logout_url(&c, "t", None).contains("logout_hint"));
    }

    #[test]
    fn claims_challenges_decode_to_json_objects_only() {
        // Microsoft's documented example, padded, standard alphabet.
        assert_eq!(
            decode_claims(
                "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0="
            )
            .as_deref(),
            Some(r#"{"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}"#)
        );
        assert_eq!(decode_claims("eyJ9").as_deref(), None, "not JSON");
        assert_eq!(decode_claims("WzFd"), None, "[1] is not an object");
        assert_eq!(decode_claims("!!!"), None);
    }
}
