//! `/beta/security/threatSubmission/{emailThreats,urlThreats,fileThreats}`: list and create (reference §5).
//! A new submission is `running`; after [`SETTLE_MS`] (the service takes minutes; the emulator
//! is accelerated) it is `succeeded` with a verdict that depends on what was submitted: a URL on
//! a host the tenant's threat intelligence calls malicious is confirmed, others are not junk or
//! undecided, emails and files likewise vary.

use serde_json::{Map, Value, json};

use crate::error::{GraphError, GraphResponse, GraphResult};
use crate::graph::{Ctx, Req, no_method};
use crate::odata::{self, Kind, ListSpec, Query, Rec};
use crate::util::{Rng, fmt_ms, now_ms, process_random};

/// `notSpam` is how the request samples spell `notJunk`; both are accepted.
const CATEGORIES: &[&str] = &[
    "notJunk",
    "spam",
    "phishing",
    "malware",
    "unknownFutureValue",
    "notSpam",
];

pub const SPEC: ListSpec = ListSpec {
    filterable: &[
        ("category", Kind::Enum(CATEGORIES)),
        (
            "status",
            Kind::Enum(&[
                "notStarted",
                "running",
                "succeeded",
                "failed",
                "skipped",
                "unknownFutureValue",
            ]),
        ),
        (
            "source",
            Kind::Enum(&["administrator", "user", "unknownFutureValue"]),
        ),
        (
            "contentType",
            Kind::Enum(&["email", "url", "file", "app", "unknownFutureValue"]),
        ),
        ("createdDateTime", Kind::DateTime),
    ],
    orderable: &[],
    expandable: &[],
    select: false,
    default_top: 100,
    max_top: 1000,
};

const READ: &[&str] = &[
    "ThreatSubmission.Read",
    "ThreatSubmission.Read.All",
    "ThreatSubmission.ReadWrite",
    "ThreatSubmission.ReadWrite.All",
];
const WRITE: &[&str] = &[
    "ThreatSubmission.ReadWrite",
    "ThreatSubmission.ReadWrite.All",
];

/// How long a new submission stays `running`.
pub const SETTLE_MS: i64 = 4_000;

pub fn route(ctx: &Ctx, req: &Req) -> GraphResult {
    if req.method == "GET" {
        settle(ctx)?;
    }
    let Some(kind) = req.seg(2).map(str::to_ascii_lowercase) else {
        return Err(GraphError::bad_request(
            "Resource not found for the segment 'threatSubmission'.",
        ));
    };
    let name = match kind.as_str() {
        "emailthreats" => "emailThreats",
        "urlthreats" => "urlThreats",
        "filethreats" => "fileThreats",
        _ => {
            return Err(GraphError::bad_request(format!(
                "Resource not found for the segment '{kind}'."
            )));
        }
    };
    match (req.method.as_str(), &req.segs[3..]) {
        ("GET", []) => {
            ctx.require(READ)?;
            let q = Query::parse(&req.query, &SPEC)?;
            let d = ctx.data()?;
            let coll = match name {
                "emailThreats" => &d.email_threats,
                "urlThreats" => &d.url_threats,
                _ => &d.file_threats,
            };
            let url = format!("{}/security/threatSubmission/{name}", ctx.base());
            Ok(odata::page(
                coll,
                &q,
                &SPEC,
                &url,
                &ctx.context(&format!("security/threatSubmission/{name}")),
                &|_: &Rec| None,
            ))
        }
        ("GET", [id]) => {
            ctx.require(READ)?;
            let d = ctx.data()?;
            let coll = match name {
                "emailThreats" => &d.email_threats,
                "urlThreats" => &d.url_threats,
                _ => &d.file_threats,
            };
            let v = coll
                .get(id)
                .ok_or_else(|| GraphError::not_found("The submission"))?
                .value();
            Ok(GraphResponse::ok(&with_context(ctx, name, v)))
        }
        ("POST", []) => {
            ctx.require(WRITE)?;
            create(ctx, req, name)
        }
        _ => Err(no_method()),
    }
}

