//! The Graph origin: authentication, throttling and routing of `/v1.0/...` and `/beta/...`.
//! Routing is a plain function over path segments so `$batch` can reuse it per item.

use std::sync::{RwLockReadGuard, RwLockWriteGuard};

use serde_json::{Map, Value};

use crate::error::{GraphError, GraphResponse, GraphResult};
use crate::identity::{GRAPH_AUDIENCE, Refusal, issuer};
use crate::state::{App, TenantData};
use crate::util::{now_ms, parse_query, percent_decode};
use crate::{
    alerts, batch, directory, ediscovery, hunting, incidents, jwt, securescore, submissions,
    threatintel,
};

/// One request as the router sees it.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    /// Path after the version, e.g. `/security/alerts_v2/da…`.
    pub path: String,
    /// Decoded segments; `name('key')` is split into `name`, `key`.
    pub segs: Vec<String>,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn seg(&self, i: usize) -> Option<&str> {
        self.segs.get(i).map(String::as_str)
    }
    /// The JSON body as an object, or a 400.
    pub fn json_object(&self) -> Result<serde_json::Map<String, Value>, GraphError> {
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(GraphError::bad_request(
                "The request body must be a JSON object.",
            )),
            Err(e) => Err(GraphError::bad_request(format!(
                "Unable to read JSON request payload: {e}"
            ))),
        }
    }
    pub fn prefers_representation(&self) -> bool {
        self.header("prefer")
            .is_some_and(|p| p.to_ascii_lowercase().contains("return=representation"))
    }
}

/// The authenticated caller.
pub struct Ctx<'a> {
    pub app: &'a App,
    pub tenant: String,
    pub client_id: String,
    pub upn: String,
    pub oid: String,
    pub scopes: Vec<String>,
    pub version: &'static str,
}

impl Ctx<'_> {
    /// Passes when the token has any of the scopes (list the ReadWrite scope too where it
    /// satisfies a read).
    pub fn require(&self, any_of: &[&str]) -> Result<(), GraphError> {
        if any_of
            .iter()
            .any(|s| self.scopes.iter().any(|t| t.eq_ignore_ascii_case(s)))
        {
            Ok(())
        } else {
            Err(GraphError::forbidden(&any_of.join(", ")))
        }
    }
    pub fn base(&self) -> String {
        format!("{}/{}", self.app.cfg.graph_url, self.version)
    }
    pub fn context(&self, fragment: &str) -> String {
        format!(
            "{}/{}/$metadata#{fragment}",
            self.app.cfg.graph_url, self.version
        )
    }
    /// A single entity as Graph answers it: `@odata.context` for `{entity_set}/$entity`, then
    /// the entity's own properties.
    pub fn entity(&self, entity_set: &str, v: &Value) -> GraphResponse {
        let mut m = serde_json::Map::new();
        m.insert(
            "@odata.context".into(),
            Value::String(self.context(&format!("{entity_set}/$entity"))),
        );
        if let Value::Object(o) = v {
            m.extend(o.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        GraphResponse::ok(&Value::Object(m))
    }
    pub fn data(&self) -> Result<RwLockReadGuard<'_, TenantData>, GraphError> {
        self.app
            .data
            .get(&self.tenant)
            .and_then(|d| d.read().ok())
            .ok_or_else(|| GraphError::new(500, "generalException", "Tenant data is unavailable."))
    }
    pub fn data_mut(&self) -> Result<RwLockWriteGuard<'_, TenantData>, GraphError> {
        self.app
            .data
            .get(&self.tenant)
            .and_then(|d| d.write().ok())
            .ok_or_else(|| GraphError::new(500, "generalException", "Tenant data is unavailable."))
    }
}

