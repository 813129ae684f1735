//! Shapes shared by every resource family: the OData page envelope, identity sets, dates, and
//! the tolerant decoding helpers (null collections, "not set" dates, open enums).

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;
use std::num::NonZeroU32;

use super::wire::{Key, wire_struct};

/// Declares a Graph enum that never fails to decode.
///
/// Graph adds members over time (`unknownFutureValue` and the opt-in members after it), and doc
/// samples mix camelCase and PascalCase, so parsing is case-insensitive, accepts the documented
/// alternative spellings, and keeps anything else in `Unrecognized(String)` instead of erroring.
/// Serialising writes the canonical wire spelling (the first one listed).
macro_rules! graph_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $var:ident = $wire:literal $(| $alias:literal)* ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $var, )*
            /// A value this build does not know; kept verbatim so nothing is lost.
            Unrecognized(String),
        }

        impl $name {
            /// Every known variant's wire spelling, in declaration order.
            pub const KNOWN: &'static [&'static str] = &[$($wire),*];

            /// Every spelling accepted for each known variant (the wire one first), in
            /// declaration order; the lookup table shared by `parse` and decoding.
            const SPELLINGS: &'static [&'static [&'static str]] = &[$(&[$wire $(, $alias)*]),*];

            /// The known variants in declaration order (index = position in `SPELLINGS`).
            const VARIANTS: &'static [Self] = &[$(Self::$var),*];

            /// The wire spelling (the unknown string itself for `Unrecognized`).
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$var => $wire, )*
                    Self::Unrecognized(s) => s.as_str(),
                }
            }

            /// Parses case-insensitively, accepting documented alternative spellings.
            pub fn parse(s: &str) -> Self {
                match $crate::models::common::enum_lookup(Self::SPELLINGS, s) {
                    Some(i) => Self::VARIANTS[i].clone(),
                    None => Self::Unrecognized(s.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::parse(s))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(match $crate::models::common::de_enum(d, Self::SPELLINGS)? {
                    Ok(i) => Self::VARIANTS[i].clone(),
                    Err(unknown) => Self::Unrecognized(unknown),
                })
            }
        }

        /// Read from a JSON tree ([`crate::models::tree`]) as from the text: by `parse`.
        impl $crate::models::tree::FromTree for Option<$name> {
            fn from_tree(v: &serde_json::Value) -> Self {
                v.as_str().map($name::parse)
            }
        }

        impl $crate::odata::FilterLiteral for $name {
            fn write_literal(&self, out: &mut String) {
                $crate::odata::write_string_literal(self.as_str(), out);
            }
        }
    };
}
pub(crate) use graph_enum;

/// An opaque Graph id as its own type, so that one kind of id can never be passed where
/// another is expected: `id_newtype!(/// docs\n AlertId);`.
macro_rules! id_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, Default)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl $crate::models::tree::FromTree for $name {
            fn from_tree(v: &serde_json::Value) -> Self {
                $name(<String as $crate::models::tree::FromTree>::from_tree(v))
            }
        }
    };
}
pub(crate) use id_newtype;

/// Index of the variant whose spellings include `s` (ASCII case-insensitively). Not generic,
/// so every `graph_enum!` type shares it.
#[doc(hidden)]
pub fn enum_lookup(table: &[&[&str]], s: &str) -> Option<usize> {
    table
        .iter()
        .position(|spellings| spellings.iter().any(|w| w.eq_ignore_ascii_case(s)))
}

