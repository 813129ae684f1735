//! Points per category (Identity, Data, Device, Apps, Infrastructure) for a day and over a
//! window.
//!
//! A control's category is its profile's `controlCategory`, else the `controlCategory` of its
//! `controlScores` row. Achieved points are the snapshot's control scores. Attainable points
//! are the profiles' `maxScore` of the controls in that snapshot (the snapshot carries no
//! per-control maximum, and profiles carry no history, so past days use today's maxima); a
//! control with no profile maximum is counted in [`CategoryPoints::unknown_max`] instead.

use crate::sorted::SortedMap;

use crate::models::{DateTime, SecureScore, SecureScoreControlProfile};
use crate::score::days::{ByDay, Window};
use crate::score::{category_label, category_rank, control_scores, profiles_by_id};

/// One category's points on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryPoints {
    /// See [`crate::score::category_label`].
    pub category: String,
    pub achieved: f64,
    pub attainable: f64,
    /// Controls of the category in the snapshot.
    pub controls: usize,
    /// Of them, those whose maximum is unknown (no profile, or a profile without `maxScore`).
    pub unknown_max: usize,
}

impl CategoryPoints {
    /// Achieved as a percent of attainable; `None` when nothing is attainable.
    pub fn percent(&self) -> Option<f64> {
        crate::score::percent(Some(self.achieved), Some(self.attainable))
    }
}

fn breakdown(
    s: &SecureScore,
    profiles: &SortedMap<&str, &SecureScoreControlProfile>,
) -> SortedMap<String, CategoryPoints> {
    let mut out: SortedMap<String, CategoryPoints> = SortedMap::new();
    for (name, c) in control_scores(s) {
        let p = profiles.get(name);
        let label = category_label(
            p.and_then(|p| p.control_category.as_deref())
                .or(c.control_category.as_deref()),
        );
        let e = out.get_or_insert_with(label.to_owned(), || CategoryPoints {
            category: label.to_owned(),
            achieved: 0.0,
            attainable: 0.0,
            controls: 0,
            unknown_max: 0,
        });
        e.controls += 1;
        e.achieved += c.score.unwrap_or(0.0);
        match p.and_then(|p| p.max_score) {
            Some(m) => e.attainable += m,
            None => e.unknown_max += 1,
        }
    }
    out
}

fn ordered(mut v: Vec<CategoryPoints>) -> Vec<CategoryPoints> {
    crate::sort::by(&mut v, |a, b| {
        category_rank(&a.category)
            .cmp(&category_rank(&b.category))
            .then_with(|| a.category.cmp(&b.category))
    });
    v
}

/// The categories of one snapshot, documented ones first in their order.
pub fn categories(
    snapshot: &SecureScore,
    profiles: &[SecureScoreControlProfile],
) -> Vec<CategoryPoints> {
    ordered(
        breakdown(snapshot, &profiles_by_id(profiles))
            .into_values()
            .collect(),
    )
}

