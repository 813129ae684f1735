//! Checks on what the user typed before anything is sent, each failing with a sentence that
//! says what to fix.

use crate::models::{CaseWrite, NewDataSource, NewHoldPolicy, SearchWrite};
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
        .any(|t| crate::lowercase::lower(t.trim()) == crate::lowercase::lower(name))
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

/// Custodians to add to a case: addresses typed one per line or separated by commas or
/// semicolons ([`list`]), none of them already a custodian (`existing`, compared
/// case-insensitively), at least one.
pub fn new_custodians<'a>(
    text: &str,
    existing: impl IntoIterator<Item = &'a str> + Clone,
) -> Result<Vec<String>, String> {
    let emails = list(text, email)?;
    if emails.is_empty() {
        return Err("Type the address of at least one custodian.".into());
    }
    let already: Vec<&str> = emails
        .iter()
        .map(String::as_str)
        .filter(|e| is_taken(e, existing.clone()))
        .collect();
    if !already.is_empty() {
        return Err(format!(
            "Already a custodian of this case: {}.",
            already.join(", ")
        ));
    }
    Ok(emails)
}

/// Where a new search looks (`dataSourceScopes`), as the form offers it: the value sent and
/// what it means.
pub const SEARCH_SCOPES: [(&str, &str); 4] = [
    ("allCaseCustodians", "the case's custodians"),
    (
        "allCaseNoncustodialDataSources",
        "the case's non-custodial sources",
    ),
    ("allTenantMailboxes", "every mailbox of the tenant"),
    ("allTenantSites", "every site of the tenant"),
];

/// A new search as typed: a name no search of the case has (`taken`), a query Purview will
/// parse ([`kql`]; blank searches everything in scope) and one of [`SEARCH_SCOPES`].
pub fn new_search<'a>(
    name_text: &str,
    query: &str,
    scope: &str,
    taken: impl IntoIterator<Item = &'a str>,
) -> Result<SearchWrite, String> {
    let n = unique_name("search", name_text, usize::MAX, taken)?;
    let q = kql(query)?;
    if !SEARCH_SCOPES.iter().any(|(s, _)| *s == scope) {
        return Err(format!(
            "\u{201c}{scope}\u{201d} is not a place a search can look."
        ));
    }
    Ok(SearchWrite {
        display_name: Some(n),
        content_query: Some(q).filter(|q| !q.is_empty()),
        data_source_scopes: Some(scope.to_owned()),
        ..SearchWrite::default()
    })
}

/// A new legal hold as typed: a name no hold of the case has (`taken`), a query Purview will
/// parse ([`kql`]; blank holds everything), and what it holds: mailboxes (with their OneDrive)
/// and sites, at least one of them. Sent in one request, the sources bound to the policy.
pub fn new_hold<'a>(
    name_text: &str,
    query: &str,
    mailboxes: &str,
    sites: &str,
    taken: impl IntoIterator<Item = &'a str>,
) -> Result<NewHoldPolicy, String> {
    let n = unique_name("hold", name_text, usize::MAX, taken)?;
    let q = kql(query)?;
    let users = list(mailboxes, email)?;
    let sites = list(sites, site_url)?;
    if users.is_empty() && sites.is_empty() {
        return Err("Name at least one mailbox or site to hold.".into());
    }
    Ok(NewHoldPolicy {
        display_name: n,
        description: None,
        content_query: Some(q).filter(|q| !q.is_empty()),
        is_enabled: Some(true),
        user_sources: users
            .into_iter()
            .map(|e| NewDataSource::user(e, Some("mailbox,site")))
            .collect(),
        site_sources: sites.into_iter().map(NewDataSource::site).collect(),
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
    fn new_custodians_are_addresses_not_yet_in_the_case() {
        let existing = ["Erin@Contoso.example", "bo@contoso.example"];
        assert_eq!(
            new_custodians("ann@contoso.example;\n cy@contoso.example", existing).unwrap(),
            ["ann@contoso.example", "cy@contoso.example"]
        );
        let twice =
            new_custodians("ann@contoso.example, erin@contoso.EXAMPLE", existing).unwrap_err();
        assert!(twice.contains("erin@contoso.EXAMPLE"), "{twice}");
        assert!(!twice.contains("ann@"), "{twice}");
        assert!(
            new_custodians(" , ", existing)
                .unwrap_err()
                .contains("at least one")
        );
        assert!(new_custodians("ann", existing).unwrap_err().contains("ann"));
    }

    #[test]
    fn a_new_search() {
        let taken = ["Q3 mail"];
        let s = new_search(" Board ", " subject:merger ", "allCaseCustodians", taken).unwrap();
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            serde_json::json!({"displayName": "Board", "contentQuery": "subject:merger",
                "dataSourceScopes": "allCaseCustodians"})
        );
        let everything = new_search("All", "  ", "allTenantSites", taken).unwrap();
        assert_eq!(everything.content_query, None, "a blank query is left out");
        assert!(
            new_search("q3 MAIL", "", "allCaseCustodians", taken)
                .unwrap_err()
                .contains("already")
        );
        assert!(
            new_search("B", "(a", "allCaseCustodians", taken)
                .unwrap_err()
                .contains("parenthesis")
        );
        assert!(new_search("B", "", "everywhere", taken).is_err());
        assert!(new_search("", "a", "allCaseCustodians", taken).is_err());
    }

    #[test]
    fn a_new_hold() {
        let taken = ["Board hold"];
        let h = new_hold(
            " Finance hold ",
            "subject:\"Q3\"",
            "adele@contoso.com\nAdele@contoso.com, megan@contoso.com",
            "https://contoso.sharepoint.com/sites/finance",
            taken,
        )
        .unwrap();
        let user = "microsoft.graph.security.userSource";
        assert_eq!(
            serde_json::to_value(&h).unwrap(),
            serde_json::json!({
                "displayName": "Finance hold",
                "contentQuery": "subject:\"Q3\"",
                "isEnabled": true,
                "userSources@odata.bind": [
                    {"@odata.type": user, "email": "adele@contoso.com", "includedSources": "mailbox,site"},
                    {"@odata.type": user, "email": "megan@contoso.com", "includedSources": "mailbox,site"},
                ],
                "siteSources@odata.bind": [
                    {"@odata.type": "microsoft.graph.security.siteSource",
                     "site": {"webUrl": "https://contoso.sharepoint.com/sites/finance"}},
                ],
            })
        );
        let blank = new_hold(
            "Only sites",
            " ",
            "",
            "https://contoso.sharepoint.com/sites/x",
            taken,
        );
        assert_eq!(
            blank.unwrap().content_query,
            None,
            "a blank query holds everything"
        );
        let twice = new_hold("board HOLD", "", "a@b.co", "", taken).unwrap_err();
        assert!(twice.contains("already has a hold"), "{twice}");
        let nothing = new_hold("Empty", "", " ", "", taken).unwrap_err();
        assert!(
            nothing.contains("at least one mailbox or site"),
            "{nothing}"
        );
        let bad = new_hold("Bad", "(a", "not-an-address", "", taken).unwrap_err();
        assert!(
            bad.contains("parenthesis"),
            "the query is checked first: {bad}"
        );
        let bad = new_hold("Bad", "", "not-an-address", "http://x.example", taken).unwrap_err();
        assert!(bad.contains("not an email address"), "{bad}");
        let site = new_hold("Bad", "", "", "http://x.example", taken).unwrap_err();
        assert!(site.contains("not a site address"), "{site}");
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