/// Decodes a `graph_enum!` value: the index of the known variant, or else the text to keep in
/// `Unrecognized`. Generic over the deserializer only, so every
/// enum type shares one instantiation per reader. Numbers (seen as `"holdStatus": 0`) and
/// booleans are kept as their text rather than rejected.
#[doc(hidden)]
pub fn de_enum<'de, D: Deserializer<'de>>(
    d: D,
    table: &[&[&str]],
) -> Result<Result<usize, String>, D::Error> {
    struct V<'t>(&'t [&'t [&'t str]]);
    impl V<'_> {
        fn of(&self, s: &str) -> Result<usize, String> {
            enum_lookup(self.0, s).ok_or_else(|| s.to_owned())
        }
    }
    impl Visitor<'_> for V<'_> {
        type Value = Result<usize, String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an enum string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(self.of(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(self.of(&v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(self.of(&v.to_string()))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(self.of(if v { "true" } else { "false" }))
        }
    }
    d.deserialize_any(V(table))
}

/// A UTC instant with up to 100 ns precision (Graph sends 0–7 fraction digits).
///
/// A small own type instead of `time`/`chrono`: Vigil only parses, compares and formats UTC
/// instants, and this keeps the wasm bundle small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    secs: i64,
    /// The sub-second nanoseconds plus one: never zero, so an `Option<DateTime>` takes no more
    /// room than a `DateTime` (16 bytes instead of 24; a queue row holds three).
    nanos_1: NonZeroU32,
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

impl DateTime {
    fn at(secs: i64, nanos: u32) -> Self {
        DateTime {
            secs,
            nanos_1: NonZeroU32::MIN.saturating_add(nanos),
        }
    }

    /// The instant `secs` seconds after the Unix epoch.
    pub fn from_unix(secs: i64) -> Self {
        DateTime::at(secs, 0)
    }

    /// The instant `ms` milliseconds after the Unix epoch (what `Date.now()` gives in the browser).
    pub fn from_unix_millis(ms: i64) -> Self {
        DateTime::at(
            ms.div_euclid(1000),
            (ms.rem_euclid(1000) as u32) * 1_000_000,
        )
    }

    /// A UTC calendar instant; `None` if any field is out of range.
    pub fn from_ymd_hms(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<Self> {
        if !(1..=12).contains(&mo)
            || d == 0
            || d > days_in_month(y, mo)
            || h > 23
            || mi > 59
            || s > 60
        {
            return None;
        }
        let secs = days_from_civil(y, mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + s);
        Some(DateTime::at(secs, 0))
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(&self) -> i64 {
        self.secs
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(&self) -> i64 {
        self.secs * 1000 + i64::from(self.nanos() / 1_000_000)
    }

    /// Sub-second part in nanoseconds.
    pub fn nanos(&self) -> u32 {
        self.nanos_1.get() - 1
    }

    /// `(year, month, day)` in UTC.
    pub fn date(&self) -> (i64, u32, u32) {
        civil_from_days(self.secs.div_euclid(86_400))
    }

    /// Whether this is Graph's "not set" sentinel `0001-01-01T00:00:00Z`.
    pub fn is_sentinel(&self) -> bool {
        self.date().0 <= 1
    }

    /// Parses RFC 3339 / ISO 8601 as Graph writes it: `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`.
    /// A missing offset is read as UTC (seen in `innerError.date`). Returns `None` instead of
    /// panicking on anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.trim().as_bytes();
        // Every field is at most four digits, so the fold cannot overflow.
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = b.get(r)?;
            if part.is_empty() {
                return None;
            }
            part.iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        if b.len() < 19
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let y = num(0..4)? as i64;
        let base = Self::from_ymd_hms(
            y,
            num(5..7)?,
            num(8..10)?,
            num(11..13)?,
            num(14..16)?,
            num(17..19)?,
        )?;
        let mut i = 19;
        let mut nanos = 0u32;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                if i - start < 9 {
                    nanos = nanos * 10 + u32::from(b[i] - b'0');
                }
                i += 1;
            }
            let digits = i - start;
            if digits == 0 {
                return None;
            }
            for _ in digits..9 {
                nanos *= 10;
            }
        }
        let offset_secs: i64 = match b.get(i) {
            None => 0,
            Some(b'Z' | b'z') if i + 1 == b.len() => 0,
            Some(c @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
                let h = num(i + 1..i + 3)? as i64;
                let m = num(i + 4..i + 6)? as i64;
                if h > 23 || m > 59 {
                    return None;
                }
                let o = h * 3600 + m * 60;
                if *c == b'+' { o } else { -o }
            }
            _ => return None,
        };
        Some(DateTime::at(base.secs - offset_secs, nanos))
    }

    /// Formats as `2024-01-01T00:00:00Z`, adding a fraction (trailing zeros trimmed) only when
    /// there is one; this is also the unquoted `$filter` literal form.
    pub fn to_rfc3339(&self) -> String {
        let (y, mo, d) = self.date();
        let sod = self.secs.rem_euclid(86_400);
        let mut s = format!(
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}",
            sod / 3600,
            sod / 60 % 60,
            sod % 60
        );
        if self.nanos() > 0 {
            let frac = format!("{:09}", self.nanos());
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
        }
        s.push('Z');
        s
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl crate::odata::FilterLiteral for DateTime {
    fn write_literal(&self, out: &mut String) {
        out.push_str(&self.to_rfc3339());
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for DateTime {
    /// Strict: a present value must parse. Model fields use [`de_opt_datetime`] instead, which is
    /// tolerant.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        DateTime::parse(&s).ok_or_else(|| de::Error::custom(format!("invalid date-time {s:?}")))
    }
}

/// Reads an optional date tolerantly: `null`, a missing key, the `0001-01-01T00:00:00Z`
/// "not set" sentinel and unparseable text (doc placeholders such as `"String (timestamp)"`)
/// all become `None`, because a bad timestamp must not hide the rest of an alert.
pub fn de_opt_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<DateTime>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a date-time string or null")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(DateTime::parse(v).filter(|d| !d.is_sentinel()))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }
    }
    d.deserialize_option(V)
}

/// Reads a collection where Graph may send `null`: `null` becomes empty.
pub fn de_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array or null")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Vec<T>, D2::Error> {
            d.deserialize_seq(self)
        }
        fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Vec<T>, S::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element()? {
                out.push(item);
            }
            Ok(out)
        }
    }
    d.deserialize_option(V(PhantomData))
}

