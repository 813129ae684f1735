//! `POST /security/runHuntingQuery` (also at its namespace-qualified path) over `AlertInfo` and
//! `AlertEvidence`, derived from the tenant's alerts, with the KQL analysts write: `where`
//! (==, !=, =~, !~, <, >, <=, >=, contains, has, startswith, endswith, in, in~, !in, has_any,
//! and/or/not, ago(), datetime()), `project`, `project-away`, `extend`, `distinct`,
//! `summarize` (count(), dcount(), make_set(), arg_max() by columns or `bin(col, span)`),
//! `order by`/`sort by`, `top N by`, `take`/`limit` and `count`. Results are capped at
//! [`ROW_CAP`] rows, as the service caps them.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::error::{GraphError, GraphResponse, GraphResult};
use crate::graph::{Ctx, Req, no_method};
use crate::seed::alerts::DAY;
use crate::util::{now_ms, parse_dt};

/// The service returns at most this many rows of a query.
pub const ROW_CAP: usize = 10_000;

#[derive(Debug, Clone)]
pub struct Table {
    columns: Vec<(String, &'static str)>,
    rows: Vec<Vec<Value>>,
}

#[derive(Debug, Clone)]
pub struct Tables {
    info: Table,
    evidence: Table,
}

const INFO_COLS: &[(&str, &str)] = &[
    ("Timestamp", "DateTime"),
    ("AlertId", "String"),
    ("Title", "String"),
    ("Category", "String"),
    ("Severity", "String"),
    ("ServiceSource", "String"),
    ("DetectionSource", "String"),
    ("AttackTechniques", "String"),
];
const EVIDENCE_COLS: &[(&str, &str)] = &[
    ("Timestamp", "DateTime"),
    ("AlertId", "String"),
    ("Title", "String"),
    ("Categories", "String"),
    ("EntityType", "String"),
    ("EvidenceRole", "String"),
    ("ServiceSource", "String"),
    ("DetectionSource", "String"),
    ("FileName", "String"),
    ("FolderPath", "String"),
    ("SHA1", "String"),
    ("SHA256", "String"),
    ("RemoteIP", "String"),
    ("RemoteUrl", "String"),
    ("AccountName", "String"),
    ("AccountDomain", "String"),
    ("AccountUpn", "String"),
    ("AccountObjectId", "String"),
    ("DeviceId", "String"),
    ("DeviceName", "String"),
    ("EmailSubject", "String"),
    ("NetworkMessageId", "String"),
    ("Application", "String"),
    ("ProcessCommandLine", "String"),
    ("RegistryKey", "String"),
];

fn s(v: &Value) -> Value {
    match v {
        Value::String(_) => v.clone(),
        _ => Value::String(String::new()),
    }
}

/// Builds both tables from the alerts' JSON.
pub fn build(alerts: impl Iterator<Item = Value>) -> Tables {
    let mut info = Vec::new();
    let mut evidence = Vec::new();
    for a in alerts {
        let ts = s(&a["createdDateTime"]);
        let techniques = json!(
            a["mitreTechniques"]
                .as_array()
                .map(|t| serde_json::to_string(t).unwrap_or_default())
                .unwrap_or_default()
        );
        info.push(vec![
            ts.clone(),
            s(&a["id"]),
            s(&a["title"]),
            s(&a["category"]),
            s(&a["severity"]),
            s(&a["serviceSource"]),
            s(&a["detectionSource"]),
            techniques,
        ]);
        for e in a["evidence"].as_array().into_iter().flatten() {
            let kind = e["@odata.type"]
                .as_str()
                .unwrap_or_default()
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .trim_end_matches("Evidence")
                .to_string();
            let entity = match kind.as_str() {
                "device" => "Machine".to_string(),
                "analyzedMessage" => "MailMessage".to_string(),
                other => {
                    let mut c = other.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                }
            };
            let file = if e["fileDetails"].is_object() {
                &e["fileDetails"]
            } else {
                &e["imageFile"]
            };
            let account = &e["userAccount"];
            let row = vec![
                ts.clone(),
                s(&a["id"]),
                s(&a["title"]),
                json!(format!(
                    "[\"{}\"]",
                    a["category"].as_str().unwrap_or_default()
                )),
                json!(entity),
                json!(
                    e["roles"]
                        .as_array()
                        .and_then(|r| r.first())
                        .and_then(Value::as_str)
                        .map(|r| if r == "compromised" || r == "attacker" {
                            "Impacted"
                        } else {
                            "Related"
                        })
                        .unwrap_or("Related")
                ),
                s(&a["serviceSource"]),
                s(&a["detectionSource"]),
                s(&file["fileName"]),
                s(&file["filePath"]),
                s(&file["sha1"]),
                s(&file["sha256"]),
                if e["ipAddress"].is_string() {
                    s(&e["ipAddress"])
                } else {
                    s(&e["senderIp"])
                },
                s(&e["url"]),
                s(&account["accountName"]),
                s(&account["domainName"]),
                s(&account["userPrincipalName"]),
                s(&account["azureAdUserId"]),
                s(&e["mdeDeviceId"]),
                s(&e["deviceDnsName"]),
                s(&e["subject"]),
                s(&e["networkMessageId"]),
                if e["saasAppId"].is_number() || e["publisher"].is_string() {
                    s(&e["displayName"])
                } else {
                    json!("")
                },
                s(&e["processCommandLine"]),
                s(&e["registryKey"]),
            ];
            evidence.push(row);
        }
    }
    let cols = |c: &[(&str, &'static str)]| c.iter().map(|(n, t)| (n.to_string(), *t)).collect();
    Tables {
        info: Table {
            columns: cols(INFO_COLS),
            rows: info,
        },
        evidence: Table {
            columns: cols(EVIDENCE_COLS),
            rows: evidence,
        },
    }
}

fn bad(msg: impl Into<String>) -> GraphError {
    GraphError::bad_request(msg)
}

pub fn route(ctx: &Ctx, req: &Req) -> GraphResult {
    if req.method != "POST" {
        return Err(no_method());
    }
    ctx.require(&["ThreatHunting.Read.All"])?;
    let body = req.json_object()?;
    let query = body
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("query"))
        .and_then(|(_, v)| v.as_str())
        .ok_or_else(|| bad("The 'Query' property is required."))?
        .to_string();
    let timespan = body
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("timespan"))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_string);
    let now = now_ms();
    let (from, to) = window(timespan.as_deref(), now)?;
    let d = ctx.data()?;
    let tables = d
        .hunting
        .get_or_init(|| build(d.alerts.items.iter().map(|r| r.value())));
    let mut t = run(tables, &query, now, from, to)?;
    t.rows.truncate(ROW_CAP);
    let schema: Vec<Value> = t
        .columns
        .iter()
        .map(|(n, ty)| json!({"name": n, "type": ty}))
        .collect();
    let results: Vec<Value> = t
        .rows
        .into_iter()
        .map(|r| {
            Value::Object(
                t.columns
                    .iter()
                    .map(|(n, _)| n.clone())
                    .zip(r)
                    .collect::<Map<String, Value>>(),
            )
        })
        .collect();
    Ok(GraphResponse::ok(&json!({
        "@odata.context": ctx.context("microsoft.graph.security.huntingQueryResults"),
        "schema": schema,
        "results": results,
    })))
}

