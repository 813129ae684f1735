use leptos::prelude::*;

use crate::config::ConfigError;

/// Shown instead of the app when `/config.json` is missing or unusable: what is wrong and
/// what a deployment needs, never a panic.
#[component]
pub fn Setup(error: ConfigError) -> impl IntoView {
    view! {
        <main class="setup" id="setup">
            <h1>"Vigil needs to be configured"</h1>
            <p class="error" role="alert">{error.to_string()}</p>
            <p>"Deploy a " <code>"config.json"</code> " beside " <code>"index.html"</code> " with these fields:"</p>
            <pre>
                {r#"{
  "authority": "https://login.microsoftonline.com",
  "tenants": [{ "id": "<tenant id>", "name": "Contoso" }],
  "clientId": "<SPA app registration client id>",
  "redirectUri": "https://<your host>/auth/callback",
  "graphBaseUrl": "https://graph.microsoft.com",
  "scopes": ["SecurityAlert.Read.All", "SecurityIncident.Read.All"]
}"#}
            </pre>
            <p>"The README explains how to register the app in Microsoft Entra ID."</p>
        </main>
    }
}