fn with_context(ctx: &Ctx, name: &str, v: Value) -> Value {
    let mut m = Map::new();
    m.insert(
        "@odata.context".into(),
        json!(ctx.context(&format!("security/threatSubmission/{name}/$entity"))),
    );
    if let Value::Object(o) = v {
        m.extend(o);
    }
    Value::Object(m)
}

fn create(ctx: &Ctx, req: &Req, name: &str) -> GraphResult {
    let body = req.json_object()?;
    let s = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .filter(|x| !x.is_empty())
    };
    let category =
        s("category").ok_or_else(|| GraphError::bad_request("'category' is required."))?;
    let category = crate::alerts::enum_value("category", &json!(category), CATEGORIES)?;
    let otype = s("@odata.type")
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_string();
    let short = otype.rsplit('.').next().unwrap_or_default().to_string();
    let (kind, content_type) = match name {
        "emailThreats" => {
            s("recipientEmailAddress")
                .ok_or_else(|| GraphError::bad_request("'recipientEmailAddress' is required."))?;
            match short.as_str() {
                "emailUrlThreatSubmission" if s("messageUrl").is_some() => {
                    ("emailUrlThreatSubmission", "email")
                }
                "emailContentThreatSubmission" if s("fileContent").is_some() => {
                    ("emailContentThreatSubmission", "email")
                }
                _ => {
                    return Err(GraphError::bad_request(
                        "@odata.type must be emailUrlThreatSubmission (with messageUrl) or emailContentThreatSubmission (with fileContent).",
                    ));
                }
            }
        }
        "urlThreats" => {
            s("webUrl").ok_or_else(|| GraphError::bad_request("'webUrl' is required."))?;
            ("urlThreatSubmission", "url")
        }
        _ => {
            s("fileName").ok_or_else(|| GraphError::bad_request("'fileName' is required."))?;
            if short != "fileContentThreatSubmission" || s("fileContent").is_none() {
                return Err(GraphError::bad_request(
                    "@odata.type must be fileContentThreatSubmission with fileContent.",
                ));
            }
            ("fileContentThreatSubmission", "file")
        }
    };
    let mut rng = Rng::new(process_random());
    let now = fmt_ms(now_ms());
    let mut v = json!({
        "@odata.type": format!("#microsoft.graph.security.{kind}"),
        "id": rng.guid(), "tenantId": ctx.tenant, "createdDateTime": now, "contentType": content_type,
        "category": category, "source": "administrator", "clientSource": "microsoft", "status": "running",
        "createdBy": {"user": {"identity": ctx.upn, "displayName": ctx.upn, "email": ctx.upn}},
        "result": {"detail": "underInvestigation", "category": "noResultAvailable", "userMailboxSetting": null, "detectedUrls": [], "detectedFiles": []},
        "adminReview": null,
    });
    for k in [
        "recipientEmailAddress",
        "messageUrl",
        "webUrl",
        "fileName",
        "internetMessageId",
        "subject",
        "emailSubject",
        "sender",
        "senderIP",
        "receivedDateTime",
        "originalCategory",
    ] {
        if let Some(x) = body.get(k) {
            v[k] = x.clone();
        }
    }
    if content_type == "email" {
        // The service reads the reported message itself; the emulator makes up a plausible one.
        let domain = v["recipientEmailAddress"]
            .as_str()
            .and_then(|r| r.split('@').nth(1))
            .unwrap_or("contoso.example")
            .to_string();
        let defaults = [
            (
                "internetMessageId",
                json!(format!("<{}@mail.{domain}>", rng.hex(16))),
            ),
            ("emailSubject", json!("Reported message")),
            ("sender", json!(format!("sender@{}", "invoice-share.net"))),
            ("senderIP", json!("185.220.101.47")),
            ("receivedDateTime", json!(fmt_ms(now_ms() - 3_600_000))),
            ("originalCategory", json!("notJunk")),
            ("attackSimulationInfo", Value::Null),
            ("tenantAllowOrBlockListAction", Value::Null),
        ];
        for (k, d) in defaults {
            if v.get(k).is_none() {
                v[k] = body.get(k).cloned().unwrap_or(d);
            }
        }
        if let Some(action) = v["tenantAllowOrBlockListAction"].as_object_mut() {
            let entry = json!({"identity": rng.guid(), "value": "invoice-share.net", "entryType": "url", "expirationDateTime": action.get("expirationDateTime").cloned().unwrap_or(Value::Null), "status": "notStarted"});
            action.entry("results").or_insert(json!([entry]));
        }
        v["result"]["userMailboxSetting"] = json!("isJunkMailRuleEnabled");
        v["result"]["detectedUrls"] = json!(["invoice-share.net"]);
        v["result"]["detectedFiles"] =
            json!([{"fileName": "invoice.html", "fileHash": rng.hex(64)}]);
    }
    let mut d = ctx.data_mut()?;
    let rec = Rec::new(&v, &SPEC);
    match name {
        "emailThreats" => d.email_threats.push_front(rec),
        "urlThreats" => d.url_threats.push_front(rec),
        _ => d.file_threats.push_front(rec),
    }
    ctx.app.persist_write(&ctx.tenant, name, &v);
    drop(d);
    Ok(GraphResponse::json(201, &with_context(ctx, name, v)))
}