/// A nullable collection as a type of its own, for hand-written decoders ([`de_vec`]).
pub(crate) struct NullableVec<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for NullableVec<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de_vec(d).map(NullableVec)
    }
}

/// A tolerant optional date as a type of its own, for hand-written decoders
/// ([`de_opt_datetime`]).
pub(crate) struct TolerantDate(pub Option<DateTime>);

impl<'de> Deserialize<'de> for TolerantDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de_opt_datetime(d).map(TolerantDate)
    }
}

/// The envelope of every Graph collection response. Read key by key like every read model
/// ([`super::wire`]): its derive would be instantiated once per item type.
#[derive(Debug, Clone, PartialEq)]
pub struct ODataPage<T> {
    pub context: Option<String>,
    /// Total matching items; present only with `$count=true`, often only on the first page.
    pub count: Option<u64>,
    /// Absolute URL of the next page, to be requested verbatim.
    pub next_link: Option<String>,
    pub value: Vec<T>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ODataPage<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = ODataPage<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a collection response")
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ODataPage<T>, A::Error> {
                let mut page = ODataPage {
                    context: None,
                    count: None,
                    next_link: None,
                    value: Vec::new(),
                };
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match key.as_str() {
                        "@odata.context" => page.context = map.next_value()?,
                        "@odata.count" => page.count = map.next_value()?,
                        "@odata.nextLink" => page.next_link = map.next_value()?,
                        "value" => page.value = map.next_value::<NullableVec<T>>()?.0,
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(page)
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// One actor inside an [`IdentitySet`].
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Identity {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_principal_name: Option<String>,
}

/// Who did something: any of user, application or device may be present or null.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IdentitySet {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<Identity>,
}

impl IdentitySet {
    /// The best human label: user display name, then UPN, then application name, then an id.
    pub fn label(&self) -> Option<&str> {
        fn nonempty(s: &Option<String>) -> Option<&str> {
            s.as_deref().filter(|s| !s.is_empty())
        }
        let u = self.user.as_ref();
        let a = self.application.as_ref();
        u.and_then(|u| nonempty(&u.display_name).or(nonempty(&u.user_principal_name)))
            .or_else(|| a.and_then(|a| nonempty(&a.display_name)))
            .or_else(|| u.and_then(|u| nonempty(&u.id)))
            .or_else(|| a.and_then(|a| nonempty(&a.id)))
    }
}

/// Legacy `securityVendorInformation`; secure score PATCHes must carry it.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VendorInformation {
    pub provider: Option<String>,
    pub provider_version: Option<String>,
    pub sub_provider: Option<String>,
    pub vendor: Option<String>,
}

wire_struct! {
    /// `resultInfo`: error detail of a failed case operation.
    @tree
    ResultInfo {
        code: Option<i64> = "code",
        message: Option<String> = "message",
        subcode: Option<i64> = "subcode",
    }
}

/// The last segment of an `@odata.type` value (`#microsoft.graph.security.fileEvidence` →
/// `fileEvidence`), so both the `#microsoft.graph.security.` and the shorter
/// `microsoft.graph.` forms seen in doc samples dispatch the same way.
pub fn odata_type_name(t: &str) -> &str {
    t.rsplit('.').next().unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absent_date_costs_nothing_more() {
        assert_eq!(
            std::mem::size_of::<Option<DateTime>>(),
            std::mem::size_of::<DateTime>()
        );
        let d = DateTime::from_unix_millis(1_700_000_000_999);
        assert_eq!((d.unix_seconds(), d.nanos()), (1_700_000_000, 999_000_000));
        assert!(DateTime::from_unix(5) < d && d < DateTime::from_unix(1_700_000_001));
    }

    #[test]
    fn parses_graph_dates() {
        let d = DateTime::parse("2021-04-27T12:19:27.7211305Z").unwrap();
        assert_eq!(d.date(), (2021, 4, 27));
        assert_eq!(d.nanos(), 721_130_500);
        assert_eq!(d.to_rfc3339(), "2021-04-27T12:19:27.7211305Z");
        assert_eq!(
            DateTime::parse("2024-01-01T00:00:00Z")
                .unwrap()
                .to_rfc3339(),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(
            DateTime::parse("2024-01-01T02:00:00+02:00"),
            DateTime::parse("2024-01-01T00:00:00Z")
        );
        assert_eq!(
            DateTime::parse("2025-02-13T10:17:05")
                .unwrap()
                .unix_seconds(),
            1_739_441_825
        );
        assert!(
            DateTime::parse("0001-01-01T00:00:00Z")
                .unwrap()
                .is_sentinel()
        );
        for bad in [
            "",
            "datetime-value",
            "2024-13-01T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00Zx",
        ] {
            assert_eq!(DateTime::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn unix_round_trip() {
        for secs in [-86_400 * 400, -1, 0, 1, 951_782_400, 4_102_444_800] {
            let d = DateTime::from_unix(secs);
            assert_eq!(DateTime::parse(&d.to_rfc3339()), Some(d));
        }
    }

    #[test]
    fn tolerant_optional_dates() {
        #[derive(Deserialize)]
        struct T {
            #[serde(default, deserialize_with = "de_opt_datetime")]
            a: Option<DateTime>,
        }
        let p = |s: &str| serde_json::from_str::<T>(s).unwrap().a;
        assert_eq!(p(r#"{"a":"0001-01-01T00:00:00Z"}"#), None);
        assert_eq!(p(r#"{"a":null}"#), None);
        assert_eq!(p(r#"{}"#), None);
        assert_eq!(p(r#"{"a":"String (timestamp)"}"#), None);
        assert!(p(r#"{"a":"2022-05-23T01:09:36.834501Z"}"#).is_some());
    }

    #[test]
    fn identity_label() {
        let s: IdentitySet =
            serde_json::from_str(r#"{"application":null,"user":{"id":"c25","displayName":null}}"#)
                .unwrap();
        assert_eq!(s.label(), Some("c25"));
    }
}