/// One category over the window: `None` on a day without a snapshot; 0 on a day whose
/// snapshot has no control of the category.
#[derive(Debug, Clone, PartialEq)]
pub struct CategorySeries {
    pub category: String,
    pub achieved: Vec<Option<f64>>,
    pub attainable: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryTrend {
    /// Midnight UTC of each day, oldest first.
    pub days: Vec<DateTime>,
    /// Every category seen in the window, documented ones first.
    pub categories: Vec<CategorySeries>,
}

/// The category breakdown per day over the `len` days ending with the day of `now`.
pub fn category_trend(
    snapshots: &[SecureScore],
    profiles: &[SecureScoreControlProfile],
    now: DateTime,
    len: usize,
) -> CategoryTrend {
    let by_day = ByDay::new(snapshots);
    let profiles = profiles_by_id(profiles);
    let w = Window::ending(now, len);
    let per_day: Vec<Option<SortedMap<String, CategoryPoints>>> = w
        .days()
        .map(|d| by_day.on(d).map(|s| breakdown(s, &profiles)))
        .collect();
    let mut seen: SortedMap<&str, CategoryPoints> = SortedMap::new();
    for day in per_day.iter().flatten() {
        for (k, v) in day {
            seen.get_or_insert_with(k.as_str(), || v.clone());
        }
    }
    let categories = ordered(seen.into_values().collect())
        .into_iter()
        .map(|c| {
            let at = |f: fn(&CategoryPoints) -> f64| -> Vec<Option<f64>> {
                per_day
                    .iter()
                    .map(|d| d.as_ref().map(|m| m.get(&c.category).map(f).unwrap_or(0.0)))
                    .collect()
            };
            CategorySeries {
                achieved: at(|p| p.achieved),
                attainable: at(|p| p.attainable),
                category: c.category,
            }
        })
        .collect();
    CategoryTrend {
        days: w.starts(),
        categories,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testdata::*;

    fn profiles() -> Vec<SecureScoreControlProfile> {
        let mut no_max = profile("NoMax", "No maximum", "data", 0.0);
        no_max.max_score = None;
        vec![
            profile("MFA", "Require MFA", "Identity", 10.0),
            // The profile's category wins over the score row's.
            profile("DLP", "Turn on DLP", "Data", 8.0),
            profile("Disk", "Encrypt disks", "Device", 5.0),
            profile("Unlicensed", "Not scored", "Apps", 7.0),
            no_max,
        ]
    }

    #[test]
    fn score_categories_for_a_day() {
        let s = snap_sum(
            1,
            100.0,
            &[
                ("MFA", "Identity", 4.0),
                ("DLP", "Apps", 8.0),
                ("Disk", "Device", 0.0),
                ("Orphan", "Infrastructure", 2.0),
                ("NoMax", "Data", 1.0),
                ("Weird", "", 1.0),
            ],
        );
        let c = categories(&s, &profiles());
        let labels: Vec<&str> = c.iter().map(|c| c.category.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Identity",
                "Data",
                "Device",
                "Infrastructure",
                "Uncategorized"
            ]
        );
        assert!(close(c[0].achieved, 4.0) && close(c[0].attainable, 10.0));
        assert_eq!(c[0].percent(), Some(40.0));
        // DLP (profile says Data) and NoMax (lowercase "data" normalised).
        assert!(close(c[1].achieved, 9.0) && close(c[1].attainable, 8.0));
        assert_eq!((c[1].controls, c[1].unknown_max), (2, 1));
        assert!(close(c[2].achieved, 0.0) && close(c[2].attainable, 5.0));
        // No profile: achieved counts, maximum unknown.
        assert!(close(c[3].achieved, 2.0) && close(c[3].attainable, 0.0));
        assert_eq!(c[3].unknown_max, 1);
        assert_eq!(c[3].percent(), None);
        // An unlicensed profile (no score) adds nothing attainable.
        assert!(c.iter().all(|c| c.category != "Apps"));
        let total: f64 = c.iter().map(|c| c.achieved).sum();
        assert!(close(total, s.current_score.unwrap()));
    }

    #[test]
    fn score_category_trend_with_gaps_and_a_control_added_mid_window() {
        let snaps = vec![
            snap_sum(
                3,
                100.0,
                &[("MFA", "Identity", 6.0), ("Disk", "Device", 5.0)],
            ),
            snap_sum(1, 100.0, &[("MFA", "Identity", 4.0)]),
        ];
        let t = category_trend(&snaps, &profiles(), at(4, 0), 4);
        assert_eq!(t.days.len(), 4);
        let labels: Vec<&str> = t.categories.iter().map(|c| c.category.as_str()).collect();
        assert_eq!(labels, ["Identity", "Device"]);
        assert_eq!(
            t.categories[0].achieved,
            vec![Some(4.0), None, Some(6.0), None]
        );
        assert_eq!(
            t.categories[0].attainable,
            vec![Some(10.0), None, Some(10.0), None]
        );
        // Disk appears on day 3: zero before (a snapshot without it), gap on missing days.
        assert_eq!(
            t.categories[1].achieved,
            vec![Some(0.0), None, Some(5.0), None]
        );
        assert_eq!(
            t.categories[1].attainable,
            vec![Some(0.0), None, Some(5.0), None]
        );
    }

    #[test]
    fn score_category_trend_with_a_control_deprecated_mid_window() {
        // Disk (Device) is deprecated on day 3: it leaves the snapshots, and with it its
        // points and its maximum; Device then has no control at all (0, not a gap).
        let mut disk = profile("Disk", "Encrypt disks", "Device", 5.0);
        disk.deprecated = Some(true);
        let profiles = vec![profile("MFA", "Require MFA", "Identity", 10.0), disk];
        let snaps = vec![
            snap_sum(
                1,
                15.0,
                &[("MFA", "Identity", 4.0), ("Disk", "Device", 3.0)],
            ),
            snap_sum(
                2,
                15.0,
                &[("MFA", "Identity", 4.0), ("Disk", "Device", 3.0)],
            ),
            snap_sum(3, 10.0, &[("MFA", "Identity", 5.0)]),
        ];
        let t = category_trend(&snaps, &profiles, at(3, 0), 3);
        let device = t
            .categories
            .iter()
            .find(|c| c.category == "Device")
            .unwrap();
        assert_eq!(device.achieved, vec![Some(3.0), Some(3.0), Some(0.0)]);
        assert_eq!(device.attainable, vec![Some(5.0), Some(5.0), Some(0.0)]);
        let identity = t
            .categories
            .iter()
            .find(|c| c.category == "Identity")
            .unwrap();
        assert_eq!(identity.achieved, vec![Some(4.0), Some(4.0), Some(5.0)]);
        // Each day's categories add up to that day's score.
        for (d, snap) in snaps.iter().enumerate() {
            let sum: f64 = t.categories.iter().filter_map(|c| c.achieved[d]).sum();
            assert!(close(sum, snap.current_score.unwrap()));
        }
        // The latest day's breakdown leaves the deprecated control out entirely.
        let today = categories(&snaps[2], &profiles);
        assert_eq!(today.len(), 1);
        assert_eq!(today[0].category, "Identity");
    }
}
