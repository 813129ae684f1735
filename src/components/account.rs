//! Sign-in UI: the account menu in the header, the "session ended" prompt, the "Sign in to
//! see …" panel, scope-gated controls, and the Settings page's access section.
//!
//! Every name, tenant and error text here comes from outside (ID token, identity platform,
//! Graph) and is rendered as text only.

use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vigil_core::client::scopes;
use vigil_core::error::{ErrorKind, GraphError};
use vigil_core::models::alert::AlertId;

use crate::auth::{drafts, use_auth};
use crate::components::Submit;
use crate::config::RuntimeConfig;
use crate::router::{NavigateOptions, use_navigate};

/// The header's account area: sign-in button, or the user, tenant switcher, "add tenant" and
/// sign-out.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let auth = use_auth();
    let config = expect_context::<RuntimeConfig>();
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let tenants = config.tenants.clone();
    let menu = move || match auth.account() {
        None => Either::Left(view! {
            <button id="header-sign-in" class="chip primary" on:click=move |_| {
                if let Err(e) = auth.sign_in(None) { error.set(Some(e)) }
            }>"Sign in"</button>
        }),
        Some(account) => {
            let accounts = auth.accounts();
            let others: Vec<_> = tenants
                .iter()
                .filter(|t| !accounts.iter().any(|a| a.tenant_id == t.id))
                .cloned()
                .collect();
            let navigate = navigate.clone();
            let active = account.tenant_id.clone();
            Either::Right(view! {
                <span id="account" class="account" title=account.username.clone()>
                    <span id="account-name" class="account-name">{account.name.clone()}</span>
                    " · "
                    <span id="account-tenant" class="muted">{account.tenant_name.clone()}</span>
                </span>
                {(accounts.len() > 1).then(|| view! {
                    <label class="sr-only" for="tenant-switcher">"Tenant"</label>
                    <select id="tenant-switcher" class="chip" on:change=move |ev| auth.switch_tenant(&event_target_value(&ev))>
                        {accounts.iter().map(|a| {
                            let selected = a.tenant_id == active;
                            view! { <option value=a.tenant_id.clone() selected=selected>{a.tenant_name.clone()}</option> }
                        }).collect_view()}
                    </select>
                })}
                {(!others.is_empty()).then(|| view! {
                    <label class="sr-only" for="add-tenant">"Add tenant"</label>
                    <select id="add-tenant" class="chip" on:change=move |ev| {
                        let t = event_target_value(&ev);
                        if !t.is_empty() && let Err(e) = auth.add_tenant(&t) {
                            error.set(Some(e))
                        }
                    }>
                        <option value="" selected=true>"Add tenant…"</option>
                        {others.into_iter().map(|t| view! { <option value=t.id.clone()>{t.name.clone()}</option> }).collect_view()}
                    </select>
                })}
                <button id="sign-out" class="chip" on:click=move |_| {
                    auth.sign_out();
                    navigate("/", NavigateOptions::default());
                }>"Sign out"</button>
            })
        }
    };
    view! {
        <div class="account-menu">
            {menu}
            {move || error.get().map(|e| view! { <span class="error" role="alert">{e}</span> })}
        </div>
    }
}

/// Shown above the page when a session could not be renewed. The page stays as it is; signing
/// in again comes back to the same route, and drafts survive in sessionStorage.
#[component]
pub fn SessionEndedPrompt() -> impl IntoView {
    let auth = use_auth();
    move || {
        auth.ended().map(|account| {
            let tenant = account.tenant_id.clone();
            view! {
                <section id="session-ended" class="banner warn" role="alert">
                    <strong>"Your session ended — sign in again."</strong>
                    " "
                    <span class="muted">{format!("{}: {}", account.tenant_name, account.ended.clone().unwrap_or_default())}</span>
                    " "
                    <button id="sign-in-again" class="primary" on:click=move |_| {
                        let _ = auth.sign_in(Some(&tenant));
                    }>"Sign in again"</button>
                    <span class="muted">" Unsent text is kept."</span>
                </section>
            }
        })
    }
}

/// Shown above the page while renewing a session fails for a reason that may pass (the
/// identity platform is down or throttling, the network is gone): the session has not ended,
/// Vigil keeps trying with back-off, and the banner goes once a renewal succeeds.
#[component]
pub fn RenewalDelayedNotice() -> impl IntoView {
    let auth = use_auth();
    move || {
        auth.delayed().map(|account| {
            view! {
                <section id="renewal-delayed" class="banner warn" role="status">
                    <strong>"Renewing your sign-in is delayed; Vigil keeps trying."</strong>
                    " "
                    <span class="muted">{format!("{}: {}", account.tenant_name, account.delayed.clone().unwrap_or_default())}</span>
                </section>
            }
        })
    }
}

