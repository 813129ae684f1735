//! Advanced hunting: `POST /security/runHuntingQuery`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::de_vec;

/// The request body. Keys are PascalCase on the wire, as documented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HuntingQuery {
    #[serde(rename = "Query")]
    pub query: String,
    /// ISO 8601 timespan (`P30D`, `start/end`, ...); Graph defaults to 30 days.
    #[serde(rename = "Timespan", skip_serializing_if = "Option::is_none", default)]
    pub timespan: Option<String>,
}

/// One column of the result schema. One doc sample capitalises the keys, so both are read.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct HuntingColumn {
    #[serde(alias = "Name")]
    pub name: String,
    /// KQL type name, e.g. `DateTime`, `String`, `Int64`.
    #[serde(rename = "type", alias = "Type")]
    pub kind: String,
}

/// Query results: open rows keyed by column name, rendered using `schema`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct HuntingQueryResults {
    #[serde(deserialize_with = "de_vec")]
    pub schema: Vec<HuntingColumn>,
    #[serde(deserialize_with = "de_vec")]
    pub results: Vec<Map<String, Value>>,
}
