//! The case load report, as a Purview user knows it: open cases over time, cases by status,
//! operations by action and outcome over the last 30 days, the median duration per action; and
//! the same figures as CSV.

use crate::sorted::SortedMap;

use super::progress::{Phase, action_text};
use crate::models::{CaseOperation, CaseStatus, EdiscoveryCase};

const DAY_MS: i64 = 86_400_000;

/// Operations counted per outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcomes {
    pub succeeded: u32,
    pub partly: u32,
    pub failed: u32,
    pub running: u32,
}

impl Outcomes {
    pub fn total(&self) -> u32 {
        self.succeeded + self.partly + self.failed + self.running
    }
}

/// The report's figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaseLoad {
    /// (day start, Unix ms; cases open at the end of that day), oldest first.
    pub open_over_time: Vec<(i64, u32)>,
    /// (status wire name, cases), in the order of the documented statuses, then others.
    pub by_status: Vec<(String, u32)>,
    /// (action in words, outcomes) for operations created in the last 30 days.
    pub by_action: Vec<(String, Outcomes)>,
    /// (action in words, median duration in ms) of the finished operations of the last 30 days.
    pub median_duration: Vec<(String, i64)>,
    /// Cases whose operations were read (the rest are not in the operation figures).
    pub cases_with_operations: usize,
    /// Cases that can have operations in the last 30 days ([`needs_operations`]).
    pub cases_needing_operations: usize,
    pub cases: usize,
}

const STATUSES: [&str; 6] = [
    "active",
    "closing",
    "closed",
    "closedWithError",
    "pendingDelete",
    "unknown",
];

/// Aggregates `cases` and the operations read so far (`(case id, operations)`), over `days`
/// days to `now_ms`.
pub fn case_load(
    cases: &[EdiscoveryCase],
    operations: &[(&str, &[CaseOperation])],
    now_ms: i64,
    days: u32,
) -> CaseLoad {
    let mut out = CaseLoad {
        cases: cases.len(),
        cases_with_operations: operations.len(),
        cases_needing_operations: cases.iter().filter(|c| needs_operations(c, now_ms)).count(),
        ..Default::default()
    };
    let today = now_ms.div_euclid(DAY_MS) * DAY_MS;
    for d in (0..days as i64).rev() {
        let day = today - d * DAY_MS;
        let end = (day + DAY_MS).min(now_ms);
        let open = cases
            .iter()
            .filter(|c| {
                let created = c.created_date_time.as_ref().map(|t| t.unix_millis());
                created.is_some_and(|t| t <= end) && closed_at(c).is_none_or(|t| t > end)
            })
            .count() as u32;
        out.open_over_time.push((day, open));
    }
    let mut by_status: SortedMap<String, u32> = SortedMap::new();
    for c in cases {
        let s = c
            .status
            .as_ref()
            .map_or(CaseStatus::Unknown.as_str(), CaseStatus::as_str);
        *by_status.get_or_default(s.to_owned()) += 1;
    }
    for s in STATUSES {
        if let Some(n) = by_status.remove(s) {
            out.by_status.push((s.to_owned(), n));
        }
    }
    out.by_status.extend(by_status);

    let since = now_ms - 30 * DAY_MS;
    let mut actions: SortedMap<String, (Outcomes, Vec<i64>)> = SortedMap::new();
    for op in operations.iter().flat_map(|(_, ops)| ops.iter()) {
        let Some(created) = op
            .common
            .created_date_time
            .as_ref()
            .map(|t| t.unix_millis())
        else {
            continue;
        };
        if created < since || created > now_ms {
            continue;
        }
        let entry = actions.get_or_default(action_text(op.common.action.as_ref()));
        match Phase::of(op) {
            Phase::Succeeded => entry.0.succeeded += 1,
            Phase::PartlySucceeded => entry.0.partly += 1,
            Phase::Failed => entry.0.failed += 1,
            Phase::Queued | Phase::Running => entry.0.running += 1,
        }
        if let (false, Some(done)) = (
            Phase::of(op).is_live(),
            op.common.completed_date_time.as_ref(),
        ) {
            entry.1.push((done.unix_millis() - created).max(0));
        }
    }
    for (action, (outcomes, durations)) in actions {
        if let Some(m) = median(durations) {
            out.median_duration.push((action.clone(), m));
        }
        out.by_action.push((action, outcomes));
    }
    out
}

/// When `case` was closed, if it is closed now: a case reopened since (active again) keeps the
/// date it was last closed, which no longer closes it.
fn closed_at(case: &EdiscoveryCase) -> Option<i64> {
    if crate::ediscovery::view::is_open(case) {
        return None;
    }
    case.closed_date_time.as_ref().map(|t| t.unix_millis())
}

