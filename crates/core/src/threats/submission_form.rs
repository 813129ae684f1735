//! The threat submission form: every field checked before anything is sent, each problem named
//! by its field, and the checked form turned into the body Graph (beta) expects.

use crate::models::{NewThreatSubmission, SubmissionCategory};
use crate::url::HttpUrl;

/// What is submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SubmissionTarget {
    /// An email by its Graph message URL.
    #[default]
    EmailUrl,
    /// An email by its raw content (an .eml file).
    EmailContent,
    Url,
    /// A file by its content, optionally checked against an expected SHA-256.
    File,
}

impl SubmissionTarget {
    pub const ALL: [SubmissionTarget; 4] = [
        SubmissionTarget::EmailUrl,
        SubmissionTarget::EmailContent,
        SubmissionTarget::Url,
        SubmissionTarget::File,
    ];

    /// The short name used in addresses (`?kind=url`).
    pub fn key(self) -> &'static str {
        match self {
            SubmissionTarget::EmailUrl => "email",
            SubmissionTarget::EmailContent => "eml",
            SubmissionTarget::Url => "url",
            SubmissionTarget::File => "file",
        }
    }

    pub fn from_key(key: &str) -> Option<SubmissionTarget> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            SubmissionTarget::EmailUrl => "Email (message URL)",
            SubmissionTarget::EmailContent => "Email (.eml content)",
            SubmissionTarget::Url => "URL",
            SubmissionTarget::File => "File",
        }
    }
}

/// A problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name (`web_url`, `sha256`, …), as the form's inputs are named.
    pub field: &'static str,
    pub message: String,
}

/// An absolute `http(s)` URL with a host.
pub fn check_web_url(s: &str) -> Result<(), String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("Enter the URL to submit.".into());
    }
    if s.chars().any(char::is_whitespace) {
        return Err("A URL has no spaces.".into());
    }
    match HttpUrl::parse(s) {
        Ok(u) if !u.host().is_empty() => Ok(()),
        Ok(_) => Err("The URL has no host.".into()),
        Err(e) => Err(format!("Enter an absolute http:// or https:// URL ({e}).")),
    }
}

/// A SHA-256 in hex: 64 hex digits (spaces around are ignored, either case).
pub fn check_sha256(s: &str) -> Result<(), String> {
    let s = s.trim();
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(format!(
            "A SHA-256 is 64 hexadecimal digits (0-9, a-f); this has {} characters{}.",
            s.chars().count(),
            if s.chars().all(|c| c.is_ascii_hexdigit()) {
                ""
            } else {
                ", some not hexadecimal"
            }
        ))
    }
}

/// An email address: `local@domain.tld`, no spaces (the same rule as eDiscovery's custodians).
pub fn check_email(s: &str) -> Result<(), String> {
    let ok = crate::ediscovery::validate::is_email(s);
    if ok {
        Ok(())
    } else {
        Err("Enter the recipient's email address (name@example.com).".into())
    }
}

/// A Graph message URL: `https://graph.microsoft.com/…/messages/{id}`.
pub fn check_message_url(s: &str) -> Result<(), String> {
    check_web_url(s)?;
    let u = HttpUrl::parse(s.trim()).map_err(|e| e.to_string())?;
    if u.scheme() != "https" {
        return Err("A message URL is an https:// Graph address.".into());
    }
    match u.path().split_once("/messages/") {
        Some((_, id)) if !id.is_empty() && !id.contains('/') => Ok(()),
        _ => Err("Enter the message's Graph URL, ending in /messages/{message id}.".into()),
    }
}

/// A file name: not empty, no folders, at most 255 characters.
pub fn check_file_name(s: &str) -> Result<(), String> {
    let s = s.trim();
    if s.is_empty() {
        Err("Enter the file's name.".into())
    } else if s.contains(['/', '\\']) {
        Err("A file name has no folders (no / or \\).".into())
    } else if s.chars().count() > 255 {
        Err("A file name has at most 255 characters.".into())
    } else {
        Ok(())
    }
}

