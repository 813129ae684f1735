//! `/security/threatIntelligence`: hosts (and their reputation), articles and intel profiles.

use serde_json::{Map, Value, json};

use crate::error::{GraphError, GraphResponse, GraphResult};
use crate::graph::{Ctx, Req, no_method};
use crate::odata::{self, Kind, ListSpec, Query, Rec, select};

pub const ARTICLES_SPEC: ListSpec = ListSpec {
    filterable: &[
        ("createdDateTime", Kind::DateTime),
        ("lastUpdatedDateTime", Kind::DateTime),
        ("title", Kind::Str),
        ("isFeatured", Kind::Bool),
    ],
    orderable: &[
        ("createdDateTime", Kind::DateTime),
        ("lastUpdatedDateTime", Kind::DateTime),
        ("title", Kind::Str),
    ],
    expandable: &[],
    select: true,
    default_top: 100,
    max_top: 1000,
};

pub const PROFILES_SPEC: ListSpec = ListSpec {
    filterable: &[
        ("title", Kind::Str),
        ("kind", Kind::Enum(&["actor", "tool", "unknownFutureValue"])),
    ],
    orderable: &[
        ("title", Kind::Str),
        ("firstActiveDateTime", Kind::DateTime),
    ],
    expandable: &[],
    select: true,
    default_top: 100,
    max_top: 1000,
};

const READ: &[&str] = &["ThreatIntelligence.Read.All"];

pub fn route(ctx: &Ctx, req: &Req) -> GraphResult {
    ctx.require(READ)?;
    if req.method != "GET" {
        return Err(no_method());
    }
    let rest: Vec<String> = req.segs[2..].to_vec();
    let first = rest.first().map(|s| s.to_ascii_lowercase());
    let d = ctx.data()?;
    match (first.as_deref(), &rest[rest.len().min(1)..]) {
        // The service knows every host: one it has no intelligence on is neutral, score 0.
        (Some("hosts"), [id]) => Ok(GraphResponse::ok(
            &d.hosts
                .get(&id.to_lowercase())
                .map_or_else(|| unknown_host(id).0, |(h, _)| h.clone()),
        )),
        (Some("hosts"), [id, r]) if r.eq_ignore_ascii_case("reputation") => Ok(GraphResponse::ok(
            &d.hosts
                .get(&id.to_lowercase())
                .map_or_else(|| unknown_host(id).1, |(_, rep)| rep.clone()),
        )),
        (Some(kind @ ("articles" | "intelprofiles")), tail) => {
            let (coll, spec, name) = if kind == "articles" {
                (&d.articles, &ARTICLES_SPEC, "articles")
            } else {
                (&d.intel_profiles, &PROFILES_SPEC, "intelProfiles")
            };
            match tail {
                [] => {
                    let q = Query::parse(&req.query, spec)?;
                    let url = format!("{}/security/threatIntelligence/{name}", ctx.base());
                    let fields = q.select.clone();
                    Ok(odata::page(
                        coll,
                        &q,
                        spec,
                        &url,
                        &ctx.context(&format!("security/threatIntelligence/{name}")),
                        &|r: &Rec| fields.as_ref().map(|f| select(&r.value(), f).to_string()),
                    ))
                }
                [id] => {
                    let v = coll
                        .get(id)
                        .ok_or_else(|| GraphError::not_found("The item"))?
                        .value();
                    let mut m = Map::new();
                    m.insert(
                        "@odata.context".into(),
                        json!(ctx.context(&format!("security/threatIntelligence/{name}/$entity"))),
                    );
                    if let Value::Object(o) = v {
                        m.extend(o);
                    }
                    Ok(GraphResponse::ok(&Value::Object(m)))
                }
                [_, ind] if ind.eq_ignore_ascii_case("indicators") => Ok(odata::simple_list(
                    &ctx.context("indicators"),
                    vec![],
                    false,
                )),
                _ => Err(GraphError::bad_request(
                    "Resource not found for the segment.",
                )),
            }
        }
        _ => Err(GraphError::bad_request(format!(
            "Resource not found for the segment '{}'.",
            req.segs.last().map(String::as_str).unwrap_or("")
        ))),
    }
}

/// A host without intelligence: (host, reputation), neutral with no rules.
fn unknown_host(id: &str) -> (Value, Value) {
    let ip = id.parse::<std::net::IpAddr>().is_ok();
    let host = if ip {
        json!({"@odata.type": "#microsoft.graph.security.ipAddress", "id": id, "firstSeenDateTime": null, "lastSeenDateTime": null, "countryOrRegion": null, "hostingProvider": null, "netblock": null})
    } else {
        json!({"@odata.type": "#microsoft.graph.security.hostname", "id": id, "firstSeenDateTime": null, "lastSeenDateTime": null, "registrar": null, "registrant": null})
    };
    let rep = json!({"@odata.type": "#microsoft.graph.security.hostReputation", "id": format!("rep-{id}"), "classification": "neutral", "score": 0, "rules": []});
    (host, rep)
}
