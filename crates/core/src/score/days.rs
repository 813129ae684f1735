//! Snapshots per UTC day. The service keeps one snapshot a day (90 days), newest first, but
//! the page may load pages out of order, a day twice (two loads, a re-run) or not at all.

use crate::sorted::SortedMap;

use crate::models::{DateTime, SecureScore};

const DAY: i64 = 86_400;

/// The UTC day (days since 1970-01-01) of an instant.
pub fn day_number(t: DateTime) -> i64 {
    t.unix_seconds().div_euclid(DAY)
}

/// Midnight UTC of a day number.
pub fn day_start(day: i64) -> DateTime {
    DateTime::from_unix(day * DAY)
}

/// The UTC day a snapshot belongs to: its `createdDateTime`, else the `_yyyy-MM-dd` suffix of
/// its id (ids look like `{tenantGuid}_{yyyy-MM-dd}` in the docs' samples).
pub fn snapshot_day(s: &SecureScore) -> Option<i64> {
    if let Some(t) = s.created_date_time {
        return Some(day_number(t));
    }
    let (_, date) = s.id.rsplit_once('_')?;
    if date.len() != 10 {
        return None;
    }
    let mut text = String::with_capacity(20);
    text.push_str(date);
    text.push_str("T00:00:00Z");
    DateTime::parse(&text).map(day_number)
}

/// At most one snapshot per UTC day, in day order.
///
/// Duplicates for a day: the one created last wins (a later run of the daily job supersedes
/// an earlier one), then the greater id, then the later in the input, so the choice does not
/// depend on the order the pages arrived in except for exact copies. Snapshots with no day are
/// dropped.
#[derive(Debug, Clone, Default)]
pub struct ByDay<'a> {
    days: SortedMap<i64, &'a SecureScore>,
}

impl<'a> ByDay<'a> {
    pub fn new(snapshots: &'a [SecureScore]) -> Self {
        let mut days: SortedMap<i64, &'a SecureScore> = SortedMap::new();
        for s in snapshots {
            let Some(d) = snapshot_day(s) else { continue };
            let keep_new = match days.get(&d) {
                None => true,
                Some(old) => {
                    (s.created_date_time, s.id.as_str()) >= (old.created_date_time, old.id.as_str())
                }
            };
            if keep_new {
                days.insert(d, s);
            }
        }
        ByDay { days }
    }

    /// The snapshot of a day, if there is one.
    pub fn on(&self, day: i64) -> Option<&'a SecureScore> {
        self.days.get(&day).copied()
    }

    /// The last snapshot strictly before `day`, with its day.
    pub fn before(&self, day: i64) -> Option<(i64, &'a SecureScore)> {
        self.days.range(..day).next_back().map(|(d, s)| (*d, *s))
    }

    /// The newest snapshot, with its day.
    pub fn latest(&self) -> Option<(i64, &'a SecureScore)> {
        self.days.iter().next_back().map(|(d, s)| (*d, *s))
    }

    /// The snapshots from `first` to `last` inclusive, in day order.
    pub fn range(&self, first: i64, last: i64) -> impl Iterator<Item = (i64, &'a SecureScore)> {
        self.days.range(first..=last).map(|(d, s)| (*d, *s))
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }
}

/// `len` whole UTC days ending with the day of `now`, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub first: i64,
    pub last: i64,
}

impl Window {
    /// The last `len` days up to and including the day of `now` (at least one day).
    pub fn ending(now: DateTime, len: usize) -> Self {
        let last = day_number(now);
        let len = i64::try_from(len.max(1)).unwrap_or(i64::MAX / DAY);
        Window {
            first: last - (len - 1),
            last,
        }
    }

    pub fn len(&self) -> usize {
        usize::try_from(self.last - self.first + 1).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.last < self.first
    }

    /// Day numbers, oldest first.
    pub fn days(&self) -> impl Iterator<Item = i64> {
        self.first..=self.last
    }

    /// Midnight UTC of each day, oldest first (the x axis).
    pub fn starts(&self) -> Vec<DateTime> {
        self.days().map(day_start).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testdata::*;

    #[test]
    fn score_days_dedupe_and_order() {
        let mut late = snap(3, 20.0, 100.0, &[]);
        late.created_date_time = DateTime::from_ymd_hms(2024, 3, 3, 23, 0, 0);
        let early = snap(3, 10.0, 100.0, &[]);
        let mut by_id = snap(5, 1.0, 100.0, &[]);
        by_id.created_date_time = None;
        let list = vec![late.clone(), snap(1, 5.0, 100.0, &[]), early.clone(), by_id];
        let b = ByDay::new(&list);
        assert_eq!(b.on(day(3)).unwrap().current_score, Some(20.0));
        assert_eq!(b.on(day(5)).unwrap().current_score, Some(1.0));
        assert!(b.on(day(2)).is_none());
        assert_eq!(b.before(day(3)).unwrap().0, day(1));
        assert_eq!(b.latest().unwrap().0, day(5));
        // Same result whatever the order.
        let list2 = vec![early, late];
        assert_eq!(
            ByDay::new(&list2).on(day(3)).unwrap().current_score,
            Some(20.0)
        );
    }

    #[test]
    fn score_window_ends_today() {
        let w = Window::ending(at(10, 15), 7);
        assert_eq!(w.len(), 7);
        assert_eq!(w.last, day(10));
        assert_eq!(w.first, day(4));
        assert_eq!(
            w.starts()[0],
            DateTime::from_ymd_hms(2024, 3, 4, 0, 0, 0).unwrap()
        );
    }
}
