//! `/security/secureScores` and `/security/secureScoreControlProfiles` (reference §3).

use serde_json::{Value, json};

use crate::error::{GraphError, GraphResponse, GraphResult};
use crate::graph::{Ctx, Req, no_method};
use crate::odata::{self, Kind, ListSpec, Query, Rec};
use crate::util::{fmt_ms, now_ms};

pub const SCORES_SPEC: ListSpec = ListSpec {
    filterable: &[
        ("createdDateTime", Kind::DateTime),
        ("azureTenantId", Kind::Str),
        ("currentScore", Kind::Num),
    ],
    orderable: &[],
    expandable: &[],
    select: false,
    default_top: 100,
    max_top: 200,
};

pub const PROFILES_SPEC: ListSpec = ListSpec {
    filterable: &[
        ("controlCategory", Kind::Str),
        ("service", Kind::Str),
        ("tier", Kind::Str),
        ("actionType", Kind::Str),
        ("deprecated", Kind::Bool),
        ("maxScore", Kind::Num),
        ("rank", Kind::Num),
    ],
    orderable: &[],
    expandable: &[],
    select: false,
    default_top: 100,
    max_top: 200,
};

const READ: &[&str] = &["SecurityEvents.Read.All", "SecurityEvents.ReadWrite.All"];
const WRITE: &[&str] = &["SecurityEvents.ReadWrite.All"];
const STATES: &[&str] = &["Default", "Ignored", "ThirdParty", "Reviewed"];

pub fn route(ctx: &Ctx, req: &Req) -> GraphResult {
    let profiles = req.segs[1].eq_ignore_ascii_case("secureScoreControlProfiles");
    let (name, spec) = if profiles {
        ("secureScoreControlProfiles", &PROFILES_SPEC)
    } else {
        ("secureScores", &SCORES_SPEC)
    };
    match (req.method.as_str(), &req.segs[2..]) {
        ("GET", []) => {
            ctx.require(READ)?;
            let q = Query::parse(&req.query, spec)?;
            let d = ctx.data()?;
            let coll = if profiles {
                &d.profiles
            } else {
                &d.secure_scores
            };
            let url = format!("{}/security/{name}", ctx.base());
            Ok(odata::page(
                coll,
                &q,
                spec,
                &url,
                &ctx.context(&format!("security/{name}")),
                &|_: &Rec| None,
            ))
        }
        ("GET", [id]) => {
            ctx.require(READ)?;
            let d = ctx.data()?;
            let coll = if profiles {
                &d.profiles
            } else {
                &d.secure_scores
            };
            let v = coll
                .get(id)
                .ok_or_else(|| GraphError::not_found("The resource"))?
                .value();
            Ok(ctx.entity(&format!("security/{name}"), &v))
        }
        ("PATCH", [id]) if profiles => {
            ctx.require(WRITE)?;
            patch(ctx, req, id)
        }
        (_, [] | [_]) => Err(no_method()),
        _ => Err(GraphError::bad_request(
            "Resource not found for the segment.",
        )),
    }
}

fn patch(ctx: &Ctx, req: &Req, id: &str) -> GraphResult {
    let body = req.json_object()?;
    let vendor = body
        .get("vendorInformation")
        .ok_or_else(|| GraphError::bad_request("vendorInformation is required."))?;
    let ok_vendor = vendor["provider"]
        .as_str()
        .is_some_and(|p| p.eq_ignore_ascii_case("SecureScore"))
        && vendor["vendor"]
            .as_str()
            .is_some_and(|p| p.eq_ignore_ascii_case("Microsoft"));
    if !ok_vendor {
        return Err(GraphError::bad_request(
            "vendorInformation must have provider 'SecureScore' and vendor 'Microsoft'.",
        ));
    }
    for k in body.keys() {
        if !matches!(
            k.as_str(),
            "assignedTo" | "comment" | "state" | "vendorInformation" | "@odata.type"
        ) {
            return Err(GraphError::bad_request(format!(
                "Property '{k}' cannot be updated on a control profile."
            )));
        }
    }
    let text = |k: &str| -> Result<Value, GraphError> {
        match body.get(k) {
            None | Some(Value::Null) => Ok(Value::Null),
            Some(Value::String(s)) => Ok(json!(s)),
            Some(_) => Err(GraphError::bad_request(format!("'{k}' must be a string."))),
        }
    };
    let state = match body.get("state") {
        None | Some(Value::Null) => Value::Null,
        Some(Value::String(s)) => json!(
            STATES
                .iter()
                .find(|m| m.eq_ignore_ascii_case(s))
                .ok_or_else(|| GraphError::bad_request(format!("Invalid state '{s}'.")))?
        ),
        Some(_) => return Err(GraphError::bad_request("'state' must be a string.")),
    };
    let mut d = ctx.data_mut()?;
    let mut v = d
        .profiles
        .get(id)
        .ok_or_else(|| GraphError::not_found("The control profile"))?
        .value();
    let now = fmt_ms(now_ms());
    let last_state = v["controlStateUpdates"]
        .as_array()
        .and_then(|a| a.last())
        .map(|u| u["state"].clone())
        .unwrap_or(json!("Default"));
    let update = json!({
        "assignedTo": text("assignedTo")?, "comment": text("comment")?,
        "state": if state.is_null() { last_state } else { state },
        "updatedBy": ctx.upn, "updatedDateTime": now,
    });
    match v["controlStateUpdates"].as_array_mut() {
        Some(a) => a.push(update),
        None => v["controlStateUpdates"] = json!([update]),
    }
    v["lastModifiedDateTime"] = json!(now);
    d.profiles.upsert(Rec::new(&v, &PROFILES_SPEC));
    // Snapshots count the state in force when they were taken: this one shows from the next.
    d.rerender_scores();
    ctx.app
        .persist_write(&ctx.tenant, "secureScoreControlProfiles", &v);
    drop(d);
    if req.prefers_representation() {
        Ok(ctx.entity("security/secureScoreControlProfiles", &v))
    } else {
        Ok(GraphResponse::empty(204))
    }
}
