//! eDiscovery (Purview Premium) under `/security/cases/ediscoveryCases` (reference §4): cases in
//! every status, custodians and their sources, non-custodial sources, searches, review sets and
//! queries, tags, and long-running operations whose progress follows the wall clock.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::error::{GraphError, GraphResponse, GraphResult};
use crate::graph::{Ctx, Req, no_method};
use crate::odata::{self, Collection, Kind, ListSpec, Query};
use crate::seed::alerts::DAY;
use crate::seed::entities::{Entities, Person};
use crate::util::{Rng, fmt_ms, now_ms, process_random};

const NOT_SET: &str = "0001-01-01T00:00:00Z";
const READ: &[&str] = &["eDiscovery.Read.All", "eDiscovery.ReadWrite.All"];
const WRITE: &[&str] = &["eDiscovery.ReadWrite.All"];

const LIST_SPEC: ListSpec = ListSpec {
    filterable: &[
        ("displayName", Kind::Str),
        ("status", Kind::Str),
        ("action", Kind::Str),
        ("holdStatus", Kind::Str),
        ("createdDateTime", Kind::DateTime),
        ("lastModifiedDateTime", Kind::DateTime),
    ],
    orderable: &[],
    expandable: &["dataSource"],
    select: false,
    default_top: 100,
    max_top: 1000,
};

/// How a simulated operation runs: it starts at `start_ms`, takes `duration_ms`, then ends in `outcome`.
#[derive(Debug, Clone)]
pub struct Sim {
    start_ms: i64,
    duration_ms: i64,
    outcome: &'static str,
}

/// One entity with its navigation collections. Keys starting with `_` are private links.
#[derive(Debug, Clone, Default)]
pub struct Node {
    props: Map<String, Value>,
    kids: BTreeMap<&'static str, Vec<Node>>,
    sim: Option<Sim>,
}

