//! The entity pivot, `/correlation/entity?key=upn:…&tenant=…`: every alert of the tenant that
//! names the entity (by any identifier it is known by), across providers, on one time axis;
//! and what the directory holds about it (a user's Entra profile and manager, a device's Entra
//! record and owner), read with the directory permissions asked for when first needed. A
//! missing permission is said, with "Request access".

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use vigil_core::client::scopes;
use vigil_core::correlate::{AlertInfo, Correlator, EntityKind, EntityRef, Settings};
use vigil_core::models::{Device, User};
use vigil_core::queue::chips::service_label;
use vigil_core::url::form_parse;
use vigil_core::{ErrorKind, GraphError};

use super::cluster::{alert_link, timeline};
use super::load;
use crate::auth::use_auth;
use crate::components::queue::{severity_badge, time_or_dash};
use crate::components::{GraphErrorNotice, RequestAccess, SignedIn};
use crate::router::use_location;

#[component]
pub fn CorrelationEntity() -> impl IntoView {
    view! {
        <h1 id="entity-title">"Entity"</h1>
        <SignedIn what="an entity's alerts">
            <EntityBody />
        </SignedIn>
    }
}

/// What the pivot found in one tenant.
#[derive(Clone, PartialEq)]
struct Found {
    tenant: Option<String>,
    entity: EntityRef,
    alerts: Vec<AlertInfo>,
}

#[component]
fn EntityBody() -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    let wanted = Memo::new(move |_| {
        let (mut key, mut tenant) = (String::new(), None);
        for (k, v) in form_parse(&location.search.get()) {
            match k.as_str() {
                "key" => key = v,
                "tenant" if !v.is_empty() => tenant = Some(v),
                _ => {}
            }
        }
        (key, tenant)
    });
    let data = LocalResource::new(move || {
        auth.accounts();
        load(auth)
    });
    // Every tenant's entity with this identifier (one, when the URL names the tenant).
    let found = Memo::new(move |_| {
        let (key, tenant) = wanted.get();
        data.with(|d| match d {
            Some(Ok((alerts, _))) => {
                let mut engine = Correlator::new(Settings::default());
                engine.add(alerts);
                let ids = engine.alerts_with(&key);
                let list: Vec<Found> = engine
                    .entity(&key)
                    .into_iter()
                    .filter(|(t, _)| tenant.is_none() || *t == tenant)
                    .map(|(t, entity)| Found {
                        alerts: ids
                            .iter()
                            .filter_map(|id| engine.info(id))
                            .filter(|a| a.tenant_id == t)
                            .collect(),
                        tenant: t,
                        entity,
                    })
                    .collect();
                Some(Ok(list))
            }
            Some(Err(e)) => Some(Err(e.clone())),
            None => None,
        })
    });
    view! {
        <div class="entity-pivot">
            {move || {
                let (key, _) = wanted.get();
                vigil_core::correlate::parse_key(&key).is_none().then(|| view! {
                    <p class="error" role="alert">{format!("\u{201c}{key}\u{201d} names no entity: expected a key like upn:name@contoso.com.")}</p>
                })
            }}
            {move || match found.get() {
                None => EitherOf3::A(view! { <p class="muted" id="entity-loading">"Loading every alert…"</p> }),
                Some(Err(e)) => EitherOf3::B(view! { <p class="error" role="alert">{e}</p> }),
                Some(Ok(list)) if list.is_empty() => EitherOf3::B(view! {
                    <p class="muted" role="status">{"No loaded alert names this entity.".to_owned()}</p>
                }),
                Some(Ok(list)) => EitherOf3::C(list.into_iter().map(|f| view! { <EntityFound f /> }).collect_view()),
            }}
        </div>
    }
}

