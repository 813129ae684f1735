//! The queries "Go hunt" opens for an entity, over `AlertEvidence`: every alert that names it.

/// A KQL string literal holding `s` (backslash and quote escaped, control characters dropped).
pub fn kql_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What a hunt is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HuntTarget {
    /// A device by its Defender id and/or DNS name.
    Device {
        id: Option<String>,
        name: Option<String>,
    },
    Ip(String),
    /// A URL or a domain.
    Url(String),
    /// A file by its SHA-256.
    File(String),
    /// A user by UPN.
    Account(String),
}

impl HuntTarget {
    /// The alerts whose evidence names the target, newest first.
    pub fn query(&self) -> String {
        let condition = match self {
            HuntTarget::Device { id, name } => {
                let mut parts = Vec::new();
                if let Some(id) = id.as_deref().filter(|s| !s.is_empty()) {
                    parts.push(format!("DeviceId == {}", kql_string(id)));
                }
                if let Some(name) = name.as_deref().filter(|s| !s.is_empty()) {
                    parts.push(format!("DeviceName =~ {}", kql_string(name)));
                }
                if parts.is_empty() {
                    parts.push("DeviceId != \"\"".into());
                }
                parts.join(" or ")
            }
            HuntTarget::Ip(ip) => format!("RemoteIP == {}", kql_string(ip)),
            HuntTarget::Url(u) => format!("RemoteUrl contains {}", kql_string(u)),
            HuntTarget::File(h) => format!("SHA256 =~ {}", kql_string(h)),
            HuntTarget::Account(upn) => format!("AccountUpn =~ {}", kql_string(upn)),
        };
        format!(
            "AlertEvidence\n| where {condition}\n| distinct Timestamp, AlertId, Title, ServiceSource\n| order by Timestamp desc"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_so_a_value_cannot_end_the_literal() {
        assert_eq!(kql_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(kql_string("x\ny"), "\"xy\"");
    }

    #[test]
    fn a_device_hunt_matches_its_id_or_its_name() {
        let q = HuntTarget::Device {
            id: Some("abc".into()),
            name: Some("ws-01.contoso.com".into()),
        }
        .query();
        assert!(q.starts_with("AlertEvidence\n| where DeviceId == \"abc\" or DeviceName =~ \"ws-01.contoso.com\"\n"), "{q}");
        let q = HuntTarget::Device {
            id: None,
            name: Some("x".into()),
        }
        .query();
        assert!(q.contains("| where DeviceName =~ \"x\"\n"), "{q}");
        assert!(
            HuntTarget::Ip("1.2.3.4".into())
                .query()
                .contains("RemoteIP == \"1.2.3.4\"")
        );
    }
}
