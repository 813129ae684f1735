//! What the operations table shows of a case operation: its progress bar, a status in words,
//! how long it ran (ticking while it runs), and the error text when it failed or partly
//! succeeded.

use crate::models::{CaseAction, CaseOperation, CaseOperationDetails, CaseOperationStatus};

/// An operation's status in the table's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Accepted, not started yet (also a status this build does not know).
    Queued,
    Running,
    Succeeded,
    PartlySucceeded,
    Failed,
}

impl Phase {
    pub fn of(op: &CaseOperation) -> Phase {
        match op.common.status.as_ref() {
            Some(CaseOperationStatus::Running) => Phase::Running,
            Some(CaseOperationStatus::Succeeded) => Phase::Succeeded,
            Some(CaseOperationStatus::PartiallySucceeded) => Phase::PartlySucceeded,
            Some(CaseOperationStatus::Failed | CaseOperationStatus::SubmissionFailed) => {
                Phase::Failed
            }
            _ => Phase::Queued,
        }
    }

    /// Whether the operation may still change (so it is polled and its duration ticks).
    pub fn is_live(self) -> bool {
        matches!(self, Phase::Queued | Phase::Running)
    }

    /// A stable lower-case name (CSS class, `data-phase`).
    pub fn key(self) -> &'static str {
        match self {
            Phase::Queued => "queued",
            Phase::Running => "running",
            Phase::Succeeded => "succeeded",
            Phase::PartlySucceeded => "partial",
            Phase::Failed => "failed",
        }
    }
}

/// Whether an operation still runs.
pub fn is_running(op: &CaseOperation) -> bool {
    Phase::of(op).is_live()
}

/// The operations of a case that still run, each as its action in words and its bar's
/// percentage, in the service's order (what the case list shows of a case).
pub fn running(ops: &[CaseOperation]) -> Vec<(String, u8)> {
    ops.iter()
        .filter(|op| is_running(op))
        .map(|op| (action_text(op.common.action.as_ref()), percent(op)))
        .collect()
}

/// Whether a hold operation that `before` had running (or did not list) has finished in `after`:
/// the custodians' hold status changes with it, so they are worth reading again.
pub fn hold_finished(before: &[CaseOperation], after: &[CaseOperation]) -> bool {
    after.iter().any(|op| {
        op.common.action == Some(CaseAction::HoldUpdate)
            && !is_running(op)
            && before
                .iter()
                .find(|b| b.common.id == op.common.id)
                .is_none_or(is_running)
    })
}

/// The bar's percentage, 0–100: Graph's `percentProgress` clamped; a success is 100 whatever
/// was last reported, a failure keeps where it stopped.
pub fn percent(op: &CaseOperation) -> u8 {
    let reported = op.common.percent_progress.unwrap_or(0).clamp(0, 100) as u8;
    match Phase::of(op) {
        Phase::Succeeded | Phase::PartlySucceeded => 100,
        _ => reported,
    }
}

/// The status in words: "Running (42 %)", "Failed at submission", "Partly succeeded".
pub fn status_text(op: &CaseOperation) -> String {
    match op.common.status.as_ref() {
        Some(CaseOperationStatus::NotStarted) => "Not started".to_owned(),
        Some(CaseOperationStatus::Running) => format!("Running ({} %)", percent(op)),
        Some(CaseOperationStatus::Succeeded) => "Succeeded".to_owned(),
        Some(CaseOperationStatus::PartiallySucceeded) => "Partly succeeded".to_owned(),
        Some(CaseOperationStatus::Failed) => "Failed".to_owned(),
        Some(CaseOperationStatus::SubmissionFailed) => "Failed at submission".to_owned(),
        Some(CaseOperationStatus::UnknownFutureValue) | None => "Unknown".to_owned(),
        Some(CaseOperationStatus::Unrecognized(s)) => s.clone(),
    }
}

/// The action in words.
pub fn action_text(action: Option<&CaseAction>) -> String {
    match action {
        Some(CaseAction::ContentExport) => "Export (review set)".to_owned(),
        Some(CaseAction::ApplyTags) => "Apply tags".to_owned(),
        Some(CaseAction::ConvertToPdf) => "Convert to PDF".to_owned(),
        Some(CaseAction::Index) => "Index".to_owned(),
        Some(CaseAction::EstimateStatistics) => "Estimate".to_owned(),
        Some(CaseAction::AddToReviewSet) => "Add to review set".to_owned(),
        Some(CaseAction::HoldUpdate) => "Hold update".to_owned(),
        Some(CaseAction::PurgeData) => "Purge data".to_owned(),
        Some(CaseAction::ExportReport) => "Export report".to_owned(),
        Some(CaseAction::ExportResult) => "Export results".to_owned(),
        Some(CaseAction::HoldPolicySync) => "Hold policy sync".to_owned(),
        Some(CaseAction::UnknownFutureValue) | None => "Unknown action".to_owned(),
        Some(CaseAction::Unrecognized(s)) => s.clone(),
    }
}