#[component]
fn EntityFound(f: Found) -> impl IntoView {
    let mut providers: Vec<String> = f
        .alerts
        .iter()
        .filter_map(|a| a.provider.as_ref().map(service_label))
        .collect();
    vigil_core::sort::by(&mut providers, |a, b| a.cmp(b));
    providers.dedup();
    let e = &f.entity;
    let summary = format!(
        "{} alert{} from {} provider{}",
        f.alerts.len(),
        if f.alerts.len() == 1 { "" } else { "s" },
        providers.len(),
        if providers.len() == 1 { "" } else { "s" }
    );
    view! {
        <section class="card wide entity" id="entity" data-key=e.key.clone() data-kind=e.kind.name()
            data-tenant=f.tenant.clone().unwrap_or_default()>
            <h2 id="entity-label"><span class="muted">{e.kind.name()}</span> " " {e.label.clone()}</h2>
            <p class="muted">
                {f.tenant.clone().map(|t| format!("Tenant {t} · "))}
                "Known as " {e.identifiers.join(", ")}
            </p>
            <p id="entity-summary">{summary} " "
                {providers.into_iter().map(|p| view! { <span class="provider-badge">{p}</span> " " }).collect_view()}
            </p>
            <DirectoryContext entity=e.clone() tenant=f.tenant.clone() />
            <h3>"Timeline"</h3>
            {timeline(&f.alerts, "entity-timeline")}
            <h3>"Alerts"</h3>
            <ol id="entity-alerts" class="cluster-alerts">
                {f.alerts.iter().map(|a| {
                    let provider = a.provider.as_ref().map(service_label).unwrap_or_default();
                    let data_provider = provider.clone();
                    view! {
                        <li data-id=a.id.as_str().to_owned() data-provider=data_provider>
                            {time_or_dash(a.time)} " " {severity_badge(a.severity.as_ref())} " "
                            <span class="provider-badge">{provider}</span> " "
                            <a href=alert_link(&a.id, &a.title)>{a.title.clone()}</a>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// What the directory says about a user or a device.
#[derive(Clone)]
enum Context {
    User {
        user: User,
        /// `Ok(None)`: no manager on record.
        manager: Result<Option<User>, GraphError>,
    },
    Device {
        device: Device,
        owners: Result<Vec<User>, GraphError>,
    },
    /// The directory has no such object.
    Absent,
}

/// How to look the entity up in the directory, from the identifiers it is known by.
enum Lookup {
    User(String),
    DeviceById(String),
    DeviceByName(String),
}

fn lookup(e: &EntityRef) -> Option<Lookup> {
    let value = |tag: &str| {
        e.identifiers
            .iter()
            .find_map(|k| k.strip_prefix(tag)?.strip_prefix(':').map(str::to_owned))
    };
    match e.kind {
        EntityKind::User => value("oid").or_else(|| value("upn")).map(Lookup::User),
        EntityKind::Device => value("aaddevice").map(Lookup::DeviceById).or_else(|| {
            let dns = value("dns")?;
            let host = dns.split('.').next().unwrap_or(&dns).to_owned();
            Some(Lookup::DeviceByName(host))
        }),
        _ => None,
    }
}

#[component]
fn DirectoryContext(entity: EntityRef, tenant: Option<String>) -> impl IntoView {
    let auth = use_auth();
    let Some(how) = lookup(&entity) else {
        return Either::Left(());
    };
    let (scope, what) = match how {
        Lookup::User(_) => (scopes::USER_READ, "profile"),
        _ => (scopes::DEVICE_READ, "record"),
    };
    let how = StoredValue::new(how);
    let lacking = Memo::new(move |_| auth.lacks(scope));
    let context = LocalResource::new(move || {
        let client = auth.client_for_data(tenant.as_deref());
        let ready = lacking.get().is_none();
        let how = how.with_value(|h| match h {
            Lookup::User(s) => Lookup::User(s.clone()),
            Lookup::DeviceById(s) => Lookup::DeviceById(s.clone()),
            Lookup::DeviceByName(s) => Lookup::DeviceByName(s.clone()),
        });
        async move {
            let client = client.filter(|_| ready)?;
            Some(match how {
                Lookup::User(id) => {
                    let select = [
                        "id",
                        "displayName",
                        "userPrincipalName",
                        "jobTitle",
                        "department",
                        "accountEnabled",
                    ];
                    match client.get_user(&id, &select).await {
                        Ok(user) => Ok(Context::User {
                            manager: client.get_manager(&user.id).await,
                            user,
                        }),
                        Err(e) if e.kind == ErrorKind::NotFound => Ok(Context::Absent),
                        Err(e) => Err(e),
                    }
                }
                Lookup::DeviceById(id) => device(&client, client.find_devices(&id).await).await,
                Lookup::DeviceByName(name) => {
                    device(&client, client.find_devices_named(&name).await).await
                }
            })
        }
    });
    Either::Right(view! {
        <section id="entity-directory" class="entity-directory" data-scope=scope>
            <h3>{format!("Entra {what}")}</h3>
            {move || match lacking.get() {
                Some(why) => Either::Left(view! {
                    <p class="needs-scope" id="entity-directory-scope">
                        {format!("The organisational context {why}, which your sign-in does not include yet.")} " "
                        <RequestAccess scope />
                    </p>
                }),
                None => Either::Right(move || match context.get().flatten() {
                    None => EitherOf3::A(view! { <p class="muted">"Reading the directory…"</p> }),
                    Some(Err(error)) => EitherOf3::B(view! { <GraphErrorNotice error /> }),
                    Some(Ok(c)) => EitherOf3::C(context_view(c)),
                }),
            }}
        </section>
    })
}

/// The first device found, with its owners.
async fn device<T: vigil_core::Transport>(
    client: &vigil_core::GraphClient<T>,
    found: Result<Vec<Device>, GraphError>,
) -> Result<Context, GraphError> {
    let Some(device) = found?.into_iter().next() else {
        return Ok(Context::Absent);
    };
    Ok(Context::Device {
        owners: client.device_owners(&device.id).await,
        device,
    })
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "—",
    }
}

fn text(v: &Option<String>) -> String {
    v.clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "—".into())
}

fn context_view(c: Context) -> impl IntoView {
    let row = |label: &'static str, v: String| view! { <dt>{label}</dt><dd>{v}</dd> };
    match c {
        Context::Absent => EitherOf3::A(view! {
            <p id="entity-directory-absent" class="muted">"The directory has no object with these identifiers."</p>
        }),
        Context::User { user, manager } => {
            let manager = match manager {
                Ok(Some(m)) => Either::Left(text(&m.display_name.or(m.user_principal_name))),
                Ok(None) => Either::Left("None on record".to_owned()),
                Err(error) => Either::Right(view! { <GraphErrorNotice error /> }),
            };
            EitherOf3::B(view! {
                <dl class="fields" id="entity-user">
                    {row("Name", text(&user.display_name))}
                    {row("Sign-in name", text(&user.user_principal_name))}
                    {row("Job title", text(&user.job_title))}
                    {row("Department", text(&user.department))}
                    <dt>"Manager"</dt><dd id="entity-manager">{manager}</dd>
                    {row("Account enabled", yes_no(user.account_enabled).to_owned())}
                </dl>
            })
        }
        Context::Device { device, owners } => {
            let owner = match owners {
                Ok(list) if list.is_empty() => Either::Left("None on record".to_owned()),
                Ok(list) => Either::Left(
                    list.iter()
                        .map(|u| text(&u.display_name.clone().or(u.user_principal_name.clone())))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Err(error) => Either::Right(view! { <GraphErrorNotice error /> }),
            };
            let os = [&device.operating_system, &device.operating_system_version]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            EitherOf3::C(view! {
                <dl class="fields" id="entity-device">
                    {row("Name", text(&device.display_name))}
                    {row("Operating system", if os.is_empty() { "—".into() } else { os })}
                    {row("Compliant", yes_no(device.is_compliant).to_owned())}
                    {row("Managed", yes_no(device.is_managed).to_owned())}
                    <dt>"Owner"</dt><dd id="entity-owner">{owner}</dd>
                    {row("Account enabled", yes_no(device.account_enabled).to_owned())}
                </dl>
            })
        }
    }
}
