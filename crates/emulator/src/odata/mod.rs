//! OData the way Graph does it: query options, record collections and `@odata.nextLink` paging.

pub mod filter;

use std::collections::HashMap;
use std::fmt::Write as _;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::error::{GraphError, GraphResponse};
use crate::util::encode_component;
pub use filter::Kind;

/// One stored entity: its serialised JSON (served as is, which keeps paging fast) and the
/// values of its filterable properties.
#[derive(Debug, Clone)]
pub struct Rec {
    pub id: String,
    pub body: String,
    pub keys: Keys,
}

/// The values of a record's filterable and orderable properties, by the names its `ListSpec`
/// declares. A short list rather than a map: a record has at most a handful of them, a lookup
/// by scanning is as quick as hashing, and a 100,000-alert tenant was spending a tenth of its
/// start-up on map entries and their owned key strings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keys(Vec<(&'static str, Value)>);

impl Keys {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
    /// Sets a property's value, replacing an earlier one of the same name.
    pub fn insert(&mut self, name: &'static str, v: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some((_, x)) => *x = v,
            None => self.0.push((name, v)),
        }
    }
}

impl Rec {
    pub fn new(v: &Value, spec: &ListSpec) -> Rec {
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut keys = Keys::default();
        for (f, _) in spec.filterable.iter().chain(spec.orderable.iter()) {
            if let Some(x) = v.get(*f) {
                keys.insert(f, x.clone());
            }
        }
        Rec {
            id,
            body: serde_json::to_string(v).unwrap_or_default(),
            keys,
        }
    }
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// An ordered collection with an id index.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    pub items: Vec<Rec>,
    index: HashMap<String, usize>,
}

impl Collection {
    pub fn from_values(values: impl IntoIterator<Item = Value>, spec: &ListSpec) -> Self {
        let mut c = Collection::default();
        for v in values {
            c.push(Rec::new(&v, spec));
        }
        c
    }
    pub fn from_recs(recs: Vec<Rec>) -> Self {
        let mut c = Collection {
            items: recs,
            index: HashMap::new(),
        };
        c.reindex();
        c
    }
    pub fn push(&mut self, r: Rec) {
        self.index.insert(r.id.clone(), self.items.len());
        self.items.push(r);
    }
    /// Inserts at the front (newest first), re-indexing.
    pub fn push_front(&mut self, r: Rec) {
        self.items.insert(0, r);
        self.reindex();
    }
    fn reindex(&mut self) {
        self.index = self
            .items
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
    }
    pub fn get(&self, id: &str) -> Option<&Rec> {
        self.index.get(id).map(|&i| &self.items[i])
    }
    /// Replaces the record with the same id, or inserts it at the front.
    pub fn upsert(&mut self, r: Rec) {
        match self.index.get(&r.id) {
            Some(&i) => self.items[i] = r,
            None => self.push_front(r),
        }
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// What a list endpoint supports, per the reference.
#[derive(Debug, Clone, Copy)]
pub struct ListSpec {
    pub filterable: &'static [(&'static str, Kind)],
    pub orderable: &'static [(&'static str, Kind)],
    pub expandable: &'static [&'static str],
    pub select: bool,
    pub default_top: usize,
    pub max_top: usize,
}

/// Parsed query options of one list request.
#[derive(Debug, Default)]
pub struct Query {
    pub filter: Option<filter::Expr>,
    pub top: Option<usize>,
    pub skip: usize,
    pub count: bool,
    pub select: Option<Vec<String>>,
    pub expand: Vec<String>,
    pub orderby: Vec<(&'static str, bool)>,
    /// Options to carry into the nextLink (everything but `$skip` and `$skiptoken`).
    carry: Vec<(String, String)>,
}

fn bad(msg: impl Into<String>) -> GraphError {
    GraphError::bad_request(msg)
}

pub fn encode_skiptoken(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("vigil-skip:{offset}"))
}

