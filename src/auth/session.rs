//! The app-wide sign-in state: who is signed in to which tenant, their tokens, silent renewal,
//! incremental consent and sign-out. Pages reach it with [`use_auth`].

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use vigil_core::client::{GraphClient, LocalFuture, TokenProvider};
use vigil_core::error::{ErrorKind, GraphError};
use vigil_core::models::tree::FromTree;

use super::oauth::{self, TokenFailure, Tokens};
use super::pending::{self, PendingSignIn};
use super::route::safe_return_route;
use super::storage::{KeyValue, SessionStore, remove_prefixed};
use super::tokens::{
    CallbackParams, Expect, Lifetime, callback_error, check_id_token, decode_id_token,
    granted_graph_scopes, holds, lacks, retry_delay_ms,
};
use super::{AUTH_PREFIX, drafts};
use crate::config::{RefreshTokenStorage, RuntimeConfig};
use crate::transport::BrowserTransport;

const SESSION_PREFIX: &str = "vigil.auth.session.";
const ACTIVE_KEY: &str = "vigil.auth.active";
/// `GraphError::code` of a call that found no usable token while renewal is being retried.
pub const RENEWAL_DELAYED: &str = "vigil.renewalDelayed";

/// A signed-in person in one tenant, as the UI shows it. No secrets in here.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub tenant_id: String,
    pub tenant_name: String,
    /// `name` from the ID token (untrusted text: render as text).
    pub name: String,
    /// `preferred_username` (UPN or email).
    pub username: String,
    /// The Graph scopes the current token holds, bare (`SecurityAlert.Read.All`).
    pub scopes: Vec<String>,
    /// Set when renewal was refused: why, in a sentence. The account stays on screen so the
    /// page is not lost; signing in again replaces it.
    pub ended: Option<String>,
    /// Set while renewal is failing for a reason that may pass (an outage, throttling, no
    /// network): why, in a sentence. Vigil keeps retrying; the session has not ended.
    pub delayed: Option<String>,
}

/// The live session of one tenant. The access token exists only here, in memory.
#[derive(Clone)]
struct Live {
    account: Account,
    access_token: Option<String>,
    lifetime: Option<Lifetime>,
    refresh_token: Option<String>,
    /// Renewal attempts that failed in a row, for the back-off.
    retries: u32,
    /// The ID token's `login_hint`, sent as `logout_hint` at sign-out.
    login_hint: Option<String>,
    /// A claims challenge from Graph (JSON) that the next interactive sign-in must carry.
    claims: Option<String>,
}

/// What survives a reload in sessionStorage (`refreshTokenStorage: session` only).
#[derive(Serialize)]
struct Stored {
    tenant_id: String,
    tenant_name: String,
    name: String,
    username: String,
    scopes: Vec<String>,
    refresh_token: String,
    login_hint: Option<String>,
}

impl Stored {
    /// As [`Auth`] stored it (`None` for anything else), read through the JSON tree with the
    /// core's [`FromTree`] readers; a record from before `login_hint` was kept reads without one.
    fn read(text: &str) -> Option<Stored> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let text = |key: &str| Option::<String>::from_tree(&v[key]);
        Some(Stored {
            tenant_id: text("tenant_id")?,
            tenant_name: text("tenant_name")?,
            name: text("name")?,
            username: text("username")?,
            scopes: FromTree::from_tree(&v["scopes"]),
            refresh_token: text("refresh_token")?,
            login_hint: text("login_hint"),
        })
    }
}

/// A callback that could not complete, with what "try again" should do.
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackFailure {
    /// The headline.
    pub message: String,
    /// The identity platform's `error_description` or technical detail (untrusted text).
    pub detail: Option<String>,
    pub retry_tenant: Option<String>,
    pub retry_route: String,
}