impl Node {
    fn new(props: Value) -> Node {
        Node {
            props: props.as_object().cloned().unwrap_or_default(),
            ..Default::default()
        }
    }
    fn id(&self) -> &str {
        self.props
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
    fn kids(&self, nav: &'static str) -> &[Node] {
        self.kids.get(nav).map(Vec::as_slice).unwrap_or(&[])
    }
    fn kid(&self, nav: &'static str, id: &str) -> Option<&Node> {
        self.kids(nav).iter().find(|n| n.id() == id)
    }
    fn kid_mut(&mut self, nav: &'static str, id: &str) -> Option<&mut Node> {
        self.kids
            .get_mut(nav)
            .and_then(|v| v.iter_mut().find(|n| n.id() == id))
    }
    fn add(&mut self, nav: &'static str, n: Node) {
        self.kids.entry(nav).or_default().push(n);
    }
}

#[derive(Debug, Clone, Default)]
pub struct Cases {
    cases: Vec<Node>,
    ops_started: u64,
    duration_ms: i64,
    /// `--operation-speed`: every eDiscovery duration (operations, hold-policy sync) is divided by it.
    speed: f64,
}

/// How long a legal hold policy stays `pending` after a write before it is in force (at speed 1).
const POLICY_SYNC_MS: i64 = 60_000;

/// What a response is rendered against: the clock, and whether the caller asked for the
/// evolvable-enum members after `unknownFutureValue` (`Prefer: include-unknown-enum-members`).
#[derive(Clone, Copy)]
struct View {
    now: i64,
    unknown_enums: bool,
}

/// caseAction members listed after `unknownFutureValue`: sent as `unknownFutureValue` unless asked for.
const OPT_IN_ACTIONS: &[&str] = &[
    "purgeData",
    "exportReport",
    "exportResult",
    "holdPolicySync",
];

const NS: &str = "microsoft.graph.security.";

/// `microsoft.graph.security.close` → `close`, `asHierarchy()` → `asHierarchy`: actions and
/// functions answer by their short and their namespace-qualified name, as in Graph.
fn short_name(s: &str) -> &str {
    let t = match s.get(..NS.len()) {
        Some(p) if p.eq_ignore_ascii_case(NS) => &s[NS.len()..],
        _ => s,
    };
    t.strip_suffix("()").unwrap_or(t)
}

const CASE_NAVS: &[&str] = &[
    "custodians",
    "noncustodialDataSources",
    "searches",
    "reviewSets",
    "tags",
    "operations",
    "legalHolds",
];
const SUB_NAVS: &[&str] = &[
    "userSources",
    "siteSources",
    "unifiedGroupSources",
    "queries",
    "childTags",
    "additionalSources",
    "custodianSources",
    "noncustodialSources",
];

fn canon(list: &[&'static str], s: &str) -> Option<&'static str> {
    list.iter().find(|x| x.eq_ignore_ascii_case(s)).copied()
}

fn identity(p: &Person) -> Value {
    json!({"application": {"id": crate::state::CLIENT_ID, "displayName": "Vigil"}, "user": {"id": p.id, "displayName": p.display, "userPrincipalName": p.upn}})
}

fn caller(ctx: &Ctx) -> Value {
    json!({"application": {"id": ctx.client_id, "displayName": "Vigil"}, "user": {"id": ctx.oid, "displayName": ctx.upn, "userPrincipalName": ctx.upn}})
}

fn user_source(rng: &mut Rng, p: &Person, by: &Value, at: &str, hold: &str) -> Node {
    Node::new(json!({
        "@odata.type": "#microsoft.graph.security.userSource", "displayName": p.display, "createdDateTime": at, "holdStatus": hold,
        "id": rng.guid(), "email": p.upn, "includedSources": "mailbox,site",
        "siteWebUrl": format!("https://{}-my.sharepoint.com/personal/{}/", p.upn.split('@').nth(1).unwrap_or("contoso").split('.').next().unwrap_or("contoso"), p.account.replace('.', "_")),
        "createdBy": by,
    }))
}

fn site_source(rng: &mut Rng, name: &str, e: &Entities, by: &Value, at: &str, hold: &str) -> Node {
    let id = rng.guid();
    let tenant = e.domain.split('.').next().unwrap_or("contoso");
    Node::new(json!({
        "@odata.type": "#microsoft.graph.security.siteSource", "@odata.id": format!("https://graph.microsoft.com/v1.0/sites/{id}"),
        "displayName": name, "createdDateTime": at, "holdStatus": hold, "id": id, "createdBy": by,
        "site": {"webUrl": format!("https://{tenant}.sharepoint.com/sites/{}", name.replace([' ', '.'], "")), "id": id, "createdDateTime": at},
    }))
}

fn group_source(rng: &mut Rng, name: &str, e: &Entities, by: &Value, at: &str) -> Node {
    let id = rng.guid();
    let tenant = e.domain.split('.').next().unwrap_or("contoso");
    let mail = name
        .split_whitespace()
        .next()
        .unwrap_or("group")
        .to_lowercase();
    Node::new(json!({
        "@odata.type": "#microsoft.graph.security.unifiedGroupSource", "@odata.id": format!("https://graph.microsoft.com/v1.0/groups/{id}"),
        "displayName": name, "createdDateTime": at, "holdStatus": "applied", "id": id, "includedSources": "mailbox,site", "createdBy": by,
        "group": {"email": format!("{mail}@{}", e.domain), "webUrl": format!("https://{tenant}.sharepoint.com/sites/{mail}"), "id": id, "displayName": name, "createdDateTime": at},
    }))
}

/// The `@odata.type` and `action` of each kind of operation.
fn op_kind(action: &str) -> &'static str {
    match action {
        "estimateStatistics" => "ediscoveryEstimateOperation",
        "addToReviewSet" => "ediscoveryAddToReviewSetOperation",
        "holdUpdate" => "ediscoveryHoldOperation",
        "index" => "ediscoveryIndexOperation",
        "contentExport" => "ediscoveryExportOperation",
        "exportResult" | "exportReport" => "ediscoverySearchExportOperation",
        "purgeData" => "ediscoveryPurgeDataOperation",
        "applyTags" => "ediscoveryTagOperation",
        _ => "caseOperation",
    }
}

fn new_op(
    rng: &mut Rng,
    action: &'static str,
    by: &Value,
    sim: Sim,
    links: &[(&str, &str)],
    extra: Value,
) -> Node {
    let mut n = Node::new(json!({
        "@odata.type": format!("#microsoft.graph.security.{}", op_kind(action)),
        "id": rng.hex(32), "action": action, "createdDateTime": fmt_ms(sim.start_ms), "createdBy": by,
    }));
    for (k, v) in links {
        n.props.insert(format!("_{k}"), json!(v));
    }
    if let Value::Object(o) = extra {
        n.props.extend(o);
    }
    n.sim = Some(sim);
    n
}

/// Renders an operation as of now: status, progress and results follow the clock. An action
/// listed after `unknownFutureValue` is sent as `unknownFutureValue` unless the caller opted in.
fn render_op(n: &Node, v: &View) -> Map<String, Value> {
    let mut m = render_op_status(n, v.now);
    if !v.unknown_enums
        && m.get("action")
            .and_then(Value::as_str)
            .is_some_and(|a| OPT_IN_ACTIONS.contains(&a))
    {
        m.insert("action".into(), json!("unknownFutureValue"));
    }
    m
}

fn render_op_status(n: &Node, now: i64) -> Map<String, Value> {
    let mut m = public(&n.props);
    let Some(sim) = &n.sim else { return m };
    let elapsed = now - sim.start_ms;
    let action = m
        .get("action")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if sim.outcome == "submissionFailed" {
        // Refused when it was submitted: final from the start, nothing ran.
        m.insert("status".into(), json!("submissionFailed"));
        m.insert("percentProgress".into(), json!(0));
        m.insert("completedDateTime".into(), json!(fmt_ms(sim.start_ms)));
        m.insert(
            "resultInfo".into(),
            json!({"code": 400, "message": "The operation could not be submitted: another operation of this kind is already queued for the case.", "subcode": 3}),
        );
        return m;
    }
    if elapsed < sim.duration_ms {
        let pct = (elapsed.max(0) * 100 / sim.duration_ms.max(1)).clamp(0, 99);
        m.insert(
            "status".into(),
            json!(if pct < 5 { "notStarted" } else { "running" }),
        );
        m.insert("percentProgress".into(), json!(pct));
        m.insert("completedDateTime".into(), json!(NOT_SET));
        m.insert("resultInfo".into(), Value::Null);
    } else {
        m.insert("status".into(), json!(sim.outcome));
        m.insert(
            "percentProgress".into(),
            json!(if sim.outcome == "failed" { 60 } else { 100 }),
        );
        m.insert(
            "completedDateTime".into(),
            json!(fmt_ms(sim.start_ms + sim.duration_ms)),
        );
        m.insert(
            "resultInfo".into(),
            match sim.outcome {
                "failed" => json!({"code": 500, "message": "The operation failed: the search timed out on 2 locations.", "subcode": 2}),
                "partiallySucceeded" => json!({"code": 206, "message": "Some locations could not be processed (mailbox on hold is inactive).", "subcode": 1}),
                _ => Value::Null,
            },
        );
        if action == "estimateStatistics" && sim.outcome != "failed" {
            let seed = sim.start_ms.rem_euclid(9973);
            for (k, v) in [
                ("indexedItemCount", 1200 + seed),
                ("indexedItemsSize", 89_000_000 + seed * 1000),
                ("unindexedItemCount", seed % 7),
                ("unindexedItemsSize", (seed % 7) * 57_952),
                ("mailboxCount", 4 + seed % 3),
                ("siteCount", 2 + seed % 5),
            ] {
                m.insert(k.into(), json!(v));
            }
        }
        if matches!(
            action.as_str(),
            "exportResult" | "exportReport" | "contentExport"
        ) && sim.outcome != "failed"
        {
            let files = json!([{"downloadUrl": format!("https://proddata.blob.core.windows.net/export/{}/Export.zip", m.get("id").and_then(Value::as_str).unwrap_or("x")), "fileName": "Export.zip", "size": 5_242_880 + sim.start_ms.rem_euclid(100_000)}]);
            if action == "contentExport" {
                m.insert("exportFileMetadata".into(), files[0].clone());
            } else {
                m.insert("exportFileMetadata".into(), files);
            }
        }
    }
    m
}

fn public(props: &Map<String, Value>) -> Map<String, Value> {
    props
        .iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// A custodian's or non-custodial source's hold status as of now: `applying`/`removing` while
/// its hold operation runs, then `applied`/`notApplied` when it succeeds, `partial` when it
/// partially succeeds, and back to where it was when it fails.
fn render_source(case: &Node, n: &Node, now: i64) -> Map<String, Value> {
    let mut m = n.props.clone();
    let Some(op_id) = n.props.get("_holdOp").and_then(Value::as_str) else {
        return m;
    };
    let text = |k: &str| {
        n.props
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("notApplied")
    };
    let settled = match case.kid("operations", op_id).and_then(|o| o.sim.as_ref()) {
        Some(sim) if sim.outcome == "submissionFailed" => Some(text("_holdFrom")),
        Some(sim) if now >= sim.start_ms + sim.duration_ms => Some(match sim.outcome {
            "succeeded" => text("_holdTo"),
            "partiallySucceeded" => "partial",
            _ => text("_holdFrom"),
        }),
        Some(_) => None,
        // The operation is gone (never, short of a hand-edited state file): settle.
        None => Some(text("_holdTo")),
    };
    if let Some(s) = settled {
        m.insert("holdStatus".into(), json!(s));
    }
    m
}

/// One source under a custodian (or a legal hold) as of now. A custodian's sources are held
/// with the custodian: each carries the custodian's hold status, moving as it moves. Listed
/// under a custodian they come without `@odata.type`, as Microsoft's examples show.
fn render_sub(case: &Node, nav: &str, owner: &Node, n: &Node, v: &View) -> Map<String, Value> {
    let mut m = n.props.clone();
    if nav == "custodians" {
        m.remove("@odata.type");
        let held = render_source(case, owner, v.now).remove("holdStatus");
        m.insert("holdStatus".into(), held.unwrap_or(json!("notApplied")));
    }
    m
}

/// A legal hold policy as of now: `pending` until its sync time, then `success` (or `error`
/// with `errors`, for the seeded failing one until `retryPolicy`).
fn render_policy(n: &Node, now: i64) -> Map<String, Value> {
    let mut m = n.props.clone();
    let settle = n
        .props
        .get("_settleAtMs")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    if now < settle {
        m.insert("status".into(), json!("pending"));
        m.insert("errors".into(), json!([]));
    } else {
        let outcome = n
            .props
            .get("_outcome")
            .and_then(Value::as_str)
            .unwrap_or("success");
        m.insert("status".into(), json!(outcome));
        m.insert(
            "errors".into(),
            if outcome == "error" {
                n.props.get("_errors").cloned().unwrap_or(json!([]))
            } else {
                json!([])
            },
        );
    }
    m
}

/// A case's item as served now (private `_` keys are dropped later by `list`/`entity`).
fn render_kid(case: &Node, nav: &str, n: &Node, v: &View) -> Map<String, Value> {
    match nav {
        "operations" => render_op(n, v),
        "custodians" | "noncustodialDataSources" => render_source(case, n, v.now),
        "legalHolds" => render_policy(n, v.now),
        _ => n.props.clone(),
    }
}

/// The case load of a tenant: (status, name, age in days). Five hand-picked cases, one per
/// status, then a few dozen opened over the last year (older ones mostly closed), with the
/// tenant's own names.
fn case_specs(rng: &mut Rng, fabrikam: bool) -> Vec<(&'static str, String, i64)> {
    type Spec = (&'static str, &'static str, i64);
    let (first, topics, prefix): (&[Spec], &[&str], &str) = if fabrikam {
        (
            &[
                ("active", "FABRIKAM v. Northwind Traders", 35),
                ("active", "Plant 7 safety whistleblower complaint", 9),
                ("closed", "Supplier kickback inquiry 2024", 150),
                ("closing", "Records retention: Procurement", 70),
                (
                    "closedWithError",
                    "Archive migration from on-prem Exchange",
                    230,
                ),
            ],
            &[
                "Patent dispute: coil winding",
                "Product recall: model FX-200",
                "Export control review",
                "Dealer contract termination",
                "Wage and hour class action",
                "Environmental permit audit",
                "Warranty fraud referral",
                "Trade secret departure: R&D",
            ],
            "FAB",
        )
    } else {
        (
            &[
                ("active", "CONTOSO LITIGATION-005", 40),
                ("active", "HR investigation: payroll portal phishing", 12),
                ("closed", "Insider exfiltration 2024-Q3", 120),
                ("closing", "Retention review: Finance", 60),
                ("closedWithError", "Legacy mailbox import", 200),
            ],
            &[
                "Employment dispute",
                "Vendor contract breach",
                "Regulatory request: SEC",
                "Data subject access request",
                "Harassment complaint",
                "M&A due diligence",
                "Antitrust inquiry",
                "Expense fraud investigation",
                "Litigation hold: product liability",
            ],
            "CTS",
        )
    };
    let mut out: Vec<(&'static str, String, i64)> = first
        .iter()
        .map(|(s, n, a)| (*s, (*n).to_string(), *a))
        .collect();
    let extra = 28 + rng.below(8) as i64;
    for i in 0..extra {
        let age = 3 + (362 * i) / extra + rng.below(5) as i64;
        let status = if age > 150 {
            *rng.pick(&["closed", "closed", "closed", "closedWithError"])
        } else if age > 60 {
            *rng.pick(&["closed", "active", "active", "closing"])
        } else {
            "active"
        };
        let topic = rng.pick(topics);
        out.push((status, format!("{prefix}-{:04} {topic}", 1100 + i * 7), age));
    }
    if let Some(x) = out.iter_mut().rev().find(|x| x.0 == "closed") {
        x.0 = "pendingDelete";
    }
    out
}

/// Seeds the tenant's cases (see `case_specs`) with everything a case holds, several operations
/// running at once across cases, one refused at submission, and legal hold policies.
pub fn seed(rng: &mut Rng, e: &Entities, now: i64) -> Cases {
    let erin = &e.people[2];
    let by = identity(erin);
    let statuses = case_specs(rng, e.domain.starts_with("fabrikam"));
    let mut cases = Vec::new();
    let mut cs = Cases {
        cases: Vec::new(),
        ops_started: 0,
        duration_ms: 20_000,
        speed: 1.0,
    };
    for (ci, (status, name, age)) in statuses.iter().enumerate() {
        let (status, name, age) = (*status, name.as_str(), *age);
        let created = fmt_ms(now - age * DAY);
        let closed = matches!(
            status,
            "closed" | "closedWithError" | "closing" | "pendingDelete"
        );
        let mut case = Node::new(json!({
            "id": rng.guid(), "displayName": name, "description": format!("Case {} opened by the legal team.", ci + 1), "externalId": format!("{}", 324_510 + ci),
            "status": status, "createdDateTime": created, "lastModifiedDateTime": fmt_ms(now - (age / 2) * DAY),
            "closedDateTime": if closed { json!(fmt_ms(now - (age / 3) * DAY)) } else { Value::Null },
            "createdBy": by, "lastModifiedBy": by, "closedBy": if closed { by.clone() } else { json!({"application": null, "user": {"id": null, "displayName": ""}}) },
        }));
        case.props.insert("_settings".into(), json!({
            "redundancyDetection": {"isEnabled": true, "similarityThreshold": 65, "minWords": 10, "maxWords": 500000},
            "topicModeling": {"isEnabled": ci % 2 == 0, "ignoreNumbers": true, "topicCount": 100, "dynamicallyAdjustTopicCount": true},
            "ocr": {"isEnabled": false, "maxImageSize": 24576, "timeout": "PT1M"},
        }));
        let holds = ["applied", "notApplied", "applying", "partial", "removing"];
        for k in 0..3 {
            let p = &e.people[(5 + ci * 3 + k) % e.people.len()];
            let cid = rng.hex(32);
            let hold = holds[(ci + k) % holds.len()];
            let mut cust = Node::new(json!({
                "id": cid, "displayName": p.display, "email": p.upn, "status": if k == 2 && closed { "released" } else { "active" },
                "holdStatus": hold, "createdDateTime": created, "lastModifiedDateTime": created,
                "releasedDateTime": if k == 2 && closed { json!(fmt_ms(now - DAY)) } else { Value::Null }, "acknowledgedDateTime": NOT_SET,
            }));
            if matches!(hold, "applying" | "removing") {
                // Moving through a hold operation that finishes a few minutes after start.
                let op = new_op(
                    rng,
                    "holdUpdate",
                    &by,
                    Sim {
                        start_ms: now - 30_000 - (ci as i64 % 7) * 5_000,
                        duration_ms: 150_000 + (ci as i64 % 5) * 30_000,
                        outcome: "succeeded",
                    },
                    &[("custodian", &cid)],
                    json!({}),
                );
                let (to, from) = if hold == "applying" {
                    ("applied", "notApplied")
                } else {
                    ("notApplied", "applied")
                };
                cust.props.insert("_holdOp".into(), json!(op.id()));
                cust.props.insert("_holdTo".into(), json!(to));
                cust.props.insert("_holdFrom".into(), json!(from));
                case.add("operations", op);
            }
            cust.add("userSources", user_source(rng, p, &by, &created, "applied"));
            if k == 0 {
                cust.add(
                    "siteSources",
                    site_source(rng, "U.S. Sales", e, &by, &created, "applied"),
                );
                cust.add(
                    "unifiedGroupSources",
                    group_source(rng, "Design (Mailbox)", e, &by, &created),
                );
                let op = new_op(
                    rng,
                    "index",
                    &by,
                    Sim {
                        start_ms: now - 3 * DAY,
                        duration_ms: 600_000,
                        outcome: "succeeded",
                    },
                    &[("custodian", &cid)],
                    json!({}),
                );
                case.add("operations", op);
            }
            case.add("custodians", cust);
        }
        for (k, site) in ["Sales and Marketing", "Design - top secret"]
            .iter()
            .enumerate()
        {
            let mut nc = Node::new(json!({
                "id": rng.hex(32), "displayName": site, "status": if k == 1 && closed { "released" } else { "active" }, "holdStatus": if k == 0 { "applied" } else { "notApplied" },
                "createdDateTime": created, "lastModifiedDateTime": created, "releasedDateTime": NOT_SET,
            }));
            let mut ds = site_source(
                rng,
                site,
                e,
                &json!({"application": null, "user": {"id": erin.id, "displayName": null}}),
                &created,
                "0",
            );
            ds.props.insert("holdStatus".into(), json!("0"));
            nc.props
                .insert("_dataSource".into(), Value::Object(ds.props));
            case.add("noncustodialDataSources", nc);
        }
        for (k, (sname, q)) in [
            (
                "Phishing emails",
                "subject:\"Invoice overdue\" AND received>=2024-01-01",
            ),
            ("Teams messages", "messagekind:microsoftteams"),
        ]
        .iter()
        .enumerate()
        {
            let sid = rng.guid();
            let mut s = Node::new(json!({
                "id": sid, "displayName": sname, "description": format!("Search {}", k + 1), "contentQuery": q,
                "dataSourceScopes": if k == 0 { "allCaseCustodians" } else { "none" }, "createdDateTime": created, "lastModifiedDateTime": created,
                "createdBy": by, "lastModifiedBy": by,
            }));
            let p = &e.people[(5 + ci * 3) % e.people.len()];
            s.add("custodianSources", user_source(rng, p, &by, NOT_SET, "0"));
            s.add(
                "additionalSources",
                user_source(
                    rng,
                    &e.people[(9 + ci) % e.people.len()],
                    &json!({"application": null, "user": {"id": null, "displayName": null}}),
                    NOT_SET,
                    "0",
                ),
            );
            s.add(
                "additionalSources",
                site_source(
                    rng,
                    "Finance",
                    e,
                    &json!({"application": null, "user": {"id": null, "displayName": null}}),
                    NOT_SET,
                    "0",
                ),
            );
            let outcome = ["succeeded", "partiallySucceeded", "failed"][(ci + k) % 3];
            let op = new_op(
                rng,
                "estimateStatistics",
                &by,
                Sim {
                    start_ms: now - (age / 2 + 1) * DAY,
                    duration_ms: 120_000,
                    outcome,
                },
                &[("search", &sid)],
                json!({}),
            );
            case.add("operations", op);
            case.add("searches", s);
        }
        let rsid = rng.guid();
        let mut rs = Node::new(
            json!({"id": rsid, "displayName": "Review set 1", "createdDateTime": created, "createdBy": by}),
        );
        for (qn, qq) in [
            (
                "[AutoGen] For Review",
                "((FileClass=\"Email\") OR (FileClass=\"Document\"))",
            ),
            ("Hot documents", "((Author=\"edison\"))"),
        ] {
            rs.add("queries", Node::new(json!({"id": rng.guid(), "displayName": qn, "description": null, "contentQuery": qq, "createdDateTime": created, "lastModifiedDateTime": created, "createdBy": by, "lastModifiedBy": by})));
        }
        case.add("reviewSets", rs);
        let add_op = new_op(
            rng,
            "addToReviewSet",
            &by,
            Sim {
                start_ms: now - (age / 2) * DAY,
                duration_ms: 300_000,
                outcome: "partiallySucceeded",
            },
            &[("reviewSet", &rsid)],
            json!({}),
        );
        case.add("operations", add_op);
        let export_op = new_op(
            rng,
            "contentExport",
            &by,
            Sim {
                start_ms: now - DAY,
                duration_ms: 200_000,
                outcome: "failed",
            },
            &[("reviewSet", &rsid)],
            json!({"description": "Export for outside counsel", "outputName": "Export 1", "exportOptions": "originalFiles,tags", "exportStructure": "directory"}),
        );
        case.add("operations", export_op);
        case.add(
            "operations",
            new_op(
                rng,
                "holdUpdate",
                &by,
                Sim {
                    start_ms: now - 2 * DAY,
                    duration_ms: 60_000,
                    outcome: "succeeded",
                },
                &[],
                json!({}),
            ),
        );
        if ci == 0 {
            // One long job still running when the demo starts.
            case.add(
                "operations",
                new_op(
                    rng,
                    "estimateStatistics",
                    &by,
                    Sim {
                        start_ms: now - 600_000,
                        duration_ms: 7_200_000,
                        outcome: "succeeded",
                    },
                    &[],
                    json!({}),
                ),
            );
        }
        seed_running(rng, &mut case, ci, status, &by, now);
        seed_holds(rng, &mut case, e, ci, name, &by, &created, now);
        let parent = rng.hex(32);
        for (tn, desc, sel, par) in [
            ("Responsive", "", "One", None),
            ("Not responsive", "", "One", None),
            ("Privileged", "Attorney-client privilege", "Many", None),
            (
                "Processing",
                "Determine whether to outsource processing",
                "Many",
                Some(()),
            ),
            ("External", "", "One", Some(())),
        ] {
            let id = if tn == "Privileged" {
                parent.clone()
            } else {
                rng.hex(32)
            };
            let mut t = Node::new(
                json!({"id": id, "displayName": tn, "description": desc, "childSelectability": sel, "lastModifiedDateTime": created, "createdBy": by}),
            );
            if par.is_some() {
                t.props.insert("_parent".into(), json!(parent));
            }
            case.add("tags", t);
        }
        cases.push(case);
    }
    cs.cases = cases;
    cs
}

/// Work in flight across the active cases: every third active case has an operation running
/// (one just submitted, so still `notStarted`), each finishing at its own time, and every
/// seventh case one refused at submission (`submissionFailed`).
fn seed_running(rng: &mut Rng, case: &mut Node, ci: usize, status: &str, by: &Value, now: i64) {
    if status == "active" && ci % 3 == 1 {
        let kinds: [(&'static str, Value); 6] = [
            (
                "exportResult",
                json!({"displayName": "Export for outside counsel", "exportCriteria": "searchHits, partiallyIndexed", "exportFormat": "pst", "exportLocation": "responsiveLocations", "additionalOptions": "none"}),
            ),
            ("addToReviewSet", json!({})),
            ("index", json!({})),
            (
                "contentExport",
                json!({"description": "Production set", "outputName": "Production", "exportOptions": "originalFiles", "exportStructure": "directory"}),
            ),
            ("estimateStatistics", json!({})),
            ("purgeData", json!({})),
        ];
        let (action, extra) = kinds[(ci / 3) % kinds.len()].clone();
        let (start_ms, duration_ms) = if ci == 1 {
            (now - 5_000, 3_600_000)
        } else {
            (
                now - rng.range(60_000, 900_000),
                rng.range(1_200_000, 5_400_000),
            )
        };
        let outcome = ["succeeded", "failed", "partiallySucceeded"][(ci / 3) % 3];
        let op = new_op(
            rng,
            action,
            by,
            Sim {
                start_ms,
                duration_ms,
                outcome,
            },
            &[],
            extra,
        );
        case.add("operations", op);
    }
    if ci % 7 == 3 {
        let op = new_op(
            rng,
            "exportReport",
            by,
            Sim {
                start_ms: now - (ci as i64 + 1) * 3_600_000,
                duration_ms: 1,
                outcome: "submissionFailed",
            },
            &[],
            json!({"displayName": "Search report", "exportCriteria": "searchHits", "additionalOptions": "none"}),
        );
        case.add("operations", op);
    }
}

/// Legal hold policies (served in beta only): one per case over two of its custodians and a
/// site; the first case's second policy was created just now and is still `pending`; the second
/// case's second policy is in `error` until `retryPolicy`.
// The seed's pieces are passed as they are; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn seed_holds(
    rng: &mut Rng,
    case: &mut Node,
    e: &Entities,
    ci: usize,
    name: &str,
    by: &Value,
    created: &str,
    now: i64,
) {
    let emails: Vec<String> = case
        .kids("custodians")
        .iter()
        .take(2)
        .filter_map(|c| {
            c.props
                .get("email")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    let mut policies = vec![(format!("{name} - hold"), "success", 0i64)];
    if ci == 0 {
        // Pending now, in force 40 s after start.
        policies.push((
            "Preservation: new custodians".to_string(),
            "success",
            40_000,
        ));
    }
    if ci == 1 {
        policies.push(("Preservation: departed staff".to_string(), "error", 0));
    }
    for (pn, outcome, pending_for) in policies {
        let at = if pending_for > 0 {
            fmt_ms(now - 20_000)
        } else {
            created.to_string()
        };
        let mut h = Node::new(json!({
            "id": rng.guid(), "displayName": pn, "description": "Preserve mailbox and OneDrive content for the matter.",
            "contentQuery": if ci.is_multiple_of(2) { "" } else { "(subject:\"invoice\") OR (received>=2024-01-01)" }, "isEnabled": true,
            "status": "pending", "errors": [], "createdBy": by, "createdDateTime": at, "lastModifiedBy": by, "lastModifiedDateTime": at,
        }));
        h.props.insert(
            "_settleAtMs".into(),
            json!(if pending_for > 0 {
                now + pending_for
            } else {
                now - DAY
            }),
        );
        h.props.insert("_outcome".into(), json!(outcome));
        if outcome == "error" {
            h.props.insert(
                "_errors".into(),
                json!([
                    "Location 'https://contoso.sharepoint.com/sites/Legacy' could not be found.",
                    "Mailbox 'former.employee' is inactive and cannot be placed on hold."
                ]),
            );
        }
        for m in &emails {
            let p = e.people.iter().find(|p| &p.upn == m);
            if let Some(p) = p {
                h.add("userSources", user_source(rng, p, by, created, "applied"));
            }
        }
        h.add(
            "siteSources",
            site_source(rng, "Legal", e, by, created, "applied"),
        );
        case.add("legalHolds", h);
    }
}

impl Cases {
    pub fn set_operation_duration(&mut self, ms: i64) {
        self.duration_ms = ms.max(1);
    }
    fn case(&self, id: &str) -> Result<&Node, GraphError> {
        self.cases
            .iter()
            .find(|c| c.id() == id)
            .ok_or_else(|| GraphError::not_found("The case"))
    }
    fn case_mut(&mut self, id: &str) -> Result<&mut Node, GraphError> {
        self.cases
            .iter_mut()
            .find(|c| c.id() == id)
            .ok_or_else(|| GraphError::not_found("The case"))
    }
    /// Outcomes of new operations, by their number: every sixth fails, every sixth-but-one
    /// partially succeeds, except every twelfth-but-two, which is refused at submission.
    fn next_outcome(&mut self) -> &'static str {
        self.ops_started += 1;
        match (self.ops_started % 12, self.ops_started % 6) {
            (10, _) => "submissionFailed",
            (_, 4) => "partiallySucceeded",
            (_, 5) => "failed",
            _ => "succeeded",
        }
    }
    /// A duration at the configured `--operation-speed`.
    fn scaled(&self, ms: i64) -> i64 {
        ((ms as f64) / self.speed.max(1e-6)).round().max(1.0) as i64
    }
    /// `--operation-speed F`: new operations and hold-policy syncs take 1/F of their time, and
    /// seeded work still running at `now` finishes F times sooner.
    pub fn set_speed(&mut self, speed: f64, now: i64) {
        let speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            1.0
        };
        let ratio = self.speed.max(1e-6) / speed;
        self.speed = speed;
        let rescale = |end: i64| now + (((end - now) as f64) * ratio).round() as i64;
        for c in &mut self.cases {
            for op in c.kids.get_mut("operations").into_iter().flatten() {
                if let Some(sim) = op.sim.as_mut() {
                    let end = sim.start_ms + sim.duration_ms;
                    if end > now {
                        sim.duration_ms = (rescale(end) - sim.start_ms).max(1);
                    }
                }
            }
            for h in c.kids.get_mut("legalHolds").into_iter().flatten() {
                if let Some(t) = h.props.get("_settleAtMs").and_then(Value::as_i64)
                    && t > now
                {
                    h.props.insert("_settleAtMs".into(), json!(rescale(t)));
                }
            }
        }
    }

    /// What `--state` saves after a successful write under `ediscoveryCases[/{case}…]`: the
    /// whole written case with everything it holds (custodians and their sources, searches,
    /// review sets and queries, tags, operations with their timing), or a tombstone if the case
    /// was deleted; plus the operation counter, so every sixth operation still fails after a
    /// restart. `case` is the first path segment (`None` when a case was created).
    pub fn persisted_after_write(&self, case: Option<&str>) -> Vec<(&'static str, Value)> {
        let mut out = Vec::new();
        let written = match case {
            Some(cid) => self.cases.iter().find(|c| c.id() == cid),
            None => self.cases.last(),
        };
        match (written, case) {
            (Some(c), _) => out.push((PERSIST_CASES, json!({"id": c.id(), "case": c.to_json()}))),
            (None, Some(cid)) => out.push((
                PERSIST_CASES,
                json!({"id": cid, "@removed": {"reason": "deleted"}}),
            )),
            (None, None) => {}
        }
        out.push((
            PERSIST_META,
            json!({"id": "operations", "started": self.ops_started}),
        ));
        out
    }

    /// Applies what `--state` saved over the seeded cases: a saved case replaces the seeded
    /// one with its id (or is added after the seeded ones, oldest first), a tombstone removes it.
    pub fn restore(&mut self, saved: &[Value], meta: &[Value]) -> Result<(), String> {
        let mut added = Vec::new();
        for v in saved {
            let id = v.get("id").and_then(Value::as_str).unwrap_or_default();
            if v.get("@removed").is_some() {
                self.cases.retain(|c| c.id() != id);
                continue;
            }
            let node = v
                .get("case")
                .ok_or_else(|| format!("eDiscovery case {id}: no 'case'"))
                .and_then(Node::from_json)
                .map_err(|e| format!("eDiscovery case {id}: {e}"))?;
            match self.cases.iter_mut().find(|c| c.id() == id) {
                Some(c) => *c = node,
                None => added.push(node),
            }
        }
        let created = |n: &Node| {
            n.props
                .get("createdDateTime")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        added.sort_by(|a, b| created(a).cmp(&created(b)).then_with(|| a.id().cmp(b.id())));
        self.cases.extend(added);
        if let Some(n) = meta
            .iter()
            .find(|m| m["id"] == "operations")
            .and_then(|m| m["started"].as_u64())
        {
            self.ops_started = n;
        }
        Ok(())
    }
}

/// `--state` collections of eDiscovery: whole cases by id, and the operation counter.
pub const PERSIST_CASES: &str = "ediscoveryCases";
pub const PERSIST_META: &str = "ediscovery";

const OUTCOMES: &[&str] = &[
    "succeeded",
    "partiallySucceeded",
    "failed",
    "submissionFailed",
];

impl Node {
    /// The node as `--state` stores it: `props` (private `_` links included), `kids` by
    /// navigation name, and `sim` for operations.
    fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("props".into(), Value::Object(self.props.clone()));
        if !self.kids.is_empty() {
            let kids: Map<String, Value> = self
                .kids
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.iter().map(Node::to_json).collect()))
                .collect();
            m.insert("kids".into(), Value::Object(kids));
        }
        if let Some(s) = &self.sim {
            m.insert(
                "sim".into(),
                json!({"startMs": s.start_ms, "durationMs": s.duration_ms, "outcome": s.outcome}),
            );
        }
        Value::Object(m)
    }

    fn from_json(v: &Value) -> Result<Node, String> {
        let props = v
            .get("props")
            .and_then(Value::as_object)
            .cloned()
            .ok_or("no 'props' object")?;
        let mut kids = BTreeMap::new();
        for (k, list) in v
            .get("kids")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let nav = canon(CASE_NAVS, k)
                .or_else(|| canon(SUB_NAVS, k))
                .ok_or_else(|| format!("unknown navigation '{k}'"))?;
            let nodes = list
                .as_array()
                .ok_or_else(|| format!("'{k}' is not a list"))?
                .iter()
                .map(Node::from_json)
                .collect::<Result<Vec<_>, _>>()?;
            kids.insert(nav, nodes);
        }
        let sim = match v.get("sim") {
            None | Some(Value::Null) => None,
            Some(s) => Some(Sim {
                start_ms: s["startMs"].as_i64().ok_or("sim without startMs")?,
                duration_ms: s["durationMs"].as_i64().ok_or("sim without durationMs")?,
                outcome: canon(OUTCOMES, s["outcome"].as_str().unwrap_or_default())
                    .ok_or("sim with an unknown outcome")?,
            }),
        };
        Ok(Node { props, kids, sim })
    }
}

/// A written hold policy is `pending` again until `at`, then in force (`success`).
fn resync(n: &mut Node, at: i64) {
    n.props.insert("_settleAtMs".into(), json!(at));
    n.props.insert("_outcome".into(), json!("success"));
    n.props.remove("_errors");
}

fn with_context(ctx: &Ctx, frag: &str, m: Map<String, Value>) -> Value {
    let mut out = Map::new();
    out.insert("@odata.context".into(), json!(ctx.context(frag)));
    out.extend(m);
    Value::Object(out)
}

/// Renders a list with the standard query options (`$filter`, `$top`, `$skip`, `$count`, `$expand=dataSource`).
fn list(ctx: &Ctx, req: &Req, frag: &str, items: Vec<Map<String, Value>>) -> GraphResult {
    let q = Query::parse(&req.query, &LIST_SPEC)?;
    let expand = !q.expand.is_empty();
    let values: Vec<Value> = items
        .into_iter()
        .map(|mut m| {
            if let Some(ds) = m.remove("_dataSource")
                && expand
            {
                m.insert("dataSource".into(), ds);
            }
            Value::Object(public(&m))
        })
        .collect();
    let coll = Collection::from_values(values, &LIST_SPEC);
    let url = format!("{}{}", ctx.base(), req.path);
    Ok(odata::page(
        &coll,
        &q,
        &LIST_SPEC,
        &url,
        &ctx.context(frag),
        &|_| None,
    ))
}

fn entity(ctx: &Ctx, req: &Req, frag: &str, mut m: Map<String, Value>) -> GraphResult {
    let expand = req
        .query
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("$expand") && v.eq_ignore_ascii_case("dataSource"));
    if let Some(ds) = m.remove("_dataSource")
        && expand
    {
        m.insert("dataSource".into(), ds);
    }
    Ok(GraphResponse::ok(&with_context(ctx, frag, public(&m))))
}

