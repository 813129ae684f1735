//! `--import [TENANT=]FILE`: a tenant's alerts from a file of `alerts_v2` objects (Vigil's NDJSON
//! export, or one taken from a real tenant) instead of the generated ones, with incidents
//! built from their `incidentId`s.
//!
//! Accepted: NDJSON (one object per line, blank lines allowed), a JSON array of alerts, or a
//! Graph page `{"value": [...]}` (pretty-printed or not). Every alert must be an object with a
//! non-empty string `id`, unique in the file. The alerts are served exactly as given; the
//! emulator only indexes their filterable properties. A file with any invalid alert loads
//! nothing: the error names the line.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::odata::{Collection, Rec};
use crate::seed::alerts::SEVERITIES;
use crate::util::{fmt_ms, parse_dt};

/// One `--import` flag: which tenant (None = the first) and which file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// A tenant id, or a demo tenant's name (`contoso`, `fabrikam`, case-insensitive); None for
    /// the first tenant.
    pub tenant: Option<String>,
    pub path: PathBuf,
}

impl Import {
    /// Parses the flag's value: `FILE` or `TENANT=FILE`. A value whose text before the first `=`
    /// is not a tenant is a plain file name (file names may contain `=`).
    pub fn parse(value: &str) -> Result<Import, String> {
        if value.trim().is_empty() {
            return Err("--import needs a file".into());
        }
        if let Some((t, f)) = value.split_once('=') {
            let tenants = crate::state::demo_tenants();
            if find_tenant(&tenants, t).is_some() {
                if f.is_empty() {
                    return Err(format!("--import {value}: no file after '='"));
                }
                return Ok(Import {
                    tenant: Some(t.to_string()),
                    path: PathBuf::from(f),
                });
            }
            if !Path::new(value).exists() && looks_like_tenant(t) {
                return Err(format!(
                    "--import {value}: unknown tenant '{t}' (use a tenant id, 'contoso' or 'fabrikam')"
                ));
            }
        }
        Ok(Import {
            tenant: None,
            path: PathBuf::from(value),
        })
    }
}

fn looks_like_tenant(t: &str) -> bool {
    !t.is_empty() && !t.contains(['/', '\\', '.'])
}

/// The index of the tenant named by `name`: its id, its domain, its short name, or the first
/// word of its display name ("contoso"), case-insensitive.
pub fn find_tenant(tenants: &[crate::TenantInfo], name: &str) -> Option<usize> {
    let n = name.trim();
    tenants.iter().position(|t| {
        t.id.eq_ignore_ascii_case(n)
            || t.domain.eq_ignore_ascii_case(n)
            || t.short.eq_ignore_ascii_case(n)
            || t.name.eq_ignore_ascii_case(n)
            || t.name
                .split_whitespace()
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

/// Why an import file was refused. `line` is 1-based (0 when the file could not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "--import {}: {}", self.file, self.reason)
        } else {
            write!(
                f,
                "--import {}: line {}: {} (nothing was imported)",
                self.file, self.line, self.reason
            )
        }
    }
}

impl std::error::Error for ImportError {}

/// A tenant's imported alerts and the incidents built from them, newest first.
pub struct Imported {
    pub alerts: Collection,
    pub incidents: Collection,
    pub incident_alerts: HashMap<String, Vec<String>>,
}

/// Reads and checks a file. Nothing is returned unless every alert is valid.
pub fn read(path: &Path) -> Result<Vec<Value>, ImportError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ImportError {
        file: file.clone(),
        line: 0,
        reason: format!("cannot read the file: {e}"),
    })?;
    parse(&text).map_err(|(line, reason)| ImportError { file, line, reason })
}

