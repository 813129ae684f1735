//! "Why did the score drop on Tuesday?": a day's change from the previous snapshot, control by
//! control, and the window's biggest movers.
//!
//! Attribution compares each control's `score` in the two snapshots' `controlScores`:
//! gained/lost when present in both, added when present only today (a new control, which
//! also raises `maxScore`), removed when present only before (deprecated when its profile says
//! so, else removed, e.g. a product no longer licensed). When the data is consistent (each
//! snapshot's `currentScore` is the sum of its controls) the control deltas add up to the
//! `currentScore` delta; [`DayChange::unattributed`] shows any rest instead of hiding it.

use crate::sorted::{SortedMap, SortedSet};

use crate::models::{DateTime, SecureScore, SecureScoreControlProfile};
use crate::score::days::{ByDay, Window, day_number, day_start};
use crate::score::{category_label, control_scores, profiles_by_id};

/// Below this a change is rounding noise, not a move.
const EPSILON: f64 = 1e-9;

/// One control's change.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlDelta {
    /// The control name (profile id).
    pub name: String,
    /// The profile's title; `None` when there is no profile (show the name, never a made-up
    /// title).
    pub title: Option<String>,
    pub category: String,
    /// Points before and after; `None` = the control was not in that snapshot.
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// `after - before`, an absent side counting as 0.
    pub delta: f64,
    /// The profile's `maxScore` (what an added control adds to the maximum).
    pub max: Option<f64>,
    /// The profile is marked deprecated.
    pub deprecated: bool,
}

/// What changed on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct DayChange {
    /// Midnight UTC of the day.
    pub day: DateTime,
    /// Midnight UTC of the snapshot compared with (earlier than yesterday when days are missing).
    pub previous_day: DateTime,
    /// `currentScore` today minus before; `None` when either is missing.
    pub delta: Option<f64>,
    /// `maxScore` today minus before; `None` when either is missing.
    pub max_delta: Option<f64>,
    /// Present in both, score went up / down; largest change first.
    pub gained: Vec<ControlDelta>,
    pub lost: Vec<ControlDelta>,
    /// Present today only (new controls); largest first.
    pub added: Vec<ControlDelta>,
    /// Present before only (deprecated or removed); largest first.
    pub removed: Vec<ControlDelta>,
    /// The sum of every control's delta.
    pub attributed: f64,
}

impl DayChange {
    /// The part of [`DayChange::delta`] the controls do not explain (0 when consistent).
    pub fn unattributed(&self) -> Option<f64> {
        self.delta.map(|d| d - self.attributed)
    }

    /// Every control that moved, largest first.
    pub fn all(&self) -> Vec<&ControlDelta> {
        let mut v: Vec<&ControlDelta> = self
            .gained
            .iter()
            .chain(&self.lost)
            .chain(&self.added)
            .chain(&self.removed)
            .collect();
        crate::sort::by(&mut v, |a, b| by_size(a, b));
        v
    }
}

fn by_size(a: &ControlDelta, b: &ControlDelta) -> std::cmp::Ordering {
    b.delta
        .abs()
        .total_cmp(&a.delta.abs())
        .then_with(|| a.name.cmp(&b.name))
}

fn sub(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? - b?)
}

/// Per-control deltas between two snapshots (`None` = no snapshot on that side).
fn deltas(
    before: Option<&SecureScore>,
    after: Option<&SecureScore>,
    profiles: &SortedMap<&str, &SecureScoreControlProfile>,
) -> Vec<ControlDelta> {
    let b = before.map(control_scores).unwrap_or_default();
    let a = after.map(control_scores).unwrap_or_default();
    let names: SortedSet<&str> = b.keys().chain(a.keys()).copied().collect();
    names
        .into_iter()
        .map(|name| {
            let (cb, ca) = (b.get(name), a.get(name));
            let before = cb.map(|c| c.score.unwrap_or(0.0));
            let after = ca.map(|c| c.score.unwrap_or(0.0));
            let p = profiles.get(name);
            let category = p
                .and_then(|p| p.control_category.as_deref())
                .or_else(|| ca.or(cb).and_then(|c| c.control_category.as_deref()));
            ControlDelta {
                name: name.to_owned(),
                title: p.and_then(|p| p.title.clone()),
                category: category_label(category).to_owned(),
                before,
                after,
                delta: after.unwrap_or(0.0) - before.unwrap_or(0.0),
                max: p.and_then(|p| p.max_score),
                deprecated: p.and_then(|p| p.deprecated).unwrap_or(false),
            }
        })
        .collect()
}

