//! Wire structs read key by key: one small decoder per struct (a `match` on the key), no
//! sequence form, no duplicate-key bookkeeping. A JSON object's last value for a key wins, as in
//! `JSON.parse`; unknown keys are skipped; a missing key keeps the default. It replaces serde's
//! derive for Graph's read models because that derive also emits the array form of every struct
//! and per-field presence tracking, which the bundle pays for and Graph never sends (measured in
//! docs/architecture.md, "Bundle size").

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

/// An object key, borrowed from the input when it has no escapes (no allocation per key).
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
    pub(crate) fn into_string(self) -> String {
        match self {
            Key::Borrowed(s) => s.to_owned(),
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_str(V)
    }
}

/// A struct read key by key: `read_field` reads the value of `key` when it is one of the struct's
/// fields and says whether it did. The evidence decoder offers each key to the shared properties
/// and then to the subtype, so one pass over the object fills both.
pub(crate) trait ReadFields: Default {
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;
}

/// Where `key` is in `keys`, comparing lengths before bytes. A `match` on the key calls
/// `str::eq` once per field before it (the wasm build inlines nothing unhinted), about 8% of
/// decoding an alert page in a V8 profile; this way a 1,000-alert page decodes 3 to 4% faster
/// in Node (137 against 142 MB/s, wasm as the app builds it) and the bundle is 0.1 kB smaller
/// (2026-12-04).
pub(crate) fn field_index(keys: &[&str], key: &str) -> Option<usize> {
    let mut i = 0;
    while i < keys.len() {
        if keys[i].len() == key.len() && keys[i].as_bytes() == key.as_bytes() {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Decodes any [`ReadFields`] struct from a JSON object; unknown keys are skipped.
pub(crate) struct FieldsVisitor<T>(pub(crate) PhantomData<T>);

impl<'de, T: ReadFields> Visitor<'de> for FieldsVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if !out.read_field(key.as_str(), &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

/// How one field's value is read: plainly (`Option<T>`: `null` is `None`), `=> date` (tolerant
/// date: `null`, the "not set" sentinel and unparseable text are `None`) or `=> list` (`null`
/// is an empty collection).
macro_rules! read_value {
    ($map:ident) => {
        $map.next_value()?
    };
    ($map:ident, date) => {
        $map.next_value::<$crate::models::common::TolerantDate>()?.0
    };
    ($map:ident, list) => {
        $map.next_value::<$crate::models::common::NullableVec<_>>()?
            .0
    };
}

/// Declares wire structs with public fields, each with its JSON key and how it is read, and
/// their tolerant decoding: unknown keys are ignored and a missing key keeps the default.
/// A struct marked `@tree` is read through a JSON tree ([`super::tree`]); the others key by key.
macro_rules! wire_struct {
    ($(
        $(#[$meta:meta])*
        $(@$tree:ident)?
        $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $wire:literal $(=> $how:ident)? ),* $(,)?
        }
    )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        $crate::models::wire::wire_decoding! {
            $($tree)? $name { $( $field = $wire $(=> $how)? ),* }
        }
    )*};
}

/// The decoding of one [`wire_struct!`]: key by key, or (`tree`) through a JSON tree.
macro_rules! wire_decoding {
    (tree $name:ident { $( $field:ident = $wire:literal $(=> $how:ident)? ),* }) => {
        $crate::models::tree::tree_struct! { $name { $( $field = $wire ),* } }
    };
    ($name:ident { $( $field:ident = $wire:literal $(=> $how:ident)? ),* }) => {
        impl $crate::models::wire::ReadFields for $name {
            fn read_field<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                let Some(i) = $crate::models::wire::field_index(&[$($wire),*], key) else {
                    return Ok(false);
                };
                let mut at = 0;
                $(
                    if i == at {
                        self.$field = $crate::models::wire::read_value!(map $(, $how)?);
                        return Ok(true);
                    }
                    at += 1;
                )*
                let _ = at;
                Ok(false)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_map($crate::models::wire::FieldsVisitor(std::marker::PhantomData))
            }
        }
    };
}

pub(crate) use {read_value, wire_decoding, wire_struct};