/// The Overview's figures of a tenant's cases: open now, opened and closed in the 30 days to
/// `now_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaseSummary {
    pub open: u32,
    pub opened: u32,
    pub closed: u32,
}

pub fn summary(cases: &[EdiscoveryCase], now_ms: i64) -> CaseSummary {
    let since = now_ms - 30 * DAY_MS;
    let mut s = CaseSummary::default();
    for c in cases {
        let created = c.created_date_time.as_ref().map(|t| t.unix_millis());
        let closed = c.closed_date_time.as_ref().map(|t| t.unix_millis());
        if crate::ediscovery::view::is_open(c) {
            s.open += 1;
        }
        s.opened += u32::from(created.is_some_and(|t| t >= since && t <= now_ms));
        s.closed += u32::from(closed.is_some_and(|t| t >= since && t <= now_ms));
    }
    s
}

/// Whether `case` can have operations created in the 30 days to `now_ms`: it is open (reopened
/// ones too, whatever their old closing date), or was closed within them (a closed case takes
/// no new work). Only these cases' operations are read for the report, one request each.
pub fn needs_operations(case: &EdiscoveryCase, now_ms: i64) -> bool {
    closed_at(case).is_none_or(|t| t >= now_ms - 30 * DAY_MS)
}

/// The median (the lower middle of an even count, so it is always a measured duration).
pub fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    crate::sort::by_key(&mut v, |x| *x);
    Some(v[(v.len() - 1) / 2])
}

