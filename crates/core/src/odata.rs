//! OData query options and a typed `$filter` builder.
//!
//! Filters are built from typed fields (`fields::alerts::STATUS.eq(AlertStatus::New)`), so a
//! page cannot filter alerts on an incident field or compare a date with a string, and every
//! literal is escaped in one place:
//! - strings are quoted with `'` doubled (`O'Brien` → `'O''Brien'`);
//! - dates are unquoted UTC `2024-01-01T00:00:00Z`;
//! - enum members are written as quoted strings (`severity eq 'high'`), the form Graph's
//!   alerts_v2/incidents documentation and samples use (`$filter={property} eq '{value}'`);
//! - numbers and booleans are bare.
//!
//! [`Query::to_query_string`] percent-encodes each value; nothing else in the crate builds a
//! query string.

use std::marker::PhantomData;

use crate::url::percent_encode_into;

/// A value that can appear on the right of a comparison in `$filter`.
pub trait FilterLiteral {
    /// Appends the OData literal form of `self`.
    fn write_literal(&self, out: &mut String);
}

/// Appends `s` as an OData string literal: single-quoted, embedded `'` doubled.
pub fn write_string_literal(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
}

/// Parses an OData string literal back (the inverse of [`write_string_literal`]); `None` if it
/// is not exactly one well-formed literal. Used by tests and handy for the emulator.
pub fn parse_string_literal(lit: &str) -> Option<String> {
    let inner = lit.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next() != Some('\'') {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

impl FilterLiteral for str {
    fn write_literal(&self, out: &mut String) {
        write_string_literal(self, out);
    }
}
impl FilterLiteral for String {
    fn write_literal(&self, out: &mut String) {
        write_string_literal(self, out);
    }
}
impl FilterLiteral for bool {
    fn write_literal(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}
impl FilterLiteral for i64 {
    fn write_literal(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}
impl FilterLiteral for f64 {
    fn write_literal(&self, out: &mut String) {
        if self.is_finite() {
            out.push_str(&self.to_string());
        } else {
            out.push_str("null");
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Or,
    And,
    Atom,
}

/// A `$filter` expression over resource `R`, kept rendered with its precedence so `and`/`or`
/// add parentheses only where needed.
pub struct Filter<R> {
    expr: String,
    prec: Prec,
    _r: PhantomData<fn() -> R>,
}

impl<R> Clone for Filter<R> {
    fn clone(&self) -> Self {
        Filter {
            expr: self.expr.clone(),
            prec: self.prec,
            _r: PhantomData,
        }
    }
}

impl<R> std::fmt::Debug for Filter<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Filter").field(&self.expr).finish()
    }
}

impl<R> PartialEq for Filter<R> {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

impl<R> Filter<R> {
    fn atom(expr: String) -> Self {
        Filter {
            expr,
            prec: Prec::Atom,
            _r: PhantomData,
        }
    }

    fn wrap(self, min: Prec) -> String {
        if self.prec < min {
            format!("({})", self.expr)
        } else {
            self.expr
        }
    }

    /// Both conditions.
    pub fn and(self, other: Filter<R>) -> Filter<R> {
        Filter {
            expr: format!("{} and {}", self.wrap(Prec::And), other.wrap(Prec::Atom)),
            prec: Prec::And,
            _r: PhantomData,
        }
    }

    /// Either condition.
    pub fn or(self, other: Filter<R>) -> Filter<R> {
        Filter {
            expr: format!("{} or {}", self.wrap(Prec::Or), other.wrap(Prec::And)),
            prec: Prec::Or,
            _r: PhantomData,
        }
    }

    /// Negation; always parenthesised. Also available as `!filter`.
    pub fn negate(self) -> Filter<R> {
        Filter::atom(format!("not ({})", self.expr))
    }

    /// Explicit grouping (the builder already parenthesises where precedence needs it).
    pub fn group(self) -> Filter<R> {
        Filter::atom(format!("({})", self.expr))
    }

    /// An expression written by hand. Escaping is the caller's job: prefer the typed fields.
    pub fn raw(expr: impl Into<String>) -> Filter<R> {
        Filter::atom(expr.into())
    }

    /// The rendered expression (not yet percent-encoded).
    pub fn as_str(&self) -> &str {
        &self.expr
    }

    /// The conjunction of all filters, or `None` for an empty list.
    pub fn all(filters: impl IntoIterator<Item = Filter<R>>) -> Option<Filter<R>> {
        filters.into_iter().reduce(Filter::and)
    }

    /// The disjunction of all filters, or `None` for an empty list.
    pub fn any(filters: impl IntoIterator<Item = Filter<R>>) -> Option<Filter<R>> {
        filters.into_iter().reduce(Filter::or)
    }
}

impl<R> std::ops::Not for Filter<R> {
    type Output = Filter<R>;
    fn not(self) -> Filter<R> {
        self.negate()
    }
}

/// Ties a field to its resource and value type without owning either.
type FieldMarker<R, V> = fn() -> (R, Box<V>);

/// A filterable property of resource `R` holding values of type `V`.
pub struct Field<R, V: ?Sized> {
    name: &'static str,
    _p: PhantomData<FieldMarker<R, V>>,
}

impl<R, V: ?Sized> Clone for Field<R, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R, V: ?Sized> Copy for Field<R, V> {}

impl<R, V: FilterLiteral + ?Sized> Field<R, V> {
    /// Declares a field; `name` is the wire property path (e.g. `assignedTo`).
    pub const fn new(name: &'static str) -> Self {
        Field {
            name,
            _p: PhantomData,
        }
    }

    /// The property name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    fn cmp(&self, op: &str, v: &V) -> Filter<R> {
        let mut s = String::with_capacity(self.name.len() + op.len() + 16);
        s.push_str(self.name);
        s.push(' ');
        s.push_str(op);
        s.push(' ');
        v.write_literal(&mut s);
        Filter::atom(s)
    }

    pub fn eq(&self, v: &V) -> Filter<R> {
        self.cmp("eq", v)
    }
    pub fn ne(&self, v: &V) -> Filter<R> {
        self.cmp("ne", v)
    }
    pub fn gt(&self, v: &V) -> Filter<R> {
        self.cmp("gt", v)
    }
    pub fn ge(&self, v: &V) -> Filter<R> {
        self.cmp("ge", v)
    }
    pub fn lt(&self, v: &V) -> Filter<R> {
        self.cmp("lt", v)
    }
    pub fn le(&self, v: &V) -> Filter<R> {
        self.cmp("le", v)
    }
    /// `field eq null`.
    pub fn is_null(&self) -> Filter<R> {
        Filter::atom(format!("{} eq null", self.name))
    }
    /// `field ne null`.
    pub fn is_not_null(&self) -> Filter<R> {
        Filter::atom(format!("{} ne null", self.name))
    }
    /// Any of the values, as a parenthesised `or` chain (portable where `in` is not supported).
    /// `None` for an empty list, because "any of nothing" matches nothing.
    pub fn any_of<'a>(&self, values: impl IntoIterator<Item = &'a V>) -> Option<Filter<R>>
    where
        V: 'a,
    {
        Filter::any(values.into_iter().map(|v| self.eq(v))).map(Filter::group)
    }
}

impl<R> Field<R, str> {
    /// `startswith(field, 'prefix')`.
    pub fn starts_with(&self, prefix: &str) -> Filter<R> {
        let mut s = format!("startswith({}, ", self.name);
        write_string_literal(prefix, &mut s);
        s.push(')');
        Filter::atom(s)
    }
}

/// Query options for one request. Build it, then hand it to a client list method.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    filter: Option<String>,
    top: Option<u32>,
    skip: Option<u32>,
    count: bool,
    expand: Vec<String>,
    select: Vec<String>,
    order_by: Vec<String>,
    search: Option<String>,
}

impl Query {
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets `$filter` (replacing any previous one; combine with [`Filter::and`] first).
    pub fn filter<R>(mut self, f: Filter<R>) -> Self {
        self.filter = Some(f.expr);
        self
    }
    /// `$top`: page size.
    pub fn top(mut self, n: u32) -> Self {
        self.top = Some(n);
        self
    }
    /// `$skip`.
    pub fn skip(mut self, n: u32) -> Self {
        self.skip = Some(n);
        self
    }
    /// `$count=true`, so the first page carries `@odata.count` for progress.
    pub fn count(mut self, on: bool) -> Self {
        self.count = on;
        self
    }
    /// Adds a navigation property to `$expand` (e.g. `alerts` on incidents).
    pub fn expand(mut self, nav: &str) -> Self {
        self.expand.push(nav.to_owned());
        self
    }
    /// Adds properties to `$select`.
    pub fn select(mut self, props: &[&str]) -> Self {
        self.select.extend(props.iter().map(|p| (*p).to_owned()));
        self
    }
    /// Adds an `$orderby` key.
    pub fn order_by(mut self, prop: &str, descending: bool) -> Self {
        self.order_by.push(if descending {
            format!("{prop} desc")
        } else {
            prop.to_owned()
        });
        self
    }
    /// `$search` (Defender TI articles accept one term); quoted as OData requires.
    pub fn search(mut self, term: &str) -> Self {
        self.search = Some(format!("\"{}\"", term.replace('"', "")));
        self
    }
    /// The `$filter` expression, if any.
    pub fn filter_str(&self) -> Option<&str> {
        self.filter.as_deref()
    }
    /// Whether no option is set.
    pub fn is_empty(&self) -> bool {
        *self == Query::default()
    }

    /// `?$filter=...&$top=...` with every value percent-encoded, or `""` when empty.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(f) = &self.filter {
            pairs.push(("$filter", f.clone()));
        }
        if let Some(s) = &self.search {
            pairs.push(("$search", s.clone()));
        }
        if !self.select.is_empty() {
            pairs.push(("$select", self.select.join(",")));
        }
        if !self.expand.is_empty() {
            pairs.push(("$expand", self.expand.join(",")));
        }
        if !self.order_by.is_empty() {
            pairs.push(("$orderby", self.order_by.join(",")));
        }
        if let Some(t) = self.top {
            pairs.push(("$top", t.to_string()));
        }
        if let Some(s) = self.skip {
            pairs.push(("$skip", s.to_string()));
        }
        if self.count {
            pairs.push(("$count", "true".to_owned()));
        }
        let mut out = String::new();
        for (i, (k, v)) in pairs.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(k);
            out.push('=');
            out.push_str(&encode_query_value(v));
        }
        out
    }
}

