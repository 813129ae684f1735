//! Sign-in: the OAuth 2.0 authorization-code flow with PKCE in the browser (the BCP for
//! browser-based apps), and the token lifecycle behind every Graph call.
//!
//! - [`session`]: the app-wide [`Auth`] context pages use (`use_auth()`).
//! - [`oauth`]: authorize URL (PKCE S256), code redemption and refresh, hand-written.
//! - [`pending`], [`route`], [`tokens`]: pure logic, tested natively.
//! - [`drafts`]: unsent text that survives a sign-in redirect.
//!
//! Where secrets live: the access token only in memory; the refresh token in sessionStorage
//! (config `refreshTokenStorage: session`, the default) or only in memory (`memory`); never in
//! localStorage, a URL or the console. Every key is `vigil.auth.*`, so sign-out can clear all.

mod base64url;
pub mod drafts;
pub mod oauth;
pub mod pending;
pub mod route;
mod session;
mod sha256;
pub mod storage;
pub mod tokens;

pub use session::{Account, Auth, AuthTokens, CallbackFailure, use_auth};

/// The redirect URI's path (config.json's `redirectUri` must end with it).
pub const CALLBACK_PATH: &str = "/auth/callback";
/// Every sessionStorage key the sign-in writes starts with this.
pub const AUTH_PREFIX: &str = "vigil.auth.";

#[cfg(test)]
mod tests {
    use crate::config::RuntimeConfig;

    fn config(authority: &str) -> RuntimeConfig {
        RuntimeConfig::parse(&format!(
            r#"{{"authority":"{authority}","tenants":[{{"id":"7f3c2a9e-0000-4000-8000-000000000001","name":"Contoso"}}],
               "clientId":"c1","redirectUri":"http://127.0.0.1:8080/auth/callback",
               "graphBaseUrl":"http://127.0.0.1:8082","scopes":["SecurityAlert.Read.All"]}}"#
        ))
        .unwrap()
    }

    fn query(url: &str) -> Vec<(String, String)> {
        let (_, query) = url.split_once('?').expect("a query");
        vigil_core::url::form_parse(query)
    }

    #[test]
    fn the_authorize_url_asks_for_code_with_pkce_state_and_nonce() {
        let c = config("http://127.0.0.1:8081");
        let scopes = vec!["SecurityAlert.Read.All".to_string()];
        let a = super::oauth::authorize(&c, "t-1", &scopes, Some("alex@contoso.example"), None)
            .unwrap();
        assert!(
            a.url
                .starts_with("http://127.0.0.1:8081/t-1/oauth2/v2.0/authorize?"),
            "{}",
            a.url
        );
        let q = query(&a.url);
        let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("response_type"), Some("code"));
        assert_eq!(get("client_id"), Some("c1"));
        assert_eq!(
            get("redirect_uri"),
            Some("http://127.0.0.1:8080/auth/callback")
        );
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert_eq!(get("state"), Some(a.state.as_str()));
        assert_eq!(get("nonce"), Some(a.nonce.as_str()));
        assert_eq!(get("login_hint"), Some("alex@contoso.example"));
        assert_eq!(
            get("scope"),
            Some("openid profile offline_access SecurityAlert.Read.All")
        );
        let challenge = super::oauth::pkce_challenge(&a.verifier);
        assert_eq!(get("code_challenge"), Some(challenge.as_str()));
        assert!(a.state.len() >= 16 && a.nonce.len() >= 16 && a.state != a.nonce);
        let b = super::oauth::authorize(&c, "t-1", &scopes, None, None).unwrap();
        assert_ne!(a.state, b.state, "a fresh state every time");
        assert_ne!(a.verifier, b.verifier);
    }

    #[test]
    fn microsoft_gets_resource_qualified_scopes() {
        let c = config("https://login.microsoftonline.com");
        let a = super::oauth::authorize(&c, "t-1", &["SecurityAlert.Read.All".into()], None, None)
            .unwrap();
        let q = query(&a.url);
        let scope = q.iter().find(|(n, _)| n == "scope").unwrap();
        assert_eq!(
            scope.1,
            "openid profile offline_access https://graph.microsoft.com/SecurityAlert.Read.All"
        );
    }

    #[test]
    fn authorize_values_with_reserved_characters_survive() {
        let c = config("http://127.0.0.1:8081");
        let hint = "o'brien+test@contoso.example & co=1#x é";
        let a = super::oauth::authorize(&c, "a/b?c", &["A B".into()], Some(hint), None).unwrap();
        assert!(
            a.url.starts_with(
                "http://127.0.0.1:8081/a%2Fb%3Fc/oauth2/v2.0/authorize?response_type=code&"
            ),
            "{}",
            a.url
        );
        assert!(!a.url.contains(' ') && !a.url.contains('#') && !a.url.contains('é'));
        assert!(
            a.url
                .contains("&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fauth%2Fcallback&"),
            "{}",
            a.url
        );
        let q = query(&a.url);
        let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("login_hint"), Some(hint));
        assert_eq!(get("scope"), Some("openid profile offline_access A B"));
        assert_eq!(get("response_mode"), Some("query"));
        assert_eq!(q.len(), 10, "{q:?}");
        // Answering a claims challenge: the claims JSON goes along, encoded.
        let claims = r#"{"access_token":{"nbf":{"essential":true,"value":"1"}}}"#;
        let a = super::oauth::authorize(&c, "t", &["A".into()], None, Some(claims)).unwrap();
        let q = query(&a.url);
        assert_eq!(
            q.iter()
                .find(|(n, _)| n == "claims")
                .map(|(_, v)| v.as_str()),
            Some(claims)
        );
        assert!(!a.url.contains('{') && !a.url.contains('"'));
    }

    #[test]
    fn tenant_segments_are_encoded() {
        // The tenant in the authority's path goes through the core's one path-segment encoder.
        use vigil_core::odata::encode_path_segment;
        assert_eq!(encode_path_segment("contoso.example"), "contoso.example");
        assert_eq!(encode_path_segment("a/b?c"), "a%2Fb%3Fc");
    }
}
