//! Completes the Content-Security-Policy of the built `index.html`.
//!
//! Trunk injects one inline `<script type="module">` that starts the wasm module. The policy
//! allows exactly that script by its SHA-256 hash, computed here from the built file, so no
//! `'unsafe-inline'` and no static nonce is ever needed.

use base64::Engine;
use sha2::{Digest, Sha256};

const META_START: &str = "http-equiv=\"Content-Security-Policy\" content=\"";

/// The policy of a page's `<meta>` tag.
pub fn policy(html: &str) -> Option<&str> {
    let start = html.find(META_START)? + META_START.len();
    let len = html[start..].find('"')?;
    Some(&html[start..start + len])
}

/// Adds the hashes of every inline script to `script-src`, and `extra_connect` origins to
/// `connect-src`. Fails when the page has no policy or a directive is missing, so a broken
/// template cannot ship without one.
pub fn finalize(html: &str, extra_connect: &[&str]) -> Result<String, String> {
    let hashes: Vec<String> = inline_scripts(html)
        .iter()
        .map(|body| {
            let digest = Sha256::digest(body.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let start = html
        .find(META_START)
        .ok_or("index.html has no Content-Security-Policy meta tag")?
        + META_START.len();
    let len = html[start..]
        .find('"')
        .ok_or("unterminated Content-Security-Policy")?;
    let policy = &html[start..start + len];
    let policy = add_sources(policy, "script-src", &hashes)?;
    let extra: Vec<String> = extra_connect.iter().map(|s| s.to_string()).collect();
    let policy = add_sources(&policy, "connect-src", &extra)?;
    Ok(format!(
        "{}{}{}",
        &html[..start],
        policy,
        &html[start + len..]
    ))
}

/// The text of every `<script>` element that has no `src`.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let after_open = &rest[open..];
        let Some(tag_end) = after_open.find('>') else {
            break;
        };
        let tag = &after_open[..tag_end];
        let body_and_more = &after_open[tag_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            found.push(&body_and_more[..close]);
        }
        rest = &body_and_more[close..];
    }
    found
}

fn add_sources(policy: &str, directive: &str, sources: &[String]) -> Result<String, String> {
    let mut found = false;
    let parts: Vec<String> = policy
        .split(';')
        .map(|part| {
            let trimmed = part.trim();
            if trimmed.split_whitespace().next() == Some(directive) {
                found = true;
                let mut out = trimmed.to_string();
                for s in sources {
                    if !trimmed.split_whitespace().any(|t| t == s) {
                        out.push(' ');
                        out.push_str(s);
                    }
                }
                out
            } else {
                trimmed.to_string()
            }
        })
        .filter(|p| !p.is_empty())
        .collect();
    if !found {
        return Err(format!(
            "the Content-Security-Policy has no {directive} directive"
        ));
    }
    Ok(parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = concat!(
        "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ",
        "script-src 'self'; connect-src 'self'\"><script src=\"/a.js\"></script></head>",
        "<body><script type=\"module\">import init from '/a.js';</script></body></html>"
    );

    #[test]
    fn hashes_the_inline_script_only() {
        let out = finalize(PAGE, &[]).unwrap();
        let digest = Sha256::digest(b"import init from '/a.js';");
        let hash = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(
            out.contains(&format!("script-src 'self' 'sha256-{hash}'")),
            "{out}"
        );
        assert_eq!(out.matches("sha256-").count(), 1);
    }

    #[test]
    fn adds_connect_origins_once() {
        let once = finalize(PAGE, &["http://127.0.0.1:*"]).unwrap();
        let twice = finalize(&once, &["http://127.0.0.1:*"]).unwrap();
        assert!(
            twice.contains("connect-src 'self' http://127.0.0.1:*\""),
            "{twice}"
        );
        assert_eq!(once, twice);
    }

    #[test]
    fn refuses_a_page_without_policy() {
        assert!(finalize("<html><script>x</script></html>", &[]).is_err());
    }
}