/// The sign-in context. `Copy`; get it with [`use_auth`].
#[derive(Clone, Copy)]
pub struct Auth {
    config: StoredValue<RuntimeConfig>,
    live: RwSignal<Vec<Live>>,
    accounts: Memo<Vec<Account>>,
    active: RwSignal<Option<String>>,
    restoring: RwSignal<bool>,
    client: StoredValue<Option<GraphClient<BrowserTransport>>, LocalStorage>,
    timers: StoredValue<Vec<(String, TimeoutHandle)>>,
    inflight: StoredValue<Vec<String>>,
    callback_done: StoredValue<Option<String>>,
}

/// The sign-in context provided by the app root.
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn kv() -> SessionStore {
    SessionStore
}

/// The route the browser is on now, for coming back after a sign-in redirect.
fn current_route() -> String {
    safe_return_route(&crate::router::route_now())
}

fn merge_scopes(lists: &[&[String]]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for list in lists {
        for s in *list {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(s)) {
                out.push(s.clone());
            }
        }
    }
    out
}

impl Auth {
    /// Creates the context, provides it, and restores the sessions of this tab (if the
    /// refresh tokens are kept in sessionStorage) by renewing them silently.
    pub fn install(config: RuntimeConfig) -> Self {
        let live = RwSignal::new(Vec::<Live>::new());
        let accounts = Memo::new(move |_| {
            live.with(|l| l.iter().map(|x| x.account.clone()).collect::<Vec<_>>())
        });
        let auth = Auth {
            config: StoredValue::new(config),
            live,
            accounts,
            active: RwSignal::new(None),
            restoring: RwSignal::new(false),
            client: StoredValue::new_local(None),
            timers: StoredValue::new(Vec::new()),
            inflight: StoredValue::new(Vec::new()),
            callback_done: StoredValue::new(None),
        };
        provide_context(auth);
        auth.restore();
        auth
    }

    fn restore(self) {
        let store = kv();
        if self.config.with_value(|c| c.refresh_token_storage) == RefreshTokenStorage::Memory {
            remove_prefixed(&store, SESSION_PREFIX);
            store.remove(ACTIVE_KEY);
            return;
        }
        let mut restored = Vec::new();
        for key in store.keys() {
            if !key.starts_with(SESSION_PREFIX) {
                continue;
            }
            match store.get(&key).and_then(|v| Stored::read(&v)) {
                Some(s) => restored.push(Live {
                    account: Account {
                        tenant_id: s.tenant_id,
                        tenant_name: s.tenant_name,
                        name: s.name,
                        username: s.username,
                        scopes: s.scopes,
                        ended: None,
                        delayed: None,
                    },
                    access_token: None,
                    lifetime: None,
                    refresh_token: Some(s.refresh_token),
                    retries: 0,
                    login_hint: s.login_hint,
                    claims: None,
                }),
                None => store.remove(&key),
            }
        }
        if restored.is_empty() {
            return;
        }
        let tenants: Vec<String> = restored
            .iter()
            .map(|l| l.account.tenant_id.clone())
            .collect();
        let active = store
            .get(ACTIVE_KEY)
            .filter(|a| tenants.contains(a))
            .or_else(|| tenants.first().cloned());
        self.live.set(restored);
        self.active.set(active);
        self.restoring.set(true);
        spawn_local(async move {
            for t in tenants {
                let _ = self.renew(&t).await;
            }
            self.restoring.set(false);
        });
    }

    // ----- What pages read (reactive) -----

    /// Every tenant signed in to in this tab (including ones whose session ended).
    pub fn accounts(&self) -> Vec<Account> {
        self.accounts.get()
    }

    /// The tenants whose data a page shows, as (id, name): every tenant with a live session,
    /// or the active tenant alone (with no name) when none is known. Tracked.
    pub fn data_tenants(&self) -> Vec<(String, String)> {
        let mut tenants: Vec<(String, String)> = self
            .accounts()
            .into_iter()
            .filter(|a| a.ended.is_none())
            .map(|a| (a.tenant_id, a.tenant_name))
            .collect();
        if tenants.is_empty() {
            tenants.extend(self.active_tenant().map(|t| (t, String::new())));
        }
        tenants
    }

