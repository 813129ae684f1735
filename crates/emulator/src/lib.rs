//! vigil-emulator: a loopback stand-in for Microsoft's identity platform and the Graph security
//! API, serving a seeded demo tenant. It builds its JSON itself (never from the client's types),
//! so the client is tested against an independent reading of the documented wire format.

pub mod alerts;
pub mod batch;
pub mod directory;
pub mod ediscovery;
pub mod error;
pub mod faults;
pub mod graph;
pub mod hunting;
pub mod identity;
pub mod import;
pub mod incidents;
pub mod jwt;
pub mod odata;
pub mod reqlog;
pub mod securescore;
pub mod seed;
pub mod state;
pub mod submissions;
pub mod threatintel;
pub mod throttle;
pub mod util;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

pub use faults::FaultRule;
use faults::{Fault, Faults};
pub use import::{Import, ImportError};
pub use reqlog::LoggedRequest;
pub use seed::alerts::StoryTruth;
pub use seed::score::ScoreTruth;
use state::{App, Config, Persist};
pub use state::{CLIENT_ID, DEMO_USERS, TenantInfo};
use throttle::Throttle;
pub use throttle::{BudgetRule, Budgets};

/// How to run the emulator. `Default` gives the documented ports, seed 42 and 2,000 alerts.
#[derive(Debug, Clone)]
pub struct Options {
    /// App origin port; the authority and Graph default to the next two. 0 makes all three ephemeral.
    pub port: u16,
    pub authority_port: Option<u16>,
    pub graph_port: Option<u16>,
    pub seed: u64,
    /// Alerts of the first tenant; the second gets a quarter (at least 50).
    pub alerts: usize,
    pub token_ttl: Duration,
    /// Hard cap on a refresh-token chain, from the original sign-in (24 h for SPAs).
    pub refresh_token_lifetime: Duration,
    /// Authorization code lifetime (10 minutes).
    pub code_lifetime: Duration,
    /// How long a new eDiscovery operation takes to finish.
    pub operation_duration: Duration,
    /// `--operation-speed`: eDiscovery time runs this many times faster: new operations take
    /// `operation_duration / speed`, hold policies sync and seeded running work finishes
    /// `speed` times sooner (1.0).
    pub operation_speed: f64,
    pub state: Option<PathBuf>,
    pub dist: Option<PathBuf>,
    pub budgets: Budgets,
    pub faults: Vec<FaultRule>,
    /// Extra allowed CORS origins besides the app origin.
    pub spa_origins: Vec<String>,
    /// Extra registered redirect URIs besides `{app}/auth/callback`.
    pub redirect_uris: Vec<String>,
    /// Add one new alert (in a new incident) to every tenant at this interval; off by default.
    pub live_interval: Option<Duration>,
    /// `--import [TENANT=]FILE`: serve these files' alerts instead of the generated ones (see
    /// `import`); each tenant at most once.
    pub imports: Vec<Import>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            port: 8080,
            authority_port: None,
            graph_port: None,
            seed: 42,
            alerts: 2000,
            token_ttl: Duration::from_secs(3600),
            refresh_token_lifetime: Duration::from_secs(24 * 3600),
            code_lifetime: Duration::from_secs(600),
            operation_duration: Duration::from_secs(20),
            operation_speed: 1.0,
            state: None,
            dist: None,
            budgets: Budgets::default(),
            faults: Vec::new(),
            spa_origins: Vec::new(),
            redirect_uris: Vec::new(),
            live_interval: None,
            imports: Vec::new(),
        }
    }
}

