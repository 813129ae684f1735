//! `$filter`: a parser for the OData subset Graph's security APIs accept, and its evaluator.

use std::cmp::Ordering;

use serde_json::Value;

use crate::error::GraphError;
use crate::util::parse_dt;

/// The type of a filterable property, which decides which literals it may be compared with.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Str,
    DateTime,
    Num,
    Bool,
    /// An enum with its members in declaration order (comparisons use that order).
    Enum(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    DateTime(i64),
}

#[derive(Debug, Clone)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Cmp {
        field: &'static str,
        kind: Kind,
        op: Op,
        lit: Lit,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    Str(String),
    /// A type-qualified literal such as `microsoft.graph.security.alertSeverity'high'`.
    Typed(String),
    Word(String),
}

fn bad(msg: impl Into<String>) -> GraphError {
    GraphError::bad_request(msg)
}

fn tokenize(s: &str) -> Result<Vec<Tok>, GraphError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let read_quoted = |i: &mut usize| -> Result<String, GraphError> {
        // Caller has checked chars[*i] == '\''.
        *i += 1;
        let mut v = String::new();
        loop {
            match chars.get(*i) {
                None => return Err(bad("Syntax error: unterminated string literal in $filter.")),
                Some('\'') if chars.get(*i + 1) == Some(&'\'') => {
                    v.push('\'');
                    *i += 2;
                }
                Some('\'') => {
                    *i += 1;
                    return Ok(v);
                }
                Some(c) => {
                    v.push(*c);
                    *i += 1;
                }
            }
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push(Tok::Open);
            i += 1;
        } else if c == ')' {
            out.push(Tok::Close);
            i += 1;
        } else if c == '\'' {
            out.push(Tok::Str(read_quoted(&mut i)?));
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | '\'' | ',')
            {
                i += 1;
            }
            if i == start {
                return Err(bad(format!("Syntax error at position {i} in $filter.")));
            }
            let word: String = chars[start..i].iter().collect();
            if chars.get(i) == Some(&'\'') {
                out.push(Tok::Typed(read_quoted(&mut i)?));
            } else {
                out.push(Tok::Word(word));
            }
        }
    }
    Ok(out)
}

struct Parser<'a> {
    toks: Vec<Tok>,
    pos: usize,
    fields: &'a [(&'static str, Kind)],
}

