//! `/security/alerts_v2`: list, get, PATCH and comments (reference §1).

use serde_json::{Value, json};

use crate::error::{GraphError, GraphResponse, GraphResult};
use crate::graph::{Ctx, Req, no_method};
use crate::odata::{self, Kind, ListSpec, Query, Rec};
use crate::seed::alerts::{ALERT_STATUSES, CLASSIFICATIONS, SERVICE_SOURCES, SEVERITIES};
use crate::util::{fmt_ms, now_ms};

/// Determination values as PATCH tables in the docs spell them; accepted on input.
pub const DETERMINATIONS_ALL: &[&str] = &[
    "unknown",
    "apt",
    "malware",
    "securityPersonnel",
    "securityTesting",
    "unwantedSoftware",
    "other",
    "multiStagedAttack",
    "compromisedAccount",
    "phishing",
    "maliciousUserActivity",
    "notMalicious",
    "notEnoughDataToValidate",
    "confirmedActivity",
    "lineOfBusinessApplication",
    "unknownFutureValue",
    "compromisedUser",
    "clean",
    "insufficientData",
    "confirmedUserActivity",
];

pub const SPEC: ListSpec = ListSpec {
    filterable: &[
        ("assignedTo", Kind::Str),
        ("classification", Kind::Enum(CLASSIFICATIONS)),
        ("determination", Kind::Enum(DETERMINATIONS_ALL)),
        ("createdDateTime", Kind::DateTime),
        ("lastUpdateDateTime", Kind::DateTime),
        ("severity", Kind::Enum(SEVERITIES)),
        ("serviceSource", Kind::Enum(SERVICE_SOURCES)),
        ("status", Kind::Enum(ALERT_STATUSES)),
    ],
    orderable: &[],
    expandable: &[],
    select: false,
    default_top: 100,
    max_top: 2000,
};

const READ: &[&str] = &["SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"];
const WRITE: &[&str] = &["SecurityAlert.ReadWrite.All"];

pub fn route(ctx: &Ctx, req: &Req) -> GraphResult {
    match (req.method.as_str(), &req.segs[2..]) {
        ("GET", []) => {
            ctx.require(READ)?;
            list(ctx, req)
        }
        ("GET", [id]) => {
            ctx.require(READ)?;
            let d = ctx.data()?;
            let rec = d
                .alerts
                .get(id)
                .ok_or_else(|| GraphError::not_found("The alert"))?;
            Ok(ctx.entity("security/alerts_v2", &rec.value()))
        }
        ("PATCH", [id]) => {
            ctx.require(WRITE)?;
            patch(ctx, req, id)
        }
        ("POST", [id, c]) if c.eq_ignore_ascii_case("comments") => {
            ctx.require(WRITE)?;
            comment(ctx, req, id)
        }
        ("GET", [_, c]) if c.eq_ignore_ascii_case("comments") => Err(no_method()),
        (_, [] | [_]) => Err(no_method()),
        _ => Err(GraphError::bad_request(format!(
            "Resource not found for the segment '{}'.",
            req.segs.last().map(String::as_str).unwrap_or("")
        ))),
    }
}

fn list(ctx: &Ctx, req: &Req) -> GraphResult {
    let q = Query::parse(&req.query, &SPEC)?;
    let d = ctx.data()?;
    let url = format!("{}/security/alerts_v2", ctx.base());
    Ok(odata::page(
        &d.alerts,
        &q,
        &SPEC,
        &url,
        &ctx.context("security/alerts_v2"),
        &|_: &Rec| None,
    ))
}

/// Normalises an enum value to its declared spelling, or says which values are allowed.
pub fn enum_value(field: &str, v: &Value, members: &[&str]) -> Result<Value, GraphError> {
    let s = v.as_str().ok_or_else(|| {
        GraphError::bad_request(format!(
            "Invalid value for '{field}': a string is expected."
        ))
    })?;
    members
        .iter()
        .find(|m| m.eq_ignore_ascii_case(s))
        .map(|m| json!(m))
        .ok_or_else(|| {
            GraphError::bad_request(format!(
                "Requested value '{s}' was not found for '{field}'."
            ))
        })
}

