//! `/security/incidents`: list, get, `$expand=alerts`, PATCH and comments (reference §2.1).

use serde_json::{Value, json};

use crate::alerts::{DETERMINATIONS_ALL, comment_text, enum_value};
use crate::error::{GraphError, GraphResponse, GraphResult};
use crate::graph::{Ctx, Req, no_method};
use crate::odata::{self, Kind, ListSpec, Query, Rec};
use crate::seed::alerts::{CLASSIFICATIONS, INCIDENT_STATUSES, SEVERITIES};
use crate::state::TenantData;
use crate::util::{fmt_ms, now_ms};

pub const SPEC: ListSpec = ListSpec {
    filterable: &[
        ("assignedTo", Kind::Str),
        ("classification", Kind::Enum(CLASSIFICATIONS)),
        ("createdDateTime", Kind::DateTime),
        ("determination", Kind::Enum(DETERMINATIONS_ALL)),
        ("lastUpdateDateTime", Kind::DateTime),
        ("severity", Kind::Enum(SEVERITIES)),
        ("status", Kind::Enum(INCIDENT_STATUSES)),
    ],
    orderable: &[],
    expandable: &["alerts"],
    select: false,
    default_top: 50,
    max_top: 50,
};

const READ: &[&str] = &[
    "SecurityIncident.Read.All",
    "SecurityIncident.ReadWrite.All",
];
const WRITE: &[&str] = &["SecurityIncident.ReadWrite.All"];

pub fn route(ctx: &Ctx, req: &Req) -> GraphResult {
    match (req.method.as_str(), &req.segs[2..]) {
        ("GET", []) => {
            ctx.require(READ)?;
            let q = Query::parse(&req.query, &SPEC)?;
            let d = ctx.data()?;
            let url = format!("{}/security/incidents", ctx.base());
            let expand = !q.expand.is_empty();
            Ok(odata::page(
                &d.incidents,
                &q,
                &SPEC,
                &url,
                &ctx.context("security/incidents"),
                &|r: &Rec| expand.then(|| with_alerts(&d, r.value()).to_string()),
            ))
        }
        ("GET", [id]) => {
            ctx.require(READ)?;
            let q = Query::parse(
                &req.query,
                &ListSpec {
                    filterable: &[],
                    max_top: 0,
                    ..SPEC
                },
            )?;
            if q.filter.is_some() || q.top.is_some() || q.count {
                return Err(GraphError::bad_request(
                    "Only $expand is supported when reading one incident.",
                ));
            }
            let d = ctx.data()?;
            let mut v = d
                .incidents
                .get(id)
                .ok_or_else(|| GraphError::not_found("The incident"))?
                .value();
            if !q.expand.is_empty() {
                v = with_alerts(&d, v);
            }
            Ok(ctx.entity("security/incidents", &v))
        }
        ("PATCH", [id]) => {
            ctx.require(WRITE)?;
            patch(ctx, req, id)
        }
        ("POST", [id, c]) if c.eq_ignore_ascii_case("comments") => {
            ctx.require(WRITE)?;
            comment(ctx, req, id)
        }
        (_, [] | [_]) => Err(no_method()),
        _ => Err(GraphError::bad_request(format!(
            "Resource not found for the segment '{}'.",
            req.segs.last().map(String::as_str).unwrap_or("")
        ))),
    }
}

/// Embeds the incident's alerts (newest first), as `$expand=alerts` does.
fn with_alerts(d: &TenantData, mut v: Value) -> Value {
    let id = v["id"].as_str().unwrap_or_default().to_string();
    let alerts: Vec<Value> = d
        .incident_alerts
        .get(&id)
        .map(|ids| {
            ids.iter()
                .filter_map(|a| d.alerts.get(a))
                .map(Rec::value)
                .collect()
        })
        .unwrap_or_default();
    v["alerts"] = Value::Array(alerts);
    v
}

fn patch(ctx: &Ctx, req: &Req, id: &str) -> GraphResult {
    let body = req.json_object()?;
    let mut d = ctx.data_mut()?;
    let mut v = d
        .incidents
        .get(id)
        .ok_or_else(|| GraphError::not_found("The incident"))?
        .value();
    for (k, x) in &body {
        match k.as_str() {
            "@odata.type" => {}
            "status" => v["status"] = enum_value(k, x, INCIDENT_STATUSES)?,
            "classification" => v["classification"] = enum_value(k, x, CLASSIFICATIONS)?,
            "determination" => v["determination"] = enum_value(k, x, DETERMINATIONS_ALL)?,
            "assignedTo" | "resolvingComment" | "summary" => {
                if !(x.is_string() || x.is_null()) {
                    return Err(GraphError::bad_request(format!(
                        "Invalid value for '{k}': a string or null is expected."
                    )));
                }
                v[k.as_str()] = x.clone();
            }
            "customTags" | "tags" => {
                let tags = x
                    .as_array()
                    .filter(|a| a.iter().all(Value::is_string))
                    .ok_or_else(|| {
                        GraphError::bad_request("customTags must be an array of strings.")
                    })?;
                v["customTags"] = Value::Array(tags.clone());
                v["tags"] = Value::Array(tags.clone());
            }
            other => {
                return Err(GraphError::bad_request(format!(
                    "Property '{other}' cannot be updated on an incident."
                )));
            }
        }
    }
    v["lastUpdateDateTime"] = json!(fmt_ms(now_ms()));
    v["lastModifiedBy"] = json!(ctx.upn);
    d.incidents.upsert(Rec::new(&v, &SPEC));
    ctx.app.persist_write(&ctx.tenant, "incidents", &v);
    drop(d);
    Ok(ctx.entity("security/incidents", &v))
}

fn comment(ctx: &Ctx, req: &Req, id: &str) -> GraphResult {
    let text = comment_text(req)?;
    let mut d = ctx.data_mut()?;
    let mut v = d
        .incidents
        .get(id)
        .ok_or_else(|| GraphError::not_found("The incident"))?
        .value();
    let now = fmt_ms(now_ms());
    // Both spellings the docs show for incident comments are sent.
    let entry = json!({"comment": text, "createdBy": ctx.upn, "createdTime": now, "createdByDisplayName": ctx.upn, "createdDateTime": now});
    match v["comments"].as_array_mut() {
        Some(a) => a.push(entry),
        None => v["comments"] = json!([entry]),
    }
    v["lastUpdateDateTime"] = json!(now);
    d.incidents.upsert(Rec::new(&v, &SPEC));
    ctx.app.persist_write(&ctx.tenant, "incidents", &v);
    drop(d);
    let context = ctx.context(&format!("security/incidents('{id}')/comments"));
    Ok(GraphResponse::ok(
        &json!({"@odata.context": context, "value": v["comments"]}),
    ))
}
