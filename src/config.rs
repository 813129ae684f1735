//! Runtime configuration from `/config.json`, so one build serves any tenant.
//!
//! Parsing and validation are pure (tested natively); `load` fetches the file in the browser.

use serde_json::Value;
use vigil_core::url::{HttpUrl, UrlError};

/// The deployment's settings: which identity platform, which tenants, which Graph.
/// Read from the file's JSON tree ([`RuntimeConfig::parse`]): the bundle already carries that
/// reader, where the derived decoders for this and the sign-in's stored records were 3.7 kB of
/// wasm of their own (2026-12-04).
#[derive(Debug, Clone, PartialEq)]
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
    pub scopes: Vec<String>,
    /// Where the refresh token lives between reloads.
    pub refresh_token_storage: RefreshTokenStorage,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tenant {
    pub id: String,
    /// Empty when the file gives none.
    pub name: String,
}

/// `session` (the default) keeps a reload signed in; `memory` forgets on reload.
/// There is deliberately no `local` option: tokens never go to localStorage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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
        let tree: Value =
            serde_json::from_str(text).map_err(|e| ConfigError::Malformed(e.to_string()))?;
        let config = Self::read(&tree).map_err(ConfigError::Malformed)?;
        config.validate()?;
        Ok(config)
    }

    /// The settings from the file's tree, or which member is missing or of the wrong type.
    /// Members it does not know are ignored.
    fn read(v: &Value) -> Result<Self, String> {
        if !v.is_object() {
            return Err("expected an object of settings".into());
        }
        let text = |key: &str| match &v[key] {
            Value::String(s) => Ok(s.clone()),
            Value::Null => Err(format!("missing field `{key}`")),
            _ => Err(format!("`{key}` must be a string")),
        };
        let list = |key: &str| match &v[key] {
            Value::Array(items) => Ok(items.as_slice()),
            Value::Null => Ok(&[][..]),
            _ => Err(format!("`{key}` must be a list")),
        };
        let tenants = list("tenants")?
            .iter()
            .map(|t| match (&t["id"], &t["name"]) {
                (Value::String(id), name @ (Value::String(_) | Value::Null)) => Ok(Tenant {
                    id: id.clone(),
                    name: name.as_str().unwrap_or_default().to_owned(),
                }),
                _ => Err("every tenant must be an object with a string `id` (and `name`)"),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let scopes = list("scopes")?
            .iter()
            .map(|s| s.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or("`scopes` must be a list of strings")?;
        let refresh_token_storage = match v["refreshTokenStorage"].as_str() {
            _ if v["refreshTokenStorage"].is_null() => RefreshTokenStorage::Session,
            Some("session") => RefreshTokenStorage::Session,
            Some("memory") => RefreshTokenStorage::Memory,
            _ => {
                return Err(
                    "`refreshTokenStorage` must be \"session\" or \"memory\" (tokens never go to localStorage)"
                        .into(),
                );
            }
        };
        Ok(RuntimeConfig {
            authority: text("authority")?,
            tenants,
            client_id: text("clientId")?,
            redirect_uri: text("redirectUri")?,
            graph_base_url: text("graphBaseUrl")?,
            scopes,
            refresh_token_storage,
        })
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        for (name, value) in [
            ("authority", &self.authority),
            ("graphBaseUrl", &self.graph_base_url),
        ] {
            match HttpUrl::parse(value) {
                Ok(url) if !url.is_origin_only() => problems.push(format!(
                    "{name} must be an http(s) origin with no path, e.g. https://host"
                )),
                Ok(url) if !secure(&url) => problems.push(format!(
                    "{name} must use https (http only on this computer: localhost, 127.0.0.1, [::1])"
                )),
                Ok(_) => {}
                Err(UrlError::Scheme) => problems.push(format!(
                    "{name} must be an http(s) origin with no path, e.g. https://host"
                )),
                Err(e) => problems.push(format!("{name} is not a URL ({e})")),
            }
        }
        match HttpUrl::parse(&self.redirect_uri) {
            Err(_) => problems.push("redirectUri must be an absolute http(s) URL".to_string()),
            Ok(url) if !secure(&url) => problems.push(
                "redirectUri must use https (http only on this computer: localhost, 127.0.0.1, [::1])"
                    .to_string(),
            ),
            Ok(_) => {}
        }
        if self.tenants.is_empty() {
            problems.push("tenants must list at least one tenant".to_string());
        }
        for t in &self.tenants {
            let id = t.id.trim();
            if id.is_empty() {
                problems.push("every tenant needs an id".to_string());
            } else if !is_guid(id) && !matches!(id, "organizations" | "common") {
                problems.push(format!(
                    "tenant id \"{id}\" is not a tenant ID: give the directory (tenant) ID, a GUID shown on the Overview page of Microsoft Entra admin center, not a domain name"
                ));
            }
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

    /// Checks that `redirectUri` comes back to this very app: `origin` (the page's, e.g.
    /// `https://vigil.example.com`) followed by `callback` (the callback's path below the base
    /// path, e.g. `/vigil/auth/callback`), with no query or fragment.
    pub fn check_redirect_uri(&self, origin: &str, callback: &str) -> Result<(), ConfigError> {
        let ours = HttpUrl::parse(origin).map(|o| o.origin()).ok();
        let fits = HttpUrl::parse(&self.redirect_uri).is_ok_and(|u| {
            Some(u.origin()) == ours
                && u.path() == callback
                && u.query().is_none()
                && u.fragment().is_none()
        });
        if fits {
            Ok(())
        } else {
            Err(ConfigError::Invalid(vec![format!(
                "redirectUri must be {origin}{callback} (this app's address and its sign-in callback), not {}",
                self.redirect_uri
            )]))
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

/// https, or http to this computer only (a development authority or the emulator).
fn secure(url: &HttpUrl) -> bool {
    url.scheme() == "https" || is_loopback(url.host())
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host == "[::1]"
        || host.strip_prefix("127.").is_some_and(|rest| {
            rest.split('.').count() == 3 && rest.split('.').all(|p| p.parse::<u8>().is_ok())
        })
}

/// `8-4-4-4-12` hexadecimal digits: how Entra names a tenant for good.
fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
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
    let config = RuntimeConfig::parse(&text)?;
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    config.check_redirect_uri(&origin, &crate::router::href(crate::auth::CALLBACK_PATH))?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
        "authority": "https://login.microsoftonline.com",
        "tenants": [{ "id": "7f3c2a9e-0000-4000-8000-000000000001", "name": "Contoso" }],
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
            .replace(
                r#"[{ "id": "7f3c2a9e-0000-4000-8000-000000000001", "name": "Contoso" }]"#,
                "[]",
            );
        let Err(ConfigError::Invalid(problems)) = RuntimeConfig::parse(&bad) else {
            panic!("should be invalid")
        };
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("graphBaseUrl")));
    }

    #[test]
    fn a_missing_or_mistyped_member_is_named() {
        let cases = [
            (
                GOOD.replace("\"clientId\": \"c1\",", ""),
                "missing field `clientId`",
            ),
            (GOOD.replace("\"c1\"", "7"), "`clientId` must be a string"),
            (
                GOOD.replace("[\"SecurityAlert.Read.All\"]", "\"SecurityAlert.Read.All\""),
                "`scopes` must be a list",
            ),
            (
                GOOD.replace("[\"SecurityAlert.Read.All\"]", "[1]"),
                "`scopes` must be a list of strings",
            ),
            (
                GOOD.replace("\"name\": \"Contoso\"", "\"name\": 3"),
                "every tenant must be an object",
            ),
            ("[]".to_owned(), "expected an object"),
        ];
        for (text, want) in cases {
            match RuntimeConfig::parse(&text) {
                Err(ConfigError::Malformed(why)) => assert!(why.contains(want), "{why} / {want}"),
                other => panic!("{want}: {other:?}"),
            }
        }
        // Optional members: a tenant's name, the scopes and where the refresh token lives.
        let lean = GOOD
            .replace(", \"name\": \"Contoso\"", "")
            .replace("\"scopes\": [\"SecurityAlert.Read.All\"],", "");
        let c = RuntimeConfig::parse(&lean).unwrap();
        assert_eq!(c.default_tenant().name, "");
        assert!(c.scopes.is_empty());
        let memory = GOOD.replace(
            "\"scopes\"",
            "\"refreshTokenStorage\": \"memory\", \"scopes\"",
        );
        assert_eq!(
            RuntimeConfig::parse(&memory).unwrap().refresh_token_storage,
            RefreshTokenStorage::Memory
        );
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

    #[test]
    fn plain_http_is_refused_except_on_this_computer() {
        for ok in [
            "http://127.0.0.1:8081",
            "http://localhost:8081",
            "http://[::1]:8081",
            "http://127.1.2.3",
        ] {
            assert!(problems_with("authority", ok).is_empty(), "{ok}");
            assert!(problems_with("graphBaseUrl", ok).is_empty(), "{ok}");
        }
        for bad in [
            "http://login.microsoftonline.com",
            "http://graph.example",
            "http://127.0.0.1.evil.example",
            "http://localhost.evil.example",
            "http://10.0.0.1",
        ] {
            for field in ["authority", "graphBaseUrl"] {
                let p = problems_with(field, bad);
                assert!(
                    p.len() == 1 && p[0].starts_with(field) && p[0].contains("must use https"),
                    "{field} {bad}: {p:?}"
                );
            }
        }
        assert_eq!(
            problems_with("redirectUri", "http://vigil.example.com/auth/callback"),
            [
                "redirectUri must use https (http only on this computer: localhost, 127.0.0.1, [::1])"
            ]
        );
        assert!(problems_with("redirectUri", "http://127.0.0.1:8080/auth/callback").is_empty());
    }

    #[test]
    fn the_redirect_uri_must_come_back_to_this_app() {
        let c = RuntimeConfig::parse(GOOD).unwrap();
        assert_eq!(
            c.check_redirect_uri("https://vigil.example.com", "/auth/callback"),
            Ok(())
        );
        assert!(
            c.check_redirect_uri("https://VIGIL.example.com:443", "/auth/callback")
                .is_ok()
        );
        for (origin, callback) in [
            ("https://other.example.com", "/auth/callback"),
            ("https://vigil.example.com:8443", "/auth/callback"),
            ("http://vigil.example.com", "/auth/callback"),
            // Hosted below a base path (VIGIL_BASE_PATH=/vigil/): the callback is under it.
            ("https://vigil.example.com", "/vigil/auth/callback"),
        ] {
            let e = c.check_redirect_uri(origin, callback).unwrap_err();
            assert!(
                e.to_string()
                    .contains(&format!("redirectUri must be {origin}{callback}")),
                "{e}"
            );
        }
        let based = RuntimeConfig::parse(&GOOD.replace(
            "https://vigil.example.com/auth/callback",
            "https://vigil.example.com/vigil/auth/callback",
        ))
        .unwrap();
        assert!(
            based
                .check_redirect_uri("https://vigil.example.com", "/vigil/auth/callback")
                .is_ok()
        );
        for uri in [
            "https://vigil.example.com/auth/callback?x=1",
            "https://vigil.example.com/auth/callback#x",
            "https://vigil.example.com/auth/callback/",
            "https://vigil.example.com/auth/",
        ] {
            let c =
                RuntimeConfig::parse(&GOOD.replace("https://vigil.example.com/auth/callback", uri))
                    .unwrap();
            assert!(
                c.check_redirect_uri("https://vigil.example.com", "/auth/callback")
                    .is_err(),
                "{uri}"
            );
        }
    }

    #[test]
    fn tenants_given_as_domain_names_are_refused_with_what_to_write_instead() {
        let text = GOOD.replace(
            r#"[{ "id": "7f3c2a9e-0000-4000-8000-000000000001", "name": "Contoso" }]"#,
            r#"[{ "id": "contoso.onmicrosoft.com" }, { "id": "organizations" }, { "id": "7F3C2A9E-0000-4000-8000-00000000000A" }, { "id": "7f3c2a9e-0000-4000-8000-00000000000" }]"#,
        );
        let Err(ConfigError::Invalid(p)) = RuntimeConfig::parse(&text) else {
            panic!("should be invalid")
        };
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("tenant id \"contoso.onmicrosoft.com\" is not a tenant ID"));
        assert!(p[0].contains("a GUID") && p[0].contains("not a domain name"));
        assert!(
            p[1].contains("7f3c2a9e-0000-4000-8000-00000000000\""),
            "{p:?}"
        );
    }
}