fn accepted(ctx: &Ctx, case_id: &str, op_id: &str) -> GraphResponse {
    GraphResponse::empty(202).with_header(
        "Location",
        format!(
            "{}/v1.0/security/cases/ediscoveryCases('{case_id}')/operations('{op_id}')",
            ctx.app.cfg.graph_url
        ),
    )
}

pub fn route(ctx: &Ctx, req: &Req) -> GraphResult {
    let write = req.method != "GET";
    ctx.require(if write { WRITE } else { READ })?;
    let rest: Vec<&str> = req.segs[3..].iter().map(|s| short_name(s)).collect();
    let v = View {
        now: now_ms(),
        unknown_enums: req.header("prefer").is_some_and(|p| {
            p.to_ascii_lowercase()
                .contains("include-unknown-enum-members")
        }),
    };
    let mut d = ctx.data_mut()?;
    let out = dispatch(ctx, req, &mut d.cases, &rest, &v);
    if write && out.as_ref().is_ok_and(|r| r.status < 300) && ctx.app.persist.is_some() {
        let writes = d.cases.persisted_after_write(rest.first().copied());
        ctx.app.persist_writes(&ctx.tenant, &writes);
    }
    out
}

/// A case navigation by name; `legalHolds` exists in beta only (v1.0's metadata has no such
/// navigation, so it answers as any unknown segment).
fn case_nav(ctx: &Ctx, nav: &str) -> Result<&'static str, GraphError> {
    match canon(CASE_NAVS, nav) {
        Some("legalHolds") if ctx.version != "beta" => None,
        x => x,
    }
    .ok_or_else(|| GraphError::bad_request(format!("Resource not found for the segment '{nav}'.")))
}