/// Raw email content: header lines (`Name: value`) before the first empty line, including
/// `From:`.
pub fn check_eml(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        return Err("Choose the .eml file of the message.".into());
    }
    let headers: Vec<&str> = s
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| !l.starts_with([' ', '\t']))
        .collect();
    let well_formed = headers.iter().all(|h| {
        h.split_once(':')
            .is_some_and(|(n, _)| !n.is_empty() && !n.contains(' '))
    });
    let has_from = headers
        .iter()
        .any(|h| h.to_ascii_lowercase().starts_with("from:"));
    if well_formed && has_from {
        Ok(())
    } else {
        Err("That is not an email message (.eml): it needs its headers, including From:.".into())
    }
}

/// Everything the form holds. The app reads files; the form only checks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SubmissionForm {
    pub target: SubmissionTarget,
    pub category: Option<SubmissionCategory>,
    pub recipient: String,
    pub message_url: String,
    /// The chosen .eml file's text.
    pub eml: String,
    pub web_url: String,
    pub file_name: String,
    /// The chosen file's content, base64.
    pub file_base64: String,
    /// The chosen file's SHA-256 (computed by the app when it read the file).
    pub file_sha256: Option<String>,
    /// The SHA-256 the file must have (from alert evidence, say); optional.
    pub expected_sha256: String,
}

