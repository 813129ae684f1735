//! Scores as text without float formatting: the bundle ships no float formatter, so a number
//! is rounded to whole tenths (an `i64`) and written with integer formatting.

/// `412.46` → `"412.5"`, `-0.04` → `"0.0"`, `3.0` → `"3.0"`: fixed one decimal, rounded half
/// away from zero. Not-a-number and infinities render as `"–"`.
pub fn tenths(x: f64) -> String {
    match to_tenths(x) {
        Some(t) => write(t, false),
        None => "–".to_owned(),
    }
}

/// Like [`tenths`] with an explicit sign for a change: `"+2.5"`, `"-1.0"`, `"0.0"`.
pub fn signed_tenths(x: f64) -> String {
    match to_tenths(x) {
        Some(t) => write(t, true),
        None => "–".to_owned(),
    }
}

/// `x` in whole tenths, or `None` when not finite or beyond `i64`.
fn to_tenths(x: f64) -> Option<i64> {
    let t = (x * 10.0).round();
    // 9.2e18 is just inside i64; beyond that the `as` cast would saturate silently.
    (t.is_finite() && t.abs() < 9.0e18).then_some(t as i64)
}

fn write(t: i64, plus: bool) -> String {
    let sign = if t < 0 {
        "-"
    } else if plus && t > 0 {
        "+"
    } else {
        ""
    };
    let a = t.unsigned_abs();
    format!("{sign}{}.{}", a / 10, a % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_tenths_with_integers() {
        assert_eq!(tenths(412.46), "412.5");
        assert_eq!(tenths(412.44), "412.4");
        assert_eq!(tenths(3.0), "3.0");
        assert_eq!(tenths(0.0), "0.0");
        assert_eq!(tenths(-0.04), "0.0");
        assert_eq!(tenths(-2.25), "-2.3");
        assert_eq!(tenths(0.05), "0.1");
        assert_eq!(tenths(f64::NAN), "–");
        assert_eq!(tenths(f64::INFINITY), "–");
        assert_eq!(signed_tenths(2.5), "+2.5");
        assert_eq!(signed_tenths(-1.0), "-1.0");
        assert_eq!(signed_tenths(0.01), "0.0");
    }
}