    /// The account of the tenant currently shown.
    pub fn account(&self) -> Option<Account> {
        let active = self.active.get()?;
        self.accounts
            .with(|a| a.iter().find(|x| x.tenant_id == active).cloned())
    }

    /// Whether someone is signed in (an ended session still counts: the page stays and a
    /// prompt asks to sign in again).
    pub fn is_signed_in(&self) -> bool {
        self.active.with(Option::is_some)
    }

    /// True while sessions kept in this tab are being renewed after a reload.
    pub fn is_restoring(&self) -> bool {
        self.restoring.get()
    }

    pub fn active_tenant(&self) -> Option<String> {
        self.active.get()
    }

    /// The first ended session, if any: `(tenant name, why)`.
    pub fn ended(&self) -> Option<Account> {
        self.accounts
            .with(|a| a.iter().find(|x| x.ended.is_some()).cloned())
    }

    /// The first live session whose renewal is delayed (Vigil keeps retrying), if any.
    pub fn delayed(&self) -> Option<Account> {
        self.accounts.with(|a| {
            a.iter()
                .find(|x| x.ended.is_none() && x.delayed.is_some())
                .cloned()
        })
    }

    /// Whether the active token holds `scope` (a `ReadWrite` scope covers its `Read`).
    pub fn has(&self, scope: &str) -> bool {
        self.account().is_some_and(|a| holds(&a.scopes, scope))
    }

    /// `None` when the active token holds `scope`, else why a control must stay disabled
    /// (`"needs SecurityAlert.ReadWrite.All"`, or `"needs sign-in"`).
    pub fn lacks(&self, scope: &str) -> Option<String> {
        match self.account() {
            None => Some("needs sign-in".into()),
            Some(a) if a.ended.is_some() => Some("needs sign-in again".into()),
            Some(a) => lacks(&a.scopes, scope),
        }
    }

    /// A sentence for a failed Graph call: a 403 names the missing permission and whether the
    /// current sign-in has it; a 401 asks to sign in again.
    pub fn explain(&self, err: &GraphError) -> String {
        match (&err.kind, &err.missing_scope) {
            (ErrorKind::Forbidden, Some(scope)) if !self.has(scope) => format!(
                "This needs the {scope} permission, which your sign-in does not include. Request access to add it."
            ),
            (ErrorKind::Forbidden, Some(scope)) => format!(
                "Your sign-in includes {scope}, but the tenant refused: your account may lack the Security Reader or Security Administrator role."
            ),
            _ if err.code.as_deref() == Some(RENEWAL_DELAYED) => err.message.clone(),
            _ => err.user_message(),
        }
    }

    /// A Graph client for the active tenant, whose tokens come from this context.
    pub fn client(&self) -> Option<GraphClient<BrowserTransport>> {
        self.client_for(&self.active.get()?)
    }

    /// A Graph client for `tenant` (signed in or not: calls fail with 401 when not). All
    /// clients share one scheduler, so Graph's budgets are respected across tenants.
    pub fn client_for(&self, tenant: &str) -> Option<GraphClient<BrowserTransport>> {
        if let Some(c) = self.client.with_value(|c| c.clone()) {
            return Some(c.for_tenant(tenant));
        }
        let base = self.config.with_value(|c| c.graph_base_url.clone());
        let provider: Rc<dyn TokenProvider> = Rc::new(AuthTokens(*self));
        let c = GraphClient::new(BrowserTransport, &base, tenant, provider).ok()?;
        self.client.set_value(Some(c.clone()));
        Some(c)
    }

    /// The signed-in user's name in `tenant` (the active account's when `tenant` is not signed
    /// in here): who "me" is for that tenant's data.
    pub fn username_in(&self, tenant: Option<&str>) -> Option<String> {
        tenant
            .and_then(|t| {
                self.accounts.with_untracked(|all| {
                    all.iter()
                        .find(|a| a.tenant_id == t)
                        .map(|a| a.username.clone())
                })
            })
            .or_else(|| self.account().map(|a| a.username))
    }