fn dispatch(ctx: &Ctx, req: &Req, cases: &mut Cases, rest: &[&str], v: &View) -> GraphResult {
    let now = v.now;
    let m = req.method.as_str();
    match rest {
        [] => match m {
            "GET" => list(
                ctx,
                req,
                "security/cases/ediscoveryCases",
                cases.cases.iter().map(|c| c.props.clone()).collect(),
            ),
            "POST" => {
                let body = req.json_object()?;
                let name = body
                    .get("displayName")
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
                    .ok_or_else(|| GraphError::bad_request("displayName is required."))?;
                if cases.cases.iter().any(|c| c.props["displayName"] == name) {
                    return Err(GraphError::new(
                        409,
                        "Conflict",
                        "A case with this name already exists.",
                    ));
                }
                let mut rng = Rng::new(process_random());
                let at = fmt_ms(now);
                let c = Node::new(json!({
                    "id": rng.guid(), "displayName": name, "description": body.get("description").cloned().unwrap_or(json!("")),
                    "externalId": body.get("externalId").cloned().unwrap_or(json!("")), "status": "active", "createdDateTime": at,
                    "lastModifiedDateTime": at, "closedDateTime": null, "createdBy": caller(ctx), "lastModifiedBy": caller(ctx), "closedBy": null,
                }));
                let out = with_context(
                    ctx,
                    "security/cases/ediscoveryCases/$entity",
                    public(&c.props),
                );
                cases.cases.push(c);
                Ok(GraphResponse::json(201, &out))
            }
            _ => Err(no_method()),
        },
        [cid] => match m {
            "GET" => entity(
                ctx,
                req,
                "security/cases/ediscoveryCases/$entity",
                cases.case(cid)?.props.clone(),
            ),
            "PATCH" => {
                let body = req.json_object()?;
                // Checked before anything changes: a refused PATCH leaves the case as it was.
                if let Some(k) = body
                    .keys()
                    .find(|k| !matches!(k.as_str(), "displayName" | "description" | "externalId"))
                {
                    return Err(GraphError::bad_request(format!(
                        "Property '{k}' cannot be updated on a case."
                    )));
                }
                let c = cases.case_mut(cid)?;
                c.props.extend(body);
                c.props
                    .insert("lastModifiedDateTime".into(), json!(fmt_ms(now)));
                Ok(GraphResponse::empty(204))
            }
            "DELETE" => {
                cases.case(cid)?;
                cases.cases.retain(|c| c.id() != *cid);
                Ok(GraphResponse::empty(204))
            }
            _ => Err(no_method()),
        },
        [cid, action]
            if m == "POST"
                && (action.eq_ignore_ascii_case("close")
                    || action.eq_ignore_ascii_case("reopen")) =>
        {
            let close = action.eq_ignore_ascii_case("close");
            let by = caller(ctx);
            let c = cases.case_mut(cid)?;
            c.props.insert(
                "status".into(),
                json!(if close { "closed" } else { "active" }),
            );
            c.props.insert(
                "closedDateTime".into(),
                if close {
                    json!(fmt_ms(now))
                } else {
                    Value::Null
                },
            );
            c.props
                .insert("closedBy".into(), if close { by } else { Value::Null });
            c.props
                .insert("lastModifiedDateTime".into(), json!(fmt_ms(now)));
            Ok(GraphResponse::empty(204))
        }
        [cid, s] if m == "GET" && s.eq_ignore_ascii_case("settings") => {
            let c = cases.case(cid)?;
            let mut st = c
                .props
                .get("_settings")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            st.insert("id".into(), json!(cid));
            Ok(GraphResponse::ok(&with_context(
                ctx,
                &format!("security/cases/ediscoveryCases('{cid}')/settings/$entity"),
                st,
            )))
        }
        [cid, nav] => {
            let nav = case_nav(ctx, nav)?;
            let frag = format!("security/cases/ediscoveryCases('{cid}')/{nav}");
            match m {
                "GET" => {
                    let c = cases.case(cid)?;
                    let items = c
                        .kids(nav)
                        .iter()
                        .map(|n| render_kid(c, nav, n, v))
                        .collect();
                    list(ctx, req, &frag, items)
                }
                "POST" => create(ctx, req, cases, cid, nav, now),
                _ => Err(no_method()),
            }
        }
        [cid, nav, action]
            if m == "POST"
                && nav.eq_ignore_ascii_case("custodians")
                && (action.eq_ignore_ascii_case("applyHold")
                    || action.eq_ignore_ascii_case("removeHold")) =>
        {
            let apply = action.eq_ignore_ascii_case("applyHold");
            let body = if req.body.is_empty() {
                Map::new()
            } else {
                req.json_object()?
            };
            let ids: Vec<String> = body
                .get("ids")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            hold(ctx, cases, cid, "custodians", &ids, apply, now)
        }
        [cid, tags, h]
            if m == "GET"
                && tags.eq_ignore_ascii_case("tags")
                && h.to_ascii_lowercase().contains("ashierarchy") =>
        {
            let c = cases.case(cid)?;
            let all = c.kids("tags");
            let top: Vec<Value> = all
                .iter()
                .filter(|t| !t.props.contains_key("_parent"))
                .map(|t| {
                    let mut m = public(&t.props);
                    m.insert(
                        "@odata.type".into(),
                        json!("#microsoft.graph.security.ediscoveryReviewTag"),
                    );
                    let kids: Vec<Value> = all
                        .iter()
                        .filter(|k| k.props.get("_parent").and_then(Value::as_str) == Some(t.id()))
                        .map(|k| Value::Object(public(&k.props)))
                        .collect();
                    m.insert("childTags".into(), Value::Array(kids));
                    Value::Object(m)
                })
                .collect();
            Ok(odata::simple_list(
                &ctx.context("Collection(ediscoveryReviewTag)"),
                top,
                true,
            ))
        }
        [cid, nav, id] => {
            let nav = case_nav(ctx, nav)?;
            let frag = format!("security/cases/ediscoveryCases('{cid}')/{nav}/$entity");
            match m {
                "GET" => {
                    let c = cases.case(cid)?;
                    let n = c
                        .kid(nav, id)
                        .ok_or_else(|| GraphError::not_found("The item"))?;
                    entity(ctx, req, &frag, render_kid(c, nav, n, v))
                }
                "PATCH" => {
                    let body = req.json_object()?;
                    let sync = cases.scaled(POLICY_SYNC_MS);
                    let c = cases.case_mut(cid)?;
                    let n = c
                        .kid_mut(nav, id)
                        .ok_or_else(|| GraphError::not_found("The item"))?;
                    let policy = nav == "legalHolds";
                    if let Some(k) = body.keys().find(|k| {
                        !matches!(
                            (policy, k.as_str()),
                            (_, "displayName" | "description" | "contentQuery")
                                | (false, "dataSourceScopes" | "childSelectability")
                                | (true, "isEnabled")
                        )
                    }) {
                        return Err(GraphError::bad_request(format!(
                            "Property '{k}' cannot be updated."
                        )));
                    }
                    if policy && body.get("isEnabled").is_some_and(|x| !x.is_boolean()) {
                        return Err(GraphError::bad_request("isEnabled must be a Boolean."));
                    }
                    n.props.extend(body);
                    n.props
                        .insert("lastModifiedDateTime".into(), json!(fmt_ms(now)));
                    if policy {
                        // A changed policy is synced to its locations again.
                        n.props.insert("lastModifiedBy".into(), caller(ctx));
                        resync(n, now + sync);
                    }
                    Ok(GraphResponse::empty(204))
                }
                "DELETE" => {
                    let c = cases.case_mut(cid)?;
                    let before = c.kids(nav).len();
                    if let Some(v) = c.kids.get_mut(nav) {
                        v.retain(|n| n.id() != *id);
                    }
                    if c.kids(nav).len() == before {
                        return Err(GraphError::not_found("The item"));
                    }
                    Ok(GraphResponse::empty(204))
                }
                _ => Err(no_method()),
            }
        }
        [cid, nav, id, sub] => {
            let nav = case_nav(ctx, nav)?;
            if m == "POST" {
                if let Some(subnav) = canon(&["userSources", "siteSources", "queries"], sub) {
                    return create_sub(ctx, req, cases, (cid, nav, id), subnav, now);
                }
                return action(ctx, req, cases, cid, nav, id, sub, now);
            }
            if m != "GET" {
                return Err(no_method());
            }
            let c = cases.case(cid)?;
            let node = c
                .kid(nav, id)
                .ok_or_else(|| GraphError::not_found("The item"))?;
            let lsub = sub.to_ascii_lowercase();
            let latest_op = |action: &str, link: &str| {
                c.kids("operations")
                    .iter()
                    .filter(|o| {
                        o.props.get("action").and_then(Value::as_str) == Some(action)
                            && o.props.get(&format!("_{link}")).and_then(Value::as_str) == Some(*id)
                    })
                    .max_by_key(|o| o.sim.as_ref().map(|s| s.start_ms).unwrap_or(0))
            };
            let single = match lsub.as_str() {
                "lastindexoperation" => Some(latest_op(
                    "index",
                    if nav == "custodians" {
                        "custodian"
                    } else {
                        "source"
                    },
                )),
                "lastestimatestatisticsoperation" => {
                    Some(latest_op("estimateStatistics", "search"))
                }
                "addtoreviewsetoperation" => Some(latest_op("addToReviewSet", "search")),
                _ => None,
            };
            if let Some(op) = single {
                let op = op.ok_or_else(|| GraphError::not_found("The operation"))?;
                let t = op
                    .props
                    .get("@odata.type")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .trim_start_matches('#')
                    .to_string();
                return Ok(GraphResponse::ok(&with_context(ctx, &t, render_op(op, v))));
            }
            if lsub == "datasource" {
                let ds = node
                    .props
                    .get("_dataSource")
                    .and_then(Value::as_object)
                    .cloned()
                    .ok_or_else(|| GraphError::not_found("The data source"))?;
                return Ok(GraphResponse::ok(&with_context(
                    ctx,
                    "security.dataSource",
                    ds,
                )));
            }
            if nav == "tags" && lsub == "childtags" {
                let kids: Vec<Map<String, Value>> = c
                    .kids("tags")
                    .iter()
                    .filter(|k| k.props.get("_parent").and_then(Value::as_str) == Some(*id))
                    .map(|k| k.props.clone())
                    .collect();
                return list(
                    ctx,
                    req,
                    "Collection(microsoft.graph.security.ediscoveryReviewTag)",
                    kids,
                );
            }
            if nav == "searches" && lsub == "noncustodialsources" {
                return list(
                    ctx,
                    req,
                    "Collection(microsoft.graph.security.ediscoveryNoncustodialDataSource)",
                    c.kids("noncustodialDataSources")
                        .iter()
                        .map(|n| n.props.clone())
                        .collect(),
                );
            }
            let subnav = canon(SUB_NAVS, sub).ok_or_else(|| {
                GraphError::bad_request(format!("Resource not found for the segment '{sub}'."))
            })?;
            let frag = format!("security/cases/ediscoveryCases('{cid}')/{nav}('{id}')/{subnav}");
            let kids = node.kids(subnav).iter();
            list(
                ctx,
                req,
                &frag,
                kids.map(|k| render_sub(c, nav, node, k, v)).collect(),
            )
        }
        [cid, nav, id, sub, sid] if m == "DELETE" => {
            let nav = case_nav(ctx, nav)?;
            let subnav = canon(&["userSources", "siteSources", "unifiedGroupSources"], sub)
                .ok_or_else(|| {
                    GraphError::bad_request(format!("Resource not found for the segment '{sub}'."))
                })?;
            let sync = cases.scaled(POLICY_SYNC_MS);
            let n = cases
                .case_mut(cid)?
                .kid_mut(nav, id)
                .ok_or_else(|| GraphError::not_found("The item"))?;
            let before = n.kids(subnav).len();
            if let Some(v) = n.kids.get_mut(subnav) {
                v.retain(|k| k.id() != *sid);
            }
            if n.kids(subnav).len() == before {
                return Err(GraphError::not_found("The source"));
            }
            if nav == "legalHolds" {
                resync(n, now + sync);
            }
            Ok(GraphResponse::empty(204))
        }
        [cid, nav, id, sub, sid] if m == "GET" => {
            let nav = case_nav(ctx, nav)?;
            let subnav = canon(SUB_NAVS, sub)
                .ok_or_else(|| GraphError::bad_request("Resource not found for the segment."))?;
            let c = cases.case(cid)?;
            let owner = c
                .kid(nav, id)
                .ok_or_else(|| GraphError::not_found("The item"))?;
            let n = owner
                .kid(subnav, sid)
                .ok_or_else(|| GraphError::not_found("The item"))?;
            entity(
                ctx,
                req,
                &format!("security/cases/ediscoveryCases('{cid}')/{nav}('{id}')/{subnav}/$entity"),
                render_sub(c, nav, owner, n, v),
            )
        }
        [cid, rs, rsid, q, qid, act]
            if m == "POST"
                && rs.eq_ignore_ascii_case("reviewSets")
                && q.eq_ignore_ascii_case("queries") =>
        {
            let kind = if act.eq_ignore_ascii_case("applyTags") {
                "applyTags"
            } else if act.eq_ignore_ascii_case("export") {
                "contentExport"
            } else {
                return Err(GraphError::bad_request("Unknown action."));
            };
            let c = cases.case(cid)?;
            c.kid("reviewSets", rsid)
                .and_then(|r| r.kid("queries", qid))
                .ok_or_else(|| GraphError::not_found("The query"))?;
            let body = if req.body.is_empty() {
                Map::new()
            } else {
                req.json_object()?
            };
            if kind == "contentExport" && body.get("outputName").and_then(Value::as_str).is_none() {
                return Err(GraphError::bad_request("outputName is required."));
            }
            start(
                ctx,
                cases,
                cid,
                kind,
                &[("reviewSet", rsid), ("query", qid)],
                Value::Object(body),
                now,
            )
        }
        _ => Err(GraphError::bad_request(
            "Resource not found for the segment.",
        )),
    }
}