fn csv_field(s: &str) -> String {
    // A leading formula character would run in a spreadsheet: quote it with a '.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The report as one CSV with a `section` column, so one file opens in any spreadsheet.
pub fn to_csv(r: &CaseLoad) -> String {
    let mut out = String::from("section,key,value,succeeded,partly succeeded,failed,running\n");
    for (day, n) in &r.open_over_time {
        let date = crate::models::DateTime::from_unix_millis(*day).to_rfc3339();
        out.push_str(&format!("open cases,{},{n},,,,\n", &date[..10]));
    }
    for (s, n) in &r.by_status {
        out.push_str(&format!("cases by status,{},{n},,,,\n", csv_field(s)));
    }
    for (a, o) in &r.by_action {
        out.push_str(&format!(
            "operations (30 days),{},{},{},{},{},{}\n",
            csv_field(a),
            o.total(),
            o.succeeded,
            o.partly,
            o.failed,
            o.running
        ));
    }
    for (a, ms) in &r.median_duration {
        out.push_str(&format!(
            "median duration (s),{},{},,,,\n",
            csv_field(a),
            ms / 1000
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{
        CaseAction, CaseOperationCommon, CaseOperationDetails, CaseOperationStatus, DateTime,
    };

    const NOW: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    fn case(
        created_days_ago: i64,
        closed_days_ago: Option<i64>,
        status: CaseStatus,
    ) -> EdiscoveryCase {
        EdiscoveryCase {
            status: Some(status),
            created_date_time: Some(DateTime::from_unix_millis(NOW - created_days_ago * DAY_MS)),
            closed_date_time: closed_days_ago.map(|d| DateTime::from_unix_millis(NOW - d * DAY_MS)),
            ..Default::default()
        }
    }

    fn op(
        action: CaseAction,
        status: CaseOperationStatus,
        days_ago: i64,
        secs: Option<i64>,
    ) -> CaseOperation {
        let created = NOW - days_ago * DAY_MS;
        CaseOperation {
            odata_type: None,
            common: CaseOperationCommon {
                id: "o".into(),
                action: Some(action),
                status: Some(status),
                created_date_time: Some(DateTime::from_unix_millis(created)),
                completed_date_time: secs.map(|s| DateTime::from_unix_millis(created + s * 1000)),
                ..Default::default()
            },
            details: CaseOperationDetails::Hold,
        }
    }

    #[test]
    fn open_cases_over_time_count_creation_and_closing() {
        let cases = [
            case(10, None, CaseStatus::Active),
            case(10, Some(5), CaseStatus::Closed),
            case(3, None, CaseStatus::Active),
            case(40, Some(20), CaseStatus::ClosedWithError),
            // Closed 4 days ago and reopened since: open all along.
            case(10, Some(4), CaseStatus::Active),
        ];
        let r = case_load(&cases, &[], NOW - 1, 12);
        let counts: Vec<u32> = r.open_over_time.iter().map(|p| p.1).collect();
        // Days -12 … -1: three open from day -10, one closes at day -5, one opens at day -3.
        assert_eq!(counts, [0, 3, 3, 3, 3, 3, 2, 2, 3, 3, 3, 3]);
        assert_eq!(
            summary(&cases, NOW - 1).open,
            3,
            "the Overview's count agrees"
        );
        assert_eq!(
            r.by_status,
            [
                ("active".to_owned(), 3),
                ("closed".to_owned(), 1),
                ("closedWithError".to_owned(), 1)
            ]
        );
    }

    #[test]
    fn operations_by_action_outcome_and_median_over_30_days() {
        use CaseAction::*;
        use CaseOperationStatus::*;
        let ops = [
            op(EstimateStatistics, Succeeded, 1, Some(30)),
            op(EstimateStatistics, Succeeded, 2, Some(90)),
            op(EstimateStatistics, Failed, 3, Some(10)),
            op(EstimateStatistics, Running, 0, None),
            op(EstimateStatistics, Succeeded, 45, Some(5)), // older than 30 days
            op(HoldUpdate, PartiallySucceeded, 4, Some(600)),
            op(ExportResult, SubmissionFailed, 5, None),
        ];
        let r = case_load(&[], &[("c1", &ops[..4]), ("c2", &ops[4..])], NOW, 30);
        let get = |a: &str| r.by_action.iter().find(|x| x.0 == a).map(|x| x.1);
        assert_eq!(
            get("Estimate"),
            Some(Outcomes {
                succeeded: 2,
                partly: 0,
                failed: 1,
                running: 1
            })
        );
        assert_eq!(get("Hold update").map(|o| o.partly), Some(1));
        assert_eq!(get("Export results").map(|o| o.failed), Some(1));
        let med = |a: &str| r.median_duration.iter().find(|x| x.0 == a).map(|x| x.1);
        // 10 s, 30 s, 90 s: the middle one; the running one and the old one do not count.
        assert_eq!(med("Estimate"), Some(30_000));
        assert_eq!(med("Hold update"), Some(600_000));
        assert_eq!(
            med("Export results"),
            None,
            "no completion time, no duration"
        );
        assert_eq!(r.cases_with_operations, 2);
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2));
    }

    #[test]
    fn only_open_and_recently_closed_cases_need_their_operations_read() {
        let cases = [
            case(400, Some(300), CaseStatus::Closed),
            case(60, Some(29), CaseStatus::Closed),
            case(60, Some(31), CaseStatus::ClosedWithError),
            case(5, None, CaseStatus::Active),
            case(90, None, CaseStatus::Closing),
            // Closed 200 days ago and reopened since: open, so it can have work.
            case(300, Some(200), CaseStatus::Active),
        ];
        let need: Vec<bool> = cases.iter().map(|c| needs_operations(c, NOW)).collect();
        assert_eq!(need, [false, true, false, true, true, true]);
        let r = case_load(&cases, &[], NOW, 30);
        assert_eq!(
            (r.cases, r.cases_needing_operations, r.cases_with_operations),
            (6, 4, 0)
        );
    }

    #[test]
    fn the_summary_counts_open_cases_and_the_last_30_days() {
        let cases = [
            case(400, Some(300), CaseStatus::Closed),
            case(60, Some(29), CaseStatus::Closed),
            case(20, Some(3), CaseStatus::ClosedWithError),
            case(5, None, CaseStatus::Active),
            case(90, None, CaseStatus::Closing),
            case(31, None, CaseStatus::Active),
        ];
        assert_eq!(
            summary(&cases, NOW),
            CaseSummary {
                open: 3,
                opened: 2,
                closed: 2
            }
        );
        assert_eq!(summary(&[], NOW), CaseSummary::default());
    }

    #[test]
    fn csv_has_every_section_and_is_safe_for_spreadsheets() {
        let ops = [op(
            CaseAction::Unrecognized("=cmd".into()),
            CaseOperationStatus::Succeeded,
            1,
            Some(2),
        )];
        let r = case_load(&[case(1, None, CaseStatus::Active)], &[("c", &ops)], NOW, 2);
        let csv = to_csv(&r);
        assert!(csv.starts_with("section,key,value,"));
        assert!(csv.contains("\nopen cases,2025-12-31,1,"), "{csv}");
        assert!(csv.contains("\ncases by status,active,1,"));
        assert!(
            csv.contains("\noperations (30 days),'=cmd,1,1,0,0,0\n"),
            "{csv}"
        );
        assert!(csv.contains("\nmedian duration (s),'=cmd,2,"));
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
