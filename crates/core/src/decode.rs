//! Reading JSON bodies: the one reader every Graph body (and Graph's error body) goes through.
//!
//! It lives apart from the client, which depends on it, and it depends only on
//! [`crate::error`] (whose own error-body reading does not come back here), so the modules form
//! no cycle.

use serde::de::DeserializeOwned;

use crate::error::GraphError;

/// Decodes a JSON body; malformed or truncated JSON is a `Decode` error, never a panic.
///
/// Every body Vigil decodes goes through here, as text: the UTF-8 check runs once over the
/// whole body (instead of once per string, as `from_slice` does), and keeping to one reader type
/// (`serde_json`'s `StrRead`) means each model's decoder is built into the bundle once.
pub fn decode<R: DeserializeOwned>(body: &[u8]) -> Result<R, GraphError> {
    let text = std::str::from_utf8(body).map_err(GraphError::decode)?;
    serde_json::from_str(text).map_err(GraphError::decode)
}

/// Decodes a JSON tree (a `$batch` item's body) by way of its text, with the same reader as
/// [`decode`]: `R::deserialize(value)` would build a second copy of `R`'s whole decoder (an
/// alert's, evidence included) into the bundle for the tree reader.
pub fn decode_value<R: DeserializeOwned>(value: &serde_json::Value) -> Result<R, GraphError> {
    let text = serde_json::to_string(value).map_err(GraphError::decode)?;
    serde_json::from_str(&text).map_err(GraphError::decode)
}