/// What changed on the UTC day of `day`, against the last snapshot before it. `None` when that
/// day has no snapshot or there is none before it.
pub fn day_change(
    snapshots: &[SecureScore],
    profiles: &[SecureScoreControlProfile],
    day: DateTime,
) -> Option<DayChange> {
    let by_day = ByDay::new(snapshots);
    let d = day_number(day);
    let today = by_day.on(d)?;
    let (prev_day, prev) = by_day.before(d)?;
    let profiles = profiles_by_id(profiles);
    let mut out = DayChange {
        day: day_start(d),
        previous_day: day_start(prev_day),
        delta: sub(today.current_score, prev.current_score),
        max_delta: sub(today.max_score, prev.max_score),
        gained: Vec::new(),
        lost: Vec::new(),
        added: Vec::new(),
        removed: Vec::new(),
        attributed: 0.0,
    };
    for c in deltas(Some(prev), Some(today), &profiles) {
        out.attributed += c.delta;
        let list = match (c.before, c.after) {
            (None, _) => &mut out.added,
            (_, None) => &mut out.removed,
            _ if c.delta > EPSILON => &mut out.gained,
            _ if c.delta < -EPSILON => &mut out.lost,
            _ => continue,
        };
        list.push(c);
    }
    for list in [
        &mut out.gained,
        &mut out.lost,
        &mut out.added,
        &mut out.removed,
    ] {
        crate::sort::by(list, by_size);
    }
    Some(out)
}