impl SubmissionForm {
    /// Every problem of the form, in field order (empty when it can be sent).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let mut check = |field: &'static str, r: Result<(), String>| {
            if let Err(message) = r {
                out.push(FieldError { field, message });
            }
        };
        check(
            "category",
            match &self.category {
                Some(
                    SubmissionCategory::Unrecognized(_) | SubmissionCategory::UnknownFutureValue,
                )
                | None => Err("Choose what it is: spam, phishing, malware or not junk.".into()),
                Some(_) => Ok(()),
            },
        );
        match self.target {
            SubmissionTarget::EmailUrl => {
                check("recipient", check_email(&self.recipient));
                check("message_url", check_message_url(&self.message_url));
            }
            SubmissionTarget::EmailContent => {
                check("recipient", check_email(&self.recipient));
                check("eml", check_eml(&self.eml));
            }
            SubmissionTarget::Url => check("web_url", check_web_url(&self.web_url)),
            SubmissionTarget::File => {
                check("file_name", check_file_name(&self.file_name));
                let expected = self.expected_sha256.trim();
                if !expected.is_empty() {
                    check("sha256", check_sha256(expected));
                }
                check(
                    "file",
                    match (&self.file_sha256, self.file_base64.is_empty()) {
                        (_, true) | (None, _) => Err("Choose the file to submit.".into()),
                        (Some(actual), false)
                            if check_sha256(expected).is_ok()
                                && !actual.eq_ignore_ascii_case(expected) =>
                        {
                            Err(format!(
                                "The chosen file's SHA-256 is {actual}, not the expected one: is it the right file?"
                            ))
                        }
                        _ => Ok(()),
                    },
                );
            }
        }
        out
    }

    /// The request body, or every problem. `base64` encodes the .eml's bytes.
    pub fn to_submission(
        &self,
        base64: impl Fn(&[u8]) -> String,
    ) -> Result<NewThreatSubmission, Vec<FieldError>> {
        let problems = self.problems();
        let Some(category) = self.category.clone().filter(|_| problems.is_empty()) else {
            return Err(problems);
        };
        Ok(match self.target {
            SubmissionTarget::EmailUrl => NewThreatSubmission::email_url(
                category,
                self.recipient.trim(),
                self.message_url.trim(),
            ),
            SubmissionTarget::EmailContent => NewThreatSubmission::email_content(
                category,
                self.recipient.trim(),
                base64(self.eml.as_bytes()),
            ),
            SubmissionTarget::Url => NewThreatSubmission::url(category, self.web_url.trim()),
            SubmissionTarget::File => {
                NewThreatSubmission::file(category, self.file_name.trim(), self.file_base64.clone())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_absolute_http_or_https() {
        assert_eq!(check_web_url("https://invoice-share.net/a?b=c"), Ok(()));
        assert_eq!(check_web_url("  http://10.0.0.1:8080/x "), Ok(()));
        for bad in [
            "",
            "invoice-share.net/login",
            "ftp://example.com/file",
            "javascript:alert(1)",
            "https://",
            "https://exa mple.com",
            "https://user:pw@example.com/",
        ] {
            assert!(check_web_url(bad).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn a_sha256_is_64_hex_digits() {
        let good = "a".repeat(64);
        assert_eq!(check_sha256(&good), Ok(()));
        assert_eq!(
            check_sha256(&format!(" {} ", "0123456789ABCDEF".repeat(4))),
            Ok(())
        );
        assert!(check_sha256(&"a".repeat(63)).is_err());
        assert!(check_sha256(&"a".repeat(65)).is_err());
        let e = check_sha256(&format!("{}zz", "a".repeat(62))).unwrap_err();
        assert!(e.contains("not hexadecimal"), "{e}");
        assert!(check_sha256("").is_err());
    }

    #[test]
    fn emails_message_urls_names_and_eml() {
        assert_eq!(check_email("megan@contoso.com"), Ok(()));
        for bad in [
            "megan",
            "megan@contoso",
            "@contoso.com",
            "a@b@c.com",
            "a b@c.com",
            "a@.com",
        ] {
            assert!(check_email(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            check_message_url("https://graph.microsoft.com/beta/users/u1/messages/AAMk="),
            Ok(())
        );
        assert!(check_message_url("https://graph.microsoft.com/beta/users/u1/messages/").is_err());
        assert!(check_message_url("http://graph.microsoft.com/beta/users/u1/messages/x").is_err());
        assert!(check_message_url("https://example.com/inbox").is_err());
        assert_eq!(check_file_name("invoice.html"), Ok(()));
        assert!(check_file_name("C:\\temp\\a.exe").is_err());
        assert!(check_file_name(" ").is_err());
        assert_eq!(
            check_eml("From: a@b.com\r\nSubject: hi\r\n\r\nbody"),
            Ok(())
        );
        assert!(check_eml("just some text").is_err());
        assert!(check_eml("Subject: no sender\n\nbody").is_err());
    }

    #[test]
    fn the_form_names_every_problem_and_sends_nothing_until_none() {
        let mut f = SubmissionForm {
            target: SubmissionTarget::Url,
            web_url: "not a url".into(),
            ..Default::default()
        };
        let fields: Vec<&str> = f.problems().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["category", "web_url"]);
        assert!(f.to_submission(|_| String::new()).is_err());
        f.category = Some(SubmissionCategory::Phishing);
        f.web_url = " https://invoice-share.net/login ".into();
        let s = f.to_submission(|_| String::new()).unwrap();
        assert_eq!(
            s.web_url.as_deref(),
            Some("https://invoice-share.net/login")
        );
        assert_eq!(s.collection(), "urlThreats");
    }

    #[test]
    fn a_file_must_match_its_expected_hash() {
        let mut f = SubmissionForm {
            target: SubmissionTarget::File,
            category: Some(SubmissionCategory::Malware),
            file_name: "a.exe".into(),
            expected_sha256: "12345".into(),
            ..Default::default()
        };
        let fields: Vec<&str> = f.problems().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["sha256", "file"]);
        f.expected_sha256 = "b".repeat(64);
        f.file_base64 = "TVo=".into();
        f.file_sha256 = Some("c".repeat(64));
        assert_eq!(f.problems()[0].field, "file", "the wrong file is refused");
        f.file_sha256 = Some("B".repeat(64));
        assert_eq!(f.problems(), []);
        let s = f.to_submission(|_| unreachable!()).unwrap();
        assert_eq!(s.file_content.as_deref(), Some("TVo="));
    }

    #[test]
    fn an_eml_is_sent_as_base64_of_its_text() {
        let f = SubmissionForm {
            target: SubmissionTarget::EmailContent,
            category: Some(SubmissionCategory::Spam),
            recipient: "megan@contoso.com".into(),
            eml: "From: x@y.com\n\nhi".into(),
            ..Default::default()
        };
        let s = f.to_submission(|b| format!("<{}>", b.len())).unwrap();
        assert_eq!(s.file_content.as_deref(), Some("<17>"));
        assert_eq!(
            s.recipient_email_address.as_deref(),
            Some("megan@contoso.com")
        );
    }
}
