//! Saved views: a name and a view's query string, built in or exported and imported as JSON.

use serde_json::{Map, Value};

use super::filter::{Assigned, QueueFilter, TimeRange};
use super::url::Set;
use crate::models::AlertSeverity;

/// A named view ("Unassigned high severity"): a name and the view's query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedView {
    pub name: String,
    /// [`QueueFilter::to_query_string`] of the view.
    pub query: String,
}

impl SavedView {
    pub fn new(name: impl Into<String>, filter: &QueueFilter) -> Self {
        SavedView {
            name: name.into(),
            query: filter.to_query_string(),
        }
    }

    pub fn filter(&self) -> QueueFilter {
        QueueFilter::from_query_string(&self.query)
    }

    /// The built-in views analysts expect.
    pub fn builtin() -> Vec<SavedView> {
        let unassigned_high = QueueFilter {
            severities: Set::of([AlertSeverity::High]),
            assigned: Assigned::Unassigned,
            ..QueueFilter::default()
        };
        let mine = QueueFilter {
            assigned: Assigned::Me,
            severities: Set::any(),
            range: TimeRange::ALL_TIME,
            ..QueueFilter::default()
        };
        vec![
            SavedView::new("Unassigned high severity", &unassigned_high),
            SavedView::new("Assigned to me", &mine),
        ]
    }

    /// The file: `{"version": 1, "views": [{"name", "query"}, …]}`, written and read as a JSON
    /// tree (a derived encoder and decoder for the file would be code of their own in the
    /// bundle; 2026-12-04).
    pub fn to_json(views: &[SavedView]) -> String {
        let object = |pairs: [(&str, Value); 2]| {
            Value::Object(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect::<Map<_, _>>(),
            )
        };
        let views = views
            .iter()
            .map(|v| {
                object([
                    ("name", v.name.as_str().into()),
                    ("query", v.query.as_str().into()),
                ])
            })
            .collect::<Vec<_>>();
        serde_json::to_string_pretty(&object([("version", 1.into()), ("views", views.into())]))
            .unwrap_or_default()
    }

    /// Reads exported views (also a bare list). Entries without a name are skipped, and each
    /// query is normalised through [`QueueFilter`], so a hand-edited file cannot smuggle in
    /// anything the URL would not hold. `Err` only when the text is not JSON of either shape
    /// (or its `views` is not a list).
    pub fn from_json(text: &str) -> Result<Vec<SavedView>, String> {
        let raw: Vec<Value> = match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(a)) => a,
            Ok(Value::Object(mut file)) => match file.remove("views") {
                Some(Value::Array(a)) => a,
                None | Some(Value::Null) => Vec::new(),
                Some(_) => return Err("not a saved-views file: its views are not a list".into()),
            },
            Ok(_) => return Err("not a saved-views file: expected an object or a list".into()),
            Err(e) => return Err(format!("not JSON: {e}")),
        };
        Ok(raw
            .into_iter()
            .filter_map(|v| {
                let text = |key| v.get(key)?.as_str().map(str::to_owned);
                Some(SavedView {
                    name: text("name")?,
                    query: text("query")?,
                })
            })
            .filter(|v| !v.name.trim().is_empty())
            .map(|v| SavedView {
                name: v.name.trim().to_owned(),
                query: QueueFilter::from_query_string(&v.query).to_query_string(),
            })
            .collect())
    }
}
