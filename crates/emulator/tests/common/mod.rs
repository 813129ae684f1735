//! Helpers shared by the integration tests: start an emulator on ephemeral ports, sign in
//! through the real PKCE flow over HTTP, and call Graph.

#![allow(dead_code)]

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::redirect::Policy;
use serde_json::Value;
use sha2::{Digest, Sha256};
use vigil_emulator::{Options, Running, start};

pub const CONTOSO: &str = "7f3c2a9e-0000-4000-8000-000000000001";
pub const FABRIKAM: &str = "7f3c2a9e-0000-4000-8000-000000000002";
pub const CLIENT_ID: &str = "0e5a1b6c-0000-4000-8000-00000000c11e";
pub const ANALYST: &str = "alex.analyst@contoso.example";
pub const ALL_SCOPES: &[&str] = &[
    "SecurityAlert.ReadWrite.All",
    "SecurityIncident.ReadWrite.All",
    "SecurityEvents.ReadWrite.All",
    "eDiscovery.ReadWrite.All",
    "ThreatSubmission.ReadWrite",
    "ThreatIntelligence.Read.All",
    "ThreatHunting.Read.All",
    "User.Read.All",
    "Device.Read.All",
];

pub fn opts(alerts: usize) -> Options {
    Options {
        port: 0,
        alerts,
        ..Options::default()
    }
}

pub async fn emulator(o: Options) -> Running {
    start(o)
        .await
        .unwrap_or_else(|e| panic!("emulator failed to start: {e}"))
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn pkce() -> (String, String) {
    let verifier =
        URL_SAFE_NO_PAD.encode(format!("verifier-{:?}", std::time::Instant::now()).as_bytes());
    let verifier = format!("{verifier:a<43}");
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

pub struct Authorize {
    pub tenant: String,
    pub scope: String,
    pub state: String,
    pub challenge: String,
    pub redirect_uri: String,
    pub method: String,
}

impl Authorize {
    pub fn new(emu: &Running, challenge: &str, scope: &str) -> Self {
        Authorize {
            tenant: CONTOSO.into(),
            scope: scope.into(),
            state: "s t&a=te/ü".into(),
            challenge: challenge.into(),
            redirect_uri: format!("{}/auth/callback", emu.app_url()),
            method: "S256".into(),
        }
    }
    pub fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("client_id", CLIENT_ID.to_string()),
            ("response_type", "code".into()),
            ("redirect_uri", self.redirect_uri.clone()),
            ("scope", self.scope.clone()),
            ("state", self.state.clone()),
            ("code_challenge", self.challenge.clone()),
            ("code_challenge_method", self.method.clone()),
            ("nonce", "nonce-123".into()),
        ]
    }
}

/// Presses the sign-in button of demo user `user` (0 analyst, 1 manager, 2 eDiscovery) and
/// returns the redirect Location.
pub async fn press(emu: &Running, a: &Authorize, button: (&str, &str)) -> reqwest::Response {
    let mut form = a.params();
    form.push((
        if button.0 == "user" { "user" } else { "action" },
        button.1.to_string(),
    ));
    client()
        .post(format!(
            "{}/{}/oauth2/v2.0/authorize",
            emu.authority_url(),
            a.tenant
        ))
        .form(&form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn query_of(location: &str) -> Vec<(String, String)> {
    let q = location.split_once('?').map(|x| x.1).unwrap_or("");
    serde_urlencoded::from_str(q).unwrap_or_default()
}

pub fn param(location: &str, name: &str) -> Option<String> {
    query_of(location)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

pub async fn token(emu: &Running, form: &[(&str, &str)]) -> (u16, Value) {
    let r = client()
        .post(format!(
            "{}/{CONTOSO}/oauth2/v2.0/token",
            emu.authority_url()
        ))
        .header("Origin", emu.app_url())
        .form(form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The whole interactive flow for one user; returns the token response.
pub async fn sign_in(emu: &Running, user: usize, scope: &str) -> Value {
    let (verifier, challenge) = pkce();
    let a = Authorize::new(emu, &challenge, scope);
    let r = press(emu, &a, ("user", &user.to_string())).await;
    assert_eq!(r.status().as_u16(), 302);
    let loc = r.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    let code = param(&loc, "code").unwrap_or_else(|| panic!("no code in {loc}"));
    let (status, body) = token(
        emu,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &a.redirect_uri),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

pub struct Graph {
    pub base: String,
    pub token: String,
    pub http: reqwest::Client,
}

pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Graph {
    pub fn new(emu: &Running, token: String) -> Self {
        Graph {
            base: emu.graph_url().to_string(),
            token,
            http: client(),
        }
    }
    pub fn analyst(emu: &Running) -> Self {
        Self::new(emu, emu.mint_access_token(CONTOSO, ANALYST, ALL_SCOPES))
    }
    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Resp {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        };
        let mut rb = self.http.request(method, url).bearer_auth(&self.token);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.unwrap_or_default();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{path}: bad JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        Resp {
            status,
            headers,
            body,
        }
    }
    pub async fn get(&self, path: &str) -> Resp {
        self.send(reqwest::Method::GET, path, None).await
    }
    pub async fn ok(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        r.body
    }
    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }
    /// Follows nextLinks and returns every item.
    pub async fn all(&self, first: &str) -> (Vec<Value>, usize, Option<u64>) {
        let mut items = Vec::new();
        let mut pages = 0;
        let mut count = None;
        let mut next = Some(first.to_string());
        while let Some(url) = next {
            let page = self.ok(&url).await;
            pages += 1;
            if pages == 1 {
                count = page["@odata.count"].as_u64();
            }
            items.extend(page["value"].as_array().cloned().unwrap_or_default());
            next = page["@odata.nextLink"].as_str().map(str::to_string);
        }
        (items, pages, count)
    }
}

/// Asserts a Graph error body with the given status and code, and the request-id plumbing.
pub fn assert_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.body["error"]["code"], code, "{}", r.body);
    let rid = r
        .headers
        .get("request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(!rid.is_empty(), "no request-id header");
    assert_eq!(r.body["error"]["innerError"]["request-id"], rid);
    assert!(r.body["error"]["innerError"]["date"].is_string());
}

/// Where Microsoft's documented example payloads are looked for: `VIGIL_GRAPH_EXAMPLES` (a
/// relative value is taken from the workspace root, as `cargo xtask test` does), else
/// `<workspace root>/../shared/graph-examples`. `Ok` when the folder holds `INDEX.tsv`, `Err`
/// with the folder looked at otherwise. They are not part of the repository, so a clean clone
/// has none; `cargo xtask test` then leaves out the `documented_` tests and counts them skipped.
/// (vigil-core's tests/common has the same resolver: test crates share no code.)
pub fn graph_examples() -> Result<std::path::PathBuf, std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = match std::env::var_os("VIGIL_GRAPH_EXAMPLES") {
        Some(v) if !v.is_empty() => root.join(v),
        _ => root.join("../shared/graph-examples"),
    };
    if dir.join("INDEX.tsv").is_file() {
        Ok(dir)
    } else {
        Err(dir)
    }
}

/// The documented examples for a `documented_` test, which panics without them: a test that
/// cannot check anything must not pass. The runner (`cargo xtask test`) is what skips these.
pub fn documented_examples() -> std::path::PathBuf {
    graph_examples().unwrap_or_else(|dir| {
        panic!(
            "Microsoft's example payloads not found at {} (no INDEX.tsv); set \
             VIGIL_GRAPH_EXAMPLES to their folder, or run `cargo xtask test`, which skips the \
             documented_ tests when they are absent",
            dir.display()
        )
    })
}
