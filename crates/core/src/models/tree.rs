//! Wire structs read from a JSON tree instead of key by key from the text.
//!
//! The key-by-key decoder ([`super::wire`]) is the fastest way to read the alert and incident
//! queues (up to 100,000 items), but it is built once per struct: about 4 kB brotli for the two
//! Secure Score collections. The small collections (a score history of 90 days, a few dozen
//! control profiles) are read instead through `serde_json`'s tree, whose parser the bundle
//! already carries for `$batch` answers, and each field is one lookup (kept out of line).
//! Measured 2026-12-02 with the Secure Score page built: 2.8 kB brotli smaller
//! (docs/architecture.md, "Rules the bundle relies on").
//!
//! Reading is as tolerant as the key-by-key decoder: unknown keys are ignored, a missing key
//! or `null` keeps the default, an unparseable date is `None`. A value of the wrong JSON type
//! reads as missing too, where the key-by-key decoder would refuse the whole page.

use serde_json::{Map, Value};

use super::common::{DateTime, Identity, IdentitySet, VendorInformation};

/// A value read from its place in a JSON tree (`Value::Null` where the key is absent).
pub trait FromTree {
    fn from_tree(v: &Value) -> Self;
}

/// The value of `key` in `object`, `null` when absent.
#[inline(never)]
pub(crate) fn field<'a>(object: &'a Map<String, Value>, key: &str) -> &'a Value {
    object.get(key).unwrap_or(&Value::Null)
}

impl FromTree for String {
    #[inline(never)]
    fn from_tree(v: &Value) -> Self {
        v.as_str().unwrap_or_default().to_owned()
    }
}

impl FromTree for Option<String> {
    #[inline(never)]
    fn from_tree(v: &Value) -> Self {
        v.as_str().map(str::to_owned)
    }
}

impl FromTree for Option<f64> {
    #[inline(never)]
    fn from_tree(v: &Value) -> Self {
        v.as_f64()
    }
}

impl FromTree for Option<i64> {
    #[inline(never)]
    fn from_tree(v: &Value) -> Self {
        v.as_i64()
    }
}

impl FromTree for Option<bool> {
    #[inline(never)]
    fn from_tree(v: &Value) -> Self {
        v.as_bool()
    }
}

/// Tolerant, as `=> date` fields are: the "not set" sentinel and unparseable text are `None`.
impl FromTree for Option<DateTime> {
    #[inline(never)]
    fn from_tree(v: &Value) -> Self {
        v.as_str()
            .and_then(DateTime::parse)
            .filter(|d| !d.is_sentinel())
    }
}

/// `null` (or anything but an array) is an empty collection.
impl<T: FromTree> FromTree for Vec<T> {
    fn from_tree(v: &Value) -> Self {
        v.as_array()
            .map(|items| items.iter().map(T::from_tree).collect())
            .unwrap_or_default()
    }
}

/// Written by hand (it is also sent, in a control profile's PATCH), so read here by hand.
impl FromTree for Option<VendorInformation> {
    fn from_tree(v: &Value) -> Self {
        let m = v.as_object()?;
        Some(VendorInformation {
            provider: FromTree::from_tree(field(m, "provider")),
            provider_version: FromTree::from_tree(field(m, "providerVersion")),
            sub_provider: FromTree::from_tree(field(m, "subProvider")),
            vendor: FromTree::from_tree(field(m, "vendor")),
        })
    }
}

/// Derived for `Serialize` (it is also written), so read here by hand: only eDiscovery reads it.
impl FromTree for Option<Identity> {
    fn from_tree(v: &Value) -> Self {
        let m = v.as_object()?;
        Some(Identity {
            id: FromTree::from_tree(field(m, "id")),
            display_name: FromTree::from_tree(field(m, "displayName")),
            user_principal_name: FromTree::from_tree(field(m, "userPrincipalName")),
        })
    }
}

impl FromTree for Option<IdentitySet> {
    fn from_tree(v: &Value) -> Self {
        let m = v.as_object()?;
        Some(IdentitySet {
            user: FromTree::from_tree(field(m, "user")),
            application: FromTree::from_tree(field(m, "application")),
            device: FromTree::from_tree(field(m, "device")),
        })
    }
}

/// `FromTree` for a wire struct (an object; anything else reads as the default) and for an
/// optional one (`None` unless an object), and its `Deserialize` through the tree.
macro_rules! tree_struct {
    ($name:ident { $( $field:ident = $wire:literal ),* }) => {
        impl $crate::models::tree::FromTree for $name {
            fn from_tree(v: &serde_json::Value) -> Self {
                match v.as_object() {
                    Some(m) => $name {
                        $( $field: $crate::models::tree::FromTree::from_tree(
                            $crate::models::tree::field(m, $wire),
                        ), )*
                    },
                    None => Self::default(),
                }
            }
        }

        impl $crate::models::tree::FromTree for Option<$name> {
            fn from_tree(v: &serde_json::Value) -> Self {
                v.is_object()
                    .then(|| <$name as $crate::models::tree::FromTree>::from_tree(v))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                if !v.is_object() {
                    return Err(<D::Error as serde::de::Error>::custom(concat!(
                        "expected an object (",
                        stringify!($name),
                        ")"
                    )));
                }
                Ok(<$name as $crate::models::tree::FromTree>::from_tree(&v))
            }
        }
    };
}

pub(crate) use tree_struct;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::wire::wire_struct;

    wire_struct! {
        @tree
        Inner {
            name: Option<String> = "name",
        }

        @tree
        Outer {
            id: String = "id",
            score: Option<f64> = "score",
            rank: Option<i64> = "rank",
            done: Option<bool> = "done",
            when: Option<DateTime> = "when" => date,
            tags: Vec<String> = "tags" => list,
            inner: Option<Inner> = "inner",
            items: Vec<Inner> = "items" => list,
        }
    }

    fn read(json: &str) -> Outer {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn every_kind_of_field_is_read_from_its_key() {
        let o = read(
            r#"{"id":"a","score":1.5,"rank":3,"done":true,"when":"2026-01-02T03:04:05Z",
                "tags":["x","y"],"inner":{"name":"n"},"items":[{"name":"p"},{}],"extra":[1]}"#,
        );
        assert_eq!(o.id, "a");
        assert_eq!(o.score, Some(1.5));
        assert_eq!(o.rank, Some(3));
        assert_eq!(o.done, Some(true));
        assert_eq!(o.when, DateTime::parse("2026-01-02T03:04:05Z"));
        assert_eq!(o.tags, ["x", "y"]);
        assert_eq!(o.inner.unwrap().name.as_deref(), Some("n"));
        assert_eq!(o.items.len(), 2);
        assert_eq!(o.items[0].name.as_deref(), Some("p"));
        assert_eq!(o.items[1].name, None);
    }

    #[test]
    fn missing_null_and_wrongly_typed_values_read_as_missing() {
        let o = read(
            r#"{"score":null,"rank":"3","tags":null,"inner":"no","when":"someday","items":{}}"#,
        );
        assert_eq!(o, Outer::default());
        let sentinel = read(r#"{"when":"0001-01-01T00:00:00Z"}"#);
        assert_eq!(sentinel.when, None);
    }

    #[test]
    fn the_last_of_repeated_keys_wins_as_in_json_parse() {
        assert_eq!(read(r#"{"id":"first","id":"second"}"#).id, "second");
    }

    #[test]
    fn anything_but_an_object_is_refused_with_the_struct_named() {
        let e = serde_json::from_str::<Outer>("[1]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected an object (Outer)"), "{e}");
        assert!(serde_json::from_str::<Outer>(r#"{"id":"#).is_err());
    }
}
