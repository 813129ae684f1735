//! Runtime configuration from `/config.json`, so one build serves any tenant.
//!
//! Parsing and validation are pure (tested natively); `load` fetches the file in the browser.

use serde::Deserialize;
use vigil_core::url::{HttpUrl, UrlError};

/// The deployment's settings: which identity platform, which tenants, which Graph.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeConfig {
    /// Identity platform origin, e.g. `https://login.microsoftonline.com`.
    pub authority: String,
    /// Tenants this deployment may sign in to; the first is the default.
    pub tenants: Vec<Tenant>,
    /// The SPA app registration's client id.
    pub client_id: String,
    /// Exactly the redirect URI registered for the app (type SPA).
    pub redirect_uri: String,
    /// Graph origin, e.g. `https://graph.microsoft.com`. The bearer token goes nowhere else.
    pub graph_base_url: String,
    /// Delegated scopes asked at sign-in (read scopes; write scopes are asked when first used).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Where the refresh token lives between reloads.
    #[serde(default)]
    pub refresh_token_storage: RefreshTokenStorage,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Tenant {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// `session` (the default) keeps a reload signed in; `memory` forgets on reload.
/// There is deliberately no `local` option: tokens never go to localStorage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefreshTokenStorage {
    #[default]
    Session,
    Memory,
}

/// Why the configuration cannot be used, in words an administrator can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    Missing { status: u16 },
    Unreachable(String),
    Malformed(String),
    Invalid(Vec<String>),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing { status } => {
                write!(
                    f,
                    "/config.json could not be loaded (HTTP {status}). Deploy it beside index.html."
                )
            }
            Self::Unreachable(why) => write!(f, "/config.json could not be fetched: {why}."),
            Self::Malformed(why) => write!(
                f,
                "/config.json is not valid JSON of the expected shape: {why}."
            ),
            Self::Invalid(problems) => {
                write!(f, "/config.json has problems: {}.", problems.join("; "))
            }
        }
    }
}

impl RuntimeConfig {
    /// Parses and validates the text of `config.json`.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let config: Self =
            serde_json::from_str(text).map_err(|e| ConfigError::Malformed(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        for (name, value) in [
            ("authority", &self.authority),
            ("graphBaseUrl", &self.graph_base_url),
        ] {
            match HttpUrl::parse(value) {
                Ok(url) if url.is_origin_only() => {}
                Ok(_) | Err(UrlError::Scheme) => problems.push(format!(
                    "{name} must be an http(s) origin with no path, e.g. https://host"
                )),
                Err(e) => problems.push(format!("{name} is not a URL ({e})")),
            }
        }
        if HttpUrl::parse(&self.redirect_uri).is_err() {
            problems.push("redirectUri must be an absolute http(s) URL".to_string());
        }
        if self.tenants.is_empty() {
            problems.push("tenants must list at least one tenant".to_string());
        }
        if self.tenants.iter().any(|t| t.id.trim().is_empty()) {
            problems.push("every tenant needs an id".to_string());
        }
        if self.client_id.trim().is_empty() {
            problems.push("clientId is empty".to_string());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(problems))
        }
    }

    /// The origin every Graph request (and every followed nextLink) must have.
    pub fn graph_origin(&self) -> String {
        origin_of(&self.graph_base_url)
    }

    pub fn default_tenant(&self) -> &Tenant {
        &self.tenants[0]
    }
}

/// `scheme://host[:port]` of a URL, or the input unchanged when it is not one.
pub fn origin_of(url: &str) -> String {
    vigil_core::url::origin_of(url).unwrap_or_else(|| url.to_string())
}

