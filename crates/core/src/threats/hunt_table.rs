//! Advanced hunting results as a typed table: each column's KQL type decides how its cells are
//! read, compared and written (a value that does not fit its column's type is kept as text, so
//! nothing the service sent is lost).

use std::cmp::Ordering;

use serde_json::Value;

use crate::models::{DateTime, HuntingQueryResults};
use crate::queue::export::push_csv_cell;

/// What a result column holds, from its KQL type name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Time,
    Int,
    Real,
    Bool,
    Text,
    /// `dynamic`: arrays and objects, shown as JSON.
    Dynamic,
}

impl ColumnKind {
    /// The kind of a KQL type name as the service spells it (`DateTime`, `Int64`, `Double`,
    /// `Boolean`, `String`, `Dynamic`…) or as KQL does (`datetime`, `long`, `real`, `bool`…).
    pub fn of(kql: &str) -> ColumnKind {
        match kql.to_ascii_lowercase().trim_start_matches("system.") {
            "datetime" | "date" => ColumnKind::Time,
            "int64" | "int32" | "long" | "int" | "sbyte" | "int16" | "byte" => ColumnKind::Int,
            "double" | "real" | "decimal" | "single" | "float" => ColumnKind::Real,
            "boolean" | "bool" => ColumnKind::Bool,
            "dynamic" | "object" => ColumnKind::Dynamic,
            _ => ColumnKind::Text,
        }
    }

    /// Whether cells of this kind are numbers (right-aligned, chartable).
    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnKind::Int | ColumnKind::Real)
    }
}

/// One typed cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Time(DateTime),
    Int(i64),
    /// The value, and its text as the service wrote it (the app prints no floats itself).
    Real(f64, String),
    Bool(bool),
    Text(String),
}

impl Cell {
    /// Reads `v` as a cell of a `kind` column; what does not fit is kept as its text.
    pub fn read(v: &Value, kind: ColumnKind) -> Cell {
        let raw = || match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match (kind, v) {
            (_, Value::Null) => Cell::Empty,
            (ColumnKind::Time, Value::String(s)) if s.is_empty() => Cell::Empty,
            (ColumnKind::Time, Value::String(s)) => {
                DateTime::parse(s).map_or_else(|| Cell::Text(s.clone()), Cell::Time)
            }
            (ColumnKind::Int, Value::Number(n)) => n
                .as_i64()
                .map(Cell::Int)
                .or_else(|| n.as_f64().map(|x| Cell::Real(x, raw())))
                .unwrap_or_else(|| Cell::Text(raw())),
            (ColumnKind::Int, Value::String(s)) => s
                .trim()
                .parse()
                .map_or_else(|_| Cell::Text(s.clone()), Cell::Int),
            (ColumnKind::Real, Value::Number(n)) => n
                .as_f64()
                .map_or_else(|| Cell::Text(raw()), |x| Cell::Real(x, raw())),
            // A number sent as a string is read by the JSON reader the app already ships.
            (ColumnKind::Real, Value::String(s)) => {
                match crate::decode::decode::<f64>(s.trim().as_bytes()) {
                    Ok(x) => Cell::Real(x, s.trim().to_owned()),
                    Err(_) => Cell::Text(s.clone()),
                }
            }
            (ColumnKind::Bool, Value::Bool(b)) => Cell::Bool(*b),
            (ColumnKind::Bool, Value::String(s)) if s.eq_ignore_ascii_case("true") => {
                Cell::Bool(true)
            }
            (ColumnKind::Bool, Value::String(s)) if s.eq_ignore_ascii_case("false") => {
                Cell::Bool(false)
            }
            _ => Cell::Text(raw()),
        }
    }

    /// The cell as text: what the table shows, the clipboard gets and CSV holds (times in
    /// RFC 3339, UTC).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Time(t) => t.to_rfc3339(),
            Cell::Int(n) => n.to_string(),
            Cell::Real(_, text) => text.clone(),
            Cell::Bool(b) => b.to_string(),
            Cell::Text(s) => s.clone(),
        }
    }

    /// The cell as a number, for charts.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(n) => Some(*n as f64),
            Cell::Real(x, _) => Some(*x),
            _ => None,
        }
    }

    /// Orders cells of one column: empty first, then by value; numbers before text that did
    /// not fit the column's type.
    pub fn compare(&self, other: &Cell) -> Ordering {
        fn rank(c: &Cell) -> u8 {
            match c {
                Cell::Empty => 0,
                Cell::Bool(_) => 1,
                Cell::Int(_) | Cell::Real(..) => 2,
                Cell::Time(_) => 3,
                Cell::Text(_) => 4,
            }
        }
        match (self, other) {
            (Cell::Time(a), Cell::Time(b)) => a.cmp(b),
            (Cell::Bool(a), Cell::Bool(b)) => a.cmp(b),
            (Cell::Text(a), Cell::Text(b)) => {
                crate::lowercase::lower(a).cmp(&crate::lowercase::lower(b))
            }
            (a, b) => match (a.number(), b.number()) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                _ => rank(a).cmp(&rank(b)),
            },
        }
    }
}

/// A result column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
}

