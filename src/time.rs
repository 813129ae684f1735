//! Formatting instants for people, in the time zone the user chose.
//!
//! The arithmetic is pure (tested natively); only the local offset comes from the browser.

use vigil_core::models::DateTime;

use crate::prefs::TimeZone;

/// `2026-11-21 14:05 UTC` or `2026-11-21 15:05` (local; the offset is in the tooltip).
pub fn format_instant(epoch_ms: f64, zone: TimeZone) -> String {
    let offset_minutes = match zone {
        TimeZone::Utc => 0,
        TimeZone::Local => local_offset_minutes(epoch_ms),
    };
    let (y, mo, d, h, mi) = civil(epoch_ms, offset_minutes);
    match zone {
        TimeZone::Utc => format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC"),
        TimeZone::Local => format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}"),
    }
}

/// The offset from UTC, e.g. `UTC+01:00`, for hover text.
pub fn offset_label(epoch_ms: f64, zone: TimeZone) -> String {
    let minutes = match zone {
        TimeZone::Utc => 0,
        TimeZone::Local => local_offset_minutes(epoch_ms),
    };
    let sign = if minutes < 0 { '-' } else { '+' };
    format!(
        "UTC{sign}{:02}:{:02}",
        minutes.abs() / 60,
        minutes.abs() % 60
    )
}

/// Minutes east of UTC at that instant (JavaScript's getTimezoneOffset is west, hence the minus).
fn local_offset_minutes(epoch_ms: f64) -> i64 {
    if cfg!(target_arch = "wasm32") {
        -(js_sys::Date::new(&epoch_ms.into()).get_timezone_offset() as i64)
    } else {
        0
    }
}

/// Calendar fields of an instant shifted by an offset, by the core's one calendar.
fn civil(epoch_ms: f64, offset_minutes: i64) -> (i64, u32, u32, u32, u32) {
    let minutes = (epoch_ms / 60_000.0).floor() as i64 + offset_minutes;
    let shifted = DateTime::from_unix(minutes * 60);
    let (y, m, d) = shifted.date();
    let minute_of_day = minutes.rem_euclid(24 * 60);
    (
        y,
        m,
        d,
        (minute_of_day / 60) as u32,
        (minute_of_day % 60) as u32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc() {
        // 2024-02-29T23:59:30Z, a leap day.
        assert_eq!(
            format_instant(1_709_251_170_000.0, TimeZone::Utc),
            "2024-02-29 23:59 UTC"
        );
        assert_eq!(format_instant(0.0, TimeZone::Utc), "1970-01-01 00:00 UTC");
    }

    #[test]
    fn negative_offsets_cross_midnight() {
        // 2025-01-01T00:30Z at UTC-05:00 is the evening before.
        assert_eq!(civil(1_735_691_400_000.0, -300), (2024, 12, 31, 19, 30));
    }

    #[test]
    fn utc_has_a_zero_offset_label() {
        assert_eq!(offset_label(0.0, TimeZone::Utc), "UTC+00:00");
    }
}