/// Percent-encodes a query value. Unreserved characters and the OData punctuation
/// `'(),:*/@!$` stay readable; everything else (space, `+`, `&`, `=`, `#`, `%`, `;`, `?`,
/// non-ASCII) is encoded. Space becomes `%20`, never `+`, which Graph would read as a literal
/// plus. A `'` inside a string literal is already doubled by [`write_string_literal`], so it
/// cannot end the literal early.
pub fn encode_query_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    percent_encode_into(v, QUERY_VALUE, &mut out);
    out
}

/// Percent-encodes one path segment (an id, UPN or tenant): only unreserved characters and
/// `@` stay, so `/`, `#`, `?`, `%` and `'` inside ids cannot change the URL's structure.
pub fn encode_path_segment(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    percent_encode_into(v, PATH_SEGMENT, &mut out);
    out
}

/// Decodes `%XX` escapes (the inverse of the encoders), `None` on malformed escapes or invalid
/// UTF-8.
pub fn percent_decode(v: &str) -> Option<String> {
    // The crate's decoder keeps a malformed escape as it is; this one refuses it.
    let well_formed = v.split('%').skip(1).all(|rest| {
        rest.as_bytes()
            .get(..2)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(v)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// The bytes [`encode_query_value`] keeps as they are, besides ASCII letters and digits: the
/// unreserved `-._~` and the OData punctuation `'(),:*/@!$`. Escaped among others: space, `"`,
/// `#`, `%`, `&`, `+`, `;`, `<`, `=`, `>`, `?`, `[`, `\`, `]`, `^`, `` ` ``, `{`, `|`, `}`.
const QUERY_VALUE: &[u8] = b"-._~'(),:*/@!$";

/// The bytes [`encode_path_segment`] keeps as they are, besides ASCII letters and digits: the
/// unreserved `-._~` and `@`.
const PATH_SEGMENT: &[u8] = b"-._~@";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{alerts, control_profiles};
    use crate::models::{AlertSeverity, AlertStatus, DateTime};

    #[test]
    fn literals() {
        assert_eq!(
            alerts::ASSIGNED_TO.eq("O'Brien").as_str(),
            "assignedTo eq 'O''Brien'"
        );
        let d = DateTime::parse("2024-01-01T00:00:00Z").unwrap();
        assert_eq!(
            alerts::CREATED_DATE_TIME.ge(&d).as_str(),
            "createdDateTime ge 2024-01-01T00:00:00Z"
        );
        assert_eq!(
            alerts::SEVERITY.eq(&AlertSeverity::High).as_str(),
            "severity eq 'high'"
        );
        assert_eq!(
            control_profiles::DEPRECATED.eq(&false).as_str(),
            "deprecated eq false"
        );
        assert_eq!(alerts::ASSIGNED_TO.is_null().as_str(), "assignedTo eq null");
    }

    #[test]
    fn precedence() {
        let a = alerts::STATUS.eq(&AlertStatus::New);
        let b = alerts::SEVERITY.eq(&AlertSeverity::High);
        let c = alerts::SEVERITY.eq(&AlertSeverity::Medium);
        assert_eq!(
            a.clone().and(b.clone().or(c.clone())).as_str(),
            "status eq 'new' and (severity eq 'high' or severity eq 'medium')"
        );
        assert_eq!(
            a.clone().or(b.clone()).and(c.clone()).as_str(),
            "(status eq 'new' or severity eq 'high') and severity eq 'medium'"
        );
        assert_eq!(
            a.clone().or(b.clone().and(c)).as_str(),
            "status eq 'new' or severity eq 'high' and severity eq 'medium'"
        );
        assert_eq!(
            (!a.and(b)).as_str(),
            "not (status eq 'new' and severity eq 'high')"
        );
        let any = alerts::SEVERITY
            .any_of(&[AlertSeverity::High, AlertSeverity::Medium])
            .unwrap();
        assert_eq!(any.as_str(), "(severity eq 'high' or severity eq 'medium')");
        assert!(alerts::SEVERITY.any_of(&[]).is_none());
    }

    #[test]
    fn query_string() {
        let q = Query::new()
            .filter(alerts::ASSIGNED_TO.eq("a&b c+d#'"))
            .top(50)
            .count(true)
            .expand("alerts")
            .select(&["id", "title"]);
        assert_eq!(
            q.to_query_string(),
            "?$filter=assignedTo%20eq%20'a%26b%20c%2Bd%23'''&$select=id,title&$expand=alerts&$top=50&$count=true"
        );
        assert_eq!(Query::new().to_query_string(), "");
        assert_eq!(encode_path_segment("a/b#c d"), "a%2Fb%23c%20d");
        assert_eq!(percent_decode("a%2Fb%23c%20d").unwrap(), "a/b#c d");
    }

    #[test]
    fn encoders_keep_exactly_the_bytes_they_did_by_hand() {
        // The rules the hand-written encoders had, checked over every ASCII character.
        let query_keeps = |b: u8| b.is_ascii_alphanumeric() || b"-._~'(),:*/@!$".contains(&b);
        let segment_keeps = |b: u8| b.is_ascii_alphanumeric() || b"-._~@".contains(&b);
        for b in 0u8..0x80 {
            let c = char::from(b).to_string();
            let escaped = format!("%{b:02X}");
            let expect = |keep: bool| if keep { c.clone() } else { escaped.clone() };
            assert_eq!(encode_query_value(&c), expect(query_keeps(b)), "{b:#x}");
            assert_eq!(encode_path_segment(&c), expect(segment_keeps(b)), "{b:#x}");
        }
        for special in [" ", "+", "&", "=", "#", "%", "?"] {
            assert!(encode_query_value(special).starts_with('%'), "{special:?}");
        }
        for special in [" ", "+", "&", "=", "#", "%", "?", "/", "'"] {
            assert!(encode_path_segment(special).starts_with('%'), "{special:?}");
        }
        assert_eq!(encode_query_value("é😀"), "%C3%A9%F0%9F%98%80");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
        assert_eq!(percent_decode("%C3%A9%F0%9F%98%80").as_deref(), Some("é😀"));
        for malformed in ["%", "%4", "%zz", "a%g1", "%FF"] {
            assert_eq!(percent_decode(malformed), None, "{malformed:?}");
        }
    }

    #[test]
    fn literal_round_trip() {
        for s in ["", "'", "''", "a'b", "ünï'cödé", "x' or 1 eq 1 or 'y"] {
            let mut out = String::new();
            write_string_literal(s, &mut out);
            assert_eq!(parse_string_literal(&out).as_deref(), Some(s));
        }
        assert_eq!(parse_string_literal("'a'b'"), None);
    }
}