    /// The client for data that came from `tenant` (an alert's `tenantId`): that tenant's when
    /// it is signed in here, else the active tenant's.
    pub fn client_for_data(&self, tenant: Option<&str>) -> Option<GraphClient<BrowserTransport>> {
        match tenant {
            Some(t)
                if self
                    .accounts
                    .with_untracked(|all| all.iter().any(|a| a.tenant_id == t)) =>
            {
                self.client_for(t)
            }
            _ => self.client(),
        }
    }

    // ----- Actions -----

    /// Shows `tenant`'s data (it must be signed in).
    pub fn switch_tenant(&self, tenant: &str) {
        if self
            .live
            .with_untracked(|l| l.iter().any(|x| x.account.tenant_id == tenant))
        {
            self.active.set(Some(tenant.to_owned()));
            self.persist_active();
        }
    }

    /// Signs in to `tenant` (default: the active one, else config's first) with the
    /// configured read scopes, coming back to the current route.
    pub fn sign_in(&self, tenant: Option<&str>) -> Result<(), String> {
        let tenant = tenant
            .map(str::to_owned)
            .or_else(|| self.active.get_untracked())
            .unwrap_or_else(|| self.config.with_value(|c| c.default_tenant().id.clone()));
        self.sign_in_to(&tenant, &[], &current_route())
    }

    /// Signs in to another tenant from config.json (an MSSP watching several customers).
    pub fn add_tenant(&self, tenant: &str) -> Result<(), String> {
        self.sign_in_to(tenant, &[], &current_route())
    }

    /// Incremental consent: asks the identity platform for `scopes` on top of what the active
    /// tenant's token holds, then comes back to the current page.
    pub fn request_scopes(&self, scopes: &[&str]) -> Result<(), String> {
        let tenant = self
            .active
            .get_untracked()
            .unwrap_or_else(|| self.config.with_value(|c| c.default_tenant().id.clone()));
        let extra: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        self.sign_in_to(&tenant, &extra, &current_route())
    }

    /// Redirects to the authorize endpoint. Asked: config scopes, the scopes the tenant's token
    /// already holds (so consent only grows), and `extra`.
    pub fn sign_in_to(
        &self,
        tenant: &str,
        extra: &[String],
        return_to: &str,
    ) -> Result<(), String> {
        let (held, hint, claims) = self
            .live
            .with_untracked(|l| {
                l.iter().find(|x| x.account.tenant_id == tenant).map(|x| {
                    (
                        x.account.scopes.clone(),
                        Some(x.account.username.clone()),
                        x.claims.clone(),
                    )
                })
            })
            .unwrap_or_default();
        let config = self.config.get_value();
        let scopes = merge_scopes(&[&config.scopes, &held, extra]);
        let a = oauth::authorize(&config, tenant, &scopes, hint.as_deref(), claims.as_deref())?;
        pending::put(
            &kv(),
            &a.state,
            &PendingSignIn {
                verifier: a.verifier,
                nonce: a.nonce,
                tenant: tenant.to_owned(),
                scopes,
                return_to: safe_return_route(return_to),
                created_ms: now(),
            },
        );
        let window = web_sys::window().ok_or("no window")?;
        window
            .location()
            .assign(&a.url)
            .map_err(|_| "the browser refused to open the sign-in page".to_string())
    }

