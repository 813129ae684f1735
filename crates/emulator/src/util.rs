//! Small helpers shared by every module: UTC timestamps, a seeded random generator, ids.

use std::time::{SystemTime, UNIX_EPOCH};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A timestamp in epoch milliseconds as a UTC date-time, or `None` outside `time`'s range.
fn utc(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).ok()
}

/// Formats like Graph does: seven fraction digits and a `Z` (`2026-11-21T14:05:00.1230000Z`).
/// The calendar is `time`'s; the digits are written straight into a fixed buffer because the
/// demo tenant formats millions of timestamps at start.
pub fn fmt_ms(ms: i64) -> String {
    let Some(t) = utc(ms).filter(|t| (0..=9999).contains(&t.year())) else {
        return "0001-01-01T00:00:00.0000000Z".to_string();
    };
    let mut b = *b"0000-00-00T00:00:00.0000000Z";
    let mut put = |at: usize, width: usize, mut v: u32| {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, t.year() as u32);
    put(5, 2, u8::from(t.month()) as u32);
    put(8, 2, t.day() as u32);
    put(11, 2, t.hour() as u32);
    put(14, 2, t.minute() as u32);
    put(17, 2, t.second() as u32);
    put(20, 3, t.millisecond() as u32);
    String::from_utf8_lossy(&b).into_owned()
}

/// The calendar day of a timestamp, `yyyy-MM-dd`.
pub fn fmt_day(ms: i64) -> String {
    utc(ms)
        .and_then(|t| t.date().format(DAY_FMT).ok())
        .unwrap_or_else(|| "0001-01-01".to_string())
}

const DAY_FMT: &[BorrowedFormatItem<'_>] = format_description!("[year]-[month]-[day]");
/// A date and a time of day; seconds and their fraction (any number of digits) are optional.
const LOCAL_FMT: &[BorrowedFormatItem<'_>] = format_description!(
    version = 2,
    "[year]-[month]-[day]T[hour]:[minute][optional [:[second][optional [.[subsecond]]]]]"
);
const OFFSET_FMT: &[BorrowedFormatItem<'_>] =
    format_description!("[offset_hour sign:mandatory]:[offset_minute]");

/// Parses an ISO 8601 / RFC 3339 timestamp (or a bare date) into epoch milliseconds: `Z` or a
/// `±hh:mm` offset, optional seconds, any number of fraction digits (kept to milliseconds), and
/// `t`/`z` in either case.
pub fn parse_dt(s: &str) -> Option<i64> {
    if s.len() == 10 {
        let d = Date::parse(s, DAY_FMT).ok()?;
        return Some(d.midnight().assume_utc().unix_timestamp() * 1000);
    }
    let s = s.to_ascii_uppercase();
    let (local, offset) = if let Some(local) = s.strip_suffix('Z') {
        (local, UtcOffset::UTC)
    } else {
        let at = s.len().checked_sub(6)?;
        let (local, off) = (s.get(..at)?, s.get(at..)?);
        (local, UtcOffset::parse(off, OFFSET_FMT).ok()?)
    };
    let t = PrimitiveDateTime::parse(local, LOCAL_FMT)
        .ok()?
        .assume_offset(offset);
    Some(t.unix_timestamp_nanos().div_euclid(1_000_000) as i64)
}

/// SplitMix64: tiny, fast and deterministic, which is all the demo data needs.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A float in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo).max(1) as u64) as i64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    pub fn hex(&mut self, len: usize) -> String {
        const H: &[u8; 16] = b"0123456789abcdef";
        (0..len)
            .map(|_| H[self.below(16) as usize] as char)
            .collect()
    }
    pub fn guid(&mut self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-4{}-8{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    }
}

/// A random seed that differs per process (used for signing keys and opaque handles).
pub fn process_random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_i64(now_ms());
    h.write_u32(std::process::id());
    h.finish()
}

/// Percent-decodes a URL component (`+` stays a plus: only query strings use it for spaces).
pub fn percent_decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Everything but RFC 3986's unreserved characters is escaped.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a query-string value.
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// Splits a raw query string into decoded pairs (`+` means a space here).
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        let ms = 1_795_000_123_456;
        assert_eq!(parse_dt(&fmt_ms(ms)), Some(ms));
        assert_eq!(
            parse_dt("2021-04-27T12:19:27.7211305Z"),
            parse_dt("2021-04-27T12:19:27.721Z")
        );
        assert_eq!(
            parse_dt("2021-04-27T14:19:27+02:00"),
            parse_dt("2021-04-27T12:19:27Z")
        );
        assert_eq!(parse_dt("2021-13-01"), None);
        assert_eq!(
            fmt_day(parse_dt("2024-02-29T23:00:00Z").unwrap_or(0)),
            "2024-02-29"
        );
        assert_eq!(fmt_ms(0), "1970-01-01T00:00:00.0000000Z");
        assert_eq!(fmt_ms(-1), "1969-12-31T23:59:59.9990000Z");
        assert_eq!(fmt_ms(1_795_000_123_456), "2026-11-18T11:08:43.4560000Z");
        assert_eq!(parse_dt("1970-01-02"), Some(86_400_000));
        assert_eq!(parse_dt("1970-01-01t00:01z"), Some(60_000));
        assert_eq!(parse_dt("1970-01-01T00:00:01.5Z"), Some(1_500));
        assert_eq!(parse_dt("1970-01-01T00:00:00.9999999-00:01"), Some(60_999));
        assert_eq!(parse_dt("1969-12-31T23:59:59.999Z"), Some(-1));
        for bad in [
            "",
            "2021-04-27T",
            "2021-04-27T12:19",
            "2021-04-27T12:19:27.Z",
            "2021-04-27 12:19:27Z",
            "2021-02-30",
            "2021-04-27T24:00Z",
            "2021-04-27T12:19+0200",
        ] {
            assert_eq!(parse_dt(bad), None, "{bad}");
        }
    }

    #[test]
    fn query_strings() {
        assert_eq!(
            parse_query("a=1+2&b=%41%zz&&c"),
            vec![
                ("a".into(), "1 2".into()),
                ("b".into(), "A%zz".into()),
                ("c".into(), String::new())
            ]
        );
        assert_eq!(percent_decode("a+b%20c%27"), "a+b c'");
        assert_eq!(encode_component("a b/é~-_."), "a%20b%2F%C3%A9~-_.");
    }
}