/// How long the operation ran: to its completion, or to `now_ms` while it runs. `None` without
/// a start time, or for a finished operation without a completion time.
pub fn duration_ms(op: &CaseOperation, now_ms: i64) -> Option<i64> {
    let start = op.common.created_date_time.as_ref()?.unix_millis();
    let end = match (&op.common.completed_date_time, Phase::of(op).is_live()) {
        (Some(done), _) => done.unix_millis(),
        (None, true) => now_ms,
        (None, false) => return None,
    };
    Some((end - start).max(0))
}

/// `45 s`, `3 min 05 s`, `2 h 07 min`, `3 d 4 h`.
pub fn format_duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        format!("{m} min {sec:02} s")
    } else {
        format!("{sec} s")
    }
}

/// The error to show: `resultInfo`'s message and code when the operation failed or partly
/// succeeded (a sentence even when Graph gave none); `None` otherwise.
pub fn error_text(op: &CaseOperation) -> Option<String> {
    if !matches!(Phase::of(op), Phase::Failed | Phase::PartlySucceeded) {
        return None;
    }
    let info = op.common.result_info.as_ref();
    let message = info
        .and_then(|i| i.message.as_deref())
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let code = info.and_then(|i| i.code);
    Some(match (message, code) {
        (Some(m), Some(c)) => format!("{m} (code {c})"),
        (Some(m), None) => m.to_owned(),
        (None, Some(c)) => format!("No reason given (code {c})"),
        (None, None) => "No reason given".to_owned(),
    })
}

/// What a finished estimate found, in words: "1,204 items (3.4 MB), 12 unindexed (96.0 kB) in
/// 3 mailboxes and 1 site". `None` for other operations or an estimate without figures yet.
pub fn estimate_text(op: &CaseOperation) -> Option<String> {
    let CaseOperationDetails::Estimate(d) = &op.details else {
        return None;
    };
    let items = d.indexed_item_count?;
    let mut s = format!(
        "{} item{} ({})",
        thousands(items),
        if items == 1 { "" } else { "s" },
        size_text(d.indexed_items_size.unwrap_or(0))
    );
    if let Some(u) = d.unindexed_item_count.filter(|u| *u > 0) {
        s += &format!(
            ", {} unindexed ({})",
            thousands(u),
            size_text(d.unindexed_items_size.unwrap_or(0))
        );
    }
    let places: Vec<String> = [
        (d.mailbox_count, "mailbox", "es"),
        (d.site_count, "site", "s"),
    ]
    .into_iter()
    .filter_map(|(n, one, many)| {
        let n = n.filter(|n| *n > 0)?;
        Some(format!("{n} {one}{}", if n == 1 { "" } else { many }))
    })
    .collect();
    if !places.is_empty() {
        s += &format!(" in {}", places.join(" and "));
    }
    Some(s)
}

/// The files a finished export offers: what to call each link (file name and size) and its
/// address, https only (anything else from the service is left out, never linked).
pub fn downloads(op: &CaseOperation) -> Vec<(String, String)> {
    let files = match &op.details {
        CaseOperationDetails::Export(d) => &d.export_file_metadata.0,
        CaseOperationDetails::SearchExport(d) => &d.export_file_metadata.0,
        _ => return Vec::new(),
    };
    if !matches!(Phase::of(op), Phase::Succeeded | Phase::PartlySucceeded) {
        return Vec::new();
    }
    files
        .iter()
        .filter_map(|f| {
            let url = f.download_url.as_deref()?;
            let parsed = crate::url::HttpUrl::parse(url).ok()?;
            (parsed.scheme() == "https" && !parsed.host().is_empty()).then_some(())?;
            let name = f.file_name.as_deref().unwrap_or("Download");
            let label = match f.size {
                Some(b) => format!("{name} ({})", size_text(b)),
                None => name.to_owned(),
            };
            Some((label, url.to_owned()))
        })
        .collect()
}

/// `1,204`: the export's digit grouping, for a signed count.
fn thousands(n: i64) -> String {
    let digits = crate::queue::export::thousands(n.unsigned_abs());
    if n < 0 { format!("-{digits}") } else { digits }
}

