//! The score history chart: points, percent of each day's maximum, and the comparative
//! averages, one value per UTC day of the window. A day without a snapshot is a gap (`None`),
//! and so is a missing or negative comparative (the service sends `-1` when it has none): a gap
//! is never drawn as zero.

use crate::models::{DateTime, SecureScore};
use crate::score::days::{ByDay, Window};
use crate::score::percent;

/// The documented comparison bases (`averageComparativeScore.basis`), in the portal's order;
/// others seen in the data follow them, in the order first met.
pub const BASES: [&str; 3] = ["AllTenants", "TotalSeats", "IndustryTypes"];

/// A basis as a person reads it; the text as sent for one this build does not know.
pub fn basis_label(basis: &str) -> &str {
    match basis {
        b if b.eq_ignore_ascii_case("AllTenants") => "All tenants",
        b if b.eq_ignore_ascii_case("TotalSeats") => "Organizations of a similar size",
        b if b.eq_ignore_ascii_case("IndustryTypes") => "Organizations in the same industry",
        b => b,
    }
}

/// One line of a chart: a value per day of the window (same length as its days), `None` = gap.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// What the line is: `"score"`, `"percent"`, `"max"`, a basis (`"AllTenants"`) or a tenant.
    pub label: String,
    pub points: Vec<Option<f64>>,
}

impl Series {
    fn gaps(label: &str, len: usize) -> Self {
        Series {
            label: label.to_owned(),
            points: vec![None; len],
        }
    }

    /// The last value that is not a gap.
    pub fn last(&self) -> Option<f64> {
        self.points.iter().rev().find_map(|p| *p)
    }
}

/// The history over a window.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// Midnight UTC of each day, oldest first; every series has one point per day.
    pub days: Vec<DateTime>,
    /// `currentScore` in points.
    pub score: Series,
    /// `maxScore` in points (it moves as controls are added and deprecated).
    pub max: Series,
    /// `currentScore` as a percent of that day's `maxScore`.
    pub percent: Series,
    /// One series per comparison basis, `averageScore` as the service sends it (the docs do not
    /// state its unit), labelled with the basis (see [`basis_label`]).
    pub comparatives: Vec<Series>,
}

/// The history over the `len` days ending with the day of `now` (see [`crate::score::WINDOWS`]).
/// Snapshots may come in any order, with duplicates and missing days.
pub fn trend(snapshots: &[SecureScore], now: DateTime, len: usize) -> Trend {
    let by_day = ByDay::new(snapshots);
    let w = Window::ending(now, len);
    let n = w.len();
    let mut score = Series::gaps("score", n);
    let mut max = Series::gaps("max", n);
    let mut pct = Series::gaps("percent", n);
    let mut comparatives: Vec<Series> = BASES.iter().map(|b| Series::gaps(b, n)).collect();
    for (i, d) in w.days().enumerate() {
        let Some(s) = by_day.on(d) else { continue };
        score.points[i] = s.current_score;
        max.points[i] = s.max_score;
        pct.points[i] = percent(s.current_score, s.max_score);
        for c in &s.average_comparative_scores {
            let Some(basis) = c.basis.as_deref().map(str::trim).filter(|b| !b.is_empty()) else {
                continue;
            };
            let at = match comparatives
                .iter()
                .position(|x| x.label.eq_ignore_ascii_case(basis))
            {
                Some(at) => at,
                None => {
                    comparatives.push(Series::gaps(basis, n));
                    comparatives.len() - 1
                }
            };
            comparatives[at].points[i] = c.average_score.filter(|v| *v >= 0.0);
        }
    }
    Trend {
        days: w.starts(),
        score,
        max,
        percent: pct,
        comparatives,
    }
}

/// Several tenants' percent per day, side by side (an MSSP watching its customers).
#[derive(Debug, Clone, PartialEq)]
pub struct TenantComparison {
    pub days: Vec<DateTime>,
    /// One series per tenant, in the order given, labelled with the given label.
    pub tenants: Vec<Series>,
}

