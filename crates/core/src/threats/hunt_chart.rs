//! The chart a hunting result makes: a `summarize … by` result has one numeric column (the
//! aggregate) and its keys. Keyed by a time column (`bin(Timestamp, 1d)`) it is a line over
//! time; keyed by a text column it is bars, one per category, largest first.

use super::hunt_table::{Cell, ColumnKind, ResultTable};

/// The most bars a chart shows (the largest).
pub const MAX_BARS: usize = 20;

#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// (unix milliseconds, value), oldest first; values of the same instant are summed.
    Line {
        x: String,
        y: String,
        points: Vec<(i64, f64)>,
    },
    /// (category, value), largest first, at most [`MAX_BARS`].
    Bars {
        x: String,
        y: String,
        bars: Vec<(String, f64)>,
    },
}

impl Chart {
    /// The chart of `table`, if it looks like a `summarize … by` result: its last numeric
    /// column against its first time column (a line) or else its first text column (bars).
    pub fn of(table: &ResultTable) -> Option<Chart> {
        if table.rows.is_empty() {
            return None;
        }
        let y = table.columns.iter().rposition(|c| c.kind.is_numeric())?;
        let key = |kind: ColumnKind| {
            table
                .columns
                .iter()
                .enumerate()
                .position(|(i, c)| i != y && c.kind == kind)
        };
        let names = |x: usize| (table.columns[x].name.clone(), table.columns[y].name.clone());
        if let Some(x) = key(ColumnKind::Time) {
            let mut points: Vec<(i64, f64)> = Vec::new();
            for row in &table.rows {
                if let (Cell::Time(t), Some(v)) = (&row[x], row[y].number()) {
                    let ms = t.unix_millis();
                    match points.iter_mut().find(|p| p.0 == ms) {
                        Some(p) => p.1 += v,
                        None => points.push((ms, v)),
                    }
                }
            }
            crate::sort::by(&mut points, |a, b| a.0.cmp(&b.0));
            let (x, y) = names(x);
            return (!points.is_empty()).then_some(Chart::Line { x, y, points });
        }
        let x = key(ColumnKind::Text)?;
        let mut bars: Vec<(String, f64)> = Vec::new();
        for row in &table.rows {
            if let Some(v) = row[y].number() {
                let label = row[x].text();
                match bars.iter_mut().find(|b| b.0 == label) {
                    Some(b) => b.1 += v,
                    None => bars.push((label, v)),
                }
            }
        }
        crate::sort::by(&mut bars, |a, b| b.1.total_cmp(&a.1));
        bars.truncate(MAX_BARS);
        let (x, y) = names(x);
        (!bars.is_empty()).then_some(Chart::Bars { x, y, bars })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::HuntingQueryResults;
    use serde_json::json;

    fn table(v: serde_json::Value) -> ResultTable {
        ResultTable::from_results(&crate::decode::decode_value::<HuntingQueryResults>(&v).unwrap())
    }

    #[test]
    fn a_count_by_bin_over_time_is_a_line_in_time_order() {
        let t = table(json!({
            "schema": [{"name": "Timestamp", "type": "DateTime"}, {"name": "count_", "type": "Int64"}],
            "results": [
                {"Timestamp": "2026-11-02T00:00:00Z", "count_": 4},
                {"Timestamp": "2026-11-01T00:00:00Z", "count_": 7},
            ],
        }));
        let Some(Chart::Line { x, y, points }) = Chart::of(&t) else {
            panic!("a line");
        };
        assert_eq!((x.as_str(), y.as_str()), ("Timestamp", "count_"));
        let day = |d: u32| {
            crate::models::DateTime::from_ymd_hms(2026, 11, d, 0, 0, 0)
                .unwrap()
                .unix_millis()
        };
        assert_eq!(points, [(day(1), 7.0), (day(2), 4.0)]);
    }

    #[test]
    fn a_count_by_category_is_bars_largest_first() {
        let t = table(json!({
            "schema": [{"name": "Severity", "type": "String"}, {"name": "Alerts", "type": "Int64"}],
            "results": [{"Severity": "low", "Alerts": 2}, {"Severity": "high", "Alerts": 9}, {"Severity": "", "Alerts": 1}],
        }));
        assert_eq!(
            Chart::of(&t),
            Some(Chart::Bars {
                x: "Severity".into(),
                y: "Alerts".into(),
                bars: vec![("high".into(), 9.0), ("low".into(), 2.0), ("".into(), 1.0)],
            })
        );
    }

    #[test]
    fn rows_without_a_number_or_a_key_make_no_chart() {
        let plain = table(json!({
            "schema": [{"name": "Title", "type": "String"}, {"name": "AlertId", "type": "String"}],
            "results": [{"Title": "a", "AlertId": "1"}],
        }));
        assert_eq!(Chart::of(&plain), None);
        let count_only = table(json!({
            "schema": [{"name": "Count", "type": "Int64"}],
            "results": [{"Count": 3}],
        }));
        assert_eq!(Chart::of(&count_only), None);
        assert_eq!(Chart::of(&ResultTable::default()), None);
    }
}
