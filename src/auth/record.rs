//! The sign-in's records in sessionStorage (a sign-in in flight, a session kept for a reload),
//! read back from a JSON tree: the bundle already carries that reader, and a derived decoder
//! per record would be code of its own. Written with `serde_json::to_string` as before.

use serde_json::Value;

/// One stored record: a JSON object.
pub(crate) struct Record(Value);

impl Record {
    /// The record in `text`, `None` unless it is a JSON object.
    pub fn parse(text: &str) -> Option<Record> {
        let v: Value = serde_json::from_str(text).ok()?;
        v.is_object().then_some(Record(v))
    }

    /// A string member; `None` when absent or not a string.
    pub fn text(&self, key: &str) -> Option<String> {
        self.0[key].as_str().map(str::to_owned)
    }

    /// A list of strings; `None` when absent, not a list, or holding anything but strings.
    pub fn texts(&self, key: &str) -> Option<Vec<String>> {
        self.0[key]
            .as_array()?
            .iter()
            .map(|s| s.as_str().map(str::to_owned))
            .collect()
    }

    pub fn number(&self, key: &str) -> Option<f64> {
        self.0[key].as_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_read_only_as_their_type() {
        let r =
            Record::parse(r#"{"a":"x","n":1.5,"l":["p","q"],"mixed":["p",1],"num":2}"#).unwrap();
        assert_eq!(r.text("a").as_deref(), Some("x"));
        assert_eq!(r.text("num"), None);
        assert_eq!(r.text("absent"), None);
        assert_eq!(r.number("n"), Some(1.5));
        assert_eq!(r.number("a"), None);
        assert_eq!(r.texts("l"), Some(vec!["p".to_owned(), "q".to_owned()]));
        assert_eq!(r.texts("mixed"), None);
        assert_eq!(r.texts("a"), None);
        assert!(Record::parse("[1]").is_none());
        assert!(Record::parse("{").is_none());
    }
}
