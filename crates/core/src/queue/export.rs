//! Export of the filtered queue as CSV (RFC 4180) or NDJSON, with timestamps in UTC or the
//! app's time-zone offset.
//!
//! CSV cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab
//! or carriage return) are prefixed with `'`, so an attacker-chosen alert title cannot become a
//! formula on an analyst's machine.

use std::fmt::Write as _;

use super::filter::Column;
use super::table::Table;
use crate::models::DateTime;

/// The file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ndjson,
}

impl Format {
    pub fn mime(self) -> &'static str {
        match self {
            Format::Csv => "text/csv;charset=utf-8",
            Format::Ndjson => "application/x-ndjson",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
        }
    }
}

/// What to export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    pub format: Format,
    /// Minutes east of UTC for timestamps (0 = UTC, written with `Z`).
    pub offset_minutes: i32,
    /// Columns, in order.
    pub columns: Vec<Column>,
}

impl Default for ExportOptions {
    /// CSV, UTC, every column.
    fn default() -> Self {
        ExportOptions {
            format: Format::Csv,
            offset_minutes: 0,
            columns: Column::ALL.to_vec(),
        }
    }
}

/// An export ready to download.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub text: String,
    /// Data rows (the CSV header not counted).
    pub rows: usize,
    pub format: Format,
}

impl Export {
    /// `vigil-alerts-20261121-2235.csv` for an export made at `now`.
    pub fn file_name(&self, now: DateTime) -> String {
        let s = now.to_rfc3339();
        let stamp: String = s
            .chars()
            .take(16)
            .filter(|c| c.is_ascii_digit() || *c == 'T')
            .map(|c| if c == 'T' { '-' } else { c })
            .collect();
        format!("vigil-alerts-{stamp}.{}", self.format.extension())
    }

    /// "Exported 1,234 alerts."
    pub fn summary(&self) -> String {
        format!(
            "Exported {} alert{}.",
            thousands(self.rows as u64),
            if self.rows == 1 { "" } else { "s" }
        )
    }
}

/// `1234567` → `1,234,567`. A `u64`, so that no count is cut to 32 bits in the browser.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `2024-01-01T02:30:00+02:30`, or `…Z` at offset 0 (whole seconds).
pub fn format_time(d: DateTime, offset_minutes: i32) -> String {
    let shifted = DateTime::from_unix(d.unix_seconds() + i64::from(offset_minutes) * 60);
    let mut s = shifted.to_rfc3339();
    if offset_minutes != 0 {
        s.pop(); // the `Z`
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let m = offset_minutes.unsigned_abs();
        let _ = write!(s, "{sign}{:02}:{:02}", m / 60, m % 60);
    }
    s
}

/// Appends one CSV field: always quoted (RFC 4180, `"` doubled), and a `'` before every
/// formula start (`= + - @`, tab, CR) at the start of the field or after a `,` or `;`: Excel
/// in a locale whose list separator is `;` splits a quoted field there and would read what
/// follows as a formula.
pub fn push_csv_cell(v: &str, out: &mut String) {
    out.reserve(v.len() + 2);
    out.push('"');
    let mut starts_cell = true;
    for c in v.chars() {
        if starts_cell && matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r') {
            out.push('\'');
        }
        if c == '"' {
            out.push('"');
        }
        out.push(c);
        starts_cell = matches!(c, ',' | ';');
    }
    out.push('"');
}

/// One CSV field as [`push_csv_cell`] writes it.
pub fn csv_cell(v: &str) -> String {
    let mut out = String::new();
    push_csv_cell(v, &mut out);
    out
}

/// One CSV field, bare when that is safe (no separator, quote, line break or formula start),
/// else as [`csv_cell`] writes it: for files whose plain fields people read as they are (the
/// Secure Score figures and plan), with the same protection where it matters.
pub fn csv_field(v: &str) -> String {
    let safe =
        !v.contains([',', ';', '"', '\n', '\r', '\t']) && !v.starts_with(['=', '+', '-', '@']);
    if safe { v.to_owned() } else { csv_cell(v) }
}

fn value(table: &Table, i: u32, c: Column, offset: i32) -> String {
    let r = table.row(i);
    match c {
        Column::Created => r
            .created
            .map(|d| format_time(d, offset))
            .unwrap_or_default(),
        Column::Updated => r
            .updated
            .map(|d| format_time(d, offset))
            .unwrap_or_default(),
        _ => table.cell(i, c),
    }
}

/// Exports rows `idx` of `table` (normally the current view, in its order).
pub fn export(table: &Table, idx: &[u32], opts: &ExportOptions) -> Export {
    let cols: &[Column] = if opts.columns.is_empty() {
        &Column::ALL
    } else {
        &opts.columns
    };
    let mut text = String::new();
    match opts.format {
        Format::Csv => {
            for (n, c) in cols.iter().enumerate() {
                if n > 0 {
                    text.push(',');
                }
                push_csv_cell(c.label(), &mut text);
            }
            text.push_str("\r\n");
            for &i in idx {
                for (n, &c) in cols.iter().enumerate() {
                    if n > 0 {
                        text.push(',');
                    }
                    push_csv_cell(&value(table, i, c, opts.offset_minutes), &mut text);
                }
                text.push_str("\r\n");
            }
        }
        Format::Ndjson => {
            for &i in idx {
                let mut obj = serde_json::Map::new();
                for &c in cols {
                    let v = value(table, i, c, opts.offset_minutes);
                    obj.insert(
                        c.key().to_owned(),
                        if v.is_empty() {
                            serde_json::Value::Null
                        } else {
                            serde_json::Value::String(v)
                        },
                    );
                }
                text.push_str(&serde_json::Value::Object(obj).to_string());
                text.push('\n');
            }
        }
    }
    Export {
        text,
        rows: idx.len(),
        format: opts.format,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_bare_only_when_that_is_safe() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("a;=1"), "\"a;'=1\"");
    }

    #[test]
    fn cells() {
        assert_eq!(csv_cell("plain"), "\"plain\"");
        assert_eq!(csv_cell(""), "\"\"");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=1+2"), "\"'=1+2\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_cell("-2,3"), "\"'-2,3\"");
        assert_eq!(csv_cell("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(csv_cell("\tx"), "\"'\tx\"");
        assert_eq!(csv_cell("\rx"), "\"'\rx\"");
    }

    #[test]
    fn a_formula_after_a_separator_is_neutralised_too() {
        // Excel with `;` as its list separator splits this field and reads `=1+1`.
        assert_eq!(csv_cell("a;=1+1"), "\"a;'=1+1\"");
        assert_eq!(csv_cell("a,+1;@x;-y"), "\"a,'+1;'@x;'-y\"");
        assert_eq!(
            csv_cell("a;b=1"),
            "\"a;b=1\"",
            "a formula sign inside a cell is text"
        );
    }

    #[test]
    fn times() {
        let d = DateTime::parse("2024-01-01T23:30:00.5Z").unwrap();
        assert_eq!(format_time(d, 0), "2024-01-01T23:30:00Z");
        assert_eq!(format_time(d, 60), "2024-01-02T00:30:00+01:00");
        assert_eq!(format_time(d, -330), "2024-01-01T18:00:00-05:30");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5_000_000_000), "5,000,000,000");
    }
}