/// Finishes every submission that has been running for [`SETTLE_MS`].
fn settle(ctx: &Ctx) -> Result<(), GraphError> {
    let now = now_ms();
    let mut guard = ctx.data_mut()?;
    let d = &mut *guard;
    let mut done = Vec::new();
    for (name, coll) in [
        ("emailThreats", &mut d.email_threats),
        ("urlThreats", &mut d.url_threats),
        ("fileThreats", &mut d.file_threats),
    ] {
        for r in coll.items.iter_mut() {
            if !r.body.contains("\"running\"") {
                continue;
            }
            let mut v = r.value();
            let started = v["createdDateTime"]
                .as_str()
                .and_then(crate::util::parse_dt)
                .unwrap_or(now);
            if v["status"] != "running" || now < started + SETTLE_MS {
                continue;
            }
            let host = v["webUrl"]
                .as_str()
                .and_then(|u| u.split_once("://"))
                .map(|(_, rest)| {
                    rest.split(['/', ':', '?', '#'])
                        .next()
                        .unwrap_or_default()
                        .to_lowercase()
                });
            let known_bad = host
                .as_ref()
                .and_then(|h| d.hosts.get(h))
                .is_some_and(|(_, rep)| {
                    rep["classification"] == "malicious" || rep["classification"] == "suspicious"
                });
            v["status"] = json!("succeeded");
            v["result"]["detail"] = json!(verdict_detail(&v, known_bad));
            v["result"]["category"] = json!(verdict_category(&v, known_bad));
            *r = Rec::new(&v, &SPEC);
            done.push((name, v));
        }
    }
    drop(guard);
    if !done.is_empty() {
        let writes: Vec<(&str, Value)> = done;
        ctx.app.persist_writes(&ctx.tenant, &writes);
    }
    Ok(())
}

/// A stable number from a submission's id, to vary verdicts between submissions.
fn spread(v: &Value) -> u32 {
    v["id"]
        .as_str()
        .unwrap_or_default()
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % 3
}

fn verdict_category(v: &Value, known_bad: bool) -> &'static str {
    match (v["contentType"].as_str(), known_bad, spread(v)) {
        (Some("url"), true, _) => "phishing",
        (Some("url"), false, 0) => "unknown",
        (Some("url"), false, _) => "notJunk",
        (Some("email"), _, 0) => "phishing",
        (Some("email"), _, 1) => "spam",
        (Some("email"), _, _) => "notJunk",
        (_, _, 0) => "malware",
        (_, _, 1) => "notJunk",
        _ => "unknown",
    }
}

fn verdict_detail(v: &Value, known_bad: bool) -> &'static str {
    match verdict_category(v, known_bad) {
        "phishing" | "malware" if v["contentType"] == "email" => "domainImpersonation",
        "phishing" | "malware" => "urlFileShouldBeBlocked",
        "spam" => "outboundShouldBeBlocked",
        "notJunk" if v["contentType"] == "email" => "allowedByThirdPartyFilters",
        "notJunk" => "urlFileShouldNotBeBlocked",
        _ => "urlFileCannotMakeDecision",
    }
}
