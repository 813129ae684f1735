//! The authorization-code + PKCE flow with the `oauth2` crate: the authorize URL, the code
//! redemption and the refresh, all as a public client (no secret; `client_id` in the body).

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, Client, ClientId, CsrfToken, EndpointNotSet, EndpointSet,
    ExtraTokenFields, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken,
    RequestTokenError, Scope, StandardRevocableToken, StandardTokenResponse, TokenResponse,
    TokenUrl,
};
use serde::{Deserialize, Serialize};

use super::tokens::authorize_scopes;
use crate::config::RuntimeConfig;
use crate::transport::oauth_http;

/// The ID token rides along in the token response.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct IdTokenFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

impl ExtraTokenFields for IdTokenFields {}

type TokenResp = StandardTokenResponse<IdTokenFields, BasicTokenType>;

type SpaClient = Client<
    BasicErrorResponse,
    TokenResp,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

fn endpoint(config: &RuntimeConfig, tenant: &str, what: &str) -> String {
    format!(
        "{}/{}/oauth2/v2.0/{what}",
        config.authority.trim_end_matches('/'),
        crate::auth::encode_segment(tenant)
    )
}

fn client(config: &RuntimeConfig, tenant: &str) -> Result<SpaClient, String> {
    let auth = AuthUrl::new(endpoint(config, tenant, "authorize")).map_err(|e| e.to_string())?;
    let token = TokenUrl::new(endpoint(config, tenant, "token")).map_err(|e| e.to_string())?;
    let redirect = RedirectUrl::new(config.redirect_uri.clone()).map_err(|e| e.to_string())?;
    Ok(Client::new(ClientId::new(config.client_id.clone()))
        .set_auth_uri(auth)
        .set_token_uri(token)
        .set_redirect_uri(redirect))
}

/// A ready authorize redirect and the secrets to keep for the callback.
pub struct Authorize {
    pub url: String,
    pub state: String,
    pub verifier: String,
    pub nonce: String,
}

/// Builds the authorize URL: code + PKCE S256, a fresh state and nonce, the exact redirect URI.
pub fn authorize(
    config: &RuntimeConfig,
    tenant: &str,
    graph_scopes: &[String],
    login_hint: Option<&str>,
) -> Result<Authorize, String> {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let nonce = CsrfToken::new_random().secret().clone();
    let scopes = authorize_scopes(&config.authority, graph_scopes);
    let client = client(config, tenant)?;
    let mut req = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(scopes.into_iter().map(Scope::new))
        .set_pkce_challenge(challenge)
        .add_extra_param("response_mode", "query")
        .add_extra_param("nonce", nonce.clone());
    if let Some(hint) = login_hint {
        req = req.add_extra_param("login_hint", hint.to_owned());
    }
    let (url, state) = req.url();
    Ok(Authorize {
        url: url.to_string(),
        state: state.secret().clone(),
        verifier: verifier.secret().clone(),
        nonce,
    })
}

/// What a token endpoint answered.
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in_s: f64,
    /// The `scope` field, split; `None` when the server left it out.
    pub scopes: Option<Vec<String>>,
    pub id_token: Option<String>,
}

/// Why the token endpoint gave no tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenFailure {
    /// The identity platform said no (`invalid_grant`, `interaction_required`, …): the grant
    /// is dead and only an interactive sign-in helps.
    Refused { error: String, description: String },
    /// No answer (network, CORS, offline): worth retrying.
    Unreachable(String),
    /// An answer we could not read.
    Malformed(String),
}

impl std::fmt::Display for TokenFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenFailure::Refused { error, description } if description.is_empty() => {
                write!(f, "The identity platform refused ({error}).")
            }
            TokenFailure::Refused { error, description } => {
                write!(f, "The identity platform refused ({error}): {description}")
            }
            TokenFailure::Unreachable(why) => {
                write!(f, "The identity platform could not be reached: {why}")
            }
            TokenFailure::Malformed(why) => {
                write!(f, "The identity platform's answer could not be read: {why}")
            }
        }
    }
}

fn convert(
    r: Result<TokenResp, RequestTokenError<crate::transport::FetchError, BasicErrorResponse>>,
) -> Result<Tokens, TokenFailure> {
    match r {
        Ok(t) => Ok(Tokens {
            access_token: t.access_token().secret().clone(),
            refresh_token: t.refresh_token().map(|r| r.secret().clone()),
            expires_in_s: t.expires_in().map(|d| d.as_secs_f64()).unwrap_or(3600.0),
            scopes: t
                .scopes()
                .map(|s| s.iter().map(|x| x.as_str().to_owned()).collect()),
            id_token: t.extra_fields().id_token.clone(),
        }),
        Err(RequestTokenError::ServerResponse(e)) => Err(TokenFailure::Refused {
            error: e.error().to_string(),
            description: e.error_description().cloned().unwrap_or_default(),
        }),
        Err(RequestTokenError::Request(e)) => Err(TokenFailure::Unreachable(e.to_string())),
        Err(RequestTokenError::Parse(e, _)) => Err(TokenFailure::Malformed(e.to_string())),
        Err(RequestTokenError::Other(e)) => Err(TokenFailure::Malformed(e)),
    }
}

/// Redeems an authorization code with the PKCE verifier (a CORS POST, no client secret).
pub async fn redeem(
    config: &RuntimeConfig,
    tenant: &str,
    code: &str,
    verifier: &str,
) -> Result<Tokens, TokenFailure> {
    let client = client(config, tenant).map_err(TokenFailure::Malformed)?;
    let r = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
        .request_async(&oauth_http)
        .await;
    convert(r)
}

/// Renews with a refresh token; the answer carries a new refresh token (rotation).
pub async fn refresh(
    config: &RuntimeConfig,
    tenant: &str,
    refresh_token: &str,
) -> Result<Tokens, TokenFailure> {
    let client = client(config, tenant).map_err(TokenFailure::Malformed)?;
    let rt = RefreshToken::new(refresh_token.to_owned());
    let r = client
        .exchange_refresh_token(&rt)
        .request_async(&oauth_http)
        .await;
    convert(r)
}

#[cfg(test)]
mod tests {
    use oauth2::{PkceCodeChallenge, PkceCodeVerifier};

    /// RFC 7636 appendix B: the S256 challenge of the example verifier.
    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        let verifier = PkceCodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into());
        let challenge = PkceCodeChallenge::from_code_verifier_sha256(&verifier);
        assert_eq!(
            challenge.as_str(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(challenge.method().as_str(), "S256");
    }

    #[test]
    fn random_verifiers_are_long_and_unique() {
        let (c1, v1) = PkceCodeChallenge::new_random_sha256();
        let (_, v2) = PkceCodeChallenge::new_random_sha256();
        assert_ne!(v1.secret(), v2.secret());
        assert!((43..=128).contains(&v1.secret().len()));
        assert_eq!(
            c1.as_str(),
            PkceCodeChallenge::from_code_verifier_sha256(&v1).as_str()
        );
    }
}
