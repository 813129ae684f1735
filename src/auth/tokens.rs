//! Pure token logic: when to renew, which scopes a token holds, what the ID token says, and
//! what came back on the redirect.

/// Graph scopes are asked as `https://graph.microsoft.com/<Scope>` from Microsoft.
pub const GRAPH_SCOPE_PREFIX: &str = "https://graph.microsoft.com/";
/// Always asked: an ID token (`openid`, `profile`) and a refresh token (`offline_access`).
pub const OIDC_SCOPES: [&str; 3] = ["openid", "profile", "offline_access"];

/// Renew this long before expiry…
pub const RENEW_LEAD_MS: f64 = 5.0 * 60.0 * 1000.0;
/// …or at 80 % of the lifetime when that is shorter (a 20 s test token renews at 16 s).
pub const RENEW_AT_FRACTION: f64 = 0.8;
/// A token is never renewed sooner than this after it arrived, however short the lifetime the
/// server gave (`expires_in: 0` must not become a renewal loop).
pub const MIN_RENEW_GAP_MS: f64 = 10_000.0;
/// A token is used until this long before expiry (or a fifth of its life, when shorter).
pub const STALE_LEAD_MS: f64 = 10_000.0;

/// When an access token was obtained and how long it lives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lifetime {
    /// Wall-clock milliseconds when the token response arrived.
    pub obtained_ms: f64,
    /// `expires_in`, in seconds.
    pub expires_in_s: f64,
}

impl Lifetime {
    pub fn expires_at_ms(&self) -> f64 {
        self.obtained_ms + self.expires_in_s.max(0.0) * 1000.0
    }

    /// Five minutes before expiry, or at 80 % of the lifetime, whichever comes first; never
    /// sooner than [`MIN_RENEW_GAP_MS`] after the token arrived.
    pub fn renew_at_ms(&self) -> f64 {
        let life = (self.expires_in_s * 1000.0).max(0.0);
        let lead = RENEW_LEAD_MS.min(life * (1.0 - RENEW_AT_FRACTION));
        (self.obtained_ms + life - lead).max(self.obtained_ms + MIN_RENEW_GAP_MS)
    }

    /// Milliseconds from `now_ms` until renewal is due (0 when overdue).
    pub fn renew_in_ms(&self, now_ms: f64) -> f64 {
        (self.renew_at_ms() - now_ms).max(0.0)
    }

    /// Whether the token must be renewed before it is used: within 10 s (or a fifth of its
    /// life) of expiry, or past it, but never in its first [`MIN_RENEW_GAP_MS`] (a token that
    /// Graph then refuses is renewed through the 401 path, once).
    pub fn is_stale(&self, now_ms: f64) -> bool {
        let life = (self.expires_in_s * 1000.0).max(0.0);
        now_ms >= self.expires_at_ms() - STALE_LEAD_MS.min(life * (1.0 - RENEW_AT_FRACTION))
            && now_ms >= self.obtained_ms + MIN_RENEW_GAP_MS
    }
}

/// The OAuth errors of a token request after which only an interactive sign-in helps: the
/// session ends. Everything else (5xx, 429, `temporarily_unavailable`, no answer) is retried.
pub fn ends_session(error: &str) -> bool {
    matches!(
        error,
        "invalid_grant" | "interaction_required" | "consent_required" | "invalid_client"
    )
}

/// First retry of a delayed renewal after this long; doubled each time…
pub const RETRY_FIRST_MS: f64 = 2_000.0;
/// …up to this.
pub const RETRY_MAX_MS: f64 = 60_000.0;

/// How long to wait before renewal attempt `attempt` (0 = the first retry) after a transient
/// failure: exponential back-off with a cap, or the server's `Retry-After` when longer (capped
/// at five minutes).
pub fn retry_delay_ms(attempt: u32, retry_after_s: Option<f64>) -> f64 {
    let backoff = (RETRY_FIRST_MS * 2f64.powi(attempt.min(16) as i32)).min(RETRY_MAX_MS);
    let server = retry_after_s.map_or(0.0, |s| (s * 1000.0).clamp(0.0, 300_000.0));
    backoff.max(server)
}