/// Fetches and parses `/config.json` (no cache: a redeployed config takes effect on reload).
pub async fn load() -> Result<RuntimeConfig, ConfigError> {
    let response = gloo_net::http::Request::get(&crate::router::href("/config.json"))
        .cache(web_sys::RequestCache::NoStore)
        .send()
        .await
        .map_err(|e| ConfigError::Unreachable(e.to_string()))?;
    if !response.ok() {
        return Err(ConfigError::Missing {
            status: response.status(),
        });
    }
    let text = response
        .text()
        .await
        .map_err(|e| ConfigError::Unreachable(e.to_string()))?;
    RuntimeConfig::parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
        "authority": "https://login.microsoftonline.com",
        "tenants": [{ "id": "t1", "name": "Contoso" }],
        "clientId": "c1",
        "redirectUri": "https://vigil.example.com/auth/callback",
        "graphBaseUrl": "https://graph.microsoft.com",
        "scopes": ["SecurityAlert.Read.All"],
        "somethingNew": true
    }"#;

    #[test]
    fn parses_a_good_config_and_ignores_unknown_fields() {
        let c = RuntimeConfig::parse(GOOD).unwrap();
        assert_eq!(c.default_tenant().name, "Contoso");
        assert_eq!(c.graph_origin(), "https://graph.microsoft.com");
        assert_eq!(c.refresh_token_storage, RefreshTokenStorage::Session);
    }

    #[test]
    fn malformed_json_is_explained() {
        let err = RuntimeConfig::parse("{ \"authority\": ").unwrap_err();
        assert!(matches!(err, ConfigError::Malformed(_)));
        assert!(err.to_string().contains("not valid JSON"));
    }

    #[test]
    fn every_problem_is_listed() {
        let bad = GOOD
            .replace(
                "https://graph.microsoft.com\"",
                "https://graph.microsoft.com/v1.0\"",
            )
            .replace("\"c1\"", "\"  \"")
            .replace(r#"[{ "id": "t1", "name": "Contoso" }]"#, "[]");
        let Err(ConfigError::Invalid(problems)) = RuntimeConfig::parse(&bad) else {
            panic!("should be invalid")
        };
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("graphBaseUrl")));
    }

    #[test]
    fn local_storage_is_not_an_option_for_tokens() {
        let bad = GOOD.replace(
            "\"scopes\"",
            "\"refreshTokenStorage\": \"local\", \"scopes\"",
        );
        assert!(matches!(
            RuntimeConfig::parse(&bad),
            Err(ConfigError::Malformed(_))
        ));
    }

    #[test]
    fn origin_keeps_explicit_ports() {
        assert_eq!(
            origin_of("http://127.0.0.1:8082/v1.0/x?y"),
            "http://127.0.0.1:8082"
        );
        assert_eq!(
            origin_of("HTTPS://Graph.Microsoft.com:443/"),
            "https://graph.microsoft.com"
        );
        assert_eq!(origin_of("not a url"), "not a url");
    }

    fn problems_with(field: &str, value: &str) -> Vec<String> {
        let text = GOOD.replace(
            &format!("\"{field}\": \""),
            &format!("\"{field}\": \"{value}\", \"x{field}\": \""),
        );
        match RuntimeConfig::parse(&text) {
            Ok(_) => Vec::new(),
            Err(ConfigError::Invalid(p)) => p,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn origins_and_the_redirect_uri_are_validated() {
        for ok in [
            "https://login.microsoftonline.com/",
            "http://127.0.0.1:8081",
            "https://LOGIN.microsoftonline.us:443",
            "http://[::1]:8081",
        ] {
            assert!(problems_with("authority", ok).is_empty(), "{ok}");
        }
        for (bad, says) in [
            (
                "https://login.microsoftonline.com/common",
                "must be an http(s) origin",
            ),
            (
                "https://graph.microsoft.com?x=1",
                "must be an http(s) origin",
            ),
            (
                "https://graph.microsoft.com/#x",
                "must be an http(s) origin",
            ),
            ("ftp://graph.microsoft.com", "must be an http(s) origin"),
            (
                "graph.microsoft.com",
                "is not a URL (relative URL without a base)",
            ),
            ("", "is not a URL"),
            (
                "https://user:pw@graph.microsoft.com",
                "is not a URL (credentials",
            ),
            (
                "https://graph.microsoft.com:99999",
                "is not a URL (invalid port",
            ),
            ("https://gräph.example", "is not a URL (invalid host"),
            ("https://graph .example", "is not a URL (invalid host"),
        ] {
            let p = problems_with("graphBaseUrl", bad);
            assert!(
                p.len() == 1 && p[0].starts_with("graphBaseUrl ") && p[0].contains(says),
                "{bad}: {p:?}"
            );
        }
        assert!(
            problems_with(
                "redirectUri",
                "https://vigil.example.com:8443/auth/callback?a=b"
            )
            .is_empty()
        );
        for bad in [
            "/auth/callback",
            "javascript:alert(1)",
            "ftp://x/auth/callback",
            "https:///cb",
        ] {
            assert_eq!(
                problems_with("redirectUri", bad),
                ["redirectUri must be an absolute http(s) URL"],
                "{bad}"
            );
        }
    }
}