/// Bytes for people, in decimal units with one decimal: `512 B`, `96.0 kB`, `3.4 MB`, `1.2 GB`
/// (integer arithmetic: the bundle carries no float formatting).
pub fn size_text(bytes: i64) -> String {
    let b = bytes.max(0);
    let units = [
        (1_000_000_000_000, "TB"),
        (1_000_000_000, "GB"),
        (1_000_000, "MB"),
        (1_000, "kB"),
    ];
    for (size, unit) in units {
        if b >= size {
            let tenths = b / (size / 10);
            return format!("{}.{} {unit}", tenths / 10, tenths % 10);
        }
    }
    format!("{b} B")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{CaseOperationCommon, DateTime, EstimateDetails, ResultInfo};

    fn op(status: CaseOperationStatus, pct: Option<i64>) -> CaseOperation {
        CaseOperation {
            odata_type: None,
            common: CaseOperationCommon {
                id: "o".into(),
                action: Some(CaseAction::EstimateStatistics),
                status: Some(status),
                percent_progress: pct,
                created_date_time: Some(DateTime::from_unix(1_000)),
                ..Default::default()
            },
            details: CaseOperationDetails::Hold,
        }
    }

    #[test]
    fn a_finished_export_offers_its_https_files_only() {
        let tree = serde_json::json!({
            "@odata.type": "#microsoft.graph.security.ediscoverySearchExportOperation",
            "id": "x", "action": "exportResult", "status": "succeeded",
            "exportFileMetadata": [
                {"fileName": "Export.zip", "size": 5_242_880,
                 "downloadUrl": "https://proddata.blob.core.windows.net/export/x/Export.zip"},
                {"fileName": "evil.zip", "downloadUrl": "javascript:alert(1)"},
                {"fileName": "plain.zip", "downloadUrl": "http://example.com/plain.zip"},
                {"downloadUrl": "https://proddata.blob.core.windows.net/export/x/Report.csv"}
            ]
        });
        let done: CaseOperation = crate::models::tree::FromTree::from_tree(&tree);
        assert_eq!(
            downloads(&done),
            [
                (
                    "Export.zip (5.2 MB)".to_owned(),
                    "https://proddata.blob.core.windows.net/export/x/Export.zip".to_owned()
                ),
                (
                    "Download".to_owned(),
                    "https://proddata.blob.core.windows.net/export/x/Report.csv".to_owned()
                ),
            ]
        );
        let mut running = done.clone();
        running.common.status = Some(CaseOperationStatus::Running);
        assert!(
            downloads(&running).is_empty(),
            "nothing to download before it ends"
        );
        assert!(downloads(&op(CaseOperationStatus::Succeeded, None)).is_empty());
    }

    #[test]
    fn a_hold_operation_finishing_is_noticed_once() {
        let hold = |id: &str, status| {
            let mut o = op(status, None);
            o.common.id = id.into();
            o.common.action = Some(CaseAction::HoldUpdate);
            o
        };
        let running = [hold("h", CaseOperationStatus::Running)];
        let done = [hold("h", CaseOperationStatus::Succeeded)];
        assert!(hold_finished(&running, &done));
        assert!(!hold_finished(&done, &done), "already seen finished");
        assert!(!hold_finished(&[], &running), "still running");
        // Finished before it was ever seen running (a fast operation between two reads).
        assert!(hold_finished(&[], &done));
        // Other actions do not count.
        let estimate = [op(CaseOperationStatus::Succeeded, None)];
        assert!(!hold_finished(&[], &estimate));
    }

    #[test]
    fn percent_is_clamped_and_a_success_is_full() {
        assert_eq!(percent(&op(CaseOperationStatus::Running, Some(42))), 42);
        assert_eq!(percent(&op(CaseOperationStatus::Running, Some(140))), 100);
        assert_eq!(percent(&op(CaseOperationStatus::Running, Some(-3))), 0);
        assert_eq!(percent(&op(CaseOperationStatus::Running, None)), 0);
        assert_eq!(percent(&op(CaseOperationStatus::Succeeded, Some(80))), 100);
        assert_eq!(percent(&op(CaseOperationStatus::Failed, Some(60))), 60);
        assert_eq!(
            status_text(&op(CaseOperationStatus::Running, Some(42))),
            "Running (42 %)"
        );
    }

    #[test]
    fn running_operations_tick_and_finished_ones_do_not() {
        let running = op(CaseOperationStatus::Running, Some(10));
        assert_eq!(duration_ms(&running, 1_000_000 + 65_000), Some(65_000));
        assert_eq!(duration_ms(&running, 1_000_000 + 66_000), Some(66_000));
        let mut done = op(CaseOperationStatus::Succeeded, Some(100));
        done.common.completed_date_time = Some(DateTime::from_unix(1_000 + 3_725));
        assert_eq!(duration_ms(&done, 9_999_999_999), Some(3_725_000));
        // Finished without a completion time: no made-up duration.
        assert_eq!(
            duration_ms(&op(CaseOperationStatus::Failed, None), 5_000_000),
            None
        );
        let mut unstarted = running.clone();
        unstarted.common.created_date_time = None;
        assert_eq!(duration_ms(&unstarted, 5_000_000), None);
        // A clock behind the service's never shows a negative duration.
        assert_eq!(duration_ms(&running, 0), Some(0));
        assert!(is_running(&op(CaseOperationStatus::NotStarted, None)));
        let mut hold = op(CaseOperationStatus::Running, Some(70));
        hold.common.action = Some(CaseAction::HoldUpdate);
        let ops = [
            op(CaseOperationStatus::Running, Some(40)),
            done.clone(),
            hold,
            op(CaseOperationStatus::NotStarted, None),
        ];
        assert_eq!(
            super::running(&ops),
            [
                ("Estimate".to_owned(), 40),
                ("Hold update".to_owned(), 70),
                ("Estimate".to_owned(), 0)
            ]
        );
        assert!(super::running(&[done.clone()]).is_empty());
        assert!(!is_running(&done));
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(format_duration(45_400), "45 s");
        assert_eq!(format_duration(185_000), "3 min 05 s");
        assert_eq!(format_duration(7_620_000), "2 h 07 min");
        assert_eq!(format_duration(273_600_000), "3 d 4 h");
        assert_eq!(format_duration(-5), "0 s");
    }

    #[test]
    fn errors_only_for_failures_and_partial_successes() {
        let mut failed = op(CaseOperationStatus::Failed, Some(30));
        failed.common.result_info = Some(ResultInfo {
            code: Some(7),
            message: Some(" Mailbox not found ".into()),
            subcode: None,
        });
        assert_eq!(
            error_text(&failed).as_deref(),
            Some("Mailbox not found (code 7)")
        );
        let partial = op(CaseOperationStatus::PartiallySucceeded, None);
        assert_eq!(error_text(&partial).as_deref(), Some("No reason given"));
        let mut ok = op(CaseOperationStatus::Succeeded, None);
        ok.common.result_info = failed.common.result_info.clone();
        assert_eq!(error_text(&ok), None);
        assert_eq!(
            Phase::of(&op(CaseOperationStatus::SubmissionFailed, None)),
            Phase::Failed
        );
        assert_eq!(
            Phase::of(&op(
                CaseOperationStatus::Unrecognized("paused".into()),
                None
            )),
            Phase::Queued
        );
    }

    #[test]
    fn estimates_read_as_counts_sizes_and_places() {
        let mut est = op(CaseOperationStatus::Succeeded, Some(100));
        assert_eq!(estimate_text(&est), None, "not an estimate");
        est.details = CaseOperationDetails::Estimate(EstimateDetails::default());
        assert_eq!(estimate_text(&est), None, "no figures yet");
        est.details = CaseOperationDetails::Estimate(EstimateDetails {
            indexed_item_count: Some(1_204),
            indexed_items_size: Some(3_456_789),
            unindexed_item_count: Some(12),
            unindexed_items_size: Some(96_049),
            mailbox_count: Some(3),
            site_count: Some(1),
            search: None,
        });
        assert_eq!(
            estimate_text(&est).as_deref(),
            Some("1,204 items (3.4 MB), 12 unindexed (96.0 kB) in 3 mailboxes and 1 site")
        );
        est.details = CaseOperationDetails::Estimate(EstimateDetails {
            indexed_item_count: Some(1),
            indexed_items_size: Some(512),
            ..Default::default()
        });
        assert_eq!(estimate_text(&est).as_deref(), Some("1 item (512 B)"));
        assert_eq!(size_text(999), "999 B");
        assert_eq!(size_text(1_000), "1.0 kB");
        assert_eq!(size_text(1_999_999_999), "1.9 GB");
        assert_eq!(size_text(-4), "0 B");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(-1_000), "-1,000");
        assert_eq!(thousands(-5_000_000_000), "-5,000,000,000");
    }
}
