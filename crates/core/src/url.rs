//! Just enough URL handling for a browser OAuth client, without the `url` crate (whose IDNA
//! and Unicode normalisation tables would ship in the wasm bundle):
//!
//! - [`HttpUrl`]: an absolute `http`/`https` URL split into scheme, host, port, path, query
//!   and fragment; [`origin_of`] builds the origin the bearer-token checks compare.
//! - [`form_encode`], [`form_serialize`], [`form_parse`]: `application/x-www-form-urlencoded`
//!   as the WHATWG URL standard defines it (space is `+`), for authorize URLs, token request
//!   bodies and the sign-in callback's query. The decoding is the `url` crate's own, from its
//!   small `form_urlencoded` and `percent-encoding` crates, which carry no IDNA tables; the
//!   encoding is [`percent_encode_into`]'s.
//!
//! The parser is deliberately stricter than a browser: whatever it accepts, a browser reads
//! as the same origin, and anything unusual in the scheme or authority (credentials,
//! backslashes, percent-escapes, whitespace, non-ASCII host names) is refused instead of being
//! normalised. A refused link is never requested, so strictness can only fail closed.

use std::fmt;

/// Why a string is not an absolute http(s) URL [`HttpUrl::parse`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlError {
    /// No `scheme://` at the start.
    Relative,
    /// A scheme other than `http` or `https`.
    Scheme,
    /// `user:password@` before the host.
    Credentials,
    /// An empty host, or one with characters a host name cannot have (including non-ASCII:
    /// write international names in their `xn--` form).
    Host,
    /// A port that is not a number from 0 to 65535.
    Port,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlError::Relative => "relative URL without a base",
            UrlError::Scheme => "the scheme is not http or https",
            UrlError::Credentials => "credentials in a URL are not allowed",
            UrlError::Host => "invalid host name (international names need their xn-- form)",
            UrlError::Port => "invalid port number",
        })
    }
}

impl std::error::Error for UrlError {}

/// An absolute `http:` or `https:` URL, borrowed from the string it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl<'a> {
    https: bool,
    /// Lower-case; an IPv6 literal keeps its brackets.
    host: String,
    /// `None` when absent or the scheme's default (80, 443).
    port: Option<u16>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

impl<'a> HttpUrl<'a> {
    /// Parses `scheme://host[:port][/path][?query][#fragment]`. The scheme and host are
    /// case-insensitive; path, query and fragment are kept verbatim.
    pub fn parse(input: &'a str) -> Result<Self, UrlError> {
        let (scheme, rest) = input.split_once("://").ok_or(UrlError::Relative)?;
        let https = if scheme.eq_ignore_ascii_case("https") {
            true
        } else if scheme.eq_ignore_ascii_case("http") {
            false
        } else if is_scheme(scheme) {
            return Err(UrlError::Scheme);
        } else {
            return Err(UrlError::Relative);
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        if authority.contains('@') {
            return Err(UrlError::Credentials);
        }
        let (host, port) = split_host_port(authority)?;
        let port = match port {
            None | Some("") => None,
            Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => {
                // Leading zeros are allowed (`:0443` is 443), as in a browser.
                let digits = p.trim_start_matches('0');
                let n: u16 = if digits.is_empty() {
                    0
                } else if digits.len() > 5 {
                    return Err(UrlError::Port);
                } else {
                    digits.parse().map_err(|_| UrlError::Port)?
                };
                (n != if https { 443 } else { 80 }).then_some(n)
            }
            Some(_) => return Err(UrlError::Port),
        };
        let (before_fragment, fragment) = match tail.split_once('#') {
            Some((b, f)) => (b, Some(f)),
            None => (tail, None),
        };
        let (path, query) = match before_fragment.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (before_fragment, None),
        };
        Ok(HttpUrl {
            https,
            host: host.to_ascii_lowercase(),
            port,
            path,
            query,
            fragment,
        })
    }