impl TenantComparison {
    /// Positions of the tenants by their latest percent, highest first; tenants with no data
    /// last.
    pub fn ranking(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.tenants.len()).collect();
        crate::sort::by(&mut order, |a, b| {
            match (self.tenants[*a].last(), self.tenants[*b].last()) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        });
        order
    }
}

/// Each tenant's percent of its own maximum per day over the window; `(label, snapshots)`.
pub fn compare_tenants(
    tenants: &[(&str, &[SecureScore])],
    now: DateTime,
    len: usize,
) -> TenantComparison {
    let w = Window::ending(now, len);
    let series = tenants
        .iter()
        .map(|(label, snaps)| {
            let by_day = ByDay::new(snaps);
            Series {
                label: (*label).to_owned(),
                points: w
                    .days()
                    .map(|d| {
                        by_day
                            .on(d)
                            .and_then(|s| percent(s.current_score, s.max_score))
                    })
                    .collect(),
            }
        })
        .collect();
    TenantComparison {
        days: w.starts(),
        tenants: series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testdata::*;

    #[test]
    fn score_trend_gaps_duplicates_and_comparatives() {
        let mut d1 = snap(1, 40.0, 200.0, &[]);
        comparatives(
            &mut d1,
            &[
                ("AllTenants", Some(37.0)),
                ("TotalSeats", Some(-1.0)),
                ("IndustryTypes", None),
            ],
        );
        let mut d3_old = snap(3, 10.0, 200.0, &[]);
        d3_old.created_date_time = Some(at(3, 1));
        let mut d3 = snap(3, 50.0, 250.0, &[]);
        comparatives(
            &mut d3,
            &[("TotalSeats", Some(46.0)), ("NewBasis", Some(2.0))],
        );
        // Unordered, a duplicate for day 3, day 2 missing, day 0 outside the window.
        let list = vec![d3, snap(0, 1.0, 1.0, &[]), d1, d3_old];
        let t = trend(&list, at(4, 12), 4);
        assert_eq!(t.days.len(), 4);
        assert_eq!(t.score.points, vec![Some(40.0), None, Some(50.0), None]);
        assert_eq!(t.max.points, vec![Some(200.0), None, Some(250.0), None]);
        assert_eq!(t.percent.points, vec![Some(20.0), None, Some(20.0), None]);
        let labels: Vec<&str> = t.comparatives.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            ["AllTenants", "TotalSeats", "IndustryTypes", "NewBasis"]
        );
        assert_eq!(t.comparatives[0].points, vec![Some(37.0), None, None, None]);
        // -1 and missing are gaps, never zero.
        assert_eq!(t.comparatives[1].points, vec![None, None, Some(46.0), None]);
        assert_eq!(t.comparatives[2].points, vec![None; 4]);
        assert_eq!(t.comparatives[3].points, vec![None, None, Some(2.0), None]);
        assert_eq!(t.score.last(), Some(50.0));
        assert_eq!(basis_label("totalSeats"), "Organizations of a similar size");
    }

    #[test]
    fn score_trend_zero_max_is_a_gap_in_percent() {
        let t = trend(&[snap(2, 0.0, 0.0, &[])], at(2, 0), 1);
        assert_eq!(t.score.points, vec![Some(0.0)]);
        assert_eq!(t.percent.points, vec![None]);
    }

    #[test]
    fn score_tenants_compared_by_percent() {
        let a = vec![snap(1, 50.0, 100.0, &[]), snap(2, 60.0, 100.0, &[])];
        let b = vec![snap(2, 90.0, 100.0, &[])];
        let c: Vec<SecureScore> = Vec::new();
        let cmp = compare_tenants(&[("A", &a), ("B", &b), ("C", &c)], at(2, 5), 2);
        assert_eq!(cmp.tenants[0].points, vec![Some(50.0), Some(60.0)]);
        assert_eq!(cmp.tenants[1].points, vec![None, Some(90.0)]);
        assert_eq!(cmp.tenants[2].points, vec![None, None]);
        assert_eq!(cmp.ranking(), vec![1, 0, 2]);
    }
}