/// Parses the text of an import file into alerts (in file order), or (line, reason).
pub fn parse(text: &str) -> Result<Vec<Value>, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.len() - text.trim_start().len();
    let first_line_no = text[..start].matches('\n').count() + 1;
    let body = &text[start..];
    if body.is_empty() {
        return Err((1, "the file holds no alerts".into()));
    }
    let items: Vec<(usize, Value)> = if body.starts_with('[') {
        document(text, start)?
    } else {
        // NDJSON unless its first line is not a whole JSON value (a pretty-printed page).
        let first = body.lines().next().unwrap_or_default();
        match serde_json::from_str::<Value>(first) {
            Ok(Value::Object(m)) if m.get("value").is_some_and(Value::is_array) => {
                document(text, start)?
            }
            Ok(_) => ndjson(text)?,
            Err(_) => document(text, start)?,
        }
    };
    if items.is_empty() {
        return Err((first_line_no, "the file holds no alerts".into()));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(items.len());
    for (line, v) in items {
        let Some(obj) = v.as_object() else {
            return Err((line, "an alert must be a JSON object".into()));
        };
        let id = match obj.get("id") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::String(_)) => return Err((line, "the alert's `id` is empty".into())),
            Some(_) => return Err((line, "the alert's `id` is not a string".into())),
            None => return Err((line, "the alert has no `id`".into())),
        };
        if let Some(prev) = seen.insert(id.clone(), line) {
            return Err((
                line,
                format!("duplicate alert id '{id}' (first on line {prev})"),
            ));
        }
        for k in ["createdDateTime", "lastUpdateDateTime"] {
            match obj.get(k) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if parse_dt(s).is_some() => {}
                Some(x) => {
                    return Err((line, format!("`{k}` is not a DateTimeOffset: {x}")));
                }
            }
        }
        match obj.get("incidentId") {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(Value::Number(n)) if n.is_u64() || n.is_i64() => {}
            Some(x) => {
                return Err((line, format!("`incidentId` is not a string: {x}")));
            }
        }
        out.push(v);
    }
    Ok(out)
}

fn ndjson(text: &str) -> Result<Vec<(usize, Value)>, (usize, String)> {
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(l).map_err(|e| (i + 1, format!("not valid JSON: {e}")))?;
        out.push((i + 1, v));
    }
    Ok(out)
}

/// A JSON document: an array of alerts or a Graph page. Each alert's line is where it starts.
fn document(text: &str, start: usize) -> Result<Vec<(usize, Value)>, (usize, String)> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| (e.line().max(1), format!("not valid JSON: {e}")))?;
    let line_at = |off: usize| text[..off].matches('\n').count() + 1;
    let (items, array_at) = match v {
        Value::Array(a) => (a, start),
        Value::Object(mut m) => match m.remove("value") {
            Some(Value::Array(a)) => {
                let at = value_array_offset(text, start).unwrap_or(start);
                (a, at)
            }
            _ => {
                return Err((
                    line_at(start),
                    "a JSON document must be an array of alerts or a Graph page {\"value\": [...]}"
                        .into(),
                ));
            }
        },
        _ => {
            return Err((
                line_at(start),
                "a JSON document must be an array of alerts or a Graph page {\"value\": [...]}"
                    .into(),
            ));
        }
    };
    let offsets = element_offsets(text, array_at);
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, x)| (line_at(offsets.get(i).copied().unwrap_or(array_at)), x))
        .collect())
}

/// Where the array of the page's top-level `"value"` key starts (the text is valid JSON).
fn value_array_offset(text: &str, obj_start: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    let mut key_start = None;
    let mut last_key: Option<&str> = None;
    for (i, &c) in b.iter().enumerate().skip(obj_start) {
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
                if depth == 1 {
                    last_key = key_start.map(|s| &text[s..i]);
                }
            }
            continue;
        }
        match c {
            b'"' => {
                in_str = true;
                key_start = Some(i + 1);
            }
            b'{' | b'[' => {
                if depth == 1 && c == b'[' && last_key == Some("value") {
                    return Some(i);
                }
                depth += 1;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' => last_key = None,
            _ => {}
        }
    }
    None
}

/// Byte offsets where the elements of the array starting at `at` begin (the text is valid JSON).
fn element_offsets(text: &str, at: usize) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut in_str, mut esc, mut want) = (0usize, false, false, false);
    for (i, &c) in b.iter().enumerate().skip(at) {
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
            continue;
        }
        if want && !c.is_ascii_whitespace() && c != b']' {
            out.push(i);
            want = false;
        }
        match c {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                if depth == 1 {
                    want = true;
                }
            }
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b',' if depth == 1 => want = true,
            _ => {}
        }
    }
    out
}

fn time_of(v: &Value, k: &str) -> Option<i64> {
    v.get(k).and_then(Value::as_str).and_then(parse_dt)
}

