//! Identifier normalisation: each function appends the canonical form of one kind of
//! identifier to `out` and says whether there was one, so extraction builds keys in one reused
//! buffer instead of allocating a string per identifier.
//!
//! The rules make two spellings of the same thing equal and nothing else: case is folded where
//! the source system ignores it (names, addresses, hex ids, hashes, hosts) and kept where it
//! matters (URL paths and queries).

/// `str::trim`, without decoding characters when the text starts and ends with a visible
/// ASCII character, as nearly every identifier does: in the wasm build, `trim`'s UTF-8
/// decoding was about a tenth of the time adding alerts to the correlator took (a V8 profile,
/// 100,000 alerts, 2026-12-04).
#[inline]
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// `s` without any leading `c`, an ASCII character (`trim_start_matches` without its
/// searcher).
#[inline]
fn skip_start(s: &str, c: u8) -> &str {
    debug_assert!(c.is_ascii());
    &s[s.bytes().take_while(|&b| b == c).count()..]
}

/// `s` without any trailing `c`, an ASCII character.
#[inline]
fn skip_end(s: &str, c: u8) -> &str {
    debug_assert!(c.is_ascii());
    &s[..s.len() - s.bytes().rev().take_while(|&b| b == c).count()]
}

/// Trimmed, lower-cased text.
pub fn lower(out: &mut String, s: &str) -> bool {
    let s = trim(s);
    if s.is_empty() {
        return false;
    }
    lower_into(out, s);
    true
}

/// Appends `text` lower-cased ([`crate::lowercase`]), without a string of its own (ASCII, nearly
/// every identifier and alert text, is lower-cased in place). The queue's search text uses it
/// too: building the search text of 100,000 alerts took 106 ms with `to_lowercase` per part and
/// 96 ms this way, natively.
pub use crate::lowercase::lower_into;

/// A GUID-like id (Entra object ids, device ids, app ids): lower case, braces dropped.
pub fn guid(out: &mut String, s: &str) -> bool {
    lower(out, skip_end(skip_start(trim(s), b'{'), b'}'))
}

/// A mail address or UPN: lower case, without `mailto:`/`smtp:` and angle brackets. Text
/// without `@` is not an address.
pub fn address(out: &mut String, s: &str) -> bool {
    let mut s = trim(s);
    for prefix in ["mailto:", "smtp:"] {
        if s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
            s = &s[prefix.len()..];
        }
    }
    let s = skip_end(skip_start(s, b'<'), b'>');
    match s.split_once('@') {
        Some((local, domain)) if !trim(local).is_empty() && !trim(domain).is_empty() => {
            lower(out, s)
        }
        _ => false,
    }
}

/// `domain\account` with the NetBIOS-style domain: the first label of a dotted domain
/// (`contoso.com` and `CONTOSO` both give `contoso`), because Defender for Endpoint reports
/// the NetBIOS name and Defender for Identity the DNS name of the same domain. An account
/// name already written `DOMAIN\name` keeps its own domain. Without a domain a bare account
/// name (`administrator`) identifies nothing.
pub fn account(out: &mut String, account_name: &str, domain_name: Option<&str>) -> bool {
    let (domain, name) = match trim(account_name).split_once('\\') {
        Some((d, n)) => (d, n),
        None => (domain_name.unwrap_or(""), account_name),
    };
    let domain = trim(domain);
    let domain = domain.split('.').next().unwrap_or(domain);
    let name = trim(name);
    if domain.is_empty() || name.is_empty() || name.contains('@') {
        return false;
    }
    lower(out, domain);
    out.push('\\');
    lower(out, name)
}

/// A hex digest of `len` digits (md5 32, sha1 40, sha256 64), lower case. Anything else,
/// and the all-zero placeholder some sensors send, is no identifier.
pub fn hash(out: &mut String, s: &str, len: usize) -> bool {
    let s = trim(s);
    if s.len() != len || !s.bytes().all(|b| b.is_ascii_hexdigit()) || s.bytes().all(|b| b == b'0') {
        return false;
    }
    lower(out, s)
}

/// An IP address in its canonical text (`::FFFF:10.0.0.1` and `10.0.0.1` are one address,
/// IPv6 compressed and lower case, brackets dropped). Text that does not parse is no address.
pub fn ip(out: &mut String, s: &str) -> bool {
    super::ip::canonical(out, skip_end(skip_start(trim(s), b'['), b']'))
}

