//! Unsent text (comments, notes) kept in sessionStorage under `vigil.draft.<key>`, so it
//! survives the redirect to sign in again when a session ends.
//!
//! ```ignore
//! drafts::save("incident.42.comment", &text);   // on every input
//! let text = drafts::load("incident.42.comment"); // when the form is built
//! drafts::clear("incident.42.comment");           // once sent
//! ```

use super::storage::{KeyValue, SessionStore, remove_prefixed};

pub const DRAFT_PREFIX: &str = "vigil.draft.";

/// Saves `text` as the draft `key`; an empty text clears it.
pub fn save(key: &str, text: &str) {
    save_in(&SessionStore, key, text)
}

/// The draft `key`, or an empty string.
pub fn load(key: &str) -> String {
    load_in(&SessionStore, key)
}

pub fn clear(key: &str) {
    SessionStore.remove(&format!("{DRAFT_PREFIX}{key}"))
}

/// Forgets every draft (explicit sign-out: the next person at this browser must not see them).
pub fn clear_all() {
    remove_prefixed(&SessionStore, DRAFT_PREFIX)
}

pub(crate) fn save_in(kv: &dyn KeyValue, key: &str, text: &str) {
    let key = format!("{DRAFT_PREFIX}{key}");
    if text.is_empty() {
        kv.remove(&key)
    } else {
        kv.set(&key, text)
    }
}

pub(crate) fn load_in(kv: &dyn KeyValue, key: &str) -> String {
    kv.get(&format!("{DRAFT_PREFIX}{key}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::storage::MemoryStore;

    #[test]
    fn drafts_round_trip_and_empty_clears() {
        let kv = MemoryStore::default();
        save_in(&kv, "a", "hello");
        assert_eq!(load_in(&kv, "a"), "hello");
        assert_eq!(kv.keys(), vec!["vigil.draft.a".to_string()]);
        save_in(&kv, "a", "");
        assert_eq!(load_in(&kv, "a"), "");
        assert!(kv.keys().is_empty());
    }
}