fn patch(ctx: &Ctx, req: &Req, id: &str) -> GraphResult {
    let body = req.json_object()?;
    let mut d = ctx.data_mut()?;
    let mut v = d
        .alerts
        .get(id)
        .ok_or_else(|| GraphError::not_found("The alert"))?
        .value();
    let now = fmt_ms(now_ms());
    for (k, x) in &body {
        match k.as_str() {
            "@odata.type" => {}
            "status" => {
                let s = enum_value(k, x, ALERT_STATUSES)?;
                v["resolvedDateTime"] = if s == "resolved" {
                    json!(now)
                } else {
                    Value::Null
                };
                v["status"] = s;
            }
            "classification" => v["classification"] = enum_value(k, x, CLASSIFICATIONS)?,
            "determination" => v["determination"] = enum_value(k, x, DETERMINATIONS_ALL)?,
            "assignedTo" => {
                if !(x.is_string() || x.is_null()) {
                    return Err(GraphError::bad_request(
                        "Invalid value for 'assignedTo': a string or null is expected.",
                    ));
                }
                v["assignedTo"] = x.clone();
            }
            other => {
                return Err(GraphError::bad_request(format!(
                    "Property '{other}' cannot be updated on an alert."
                )));
            }
        }
    }
    v["lastUpdateDateTime"] = json!(now);
    let incident_id = v["incidentId"].as_str().unwrap_or_default().to_string();
    d.alerts.upsert(Rec::new(&v, &SPEC));
    touch_incident(ctx, &mut d, &incident_id, &now);
    ctx.app.persist_write(&ctx.tenant, "alerts", &v);
    drop(d);
    Ok(ctx.entity("security/alerts_v2", &v))
}

/// A change to an alert also updates its incident, as the live refresh expects.
fn touch_incident(ctx: &Ctx, d: &mut crate::state::TenantData, incident_id: &str, now: &str) {
    if let Some(rec) = d.incidents.get(incident_id) {
        let mut inc = rec.value();
        inc["lastUpdateDateTime"] = json!(now);
        d.incidents.upsert(Rec::new(&inc, &crate::incidents::SPEC));
        ctx.app.persist_write(&ctx.tenant, "incidents", &inc);
    }
}

/// Validates a comment body: `{"@odata.type": "microsoft.graph.security.alertComment", "comment": "…"}`.
pub fn comment_text(req: &Req) -> Result<String, GraphError> {
    let body = req.json_object()?;
    let text = body
        .get("comment")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| GraphError::bad_request("The 'comment' property is required."))?;
    if text.chars().count() > 30_000 {
        return Err(GraphError::bad_request("The comment is too long."));
    }
    Ok(text.to_string())
}

fn comment(ctx: &Ctx, req: &Req, id: &str) -> GraphResult {
    let text = comment_text(req)?;
    let mut d = ctx.data_mut()?;
    let mut v = d
        .alerts
        .get(id)
        .ok_or_else(|| GraphError::not_found("The alert"))?
        .value();
    let now = fmt_ms(now_ms());
    let entry = json!({"comment": text, "createdByDisplayName": ctx.upn, "createdDateTime": now});
    match v["comments"].as_array_mut() {
        Some(a) => a.push(entry),
        None => v["comments"] = json!([entry]),
    }
    v["lastUpdateDateTime"] = json!(now);
    let incident_id = v["incidentId"].as_str().unwrap_or_default().to_string();
    d.alerts.upsert(Rec::new(&v, &SPEC));
    touch_incident(ctx, &mut d, &incident_id, &now);
    ctx.app.persist_write(&ctx.tenant, "alerts", &v);
    drop(d);
    let context = ctx.context(&format!("security/alerts_v2('{id}')/comments"));
    Ok(GraphResponse::ok(
        &json!({"@odata.context": context, "value": v["comments"]}),
    ))
}
