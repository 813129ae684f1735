//! The load's progress line: how many alerts have arrived, of how many, how fast and how long
//! the rest will take at that pace. Integers only (the bundle carries no float formatting).

use super::export::thousands;

/// Before this much time has passed the pace says little: no rate or time left yet.
const SETTLE_MS: u64 = 1_000;

/// "Loading 12,000 of 100,000… 4,000 a second, about 20 s left". `elapsed_ms`: since the load
/// started.
pub fn load_line(loaded: usize, total: Option<u64>, elapsed_ms: u64) -> String {
    let mut line = match total {
        Some(t) => format!("Loading {} of {}…", thousands(loaded as u64), thousands(t)),
        None => format!("Loading… {} so far", thousands(loaded as u64)),
    };
    if elapsed_ms < SETTLE_MS || loaded == 0 {
        return line;
    }
    let per_second = loaded as u64 * 1_000 / elapsed_ms;
    line.push_str(&format!(
        "{}{} a second",
        if total.is_some() { " " } else { ", " },
        thousands(per_second)
    ));
    if let Some(t) = total
        && per_second > 0
    {
        let left = t.saturating_sub(loaded as u64);
        // Rounded up: "about 0 s left" would be wrong while alerts are still coming.
        let secs = left.div_ceil(per_second);
        if left > 0 {
            line.push_str(&format!(", about {} left", duration(secs)));
        }
    }
    line
}

/// `45 s`, `3 min 20 s`, `1 h 5 min`.
fn duration(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs} s"),
        60..3_600 if secs.is_multiple_of(60) => format!("{} min", secs / 60),
        60..3_600 => format!("{} min {} s", secs / 60, secs % 60),
        _ => format!("{} h {} min", secs / 3_600, secs % 3_600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_pace_before_a_second_or_before_any_alert() {
        assert_eq!(load_line(500, Some(2_000), 900), "Loading 500 of 2,000…");
        assert_eq!(load_line(0, None, 5_000), "Loading… 0 so far");
    }

    #[test]
    fn rate_and_time_left_from_the_pace_so_far() {
        assert_eq!(
            load_line(12_000, Some(100_000), 3_000),
            "Loading 12,000 of 100,000… 4,000 a second, about 22 s left"
        );
        // 88,000 left at 4,000 a second is exactly 22 s; one more alert left needs a 23rd.
        assert_eq!(
            load_line(11_999, Some(100_000), 3_000),
            "Loading 11,999 of 100,000… 3,999 a second, about 23 s left"
        );
    }

    #[test]
    fn without_a_total_only_the_rate() {
        assert_eq!(
            load_line(6_000, None, 2_000),
            "Loading… 6,000 so far, 3,000 a second"
        );
    }

    #[test]
    fn nothing_left_says_no_time() {
        assert_eq!(
            load_line(2_000, Some(2_000), 2_000),
            "Loading 2,000 of 2,000… 1,000 a second"
        );
    }

    #[test]
    fn long_loads_in_minutes_and_hours() {
        assert_eq!(duration(59), "59 s");
        assert_eq!(duration(120), "2 min");
        assert_eq!(duration(200), "3 min 20 s");
        assert_eq!(duration(3_900), "1 h 5 min");
        // 1,000 left at 1 a second.
        assert_eq!(
            load_line(1_000, Some(2_000), 1_000_000),
            "Loading 1,000 of 2,000… 1 a second, about 16 min 40 s left"
        );
    }
}