/// Whether `authority` is Microsoft's identity platform (then Graph scopes carry the resource).
pub fn is_microsoft_authority(authority: &str) -> bool {
    vigil_core::url::HttpUrl::parse(authority)
        .ok()
        .map(|u| u.host().to_owned())
        .is_some_and(|h| {
            h == "login.microsoftonline.com"
                || h.ends_with(".microsoftonline.com")
                || h.ends_with(".microsoftonline.us")
                || h.ends_with(".chinacloudapi.cn")
        })
}

/// The `scope` parameter of an authorize request: the OpenID scopes, then the Graph scopes
/// (prefixed when the authority is Microsoft's), without duplicates.
pub fn authorize_scopes(authority: &str, graph_scopes: &[String]) -> Vec<String> {
    let prefix = if is_microsoft_authority(authority) {
        GRAPH_SCOPE_PREFIX
    } else {
        ""
    };
    let mut out: Vec<String> = OIDC_SCOPES.iter().map(|s| s.to_string()).collect();
    for s in graph_scopes {
        let s = format!("{prefix}{}", bare_scope(s));
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&s)) {
            out.push(s);
        }
    }
    out
}

/// `https://graph.microsoft.com/SecurityAlert.Read.All` → `SecurityAlert.Read.All`.
pub fn bare_scope(scope: &str) -> &str {
    scope.strip_prefix(GRAPH_SCOPE_PREFIX).unwrap_or(scope)
}

/// The Graph scopes a token response grants (its `scope` field), bare, OpenID ones left out.
pub fn granted_graph_scopes<'a>(scopes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in scopes {
        let b = bare_scope(s);
        if !OIDC_SCOPES.iter().any(|o| o.eq_ignore_ascii_case(b))
            && !b.eq_ignore_ascii_case("email")
            && !out.iter().any(|o| o.eq_ignore_ascii_case(b))
        {
            out.push(b.to_string());
        }
    }
    out
}

/// Whether `granted` satisfies `needed`; a `ReadWrite` scope also covers its `Read` scope.
pub fn holds(granted: &[String], needed: &str) -> bool {
    let needed = bare_scope(needed);
    let wider = if let Some(stem) = needed.strip_suffix(".Read.All") {
        Some(format!("{stem}.ReadWrite.All"))
    } else {
        needed
            .strip_suffix(".Read")
            .map(|stem| format!("{stem}.ReadWrite"))
    };
    granted.iter().any(|g| {
        g.eq_ignore_ascii_case(needed)
            || wider.as_deref().is_some_and(|w| g.eq_ignore_ascii_case(w))
    })
}

/// `None` when `granted` has `needed`, else the reason shown beside a disabled control.
pub fn lacks(granted: &[String], needed: &str) -> Option<String> {
    (!holds(granted, needed)).then(|| format!("needs {}", bare_scope(needed)))
}

/// The claims Vigil reads from the ID token. Read from serde_json's tree (the bundle carries
/// its parser anyway), not by derived decoders: see [`IdClaims::from_json`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdClaims {
    pub name: Option<String>,
    pub preferred_username: Option<String>,
    pub tid: Option<String>,
    pub nonce: Option<String>,
    pub aud: Audience,
    pub azp: Option<String>,
    pub iss: Option<String>,
    /// Expiry, seconds since the epoch.
    pub exp: Option<f64>,
    /// Microsoft's opaque sign-out hint (optional claim `login_hint`), sent as `logout_hint`.
    pub login_hint: Option<String>,
}

impl IdClaims {
    /// The claims of a JSON object; `None` for anything else. A claim of the wrong type reads
    /// as absent, and the checks refuse a token without the claims they need.
    pub fn from_json(text: &str) -> Option<IdClaims> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let o = v.as_object()?;
        let text = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        Some(IdClaims {
            name: text("name"),
            preferred_username: text("preferred_username"),
            tid: text("tid"),
            nonce: text("nonce"),
            aud: Audience::from_json(o.get("aud")),
            azp: text("azp"),
            iss: text("iss"),
            exp: o.get("exp").and_then(|v| v.as_f64()),
            login_hint: text("login_hint"),
        })
    }
}

