//! The entity pivot, `/correlation/entity?key=upn:…&tenant=…`: every alert of the tenant that
//! names the entity (by any identifier it is known by), across providers, on one time axis;
//! and what the directory holds about it (a user's Entra profile and manager, a device's Entra
//! record and owner), read with the directory permissions asked for when first needed. A
//! missing permission is said, with "Request access".

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use vigil_core::GraphError;
use vigil_core::client::scopes;
use vigil_core::client::{DeviceContext, DeviceKey, UserContext};
use vigil_core::correlate::{AlertInfo, Correlator, EntityKind, EntityRef, Settings};
use vigil_core::queue::chips::service_label;
use vigil_core::url::form_parse;

use super::cluster::{alert_link, timeline};
use crate::auth::use_auth;
use crate::components::every_alert::load;
use crate::components::queue::{severity_badge, time_or_dash};
use crate::components::{GraphErrorNotice, RequestAccess, SignedIn, resource};
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
    // Read where used (no memo: each memo type is bundle bytes, and these are read once).
    let wanted = move || {
        let (mut key, mut tenant) = (String::new(), None);
        for (k, v) in form_parse(&location.search.get()) {
            match k.as_str() {
                "key" => key = v,
                "tenant" if !v.is_empty() => tenant = Some(v),
                _ => {}
            }
        }
        (key, tenant)
    };
    let data = resource(move || {
        auth.accounts();
        load(auth, false, None)
    });
    // Every tenant's entity with this identifier (one, when the URL names the tenant).
    let found = move || {
        let (key, tenant) = wanted();
        data.with(|d| match d {
            Some(Ok(read)) => {
                let mut engine = Correlator::new(Settings::default());
                engine.add(&read.alerts);
                engine.add(&read.patches);
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
    };
    view! {
        <div class="entity-pivot">
            {move || {
                let (key, _) = wanted();
                vigil_core::correlate::parse_key(&key).is_none().then(|| view! {
                    <p class="error" role="alert">{format!("\u{201c}{key}\u{201d} names no entity: expected a key like upn:name@contoso.com.")}</p>
                })
            }}
            {move || match found() {
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

/// A label and what the directory says (or why it could not).
type Row = (&'static str, Result<String, GraphError>);

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
    let context = resource(move || {
        let client = auth.client_for_data(tenant.as_deref());
        let ready = lacking.get().is_none();
        let (user, id, name) = how.with_value(|h| match h {
            Lookup::User(s) => (Some(s.clone()), None, None),
            Lookup::DeviceById(s) => (None, Some(s.clone()), None),
            Lookup::DeviceByName(s) => (None, None, Some(s.clone())),
        });
        async move {
            let client = client.filter(|_| ready)?;
            Some(match (user, id, name) {
                (Some(u), _, _) => client.user_context(&u).await.map(|c| c.map(user_rows)),
                (_, Some(id), _) => client
                    .device_context(DeviceKey::DeviceId(&id))
                    .await
                    .map(|c| c.map(device_rows)),
                (_, _, name) => client
                    .device_context(DeviceKey::Name(name.as_deref().unwrap_or_default()))
                    .await
                    .map(|c| c.map(device_rows)),
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
                    Some(Ok(None)) => EitherOf3::A(view! { <p class="muted">"The directory has no object with these identifiers."</p> }),
                    Some(Ok(Some(rows))) => EitherOf3::C(view! {
                        <dl class="fields" id="entity-context">
                            {rows.into_iter().map(|(label, v)| view! {
                                <dt>{label}</dt>
                                <dd data-field=label>{match v {
                                    Ok(v) => Either::Left(v),
                                    Err(error) => Either::Right(view! { <GraphErrorNotice error /> }),
                                }}</dd>
                            }).collect_view()}
                        </dl>
                    }),
                }),
            }}
        </section>
    })
}

fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "—",
    }
    .to_owned()
}

fn text(v: Option<String>) -> String {
    v.unwrap_or_else(|| "—".into())
}

fn user_rows(u: UserContext) -> Vec<Row> {
    vec![
        ("Name", Ok(text(u.display_name))),
        ("Sign-in name", Ok(text(u.user_principal_name))),
        ("Job title", Ok(text(u.job_title))),
        ("Department", Ok(text(u.department))),
        (
            "Manager",
            u.manager
                .map(|m| m.unwrap_or_else(|| "None on record".into())),
        ),
        ("Account enabled", Ok(yes_no(u.account_enabled))),
    ]
}

fn device_rows(d: DeviceContext) -> Vec<Row> {
    let os = [d.operating_system, d.operating_system_version]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    vec![
        ("Name", Ok(text(d.display_name))),
        (
            "Operating system",
            Ok(text(Some(os).filter(|s| !s.is_empty()))),
        ),
        ("Compliant", Ok(yes_no(d.is_compliant))),
        ("Managed", Ok(yes_no(d.is_managed))),
        (
            "Owner",
            d.owners.map(|o| {
                if o.is_empty() {
                    "None on record".into()
                } else {
                    o.join(", ")
                }
            }),
        ),
        ("Account enabled", Ok(yes_no(d.account_enabled))),
    ]
}
