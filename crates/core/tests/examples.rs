//! Decodes every documented example body of the resources Vigil uses into its model type.
//!
//! The examples are not in the repository: they are found through `VIGIL_GRAPH_EXAMPLES`
//! (default `../shared/graph-examples` beside the workspace; see `common::graph_examples`). Every
//! test here is named `documented_…` so `cargo xtask test` can leave them out, and count them
//! as skipped, when the examples are absent; run on their own without them, they fail. An
//! example that maps to a model but does not decode is a failure, not a skip; resources Vigil
//! never calls are listed in [`EXCLUDED`] explicitly.

// This runs natively, outside the bundle, so the bundle's size rules (clippy.toml) do not
// apply: JSON is read from bytes and trees as is handiest here.
#![allow(clippy::disallowed_methods)]

mod common;

use std::path::PathBuf;

use serde::de::DeserializeOwned;
use vigil_core::models::*;

/// Resources Vigil does not call, so they have no model: legacy `v1.0/security/alerts`,
/// hostSecurityProfiles, securityActions (app-only, no SPA access) and tiIndicators (deprecated).
const EXCLUDED: &[&str] = &[
    "/security/alerts",
    "/security/hostsecurityprofiles",
    "/security/securityactions",
    "/security/tiindicators",
];

fn examples_dir() -> PathBuf {
    common::documented_examples()
}

struct Row {
    file: String,
    method: String,
    url_path: String,
    placeholders: bool,
}

fn rows() -> Vec<Row> {
    let text = std::fs::read_to_string(examples_dir().join("INDEX.tsv")).expect("read INDEX.tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("INDEX.tsv lacks column {name}"))
    };
    let (f, m, u, p) = (
        col("file"),
        col("http_method"),
        col("url_path"),
        col("placeholders"),
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Row {
                file: c[f].to_owned(),
                method: c[m].to_owned(),
                url_path: c[u].to_owned(),
                placeholders: c[p] == "yes",
            }
        })
        .collect()
}

type Decoder = fn(&[u8]) -> Result<(), String>;