/// Why the emulator could not start.
#[derive(Debug)]
pub enum Error {
    Bind(u16, std::io::Error),
    State(String),
    Seed(String),
    Import(ImportError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Bind(p, e) => write!(f, "cannot listen on 127.0.0.1:{p}: {e}"),
            Error::State(m) => write!(f, "{m}"),
            Error::Seed(m) => write!(f, "cannot generate the demo tenants: {m}"),
            Error::Import(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

/// A running emulator. Dropping it stops the servers too.
pub struct Running {
    app: Arc<App>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    pub fn app_url(&self) -> &str {
        &self.app.cfg.app_url
    }
    pub fn authority_url(&self) -> &str {
        &self.app.cfg.authority_url
    }
    pub fn graph_url(&self) -> &str {
        &self.app.cfg.graph_url
    }
    pub fn tenants(&self) -> &[TenantInfo] {
        &self.app.tenants
    }
    /// The config.json the app origin serves.
    pub fn config_json(&self) -> serde_json::Value {
        config_json(&self.app)
    }
    /// An access token as the token endpoint would issue it, for native tests that skip the
    /// browser sign-in. `scopes` are bare Graph scope names.
    pub fn mint_access_token(&self, tenant_id: &str, upn: &str, scopes: &[&str]) -> String {
        let fallback = TenantInfo {
            id: tenant_id.into(),
            name: String::new(),
            domain: String::new(),
            short: String::new(),
        };
        let tenant = self.app.tenant(tenant_id).cloned().unwrap_or(fallback);
        let oid = identity::oid_for(&self.app, &tenant, upn);
        let scopes: Vec<String> = scopes
            .iter()
            .map(|s| {
                s.trim_start_matches("https://graph.microsoft.com/")
                    .to_string()
            })
            .collect();
        let subject = identity::Subject {
            tenant: &tenant,
            upn,
            name: upn,
            oid: &oid,
            client_id: CLIENT_ID,
        };
        identity::access_token(&self.app, &subject, &scopes)
    }
    /// The planted stories of a tenant as served (empty for an unknown tenant). Never on the wire.
    pub fn ground_truth(&self, tenant_id: &str) -> Vec<StoryTruth> {
        self.app
            .data
            .get(tenant_id)
            .and_then(|d| d.read().ok().map(|d| d.truth.clone()))
            .unwrap_or_default()
    }
    /// The planted facts of a tenant's Secure Score history as served (see `score_truth`).
    pub fn score_truth(&self, tenant_id: &str) -> Option<ScoreTruth> {
        self.app
            .data
            .get(tenant_id)
            .and_then(|d| d.read().ok().map(|d| d.score.truth.clone()))
    }
    /// The Graph requests received for a tenant and/or throttle family (`ediscovery`, `alerts`,
    /// …; None = all), oldest first, throttled ones included. See `reqlog`.
    pub fn requests(&self, tenant_id: Option<&str>, family: Option<&str>) -> Vec<LoggedRequest> {
        self.app.requests.get(tenant_id, family)
    }
    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.app.requests.clear()
    }
    /// Stops the three servers and waits for them.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for t in self.tasks.drain(..) {
            // Open keep-alive connections must not hold the caller forever.
            let abort = t.abort_handle();
            if tokio::time::timeout(Duration::from_secs(2), t)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// The planted stories of a tenant for a seed and `--alerts` count, exactly as `start` with the
/// same `Options::seed` and `Options::alerts` serves them (ids do not depend on the clock).
/// Generates the tenant's alerts, so it costs what start-up costs for that tenant.
pub fn ground_truth(seed: u64, alerts: usize, tenant_id: &str) -> Vec<StoryTruth> {
    let tenants = state::demo_tenants();
    let Some(i) = tenants.iter().position(|t| t.id == tenant_id) else {
        return Vec::new();
    };
    seed::build(&tenants[i], seed, tenant_alerts(i, alerts), util::now_ms()).truth
}

/// The planted facts of a tenant's Secure Score history for a seed (None for an unknown tenant):
/// which control regressed on which day, jumped, was added, deprecated, ignored, resolved
/// through a third party, which remediation is hostile, the gap days, ... Never on the wire.
/// Days are UTC dates relative to now, as `start` with the same seed serves them today.
pub fn score_truth(seed: u64, tenant_id: &str) -> Option<ScoreTruth> {
    let tenants = state::demo_tenants();
    let i = tenants.iter().position(|t| t.id == tenant_id)?;
    Some(seed::score::Model::new(seed, tenant_id, i != 0, util::now_ms()).truth)
}

fn tenant_alerts(i: usize, count: usize) -> usize {
    if i == 0 {
        count
    } else {
        (count / seed::SECOND_TENANT_SHARE).max(50.min(count))
    }
}

async fn bind(port: u16) -> Result<TcpListener, Error> {
    TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
        .map_err(|e| Error::Bind(port, e))
}

fn url_of(l: &TcpListener) -> Result<String, Error> {
    let a = l.local_addr().map_err(|e| Error::Bind(0, e))?;
    Ok(format!("http://127.0.0.1:{}", a.port()))
}

/// Reads every `--import` file (before anything is bound or generated): per tenant index, its
/// alerts. Any invalid file fails the whole start.
fn read_imports(
    imports: &[Import],
    tenants: &[TenantInfo],
) -> Result<HashMap<usize, Vec<serde_json::Value>>, Error> {
    let mut out = HashMap::new();
    for im in imports {
        let err = |reason: String| {
            Error::Import(ImportError {
                file: im.path.display().to_string(),
                line: 0,
                reason,
            })
        };
        let i = match &im.tenant {
            None => 0,
            Some(t) => import::find_tenant(tenants, t)
                .ok_or_else(|| err(format!("unknown tenant '{t}'")))?,
        };
        if out.contains_key(&i) {
            return Err(err(format!(
                "a second import for tenant {}",
                tenants[i].name
            )));
        }
        out.insert(i, import::read(&im.path).map_err(Error::Import)?);
    }
    Ok(out)
}

pub async fn start(opts: Options) -> Result<Running, Error> {
    let mut imported = read_imports(&opts.imports, &state::demo_tenants())?;
    let ephemeral = opts.port == 0;
    let next = |offset: u16| {
        if ephemeral {
            0
        } else {
            opts.port.saturating_add(offset)
        }
    };
    let app_l = bind(opts.port).await?;
    let auth_l = bind(opts.authority_port.unwrap_or_else(|| next(1))).await?;
    let graph_l = bind(opts.graph_port.unwrap_or_else(|| next(2))).await?;
    let (app_url, authority_url, graph_url) =
        (url_of(&app_l)?, url_of(&auth_l)?, url_of(&graph_l)?);
    let mut spa_origins = vec![app_url.clone()];
    spa_origins.extend(opts.spa_origins.iter().cloned());
    let mut redirect_uris = vec![format!("{app_url}/auth/callback")];
    redirect_uris.extend(opts.redirect_uris.iter().cloned());
    let cfg = Config {
        app_url,
        authority_url,
        graph_url,
        redirect_uris,
        spa_origins,
        token_ttl: opts.token_ttl,
        refresh_lifetime: opts.refresh_token_lifetime,
        code_lifetime: opts.code_lifetime,
    };
    let persist = opts
        .state
        .clone()
        .map(Persist::load)
        .transpose()
        .map_err(Error::State)?;
    let tenants = state::demo_tenants();
    let (seed, count, op_ms) = (
        opts.seed,
        opts.alerts,
        opts.operation_duration.as_millis() as i64,
    );
    let now = util::now_ms();
    let ts = tenants.clone();
    let built = tokio::task::spawn_blocking(move || {
        std::thread::scope(|s| {
            let handles: Vec<_> = ts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let n = tenant_alerts(i, count);
                    s.spawn(move || seed::build(t, seed, n, now))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join())
                .collect::<Result<Vec<_>, _>>()
        })
    })
    .await
    .map_err(|e| Error::Seed(e.to_string()))?
    .map_err(|_| Error::Seed("a generator thread panicked".into()))?;
    let mut data = HashMap::new();
    for (i, mut d) in built.into_iter().enumerate() {
        d.cases.set_operation_duration(op_ms);
        d.cases.set_speed(opts.operation_speed, now);
        if let Some(alerts) = imported.remove(&i) {
            let im = import::build(alerts, &d.info.id, now);
            d.alerts = im.alerts;
            d.incidents = im.incidents;
            d.incident_alerts = im.incident_alerts;
            // The planted stories are not in imported data.
            d.truth = Vec::new();
        }
        if let Some(p) = &persist {
            apply_saved(p, &mut d).map_err(Error::State)?;
        }
        data.insert(d.info.id.clone(), RwLock::new(d));
    }
    let key = identity::secure_random(32);
    let app = Arc::new(App::new(
        cfg,
        key,
        tenants,
        data,
        Throttle::new(opts.budgets.clone()),
        Faults::new(opts.faults.clone(), opts.seed),
        persist,
    ));
    let (stop, rx) = watch::channel(false);
    let serve = |l: TcpListener, r: Router, mut rx: watch::Receiver<bool>| {
        tokio::spawn(async move {
            let _ = axum::serve(l, r)
                .with_graceful_shutdown(async move {
                    let _ = rx.wait_for(|s| *s).await;
                })
                .await;
        })
    };
    let mut tasks = vec![
        serve(app_l, app_router(&app, opts.dist.as_deref()), rx.clone()),
        serve(auth_l, authority_router(&app), rx.clone()),
    ];
    if let Ok(mut feed) = app.live.lock() {
        *feed = Some(LiveFeed::new(opts.seed));
    }
    if let Some(every) = opts.live_interval {
        tasks.push(tokio::spawn(live(app.clone(), every, rx.clone())));
    }
    tasks.push(serve(graph_l, graph_router(&app), rx));
    Ok(Running { app, stop, tasks })
}

/// The source of new alerts for `--live` and `POST _emulator/live`.
pub struct LiveFeed {
    rng: util::Rng,
    next_incident: u64,
}

impl LiveFeed {
    fn new(seed: u64) -> Self {
        LiveFeed {
            rng: util::Rng::new(seed ^ 0x11FE),
            next_incident: 90_001,
        }
    }
}

/// Adds one new alert (in a new incident) to every tenant, now.
fn live_tick(app: &App) {
    let Ok(mut feed) = app.live.lock() else {
        return;
    };
    let Some(feed) = feed.as_mut() else { return };
    for lock in app.data.values() {
        let Ok(mut d) = lock.write() else { continue };
        let g = seed::alerts::live(
            &mut feed.rng,
            &d.entities,
            feed.next_incident,
            util::now_ms(),
        );
        for r in g.alerts {
            d.alerts.push_front(r);
        }
        for r in g.incidents {
            d.incidents.push_front(r);
        }
        d.incident_alerts.extend(g.incident_alerts);
        // Hunting tables are derived from the alerts; rebuild them on next use.
        d.hunting = std::sync::OnceLock::new();
        feed.next_incident += 1;
    }
}

/// `--live`: new alerts keep arriving, so live refresh and "N new" banners have work to do.
async fn live(app: Arc<App>, every: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.wait_for(|s| *s) => return,
        }
        live_tick(&app);
    }
}

