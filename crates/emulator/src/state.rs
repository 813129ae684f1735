//! Process state: the demo tenants and their data, sign-in state, and `--state` persistence.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, RwLock};
use std::time::Duration;

use serde_json::Value;

use crate::ediscovery::Cases;
use crate::faults::Faults;
use crate::identity::IdentityStore;
use crate::odata::Collection;
use crate::seed::entities::Entities;
use crate::throttle::Throttle;

/// The public client id of the Vigil SPA (contracts.md).
pub const CLIENT_ID: &str = "0e5a1b6c-0000-4000-8000-00000000c11e";

/// A demo tenant as config.json lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantInfo {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub short: String,
}

pub fn demo_tenants() -> Vec<TenantInfo> {
    vec![
        TenantInfo {
            id: "7f3c2a9e-0000-4000-8000-000000000001".into(),
            name: "Contoso (demo)".into(),
            domain: "contoso.example".into(),
            short: "cts".into(),
        },
        TenantInfo {
            id: "7f3c2a9e-0000-4000-8000-000000000002".into(),
            name: "Fabrikam (demo)".into(),
            domain: "fabrikam.example".into(),
            short: "fab".into(),
        },
    ]
}

/// Scopes that the identity platform always grants when asked (OpenID Connect).
pub const OIDC_SCOPES: &[&str] = &["openid", "profile", "offline_access", "email"];

const ANALYST: &[&str] = &[
    "SecurityAlert.Read.All",
    "SecurityAlert.ReadWrite.All",
    "SecurityIncident.Read.All",
    "SecurityIncident.ReadWrite.All",
    "SecurityEvents.Read.All",
    "SecurityEvents.ReadWrite.All",
    "ThreatSubmission.Read",
    "ThreatSubmission.ReadWrite",
    "ThreatSubmission.Read.All",
    "ThreatSubmission.ReadWrite.All",
    "ThreatHunting.Read.All",
    "ThreatIntelligence.Read.All",
    "SecurityActions.Read.All",
    "SecurityActions.ReadWrite.All",
    "User.Read",
    "User.ReadBasic.All",
    "User.Read.All",
    "Device.Read.All",
    "eDiscovery.Read.All",
];
const MANAGER: &[&str] = &[
    "SecurityAlert.Read.All",
    "SecurityIncident.Read.All",
    "SecurityEvents.Read.All",
    "ThreatIntelligence.Read.All",
    "ThreatSubmission.Read",
    "User.Read",
    "User.ReadBasic.All",
    "User.Read.All",
    "Device.Read.All",
    "eDiscovery.Read.All",
];
const EDISCOVERY: &[&str] = &[
    "eDiscovery.Read.All",
    "eDiscovery.ReadWrite.All",
    "SecurityAlert.Read.All",
    "SecurityIncident.Read.All",
    "SecurityEvents.Read.All",
    "User.Read",
    "User.ReadBasic.All",
    "User.Read.All",
];

/// A sign-in identity of the demo tenant.
#[derive(Debug, Clone)]
pub struct DemoUser {
    /// The button text on the sign-in page contains this.
    pub role: &'static str,
    pub given: &'static str,
    pub surname: &'static str,
    pub local: &'static str,
    pub allowed: &'static [&'static str],
}

pub const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        role: "Analyst",
        given: "Alex",
        surname: "Analyst",
        local: "alex.analyst",
        allowed: ANALYST,
    },
    DemoUser {
        role: "Manager",
        given: "Morgan",
        surname: "Manager",
        local: "morgan.manager",
        allowed: MANAGER,
    },
    DemoUser {
        role: "eDiscovery manager",
        given: "Erin",
        surname: "Ediscovery",
        local: "erin.ediscovery",
        allowed: EDISCOVERY,
    },
];

/// Everything one tenant serves.
pub struct TenantData {
    pub info: TenantInfo,
    pub entities: Entities,
    pub alerts: Collection,
    pub incidents: Collection,
    /// Alert ids of each incident, newest first.
    pub incident_alerts: HashMap<String, Vec<String>>,
    /// The planted stories' ground truth: never served.
    pub truth: Vec<crate::seed::alerts::StoryTruth>,
    pub secure_scores: Collection,
    pub profiles: Collection,
    /// The Secure Score model: the history is re-rendered from it when a profile's state changes.
    pub score: crate::seed::score::Model,
    pub email_threats: Collection,
    pub url_threats: Collection,
    pub file_threats: Collection,
    pub articles: Collection,
    pub intel_profiles: Collection,
    pub hosts: HashMap<String, (Value, Value)>,
    pub users: Collection,
    pub devices: Collection,
    pub cases: Cases,
    /// Hunting tables, built on first use from the alerts (they never change with PATCH).
    pub hunting: OnceLock<crate::hunting::Tables>,
}