fn dec<T: DeserializeOwned>(b: &[u8]) -> Result<(), String> {
    serde_json::from_slice::<T>(b)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Maps an example to the decoder of the type Vigil uses for it, `Err(reason)` when excluded.
fn decoder_for(method: &str, url_path: &str, is_request: bool) -> Result<Decoder, String> {
    let path = url_path
        .split('?')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let path = path
        .trim_start_matches("/v1.0")
        .trim_start_matches("/beta")
        .to_owned();
    for ex in EXCLUDED {
        if path == *ex || path.starts_with(&format!("{ex}/")) {
            return Err(format!("excluded: {ex}"));
        }
    }
    let seg: Vec<&str> = path.trim_matches('/').split('/').collect();
    let post = method == "POST";
    let d: Decoder = match seg.as_slice() {
        ["security", "alerts_v2"] => dec::<ODataPage<Alert>>,
        ["security", "alerts_v2", _, "comments"] if is_request => dec::<NewComment>,
        ["security", "alerts_v2", _, "comments"] => dec::<ODataPage<AlertComment>>,
        ["security", "alerts_v2", _] if is_request => dec::<AlertUpdate>,
        ["security", "alerts_v2", _] => dec::<Alert>,
        ["security", "incidents"] => dec::<ODataPage<Incident>>,
        ["security", "incidents", _, "comments"] if is_request => dec::<NewComment>,
        ["security", "incidents", _, "comments"] => dec::<ODataPage<AlertComment>>,
        ["security", "incidents", _] if is_request => dec::<IncidentUpdate>,
        ["security", "incidents", _] => dec::<Incident>,
        ["security", "securescores"] => dec::<ODataPage<SecureScore>>,
        ["security", "securescores", _] => dec::<SecureScore>,
        ["security", "securescorecontrolprofiles"] => dec::<ODataPage<SecureScoreControlProfile>>,
        ["security", "securescorecontrolprofiles", _] if is_request => dec::<ControlProfileUpdate>,
        ["security", "securescorecontrolprofiles", _] => dec::<SecureScoreControlProfile>,
        ["security", "runhuntingquery"] if is_request => dec::<HuntingQuery>,
        ["security", "runhuntingquery"] => dec::<HuntingQueryResults>,
        ["security", "threatintelligence", "hosts", _] => dec::<Host>,
        ["security", "threatintelligence", "hosts", _, "reputation"] => dec::<HostReputation>,
        ["security", "threatintelligence", "articles"] => dec::<ODataPage<Article>>,
        ["security", "threatintelligence", "articles", _] => dec::<Article>,
        ["security", "threatintelligence", "intelprofiles"] => {
            dec::<ODataPage<IntelligenceProfile>>
        }
        ["security", "threatintelligence", "intelprofiles", _] => dec::<IntelligenceProfile>,
        ["security", "threatsubmission", _] if is_request => dec::<NewThreatSubmission>,
        ["security", "threatsubmission", _] if post => dec::<ThreatSubmission>,
        ["security", "threatsubmission", _] => dec::<ODataPage<ThreatSubmission>>,
        ["security", "threatsubmission", _, _] => dec::<ThreatSubmission>,
        ["users"] => dec::<ODataPage<User>>,
        ["users", _] | ["me"] => dec::<User>,
        ["devices"] => dec::<ODataPage<Device>>,
        ["devices", _] => dec::<Device>,
        ["security", "cases", "ediscoverycases", rest @ ..] => {
            return ediscovery(rest, method, is_request);
        }
        _ => return Err(format!("no model mapped for {method} {url_path}")),
    };
    Ok(d)
}

fn ediscovery(rest: &[&str], method: &str, req: bool) -> Result<Decoder, String> {
    let post = method == "POST";
    let d: Decoder = match rest {
        [] if req => dec::<CaseWrite>,
        [] if post => dec::<EdiscoveryCase>,
        [] => dec::<ODataPage<EdiscoveryCase>>,
        [_] if req => dec::<CaseWrite>,
        [_] => dec::<EdiscoveryCase>,
        [_, "settings"] => dec::<CaseSettings>,
        [_, "custodians"] if req => dec::<NewCustodian>,
        [_, "custodians"] if post => dec::<Custodian>,
        [_, "custodians"] => dec::<ODataPage<Custodian>>,
        [_, "custodians", _] => dec::<Custodian>,
        [_, "custodians", _, "lastindexoperation"] => dec::<CaseOperation>,
        [
            _,
            "custodians",
            _,
            "usersources" | "sitesources" | "unifiedgroupsources",
        ] if req => dec::<NewDataSource>,
        [
            _,
            "custodians",
            _,
            "usersources" | "sitesources" | "unifiedgroupsources",
        ] if post => dec::<DataSource>,
        [
            _,
            "custodians",
            _,
            "usersources" | "sitesources" | "unifiedgroupsources",
        ] => dec::<ODataPage<DataSource>>,
        [_, "noncustodialdatasources"] if req => dec::<NewNoncustodialDataSource>,
        [_, "noncustodialdatasources"] if post => dec::<NoncustodialDataSource>,
        [_, "noncustodialdatasources"] => dec::<ODataPage<NoncustodialDataSource>>,
        [_, "noncustodialdatasources", _] => dec::<NoncustodialDataSource>,
        [_, "operations"] => dec::<ODataPage<CaseOperation>>,
        [_, "operations", _] => dec::<CaseOperation>,
        [_, "reviewsets"] if req => dec::<NewReviewSet>,
        [_, "reviewsets"] if post => dec::<ReviewSet>,
        [_, "reviewsets"] => dec::<ODataPage<ReviewSet>>,
        [_, "reviewsets", _] => dec::<ReviewSet>,
        [_, "reviewsets", _, "addtoreviewset"] => dec::<AddToReviewSet>,
        [_, "reviewsets", _, "export"] => dec::<ReviewSetExport>,
        [_, "reviewsets", _, "queries"] if req => dec::<ReviewSetQueryWrite>,
        [_, "reviewsets", _, "queries"] if post => dec::<ReviewSetQuery>,
        [_, "reviewsets", _, "queries"] => dec::<ODataPage<ReviewSetQuery>>,
        [_, "reviewsets", _, "queries", _] if req => dec::<ReviewSetQueryWrite>,
        [_, "reviewsets", _, "queries", _] => dec::<ReviewSetQuery>,
        [_, "reviewsets", _, "queries", _, "applytags"] => dec::<ApplyTags>,
        [_, "reviewsets", _, "queries", _, "export"] => dec::<ReviewSetExport>,
        [_, "tags"] if req => dec::<TagWrite>,
        [_, "tags"] if post => dec::<ReviewTag>,
        [_, "tags"] | [_, "tags", "ashierarchy"] | [_, "tags", _, "childtags"] => {
            dec::<ODataPage<ReviewTag>>
        }
        [_, "tags", _] if req => dec::<TagWrite>,
        [_, "tags", _] => dec::<ReviewTag>,
        [_, "searches"] if req => dec::<SearchWrite>,
        [_, "searches"] if post => dec::<Search>,
        [_, "searches"] => dec::<ODataPage<Search>>,
        [_, "searches", _] if req => dec::<SearchWrite>,
        [_, "searches", _] => dec::<Search>,
        [_, "searches", _, "exportreport" | "exportresult"] => dec::<SearchExport>,
        [_, "searches", _, "estimatestatistics"] => dec::<EstimateStatistics>,
        [
            _,
            "searches",
            _,
            "lastestimatestatisticsoperation" | "addtoreviewsetoperation",
        ] => dec::<CaseOperation>,
        [_, "searches", _, "additionalsources"] if req => dec::<NewDataSource>,
        [_, "searches", _, "additionalsources"] if post => dec::<DataSource>,
        [_, "searches", _, "additionalsources" | "custodiansources"] => {
            dec::<ODataPage<DataSource>>
        }
        [_, "searches", _, "noncustodialsources"] => dec::<ODataPage<NoncustodialDataSource>>,
        _ => return Err(format!("no eDiscovery model mapped for {method} {rest:?}")),
    };
    Ok(d)
}

#[test]
fn documented_examples_of_used_resources_decode() {
    let dir = examples_dir();
    let rows = rows();
    assert!(
        rows.len() > 100,
        "INDEX.tsv looks truncated: {} rows",
        rows.len()
    );
    let (mut decoded, mut excluded, mut placeholders) = (0, 0, 0);
    let mut failures = Vec::new();
    for row in &rows {
        let bytes =
            std::fs::read(dir.join(&row.file)).unwrap_or_else(|e| panic!("{}: {e}", row.file));
        let is_request = row.file.ends_with(".request.json");
        match decoder_for(&row.method, &row.url_path, is_request) {
            Err(reason) if reason.starts_with("excluded") => excluded += 1,
            Err(reason) => failures.push(format!("{}: {reason}", row.file)),
            Ok(decode) => match decode(&bytes) {
                // Placeholder bodies must not panic (we got here) but need not decode.
                _ if row.placeholders => placeholders += 1,
                Ok(()) => decoded += 1,
                Err(e) => failures.push(format!("{}: {e}", row.file)),
            },
        }
    }
    assert!(
        failures.is_empty(),
        "{} example(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("decoded {decoded}, placeholders {placeholders}, excluded {excluded}");
    assert!(decoded >= 95, "only {decoded} examples decoded");
}

fn load<T: DeserializeOwned>(file: &str) -> T {
    let bytes = std::fs::read(examples_dir().join(file)).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn documented_alert_values_are_right() {
    let a: Alert = load("v1.0/security-alert/security-alert-get.json");
    assert_eq!(a.id.as_str(), "da637578995287051192_756343937");
    assert_eq!(a.status, Some(AlertStatus::New));
    assert_eq!(a.severity, Some(AlertSeverity::Low));
    assert_eq!(
        a.service_source,
        Some(ServiceSource::MicrosoftDefenderForEndpoint)
    );
    assert_eq!(a.detection_source, Some(DetectionSource::Antivirus));
    assert_eq!(a.resolved_date_time, None);
    assert_eq!(
        a.created_date_time.unwrap().to_rfc3339(),
        "2021-04-27T12:19:27.7211305Z"
    );
    let kinds: Vec<&str> = a.evidence.iter().map(|e| e.kind.name()).collect();
    assert_eq!(&kinds[..3], &["device", "file", "process"]);
    match &a.evidence[0].kind {
        EvidenceKind::Device(d) => {
            assert_eq!(d.os_build, Some(22424));
            assert_eq!(d.health_status, Some(DeviceHealthStatus::Active));
            assert_eq!(
                d.vm_metadata.as_ref().unwrap().cloud_provider,
                Some(VmCloudProvider::Azure)
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(a.evidence[0].common.roles, vec![EvidenceRole::Compromised]);
    match &a.evidence[1].kind {
        EvidenceKind::File(f) => {
            assert_eq!(f.file_details.as_ref().unwrap().file_size, Some(6_136_392))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn documented_incident_values_are_right() {
    let i: Incident = load("v1.0/security-incident/security-incident-get.json");
    assert_eq!(i.status, Some(IncidentStatus::Active));
    assert_eq!(i.determination, Some(AlertDetermination::MultiStagedAttack));
    assert_eq!(
        i.comments[0].created_by_display_name.as_deref(),
        Some("DavidS@contoso.onmicrosoft.com")
    );
    let p: ODataPage<Incident> = load("v1.0/security-incident/security-list-incidents-2.json");
    assert_eq!(p.value[0].tags(), ["Demo"]);
    assert!(!p.value[0].alerts.is_empty());
}

#[test]
fn documented_ediscovery_values_are_right() {
    let op: CaseOperation = load("v1.0/security-caseoperation/security-caseoperation-get.json");
    assert_eq!(op.common.status, Some(CaseOperationStatus::Running));
    assert_eq!(
        op.common.completed_date_time, None,
        "0001-01-01 is 'not set'"
    );
    assert_eq!(op.common.percent_progress, Some(50));
    assert!(matches!(
        op.details,
        CaseOperationDetails::AddToReviewSet { .. }
    ));
    let est: CaseOperation = load(
        "v1.0/security-ediscoverysearch/security-ediscoverysearch-list-lastestimatestatisticsoperation.json",
    );
    match est.details {
        CaseOperationDetails::Estimate(e) => assert_eq!(e.indexed_item_count, Some(1756)),
        other => panic!("{other:?}"),
    }
    let c: ODataPage<Custodian> =
        load("v1.0/security-ediscoverycustodian/security-ediscoverycase-list-custodians.json");
    assert_eq!(c.count, Some(1));
    assert_eq!(
        c.value[0].hold_status,
        Some(DataSourceHoldStatus::NotApplied)
    );
    assert_eq!(c.value[0].acknowledged_date_time, None);
    let tags: ODataPage<ReviewTag> =
        load("v1.0/security-ediscoveryreviewtag/security-ediscoverycase-list-tags.json");
    assert_eq!(
        tags.value[0].child_selectability,
        Some(ChildSelectability::Many)
    );
}

#[test]
fn documented_other_families_values_are_right() {
    let s: SecureScore = load("v1.0/securescore/securescore-get.json");
    assert_eq!(s.current_score, Some(387.0));
    assert_eq!(s.average_comparative_scores.len(), 3);
    let h: HuntingQueryResults =
        load("v1.0/security-huntingqueryresults/security-security-runhuntingquery-3.json");
    assert_eq!(h.schema[0].name, "Timestamp");
    assert_eq!(h.schema[0].kind, "DateTime");
    let rep: HostReputation =
        load("v1.0/security-threatintelligence/security-host-get-reputation.json");
    assert_eq!(
        rep.classification,
        Some(HostReputationClassification::Malicious)
    );
    let sub: ThreatSubmission = load(
        "beta/security-threatsubmission/security-emailthreatsubmission-post-emailthreats-1.json",
    );
    assert_eq!(sub.kind(), "emailUrlThreatSubmission");
    assert_eq!(sub.category, Some(SubmissionCategory::Spam));
    let req: NewThreatSubmission = load(
        "beta/security-threatsubmission/security-urlthreatsubmission-post-urlthreats.request.json",
    );
    assert_eq!(req.kind, SubmissionKind::Url);
}