/// Splits a path into decoded segments, turning `cases('x')` into `cases`, `x`.
pub fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let s = percent_decode(raw);
        if let Some((name, rest)) = s.split_once('(')
            && let Some(key) = rest.strip_suffix(')')
            && !name.is_empty()
            && !name.contains('.')
        {
            let key = key.trim_matches('\'').replace("''", "'");
            out.push(name.to_string());
            if !key.is_empty() {
                out.push(key);
            }
            continue;
        }
        out.push(s);
    }
    out
}

/// A bearer token whose signature was checked earlier in the same request, with its claims.
/// The revocation check and authentication both need the claims; checking the signature (and
/// parsing the claims) once instead of twice is a measurable share of serving a page.
type Verified = Option<(String, Map<String, Value>)>;

fn authenticate<'a>(
    app: &'a App,
    headers: &[(String, String)],
    version: &'static str,
    verified: Verified,
) -> Result<Ctx<'a>, GraphError> {
    let auth = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.as_str())
        .ok_or_else(|| GraphError::unauthenticated("Access token is empty."))?;
    let token = auth
        .strip_prefix("Bearer ")
        .or_else(|| auth.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| GraphError::unauthenticated("Access token is empty."))?;
    let clock_ms = app
        .identity
        .lock()
        .map_or_else(|_| now_ms(), |s| s.now_ms());
    // Only the lifetime depends on the clock, so it is checked again, at this clock reading.
    let claims = match verified {
        Some((t, claims)) if t == token => {
            jwt::check_lifetime(&claims, clock_ms / 1000).map(|()| claims)
        }
        _ => jwt::verify(&app.key, token, clock_ms / 1000),
    }
    .map_err(|e| GraphError::unauthenticated(e.to_string()))?;
    let s = |k: &str| {
        claims
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let tenant = s("tid");
    if s("aud") != GRAPH_AUDIENCE
        || app.tenant(&tenant).is_none()
        || s("iss") != issuer(app, &tenant)
    {
        return Err(GraphError::unauthenticated("Invalid audience or issuer."));
    }
    Ok(Ctx {
        app,
        scopes: s("scp").split_whitespace().map(str::to_string).collect(),
        tenant,
        client_id: s("azp"),
        upn: s("upn"),
        oid: s("oid"),
        version,
    })
}

/// Handles one Graph request end to end (authentication, throttling, routing) and stamps the
/// request ids on the response.
pub fn handle(
    app: &App,
    method: &str,
    path_and_query: &str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> GraphResponse {
    let request_id = app.request_id();
    let client_request_id = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("client-request-id"))
        .map(|(_, v)| v.clone());
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let mut verified = None;
    if let Some(mut resp) = revoked(
        app,
        &headers,
        &request_id,
        client_request_id.as_deref(),
        &mut verified,
    ) {
        resp.headers.push(("request-id".into(), request_id.clone()));
        return resp;
    }
    let result = route_versioned(app, method, path, query, headers, body, verified);
    let mut resp = match result {
        Ok(r) => r,
        Err(e) => e.into_response(&request_id, client_request_id.as_deref()),
    };
    resp.headers.push(("request-id".into(), request_id.clone()));
    resp.headers.push((
        "client-request-id".into(),
        client_request_id.unwrap_or(request_id),
    ));
    resp
}

/// The answer to a validly signed access token that a test revoked (`_emulator/revoke`): a 401,
/// with a continuous-access-evaluation claims challenge in `WWW-Authenticate` when the
/// revocation asked for one (as Graph does for a CAE-capable client). A token it verifies is
/// left in `verified` for `authenticate`.
fn revoked(
    app: &App,
    headers: &[(String, String)],
    request_id: &str,
    client_request_id: Option<&str>,
    verified: &mut Verified,
) -> Option<GraphResponse> {
    let token = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, v)| v.strip_prefix("Bearer "))?
        .trim();
    let store = app.identity.lock().ok()?;
    let claims = jwt::verify(&app.key, token, store.now_ms() / 1000).ok()?;
    let (_, claims) = verified.insert((token.to_string(), claims));
    let uti = claims.get("uti").and_then(Value::as_str)?;
    let refusal = store.refusal(uti)?;
    drop(store);
    let tid = claims
        .get("tid")
        .and_then(Value::as_str)
        .unwrap_or("common");
    match refusal {
        Refusal::Invalid => Some(
            GraphError::unauthenticated("The access token was revoked.")
                .into_response(request_id, client_request_id),
        ),
        Refusal::Claims(challenge) => Some(
            GraphError::unauthenticated(
                "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp",
            )
            .into_response(request_id, client_request_id)
            .with_header(
                "WWW-Authenticate",
                format!(
                    "Bearer realm=\"\", authorization_uri=\"{}/{tid}/oauth2/v2.0/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\", error=\"insufficient_claims\", claims=\"{challenge}\"",
                    app.cfg.authority_url
                ),
            ),
        ),
    }
}

