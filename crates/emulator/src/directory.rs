//! `/users`, `/me` and `/devices` for pivots from evidence (reference §9), with a user's
//! manager (`/users/{id}/manager`) and a device's registered owners
//! (`/devices/{id}/registeredOwners`) as the Graph docs show them (`user-list-manager.md`,
//! `device-list-registeredowners.md`).

use serde_json::Value;

use crate::error::{GraphError, GraphResponse, GraphResult};
use crate::graph::{Ctx, Req, no_method};
use crate::odata::{self, Kind, ListSpec, Query, Rec, select};
use crate::state::TenantData;

pub const USERS_SPEC: ListSpec = ListSpec {
    filterable: &[
        ("userPrincipalName", Kind::Str),
        ("displayName", Kind::Str),
        ("mail", Kind::Str),
        ("id", Kind::Str),
        ("department", Kind::Str),
    ],
    orderable: &[("displayName", Kind::Str), ("userPrincipalName", Kind::Str)],
    expandable: &[],
    select: true,
    default_top: 100,
    max_top: 999,
};

pub const DEVICES_SPEC: ListSpec = ListSpec {
    filterable: &[
        ("deviceId", Kind::Str),
        ("displayName", Kind::Str),
        ("id", Kind::Str),
        ("operatingSystem", Kind::Str),
    ],
    orderable: &[("displayName", Kind::Str)],
    expandable: &[],
    select: true,
    default_top: 100,
    max_top: 999,
};

/// Properties `/users` returns without `$select`.
const DEFAULT_USER: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "id",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
];

fn user_view(v: &Value, q: &Query) -> Value {
    match &q.select {
        Some(f) => select(v, f),
        None => select(
            v,
            &DEFAULT_USER
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        ),
    }
}

pub fn route(ctx: &Ctx, req: &Req) -> GraphResult {
    if req.method != "GET" {
        return Err(no_method());
    }
    let denied = |e: GraphError| GraphError {
        code: "Authorization_RequestDenied".into(),
        message: "Insufficient privileges to complete the operation.".into(),
        ..e
    };
    let d = ctx.data()?;
    let first = req.segs[0].to_ascii_lowercase();
    match (first.as_str(), &req.segs[1..]) {
        ("me", []) => {
            ctx.require(&["User.Read", "User.ReadBasic.All", "User.Read.All"])
                .map_err(denied)?;
            let q = Query::parse(&req.query, &USERS_SPEC)?;
            let v = d.users.items.iter().map(Rec::value).find(|u| {
                u["userPrincipalName"]
                    .as_str()
                    .is_some_and(|x| x.eq_ignore_ascii_case(&ctx.upn))
            });
            let v = v.ok_or_else(|| GraphError::not_found("The user"))?;
            Ok(ctx.entity("users", &user_view(&v, &q)))
        }
        ("users", rest) => {
            ctx.require(&["User.ReadBasic.All", "User.Read.All"])
                .map_err(denied)?;
            let q = Query::parse(&req.query, &USERS_SPEC)?;
            match rest {
                [] => Ok(odata::page(
                    &d.users,
                    &q,
                    &USERS_SPEC,
                    &format!("{}/users", ctx.base()),
                    &ctx.context("users"),
                    &|r: &Rec| Some(user_view(&r.value(), &q).to_string()),
                )),
                [key] => {
                    let v = find_user(&d, key).ok_or_else(|| absent(key))?;
                    Ok(ctx.entity("users", &user_view(&v, &q)))
                }
                [key, nav] if nav.eq_ignore_ascii_case("manager") => {
                    // Basic profiles are not enough for a manager (least privilege: User.Read.All).
                    ctx.require(&["User.Read.All"]).map_err(denied)?;
                    let v = find_user(&d, key).ok_or_else(|| absent(key))?;
                    let boss = manager_of(&d, &v).ok_or_else(|| absent("manager"))?;
                    let mut out = serde_json::Map::new();
                    out.insert("@odata.type".into(), "#microsoft.graph.user".into());
                    if let Value::Object(o) = user_view(&boss, &q) {
                        out.extend(o);
                    }
                    Ok(ctx.entity("directoryObjects", &Value::Object(out)))
                }
                _ => Err(GraphError::bad_request(
                    "Resource not found for the segment.",
                )),
            }
        }
        ("devices", rest) => {
            ctx.require(&["Device.Read.All"]).map_err(denied)?;
            let q = Query::parse(&req.query, &DEVICES_SPEC)?;
            let view = |v: Value| match &q.select {
                Some(f) => select(&v, f),
                None => v,
            };
            match rest {
                [] => Ok(odata::page(
                    &d.devices,
                    &q,
                    &DEVICES_SPEC,
                    &format!("{}/devices", ctx.base()),
                    &ctx.context("devices"),
                    &|r: &Rec| Some(view(r.value()).to_string()),
                )),
                [key] => {
                    let v = d
                        .devices
                        .get(key)
                        .map(Rec::value)
                        .ok_or_else(|| absent(key))?;
                    Ok(ctx.entity("devices", &view(v)))
                }
                [key, nav] if nav.eq_ignore_ascii_case("registeredOwners") => {
                    d.devices.get(key).ok_or_else(|| absent(key))?;
                    let owners: Vec<Value> = owner_of(&d, key)
                        .into_iter()
                        .map(|u| {
                            let mut out = serde_json::Map::new();
                            out.insert("@odata.type".into(), "#microsoft.graph.user".into());
                            if let Value::Object(o) = user_view(&u, &Query::default()) {
                                out.extend(o);
                            }
                            Value::Object(out)
                        })
                        .collect();
                    Ok(GraphResponse::ok(&serde_json::json!({
                        "@odata.context": ctx.context("directoryObjects"),
                        "value": owners,
                    })))
                }
                _ => Err(GraphError::bad_request(
                    "Resource not found for the segment.",
                )),
            }
        }
        _ => Err(GraphError::bad_request(
            "Resource not found for the segment.",
        )),
    }
}

fn absent(key: &str) -> GraphError {
    GraphError::new(
        404,
        "Request_ResourceNotFound",
        format!(
            "Resource '{key}' does not exist or one of its queried reference-property objects are not present."
        ),
    )
}

/// A user by object id or UPN (any case).
fn find_user(d: &TenantData, key: &str) -> Option<Value> {
    d.users.get(key).map(Rec::value).or_else(|| {
        d.users.items.iter().map(Rec::value).find(|u| {
            u["userPrincipalName"]
                .as_str()
                .is_some_and(|x| x.eq_ignore_ascii_case(key))
        })
    })
}

/// The demo organisation's reporting line: the first person of a department leads it and
/// reports to the first person of the tenant, who reports to nobody.
fn manager_of(d: &TenantData, user: &Value) -> Option<Value> {
    let people = &d.entities.people;
    let me = people
        .iter()
        .position(|p| Some(p.id.as_str()) == user["id"].as_str())?;
    let head = people
        .iter()
        .position(|p| p.department == people[me].department)
        .filter(|&h| h != me)
        .or((me != 0).then_some(0))?;
    find_user(d, &people[head].id)
}

/// The registered owner of a device (by directory object id), as a user.
fn owner_of(d: &TenantData, object_id: &str) -> Option<Value> {
    let m = d
        .entities
        .machines
        .iter()
        .find(|m| m.object_id.eq_ignore_ascii_case(object_id))?;
    find_user(d, &d.entities.people.get(m.owner)?.id)
}