fn start(
    ctx: &Ctx,
    cases: &mut Cases,
    cid: &str,
    action: &'static str,
    links: &[(&str, &str)],
    extra: Value,
    now: i64,
) -> GraphResult {
    let op_id = start_op(ctx, cases, cid, action, links, extra, now)?;
    Ok(accepted(ctx, cid, &op_id))
}

/// Starts an operation (its outcome decided now, its progress following the clock) and
/// returns its id.
fn start_op(
    ctx: &Ctx,
    cases: &mut Cases,
    cid: &str,
    action: &'static str,
    links: &[(&str, &str)],
    extra: Value,
    now: i64,
) -> Result<String, GraphError> {
    cases.case(cid)?;
    let outcome = cases.next_outcome();
    let duration = cases.scaled(cases.duration_ms);
    let by = caller(ctx);
    let mut rng = Rng::new(process_random());
    let mut extra_props = Map::new();
    if let Value::Object(o) = extra {
        for k in [
            "description",
            "outputName",
            "exportOptions",
            "exportStructure",
            "displayName",
            "exportCriteria",
            "exportFormat",
            "exportLocation",
            "additionalOptions",
        ] {
            if let Some(v) = o.get(k) {
                extra_props.insert(k.into(), v.clone());
            }
        }
    }
    let op = new_op(
        &mut rng,
        action,
        &by,
        Sim {
            start_ms: now,
            duration_ms: duration,
            outcome,
        },
        links,
        Value::Object(extra_props),
    );
    let op_id = op.id().to_string();
    cases.case_mut(cid)?.add("operations", op);
    Ok(op_id)
}