fn route_versioned(
    app: &App,
    method: &str,
    path: &str,
    query: &str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    verified: Verified,
) -> GraphResult {
    let (version, rest) = if let Some(r) = path.strip_prefix("/v1.0") {
        ("v1.0", r)
    } else if let Some(r) = path.strip_prefix("/beta") {
        ("beta", r)
    } else {
        return Err(GraphError::new(
            400,
            "BadRequest",
            "Invalid version: use /v1.0 or /beta.",
        ));
    };
    let ctx = authenticate(app, &headers, version, verified)?;
    let req = Req {
        method: method.to_ascii_uppercase(),
        path: rest.to_string(),
        segs: segments(rest),
        query: parse_query(query),
        headers,
        body,
    };
    if req.segs.first().map(String::as_str) == Some("$batch") {
        return batch::handle(&ctx, &req);
    }
    let bucket = crate::throttle::bucket_for(rest);
    let time_ms = now_ms();
    let result = match app.throttle.admit(&ctx.tenant, &ctx.client_id, bucket) {
        Ok(_slot) => route(&ctx, &req),
        Err(retry) => Err(GraphError::throttled(retry)),
    };
    app.requests.record(crate::reqlog::LoggedRequest {
        time_ms,
        tenant: ctx.tenant.clone(),
        family: bucket,
        method: req.method.clone(),
        path: if query.is_empty() {
            rest.to_string()
        } else {
            format!("{rest}?{query}")
        },
        version,
        status: match &result {
            Ok(r) => r.status,
            Err(e) => e.status,
        },
    });
    result
}

fn not_found_segment(req: &Req) -> GraphError {
    GraphError::new(
        400,
        "BadRequest",
        format!(
            "Resource not found for the segment '{}'.",
            req.segs.last().map(String::as_str).unwrap_or("")
        ),
    )
}

fn route(ctx: &Ctx, req: &Req) -> GraphResult {
    let lower: Vec<String> = req.segs.iter().map(|s| s.to_ascii_lowercase()).collect();
    let l: Vec<&str> = lower.iter().map(String::as_str).collect();
    match l.as_slice() {
        ["security", "alerts_v2", ..] => alerts::route(ctx, req),
        ["security", "incidents", ..] => incidents::route(ctx, req),
        ["security", "securescores", ..] | ["security", "securescorecontrolprofiles", ..] => {
            securescore::route(ctx, req)
        }
        ["security", "cases", "ediscoverycases", ..] => ediscovery::route(ctx, req),
        ["security", "threatsubmission", ..] if ctx.version == "beta" => {
            submissions::route(ctx, req)
        }
        ["security", "threatintelligence", ..] => threatintel::route(ctx, req),
        // The documented path, and the namespace-qualified one Microsoft's SDKs send.
        [
            "security",
            "runhuntingquery" | "microsoft.graph.security.runhuntingquery",
        ] => hunting::route(ctx, req),
        ["users", ..] | ["me"] | ["devices", ..] => directory::route(ctx, req),
        _ => Err(not_found_segment(req)),
    }
}

/// The common "unsupported method" answer.
pub fn no_method() -> GraphError {
    GraphError::method_not_allowed()
}