    /// `"http"` or `"https"`.
    pub fn scheme(&self) -> &'static str {
        if self.https { "https" } else { "http" }
    }

    /// The host, lower-case (`[…]` for an IPv6 literal).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The explicit port, `None` when absent or the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The path as written: empty, or starting with `/`.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The query without its `?`, `None` when there is no `?`.
    pub fn query(&self) -> Option<&'a str> {
        self.query
    }

    /// The fragment without its `#`, `None` when there is no `#`.
    pub fn fragment(&self) -> Option<&'a str> {
        self.fragment
    }

    /// `scheme://host[:port]`, the default port left out: what the browser's `origin` says.
    pub fn origin(&self) -> String {
        match self.port {
            Some(p) => format!("{}://{}:{p}", self.scheme(), self.host),
            None => format!("{}://{}", self.scheme(), self.host),
        }
    }

    /// Whether the URL is nothing but an origin (an empty or `/` path, no query, no fragment).
    pub fn is_origin_only(&self) -> bool {
        matches!(self.path, "" | "/") && self.query.is_none() && self.fragment.is_none()
    }
}

/// `scheme://host[:port]`, lower-cased, default port dropped; `None` if `url` is not an
/// absolute http(s) URL [`HttpUrl::parse`] accepts.
pub fn origin_of(url: &str) -> Option<String> {
    HttpUrl::parse(url).ok().map(|u| u.origin())
}

/// RFC 3986 `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn is_scheme(s: &str) -> bool {
    let mut b = s.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphabetic())
        && b.all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
}

/// Splits `host[:port]` or `[v6]:port` and checks the host's characters.
fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), UrlError> {
    if let Some(v6) = authority.strip_prefix('[') {
        let (inside, after) = v6.split_once(']').ok_or(UrlError::Host)?;
        let ok = inside.contains(':')
            && inside
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !ok {
            return Err(UrlError::Host);
        }
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or(UrlError::Port)?),
        };
        return Ok((&authority[..inside.len() + 2], port));
    }
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    let ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
    if ok {
        Ok((host, port))
    } else {
        Err(UrlError::Host)
    }
}

/// Percent-encodes `s` for an `application/x-www-form-urlencoded` name or value (WHATWG):
/// ASCII letters, digits and `*-._` stay, space becomes `+`, every other byte of the UTF-8
/// becomes `%XX`.
pub fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    form_encode_into(s, &mut out);
    out
}

/// `k1=v1&k2=v2`, each name and value [`form_encode`]d, in the given order.
pub fn form_serialize<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        form_encode_into(k, &mut out);
        out.push('=');
        form_encode_into(v, &mut out);
    }
    out
}

/// Parses `application/x-www-form-urlencoded` text (a query without its `?`, or a body) as
/// the WHATWG URL standard does: `&`-separated, empty parts skipped, the first `=` splits
/// name from value (no `=`: an empty value), `+` is a space, `%XX` is a byte. It never fails:
/// a `%` not followed by two hex digits stays as it is, and bytes that are not UTF-8 become
/// U+FFFD.
pub fn form_parse(s: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(s.as_bytes()).into_owned().collect()
}