/// "Sign in to see …" with a sign-in button (`#sign-in`), for pages that need data.
#[component]
pub fn SignInPanel(
    /// What the page shows, e.g. "incidents".
    #[prop(into)]
    what: String,
) -> impl IntoView {
    let auth = use_auth();
    let error = RwSignal::new(None::<String>);
    view! {
        <section id="sign-in-panel" class="card sign-in-panel">
            <h2>{format!("Sign in to see {what}")}</h2>
            <p class="muted">"Vigil reads your tenant's security data from Microsoft Graph with your own permissions. Nothing is stored on a server."</p>
            <button id="sign-in" class="primary" on:click=move |_| {
                if let Err(e) = auth.sign_in(None) { error.set(Some(e)) }
            }>"Sign in"</button>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
    }
}

/// Renders `children` when signed in, else the [`SignInPanel`] for `what`.
#[component]
pub fn SignedIn(#[prop(into)] what: String, children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    move || {
        if auth.is_signed_in() {
            Either::Left(children())
        } else {
            Either::Right(view! { <SignInPanel what=what.clone() /> })
        }
    }
}

/// A "Request access" button: incremental consent for `scope`, back to this page after.
#[component]
pub fn RequestAccess(#[prop(into)] scope: String) -> impl IntoView {
    let auth = use_auth();
    let attr = scope.clone();
    view! {
        <button class="link request-access" data-scope=attr on:click=move |_| {
            let _ = auth.request_scopes(&[scope.as_str()]);
        }>"Request access"</button>
    }
}

/// A failed Graph call in words (`Auth::explain`); a 403 for a permission the sign-in lacks
/// offers "Request access".
#[component]
pub fn GraphErrorNotice(error: GraphError) -> impl IntoView {
    let auth = use_auth();
    let text = auth.explain(&error);
    let missing = error
        .missing_scope
        .clone()
        .filter(|s| error.kind == ErrorKind::Forbidden && !auth.has(s));
    view! {
        <p class="error graph-error" role="alert">
            {text}
            {missing.map(|scope| view! { " " <RequestAccess scope /> })}
        </p>
    }
}

/// Wraps write controls that need `scope`: without it they are disabled (a disabled
/// `<fieldset>`), with the reason ("needs SecurityAlert.ReadWrite.All") and "Request access".
#[component]
pub fn RequiresScope(scope: &'static str, children: Children) -> impl IntoView {
    let auth = use_auth();
    let lacking = Memo::new(move |_| auth.lacks(scope));
    view! {
        <div class="requires-scope" data-scope=scope>
            <fieldset class="plain" disabled=move || lacking.get().is_some()>{children()}</fieldset>
            {move || lacking.get().map(|why| view! {
                <p class="needs-scope">
                    <span class="reason">{why}</span>
                    " "
                    {auth
                        .account()
                        .is_some_and(|a| a.ended.is_none())
                        .then(|| view! { <RequestAccess scope /> })}
                </p>
            })}
        </div>
    }
}

/// What the write features need, for the Settings page's "Access" section.
const CAPABILITIES: &[(&str, &str)] = &[
    ("Triage and comment on alerts", scopes::ALERT_WRITE),
    ("Triage and comment on incidents", scopes::INCIDENT_WRITE),
    ("Update secure score controls", scopes::EVENTS_WRITE),
    ("Submit threats", scopes::SUBMISSION_WRITE),
    ("Run advanced hunting queries", scopes::HUNTING_READ),
    ("Manage eDiscovery cases", scopes::EDISCOVERY_WRITE),
];

const COMMENT_DRAFT: &str = "settings.alert-comment";