fn duration_ms(s: &str) -> Option<i64> {
    // ISO 8601 durations as Timespan uses them: PnD, PTnH, PTnM.
    let s = s.strip_prefix('P')?;
    let (days, time) = s.split_once('T').unwrap_or((s, ""));
    let mut ms = 0i64;
    if let Some(d) = days.strip_suffix('D') {
        ms += d.parse::<i64>().ok()? * DAY;
    } else if !days.is_empty() {
        return None;
    }
    let mut num = String::new();
    for c in time.chars() {
        match c {
            '0'..='9' => num.push(c),
            'H' => ms += std::mem::take(&mut num).parse::<i64>().ok()? * 3_600_000,
            'M' => ms += std::mem::take(&mut num).parse::<i64>().ok()? * 60_000,
            'S' => ms += std::mem::take(&mut num).parse::<i64>().ok()? * 1000,
            _ => return None,
        }
    }
    Some(ms)
}

fn window(ts: Option<&str>, now: i64) -> Result<(i64, i64), GraphError> {
    let err = || bad("Invalid Timespan: use an ISO 8601 interval such as P30D or start/end.");
    let Some(ts) = ts else {
        return Ok((now - 30 * DAY, now + DAY));
    };
    let point = |p: &str| parse_dt(p).or_else(|| duration_ms(p).map(|d| -d));
    match ts.split_once('/') {
        None => match (duration_ms(ts), parse_dt(ts)) {
            (Some(d), _) => Ok((now - d, now + DAY)),
            (None, Some(t)) => Ok((t, now + DAY)),
            _ => Err(err()),
        },
        Some((a, b)) => match (parse_dt(a), parse_dt(b), duration_ms(a), duration_ms(b)) {
            (Some(x), Some(y), _, _) => Ok((x, y)),
            (None, Some(y), Some(d), _) => Ok((y - d, y)),
            (Some(x), None, _, Some(d)) => Ok((x, x + d)),
            _ => {
                let _ = point(a);
                Err(err())
            }
        },
    }
}

