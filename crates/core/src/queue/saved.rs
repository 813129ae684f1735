//! Saved views: a name and a view's query string, built in or exported and imported as JSON.

use serde::{Deserialize, Serialize};

use super::filter::{Assigned, QueueFilter, TimeRange};
use super::url::Set;
use crate::models::AlertSeverity;

/// A named view ("Unassigned high severity"): a name and the view's query string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub name: String,
    /// [`QueueFilter::to_query_string`] of the view.
    pub query: String,
}

#[derive(Serialize, Deserialize)]
struct SavedViewsFile {
    #[serde(default)]
    version: u32,
    #[serde(default)]
    views: Vec<serde_json::Value>,
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

    /// Views as a JSON document for export: `{"version":1,"views":[{"name","query"}…]}`.
    pub fn to_json(views: &[SavedView]) -> String {
        let file = SavedViewsFile {
            version: 1,
            views: views
                .iter()
                .filter_map(|v| serde_json::to_value(v).ok())
                .collect(),
        };
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Reads exported views (also a bare array). Entries without a name are skipped, and each
    /// query is normalised through [`QueueFilter`], so a hand-edited file cannot smuggle in
    /// anything the URL would not hold. `Err` only when the text is not JSON of either shape.
    pub fn from_json(text: &str) -> Result<Vec<SavedView>, String> {
        let raw: Vec<serde_json::Value> = match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Array(a)) => a,
            // The file is read again from its text, by the one JSON reader the bundle has:
            // `from_value` would build a second decoder for the tree.
            Ok(serde_json::Value::Object(_)) => {
                serde_json::from_str::<SavedViewsFile>(text)
                    .map_err(|e| format!("not a saved-views file: {e}"))?
                    .views
            }
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