/// The controls that moved most over the `len` days ending with the day of `now`: each
/// control's net change from the last snapshot before the window (else the window's first) to
/// the window's last snapshot, i.e. the sum of its [`day_change`] deltas over the window.
/// Largest absolute change first; controls that did not move are left out.
pub fn movers(
    snapshots: &[SecureScore],
    profiles: &[SecureScoreControlProfile],
    now: DateTime,
    len: usize,
) -> Vec<ControlDelta> {
    let by_day = ByDay::new(snapshots);
    let w = Window::ending(now, len);
    let mut inside = by_day.range(w.first, w.last);
    let Some(first) = inside.next() else {
        return Vec::new();
    };
    let last = inside.last().unwrap_or(first);
    let base = by_day.before(w.first).unwrap_or(first);
    let mut v: Vec<ControlDelta> = deltas(Some(base.1), Some(last.1), &profiles_by_id(profiles))
        .into_iter()
        .filter(|c| c.delta.abs() > EPSILON)
        .collect();
    crate::sort::by(&mut v, by_size);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testdata::*;

    /// Days 1..=6 of a consistent history: MFA grows, DLP drops, Legacy is deprecated on day 4,
    /// NewCtl appears on day 3, Nameless has no profile; day 5 is missing, day 2 twice.
    fn history() -> (Vec<SecureScore>, Vec<SecureScoreControlProfile>) {
        let mut stale = snap_sum(2, 100.0, &[("MFA", "Identity", 99.0)]);
        stale.created_date_time = Some(at(2, 1));
        let snaps = vec![
            snap_sum(
                6,
                100.0,
                &[
                    ("MFA", "Identity", 9.0),
                    ("DLP", "Data", 0.0),
                    ("NewCtl", "Apps", 5.0),
                    ("Nameless", "Device", 3.0),
                ],
            ),
            snap_sum(
                1,
                100.0,
                &[
                    ("MFA", "Identity", 2.0),
                    ("DLP", "Data", 5.0),
                    ("Legacy", "Apps", 4.0),
                    ("Nameless", "Device", 3.0),
                ],
            ),
            stale,
            snap_sum(
                3,
                110.0,
                &[
                    ("MFA", "Identity", 6.0),
                    ("DLP", "Data", 5.0),
                    ("Legacy", "Apps", 4.0),
                    ("NewCtl", "Apps", 1.0),
                    ("Nameless", "Device", 3.0),
                ],
            ),
            snap_sum(
                2,
                100.0,
                &[
                    ("MFA", "Identity", 4.0),
                    ("DLP", "Data", 5.0),
                    ("Legacy", "Apps", 4.0),
                    ("Nameless", "Device", 3.0),
                ],
            ),
            snap_sum(
                4,
                100.0,
                &[
                    ("MFA", "Identity", 6.0),
                    ("DLP", "Data", 2.0),
                    ("NewCtl", "Apps", 1.0),
                    ("Nameless", "Device", 3.0),
                ],
            ),
        ];
        let mut legacy = profile("Legacy", "Old control", "Apps", 10.0);
        legacy.deprecated = Some(true);
        let profiles = vec![
            profile("MFA", "Require MFA", "Identity", 10.0),
            profile("DLP", "Turn on DLP", "Data", 10.0),
            profile("NewCtl", "A new control", "Apps", 10.0),
            legacy,
        ];
        (snaps, profiles)
    }

    #[test]
    fn score_change_attributes_gains_losses_added_and_deprecated() {
        let (snaps, profiles) = history();
        // Day 3: MFA +2, NewCtl added with 1 point (max +10).
        let c = day_change(&snaps, &profiles, at(3, 9)).unwrap();
        assert_eq!(c.previous_day, at(2, 0));
        assert!(close_opt(c.delta, Some(3.0)));
        assert!(close_opt(c.max_delta, Some(10.0)));
        assert_eq!(c.gained.len(), 1);
        assert_eq!(c.gained[0].name, "MFA");
        assert!(close(c.gained[0].delta, 2.0));
        assert_eq!(c.added.len(), 1);
        assert_eq!(c.added[0].name, "NewCtl");
        assert_eq!(c.added[0].before, None);
        assert_eq!(c.added[0].max, Some(10.0));
        assert!(c.lost.is_empty() && c.removed.is_empty());
        assert!(close_opt(c.unattributed(), Some(0.0)));

        // Day 4: DLP -3, Legacy deprecated (-4 points, max -10).
        let c = day_change(&snaps, &profiles, at(4, 0)).unwrap();
        assert!(close_opt(c.delta, Some(-7.0)));
        assert!(close_opt(c.max_delta, Some(-10.0)));
        assert_eq!(c.lost[0].name, "DLP");
        assert_eq!(c.removed.len(), 1);
        assert_eq!(c.removed[0].name, "Legacy");
        assert!(c.removed[0].deprecated);
        assert_eq!(c.removed[0].after, None);
        assert!(close(c.removed[0].delta, -4.0));
        assert!(close(c.attributed, -7.0));
        assert_eq!(
            c.all().iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
            ["Legacy", "DLP"]
        );
    }

    #[test]
    fn score_change_across_a_missing_day_and_without_profile() {
        let (snaps, profiles) = history();
        // Day 5 is missing: day 6 compares with day 4.
        let c = day_change(&snaps, &profiles, at(6, 23)).unwrap();
        assert_eq!(c.previous_day, at(4, 0));
        assert!(close_opt(c.unattributed(), Some(0.0)));
        assert_eq!(c.gained[0].name, "NewCtl");
        assert_eq!(c.gained[1].name, "MFA");
        assert!(day_change(&snaps, &profiles, at(5, 0)).is_none());
        assert!(day_change(&snaps, &profiles, at(1, 0)).is_none());
        // Day 2 uses the later duplicate (MFA 4, not 99).
        let c = day_change(&snaps, &profiles, at(2, 0)).unwrap();
        assert!(close(c.gained[0].delta, 2.0));
        // A control with no profile keeps its name and no title.
        let mut odd = snaps.clone();
        odd.push(snap_sum(7, 100.0, &[("Nameless", "Device", 1.0)]));
        let c = day_change(&odd, &profiles, at(7, 0)).unwrap();
        let n = c.lost.iter().find(|d| d.name == "Nameless").unwrap();
        assert_eq!(n.title, None);
        assert_eq!(n.category, "Device");
    }

    #[test]
    fn score_change_reports_inconsistent_totals() {
        let a = snap(1, 10.0, 20.0, &[("X", "Data", 10.0)]);
        let b = snap(2, 15.0, 20.0, &[("X", "Data", 12.0)]);
        let c = day_change(&[b, a], &[], at(2, 0)).unwrap();
        assert!(close_opt(c.unattributed(), Some(3.0)));
    }

    #[test]
    fn score_movers_sum_the_day_changes() {
        let (snaps, profiles) = history();
        // Window days 2..=6; the baseline is day 1.
        let m = movers(&snaps, &profiles, at(6, 12), 5);
        let names: Vec<&str> = m.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["MFA", "DLP", "NewCtl", "Legacy"]);
        assert!(close(m[0].delta, 7.0));
        assert!(close(m[1].delta, -5.0));
        assert!(close(m[2].delta, 5.0));
        assert!(close(m[3].delta, -4.0));
        let net: f64 = m.iter().map(|d| d.delta).sum();
        let mut by_days = 0.0;
        for n in 2..=6 {
            if let Some(c) = day_change(&snaps, &profiles, at(n, 0)) {
                by_days += c.attributed;
            }
        }
        assert!(close(net, by_days));
        assert!(close(net, 17.0 - 14.0));
        assert!(movers(&snaps, &profiles, at(40, 0), 5).is_empty());
    }
}