/// The Settings page's sign-in section: who is signed in, what the token can and cannot do
/// (with "Request access" for each missing permission), a connection check and one real write.
#[component]
pub fn AccessSettings() -> impl IntoView {
    let auth = use_auth();
    view! {
        <section class="card" id="access">
            <h2>"Access"</h2>
            {move || match auth.account() {
                None => Either::Left(view! { <SignInPanel what="what your sign-in allows" /> }),
                Some(account) => Either::Right(view! {
                    <p>
                        "Signed in as " <strong id="access-user">{account.name.clone()}</strong>
                        " (" {account.username.clone()} ") to " {account.tenant_name.clone()} "."
                    </p>
                    <h3>"Permissions of the current sign-in"</h3>
                    <ul id="granted-scopes" class="scopes">
                        {account.scopes.iter().map(|s| view! { <li><code>{s.clone()}</code></li> }).collect_view()}
                    </ul>
                    <h3>"Write access"</h3>
                    <table id="write-access" class="grid">
                        <thead><tr><th>"Feature"</th><th>"Permission"</th><th>"Status"</th></tr></thead>
                        <tbody>
                            {CAPABILITIES.iter().map(|(label, scope)| {
                                let why = crate::auth::tokens::lacks(&account.scopes, scope);
                                view! {
                                    <tr data-scope=*scope>
                                        <td>{*label}</td>
                                        <td><code>{*scope}</code></td>
                                        <td>{match why {
                                            None => Either::Left(view! { <span class="ok">"Granted"</span> }),
                                            Some(why) => Either::Right(view! {
                                                <span class="reason">{why}</span> " " <RequestAccess scope=*scope />
                                            }),
                                        }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }),
            }}
            <ConnectionCheck />
            <AlertComment />
        </section>
    }
}

/// Calls Graph (`GET /me`) with the current token: proof the session works right now.
#[component]
fn ConnectionCheck() -> impl IntoView {
    let auth = use_auth();
    let result = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let check = move |_| {
        let Some(client) = auth.client() else { return };
        busy.set(true);
        spawn_local(async move {
            let r = client.get_me_display_name().await;
            result.set(Some(match r {
                Ok(name) => Ok(format!(
                    "Connected to Microsoft Graph as {}.",
                    name.as_deref().unwrap_or("(no name)")
                )),
                Err(e) => Err(auth.explain(&e)),
            }));
            busy.set(false);
        });
    };
    view! {
        <h3>"Connection check"</h3>
        <p>
            <button id="check-connection" disabled=move || busy.get() || !auth.is_signed_in() on:click=check>
                "Check connection"
            </button>
            " "
            {move || result.get().map(|r| match r {
                Ok(m) => Either::Left(view! { <span id="connection-result" class="ok">{m}</span> }),
                Err(m) => Either::Right(view! { <span id="connection-result" class="error">{m}</span> }),
            })}
        </p>
    }
}

/// A real write: comment on an alert by id. Needs SecurityAlert.ReadWrite.All; the unsent
/// comment is a draft, so it survives signing in again.
#[component]
fn AlertComment() -> impl IntoView {
    let auth = use_auth();
    let alert_id = RwSignal::new(drafts::load("settings.alert-id"));
    let comment = RwSignal::new(drafts::load(COMMENT_DRAFT));
    let invalid = RwSignal::new(None::<String>);
    let post = Submit::new();
    let write = move |id: AlertId, text: String| {
        let client = auth.client();
        async move {
            let client = client.ok_or_else(|| "Sign in to comment.".to_owned())?;
            let all = client
                .add_alert_comment(&id, &text)
                .await
                .map_err(|e| auth.explain(&e))?;
            drafts::clear(COMMENT_DRAFT);
            let _ = comment.try_set(String::new());
            Ok::<_, String>(format!(
                "Comment added; the alert has {} comments.",
                all.len()
            ))
        }
    };
    let busy = move || post.pending();
    let status = move || match invalid.get() {
        Some(e) => Some(Err(e)),
        None if busy() => None,
        None => post.outcome(),
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = alert_id.get_untracked().trim().to_owned();
        let text = comment.get_untracked();
        if id.is_empty() || text.trim().is_empty() {
            invalid.set(Some("Give an alert id and a comment.".into()));
            return;
        }
        invalid.set(None);
        post.start(write(AlertId::new(id), text));
    };
    view! {
        <h3>"Comment on an alert"</h3>
        <RequiresScope scope=scopes::ALERT_WRITE>
            <form id="alert-comment" class="stack" on:submit=send>
                <label>
                    "Alert id "
                    <input id="alert-comment-id" type="text" prop:value=move || alert_id.get()
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            drafts::save("settings.alert-id", &v);
                            alert_id.set(v);
                        } />
                </label>
                <label>
                    "Comment "
                    <textarea id="alert-comment-text" rows="3" prop:value=move || comment.get()
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            drafts::save(COMMENT_DRAFT, &v);
                            comment.set(v);
                        }></textarea>
                </label>
                <button id="alert-comment-send" type="submit" disabled=busy>"Post comment"</button>
            </form>
        </RequiresScope>
        {move || status().map(|r| match r {
            Ok(m) => Either::Left(view! { <p class="ok" role="status">{m}</p> }),
            Err(m) => Either::Right(view! { <p class="error" role="alert">{m}</p> }),
        })}
    }
}