fn decode_skiptoken(t: &str) -> Result<usize, GraphError> {
    URL_SAFE_NO_PAD
        .decode(t)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("vigil-skip:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| bad("The $skiptoken is invalid or has expired."))
}

impl Query {
    /// Parses the request's query options. Unknown or unsupported `$` options are a 400, never ignored.
    pub fn parse(pairs: &[(String, String)], spec: &ListSpec) -> Result<Query, GraphError> {
        let mut q = Query::default();
        let mut seen = std::collections::HashSet::new();
        for (k, v) in pairs {
            let key = k.trim().to_ascii_lowercase();
            let key = if key.starts_with('$') {
                key
            } else if matches!(
                key.as_str(),
                "filter"
                    | "top"
                    | "skip"
                    | "count"
                    | "select"
                    | "expand"
                    | "orderby"
                    | "skiptoken"
                    | "search"
            ) {
                format!("${key}")
            } else {
                continue;
            };
            if !seen.insert(key.clone()) {
                return Err(bad(format!(
                    "Query option '{key}' was specified more than once."
                )));
            }
            match key.as_str() {
                "$filter" => {
                    q.filter = Some(filter::parse(v, spec.filterable)?);
                    q.carry.push(("$filter".into(), v.clone()));
                }
                "$top" => {
                    let n: usize = v
                        .trim()
                        .parse()
                        .map_err(|_| bad(format!("Invalid value '{v}' for $top.")))?;
                    if n > spec.max_top {
                        return Err(bad(format!(
                            "The limit of '{}' for $top query has been exceeded. The value from the incoming request is '{n}'.",
                            spec.max_top
                        )));
                    }
                    q.top = Some(n);
                    q.carry.push(("$top".into(), v.clone()));
                }
                "$skip" => {
                    q.skip = v
                        .trim()
                        .parse()
                        .map_err(|_| bad(format!("Invalid value '{v}' for $skip.")))?;
                }
                "$skiptoken" => q.skip = decode_skiptoken(v.trim())?,
                "$count" => {
                    q.count = match v.trim() {
                        "true" => true,
                        "false" => false,
                        _ => return Err(bad(format!("Invalid value '{v}' for $count."))),
                    };
                    q.carry.push(("$count".into(), v.clone()));
                }
                "$select" => {
                    if !spec.select {
                        return Err(bad("$select is not supported on this resource."));
                    }
                    q.select = Some(
                        v.split(',')
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty())
                            .collect(),
                    );
                    q.carry.push(("$select".into(), v.clone()));
                }
                "$expand" => {
                    for e in v.split(',').map(str::trim).filter(|e| !e.is_empty()) {
                        let name = spec
                            .expandable
                            .iter()
                            .find(|x| x.eq_ignore_ascii_case(e))
                            .ok_or_else(|| {
                                bad(format!(
                                    "Could not find a navigation property named '{e}' to expand."
                                ))
                            })?;
                        q.expand.push(name.to_string());
                    }
                    q.carry.push(("$expand".into(), v.clone()));
                }
                "$orderby" => {
                    for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                        let mut it = part.split_whitespace();
                        let name = it.next().unwrap_or_default();
                        let desc = match it.next().map(str::to_ascii_lowercase).as_deref() {
                            None | Some("asc") => false,
                            Some("desc") => true,
                            Some(o) => {
                                return Err(bad(format!("Invalid $orderby direction '{o}'.")));
                            }
                        };
                        let (f, _) = spec
                            .orderable
                            .iter()
                            .find(|(f, _)| f.eq_ignore_ascii_case(name))
                            .ok_or_else(|| {
                                bad(format!(
                                    "$orderby is not supported on '{name}' for this resource."
                                ))
                            })?;
                        q.orderby.push((f, desc));
                    }
                    q.carry.push(("$orderby".into(), v.clone()));
                }
                other => {
                    return Err(bad(format!(
                        "Query option '{other}' is not supported on this resource."
                    )));
                }
            }
        }
        Ok(q)
    }

    pub fn matches(&self, r: &Rec) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|f| filter::eval(f, &r.keys))
    }
}

/// Projects `$select` onto one entity (the id and the type annotation are always kept).
pub fn select(v: &Value, fields: &[String]) -> Value {
    let Some(obj) = v.as_object() else {
        return v.clone();
    };
    let mut out = Map::new();
    for (k, x) in obj {
        if k == "id" || k == "@odata.type" || fields.iter().any(|f| f.eq_ignore_ascii_case(k)) {
            out.insert(k.clone(), x.clone());
        }
    }
    Value::Object(out)
}

