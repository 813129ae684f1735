//! `POST /$batch` (reference §10.1): up to 20 requests, each routed, authorised and throttled on
//! its own, answered with per-item status, headers and body.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use crate::error::{GraphError, GraphResponse, GraphResult};
use crate::graph::{Ctx, Req};

pub fn handle(ctx: &Ctx, req: &Req) -> GraphResult {
    if req.method != "POST" || req.segs.len() != 1 {
        return Err(GraphError::method_not_allowed());
    }
    let body = req.json_object()?;
    let items = body
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(|| GraphError::bad_request("The batch body must have a 'requests' array."))?;
    if items.is_empty() {
        return Err(GraphError::bad_request(
            "The batch must contain at least one request.",
        ));
    }
    if items.len() > 20 {
        return Err(GraphError::bad_request(
            "The number of batch requests exceeds the limit of 20.",
        ));
    }
    let mut seen = HashSet::new();
    for it in items {
        let id = it
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| GraphError::bad_request("Every batch request needs a string 'id'."))?;
        if !seen.insert(id.to_ascii_lowercase()) {
            return Err(GraphError::bad_request(format!(
                "Batch request id '{id}' is duplicated."
            )));
        }
        if it.get("method").and_then(Value::as_str).is_none()
            || it.get("url").and_then(Value::as_str).is_none()
        {
            return Err(GraphError::bad_request(format!(
                "Batch request '{id}' needs 'method' and 'url'."
            )));
        }
        if it.get("body").is_some()
            && !it
                .get("headers")
                .and_then(|h| h.as_object())
                .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("content-type")))
        {
            return Err(GraphError::bad_request(format!(
                "Batch request '{id}' has a body but no Content-Type header."
            )));
        }
    }
    let auth: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .cloned()
        .collect();
    let mut statuses: Vec<(String, u16)> = Vec::new();
    let mut responses = Vec::new();
    for it in items {
        let id = it["id"].as_str().unwrap_or_default().to_string();
        let failed_dep = it
            .get("dependsOn")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|d| {
                statuses
                    .iter()
                    .find(|(i, _)| i.eq_ignore_ascii_case(d))
                    .is_none_or(|(_, s)| *s >= 400)
            });
        let resp = if failed_dep {
            GraphError::new(
                424,
                "FailedDependency",
                "A request this one depends on failed.",
            )
            .into_response(&ctx.app.request_id(), None)
        } else {
            let url = it["url"].as_str().unwrap_or_default();
            let url = if url.starts_with('/') {
                url.to_string()
            } else {
                format!("/{url}")
            };
            let mut headers = auth.clone();
            if let Some(h) = it.get("headers").and_then(Value::as_object) {
                headers.extend(
                    h.iter()
                        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))),
                );
            }
            let body = match it.get("body") {
                None | Some(Value::Null) => Vec::new(),
                Some(b) => serde_json::to_vec(b).unwrap_or_default(),
            };
            crate::graph::handle(
                ctx.app,
                it["method"].as_str().unwrap_or("GET"),
                &format!("/{}{url}", ctx.version),
                headers,
                body,
            )
        };
        statuses.push((id.clone(), resp.status));
        responses.push(item(&id, resp));
    }
    Ok(GraphResponse::ok(&json!({"responses": responses})))
}

fn item(id: &str, r: GraphResponse) -> Value {
    let headers: Map<String, Value> = r
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert("status".into(), json!(r.status));
    m.insert("headers".into(), Value::Object(headers));
    if let Some(b) = r.body {
        m.insert(
            "body".into(),
            serde_json::from_slice(&b).unwrap_or(Value::Null),
        );
    }
    Value::Object(m)
}