fn hold(
    ctx: &Ctx,
    cases: &mut Cases,
    cid: &str,
    nav: &'static str,
    ids: &[String],
    apply: bool,
    now: i64,
) -> GraphResult {
    let c = cases.case(cid)?;
    let v = View {
        now,
        unknown_enums: true,
    };
    // Where each source stands now, so a failed operation puts it back there.
    let from: Vec<(String, String)> = c
        .kids(nav)
        .iter()
        .filter(|n| ids.is_empty() || ids.iter().any(|i| i == n.id()))
        .map(|n| {
            let m = render_kid(c, nav, n, &v);
            let s = m
                .get("holdStatus")
                .and_then(Value::as_str)
                .unwrap_or("notApplied");
            (n.id().to_string(), s.to_string())
        })
        .collect();
    if from.is_empty() {
        return Err(GraphError::not_found("The data source"));
    }
    let link = if nav == "custodians" {
        "custodian"
    } else {
        "source"
    };
    let first = from[0].0.clone();
    let op_id = start_op(
        ctx,
        cases,
        cid,
        "holdUpdate",
        &[(link, &first)],
        json!({}),
        now,
    )?;
    let c = cases.case_mut(cid)?;
    for (id, was) in &from {
        if let Some(n) = c.kid_mut(nav, id) {
            let (moving, to) = if apply {
                ("applying", "applied")
            } else {
                ("removing", "notApplied")
            };
            n.props.insert("holdStatus".into(), json!(moving));
            n.props.insert("_holdOp".into(), json!(op_id));
            n.props.insert("_holdTo".into(), json!(to));
            n.props.insert("_holdFrom".into(), json!(was));
            n.props
                .insert("lastModifiedDateTime".into(), json!(fmt_ms(now)));
        }
    }
    Ok(accepted(ctx, cid, &op_id))
}