/// `POST /_emulator/live?alerts=N`: N new alerts (each in a new incident) in every tenant now,
/// so a test drives the live feed instead of waiting for `--live`.
fn live_control(app: &App, method: &Method, query: &str) -> Response {
    if method != Method::POST {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let q = util::parse_query(query);
    match q
        .iter()
        .find(|(k, _)| k == "alerts")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .filter(|n| (1..=1000).contains(n))
    {
        Some(n) => {
            for _ in 0..n {
                live_tick(app);
            }
            StatusCode::NO_CONTENT.into_response()
        }
        None => (StatusCode::BAD_REQUEST, "alerts=N (1 to 1000) is required").into_response(),
    }
}

fn apply_saved(p: &Persist, d: &mut state::TenantData) -> Result<(), String> {
    let tid = d.info.id.clone();
    for v in p.saved(&tid, "alerts") {
        d.alerts.upsert(odata::Rec::new(&v, &alerts::SPEC));
    }
    for v in p.saved(&tid, "incidents") {
        d.incidents.upsert(odata::Rec::new(&v, &incidents::SPEC));
    }
    for v in p.saved(&tid, "secureScoreControlProfiles") {
        d.profiles
            .upsert(odata::Rec::new(&v, &securescore::PROFILES_SPEC));
    }
    d.rerender_scores();
    for (name, coll) in [
        ("emailThreats", &mut d.email_threats),
        ("urlThreats", &mut d.url_threats),
        ("fileThreats", &mut d.file_threats),
    ] {
        for v in p.saved(&tid, name) {
            coll.upsert(odata::Rec::new(&v, &submissions::SPEC));
        }
    }
    d.cases
        .restore(
            &p.saved(&tid, ediscovery::PERSIST_CASES),
            &p.saved(&tid, ediscovery::PERSIST_META),
        )
        .map_err(|e| format!("state file: {e}"))
}

fn cors(app: &App, methods: Vec<Method>) -> CorsLayer {
    let origins: Vec<HeaderValue> = app
        .cfg
        .spa_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    let h = |s: &'static str| HeaderName::from_static(s);
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods(methods)
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            h("prefer"),
            h("consistencylevel"),
            h("client-request-id"),
        ])
        .expose_headers([
            header::RETRY_AFTER,
            header::LOCATION,
            header::WWW_AUTHENTICATE,
            h("request-id"),
            h("client-request-id"),
        ])
        .max_age(Duration::from_secs(600))
}