/// A DNS name: lower case, without the root's trailing dot.
pub fn dns(out: &mut String, s: &str) -> bool {
    lower(out, skip_end(trim(s), b'.'))
}

/// A domain as a link between alerts: a DNS name without a leading `www.`.
pub fn domain(out: &mut String, host: &str) -> bool {
    let host = skip_end(trim(host), b'.');
    let host = match host.get(..4) {
        Some(w) if w.eq_ignore_ascii_case("www.") => &host[4..],
        _ => host,
    };
    host.contains('.') && dns(out, host)
}

/// The parts of a URL that [`url`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlParts<'a> {
    /// The host as written (not normalised), for [`domain`] or [`ip`].
    pub host: &'a str,
}

/// A URL: defanged (`hxxp`, `[.]`), scheme and host lower case, credentials, default port
/// and fragment dropped, an empty path written `/`, percent-escapes in upper case; path and
/// query keep their case because servers may not ignore it. Text without a host is no URL.
/// A scheme-less `host/path` is read as `http://host/path`.
pub fn url<'a>(out: &mut String, raw: &'a str, scratch: &'a mut String) -> Option<UrlParts<'a>> {
    let raw = trim(raw);
    let bracketed = raw.bytes().any(|b| b == b'[' || b == b'(');
    let defanged: &str =
        if bracketed && (raw.contains("[.]") || raw.contains("(.)") || raw.contains("[:]")) {
            scratch.clear();
            scratch.push_str(
                &raw.replace("[.]", ".")
                    .replace("(.)", ".")
                    .replace("[:]", ":"),
            );
            scratch
        } else {
            raw
        };
    // The first `://`: if a `:` comes before it, what precedes is no scheme anyway.
    let scheme_end = defanged
        .bytes()
        .position(|b| b == b':')
        .filter(|&i| defanged[i + 1..].starts_with("//"));
    let (scheme, rest) = match scheme_end.map(|i| (&defanged[..i], &defanged[i + 3..])) {
        Some((s, r))
            if !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) =>
        {
            (s, r)
        }
        _ => ("http", defanged),
    };
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = split_port(host_port);
    let host = skip_end(host, b'.');
    let spaced = if host.is_ascii() {
        host.bytes().any(|b| matches!(b, b' ' | b'\t'..=b'\r'))
    } else {
        host.contains(char::is_whitespace)
    };
    if host.is_empty() || spaced {
        return None;
    }
    let scheme_at = out.len();
    if scheme.eq_ignore_ascii_case("hxxp") {
        out.push_str("http");
    } else if scheme.eq_ignore_ascii_case("hxxps") {
        out.push_str("https");
    } else {
        out.push_str(scheme);
        out[scheme_at..].make_ascii_lowercase();
    }
    let default = matches!(
        (&out[scheme_at..], port),
        ("http", Some("80")) | ("https", Some("443"))
    );
    out.push_str("://");
    lower(out, host);
    if let Some(p) = port.filter(|p| !p.is_empty() && !default) {
        out.push(':');
        out.push_str(p);
    }
    let tail = tail.split_once('#').map_or(tail, |(t, _)| t);
    if !tail.starts_with('/') {
        out.push('/');
    }
    push_escapes_upper(out, tail);
    Some(UrlParts { host })
}

/// `host:port`, keeping an IPv6 literal's brackets with the host.
fn split_port(s: &str) -> (&str, Option<&str>) {
    if s.starts_with('[') {
        return match s.find(']') {
            Some(i) => (&s[..=i], s[i + 1..].strip_prefix(':')),
            None => (s, None),
        };
    }
    match s.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (s, None),
    }
}

