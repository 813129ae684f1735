//! What the page keeps in the browser (localStorage; nothing secret): the zones of the chart
//! and each tenant's planned actions.

use crate::components::chart::plot::Bands;
use crate::prefs::{read, write};

const ZONES_KEY: &str = "vigil.score.zones";
const PLANNED_PREFIX: &str = "vigil.score.planned.";

/// The portal has no zones of its own; these are a starting point the user changes.
pub const DEFAULT_ZONES: Bands = Bands {
    fair: 40.0,
    good: 70.0,
};

/// `"40,70"` -> the zones, in percent; anything else -> `None`.
pub fn parse_zones(text: &str) -> Option<Bands> {
    let (a, b) = text.split_once(',')?;
    let fair: u8 = a.trim().parse().ok()?;
    let good: u8 = b.trim().parse().ok()?;
    (fair <= good && good <= 100).then_some(Bands {
        fair: f64::from(fair),
        good: f64::from(good),
    })
}

pub fn zones_text(b: Bands) -> String {
    format!("{},{}", b.fair as u8, b.good as u8)
}

pub fn zones() -> Bands {
    read(ZONES_KEY)
        .and_then(|t| parse_zones(&t))
        .unwrap_or(DEFAULT_ZONES)
}

pub fn save_zones(b: Bands) {
    write(ZONES_KEY, &zones_text(b));
}

/// The control names planned for `tenant`, one per line.
pub fn planned(tenant: &str) -> Vec<String> {
    read(&format!("{PLANNED_PREFIX}{tenant}"))
        .map(|t| parse_planned(&t))
        .unwrap_or_default()
}

pub fn parse_planned(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.iter().any(|o| o == l) {
            out.push(l.to_owned());
        }
    }
    out
}

pub fn save_planned(tenant: &str, names: &[String]) {
    write(&format!("{PLANNED_PREFIX}{tenant}"), &names.join("\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_zones_and_plans_read_back() {
        assert_eq!(
            parse_zones("30, 80"),
            Some(Bands {
                fair: 30.0,
                good: 80.0
            })
        );
        assert_eq!(parse_zones("80,30"), None);
        assert_eq!(parse_zones("30,180"), None);
        assert_eq!(parse_zones("x"), None);
        assert_eq!(zones_text(DEFAULT_ZONES), "40,70");
        assert_eq!(parse_planned("a\n\n b \na\n"), vec!["a", "b"]);
    }
}
