//! Pure token logic: when to renew, which scopes a token holds, what the ID token says, and
//! what came back on the redirect.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

/// Graph scopes are asked as `https://graph.microsoft.com/<Scope>` from Microsoft.
pub const GRAPH_SCOPE_PREFIX: &str = "https://graph.microsoft.com/";
/// Always asked: an ID token (`openid`, `profile`) and a refresh token (`offline_access`).
pub const OIDC_SCOPES: [&str; 3] = ["openid", "profile", "offline_access"];

/// Renew this long before expiry…
pub const RENEW_LEAD_MS: f64 = 5.0 * 60.0 * 1000.0;
/// …or at 80 % of the lifetime when that is shorter (a 20 s test token renews at 16 s).
pub const RENEW_AT_FRACTION: f64 = 0.8;

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
        self.obtained_ms + self.expires_in_s * 1000.0
    }

    /// Five minutes before expiry, or at 80 % of the lifetime, whichever comes first.
    pub fn renew_at_ms(&self) -> f64 {
        let life = (self.expires_in_s * 1000.0).max(0.0);
        let lead = RENEW_LEAD_MS.min(life * (1.0 - RENEW_AT_FRACTION));
        self.obtained_ms + life - lead
    }

    /// Milliseconds from `now_ms` until renewal is due (0 when overdue).
    pub fn renew_in_ms(&self, now_ms: f64) -> f64 {
        (self.renew_at_ms() - now_ms).max(0.0)
    }

    /// Whether the token must be renewed before it is used (within 10 s of expiry, or past it).
    pub fn is_stale(&self, now_ms: f64) -> bool {
        now_ms >= self.expires_at_ms() - 10_000.0
    }
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

/// The claims Vigil reads from the ID token.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct IdClaims {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub preferred_username: Option<String>,
    #[serde(default)]
    pub tid: Option<String>,
    #[serde(default)]
    pub nonce: Option<String>,
    #[serde(default)]
    pub aud: Option<String>,
}

/// Reads the ID token's payload. The token came straight from the token endpoint over TLS to
/// this public client, so (as MSAL.js does) its signature is not checked here; its nonce,
/// audience and tenant are.
pub fn decode_id_token(jwt: &str) -> Result<IdClaims, String> {
    let payload = jwt.split('.').nth(1).ok_or("the ID token is not a JWT")?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| "the ID token payload is not base64url")?;
    std::str::from_utf8(&bytes)
        .ok()
        .and_then(|text| serde_json::from_str(text).ok())
        .ok_or_else(|| "the ID token payload is not JSON".to_string())
}

/// Checks the ID token against the sign-in that asked for it.
pub fn check_id_token(
    claims: &IdClaims,
    nonce: &str,
    client_id: &str,
    tenant: &str,
) -> Result<(), String> {
    if claims.nonce.as_deref() != Some(nonce) {
        return Err("The ID token does not carry the nonce of this sign-in, so it may have been replayed. Nothing was signed in.".into());
    }
    if claims.aud.as_deref() != Some(client_id) {
        return Err(
            "The ID token was issued to another application. Nothing was signed in.".into(),
        );
    }
    let specific = !matches!(tenant, "common" | "organizations" | "consumers");
    if specific
        && !claims
            .tid
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(tenant))
    {
        return Err(
            "The ID token is for another tenant than the one asked for. Nothing was signed in."
                .into(),
        );
    }
    Ok(())
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
        let l = Lifetime {
            obtained_ms: 5.0,
            expires_in_s: 0.0,
        };
        assert_eq!(l.renew_at_ms(), 5.0);
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
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn the_id_token_nonce_audience_and_tenant_are_checked() {
        let t = jwt(
            r#"{"name":"Alex Analyst","preferred_username":"alex@contoso.example","tid":"T1","nonce":"n1","aud":"c1","exp":1}"#,
        );
        let c = decode_id_token(&t).unwrap();
        assert_eq!(c.name.as_deref(), Some("Alex Analyst"));
        assert_eq!(check_id_token(&c, "n1", "c1", "t1"), Ok(()));
        assert!(
            check_id_token(&c, "n2", "c1", "t1")
                .unwrap_err()
                .contains("nonce")
        );
        assert!(check_id_token(&c, "n1", "c2", "t1").is_err());
        assert!(check_id_token(&c, "n1", "c1", "t2").is_err());
        assert_eq!(check_id_token(&c, "n1", "c1", "organizations"), Ok(()));
        assert!(decode_id_token("nodots").is_err());
        assert!(decode_id_token("a.!!!.c").is_err());
        let no_nonce = decode_id_token(&jwt(r#"{"aud":"c1"}"#)).unwrap();
        assert!(check_id_token(&no_nonce, "n1", "c1", "common").is_err());
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