impl TenantData {
    /// Rebuilds the Secure Score history from the profiles' current state histories.
    pub fn rerender_scores(&mut self) {
        let states = crate::seed::score::states(&self.profiles);
        self.secure_scores =
            Collection::from_values(self.score.render(&states), &crate::securescore::SCORES_SPEC);
    }
}

/// Static configuration resolved at start.
#[derive(Debug, Clone)]
pub struct Config {
    pub app_url: String,
    pub authority_url: String,
    pub graph_url: String,
    pub redirect_uris: Vec<String>,
    pub spa_origins: Vec<String>,
    pub token_ttl: Duration,
    pub refresh_lifetime: Duration,
    pub code_lifetime: Duration,
}

pub struct App {
    pub cfg: Config,
    pub key: Vec<u8>,
    pub tenants: Vec<TenantInfo>,
    pub data: HashMap<String, RwLock<TenantData>>,
    pub identity: Mutex<IdentityStore>,
    pub throttle: Throttle,
    pub faults: Faults,
    pub persist: Option<Persist>,
    pub requests: crate::reqlog::RequestLog,
    /// Where `--live` and `_emulator/live` take new alerts from (set by `start`).
    pub live: Mutex<Option<crate::LiveFeed>>,
    counter: AtomicU64,
    request_prefix: u64,
}

impl App {
    pub fn new(
        cfg: Config,
        key: Vec<u8>,
        tenants: Vec<TenantInfo>,
        data: HashMap<String, RwLock<TenantData>>,
        throttle: Throttle,
        faults: Faults,
        persist: Option<Persist>,
    ) -> Self {
        App {
            cfg,
            key,
            tenants,
            data,
            identity: Mutex::new(IdentityStore::default()),
            throttle,
            faults,
            persist,
            requests: Default::default(),
            live: Mutex::new(None),
            counter: AtomicU64::new(1),
            request_prefix: crate::util::process_random(),
        }
    }

    /// A fresh GUID-shaped request id.
    pub fn request_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let p = self.request_prefix;
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            (p >> 32) as u32,
            (p >> 16) as u16,
            (p & 0xfff) as u16,
            (n >> 48) & 0xfff,
            n & 0xffff_ffff_ffff
        )
    }

    pub fn tenant(&self, id_or_domain: &str) -> Option<&TenantInfo> {
        self.tenants.iter().find(|t| {
            t.id.eq_ignore_ascii_case(id_or_domain) || t.domain.eq_ignore_ascii_case(id_or_domain)
        })
    }

    /// Records a write for `--state` (no-op without it). Call it while still holding the
    /// tenant's write lock, so an earlier write can never land on disk after a later one.
    pub fn persist_write(&self, tenant: &str, collection: &str, value: &Value) {
        self.persist_writes(tenant, &[(collection, value.clone())]);
    }

    /// Records several entities of one write, saved to the file once (no-op without `--state`).
    pub fn persist_writes(&self, tenant: &str, writes: &[(&str, Value)]) {
        if let Some(p) = &self.persist {
            p.record(tenant, writes);
        }
    }
}

type Overrides = BTreeMap<String, BTreeMap<String, BTreeMap<String, Value>>>;

/// `--state FILE`: the latest version of every entity written through the API, saved
/// atomically (temp file + rename) after each write and applied over the seed at start.
/// The file is `{tenant: {collection: {id: entity}}}`; eDiscovery saves whole cases (see
/// `Cases::persisted_after_write`).
pub struct Persist {
    path: PathBuf,
    data: Mutex<Overrides>,
}

impl Persist {
    pub fn load(path: PathBuf) -> Result<Self, String> {
        let data = match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b)
                .map_err(|e| format!("state file {}: {e}", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Overrides::new(),
            Err(e) => return Err(format!("state file {}: {e}", path.display())),
        };
        Ok(Persist {
            path,
            data: Mutex::new(data),
        })
    }

    /// Saved entities of one collection of one tenant.
    pub fn saved(&self, tenant: &str, collection: &str) -> Vec<Value> {
        self.data
            .lock()
            .map(|d| {
                d.get(tenant)
                    .and_then(|t| t.get(collection))
                    .map(|c| c.values().cloned().collect())
                    .unwrap_or_default()
            })
            .unwrap_or_default()
    }

    fn record(&self, tenant: &str, writes: &[(&str, Value)]) {
        let Ok(mut d) = self.data.lock() else { return };
        let t = d.entry(tenant.into()).or_default();
        for (collection, value) in writes {
            if let Some(id) = value.get("id").and_then(Value::as_str) {
                t.entry((*collection).into())
                    .or_default()
                    .insert(id.into(), value.clone());
            }
        }
        let bytes = serde_json::to_vec_pretty(&*d).unwrap_or_default();
        let tmp = self
            .path
            .with_extension(format!("tmp{}", std::process::id()));
        // A failed save must not fail the request: the write is still in memory.
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, &self.path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