/// Decodes one form-encoded name or value (see [`form_parse`]).
pub fn form_decode(s: &str) -> String {
    // `+` is a space only where it is written; an escaped `%2B` decodes to `+` afterwards.
    let spaced = s.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

/// Appends `s` with every byte but ASCII letters, digits and the bytes of `keep` written as
/// `%XX` (non-ASCII bytes included): the one percent-encoder behind the OData query values and
/// path segments, and the form encoding. Written here rather than taken from `percent-encoding`,
/// whose encoder ships a 768-byte table of every `%XX`.
pub(crate) fn percent_encode_into(s: &str, keep: &[u8], out: &mut String) {
    for &b in s.as_bytes() {
        push_byte(b, keep, out);
    }
}

fn push_byte(b: u8, keep: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    if b.is_ascii_alphanumeric() || keep.contains(&b) {
        out.push(b as char);
    } else {
        out.push('%');
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
}

/// `application/x-www-form-urlencoded`: a space is `+`; letters, digits and `*-._` stay.
fn form_encode_into(s: &str, out: &mut String) {
    for &b in s.as_bytes() {
        if b == b' ' {
            out.push('+');
        } else {
            push_byte(b, b"*-._", out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_urls_are_split_into_parts() {
        let u =
            HttpUrl::parse("HTTPS://Login.MicrosoftOnline.com:443/t1/oauth2?a=1&b#frag").unwrap();
        assert_eq!(u.scheme(), "https");
        assert_eq!(u.host(), "login.microsoftonline.com");
        assert_eq!(u.port(), None);
        assert_eq!(u.path(), "/t1/oauth2");
        assert_eq!(u.query(), Some("a=1&b"));
        assert_eq!(u.fragment(), Some("frag"));
        assert_eq!(u.origin(), "https://login.microsoftonline.com");
        assert!(!u.is_origin_only());

        let u = HttpUrl::parse("http://127.0.0.1:8082").unwrap();
        assert_eq!(
            (u.host(), u.port(), u.path()),
            ("127.0.0.1", Some(8082), "")
        );
        assert!(u.is_origin_only());
        assert!(
            HttpUrl::parse("https://graph.microsoft.com/")
                .unwrap()
                .is_origin_only()
        );
        assert!(
            !HttpUrl::parse("https://graph.microsoft.com/v1.0")
                .unwrap()
                .is_origin_only()
        );
        assert!(
            !HttpUrl::parse("https://graph.microsoft.com?x")
                .unwrap()
                .is_origin_only()
        );
        assert!(
            !HttpUrl::parse("https://graph.microsoft.com/#x")
                .unwrap()
                .is_origin_only()
        );

        let u = HttpUrl::parse("http://[::1]:8080/x?").unwrap();
        assert_eq!(
            (u.host(), u.port(), u.query()),
            ("[::1]", Some(8080), Some(""))
        );
        assert_eq!(u.origin(), "http://[::1]:8080");
    }

    #[test]
    fn ports_are_normalised_like_a_browser_does() {
        assert_eq!(origin_of("http://h:80/").as_deref(), Some("http://h"));
        assert_eq!(origin_of("https://h:0443").as_deref(), Some("https://h"));
        assert_eq!(origin_of("https://h:80").as_deref(), Some("https://h:80"));
        assert_eq!(origin_of("http://h:/x").as_deref(), Some("http://h"));
        assert_eq!(origin_of("http://h:0").as_deref(), Some("http://h:0"));
        assert_eq!(
            origin_of("http://h:65535").as_deref(),
            Some("http://h:65535")
        );
        assert_eq!(HttpUrl::parse("http://h:65536"), Err(UrlError::Port));
        assert_eq!(
            HttpUrl::parse("http://h:000000080"),
            Ok(HttpUrl::parse("http://h").unwrap())
        );
        assert_eq!(HttpUrl::parse("http://h:1x"), Err(UrlError::Port));
        assert_eq!(HttpUrl::parse("http://h:-1"), Err(UrlError::Port));
        assert_eq!(HttpUrl::parse("http://[::1]x"), Err(UrlError::Port));
    }

    #[test]
    fn anything_a_browser_might_read_differently_is_refused() {
        use UrlError::*;
        for (input, why) in [
            ("/v1.0/relative", Relative),
            ("graph.microsoft.com", Relative),
            ("", Relative),
            ("javascript:alert(1)", Relative),
            ("ftp://graph.microsoft.com/", Scheme),
            ("wss://graph.microsoft.com/", Scheme),
            ("https://graph.microsoft.com@evil.example/", Credentials),
            ("https://u:p@graph.microsoft.com/", Credentials),
            ("https://", Host),
            ("https:///path", Host),
            ("https://:443", Host),
            ("https://graph.microsoft.com\\@evil.example/", Credentials),
            ("https://graph.microsoft.com\\.evil.example/", Host),
            ("https://graph%2emicrosoft.com/", Host),
            ("https://gr aph.microsoft.com/", Host),
            ("https://graph.micro\tsoft.com/", Host),
            ("https://bücher.example/", Host),
            ("https://[::1/", Host),
            ("https://[evil.example]/", Host),
            (" https://graph.microsoft.com", Relative),
        ] {
            assert_eq!(HttpUrl::parse(input), Err(why), "{input:?}");
        }
        assert!(HttpUrl::parse("https://xn--bcher-kva.example/").is_ok());
        assert!(HttpUrl::parse("https://under_score.example/").is_ok());
        // Non-ASCII after the authority is the path's business, not the origin's.
        assert_eq!(
            origin_of("https://h/ünï?q=ü#ü").as_deref(),
            Some("https://h")
        );
        assert!(UrlError::Relative.to_string().contains("relative URL"));
    }

    #[test]
    fn form_encoding_keeps_only_the_safe_set() {
        assert_eq!(form_encode("abcXYZ019*-._"), "abcXYZ019*-._");
        assert_eq!(form_encode("a b+c"), "a+b%2Bc");
        assert_eq!(
            form_encode("https://h/cb?x=1&y=2#f"),
            "https%3A%2F%2Fh%2Fcb%3Fx%3D1%26y%3D2%23f"
        );
        assert_eq!(form_encode("%~!'()"), "%25%7E%21%27%28%29");
        assert_eq!(form_encode("é€😀"), "%C3%A9%E2%82%AC%F0%9F%98%80");
        assert_eq!(form_encode("\n\0"), "%0A%00");
        assert_eq!(form_encode(""), "");
        assert_eq!(
            form_serialize([("scope", "openid profile"), ("a&b", "c=d")]),
            "scope=openid+profile&a%26b=c%3Dd"
        );
        assert_eq!(form_serialize([]), "");
        assert_eq!(form_serialize([("k", "")]), "k=");
    }

    #[test]
    fn form_parsing_reads_plus_as_space_and_escaped_plus_as_plus() {
        assert_eq!(form_decode("a+b%20c%2Bd"), "a b c+d");
        assert_eq!(form_decode("%2b%2F"), "+/");
        assert_eq!(
            form_parse("code=abc&state=s%2B1&&flag&e=&=v&x=1=2"),
            [
                ("code".into(), "abc".into()),
                ("state".into(), "s+1".into()),
                ("flag".into(), String::new()),
                ("e".into(), String::new()),
                (String::new(), "v".into()),
                ("x".into(), "1=2".into()),
            ]
        );
        assert!(form_parse("").is_empty());
    }

    #[test]
    fn malformed_escapes_and_bad_utf8_never_fail() {
        assert_eq!(form_decode("100%"), "100%");
        assert_eq!(form_decode("%zz%4"), "%zz%4");
        assert_eq!(form_decode("%+1"), "% 1");
        assert_eq!(form_decode("%4"), "%4");
        assert_eq!(form_decode("%41%"), "A%");
        assert_eq!(form_decode("%FF"), "\u{FFFD}");
        assert_eq!(form_decode("%C3%A9t%C3"), "ét\u{FFFD}");
        assert_eq!(form_decode("ü"), "ü");
    }

    #[test]
    fn form_round_trips() {
        let samples = [
            "",
            " ",
            "+",
            "%",
            "%20",
            "a=b&c=d",
            "https://graph.microsoft.com/SecurityAlert.Read.All offline_access",
            "ünïcödé 漢字 😀",
            "\u{0}\u{7f}\u{80}\u{10FFFF}",
            "~!@#$^*()_+-={}[]|\\:;\"'<>,.?/`",
        ];
        for s in samples {
            assert_eq!(form_decode(&form_encode(s)), s, "{s:?}");
            let body = form_serialize([(s, s), ("k", s)]);
            assert_eq!(
                form_parse(&body),
                [(s.to_string(), s.to_string()), ("k".into(), s.to_string())],
                "{s:?}"
            );
        }
        // Every byte value survives (as far as it is UTF-8).
        let all: String = (0u32..0x800).filter_map(char::from_u32).collect();
        assert_eq!(form_decode(&form_encode(&all)), all);
    }
}
