//! A cluster as a case file: Markdown for a ticket or chat, JSON for tools. Every string from
//! the API is escaped in the Markdown, because titles, URLs and account names are
//! attacker-influenced and must not break the tables or smuggle in links.

use serde_json::{Value, json};

use super::cluster::{Cluster, EntityRef};
use crate::models::DateTime;

/// The case as Markdown: summary, reasons, timeline, entities (the cluster's, from
/// [`Correlator::cluster_entities`](super::Correlator::cluster_entities)) and incidents.
pub fn case_markdown(c: &Cluster, entities: &[EntityRef]) -> String {
    let mut s = String::new();
    s.push_str("# Case ");
    s.push_str(&escape(c.key.as_str()));
    s.push_str(": ");
    s.push_str(&c.summary());
    s.push_str("\n\n");
    s.push_str(&format!(
        "Score {}, highest severity {}, {} open of {}, from {} to {}.\n",
        c.score,
        c.severity.as_ref().map_or("unknown", |v| v.as_str()),
        c.status.open(),
        c.alerts.len(),
        time(c.first),
        time(c.last),
    ));
    if let Some(t) = &c.tenant_id {
        s.push_str(&format!("Tenant {}.\n", escape(t)));
    }
    if let Some(line) = c.incidents_sentence() {
        s.push_str(&format!("\n**{line}**: {}.\n", list(&c.incidents)));
    }
    s.push_str("\n## Why these alerts are together\n\n| Reason | Entity | Alerts | Weight |\n|---|---|---|---|\n");
    for r in &c.reasons {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.kind.reason(),
            escape(&r.label),
            r.alerts,
            r.weight
        ));
    }
    s.push_str("\n## Timeline\n\n| Time | Severity | Status | Provider | Title | Alert | Incident |\n|---|---|---|---|---|---|---|\n");
    for a in &c.alerts {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            time(a.time),
            escape(a.severity.as_ref().map_or("", |v| v.as_str())),
            escape(a.status.as_ref().map_or("", |v| v.as_str())),
            escape(a.provider.as_ref().map_or("", |v| v.as_str())),
            escape(&a.title),
            escape(a.id.as_str()),
            escape(a.incident_id.as_deref().unwrap_or("")),
        ));
    }
    s.push_str("\n## Entities\n\n| Kind | Entity | Identifiers | Alerts | Weight | Hub |\n|---|---|---|---|---|---|\n");
    for e in entities {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            e.kind.name(),
            escape(&e.label),
            list(&e.identifiers),
            e.alerts,
            e.weight,
            if e.hub { "yes" } else { "" }
        ));
    }
    s
}

/// The case as JSON (the same content as [`case_markdown`], unescaped).
pub fn case_json(c: &Cluster, entities: &[EntityRef]) -> Value {
    let entity = |e: &EntityRef| {
        json!({
            "key": e.key, "kind": e.kind.name(), "label": e.label,
            "identifiers": e.identifiers, "alerts": e.alerts, "weight": e.weight, "hub": e.hub,
        })
    };
    json!({
        "key": c.key,
        "tenantId": c.tenant_id,
        "summary": c.summary(),
        "score": c.score,
        "severity": c.severity,
        "first": c.first,
        "last": c.last,
        "providers": c.providers,
        "status": {
            "new": c.status.new, "inProgress": c.status.in_progress,
            "resolved": c.status.resolved, "other": c.status.other,
        },
        "incidents": c.incidents,
        "joinsIncidents": c.joins_incidents(),
        "reasons": c.reasons.iter().map(|r| json!({
            "reason": r.kind.reason(), "kind": r.kind.name(), "key": r.key, "label": r.label,
            "alerts": r.alerts, "weight": r.weight,
        })).collect::<Vec<_>>(),
        "timeline": c.alerts.iter().map(|a| json!({
            "id": a.id, "time": a.time, "title": a.title, "severity": a.severity,
            "status": a.status, "classification": a.classification, "provider": a.provider,
            "incidentId": a.incident_id, "detectorId": a.detector_id,
        })).collect::<Vec<_>>(),
        "entities": entities.iter().map(entity).collect::<Vec<_>>(),
    })
}

/// Text safe in a Markdown table cell: line breaks become spaces, Markdown and HTML
/// punctuation is backslash-escaped (`:` too, so no autolink forms), `&` `<` `>` become
/// entities.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\n' | '\r' | '\t' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|'
            | '~' | ':' | '"' => {
                out.push('\\');
                out.push(ch);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| escape(i))
        .collect::<Vec<_>>()
        .join(", ")
}

fn time(t: Option<DateTime>) -> String {
    t.map_or_else(|| "unknown".to_owned(), |t| t.to_rfc3339())
}
