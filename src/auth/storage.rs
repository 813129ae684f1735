//! A small key–value seam over sessionStorage, so the state and draft logic is tested natively.

use std::cell::RefCell;
use vigil_core::sorted::SortedMap;

pub trait KeyValue {
    fn get(&self, key: &str) -> Option<String>;
    /// Best effort: private modes and quotas may refuse a write.
    fn set(&self, key: &str, value: &str);
    fn remove(&self, key: &str);
    fn keys(&self) -> Vec<String>;
}

/// The tab's sessionStorage. Tokens and drafts never go to localStorage.
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionStore;

impl SessionStore {
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok().flatten()
    }
}

impl KeyValue for SessionStore {
    fn get(&self, key: &str) -> Option<String> {
        Self::storage()?.get_item(key).ok().flatten()
    }
    fn set(&self, key: &str, value: &str) {
        if let Some(s) = Self::storage() {
            let _ = s.set_item(key, value);
        }
    }
    fn remove(&self, key: &str) {
        if let Some(s) = Self::storage() {
            let _ = s.remove_item(key);
        }
    }
    fn keys(&self) -> Vec<String> {
        let Some(s) = Self::storage() else {
            return Vec::new();
        };
        let n = s.length().unwrap_or(0);
        (0..n).filter_map(|i| s.key(i).ok().flatten()).collect()
    }
}

/// An in-memory store (tests).
#[derive(Debug, Default)]
pub struct MemoryStore(RefCell<SortedMap<String, String>>);

impl KeyValue for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.0.borrow().get(key).cloned()
    }
    fn set(&self, key: &str, value: &str) {
        self.0.borrow_mut().insert(key.into(), value.into());
    }
    fn remove(&self, key: &str) {
        self.0.borrow_mut().remove(key);
    }
    fn keys(&self) -> Vec<String> {
        self.0.borrow().keys().cloned().collect()
    }
}

/// Removes every key starting with `prefix`.
pub fn remove_prefixed(kv: &dyn KeyValue, prefix: &str) {
    for key in kv.keys() {
        if key.starts_with(prefix) {
            kv.remove(&key);
        }
    }
}