// The route's pieces are passed as they were matched; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn action(
    ctx: &Ctx,
    req: &Req,
    cases: &mut Cases,
    cid: &str,
    nav: &'static str,
    id: &str,
    act: &str,
    now: i64,
) -> GraphResult {
    let body = if req.body.is_empty() {
        Map::new()
    } else {
        req.json_object()?
    };
    let exists = cases.case(cid)?.kid(nav, id).is_some();
    if !exists {
        return Err(GraphError::not_found("The item"));
    }
    let a = act.to_ascii_lowercase();
    match (nav, a.as_str()) {
        ("searches", "estimatestatistics") => start(
            ctx,
            cases,
            cid,
            "estimateStatistics",
            &[("search", id)],
            Value::Object(body),
            now,
        ),
        ("searches", "purgedata") => start(
            ctx,
            cases,
            cid,
            "purgeData",
            &[("search", id)],
            Value::Object(body),
            now,
        ),
        ("searches", x @ ("exportresult" | "exportreport")) => {
            let required: &[&str] = if x == "exportresult" {
                &["exportCriteria", "exportFormat", "additionalOptions"]
            } else {
                &["exportCriteria", "additionalOptions"]
            };
            for req_field in required {
                if !body.contains_key(*req_field) {
                    return Err(GraphError::bad_request(format!("{req_field} is required.")));
                }
            }
            let kind = if x == "exportresult" {
                "exportResult"
            } else {
                "exportReport"
            };
            start(
                ctx,
                cases,
                cid,
                kind,
                &[("search", id)],
                Value::Object(body),
                now,
            )
        }
        ("reviewSets", "addtoreviewset") => {
            let sid = body
                .get("search")
                .and_then(|s| s.get("id"))
                .and_then(Value::as_str)
                .ok_or_else(|| GraphError::bad_request("search.id is required."))?
                .to_string();
            if cases.case(cid)?.kid("searches", &sid).is_none() {
                return Err(GraphError::not_found("The search"));
            }
            start(
                ctx,
                cases,
                cid,
                "addToReviewSet",
                &[("reviewSet", id), ("search", &sid)],
                Value::Object(body),
                now,
            )
        }
        ("reviewSets", "export") => {
            if body.get("outputName").and_then(Value::as_str).is_none() {
                return Err(GraphError::bad_request("outputName is required."));
            }
            start(
                ctx,
                cases,
                cid,
                "contentExport",
                &[("reviewSet", id)],
                Value::Object(body),
                now,
            )
        }
        ("custodians" | "noncustodialDataSources", "applyhold" | "removehold") => hold(
            ctx,
            cases,
            cid,
            nav,
            &[id.to_string()],
            a == "applyhold",
            now,
        ),
        ("legalHolds", "retrypolicy") => {
            let sync = cases.scaled(POLICY_SYNC_MS);
            if let Some(n) = cases.case_mut(cid)?.kid_mut(nav, id) {
                resync(n, now + sync);
            }
            Ok(GraphResponse::empty(204))
        }
        ("custodians" | "noncustodialDataSources", "updateindex") => {
            let link = if nav == "custodians" {
                "custodian"
            } else {
                "source"
            };
            start(ctx, cases, cid, "index", &[(link, id)], json!({}), now)
        }
        ("custodians" | "noncustodialDataSources", x @ ("release" | "activate")) => {
            let c = cases.case_mut(cid)?;
            if let Some(n) = c.kid_mut(nav, id) {
                n.props.insert(
                    "status".into(),
                    json!(if x == "release" { "released" } else { "active" }),
                );
                n.props.insert(
                    "releasedDateTime".into(),
                    if x == "release" {
                        json!(fmt_ms(now))
                    } else {
                        Value::Null
                    },
                );
            }
            Ok(GraphResponse::empty(204))
        }
        _ => Err(GraphError::bad_request(format!(
            "Resource not found for the segment '{act}'."
        ))),
    }
}