fn incident_key(v: &Value) -> Option<String> {
    match v.get("incidentId") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Builds the collections: alerts newest first (by `createdDateTime`, file order for ties and
/// alerts without one), and one incident per distinct `incidentId`.
pub fn build(alerts: Vec<Value>, tenant_id: &str, now_ms: i64) -> Imported {
    let mut order: Vec<(usize, Value)> = alerts.into_iter().enumerate().collect();
    order.sort_by_key(|(i, v)| {
        (
            std::cmp::Reverse(time_of(v, "createdDateTime").unwrap_or(i64::MIN)),
            *i,
        )
    });
    // Incidents in order of first appearance in the file, then newest first.
    let mut groups: Vec<(String, Vec<&(usize, Value)>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut by_file: Vec<&(usize, Value)> = order.iter().collect();
    by_file.sort_by_key(|x| x.0);
    for a in &by_file {
        if let Some(k) = incident_key(&a.1) {
            let g = *at.entry(k.clone()).or_insert_with(|| {
                groups.push((k, Vec::new()));
                groups.len() - 1
            });
            groups[g].1.push(a);
        }
    }
    let mut incidents: Vec<(i64, Value)> = Vec::with_capacity(groups.len());
    let mut incident_alerts: HashMap<String, Vec<String>> = HashMap::new();
    for (n, (id, members)) in groups.iter().enumerate() {
        let inc = incident(id, n + 1, members, tenant_id, now_ms);
        let created = time_of(&inc, "createdDateTime").unwrap_or(i64::MIN);
        incidents.push((created, inc));
        let mut ids: Vec<&(usize, Value)> = members.clone();
        ids.sort_by_key(|(i, v)| {
            (
                std::cmp::Reverse(time_of(v, "createdDateTime").unwrap_or(i64::MIN)),
                *i,
            )
        });
        incident_alerts.insert(
            id.clone(),
            ids.iter()
                .map(|(_, v)| v["id"].as_str().unwrap_or_default().to_string())
                .collect(),
        );
    }
    incidents.sort_by_key(|x| std::cmp::Reverse(x.0));
    Imported {
        alerts: Collection::from_recs(
            order
                .iter()
                .map(|(_, v)| Rec::new(v, &crate::alerts::SPEC))
                .collect(),
        ),
        incidents: Collection::from_recs(
            incidents
                .iter()
                .map(|(_, v)| Rec::new(v, &crate::incidents::SPEC))
                .collect(),
        ),
        incident_alerts,
    }
}

/// An incident in the shape the emulator serves for generated ones, derived from its alerts
/// (`members` in file order).
fn incident(
    id: &str,
    n: usize,
    members: &[&(usize, Value)],
    tenant_id: &str,
    now_ms: i64,
) -> Value {
    let alerts: Vec<&Value> = members.iter().map(|(_, v)| v).collect();
    let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let earliest = alerts
        .iter()
        .enumerate()
        .min_by_key(|(i, a)| (time_of(a, "createdDateTime").unwrap_or(i64::MAX), *i))
        .map(|(_, a)| *a);
    let display = earliest
        .and_then(|a| str_of(a, "title"))
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| format!("Incident {n}"));
    // The alerts' own timestamp strings are kept (the earliest creation, the latest update).
    let stamp = |a: &Value, k: &str| {
        a.get(k)
            .and_then(Value::as_str)
            .and_then(|s| parse_dt(s).map(|ms| (ms, s.to_string())))
    };
    let created = alerts
        .iter()
        .filter_map(|a| stamp(a, "createdDateTime"))
        .min_by_key(|x| x.0);
    let updated = alerts
        .iter()
        .filter_map(|a| stamp(a, "lastUpdateDateTime").or_else(|| stamp(a, "createdDateTime")))
        .max_by_key(|x| x.0);
    let created = created
        .or_else(|| updated.clone())
        .unwrap_or_else(|| (now_ms, fmt_ms(now_ms)));
    let updated = updated
        .filter(|u| u.0 >= created.0)
        .unwrap_or_else(|| created.clone());
    let sev = alerts
        .iter()
        .filter_map(|a| a.get("severity").and_then(Value::as_str))
        .filter_map(|s| SEVERITIES.iter().position(|x| x.eq_ignore_ascii_case(s)))
        .filter(|&p| SEVERITIES[p] != "unknownFutureValue")
        .max()
        .map_or("unknown", |p| SEVERITIES[p]);
    let status_of = |a: &Value| str_of(a, "status").unwrap_or_default().to_ascii_lowercase();
    let all_resolved = alerts.iter().all(|a| status_of(a) == "resolved");
    let status = if all_resolved {
        "resolved"
    } else if alerts.iter().any(|a| status_of(a) == "inprogress") {
        "inProgress"
    } else {
        "active"
    };
    let (classification, determination) = if all_resolved {
        (
            alerts
                .iter()
                .find_map(|a| str_of(a, "classification"))
                .unwrap_or_else(|| "unknown".into()),
            alerts
                .iter()
                .find_map(|a| str_of(a, "determination"))
                .unwrap_or_else(|| "unknown".into()),
        )
    } else {
        ("unknown".into(), "unknown".into())
    };
    let assigned = alerts.iter().find_map(|a| str_of(a, "assignedTo"));
    let sources: HashSet<String> = alerts
        .iter()
        .filter_map(|a| str_of(a, "serviceSource"))
        .collect();
    let tenant = alerts
        .iter()
        .find_map(|a| str_of(a, "tenantId"))
        .unwrap_or_else(|| tenant_id.to_string());
    let url = alerts
        .iter()
        .find_map(|a| str_of(a, "incidentWebUrl"))
        .unwrap_or_else(|| format!("https://security.microsoft.com/incidents/{id}?tid={tenant}"));
    json!({
        "@odata.type": "#microsoft.graph.security.incident",
        "id": id,
        "incidentWebUrl": url,
        "redirectIncidentId": null,
        "tenantId": tenant,
        "displayName": display,
        "description": format!("{} alert(s) from {} source(s).", alerts.len(), sources.len().max(1)),
        "summary": null,
        "createdDateTime": created.1,
        "lastUpdateDateTime": updated.1,
        "lastModifiedBy": assigned.clone().unwrap_or_else(|| "Automation".into()),
        "assignedTo": assigned,
        "classification": classification,
        "determination": determination,
        "status": status,
        "severity": sev,
        "customTags": [],
        "tags": [],
        "systemTags": [],
        "resolvingComment": if all_resolved { json!("Resolved after investigation.") } else { Value::Null },
        "comments": [],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndjson_with_blank_lines() {
        let t = "{\"id\":\"a\"}\n\n  \n{\"id\":\"b\",\"incidentId\":\"7\"}\n";
        let v = parse(t).unwrap_or_default();
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            parse("{\"id\":\"a\"}\n\n{\"x\":1}\n").err().map(|e| e.0),
            Some(3)
        );
        assert_eq!(parse("{\"id\":\"a\"}\n{bad\n").err().map(|e| e.0), Some(2));
        let dup = parse("{\"id\":\"a\"}\n{\"id\":\"a\"}")
            .err()
            .unwrap_or_default();
        assert_eq!(dup.0, 2);
        assert!(
            dup.1.contains("duplicate") && dup.1.contains("line 1"),
            "{}",
            dup.1
        );
        let arr = "[\n  {\"id\": \"a\"},\n  {\"id\": \"b\"},\n  {\"title\": \"no id\"}\n]";
        assert_eq!(parse(arr).err().map(|e| e.0), Some(4));
        let page = "{\n \"@odata.context\": \"x\",\n \"value\": [\n  {\"id\": \"a\", \"v\": [1,{\"id\":2}]},\n  {\"id\": 5}\n ]\n}";
        assert_eq!(parse(page).err().map(|e| e.0), Some(5));
        let bad_doc = "[\n {\"id\": \"a\"},\n {\"id\": \n]";
        assert_eq!(parse(bad_doc).err().map(|e| e.0), Some(4));
    }

    #[test]
    fn pages_and_arrays() {
        assert_eq!(
            parse("{\"value\":[{\"id\":\"a\"}]}").map(|v| v.len()),
            Ok(1)
        );
        assert_eq!(
            parse("[{\"id\":\"a\"},{\"id\":\"b\"}]").map(|v| v.len()),
            Ok(2)
        );
        assert!(parse("").is_err());
        assert!(parse("[]").is_err());
    }

    #[test]
    fn tenant_prefix() {
        let i = Import::parse("fabrikam=/tmp/x.ndjson").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.tenant.as_deref(), Some("fabrikam"));
        let i = Import::parse("/tmp/a=b.ndjson").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.tenant, None);
        assert!(Import::parse("nosuch=/tmp/x.ndjson").is_err());
    }

    #[test]
    fn incidents_from_ids() {
        let a = vec![
            json!({"id":"1","incidentId":"9","title":"first","severity":"low","status":"resolved","createdDateTime":"2024-01-02T00:00:00Z"}),
            json!({"id":"2","incidentId":"9","title":"second","severity":"high","status":"new","createdDateTime":"2024-01-01T00:00:00.5Z","lastUpdateDateTime":"2024-01-03T00:00:00Z"}),
            json!({"id":"3","incidentId":null}),
        ];
        let im = build(a, "t", 0);
        assert_eq!(im.incidents.len(), 1);
        let v = im.incidents.items[0].value();
        assert_eq!(v["displayName"], "second");
        assert_eq!(v["severity"], "high");
        assert_eq!(v["status"], "active");
        assert_eq!(v["createdDateTime"], "2024-01-01T00:00:00.5Z");
        assert_eq!(v["lastUpdateDateTime"], "2024-01-03T00:00:00Z");
        assert_eq!(im.incident_alerts["9"], vec!["1", "2"]);
        assert_eq!(im.alerts.items[0].id, "1");
    }
}