    /// Signs out of every tenant: forgets tokens in memory, every `vigil.auth.*` key and the
    /// drafts of this tab, then ends the session at the identity platform too (its sign-out
    /// page comes back to the app's start page), so the next person at this computer cannot
    /// pick the account without a password.
    pub fn sign_out(&self) {
        let (tenant, hint) = self.live.with_untracked(|l| {
            let active = self.active.get_untracked();
            let x = l
                .iter()
                .find(|x| Some(&x.account.tenant_id) == active.as_ref())
                .or_else(|| l.first());
            (
                x.map(|x| x.account.tenant_id.clone()),
                x.and_then(|x| x.login_hint.clone()),
            )
        });
        self.timers.update_value(|t| {
            for (_, h) in t.drain(..) {
                h.clear();
            }
        });
        self.live.set(Vec::new());
        self.active.set(None);
        self.restoring.set(false);
        remove_prefixed(&kv(), AUTH_PREFIX);
        drafts::clear_all();
        if let Some(tenant) = tenant {
            let url = self
                .config
                .with_value(|c| oauth::logout_url(c, &tenant, hint.as_deref()));
            if let Some(w) = web_sys::window() {
                let _ = w.location().assign(&url);
            }
        }
    }

    /// Graph sent a claims challenge for `tenant` (continuous access evaluation: the session
    /// was revoked, or a policy changed): the session ends, and signing in again asks for the
    /// claims.
    fn challenged(&self, tenant: &str, claims_b64: &str) {
        let claims = oauth::decode_claims(claims_b64);
        self.end(
            tenant,
            "Your organisation requires you to sign in again (continuous access evaluation)."
                .into(),
        );
        self.live.update(|l| {
            if let Some(x) = l.iter_mut().find(|x| x.account.tenant_id == tenant) {
                x.claims = claims;
            }
        });
    }