impl Parser<'_> {
    fn peek_word(&self, w: &str) -> bool {
        matches!(self.toks.get(self.pos), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
    }
    fn or(&mut self) -> Result<Expr, GraphError> {
        let mut l = self.and()?;
        while self.peek_word("or") {
            self.pos += 1;
            l = Expr::Or(Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<Expr, GraphError> {
        let mut l = self.unary()?;
        while self.peek_word("and") {
            self.pos += 1;
            l = Expr::And(Box::new(l), Box::new(self.unary()?));
        }
        Ok(l)
    }
    fn unary(&mut self) -> Result<Expr, GraphError> {
        if self.peek_word("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Open) => {
                self.pos += 1;
                let e = self.or()?;
                if self.toks.get(self.pos) != Some(&Tok::Close) {
                    return Err(bad("Syntax error: ')' expected in $filter."));
                }
                self.pos += 1;
                Ok(e)
            }
            Some(Tok::Word(name)) => {
                self.pos += 1;
                self.comparison(&name)
            }
            Some(t) => Err(bad(format!("Syntax error: unexpected {t:?} in $filter."))),
            None => Err(bad("Syntax error: unexpected end of $filter.")),
        }
    }
    fn comparison(&mut self, name: &str) -> Result<Expr, GraphError> {
        if self.toks.get(self.pos) == Some(&Tok::Open) {
            return Err(GraphError::new(
                400,
                "BadRequest",
                format!("Invalid filter clause: the function '{name}' is not supported."),
            ));
        }
        let (field, kind) = self
            .fields
            .iter()
            .find(|(f, _)| f.eq_ignore_ascii_case(name))
            .copied()
            .ok_or_else(|| bad(format!("Invalid filter clause: the property '{name}' is not filterable or does not exist.")))?;
        let op = match self.toks.get(self.pos) {
            Some(Tok::Word(w)) => match w.to_ascii_lowercase().as_str() {
                "eq" => Op::Eq,
                "ne" => Op::Ne,
                "gt" => Op::Gt,
                "ge" => Op::Ge,
                "lt" => Op::Lt,
                "le" => Op::Le,
                other => {
                    return Err(bad(format!(
                        "Invalid filter clause: operator '{other}' is not supported."
                    )));
                }
            },
            _ => {
                return Err(bad(format!(
                    "Syntax error: an operator is expected after '{name}'."
                )));
            }
        };
        self.pos += 1;
        let lit = match self.toks.get(self.pos).cloned() {
            Some(Tok::Str(s)) => Lit::Str(s),
            Some(Tok::Typed(s)) => Lit::Str(s),
            Some(Tok::Word(w)) => word_literal(&w)?,
            _ => return Err(bad("Syntax error: a literal is expected in $filter.")),
        };
        self.pos += 1;
        let lit = check_types(field, kind, op, lit)?;
        Ok(Expr::Cmp {
            field,
            kind,
            op,
            lit,
        })
    }
}

fn word_literal(w: &str) -> Result<Lit, GraphError> {
    match w {
        "null" => return Ok(Lit::Null),
        "true" => return Ok(Lit::Bool(true)),
        "false" => return Ok(Lit::Bool(false)),
        _ => {}
    }
    if w.len() >= 10 && w.as_bytes()[4] == b'-' {
        return parse_dt(w)
            .map(Lit::DateTime)
            .ok_or_else(|| bad(format!("Invalid DateTimeOffset literal '{w}' in $filter.")));
    }
    if let Ok(n) = w.parse::<f64>() {
        return Ok(Lit::Num(n));
    }
    Err(bad(format!(
        "Could not find a property named '{w}' on type 'microsoft.graph.security'."
    )))
}

fn incompatible(field: &str) -> GraphError {
    bad(format!(
        "A binary operator with incompatible types was detected for '{field}'."
    ))
}

fn check_types(field: &str, kind: Kind, op: Op, lit: Lit) -> Result<Lit, GraphError> {
    if lit == Lit::Null {
        return if matches!(op, Op::Eq | Op::Ne) {
            Ok(lit)
        } else {
            Err(incompatible(field))
        };
    }
    match (kind, &lit) {
        (Kind::Str, Lit::Str(_))
        | (Kind::DateTime, Lit::DateTime(_))
        | (Kind::Num, Lit::Num(_)) => Ok(lit),
        (Kind::Bool, Lit::Bool(_)) if matches!(op, Op::Eq | Op::Ne) => Ok(lit),
        (Kind::Enum(members), Lit::Str(s)) => {
            if members.iter().any(|m| m.eq_ignore_ascii_case(s)) {
                Ok(lit)
            } else {
                Err(bad(format!(
                    "The string '{s}' is not a valid enumeration type constant for '{field}'."
                )))
            }
        }
        _ => Err(incompatible(field)),
    }
}

/// Parses a `$filter` value against the filterable properties of one resource.
pub fn parse(s: &str, fields: &[(&'static str, Kind)]) -> Result<Expr, GraphError> {
    let toks = tokenize(s)?;
    if toks.is_empty() {
        return Err(bad("The $filter expression is empty."));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        fields,
    };
    let e = p.or()?;
    if p.pos != p.toks.len() {
        return Err(bad(format!(
            "Syntax error: unexpected '{:?}' in $filter.",
            p.toks[p.pos]
        )));
    }
    Ok(e)
}

fn ordinal(members: &[&str], s: &str) -> Option<usize> {
    members.iter().position(|m| m.eq_ignore_ascii_case(s))
}

fn compare(kind: Kind, v: &Value, lit: &Lit) -> Option<Ordering> {
    match (kind, v, lit) {
        (Kind::DateTime, Value::String(s), Lit::DateTime(t)) => parse_dt(s).map(|x| x.cmp(t)),
        (Kind::Enum(m), Value::String(s), Lit::Str(l)) => Some(ordinal(m, s)?.cmp(&ordinal(m, l)?)),
        (Kind::Str, Value::String(s), Lit::Str(l)) => Some(s.to_lowercase().cmp(&l.to_lowercase())),
        (Kind::Num, Value::Number(n), Lit::Num(l)) => n.as_f64()?.partial_cmp(l),
        (Kind::Bool, Value::Bool(b), Lit::Bool(l)) => Some(b.cmp(l)),
        _ => None,
    }
}

/// Evaluates the filter against a record's properties.
pub fn eval(e: &Expr, rec: &super::Keys) -> bool {
    match e {
        Expr::And(a, b) => eval(a, rec) && eval(b, rec),
        Expr::Or(a, b) => eval(a, rec) || eval(b, rec),
        Expr::Not(a) => !eval(a, rec),
        Expr::Cmp {
            field,
            kind,
            op,
            lit,
        } => {
            let v = rec.get(field).unwrap_or(&Value::Null);
            if *lit == Lit::Null {
                return (*op == Op::Eq) == v.is_null();
            }
            if v.is_null() {
                // Null compares unequal to every value and is neither greater nor smaller.
                return *op == Op::Ne;
            }
            match compare(*kind, v, lit) {
                None => *op == Op::Ne,
                Some(o) => match op {
                    Op::Eq => o == Ordering::Equal,
                    Op::Ne => o != Ordering::Equal,
                    Op::Gt => o == Ordering::Greater,
                    Op::Ge => o != Ordering::Less,
                    Op::Lt => o == Ordering::Less,
                    Op::Le => o != Ordering::Greater,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SEV: &[&str] = &[
        "unknown",
        "informational",
        "low",
        "medium",
        "high",
        "unknownFutureValue",
    ];
    const F: &[(&str, Kind)] = &[
        ("severity", Kind::Enum(SEV)),
        ("assignedTo", Kind::Str),
        ("createdDateTime", Kind::DateTime),
    ];

    fn m(v: Value) -> super::super::Keys {
        let mut k = super::super::Keys::default();
        for (f, _) in F {
            if let Some(x) = v.get(*f) {
                k.insert(f, x.clone());
            }
        }
        k
    }

    #[test]
    fn operators() {
        let r = m(
            json!({"severity": "medium", "assignedTo": "o'brien@x", "createdDateTime": "2024-01-02T00:00:00.0000000Z"}),
        );
        let t = |s: &str| {
            eval(
                &parse(s, F).unwrap_or_else(|e| panic!("{s}: {}", e.message)),
                &r,
            )
        };
        assert!(t("severity eq 'medium'"));
        assert!(t("severity gt 'low' and severity lt 'high'"));
        assert!(t("severity ge 'medium' and severity le 'medium'"));
        assert!(t("not (severity ne 'medium')"));
        assert!(t("assignedTo eq 'O''Brien@x' or severity eq 'high'"));
        assert!(t("createdDateTime gt 2024-01-01T00:00:00Z"));
        assert!(!t("createdDateTime gt 2024-01-02T00:00:00.001Z"));
        assert!(t(
            "severity eq microsoft.graph.security.alertSeverity'medium'"
        ));
        assert!(!t("assignedTo eq null"));
        for badf in [
            "severity eq 'nope'",
            "title eq 'x'",
            "severity eq",
            "createdDateTime gt '2024-01-01'",
            "(severity eq 'low'",
            "startswith(assignedTo,'a')",
            "severity eq medium",
        ] {
            assert!(parse(badf, F).is_err(), "{badf}");
        }
    }
}
