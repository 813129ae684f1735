//! The response headers a static host should send with the bundle, written beside it by
//! `cargo xtask dist` for the hosts that read them from the site itself: `_headers` and
//! `_redirects` (Netlify, Cloudflare Pages) and `staticwebapp.config.json` (Azure Static Web
//! Apps). docs/deploy.md shows the same headers for nginx and S3 + CloudFront.
//!
//! The policy is the bundle's own (the `<meta>` in index.html, with its script hash) plus what a
//! `<meta>` policy cannot say: `frame-ancestors 'none'`.

use serde_json::json;

/// The headers, in order, for a page whose `<meta>` policy is `policy`.
pub fn headers(policy: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "Content-Security-Policy",
            format!("{policy}; frame-ancestors 'none'"),
        ),
        (
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains".into(),
        ),
        ("X-Content-Type-Options", "nosniff".into()),
        ("Referrer-Policy", "no-referrer".into()),
        ("Cross-Origin-Opener-Policy", "same-origin".into()),
        // For browsers that predate frame-ancestors.
        ("X-Frame-Options", "DENY".into()),
    ]
}

/// Netlify's and Cloudflare Pages' `_headers`: every path under `base`.
pub fn netlify_headers(policy: &str, base: &str) -> String {
    let mut out = format!("{base}*\n");
    for (name, value) in headers(policy) {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    out
}

/// Netlify's `_redirects`: every address the app routes is served index.html (Cloudflare Pages
/// does this by itself when the site has no 404.html).
pub fn netlify_redirects(base: &str) -> String {
    format!("{base}*  {base}index.html  200\n")
}

/// Azure Static Web Apps' `staticwebapp.config.json`: the headers, the fallback to index.html
/// for the app's routes (never for its files), and the wasm MIME type.
pub fn static_web_app(policy: &str, base: &str) -> String {
    let headers: serde_json::Map<String, serde_json::Value> = headers(policy)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into()))
        .collect();
    let config = json!({
        "navigationFallback": {
            "rewrite": format!("{base}index.html"),
            "exclude": ["*.wasm", "*.js", "*.css", "*.json", "*.png", "*.svg", "*.ico"],
        },
        "globalHeaders": headers,
        "mimeTypes": { ".wasm": "application/wasm" },
    });
    serde_json::to_string_pretty(&config).expect("plain JSON") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "default-src 'none'; script-src 'self' 'sha256-abc='";

    #[test]
    fn the_policy_gains_frame_ancestors_and_the_other_headers_come_along() {
        let h = headers(POLICY);
        assert_eq!(h[0].1, format!("{POLICY}; frame-ancestors 'none'"));
        let names: Vec<&str> = h.iter().map(|(n, _)| *n).collect();
        for wanted in [
            "Strict-Transport-Security",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
        ] {
            assert!(names.contains(&wanted), "{wanted}");
        }
    }

    #[test]
    fn each_host_gets_its_own_format_under_the_base_path() {
        let n = netlify_headers(POLICY, "/vigil/");
        assert!(n.starts_with("/vigil/*\n  Content-Security-Policy: default-src 'none'"));
        assert_eq!(netlify_redirects("/"), "/*  /index.html  200\n");
        let swa: serde_json::Value = serde_json::from_str(&static_web_app(POLICY, "/")).unwrap();
        assert_eq!(swa["navigationFallback"]["rewrite"], "/index.html");
        assert_eq!(swa["globalHeaders"]["X-Content-Type-Options"], "nosniff");
        assert_eq!(swa["mimeTypes"][".wasm"], "application/wasm");
    }
}