fn config_json(app: &App) -> serde_json::Value {
    json!({
        "authority": app.cfg.authority_url,
        "tenants": app.tenants.iter().map(|t| json!({"id": t.id, "name": t.name})).collect::<Vec<_>>(),
        "clientId": CLIENT_ID,
        "redirectUri": format!("{}/auth/callback", app.cfg.app_url),
        "graphBaseUrl": app.cfg.graph_url,
        "scopes": ["SecurityAlert.Read.All", "SecurityIncident.Read.All", "SecurityEvents.Read.All", "User.Read"],
        "refreshTokenStorage": "session",
    })
}

fn app_router(app: &Arc<App>, dist: Option<&std::path::Path>) -> Router {
    let cfg = config_json(app);
    let r = Router::new().route(
        "/config.json",
        get(move || {
            let cfg = cfg.clone();
            async move { ([(header::CACHE_CONTROL, "no-store")], axum::Json(cfg)) }
        }),
    );
    match dist {
        Some(d) => r.fallback_service(ServeDir::new(d).fallback(ServeFile::new(d.join("index.html")))),
        None => r.fallback(|| async {
            axum::response::Html("<!doctype html><title>Vigil emulator</title><p>No --dist directory was given; only /config.json is served here.</p>")
        }),
    }
}

fn authority_router(app: &Arc<App>) -> Router {
    Router::new()
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(identity::authorize_get).post(identity::authorize_post),
        )
        .route("/{tenant}/oauth2/v2.0/token", post(identity::token))
        .route("/{tenant}/oauth2/v2.0/logout", get(identity::logout))
        .layer(cors(app, vec![Method::GET, Method::POST]))
        .with_state(app.clone())
}