/// `aud`: one string, or (OpenID Connect Core §2) an array of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Audience {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl Audience {
    /// An array with anything but strings in it is no audience at all (and is refused).
    fn from_json(v: Option<&serde_json::Value>) -> Audience {
        match v {
            Some(serde_json::Value::String(a)) => Audience::One(a.clone()),
            Some(serde_json::Value::Array(all)) => all
                .iter()
                .map(|a| a.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map_or(Audience::None, Audience::Many),
            _ => Audience::None,
        }
    }

    fn values(&self) -> &[String] {
        match self {
            Audience::None => &[],
            Audience::One(a) => std::slice::from_ref(a),
            Audience::Many(a) => a,
        }
    }
}

/// How far the ID token's `exp` may lie in the past (clocks differ; MSAL allows five minutes).
pub const CLOCK_SKEW_S: f64 = 300.0;

/// Reads the ID token's payload. The token came straight from the token endpoint over TLS to
/// this public client, so (as MSAL.js does) its signature is not checked here; its nonce,
/// audience, issuer, tenant and expiry are.
pub fn decode_id_token(jwt: &str) -> Result<IdClaims, String> {
    let payload = jwt.split('.').nth(1).ok_or("the ID token is not a JWT")?;
    let bytes = super::base64url::decode(payload).ok_or("the ID token payload is not base64url")?;
    std::str::from_utf8(&bytes)
        .ok()
        .and_then(IdClaims::from_json)
        .ok_or_else(|| "the ID token payload is not JSON".to_string())
}

/// What an ID token is checked against: the sign-in that asked for it.
pub struct Expect<'a> {
    pub nonce: &'a str,
    pub client_id: &'a str,
    /// The tenant in the authority path (a GUID, or `organizations`/`common`).
    pub tenant: &'a str,
    /// The configured authority origin; the issuer must be `{authority}/{tid}/v2.0`.
    pub authority: &'a str,
    pub now_s: f64,
}

/// Checks the ID token against the sign-in that asked for it.
pub fn check_id_token(claims: &IdClaims, expect: &Expect) -> Result<(), String> {
    let refuse = |why: &str| Err(format!("{why} Nothing was signed in."));
    if claims.nonce.as_deref() != Some(expect.nonce) {
        return refuse(
            "The ID token does not carry the nonce of this sign-in, so it may have been replayed.",
        );
    }
    let aud = claims.aud.values();
    let azp_ok = claims.azp.as_deref().is_none_or(|a| a == expect.client_id);
    if !aud.iter().any(|a| a == expect.client_id)
        || !azp_ok
        || (aud.len() > 1 && claims.azp.is_none())
    {
        return refuse("The ID token was issued to another application.");
    }
    let tid = claims.tid.as_deref().unwrap_or_default();
    let specific = !matches!(expect.tenant, "common" | "organizations");
    if tid.is_empty() || (specific && !tid.eq_ignore_ascii_case(expect.tenant)) {
        return refuse("The ID token is for another tenant than the one asked for.");
    }
    let issuer = format!("{}/{tid}/v2.0", expect.authority.trim_end_matches('/'));
    if !claims
        .iss
        .as_deref()
        .is_some_and(|i| i.eq_ignore_ascii_case(&issuer))
    {
        return refuse("The ID token was not issued by the configured identity platform.");
    }
    match claims.exp {
        Some(exp) if exp + CLOCK_SKEW_S > expect.now_s => Ok(()),
        Some(_) => refuse(
            "The ID token has expired (or this computer's clock is wrong by more than five minutes).",
        ),
        None => refuse("The ID token has no expiry."),
    }
}

/// The query of the redirect back to `/auth/callback`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

impl CallbackParams {
    /// Parses `?code=…&state=…` or `?error=…&error_description=…` (leading `?` optional).
    pub fn parse(query: &str) -> Self {
        let mut p = CallbackParams::default();
        for (k, v) in vigil_core::url::form_parse(query.trim_start_matches('?')) {
            let v = Some(v).filter(|v| !v.is_empty());
            match k.as_str() {
                "code" => p.code = v,
                "state" => p.state = v,
                "error" => p.error = v,
                "error_description" => p.error_description = v,
                _ => {}
            }
        }
        p
    }
}

