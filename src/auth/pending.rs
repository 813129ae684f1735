//! The sign-in in flight: kept in sessionStorage under its `state` so it survives the redirect
//! to the identity platform, and taken out exactly once when the browser comes back.

use serde::Serialize;
use serde_json::Value;
use vigil_core::models::tree::FromTree;

use super::storage::KeyValue;

/// Prefix of pending sign-ins in sessionStorage (`vigil.auth.pending.<state>`).
pub const PENDING_PREFIX: &str = "vigil.auth.pending.";

/// A pending sign-in older than this is refused (the identity platform's codes live ~10 min).
pub const PENDING_MAX_AGE_MS: f64 = 15.0 * 60.0 * 1000.0;

/// Everything the callback needs to finish the sign-in it started.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PendingSignIn {
    /// The PKCE secret; its S256 challenge went to the authorize endpoint.
    pub verifier: String,
    /// Must come back inside the ID token.
    pub nonce: String,
    pub tenant: String,
    /// The bare Graph scopes asked (without the OpenID ones).
    pub scopes: Vec<String>,
    /// A route already checked by `safe_return_route`.
    pub return_to: String,
    /// Wall-clock milliseconds when the sign-in started.
    pub created_ms: f64,
}

impl PendingSignIn {
    /// As [`put`] stored it (`None` for anything else), read through the JSON tree with the
    /// core's [`FromTree`] readers: no derived decoder for it in the bundle.
    fn read(text: &str) -> Option<PendingSignIn> {
        let v: Value = serde_json::from_str(text).ok()?;
        let text = |key: &str| Option::<String>::from_tree(&v[key]);
        Some(PendingSignIn {
            verifier: text("verifier")?,
            nonce: text("nonce")?,
            tenant: text("tenant")?,
            scopes: FromTree::from_tree(&v["scopes"]),
            return_to: text("return_to")?,
            created_ms: Option::<f64>::from_tree(&v["created_ms"])?,
        })
    }
}

/// Why a callback's `state` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateError {
    /// The response carried no `state` at all.
    Missing,
    /// No sign-in was started here with this state: tampered with, or already used (replayed).
    Unknown,
    /// It was started here but too long ago.
    Expired,
}

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StateError::Missing => {
                "The sign-in response has no state, so Vigil cannot tell that it answers a sign-in started here. Nothing was signed in."
            }
            StateError::Unknown => {
                "This sign-in response does not match a sign-in started in this tab: its state is unknown, was altered, or was already used. Nothing was signed in."
            }
            StateError::Expired => {
                "This sign-in took too long and has expired. Nothing was signed in."
            }
        })
    }
}

/// Stores a pending sign-in under `state`, dropping stale ones left by abandoned attempts.
pub fn put(kv: &dyn KeyValue, state: &str, pending: &PendingSignIn) {
    for key in kv.keys() {
        if let Some(old) = key.strip_prefix(PENDING_PREFIX) {
            let stale = kv
                .get(&key)
                .and_then(|v| PendingSignIn::read(&v))
                .is_none_or(|p| pending.created_ms - p.created_ms > PENDING_MAX_AGE_MS);
            if stale && old != state {
                kv.remove(&key);
            }
        }
    }
    if let Ok(json) = serde_json::to_string(pending) {
        kv.set(&format!("{PENDING_PREFIX}{state}"), &json);
    }
}

/// Takes the pending sign-in for `state` out of storage: a state can be used once only.
pub fn take(
    kv: &dyn KeyValue,
    state: Option<&str>,
    now_ms: f64,
) -> Result<PendingSignIn, StateError> {
    let state = state.filter(|s| !s.is_empty()).ok_or(StateError::Missing)?;
    let key = format!("{PENDING_PREFIX}{state}");
    let value = kv.get(&key).ok_or(StateError::Unknown)?;
    kv.remove(&key);
    let pending = PendingSignIn::read(&value).ok_or(StateError::Unknown)?;
    if now_ms - pending.created_ms > PENDING_MAX_AGE_MS {
        return Err(StateError::Expired);
    }
    Ok(pending)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::storage::MemoryStore;

    fn pending(at: f64) -> PendingSignIn {
        PendingSignIn {
            verifier: "v".repeat(43),
            nonce: "n".into(),
            tenant: "t1".into(),
            scopes: vec!["SecurityAlert.Read.All".into()],
            return_to: "/incidents?x=1".into(),
            created_ms: at,
        }
    }

    #[test]
    fn a_state_is_used_once() {
        let kv = MemoryStore::default();
        put(&kv, "abc", &pending(1000.0));
        assert_eq!(take(&kv, Some("abc"), 2000.0), Ok(pending(1000.0)));
        assert_eq!(
            take(&kv, Some("abc"), 2000.0),
            Err(StateError::Unknown),
            "replay"
        );
        assert!(kv.keys().is_empty());
    }

    #[test]
    fn unknown_tampered_and_missing_states_are_refused() {
        let kv = MemoryStore::default();
        put(&kv, "abc", &pending(1000.0));
        assert_eq!(take(&kv, Some("abd"), 2000.0), Err(StateError::Unknown));
        assert_eq!(take(&kv, None, 2000.0), Err(StateError::Missing));
        assert_eq!(take(&kv, Some(""), 2000.0), Err(StateError::Missing));
        // The genuine one is still there for the genuine response.
        assert!(take(&kv, Some("abc"), 2000.0).is_ok());
    }

    #[test]
    fn old_sign_ins_expire_and_are_pruned() {
        let kv = MemoryStore::default();
        put(&kv, "old", &pending(0.0));
        assert_eq!(
            take(&kv, Some("old"), PENDING_MAX_AGE_MS + 1.0),
            Err(StateError::Expired)
        );
        put(&kv, "old2", &pending(0.0));
        put(&kv, "new", &pending(PENDING_MAX_AGE_MS + 10.0));
        assert_eq!(kv.keys(), vec![format!("{PENDING_PREFIX}new")]);
    }

    #[test]
    fn garbage_under_a_state_key_is_refused() {
        let kv = MemoryStore::default();
        kv.set(&format!("{PENDING_PREFIX}x"), "not json");
        assert_eq!(take(&kv, Some("x"), 0.0), Err(StateError::Unknown));
    }
}