/// A typed result table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResultTable {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl ResultTable {
    /// Types `results` by their schema. Columns the schema does not name (a service that
    /// sends none) are added from the rows, as text, in the order first seen.
    pub fn from_results(results: &HuntingQueryResults) -> ResultTable {
        let mut columns: Vec<Column> = results
            .schema
            .iter()
            .map(|c| Column {
                name: c.name.clone(),
                kind: ColumnKind::of(&c.kind),
            })
            .collect();
        for row in &results.results {
            for key in row.keys() {
                if !columns.iter().any(|c| &c.name == key) {
                    columns.push(Column {
                        name: key.clone(),
                        kind: ColumnKind::Text,
                    });
                }
            }
        }
        let rows = results
            .results
            .iter()
            .map(|row| {
                columns
                    .iter()
                    .map(|c| {
                        row.get(&c.name)
                            .map_or(Cell::Empty, |v| Cell::read(v, c.kind))
                    })
                    .collect()
            })
            .collect();
        ResultTable { columns, rows }
    }

    /// Row positions sorted by `column` (stable; `descending` reverses the order).
    pub fn order_by(&self, column: usize, descending: bool) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.rows.len() as u32).collect();
        if column < self.columns.len() {
            crate::sort::positions(&mut order, &|a, b| {
                let o = self.rows[a as usize][column].compare(&self.rows[b as usize][column]);
                if descending { o.reverse() } else { o }
            });
        }
        order
    }

    /// The rows at `order` as CSV (a header line, CRLF line ends, cells written by the export's
    /// [`push_csv_cell`]).
    pub fn to_csv(&self, order: &[u32]) -> String {
        let mut out = String::new();
        for (i, c) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_csv_cell(&c.name, &mut out);
        }
        out.push_str("\r\n");
        for &r in order {
            let Some(row) = self.rows.get(r as usize) else {
                continue;
            };
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_csv_cell(&cell.text(), &mut out);
            }
            out.push_str("\r\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn results(v: Value) -> HuntingQueryResults {
        crate::decode::decode_value(&v).unwrap()
    }

    #[test]
    fn cells_are_typed_by_their_column_and_what_does_not_fit_stays_text() {
        let t = ResultTable::from_results(&results(json!({
            "schema": [
                {"name": "Timestamp", "type": "DateTime"},
                {"name": "Count", "type": "Int64"},
                {"name": "Score", "type": "Double"},
                {"name": "Flag", "type": "Boolean"},
                {"name": "Set", "type": "Dynamic"},
                {"Name": "Title", "Type": "String"},
            ],
            "results": [
                {"Timestamp": "2026-11-30T00:00:00Z", "Count": 3, "Score": 0.5, "Flag": true, "Set": ["a", "b"], "Title": "x"},
                {"Timestamp": "not a time", "Count": "12", "Score": "n/a", "Flag": "False", "Set": null, "Extra": 1},
            ],
        })));
        let kinds: Vec<ColumnKind> = t.columns.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                ColumnKind::Time,
                ColumnKind::Int,
                ColumnKind::Real,
                ColumnKind::Bool,
                ColumnKind::Dynamic,
                ColumnKind::Text,
                ColumnKind::Text
            ]
        );
        assert_eq!(
            t.columns[6].name, "Extra",
            "a column only the rows name is kept"
        );
        assert!(matches!(t.rows[0][0], Cell::Time(_)));
        assert_eq!(t.rows[0][0].text(), "2026-11-30T00:00:00Z");
        assert_eq!(t.rows[0][1], Cell::Int(3));
        assert_eq!(t.rows[0][2], Cell::Real(0.5, "0.5".into()));
        assert_eq!(t.rows[0][3], Cell::Bool(true));
        assert_eq!(t.rows[0][4].text(), r#"["a","b"]"#);
        assert_eq!(t.rows[0][6], Cell::Empty);
        assert_eq!(t.rows[1][0], Cell::Text("not a time".into()));
        assert_eq!(
            t.rows[1][1],
            Cell::Int(12),
            "a number sent as a string is a number"
        );
        assert_eq!(t.rows[1][2], Cell::Text("n/a".into()));
        assert_eq!(t.rows[1][3], Cell::Bool(false));
        assert_eq!(t.rows[1][4], Cell::Empty);
        assert_eq!(t.rows[1][5], Cell::Empty);
        assert_eq!(t.rows[1][6].text(), "1");
    }

    #[test]
    fn sorting_follows_the_type_not_the_text() {
        let t = ResultTable::from_results(&results(json!({
            "schema": [{"name": "N", "type": "Int64"}, {"name": "T", "type": "DateTime"}],
            "results": [
                {"N": 10, "T": "2026-11-02T00:00:00Z"},
                {"N": 9, "T": "2026-11-10T00:00:00Z"},
                {"N": null, "T": "2026-11-01T00:00:00.5Z"},
                {"N": 100, "T": "2026-11-01T00:00:00Z"},
            ],
        })));
        assert_eq!(
            t.order_by(0, false),
            [2, 1, 0, 3],
            "9 < 10 < 100, empty first"
        );
        assert_eq!(t.order_by(0, true), [3, 0, 1, 2]);
        assert_eq!(
            t.order_by(1, false),
            [3, 2, 0, 1],
            "by instant, not by spelling"
        );
        assert_eq!(
            t.order_by(9, false),
            [0, 1, 2, 3],
            "an unknown column keeps the order"
        );
    }

    #[test]
    fn csv_quotes_what_needs_it_and_keeps_the_order() {
        let t = ResultTable::from_results(&results(json!({
            "schema": [{"name": "Title", "type": "String"}, {"name": "N", "type": "Int64"}],
            "results": [{"Title": "a, \"b\"", "N": 1}, {"Title": "plain", "N": 2}],
        })));
        assert_eq!(
            t.to_csv(&[1, 0]),
            "\"Title\",\"N\"\r\n\"plain\",\"2\"\r\n\"a, \"\"b\"\"\",\"1\"\r\n"
        );
    }
}
