//! Checks on what the user typed before anything is sent, each failing with a sentence that
//! says what to fix.

use crate::models::CaseWrite;
use crate::url::HttpUrl;

/// A name (case, search, hold, review set, export): trimmed, not empty, at most `max` chars.
pub fn name(what: &str, text: &str, max: usize) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("Give the {what} a name."));
    }
    if t.chars().count() > max {
        return Err(format!("The {what} name is longer than {max} characters."));
    }
    if t.chars().any(char::is_control) {
        return Err(format!("The {what} name has a control character."));
    }
    Ok(t.to_owned())
}

/// A name not already used by one of `taken` ([`is_taken`]).
pub fn unique_name<'a>(
    what: &str,
    text: &str,
    max: usize,
    taken: impl IntoIterator<Item = &'a str>,
) -> Result<String, String> {
    let n = name(what, text, max)?;
    if is_taken(&n, taken) {
        return Err(format!(
            "This case already has a {what} named \u{201c}{n}\u{201d}."
        ));
    }
    Ok(n)
}

/// Whether one of `taken` is `name`, compared case-insensitively (non-ASCII letters too), as
/// Purview compares names.
fn is_taken<'a>(name: &str, taken: impl IntoIterator<Item = &'a str>) -> bool {
    taken
        .into_iter()
        .any(|t| t.trim().to_lowercase() == name.to_lowercase())
}

/// A new case as typed: a name (no length limit is documented, so none is checked) that no case
/// of the tenant has (`taken`, compared case-insensitively: the service refuses a second case of
/// the same name), and an external id and a description, each left out when blank.
pub fn new_case<'a>(
    name_text: &str,
    external_id: &str,
    description: &str,
    taken: impl IntoIterator<Item = &'a str>,
) -> Result<CaseWrite, String> {
    let n = name("case", name_text, usize::MAX)?;
    if is_taken(&n, taken) {
        return Err(format!(
            "A case named \u{201c}{n}\u{201d} already exists in this tenant."
        ));
    }
    let given = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
    Ok(CaseWrite {
        display_name: Some(n),
        external_id: given(external_id),
        description: given(description),
    })
}

/// Whether `text` (trimmed) reads as one email address: `local@domain.tld`, no spaces, control
/// characters or angle brackets (a display-name form is not an address). Shared with the
/// threat submission form.
pub fn is_email(text: &str) -> bool {
    let t = text.trim();
    match t.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !t
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        }
        None => false,
    }
}

/// One email address (a custodian, a mailbox source), trimmed; see [`is_email`].
pub fn email(text: &str) -> Result<String, String> {
    let t = text.trim();
    let ok = is_email(t);
    if ok {
        Ok(t.to_owned())
    } else {
        Err(format!("\u{201c}{t}\u{201d} is not an email address."))
    }
}

/// A SharePoint or OneDrive site: an absolute https URL.
pub fn site_url(text: &str) -> Result<String, String> {
    let t = text.trim();
    match HttpUrl::parse(t) {
        Ok(u) if u.scheme() == "https" && !u.host().is_empty() => Ok(t.to_owned()),
        _ => Err(format!(
            "\u{201c}{t}\u{201d} is not a site address (https://…)."
        )),
    }
}

/// A list typed one per line or separated by commas or semicolons, each checked by `check`;
/// every bad entry is named. Duplicates are dropped.
pub fn list(
    text: &str,
    check: impl Fn(&str) -> Result<String, String>,
) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    let mut bad = Vec::new();
    for part in text
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match check(part) {
            Ok(v) if !out.iter().any(|o| o.eq_ignore_ascii_case(&v)) => out.push(v),
            Ok(_) => {}
            Err(e) => bad.push(e),
        }
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(bad.join(" "))
    }
}

/// A KQL query: optional, but balanced quotes and parentheses (Purview refuses the rest).
pub fn kql(text: &str) -> Result<String, String> {
    let t = text.trim();
    let mut depth = 0i32;
    let mut quoted = false;
    for c in t.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth < 0 {
                    return Err("The query closes a parenthesis it never opened.".into());
                }
            }
            _ => {}
        }
    }
    if quoted {
        return Err("The query has an unclosed quotation mark.".into());
    }
    if depth != 0 {
        return Err("The query leaves a parenthesis open.".into());
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_case() {
        let taken = ["Contoso v. Fabrikam", "Ärger GmbH"];
        let c = new_case("  Smith v. Jones ", " 4711 ", "  ", taken).unwrap();
        assert_eq!(c.display_name.as_deref(), Some("Smith v. Jones"));
        assert_eq!(c.external_id.as_deref(), Some("4711"));
        assert_eq!(c.description, None, "a blank description is left out");
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            serde_json::json!({"displayName": "Smith v. Jones", "externalId": "4711"})
        );
        let twice = new_case("contoso V. FABRIKAM", "", "", taken).unwrap_err();
        assert!(twice.contains("already exists"), "{twice}");
        assert!(
            new_case("ärger gmbh", "", "", taken).is_err(),
            "non-ASCII too"
        );
        assert!(
            new_case(" ", "1", "d", taken)
                .unwrap_err()
                .contains("Give the case a name")
        );
        assert!(new_case("a\u{0}b", "", "", taken).is_err());
        assert!(
            new_case(&"x".repeat(5_000), "", "", taken).is_ok(),
            "no made-up limit"
        );
    }

    #[test]
    fn names() {
        assert_eq!(
            name("case", "  Smith v. Jones ", 64).unwrap(),
            "Smith v. Jones"
        );
        assert!(
            name("case", "   ", 64)
                .unwrap_err()
                .contains("Give the case a name")
        );
        assert!(name("review set", &"x".repeat(65), 64).is_err());
        assert!(name("case", "a\u{7}b", 64).is_err());
        let taken = ["Hold 1", "hold 2"];
        assert!(unique_name("legal hold", "HOLD 2", 64, taken).is_err());
        assert_eq!(
            unique_name("legal hold", "Hold 3", 64, taken).unwrap(),
            "Hold 3"
        );
    }

    #[test]
    fn emails_and_sites() {
        assert!(email("erin@contoso.example").is_ok());
        for bad in [
            "erin",
            "@contoso.example",
            "erin@contoso",
            "a b@c.d",
            "a@b@c.d",
            "a@.b",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert!(site_url("https://contoso.sharepoint.com/sites/legal").is_ok());
        assert!(site_url("http://contoso.sharepoint.com").is_err());
        assert!(site_url("javascript:alert(1)").is_err());
    }

    #[test]
    fn lists_name_every_bad_entry_and_drop_duplicates() {
        let ok = list("a@x.io, b@x.io;\nA@X.IO", email).unwrap();
        assert_eq!(ok, ["a@x.io", "b@x.io"]);
        let err = list("a@x.io, nope, also-bad", email).unwrap_err();
        assert!(err.contains("nope") && err.contains("also-bad"), "{err}");
        assert_eq!(list("", email).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn kql_balance() {
        assert!(kql("subject:\"Q3 (draft)\" AND (from:a OR from:b)").is_ok());
        assert!(kql("(a OR b").is_err());
        assert!(kql("a) OR (b").is_err());
        assert!(kql("\"open").is_err());
        assert_eq!(kql("").unwrap(), "");
    }
}
