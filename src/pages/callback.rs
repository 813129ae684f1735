use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::auth::{CallbackFailure, use_auth};
use crate::router::{NavigateOptions, href, use_navigate};

/// Where the identity platform sends the browser back after sign-in: checks the state,
/// redeems the code with the PKCE verifier, checks the ID token's nonce, removes the code from
/// the address bar and goes to the page the user asked for.
#[component]
pub fn Callback() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let failure = RwSignal::new(None::<CallbackFailure>);
    let default_tenant = expect_context::<crate::config::RuntimeConfig>()
        .default_tenant()
        .id
        .clone();
    let window = window();
    let query = window.location().search().unwrap_or_default();
    // The code must not linger in the address bar or history, whatever happens next.
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&href(crate::auth::CALLBACK_PATH)),
        );
    }
    spawn_local(async move {
        // While the token is on its way, the queue's first rows' code runs once (and is compiled);
        // not at all if the token comes first.
        let signing_in = std::pin::pin!(auth.complete_sign_in(&query));
        let rehearsal = std::pin::pin!(async {
            crate::transport::yield_to_browser().await;
            crate::pages::alerts::rehearse();
        });
        let signed_in = match futures::future::select(signing_in, rehearsal).await {
            futures::future::Either::Left((signed_in, _)) => signed_in,
            futures::future::Either::Right(((), signing_in)) => signing_in.await,
        };
        match signed_in {
            Ok(route) => {
                // The page asked for is built in a task of its own, not on the end of this one.
                crate::transport::yield_to_browser().await;
                navigate(
                    &route,
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
            Err(f) if f.message == "Sign-in is already being completed." => {}
            Err(f) => failure.set(Some(f)),
        }
    });
    view! {
        <h1 id="callback-title">"Signing in"</h1>
        {move || match failure.get() {
            None => view! { <p class="muted" role="status">"Completing sign-in…"</p> }.into_any(),
            Some(f) => {
                let retry_tenant = f.retry_tenant.clone().unwrap_or_else(|| default_tenant.clone());
                let retry_route = f.retry_route.clone();
                view! {
                    <section id="sign-in-error" class="card error-card" role="alert">
                        <h2>"Sign-in did not complete"</h2>
                        <p id="sign-in-error-message">{f.message.clone()}</p>
                        {f.detail.clone().map(|d| view! { <p id="sign-in-error-detail" class="muted">{d}</p> })}
                        <button id="retry-sign-in" class="primary" on:click=move |_| {
                            let _ = auth.sign_in_to(&retry_tenant, &[], &retry_route);
                        }>"Try again"</button>
                        " "
                        <a href=href("/")>"Back to Vigil"</a>
                    </section>
                }
                .into_any()
            }
        }}
    }
}