fn graph_router(app: &Arc<App>) -> Router {
    Router::new()
        .fallback(graph_entry)
        .layer(cors(
            app,
            vec![
                Method::GET,
                Method::POST,
                Method::PATCH,
                Method::PUT,
                Method::DELETE,
            ],
        ))
        .with_state(app.clone())
}

/// `POST /_emulator/live?alerts=N` adds N new alerts to every tenant now.
/// `POST /_emulator/clock?advance=SECONDS` moves the identity platform's clock (codes, token
/// lifetimes, the refresh-token cap, Graph's expiry check) forward; `POST
/// /_emulator/revoke?tenant=ID&what=access|session|claims` revokes (see `identity::control`).
/// `GET /_emulator/requests[?tenant=ID][&family=NAME]`: the request log (see `reqlog`), on the
/// loopback Graph listener, without a token; not a Graph API.
fn request_log(app: &App, method: &Method, query: &str) -> Response {
    if method != Method::GET {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let q = util::parse_query(query);
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let value: Vec<serde_json::Value> = app
        .requests
        .get(get("tenant"), get("family"))
        .iter()
        .map(LoggedRequest::to_json)
        .collect();
    (
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(json!({"value": value})),
    )
        .into_response()
}

fn into_http(r: error::GraphResponse) -> Response {
    let mut b = Response::builder()
        .status(StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    for (k, v) in &r.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k.as_str()), HeaderValue::from_str(v)) {
            b = b.header(k, v);
        }
    }
    b.body(r.body.map(Body::from).unwrap_or_else(Body::empty))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

async fn graph_entry(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    if path == "/_emulator/requests" {
        return request_log(&app, &method, uri.query().unwrap_or(""));
    }
    if let Some(what) = path.strip_prefix("/_emulator/")
        && matches!(what, "clock" | "revoke")
    {
        return identity::control(&app, what, &method, uri.query().unwrap_or(""));
    }
    if path == "/_emulator/live" {
        return live_control(&app, &method, uri.query().unwrap_or(""));
    }
    let decision = app.faults.decide(&path);
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    match decision.fault {
        Fault::Status(s) => {
            let e = if s == 429 {
                error::GraphError::throttled(2)
            } else {
                let mut e = error::GraphError::new(
                    503,
                    "serviceNotAvailable",
                    "The service is temporarily unavailable. Retry after the period given by Retry-After.",
                );
                e.retry_after = Some(3);
                e
            };
            let rid = app.request_id();
            let mut r = e.into_response(&rid, None);
            r.headers.push(("request-id".into(), rid));
            return into_http(r);
        }
        Fault::Drop => {
            // Headers go out, then the body stream fails: the client sees a broken connection.
            let stream = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::other(
                    "connection dropped by fault injection",
                ))
            });
            return Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "application/json")
                .header("request-id", app.request_id())
                .body(Body::from_stream(stream))
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
        _ => {}
    }
    let hs: Vec<(String, String)> = headers
        .iter()
        .filter_map(|(k, v)| {
            v.to_str()
                .ok()
                .map(|v| (k.as_str().to_string(), v.to_string()))
        })
        .collect();
    let pq = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or(path);
    let mut r = graph::handle(&app, method.as_str(), &pq, hs, body.to_vec());
    match decision.fault {
        Fault::Truncate => {
            if let Some(b) = r.body.as_mut() {
                let cut = b.len() / 2;
                b.truncate(cut);
            }
        }
        Fault::Malformed => {
            r.body =
                Some(b"{\"value\": [ {\"id\": \"garbled\", <html>upstream error</html>".to_vec());
        }
        _ => {}
    }
    into_http(r)
}