/// Copies `s`, writing the two hex digits after each `%` in upper case.
fn push_escapes_upper(out: &mut String, s: &str) {
    if !s.contains('%') {
        out.push_str(s);
        return;
    }
    let mut upper_left = 0u8;
    for c in s.chars() {
        if upper_left > 0 {
            upper_left -= 1;
            out.push(c.to_ascii_uppercase());
        } else {
            if c == '%' {
                upper_left = 2;
            }
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_casing_matches_the_standard_library_for_ascii_and_other_text() {
        for text in [
            "Suspicious PowerShell",
            "ÉRIC@contoso.com",
            "ΟΔΟΣ",
            "",
            "A1-B2",
        ] {
            let mut out = String::from("x ");
            lower_into(&mut out, text);
            assert_eq!(
                out,
                format!("x {}", crate::lowercase::lower(text)),
                "{text}"
            );
        }
    }

    fn run(f: impl Fn(&mut String) -> bool) -> Option<String> {
        let mut s = String::new();
        f(&mut s).then_some(s)
    }

    #[test]
    fn names_and_addresses_fold_case() {
        assert_eq!(
            run(|o| address(o, " SMTP:<JDoe@Contoso.COM> ")).as_deref(),
            Some("jdoe@contoso.com")
        );
        assert_eq!(run(|o| address(o, "jdoe")), None);
        assert_eq!(
            run(|o| account(o, "JDoe", Some("CONTOSO.com"))).as_deref(),
            Some("contoso\\jdoe")
        );
        assert_eq!(
            run(|o| account(o, "CONTOSO\\JDoe", None)).as_deref(),
            Some("contoso\\jdoe")
        );
        assert_eq!(run(|o| account(o, "administrator", None)), None);
        assert_eq!(run(|o| guid(o, "{AB-CD}")).as_deref(), Some("ab-cd"));
    }

    #[test]
    fn hashes_ips_and_hosts() {
        assert_eq!(
            run(|o| hash(o, &"AB".repeat(16), 32)).as_deref(),
            Some(&*"ab".repeat(16))
        );
        assert_eq!(run(|o| hash(o, &"0".repeat(64), 64)), None);
        assert_eq!(run(|o| hash(o, "xyz", 3)), None);
        assert_eq!(
            run(|o| ip(o, "::FFFF:10.0.0.1")).as_deref(),
            Some("10.0.0.1")
        );
        assert_eq!(
            run(|o| ip(o, "[2001:DB8:0:0::1]")).as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(run(|o| ip(o, "not-an-ip")), None);
        assert_eq!(
            run(|o| ip(o, " 10.20.255.0 ")).as_deref(),
            Some("10.20.255.0")
        );
        for bad in [
            "10.0.0",
            "10.0.0.1.2",
            "256.0.0.1",
            "010.0.0.1",
            "1..2.3",
            "1.2.3.4.",
        ] {
            assert_eq!(run(|o| ip(o, bad)), None, "{bad}");
        }
        assert_eq!(
            run(|o| dns(o, "Host1.Contoso.com.")).as_deref(),
            Some("host1.contoso.com")
        );
        assert_eq!(
            run(|o| domain(o, "WWW.Evil.example")).as_deref(),
            Some("evil.example")
        );
        assert_eq!(run(|o| domain(o, "localhost")), None);
    }

    #[test]
    fn the_byte_fast_paths_agree_with_the_standard_library() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{a0}a",
            "a\u{2003}",
            "\tx\n",
            "é",
            " é ",
            "x\u{b}",
            "\u{b}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
        assert_eq!(skip_start("{{a}", b'{'), "a}");
        assert_eq!(skip_end("é}}", b'}'), "é");
        assert_eq!(skip_end("}}", b'}'), "");
    }

    #[test]
    fn urls_are_canonical() {
        let norm = |s: &str| {
            let mut out = String::new();
            let mut scratch = String::new();
            url(&mut out, s, &mut scratch).map(|_| out)
        };
        assert_eq!(
            norm("HTTPS://User:pw@Evil.Example:443/A%2fb?Q=1#frag").as_deref(),
            Some("https://evil.example/A%2Fb?Q=1")
        );
        assert_eq!(
            norm("hxxp://evil[.]example").as_deref(),
            Some("http://evil.example/")
        );
        assert_eq!(
            norm("evil.example/x").as_deref(),
            Some("http://evil.example/x")
        );
        assert_eq!(
            norm("http://evil.example:8080?a").as_deref(),
            Some("http://evil.example:8080/?a")
        );
        assert_eq!(norm("http://[::1]:80/").as_deref(), Some("http://[::1]/"));
        assert_eq!(norm("   "), None);
        // A `:` before the first `://` leaves no scheme: the text is a scheme-less URL.
        assert_eq!(
            norm("Host:8080/x://y").as_deref(),
            Some("http://host:8080/x://y")
        );
        assert_eq!(
            norm("FTP://Files.Example/a%2f").as_deref(),
            Some("ftp://files.example/a%2F")
        );
        for spaced in [
            "http://evil.ex\u{b}ample/",
            "http://ex ample/",
            "http://exä\u{2003}mple/",
        ] {
            assert_eq!(norm(spaced), None, "{spaced:?}");
        }
    }
}