    /// Finishes the sign-in the identity platform redirected back with (`?code&state` or
    /// `?error&error_description&state`). Returns the route to go to.
    pub async fn complete_sign_in(&self, query: &str) -> Result<String, CallbackFailure> {
        // A component may run twice for one URL; the second run must not report a replay.
        if self
            .callback_done
            .with_value(|d| d.as_deref() == Some(query))
        {
            return Err(CallbackFailure {
                message: "Sign-in is already being completed.".into(),
                detail: None,
                retry_tenant: None,
                retry_route: "/".into(),
            });
        }
        self.callback_done.set_value(Some(query.to_owned()));
        let params = CallbackParams::parse(query);
        // Back from signing out at the identity platform (or the callback opened by hand):
        // nothing to complete.
        if params == CallbackParams::default() {
            return Ok("/".into());
        }
        let taken = pending::take(&kv(), params.state.as_deref(), now());
        let (retry_tenant, retry_route) = match &taken {
            Ok(p) => (Some(p.tenant.clone()), p.return_to.clone()),
            Err(_) => (None, "/".to_string()),
        };
        let fail = |message: String, detail: Option<String>| CallbackFailure {
            message,
            detail,
            retry_tenant: retry_tenant.clone(),
            retry_route: retry_route.clone(),
        };
        if params.error.is_some() {
            let (message, detail) = callback_error(&params, taken.is_ok());
            return Err(fail(message, detail));
        }
        let pending = match taken {
            Ok(p) => p,
            Err(e) => return Err(fail(e.to_string(), None)),
        };
        let Some(code) = params.code else {
            return Err(fail(
                "The sign-in response has no authorization code.".into(),
                None,
            ));
        };
        let config = self.config.get_value();
        let tokens = oauth::redeem(&config, &pending.tenant, &code, &pending.verifier)
            .await
            .map_err(|e| {
                fail(
                    "The sign-in could not be completed.".into(),
                    Some(e.to_string()),
                )
            })?;
        let claims = tokens
            .id_token
            .as_deref()
            .ok_or_else(|| "the identity platform sent no ID token".to_string())
            .and_then(decode_id_token)
            .and_then(|c| {
                let expect = Expect {
                    nonce: &pending.nonce,
                    client_id: &config.client_id,
                    tenant: &pending.tenant,
                    authority: &config.authority,
                    now_s: now() / 1000.0,
                };
                check_id_token(&c, &expect).map(|_| c)
            })
            .map_err(|e| fail("The sign-in response could not be trusted.".into(), Some(e)))?;
        let tenant_id = pending.tenant.clone();
        let tenant_name = config
            .tenants
            .iter()
            .find(|t| t.id.eq_ignore_ascii_case(&tenant_id))
            .map(|t| t.name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| tenant_id.clone());
        let username = claims.preferred_username.clone().unwrap_or_default();
        let account = Account {
            tenant_id: tenant_id.clone(),
            tenant_name,
            name: claims
                .name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| username.clone()),
            username,
            scopes: Vec::new(),
            ended: None,
            delayed: None,
        };
        let fallback = pending.scopes.clone();
        self.live.update(|l| {
            l.retain(|x| x.account.tenant_id != tenant_id);
            l.push(Live {
                account,
                access_token: None,
                lifetime: None,
                refresh_token: None,
                retries: 0,
                login_hint: claims.login_hint.clone(),
                claims: None,
            });
        });
        self.accept(&tenant_id, tokens, &fallback);
        self.active.set(Some(tenant_id));
        self.persist_active();
        Ok(pending.return_to)
    }

    /// Stores a token response for `tenant`: access token in memory, refresh token where the
    /// configuration says, scopes from the response; schedules the next renewal.
    fn accept(&self, tenant: &str, tokens: Tokens, asked: &[String]) {
        let lifetime = Lifetime {
            obtained_ms: now(),
            expires_in_s: tokens.expires_in_s,
        };
        self.live.update(|l| {
            if let Some(x) = l.iter_mut().find(|x| x.account.tenant_id == tenant) {
                x.account.scopes = match &tokens.scopes {
                    Some(s) => granted_graph_scopes(s.iter().map(String::as_str)),
                    None if x.account.scopes.is_empty() => asked.to_vec(),
                    None => x.account.scopes.clone(),
                };
                x.account.ended = None;
                x.account.delayed = None;
                x.retries = 0;
                x.access_token = Some(tokens.access_token.clone());
                x.lifetime = Some(lifetime);
                // Rotation: always keep the newest refresh token.
                if tokens.refresh_token.is_some() {
                    x.refresh_token = tokens.refresh_token.clone();
                }
            }
        });
        self.persist(tenant);
        self.schedule(tenant, lifetime.renew_in_ms(now()));
    }

    fn persist(&self, tenant: &str) {
        let key = format!("{SESSION_PREFIX}{tenant}");
        if self.config.with_value(|c| c.refresh_token_storage) == RefreshTokenStorage::Memory {
            return;
        }
        let stored = self.live.with_untracked(|l| {
            l.iter()
                .find(|x| x.account.tenant_id == tenant)
                .and_then(|x| {
                    Some(Stored {
                        tenant_id: x.account.tenant_id.clone(),
                        tenant_name: x.account.tenant_name.clone(),
                        name: x.account.name.clone(),
                        username: x.account.username.clone(),
                        scopes: x.account.scopes.clone(),
                        refresh_token: x.refresh_token.clone()?,
                        login_hint: x.login_hint.clone(),
                    })
                })
        });
        match stored.and_then(|s| serde_json::to_string(&s).ok()) {
            Some(json) => kv().set(&key, &json),
            None => kv().remove(&key),
        }
    }

    fn persist_active(&self) {
        if self.config.with_value(|c| c.refresh_token_storage) == RefreshTokenStorage::Memory {
            return;
        }
        match self.active.get_untracked() {
            Some(t) => kv().set(ACTIVE_KEY, &t),
            None => kv().remove(ACTIVE_KEY),
        }
    }

    fn schedule(&self, tenant: &str, delay_ms: f64) {
        let auth = *self;
        let t = tenant.to_owned();
        let handle = set_timeout_with_handle(
            move || {
                spawn_local(async move {
                    let _ = auth.renew(&t).await;
                })
            },
            Duration::from_millis(delay_ms.clamp(0.0, 2_000_000_000.0) as u64),
        );
        self.timers.update_value(|timers| {
            timers.retain(|(x, h)| {
                let same = x == tenant;
                if same {
                    h.clear();
                }
                !same
            });
            if let Ok(h) = handle {
                timers.push((tenant.to_owned(), h));
            }
        });
    }

    /// Ends `tenant`'s session after a refused renewal: tokens are dropped, the account stays
    /// on screen with the reason, and the prompt offers to sign in again.
    fn end(&self, tenant: &str, why: String) {
        self.live.update(|l| {
            if let Some(x) = l.iter_mut().find(|x| x.account.tenant_id == tenant) {
                x.access_token = None;
                x.refresh_token = None;
                x.lifetime = None;
                x.account.delayed = None;
                x.account.ended = Some(why);
            }
        });
        kv().remove(&format!("{SESSION_PREFIX}{tenant}"));
    }

    /// Renews `tenant`'s access token with its refresh token (one renewal at a time).
    async fn renew(self, tenant: &str) -> Result<(), TokenFailure> {
        if self.inflight.with_value(|i| i.iter().any(|x| x == tenant)) {
            // Someone else is renewing: wait for them.
            for _ in 0..600 {
                crate::transport::sleep(Duration::from_millis(50)).await;
                if !self.inflight.with_value(|i| i.iter().any(|x| x == tenant)) {
                    break;
                }
            }
            return Ok(());
        }
        let Some(rt) = self.live.with_untracked(|l| {
            l.iter()
                .find(|x| x.account.tenant_id == tenant)
                .and_then(|x| x.refresh_token.clone())
        }) else {
            return Ok(());
        };
        self.inflight.update_value(|i| i.push(tenant.to_owned()));
        let config = self.config.get_value();
        let result = oauth::refresh(&config, tenant, &rt).await;
        self.inflight.update_value(|i| i.retain(|x| x != tenant));
        // A sign-in (incremental consent, another tab's callback) or a sign-out may have
        // replaced the grant meanwhile; then this answer belongs to a chain nobody uses.
        let current = self.live.with_untracked(|l| {
            l.iter()
                .find(|x| x.account.tenant_id == tenant)
                .and_then(|x| x.refresh_token.clone())
        });
        if current.as_deref() != Some(rt.as_str()) {
            return Ok(());
        }
        match result {
            Ok(tokens) => {
                self.accept(tenant, tokens, &[]);
                Ok(())
            }
            Err(e) if e.is_final() => {
                self.end(tenant, e.to_string());
                Err(e)
            }
            Err(e) => {
                // An outage, throttling or no network: the grant may well be fine. Say so,
                // and try again later, each time a little later.
                let retry_after = match &e {
                    TokenFailure::Unavailable { retry_after_s, .. } => *retry_after_s,
                    _ => None,
                };
                let mut attempt = 0;
                self.live.update(|l| {
                    if let Some(x) = l.iter_mut().find(|x| x.account.tenant_id == tenant) {
                        attempt = x.retries;
                        x.retries = x.retries.saturating_add(1);
                        x.account.delayed = Some(e.to_string());
                    }
                });
                self.schedule(tenant, retry_delay_ms(attempt, retry_after));
                Err(e)
            }
        }
    }

    /// The current access token of `tenant`, renewed first when it is (nearly) expired —
    /// a background tab's timers may have been throttled.
    pub async fn access_token(&self, tenant: &str) -> Result<String, GraphError> {
        let state = |auth: &Auth| {
            auth.live.with_untracked(|l| {
                l.iter()
                    .find(|x| x.account.tenant_id == tenant)
                    .map(|x| (x.access_token.clone(), x.lifetime, x.account.ended.clone()))
            })
        };
        let unauthorized = |m: &str| GraphError::new(ErrorKind::Unauthorized, m);
        let Some((token, lifetime, ended)) = state(self) else {
            return Err(unauthorized("Not signed in to this tenant."));
        };
        if ended.is_some() {
            return Err(unauthorized("Your session ended — sign in again."));
        }
        if let (Some(t), Some(l)) = (&token, lifetime)
            && !l.is_stale(now())
        {
            return Ok(t.clone());
        }
        // While renewal is being retried with back-off, a Graph call does not add attempts.
        if self.delay_reason(tenant).is_none() {
            let _ = self.renew(tenant).await;
        }
        match state(self) {
            Some((Some(t), Some(l), None)) if !l.is_stale(now()) => Ok(t),
            // Renewal failed for now, but the token has not expired yet: use it.
            Some((Some(t), Some(l), None)) if now() < l.expires_at_ms() => Ok(t),
            Some((_, _, None)) => match self.delay_reason(tenant) {
                Some(why) => Err(GraphError {
                    code: Some(RENEWAL_DELAYED.into()),
                    ..GraphError::new(
                        ErrorKind::Unauthorized,
                        format!("Renewing your sign-in is delayed; Vigil keeps trying. {why}"),
                    )
                }),
                None => Err(unauthorized("Your session ended — sign in again.")),
            },
            _ => Err(unauthorized("Your session ended — sign in again.")),
        }
    }

    fn delay_reason(&self, tenant: &str) -> Option<String> {
        self.live.with_untracked(|l| {
            l.iter()
                .find(|x| x.account.tenant_id == tenant)
                .and_then(|x| x.account.delayed.clone())
        })
    }

    /// Graph refused `token` (401): it is dropped, so the next call renews first.
    fn drop_access_token(&self, tenant: &str, token: &str) {
        self.live.update_untracked(|l| {
            if let Some(x) = l
                .iter_mut()
                .find(|x| x.account.tenant_id == tenant && x.access_token.as_deref() == Some(token))
            {
                x.access_token = None;
                x.lifetime = None;
            }
        });
    }
}