/// What the callback page says about an error redirect. The identity platform's code and
/// `error_description` are shown only when `state` matched a sign-in this tab started: anyone
/// can craft a link to the callback, and Vigil's page must not carry their text.
pub fn callback_error(params: &CallbackParams, started_here: bool) -> (String, Option<String>) {
    match (&params.error, started_here) {
        (Some(code), true) => (explain_oauth_error(code), params.error_description.clone()),
        _ => (
            "The sign-in did not complete, and this response does not answer a sign-in started in this tab. Nothing was signed in."
                .into(),
            None,
        ),
    }
}

/// A person-readable headline for an OAuth error code from the authorize redirect.
pub fn explain_oauth_error(code: &str) -> String {
    match code {
        "access_denied" => {
            "Sign-in was cancelled, or the permissions Vigil asked for were declined.".into()
        }
        "consent_required" => {
            "An administrator of this tenant must first consent to the permissions Vigil asks for."
                .into()
        }
        "interaction_required" | "login_required" => {
            "The identity platform needs you to sign in interactively.".into()
        }
        "invalid_scope" => "The identity platform refused the permissions Vigil asked for.".into(),
        "temporarily_unavailable" | "server_error" => {
            "The identity platform is having trouble; try again in a moment.".into()
        }
        other => format!("Sign-in failed ({other})."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renews_five_minutes_early_for_long_tokens() {
        let l = Lifetime {
            obtained_ms: 1_000.0,
            expires_in_s: 3600.0,
        };
        assert_eq!(l.expires_at_ms(), 3_601_000.0);
        assert_eq!(l.renew_at_ms(), 3_601_000.0 - 300_000.0);
        assert_eq!(l.renew_in_ms(1_000.0), 3_300_000.0);
        assert_eq!(l.renew_in_ms(9e9), 0.0);
    }

    #[test]
    fn renews_at_eighty_percent_for_short_tokens() {
        let l = Lifetime {
            obtained_ms: 0.0,
            expires_in_s: 20.0,
        };
        assert_eq!(l.renew_at_ms(), 16_000.0);
        // The crossover: 25 minutes → 5 minutes lead either way.
        let l = Lifetime {
            obtained_ms: 0.0,
            expires_in_s: 1500.0,
        };
        assert_eq!(l.renew_at_ms(), 1_200_000.0);
        let l = Lifetime {
            obtained_ms: 0.0,
            expires_in_s: 600.0,
        };
        assert_eq!(l.renew_at_ms(), 480_000.0);
    }

    #[test]
    fn a_tiny_or_zero_lifetime_cannot_loop() {
        // Before: `expires_in: 0` renewed at once, and every renewal scheduled the next at once.
        for expires_in_s in [0.0, 1.0, 5.0, -3.0] {
            let l = Lifetime {
                obtained_ms: 5.0,
                expires_in_s,
            };
            assert_eq!(l.renew_at_ms(), 5.0 + MIN_RENEW_GAP_MS, "{expires_in_s}");
            assert_eq!(l.renew_in_ms(5.0), MIN_RENEW_GAP_MS);
            assert!(!l.is_stale(5.0), "used as is at first ({expires_in_s})");
            assert!(!l.is_stale(5.0 + MIN_RENEW_GAP_MS - 1.0));
            assert!(l.is_stale(5.0 + MIN_RENEW_GAP_MS));
        }
    }

    #[test]
    fn only_four_oauth_errors_end_a_session() {
        for e in [
            "invalid_grant",
            "interaction_required",
            "consent_required",
            "invalid_client",
        ] {
            assert!(ends_session(e), "{e}");
        }
        for e in [
            "temporarily_unavailable",
            "server_error",
            "invalid_request",
            "slow_down",
            "",
        ] {
            assert!(!ends_session(e), "{e}");
        }
    }

    #[test]
    fn delayed_renewals_back_off_with_a_cap_and_honour_retry_after() {
        assert_eq!(retry_delay_ms(0, None), 2_000.0);
        assert_eq!(retry_delay_ms(1, None), 4_000.0);
        assert_eq!(retry_delay_ms(4, None), 32_000.0);
        assert_eq!(retry_delay_ms(5, None), RETRY_MAX_MS);
        assert_eq!(retry_delay_ms(u32::MAX, None), RETRY_MAX_MS);
        assert_eq!(retry_delay_ms(0, Some(30.0)), 30_000.0);
        assert_eq!(retry_delay_ms(5, Some(1.0)), RETRY_MAX_MS);
        assert_eq!(retry_delay_ms(0, Some(1e9)), 300_000.0);
    }

    #[test]
    fn staleness_is_ten_seconds_before_expiry() {
        let l = Lifetime {
            obtained_ms: 0.0,
            expires_in_s: 60.0,
        };
        assert!(!l.is_stale(49_999.0));
        assert!(l.is_stale(50_000.0));
        assert!(l.is_stale(70_000.0));
        // A 20 s token: a fifth of its life (4 s) before expiry.
        let l = Lifetime {
            obtained_ms: 0.0,
            expires_in_s: 20.0,
        };
        assert!(!l.is_stale(15_999.0));
        assert!(l.is_stale(16_000.0));
    }

    #[test]
    fn scopes_are_prefixed_only_for_microsoft() {
        let asked = vec![
            "SecurityAlert.Read.All".to_string(),
            "User.Read".to_string(),
        ];
        assert_eq!(
            authorize_scopes("https://login.microsoftonline.com", &asked),
            [
                "openid",
                "profile",
                "offline_access",
                "https://graph.microsoft.com/SecurityAlert.Read.All",
                "https://graph.microsoft.com/User.Read"
            ]
        );
        assert_eq!(
            authorize_scopes("http://127.0.0.1:8081", &asked),
            [
                "openid",
                "profile",
                "offline_access",
                "SecurityAlert.Read.All",
                "User.Read"
            ]
        );
        let twice = vec![
            "https://graph.microsoft.com/User.Read".to_string(),
            "User.Read".into(),
        ];
        assert_eq!(authorize_scopes("http://x", &twice).len(), 4);
    }

    #[test]
    fn granted_scopes_drop_the_prefix_and_openid() {
        let g = granted_graph_scopes(
            "openid profile offline_access https://graph.microsoft.com/SecurityAlert.Read.All User.Read"
                .split(' '),
        );
        assert_eq!(g, ["SecurityAlert.Read.All", "User.Read"]);
    }

    #[test]
    fn read_write_covers_read_but_not_the_reverse() {
        let g = vec![
            "SecurityAlert.ReadWrite.All".to_string(),
            "ThreatSubmission.ReadWrite".into(),
        ];
        assert!(holds(&g, "SecurityAlert.Read.All"));
        assert!(holds(
            &g,
            "https://graph.microsoft.com/SecurityAlert.ReadWrite.All"
        ));
        assert!(holds(&g, "ThreatSubmission.Read"));
        let r = vec!["SecurityAlert.Read.All".to_string()];
        assert_eq!(
            lacks(&r, "SecurityAlert.ReadWrite.All").as_deref(),
            Some("needs SecurityAlert.ReadWrite.All")
        );
        assert_eq!(lacks(&r, "securityalert.read.all"), None);
    }

    fn jwt(payload: &str) -> String {
        format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.sig",
            crate::auth::base64url::encode(payload.as_bytes())
        )
    }

    const T1: &str = "7f3c2a9e-0000-4000-8000-000000000001";

    fn expect(now_s: f64) -> Expect<'static> {
        Expect {
            nonce: "n1",
            client_id: "c1",
            tenant: T1,
            authority: "https://login.microsoftonline.com/",
            now_s,
        }
    }

    fn claims(extra: &str) -> IdClaims {
        decode_id_token(&jwt(&format!(
            r#"{{"name":"Alex Analyst","preferred_username":"alex@contoso.example","tid":"{T1}","nonce":"n1","aud":"c1",
                "iss":"https://login.microsoftonline.com/{T1}/v2.0","exp":1000{extra}}}"#
        )))
        .unwrap()
    }

    #[test]
    fn the_id_token_nonce_audience_and_tenant_are_checked() {
        let c = claims("");
        assert_eq!(c.name.as_deref(), Some("Alex Analyst"));
        assert_eq!(check_id_token(&c, &expect(900.0)), Ok(()));
        let with = |f: &dyn Fn(&mut Expect)| {
            let mut e = expect(900.0);
            f(&mut e);
            check_id_token(&c, &e)
        };
        assert!(with(&|e| e.nonce = "n2").unwrap_err().contains("nonce"));
        assert!(
            with(&|e| e.client_id = "c2")
                .unwrap_err()
                .contains("another application")
        );
        assert!(
            with(&|e| e.tenant = "7f3c2a9e-0000-4000-8000-000000000002")
                .unwrap_err()
                .contains("another tenant")
        );
        assert_eq!(with(&|e| e.tenant = "organizations"), Ok(()));
        assert!(decode_id_token("nodots").is_err());
        assert!(decode_id_token("a.!!!.c").is_err());
        let no_nonce = decode_id_token(&jwt(r#"{"aud":"c1"}"#)).unwrap();
        assert!(check_id_token(&no_nonce, &expect(0.0)).is_err());
    }

    #[test]
    fn the_id_token_issuer_is_the_configured_authority_and_tenant() {
        let e = expect(900.0);
        let wrong_host = claims("").tap(|c| {
            c.iss = Some(format!("https://login.evil.example/{T1}/v2.0"));
        });
        assert!(
            check_id_token(&wrong_host, &e)
                .unwrap_err()
                .contains("not issued by")
        );
        let v1 = claims("").tap(|c| c.iss = Some(format!("https://sts.windows.net/{T1}/")));
        assert!(check_id_token(&v1, &e).is_err());
        let other_tenant_in_iss = claims("").tap(|c| {
            c.iss = Some(
                "https://login.microsoftonline.com/7f3c2a9e-0000-4000-8000-000000000002/v2.0"
                    .into(),
            )
        });
        assert!(check_id_token(&other_tenant_in_iss, &e).is_err());
        let none = claims("").tap(|c| c.iss = None);
        assert!(check_id_token(&none, &e).is_err());
        // The emulator's loopback authority, no trailing slash, any letter case of the GUID.
        let loopback = Expect {
            authority: "http://127.0.0.1:8081",
            tenant: "7F3C2A9E-0000-4000-8000-000000000001",
            ..expect(900.0)
        };
        let c = claims("").tap(|c| c.iss = Some(format!("http://127.0.0.1:8081/{T1}/v2.0")));
        assert_eq!(check_id_token(&c, &loopback), Ok(()));
    }

    #[test]
    fn the_id_token_expiry_is_checked_with_five_minutes_of_clock_skew() {
        let c = claims("");
        assert_eq!(
            check_id_token(&c, &expect(1000.0 + CLOCK_SKEW_S - 1.0)),
            Ok(())
        );
        assert!(
            check_id_token(&c, &expect(1000.0 + CLOCK_SKEW_S))
                .unwrap_err()
                .contains("expired")
        );
        let none = claims("").tap(|c| c.exp = None);
        assert!(
            check_id_token(&none, &expect(0.0))
                .unwrap_err()
                .contains("no expiry")
        );
    }

    #[test]
    fn an_array_audience_needs_this_client_and_a_matching_azp() {
        let e = expect(900.0);
        let many = |aud: &str, azp: Option<&str>| {
            let azp = azp.map(|a| format!(r#","azp":"{a}""#)).unwrap_or_default();
            let mut c = claims(&azp);
            c.aud = Audience::from_json(Some(&serde_json::from_str(aud).unwrap()));
            check_id_token(&c, &e)
        };
        assert_eq!(many(r#"["c1","api://other"]"#, Some("c1")), Ok(()));
        assert_eq!(many(r#"["c1"]"#, None), Ok(()));
        assert!(
            many(r#"["c1","api://other"]"#, None).is_err(),
            "several audiences need azp"
        );
        assert!(many(r#"["c1","api://other"]"#, Some("other")).is_err());
        assert!(many(r#"["api://other"]"#, Some("c1")).is_err());
        assert!(
            many(r#""c1""#, Some("c2")).is_err(),
            "azp, when present, is this client"
        );
        assert!(many(r#"[]"#, None).is_err());
        assert!(
            many(r#"["c1",7]"#, None).is_err(),
            "an audience list with anything but strings is no audience"
        );
    }

    trait Tap: Sized {
        fn tap(self, f: impl FnOnce(&mut Self)) -> Self;
    }
    impl Tap for IdClaims {
        fn tap(mut self, f: impl FnOnce(&mut Self)) -> Self {
            f(&mut self);
            self
        }
    }

    #[test]
    fn the_authoritys_words_show_only_for_a_sign_in_started_here() {
        let p = CallbackParams::parse(
            "error=access_denied&error_description=Call+%2B1+555+0100+to+restore+access&state=s",
        );
        let (headline, detail) = callback_error(&p, true);
        assert!(headline.contains("cancelled"), "{headline}");
        assert_eq!(
            detail.as_deref(),
            Some("Call +1 555 0100 to restore access")
        );
        let (headline, detail) = callback_error(&p, false);
        assert!(
            !headline.contains("555") && !headline.contains("cancelled"),
            "{headline}"
        );
        assert!(headline.contains("Nothing was signed in"));
        assert_eq!(detail, None);
        // An unknown code is not echoed either.
        let p = CallbackParams::parse("error=Visit+evil.example&state=forged");
        let (headline, detail) = callback_error(&p, false);
        assert!(!headline.contains("evil"), "{headline}");
        assert_eq!(detail, None);
    }

    #[test]
    fn callback_query_is_parsed() {
        let p = CallbackParams::parse("?code=abc&state=s%2B1&session_state=x");
        assert_eq!(p.code.as_deref(), Some("abc"));
        assert_eq!(p.state.as_deref(), Some("s+1"));
        let e = CallbackParams::parse(
            "error=access_denied&error_description=AADSTS65004%3A+User+declined&state=s",
        );
        assert_eq!(e.error.as_deref(), Some("access_denied"));
        assert_eq!(
            e.error_description.as_deref(),
            Some("AADSTS65004: User declined")
        );
        assert_eq!(CallbackParams::parse(""), CallbackParams::default());
    }

    #[test]
    fn callback_values_decode_plus_percent_and_unicode() {
        let p = CallbackParams::parse(
            "code=0.AX%2By%2F%3D%3D&state=a+b%20c&error_description=caf%C3%A9+%E2%9C%93%26more&error=",
        );
        assert_eq!(p.code.as_deref(), Some("0.AX+y/=="));
        assert_eq!(p.state.as_deref(), Some("a b c"));
        assert_eq!(p.error_description.as_deref(), Some("café ✓&more"));
        assert_eq!(p.error, None, "an empty value counts as absent");
        // Malformed escapes and broken UTF-8 are read leniently rather than dropped.
        let p = CallbackParams::parse("state=100%&code=%FFx");
        assert_eq!(p.state.as_deref(), Some("100%"));
        assert_eq!(p.code.as_deref(), Some("\u{FFFD}x"));
        // The last of a repeated key wins, as before.
        assert_eq!(
            CallbackParams::parse("state=a&state=b").state.as_deref(),
            Some("b")
        );
    }

    #[test]
    fn only_microsoft_hosts_are_microsoft_authorities() {
        assert!(is_microsoft_authority("https://login.microsoftonline.com"));
        assert!(is_microsoft_authority("https://LOGIN.microsoftonline.com/"));
        assert!(is_microsoft_authority("https://login.microsoftonline.us"));
        assert!(is_microsoft_authority(
            "https://login.partner.microsoftonline.cn.chinacloudapi.cn"
        ));
        assert!(!is_microsoft_authority("http://127.0.0.1:8081"));
        assert!(!is_microsoft_authority(
            "https://login.microsoftonline.com.evil.example"
        ));
        assert!(!is_microsoft_authority(
            "https://evil.example/login.microsoftonline.com"
        ));
        assert!(!is_microsoft_authority(
            "https://login.microsoftonline.com@evil.example"
        ));
        assert!(!is_microsoft_authority("not a url"));
    }
}