/// Splits on `|` outside string literals.
fn stages(q: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quote: Option<char> = None;
    for c in q.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
            (Some(q0), _) if c == q0 => {
                quote = None;
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
            (None, '|') => out.push(String::new()),
            _ => {
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    out.into_iter().map(|s| s.trim().to_string()).collect()
}

fn run(tables: &Tables, q: &str, now: i64, from: i64, to: i64) -> Result<Table, GraphError> {
    let st = stages(q);
    let source = st.first().map(String::as_str).unwrap_or_default();
    let mut t = match source {
        "AlertInfo" => tables.info.clone(),
        "AlertEvidence" => tables.evidence.clone(),
        other => {
            return Err(bad(format!(
                "Failed to resolve table or column expression named '{other}'. Supported tables: AlertInfo, AlertEvidence."
            )));
        }
    };
    t.rows.retain(|r| {
        r[0].as_str()
            .and_then(parse_dt)
            .is_some_and(|x| x >= from && x <= to)
    });
    for stage in &st[1..] {
        let (op, rest) = stage
            .split_once(char::is_whitespace)
            .unwrap_or((stage.as_str(), ""));
        let rest = rest.trim();
        match op {
            "where" => {
                let e = parse_expr(rest, &t.columns, now)?;
                t.rows.retain(|r| truthy(&eval(&e, r)));
            }
            "project" => {
                // `project A, B = C` keeps A and renames C to B.
                let mut names = Vec::new();
                let mut idx = Vec::new();
                for c in rest.split(',') {
                    let (name, source) = c
                        .split_once('=')
                        .map(|(n, s)| (n.trim(), s.trim()))
                        .unwrap_or((c.trim(), c.trim()));
                    idx.push(col(&t.columns, source)?);
                    names.push(name.to_string());
                }
                t.columns = idx
                    .iter()
                    .zip(names)
                    .map(|(&i, n)| (n, t.columns[i].1))
                    .collect();
                t.rows = t
                    .rows
                    .into_iter()
                    .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
                    .collect();
            }
            "take" | "limit" => {
                let n: usize = rest
                    .parse()
                    .map_err(|_| bad(format!("'{op}' needs a number.")))?;
                t.rows.truncate(n);
            }
            "count" => {
                t = Table {
                    columns: vec![("Count".into(), "Int64")],
                    rows: vec![vec![json!(t.rows.len())]],
                };
            }
            "order" | "sort" => {
                let spec = rest
                    .strip_prefix("by")
                    .ok_or_else(|| bad("Query could not be parsed: expected 'by' after order."))?;
                order(&mut t, spec)?;
            }
            "summarize" => t = summarize(&t, rest)?,
            "project-away" => {
                let drop: Vec<usize> = rest
                    .split(',')
                    .map(|c| col(&t.columns, c.trim()))
                    .collect::<Result<_, _>>()?;
                let keep: Vec<usize> = (0..t.columns.len()).filter(|i| !drop.contains(i)).collect();
                t = pick(&t, &keep);
            }
            "distinct" => {
                let idx: Vec<usize> = rest
                    .split(',')
                    .map(|c| col(&t.columns, c.trim()))
                    .collect::<Result<_, _>>()?;
                let mut p = pick(&t, &idx);
                let mut seen = std::collections::HashSet::new();
                p.rows
                    .retain(|r| seen.insert(serde_json::to_string(r).unwrap_or_default()));
                t = p;
            }
            "extend" => {
                for part in split_top(rest) {
                    let (name, expr) = part
                        .split_once('=')
                        .filter(|(n, _)| is_ident(n.trim()))
                        .ok_or_else(|| bad(format!("Query could not be parsed: expected 'Name = expression' in extend, found '{part}'.")))?;
                    let e = parse_expr(expr, &t.columns, now)?;
                    let values: Vec<Value> = t.rows.iter().map(|r| eval(&e, r)).collect();
                    let kind = kind_of(values.first());
                    t.columns.push((name.trim().to_string(), kind));
                    for (r, v) in t.rows.iter_mut().zip(values) {
                        r.push(v);
                    }
                }
            }
            "top" => {
                let (n, spec) = rest
                    .split_once(" by ")
                    .ok_or_else(|| bad("Query could not be parsed: expected 'top N by Column'."))?;
                let n: usize = n
                    .trim()
                    .parse()
                    .map_err(|_| bad("Query could not be parsed: 'top' needs a number."))?;
                order(&mut t, spec)?;
                t.rows.truncate(n);
            }
            "" => return Err(bad("Query could not be parsed: empty pipeline stage.")),
            other => {
                return Err(bad(format!(
                    "Query could not be parsed at '{other}': it is not a known tabular operator."
                )));
            }
        }
    }
    Ok(t)
}

/// The columns at `idx`, in that order.
fn pick(t: &Table, idx: &[usize]) -> Table {
    Table {
        columns: idx.iter().map(|&i| t.columns[i].clone()).collect(),
        rows: t
            .rows
            .iter()
            .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
            .collect(),
    }
}

/// Sorts by `Col [asc|desc], …` (descending unless told).
fn order(t: &mut Table, spec: &str) -> Result<(), GraphError> {
    let mut keys = Vec::new();
    for part in spec.split(',') {
        let mut it = part.split_whitespace();
        let c = col(&t.columns, it.next().unwrap_or_default())?;
        let desc = !matches!(it.next(), Some("asc"));
        keys.push((c, desc));
    }
    t.rows.sort_by(|a, b| {
        for (c, desc) in &keys {
            let o = cmp(&a[*c], &b[*c]);
            let o = if *desc { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    });
    Ok(())
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

/// Splits on commas outside parentheses and string literals.
fn split_top(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let (mut depth, mut quote) = (0i32, None::<char>);
    for c in s.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The KQL type name of a computed value.
fn kind_of(v: Option<&Value>) -> &'static str {
    match v {
        Some(Value::Bool(_)) => "Boolean",
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => "Int64",
        Some(Value::Number(_)) => "Double",
        Some(Value::String(s)) if parse_dt(s).is_some() => "DateTime",
        _ => "String",
    }
}

/// A where-style expression over `cols`.
fn parse_expr(src: &str, cols: &[(String, &'static str)], now: i64) -> Result<E, GraphError> {
    let mut p = P {
        toks: lex(src)?,
        pos: 0,
        cols,
        now,
    };
    let e = p.or()?;
    if p.pos != p.toks.len() {
        return Err(bad(format!(
            "Query could not be parsed: unexpected {} in '{src}'.",
            describe(p.peek())
        )));
    }
    Ok(e)
}

fn describe(t: Option<&Tok>) -> String {
    match t {
        Some(Tok::Word(w)) => format!("'{w}'"),
        Some(Tok::Str(s)) => format!("string \"{s}\""),
        Some(Tok::Num(n)) => format!("number {n}"),
        Some(Tok::Sym(s)) => format!("'{s}'"),
        None => "end of query".to_string(),
    }
}

/// A KQL timespan literal (`1d`, `12h`, `30m`, `10s`) in milliseconds.
fn span_ms(arg: &str) -> Result<i64, GraphError> {
    let (n, unit) = arg.split_at(arg.find(|c: char| c.is_alphabetic()).unwrap_or(arg.len()));
    let n: f64 = n
        .parse()
        .map_err(|_| bad(format!("Invalid timespan '{arg}'.")))?;
    let mul = match unit {
        "d" => DAY as f64,
        "h" => 3_600_000.0,
        "m" => 60_000.0,
        "s" => 1000.0,
        _ => return Err(bad(format!("Invalid timespan unit in '{arg}'."))),
    };
    Ok((n * mul) as i64)
}

/// One `by` key of a summarize: a column, or `bin(column, span)` (rounded down).
enum Key {
    Col(usize),
    Bin(usize, i64),
}

/// `summarize [Name =] agg(...), … [by Col | [Name =] bin(Col, span), …]`.
fn summarize(t: &Table, rest: &str) -> Result<Table, GraphError> {
    let (aggs, by) = match rest.find(" by ") {
        Some(i) => (&rest[..i], &rest[i + 4..]),
        None => (rest, ""),
    };
    let named = |part: &str| -> (Option<String>, String) {
        match part.split_once('=') {
            Some((n, f)) if is_ident(n.trim()) => {
                (Some(n.trim().to_string()), f.trim().to_string())
            }
            _ => (None, part.trim().to_string()),
        }
    };
    let call = |f: &str| -> Result<(String, Vec<String>), GraphError> {
        let open = f.find('(').filter(|_| f.ends_with(')')).ok_or_else(|| {
            bad(format!(
                "Query could not be parsed: expected a function call, found '{f}'."
            ))
        })?;
        let args = f[open + 1..f.len() - 1]
            .split(',')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        Ok((f[..open].trim().to_string(), args))
    };
    let mut keys = Vec::new();
    let mut columns: Vec<(String, &'static str)> = Vec::new();
    for part in split_top(by) {
        let (name, expr) = named(&part);
        if expr.starts_with("bin(") {
            let (_, args) = call(&expr)?;
            let [c, span] = args.as_slice() else {
                return Err(bad(
                    "bin() takes a column and a bin size, e.g. bin(Timestamp, 1d).",
                ));
            };
            let i = col(&t.columns, c)?;
            let size = if t.columns[i].1 == "DateTime" {
                span_ms(span)?
            } else {
                span.parse::<f64>()
                    .map_err(|_| bad(format!("Invalid bin size '{span}'.")))? as i64
            };
            if size <= 0 {
                return Err(bad("The bin size must be positive."));
            }
            keys.push(Key::Bin(i, size));
            columns.push((name.unwrap_or_else(|| c.clone()), t.columns[i].1));
        } else {
            let i = col(&t.columns, &expr)?;
            keys.push(Key::Col(i));
            columns.push((name.unwrap_or(expr), t.columns[i].1));
        }
    }
    enum Agg {
        Count,
        Dcount(usize),
        MakeSet(usize),
        ArgMax(usize, Vec<usize>),
    }
    let mut plan = Vec::new();
    for part in split_top(aggs) {
        let (name, expr) = named(&part);
        let (f, args) = call(&expr)?;
        let one = |what: &str| -> Result<usize, GraphError> {
            match args.as_slice() {
                [c] => col(&t.columns, c),
                _ => Err(bad(format!("{what}() takes one column."))),
            }
        };
        match f.as_str() {
            "count" if args.is_empty() => {
                columns.push((name.unwrap_or_else(|| "count_".into()), "Int64"));
                plan.push(Agg::Count);
            }
            "dcount" => {
                let c = one("dcount")?;
                columns.push((
                    name.unwrap_or_else(|| format!("dcount_{}", t.columns[c].0)),
                    "Int64",
                ));
                plan.push(Agg::Dcount(c));
            }
            "make_set" => {
                let c = one("make_set")?;
                columns.push((
                    name.unwrap_or_else(|| format!("set_{}", t.columns[c].0)),
                    "Dynamic",
                ));
                plan.push(Agg::MakeSet(c));
            }
            "arg_max" => {
                let Some((first, more)) = args.split_first() else {
                    return Err(bad("arg_max() takes a column and the columns to return."));
                };
                let c = col(&t.columns, first)?;
                let shown: Vec<usize> = if more.iter().any(|a| a == "*") {
                    (0..t.columns.len()).collect()
                } else {
                    more.iter()
                        .map(|a| col(&t.columns, a))
                        .collect::<Result<_, _>>()?
                };
                let shown: Vec<usize> = shown
                    .into_iter()
                    .filter(|&i| {
                        i != c && !keys.iter().any(|k| matches!(k, Key::Col(k) if *k == i))
                    })
                    .collect();
                columns.push((t.columns[c].0.clone(), t.columns[c].1));
                columns.extend(shown.iter().map(|&i| t.columns[i].clone()));
                plan.push(Agg::ArgMax(c, shown));
            }
            other => {
                return Err(bad(format!(
                    "Query could not be parsed: '{other}' is not a supported aggregation (count, dcount, make_set, arg_max)."
                )));
            }
        }
    }
    if plan.is_empty() {
        return Err(bad(
            "Query could not be parsed: summarize needs an aggregation such as count().",
        ));
    }
    let mut groups: BTreeMap<String, (Vec<Value>, Vec<&Vec<Value>>)> = BTreeMap::new();
    for r in &t.rows {
        let key: Vec<Value> = keys
            .iter()
            .map(|k| match k {
                Key::Col(i) => r[*i].clone(),
                Key::Bin(i, size) => match (&r[*i], r[*i].as_str().and_then(parse_dt)) {
                    (_, Some(ms)) => json!(crate::util::fmt_ms(ms.div_euclid(*size) * size)),
                    (Value::Number(n), None) => {
                        json!(n.as_f64().unwrap_or(0.0).div_euclid(*size as f64) * *size as f64)
                    }
                    (v, None) => v.clone(),
                },
            })
            .collect();
        groups
            .entry(serde_json::to_string(&key).unwrap_or_default())
            .or_insert((key, Vec::new()))
            .1
            .push(r);
    }
    let rows = groups
        .into_values()
        .map(|(mut row, members)| {
            for a in &plan {
                match a {
                    Agg::Count => row.push(json!(members.len())),
                    Agg::Dcount(c) | Agg::MakeSet(c) => {
                        let mut set: Vec<Value> = Vec::new();
                        for m in &members {
                            if !set.contains(&m[*c]) {
                                set.push(m[*c].clone());
                            }
                        }
                        row.push(match a {
                            Agg::Dcount(_) => json!(set.len()),
                            _ => Value::Array(set),
                        });
                    }
                    Agg::ArgMax(c, shown) => {
                        let best = members.iter().copied().reduce(|x, y| {
                            if cmp(&y[*c], &x[*c]) == Ordering::Greater {
                                y
                            } else {
                                x
                            }
                        });
                        if let Some(b) = best {
                            row.push(b[*c].clone());
                            row.extend(shown.iter().map(|&i| b[i].clone()));
                        }
                    }
                }
            }
            row
        })
        .collect();
    Ok(Table { columns, rows })
}

fn col(cols: &[(String, &'static str)], name: &str) -> Result<usize, GraphError> {
    cols.iter().position(|(c, _)| c == name).ok_or_else(|| {
        bad(format!(
            "Failed to resolve scalar expression named '{name}'."
        ))
    })
}

fn cmp(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => match (parse_dt(x), parse_dt(y)) {
            (Some(p), Some(q)) => p.cmp(&q),
            _ => x.cmp(y),
        },
        _ => Ordering::Equal,
    }
}

fn truthy(v: &Value) -> bool {
    v.as_bool().unwrap_or(false)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Num(f64),
    Sym(&'static str),
}

fn lex(s: &str) -> Result<Vec<Tok>, GraphError> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '"' || ch == '\'' {
            let mut v = String::new();
            i += 1;
            while i < c.len() && c[i] != ch {
                if c[i] == '\\' && i + 1 < c.len() {
                    i += 1;
                }
                v.push(c[i]);
                i += 1;
            }
            if i >= c.len() {
                return Err(bad("Unterminated string literal."));
            }
            i += 1;
            out.push(Tok::Str(v));
        } else if ch.is_ascii_digit() {
            let st = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '.') {
                i += 1;
            }
            let w: String = c[st..i].iter().collect();
            match w.parse::<f64>() {
                Ok(n) => out.push(Tok::Num(n)),
                Err(_) => out.push(Tok::Word(w)),
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let st = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(Tok::Word(c[st..i].iter().collect()));
        } else {
            let two: String = c[i..(i + 2).min(c.len())].iter().collect();
            let sym = match two.as_str() {
                "==" => Some("=="),
                "!=" => Some("!="),
                "=~" => Some("=~"),
                "!~" => Some("!~"),
                "<=" => Some("<="),
                ">=" => Some(">="),
                _ => None,
            };
            if let Some(sy) = sym {
                out.push(Tok::Sym(sy));
                i += 2;
                continue;
            }
            let one = match ch {
                '<' => "<",
                '>' => ">",
                '(' => "(",
                ')' => ")",
                ',' => ",",
                '!' => "!",
                '~' => "~",
                _ => {
                    return Err(bad(format!(
                        "Query could not be parsed: unexpected character '{ch}'."
                    )));
                }
            };
            out.push(Tok::Sym(one));
            i += 1;
        }
    }
    Ok(out)
}

/// The list operators: `in`, `in~` (case-insensitive) and `has_any` (any term).
#[derive(Debug, Clone, Copy)]
enum ListOp {
    In,
    InCi,
    HasAny,
}

#[derive(Debug, Clone)]
enum E {
    Col(usize),
    Lit(Value),
    Bin(String, Box<E>, Box<E>),
    In(Box<E>, Vec<Value>, bool, ListOp),
    Not(Box<E>),
}

struct P<'a> {
    toks: Vec<Tok>,
    pos: usize,
    cols: &'a [(String, &'static str)],
    now: i64,
}

impl P<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x == w)
    }
    fn expect(&mut self, t: Tok) -> Result<(), GraphError> {
        if self.peek() == Some(&t) {
            self.pos += 1;
            Ok(())
        } else {
            Err(bad(format!("Query could not be parsed: expected {t:?}.")))
        }
    }
    fn or(&mut self) -> Result<E, GraphError> {
        let mut l = self.and()?;
        while self.word("or") {
            self.pos += 1;
            l = E::Bin("or".into(), Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<E, GraphError> {
        let mut l = self.cmp()?;
        while self.word("and") {
            self.pos += 1;
            l = E::Bin("and".into(), Box::new(l), Box::new(self.cmp()?));
        }
        Ok(l)
    }
    fn cmp(&mut self) -> Result<E, GraphError> {
        let l = self.atom()?;
        let neg = self.peek() == Some(&Tok::Sym("!"));
        if neg {
            self.pos += 1;
        }
        let op = match self.peek().cloned() {
            Some(Tok::Sym(s))
                if ["==", "!=", "=~", "!~", "<", ">", "<=", ">="].contains(&s) && !neg =>
            {
                s.to_string()
            }
            Some(Tok::Word(w))
                if [
                    "contains",
                    "has",
                    "startswith",
                    "endswith",
                    "in",
                    "has_any",
                    "contains_cs",
                    "has_cs",
                ]
                .contains(&w.as_str()) =>
            {
                w
            }
            _ if neg => return Err(bad("Query could not be parsed: unexpected '!'.")),
            _ => return Ok(l),
        };
        self.pos += 1;
        if op == "in" || op == "has_any" {
            let mode = if op == "has_any" {
                ListOp::HasAny
            } else if self.peek() == Some(&Tok::Sym("~")) {
                self.pos += 1;
                ListOp::InCi
            } else {
                ListOp::In
            };
            self.expect(Tok::Sym("("))?;
            let mut items = Vec::new();
            loop {
                match self.atom()? {
                    E::Lit(v) => items.push(v),
                    _ => return Err(bad(format!("'{op}' takes a list of literals."))),
                }
                if self.peek() == Some(&Tok::Sym(",")) {
                    self.pos += 1;
                } else {
                    break;
                }
            }
            self.expect(Tok::Sym(")"))?;
            return Ok(E::In(Box::new(l), items, neg, mode));
        }
        let r = self.atom()?;
        let e = E::Bin(op, Box::new(l), Box::new(r));
        Ok(if neg { E::Not(Box::new(e)) } else { e })
    }
    fn atom(&mut self) -> Result<E, GraphError> {
        match self.peek().cloned() {
            Some(Tok::Sym("(")) => {
                self.pos += 1;
                let e = self.or()?;
                self.expect(Tok::Sym(")"))?;
                Ok(e)
            }
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Ok(E::Lit(json!(s)))
            }
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(E::Lit(json!(n)))
            }
            Some(Tok::Word(w)) if w == "not" => {
                self.pos += 1;
                self.expect(Tok::Sym("("))?;
                let e = self.or()?;
                self.expect(Tok::Sym(")"))?;
                Ok(E::Not(Box::new(e)))
            }
            Some(Tok::Word(w)) if w == "ago" || w == "datetime" => {
                self.pos += 1;
                self.expect(Tok::Sym("("))?;
                let arg = match self.peek().cloned() {
                    Some(Tok::Word(x)) | Some(Tok::Str(x)) => x,
                    Some(Tok::Num(n)) => n.to_string(),
                    _ => return Err(bad(format!("{w}() needs an argument."))),
                };
                self.pos += 1;
                // datetime(2024-01-01) lexes as several tokens; collect up to ')'.
                let mut arg = arg;
                while let Some(t) = self.peek().cloned() {
                    if t == Tok::Sym(")") {
                        break;
                    }
                    self.pos += 1;
                    match t {
                        Tok::Word(x) | Tok::Str(x) => arg.push_str(&x),
                        Tok::Num(n) => arg.push_str(&n.to_string()),
                        Tok::Sym(s) => arg.push_str(s),
                    }
                }
                self.expect(Tok::Sym(")"))?;
                let ms = if w == "ago" {
                    self.now - span_ms(&arg)?
                } else {
                    parse_dt(&arg).ok_or_else(|| bad(format!("Invalid datetime '{arg}'.")))?
                };
                Ok(E::Lit(json!(crate::util::fmt_ms(ms))))
            }
            Some(Tok::Word(w)) => {
                self.pos += 1;
                Ok(E::Col(col(self.cols, &w)?))
            }
            _ => Err(bad(
                "Query could not be parsed: unexpected end of where clause.",
            )),
        }
    }
}

fn eval(e: &E, r: &[Value]) -> Value {
    match e {
        E::Col(i) => r[*i].clone(),
        E::Lit(v) => v.clone(),
        E::Not(x) => json!(!truthy(&eval(x, r))),
        E::In(x, items, neg, mode) => {
            let v = eval(x, r);
            let found = items.iter().any(|i| match mode {
                ListOp::In => i == &v,
                ListOp::InCi => text(i).to_lowercase() == text(&v).to_lowercase(),
                ListOp::HasAny => has(&text(&v), &text(i)),
            });
            json!(found != *neg)
        }
        E::Bin(op, a, b) => {
            let (x, y) = (eval(a, r), eval(b, r));
            let xs = x
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| x.to_string());
            let ys = y
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| y.to_string());
            json!(match op.as_str() {
                "and" => truthy(&x) && truthy(&y),
                "or" => truthy(&x) || truthy(&y),
                "==" => x == y,
                "!=" => x != y,
                "=~" => xs.to_lowercase() == ys.to_lowercase(),
                "!~" => xs.to_lowercase() != ys.to_lowercase(),
                "endswith" => xs.to_lowercase().ends_with(&ys.to_lowercase()),
                "<" => cmp(&x, &y) == Ordering::Less,
                ">" => cmp(&x, &y) == Ordering::Greater,
                "<=" => cmp(&x, &y) != Ordering::Greater,
                ">=" => cmp(&x, &y) != Ordering::Less,
                "contains" => xs.to_lowercase().contains(&ys.to_lowercase()),
                "contains_cs" => xs.contains(&ys),
                "startswith" => xs.to_lowercase().starts_with(&ys.to_lowercase()),
                "has" | "has_cs" => has(&xs, &ys),
                _ => false,
            })
        }
    }
}

/// A value as text (numbers and booleans in their JSON spelling).
fn text(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

/// KQL `has`: `term` is a whole term of `s`, ignoring case.
fn has(s: &str, term: &str) -> bool {
    let term = term.to_lowercase();
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|t| t == term)
}