/// The [`TokenProvider`] every Graph client of the app uses.
#[derive(Clone, Copy)]
pub struct AuthTokens(pub Auth);

impl TokenProvider for AuthTokens {
    fn access_token<'a>(&'a self, tenant: &'a str) -> LocalFuture<'a, Result<String, GraphError>> {
        Box::pin(async move { self.0.access_token(tenant).await })
    }

    /// A 401: the token is dropped; the client then asks again (once), which renews.
    fn token_rejected<'a>(&'a self, tenant: &'a str, token: &'a str) -> LocalFuture<'a, ()> {
        self.0.drop_access_token(tenant, token);
        Box::pin(async {})
    }

    /// A claims challenge: the session ends; signing in again carries the claims.
    fn claims_challenge<'a>(&'a self, tenant: &'a str, claims: &'a str) -> LocalFuture<'a, ()> {
        self.0.challenged(tenant, claims);
        Box::pin(async {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_session_reads_back_as_it_was_written() {
        let s = Stored {
            tenant_id: "t".into(),
            tenant_name: "Contoso".into(),
            name: "Ann".into(),
            username: "ann@contoso.example".into(),
            scopes: vec!["SecurityAlert.Read.All".into()],
            refresh_token: "r".into(),
            login_hint: Some("h".into()),
        };
        let back = Stored::read(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(
            (back.tenant_id, back.tenant_name, back.name, back.username),
            (s.tenant_id, s.tenant_name, s.name, s.username)
        );
        assert_eq!(
            (back.scopes, back.refresh_token),
            (s.scopes, s.refresh_token)
        );
        assert_eq!(back.login_hint, s.login_hint);
        // Kept before login_hint was: still a session. Without its refresh token: none.
        let older = r#"{"tenant_id":"t","tenant_name":"","name":"","username":"u","scopes":[],"refresh_token":"r"}"#;
        assert!(Stored::read(older).is_some_and(|s| s.login_hint.is_none()));
        assert!(Stored::read(&older.replace(r#","refresh_token":"r""#, "")).is_none());
    }
}