/// How a list endpoint turns a record into the JSON text of its page: `None` serves the stored
/// body as is (copied straight into the page, never cloned on its own), `Some` is the text to
/// serve instead (for `$select` or `$expand`).
pub type Render<'a> = &'a dyn Fn(&Rec) -> Option<String>;

/// Builds one page of a collection response; `render` says what each record's text is.
pub fn page(
    coll: &Collection,
    q: &Query,
    spec: &ListSpec,
    self_url: &str,
    context: &str,
    render: Render,
) -> GraphResponse {
    // Unfiltered pages slice the stored order directly: no per-page scan of a large tenant.
    let mut hits: Vec<&Rec> = if q.filter.is_none() && q.orderby.is_empty() {
        let size = q.top.unwrap_or(spec.default_top).max(1);
        let start = q.skip.min(coll.items.len());
        let end = (start + size).min(coll.items.len());
        return render_page(
            coll.items.len(),
            coll.items[start..end].iter().collect(),
            start,
            q,
            self_url,
            context,
            render,
        );
    } else {
        coll.items.iter().filter(|r| q.matches(r)).collect()
    };
    if !q.orderby.is_empty() {
        hits.sort_by(|a, b| {
            for (f, desc) in &q.orderby {
                let o = cmp_values(a.keys.get(f), b.keys.get(f));
                let o = if *desc { o.reverse() } else { o };
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
    }
    let total = hits.len();
    let size = q.top.unwrap_or(spec.default_top).max(1);
    let start = q.skip.min(total);
    let end = (start + size).min(total);
    let window: Vec<&Rec> = hits.drain(start..end).collect();
    render_page(total, window, start, q, self_url, context, render)
}

/// Writes one page: `window` holds the records from offset `start` of `total` matches.
fn render_page(
    total: usize,
    window: Vec<&Rec>,
    start: usize,
    q: &Query,
    self_url: &str,
    context: &str,
    render: Render,
) -> GraphResponse {
    let end = start + window.len();
    // Knowing every record's text first lets the page grow once, to its final size: a page of
    // 100 alerts is about 400 kB, and growing it by doubling copied it over and over.
    let rendered: Vec<Option<String>> = window.iter().map(|r| render(r)).collect();
    let items: usize = window
        .iter()
        .zip(&rendered)
        .map(|(r, x)| x.as_ref().map_or(r.body.len(), String::len) + 1)
        .sum();
    let mut body = String::with_capacity(256);
    body.push('{');
    let _ = write!(
        body,
        "\"@odata.context\":{}",
        Value::String(context.to_string())
    );
    if q.count {
        let _ = write!(body, ",\"@odata.count\":{total}");
    }
    if end < total {
        let mut next = format!("{self_url}?");
        for (k, v) in &q.carry {
            let _ = write!(next, "{k}={}&", encode_component(v));
        }
        let _ = write!(next, "$skiptoken={}", encode_skiptoken(end));
        let _ = write!(body, ",\"@odata.nextLink\":{}", Value::String(next));
    }
    body.reserve(items + 12);
    body.push_str(",\"value\":[");
    for (i, (r, x)) in window.iter().zip(&rendered).enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(x.as_deref().unwrap_or(&r.body));
    }
    body.push_str("]}");
    GraphResponse::raw_json(200, body.into_bytes())
}

fn cmp_values(a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (None | Some(Value::Null), None | Some(Value::Null)) => Ordering::Equal,
        (None | Some(Value::Null), _) => Ordering::Less,
        (_, None | Some(Value::Null)) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

/// A plain list response for small navigation collections that page in one go.
pub fn simple_list(context: &str, items: Vec<Value>, count: bool) -> GraphResponse {
    let mut m = Map::new();
    m.insert("@odata.context".into(), Value::String(context.into()));
    if count {
        m.insert("@odata.count".into(), Value::from(items.len()));
    }
    m.insert("value".into(), Value::Array(items));
    GraphResponse::ok(&Value::Object(m))
}
