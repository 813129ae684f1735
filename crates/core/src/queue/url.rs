//! Query-string reading and writing shared by the queue's view states.

use crate::models::{
    AlertClassification, AlertDetermination, AlertSeverity, AlertStatus, DetectionSource,
    IncidentStatus, ServiceSource,
};
use crate::odata::encode_query_value;

/// A Graph enum whose known members can be listed, parsed and ranked.
pub trait Member: Clone + PartialEq + Sized {
    fn known() -> &'static [&'static str];
    fn from_wire(s: &str) -> Self;
    fn wire(&self) -> &str;
    /// Position in the declaration order (`usize::MAX` for unrecognised values).
    fn rank(&self) -> usize {
        Self::known()
            .iter()
            .position(|k| *k == self.wire())
            .unwrap_or(usize::MAX)
    }
    /// The member named `s` (case-insensitive, aliases accepted), `None` if unknown.
    fn parse_known(s: &str) -> Option<Self> {
        let v = Self::from_wire(s.trim());
        (v.rank() != usize::MAX).then_some(v)
    }
}

macro_rules! member {
    ($($t:ty),*) => {$(
        impl Member for $t {
            fn known() -> &'static [&'static str] { <$t>::KNOWN }
            fn from_wire(s: &str) -> Self { <$t>::parse(s) }
            fn wire(&self) -> &str { self.as_str() }
        }
    )*};
}
member!(
    AlertStatus,
    AlertSeverity,
    ServiceSource,
    DetectionSource,
    AlertClassification,
    AlertDetermination,
    IncidentStatus
);

/// A set of enum members in declaration order; empty means "any".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Set<E>(Vec<E>);

impl<E: Member> Default for Set<E> {
    fn default() -> Self {
        Set(Vec::new())
    }
}

impl<E: Member> Set<E> {
    pub fn of(items: impl IntoIterator<Item = E>) -> Self {
        let mut v: Vec<E> = items
            .into_iter()
            .filter(|e| e.rank() != usize::MAX)
            .collect();
        crate::sort::by_key(&mut v, Member::rank);
        v.dedup();
        Set(v)
    }
    /// No restriction.
    pub fn any() -> Self {
        Set(Vec::new())
    }
    pub fn is_any(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, E> {
        self.0.iter()
    }
    pub fn as_slice(&self) -> &[E] {
        &self.0
    }
    /// Whether `v` passes (always, for "any"; `None` passes only "any").
    pub fn admits(&self, v: Option<&E>) -> bool {
        self.0.is_empty() || v.is_some_and(|v| self.0.contains(v))
    }
    pub fn contains(&self, v: &E) -> bool {
        self.0.contains(v)
    }
    /// A copy with `v` added or removed.
    pub fn toggled(&self, v: &E) -> Self {
        if self.contains(v) {
            Set(self.0.iter().filter(|x| *x != v).cloned().collect())
        } else {
            Set::of(self.0.iter().cloned().chain([v.clone()]))
        }
    }
    pub(crate) fn to_param(&self) -> String {
        self.0
            .iter()
            .map(Member::wire)
            .collect::<Vec<_>>()
            .join(",")
    }
    /// Reads `a,b,c`: an empty value is "any"; unknown members are dropped, and if nothing
    /// known is left the value is ignored (`None`, so the caller keeps its default).
    pub(crate) fn from_param(v: &str) -> Option<Self> {
        if v.trim().is_empty() {
            return Some(Set::any());
        }
        let s = Set::of(v.split(',').filter_map(E::parse_known));
        (!s.is_any()).then_some(s)
    }
}

/// Splits `a=1&b=2` (a leading `?` is allowed) into decoded pairs, as a browser reads a query
/// ([`crate::url::form_parse`]: `+` is a space; a malformed escape stays as it is).
pub fn parse_pairs(qs: &str) -> Vec<(String, String)> {
    crate::url::form_parse(qs.trim_start_matches('?'))
}

/// Writes pairs as `k=v&…`, values percent-encoded (no leading `?`).
pub fn write_pairs(pairs: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        // `,` separates list members and stays readable; member names never contain one, and
        // free-form values with a comma are single-valued keys.
        out.push_str(&encode_query_value(v));
    }
    out
}