fn create(
    ctx: &Ctx,
    req: &Req,
    cases: &mut Cases,
    cid: &str,
    nav: &'static str,
    now: i64,
) -> GraphResult {
    let body = req.json_object()?;
    let mut rng = Rng::new(process_random());
    let at = fmt_ms(now);
    let by = caller(ctx);
    let s = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
    };
    let node = match nav {
        "custodians" => {
            let email = s("email").ok_or_else(|| GraphError::bad_request("email is required."))?;
            Node::new(
                json!({"id": rng.hex(32), "displayName": email.split('@').next().unwrap_or(&email), "email": email, "status": "active", "holdStatus": "notApplied",
                "createdDateTime": at, "lastModifiedDateTime": at, "releasedDateTime": null, "acknowledgedDateTime": NOT_SET}),
            )
        }
        "noncustodialDataSources" => {
            let ds = body
                .get("dataSource")
                .ok_or_else(|| GraphError::bad_request("dataSource is required."))?;
            let name = ds
                .get("site")
                .and_then(|x| x.get("webUrl"))
                .or_else(|| ds.get("email"))
                .and_then(Value::as_str)
                .unwrap_or("Data source")
                .to_string();
            let mut n = Node::new(
                json!({"id": rng.hex(32), "displayName": name, "status": "active", "holdStatus": "notApplied", "createdDateTime": at, "lastModifiedDateTime": at, "releasedDateTime": NOT_SET}),
            );
            n.props.insert("_dataSource".into(), ds.clone());
            n
        }
        "searches" => Node::new(
            json!({"id": rng.guid(), "displayName": s("displayName").ok_or_else(|| GraphError::bad_request("displayName is required."))?,
            "description": s("description").unwrap_or_default(), "contentQuery": s("contentQuery").unwrap_or_default(), "dataSourceScopes": s("dataSourceScopes").unwrap_or_else(|| "none".into()),
            "createdDateTime": at, "lastModifiedDateTime": at, "createdBy": by, "lastModifiedBy": null}),
        ),
        "reviewSets" => {
            let name = s("displayName")
                .ok_or_else(|| GraphError::bad_request("displayName is required."))?;
            if name.chars().count() > 64 {
                return Err(GraphError::bad_request(
                    "displayName must be at most 64 characters.",
                ));
            }
            Node::new(
                json!({"id": rng.guid(), "displayName": name, "createdDateTime": at, "createdBy": by}),
            )
        }
        "tags" => {
            let mut n = Node::new(
                json!({"id": rng.hex(32), "displayName": s("displayName").ok_or_else(|| GraphError::bad_request("displayName is required."))?,
                "description": s("description"), "childSelectability": s("childSelectability").unwrap_or_else(|| "Many".into()), "lastModifiedDateTime": at, "createdBy": by}),
            );
            if let Some(p) = body.get("parent@odata.bind").and_then(Value::as_str)
                && let Some(pid) = p.rsplit('/').next()
            {
                n.props.insert(
                    "_parent".into(),
                    json!(pid.trim_start_matches("tags('").trim_end_matches("')")),
                );
            }
            n
        }
        "legalHolds" => {
            let name = s("displayName")
                .ok_or_else(|| GraphError::bad_request("displayName is required."))?;
            if cases
                .case(cid)?
                .kids("legalHolds")
                .iter()
                .any(|h| h.props.get("displayName").and_then(Value::as_str) == Some(&name))
            {
                return Err(GraphError::new(
                    409,
                    "Conflict",
                    "A hold policy with this name already exists in the case.",
                ));
            }
            let enabled = match body.get("isEnabled") {
                None | Some(Value::Null) => true,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(GraphError::bad_request("isEnabled must be a Boolean.")),
            };
            let mut n = Node::new(json!({
                "id": rng.guid(), "displayName": name, "description": s("description").unwrap_or_default(),
                "contentQuery": s("contentQuery").unwrap_or_default(), "isEnabled": enabled, "status": "pending", "errors": [],
                "createdBy": by, "createdDateTime": at, "lastModifiedBy": by, "lastModifiedDateTime": at,
            }));
            for (bind, kind) in [
                ("userSources@odata.bind", "userSources"),
                ("siteSources@odata.bind", "siteSources"),
            ] {
                let Some(list) = body.get(bind) else { continue };
                let list = list
                    .as_array()
                    .ok_or_else(|| GraphError::bad_request(format!("{bind} must be an array.")))?;
                for src in list {
                    let src = src.as_object().cloned().unwrap_or_default();
                    n.add(kind, policy_source(&mut rng, kind, &src, &by, &at)?);
                }
            }
            resync(&mut n, now + cases.scaled(POLICY_SYNC_MS));
            n
        }
        _ => return Err(no_method()),
    };
    let shown = if nav == "legalHolds" {
        render_policy(&node, now)
    } else {
        node.props.clone()
    };
    let out = with_context(
        ctx,
        &format!("security/cases/ediscoveryCases('{cid}')/{nav}/$entity"),
        public(&shown),
    );
    cases.case_mut(cid)?.add(nav, node);
    Ok(GraphResponse::json(201, &out))
}

/// Creates a custodian's user or site source, or a review set's query.
fn create_sub(
    ctx: &Ctx,
    req: &Req,
    cases: &mut Cases,
    (cid, nav, id): (&str, &'static str, &str),
    subnav: &'static str,
    now: i64,
) -> GraphResult {
    let body = req.json_object()?;
    let mut rng = Rng::new(process_random());
    let at = fmt_ms(now);
    let by = caller(ctx);
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
    };
    let node = match (nav, subnav) {
        ("custodians", "userSources") => {
            let email =
                text("email").ok_or_else(|| GraphError::bad_request("email is required."))?;
            Node::new(
                json!({"@odata.type": "#microsoft.graph.security.userSource", "id": rng.guid(), "displayName": email, "email": email,
                "includedSources": text("includedSources").unwrap_or_else(|| "mailbox".into()), "siteWebUrl": "", "holdStatus": "applied", "createdDateTime": at, "createdBy": by}),
            )
        }
        ("custodians", "siteSources") => {
            let url = body
                .get("site")
                .and_then(|s| s.get("webUrl"))
                .and_then(Value::as_str)
                .ok_or_else(|| GraphError::bad_request("site.webUrl is required."))?;
            let sid = rng.guid();
            Node::new(
                json!({"@odata.type": "#microsoft.graph.security.siteSource", "@odata.id": format!("https://graph.microsoft.com/v1.0/sites/{sid}"), "id": sid,
                "displayName": url.rsplit('/').next().unwrap_or(url), "holdStatus": "applied", "createdDateTime": at, "createdBy": by,
                "site": {"webUrl": url, "id": sid, "createdDateTime": at}}),
            )
        }
        ("legalHolds", kind @ ("userSources" | "siteSources")) => {
            policy_source(&mut rng, kind, &body, &by, &at)?
        }
        ("reviewSets", "queries") => Node::new(
            json!({"id": rng.guid(), "displayName": text("displayName").ok_or_else(|| GraphError::bad_request("displayName is required."))?,
            "description": text("description"), "contentQuery": text("contentQuery").unwrap_or_default(), "createdDateTime": at, "lastModifiedDateTime": at, "createdBy": by, "lastModifiedBy": by}),
        ),
        _ => return Err(no_method()),
    };
    let out = with_context(
        ctx,
        &format!("security/cases/ediscoveryCases('{cid}')/{nav}('{id}')/{subnav}/$entity"),
        public(&node.props),
    );
    let sync = cases.scaled(POLICY_SYNC_MS);
    let parent = cases
        .case_mut(cid)?
        .kid_mut(nav, id)
        .ok_or_else(|| GraphError::not_found("The item"))?;
    parent.add(subnav, node);
    if nav == "legalHolds" {
        resync(parent, now + sync);
    }
    Ok(GraphResponse::json(201, &out))
}

/// A hold policy's user source (`email`) or site source (`site.webUrl`, or `site@odata.bind`
/// to `…/sites/{id}`), as created with the policy or on its own.
fn policy_source(
    rng: &mut Rng,
    kind: &str,
    body: &Map<String, Value>,
    by: &Value,
    at: &str,
) -> Result<Node, GraphError> {
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .filter(|x| !x.is_empty())
    };
    if kind == "userSources" {
        let email = text("email").ok_or_else(|| GraphError::bad_request("email is required."))?;
        return Ok(Node::new(json!({
            "@odata.type": "#microsoft.graph.security.userSource", "id": rng.guid(), "displayName": email, "email": email,
            "includedSources": text("includedSources").unwrap_or("mailbox,site"), "siteWebUrl": "", "holdStatus": "applied",
            "createdDateTime": at, "createdBy": by,
        })));
    }
    let url = body
        .get("site")
        .and_then(|s| s.get("webUrl"))
        .and_then(Value::as_str)
        .or_else(|| text("site@odata.bind"))
        .ok_or_else(|| GraphError::bad_request("site.webUrl or site@odata.bind is required."))?;
    let sid = rng.guid();
    Ok(Node::new(json!({
        "@odata.type": "#microsoft.graph.security.siteSource", "@odata.id": format!("https://graph.microsoft.com/v1.0/sites/{sid}"), "id": sid,
        "displayName": url.trim_end_matches('/').rsplit('/').next().unwrap_or(url), "holdStatus": "applied", "createdDateTime": at, "createdBy": by,
        "site": {"webUrl": url, "id": sid, "createdDateTime": at},
    })))
}
