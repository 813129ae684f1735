//! The Secure Score page's figures, computed from loaded snapshots (`/security/secureScores`,
//! one per day) and control profiles (`/security/secureScoreControlProfiles`).
//!
//! One concern per file:
//! - [`days`]: snapshots bucketed per UTC day (duplicates resolved, missing days kept as gaps).
//! - [`trend`]: score, percent and comparative series over a window; several tenants compared.
//! - [`change`]: what changed on a day, control by control, and the window's biggest movers.
//! - [`category`]: achieved and attainable points per category, for a day and over a window.
//! - [`actions`]: the improvement actions table (profiles joined with the latest scores) and
//!   its sort, filter and grouping helpers.
//! - [`projection`]: current, planned and achievable score by the product's rules.
//! - [`format`]: scores as fixed one-decimal text without float formatting.
//!
//! Everything is pure: the page loads the data and passes `now`. No float is ever formatted
//! here (the bundle ships no float formatter); [`format::tenths`] renders numbers with integers.

pub mod actions;
pub mod category;
pub mod change;
pub mod days;
pub mod format;
pub mod projection;
pub mod trend;

#[cfg(test)]
mod testdata;

pub use actions::{ActionFilter, ActionGroup, ActionRow, ActionSort, Group, actions};
pub use category::{CategoryPoints, CategorySeries, CategoryTrend, categories, category_trend};
pub use change::{ControlDelta, DayChange, day_change, movers};
pub use days::{ByDay, Window};
pub use format::{signed_tenths, tenths};
pub use projection::{Projection, project};
pub use trend::{Series, TenantComparison, Trend, compare_tenants, trend};

/// A window of whole UTC days ending with the day of `now`.
pub const WINDOWS: [usize; 3] = [7, 30, 90];

/// The five documented categories, in the portal's order. Others seen in data follow them.
pub const CATEGORIES: [&str; 5] = ["Identity", "Data", "Device", "Apps", "Infrastructure"];

/// The group label of a control with no category anywhere.
pub const UNCATEGORIZED: &str = "Uncategorized";

/// `100 * points / max`, or `None` when `max` is missing or not positive.
pub fn percent(points: Option<f64>, max: Option<f64>) -> Option<f64> {
    match (points, max) {
        (Some(p), Some(m)) if m > 0.0 => Some(100.0 * p / m),
        _ => None,
    }
}

/// A category as shown: the documented spelling when it is one of [`CATEGORIES`] in any case,
/// the text as sent otherwise, [`UNCATEGORIZED`] when missing or blank.
pub fn category_label(c: Option<&str>) -> &str {
    match c.map(str::trim).filter(|c| !c.is_empty()) {
        None => UNCATEGORIZED,
        Some(c) => CATEGORIES
            .iter()
            .find(|k| k.eq_ignore_ascii_case(c))
            .copied()
            .unwrap_or(c),
    }
}

/// Sort key of a category label: the documented ones first in [`CATEGORIES`] order.
pub(crate) fn category_rank(label: &str) -> usize {
    CATEGORIES
        .iter()
        .position(|k| *k == label)
        .unwrap_or(CATEGORIES.len())
}

/// Control profiles by id (the id is the control name, as in `controlScores[].controlName`).
pub(crate) fn profiles_by_id(
    profiles: &[crate::models::SecureScoreControlProfile],
) -> crate::sorted::SortedMap<&str, &crate::models::SecureScoreControlProfile> {
    profiles.iter().map(|p| (p.id.as_str(), p)).collect()
}

/// A snapshot's control scores by control name (a repeated name: the later row wins; a row
/// with no name is skipped). A control without a `score` counts as 0 points.
pub(crate) fn control_scores(
    s: &crate::models::SecureScore,
) -> crate::sorted::SortedMap<&str, &crate::models::ControlScore> {
    s.control_scores
        .iter()
        .filter_map(|c| Some((c.control_name.as_deref()?, c)))
        .collect()
}
