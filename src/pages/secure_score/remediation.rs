//! A control's remediation, which the service sends as HTML, reduced to text and https links.
//! The browser's DOMParser builds a document that runs no script; only its text and the `href`
//! of https links are read from it, and the page renders those as text. No API string is ever
//! handed to `innerHTML`.
//!
//! One more step comes first: Chromium still dispatches `error` events in a parsed document
//! (an `<img src=x onerror=…>` is fetched, fails, and its handler is refused only by the CSP,
//! which reports a violation). So every element that loads something, plays, or fires events
//! by itself is renamed before parsing (`<img` -> `<vigil-x-img`): an unknown element does
//! nothing at all.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::queue::safe_href;

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Link { text: String, href: String },
}

/// Elements whose content is never shown (code, styles, embedded documents, controls).
/// Void elements such as `img` or `input` are not here: renamed by [`defuse`] they are no
/// longer void, so what follows them in the source becomes their content and must be read.
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "object",
    "svg",
    "math",
    "head",
    "title",
    "video",
    "audio",
    "canvas",
    "form",
    "button",
    "select",
    "textarea",
    "xmp",
    "noembed",
    "noframes",
    "plaintext",
];

/// Renamed before parsing: they fetch, play, run, toggle or are documents of their own.
const DEFUSED: &[&str] = &[
    "img",
    "image",
    "picture",
    "video",
    "audio",
    "source",
    "track",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "link",
    "meta",
    "base",
    "input",
    "script",
    "style",
    "body",
    "details",
    "marquee",
    "form",
    "button",
    "select",
    "textarea",
    "template",
    "keygen",
    "bgsound",
    "isindex",
    "noscript",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "dialog",
    "portal",
    "fencedframe",
    "html",
    "head",
];

/// The prefix given to the [`DEFUSED`] elements.
const PREFIX: &str = "vigil-x-";

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// `html` with every start or end tag of a [`DEFUSED`] element renamed (case-insensitively)
/// and every attribute whose name starts with `on` renamed to `x-on…`, read the way the HTML
/// tokenizer reads tags (names end at a space, `/` or `>`; values quoted or not). The parser
/// then builds unknown, inert elements with no event handler attributes: Chromium checks an
/// `on…` attribute against the CSP as soon as it is parsed, in any element.
pub fn defuse(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 16);
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let start = i + 1 + usize::from(b.get(i + 1) == Some(&b'/'));
        if !b.get(start).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let mut j = start;
        while j < b.len() && !is_space(b[j]) && b[j] != b'/' && b[j] != b'>' {
            j += 1;
        }
        if DEFUSED
            .iter()
            .any(|d| d.eq_ignore_ascii_case(&html[start..j]))
        {
            out.push_str(&html[last..start]);
            out.push_str(PREFIX);
            last = start;
        }
        // The attributes, up to the end of the tag.
        loop {
            while j < b.len() && (is_space(b[j]) || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let name = j;
            // The first character belongs to the name whatever it is (even `=`).
            j += 1;
            while j < b.len() && !is_space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
                j += 1;
            }
            if b[name..j]
                .get(..2)
                .is_some_and(|n| n.eq_ignore_ascii_case(b"on"))
            {
                out.push_str(&html[last..name]);
                out.push_str("x-");
                last = name;
            }
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            if b.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    j += 1;
                    while j < b.len() && b[j] != q {
                        j += 1;
                    }
                    j += 1;
                }
                _ => {
                    while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                        j += 1;
                    }
                }
            }
        }
        i = j;
    }
    out.push_str(&html[last..]);
    out
}

/// Elements that start a new paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "section",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "hr",
];

/// Paragraphs being built.
#[derive(Default)]
struct Out {
    blocks: Vec<Vec<Inline>>,
    cur: Vec<Inline>,
}

impl Out {
    fn text(&mut self, t: &str) {
        let t: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            return;
        }
        let lead = t.len() < 2 || !t.starts_with([',', '.', ';', ':', ')']);
        match self.cur.last_mut() {
            Some(Inline::Text(prev)) => {
                if lead {
                    prev.push(' ');
                }
                prev.push_str(&t);
            }
            Some(_) if lead => self.cur.push(Inline::Text(format!(" {t}"))),
            _ => self.cur.push(Inline::Text(t)),
        }
    }

    fn end_block(&mut self) {
        if !self.cur.is_empty() {
            self.blocks.push(std::mem::take(&mut self.cur));
        }
    }
}

fn walk(node: &web_sys::Node, out: &mut Out) {
    match node.node_type() {
        web_sys::Node::TEXT_NODE => {
            if let Some(t) = node.text_content() {
                out.text(&t);
            }
        }
        web_sys::Node::ELEMENT_NODE => {
            let Some(el) = node.dyn_ref::<web_sys::Element>() else {
                return;
            };
            let full = el.local_name().to_ascii_lowercase();
            let tag = full.strip_prefix(PREFIX).unwrap_or(&full).to_owned();
            if SKIPPED.contains(&tag.as_str()) {
                return;
            }
            let block = BLOCKS.contains(&tag.as_str());
            if block {
                out.end_block();
            }
            if tag == "li" {
                out.text("•");
            }
            let link = (tag == "a")
                .then(|| el.get_attribute("href"))
                .flatten()
                .and_then(|h| safe_href(&h));
            match link {
                Some(href) => {
                    let text: String = el
                        .text_content()
                        .unwrap_or_default()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let text = if text.is_empty() { href.clone() } else { text };
                    if let Some(Inline::Text(prev)) = out.cur.last_mut()
                        && !prev.ends_with(' ')
                    {
                        prev.push(' ');
                    }
                    out.cur.push(Inline::Link { text, href });
                }
                None => {
                    let children = node.child_nodes();
                    for i in 0..children.length() {
                        if let Some(c) = children.item(i) {
                            walk(&c, out);
                        }
                    }
                }
            }
            if block {
                out.end_block();
            }
        }
        _ => {}
    }
}

/// The remediation as paragraphs of text and https links. `None` when the browser cannot parse.
pub fn reduce(html: &str) -> Option<Vec<Vec<Inline>>> {
    let parser = web_sys::DomParser::new().ok()?;
    let doc = parser
        .parse_from_string(&defuse(html), web_sys::SupportedType::TextHtml)
        .ok()?;
    let body = doc.body()?;
    let mut out = Out::default();
    walk(&body, &mut out);
    out.end_block();
    Some(out.blocks)
}

#[component]
pub fn Remediation(html: String) -> impl IntoView {
    let blocks = reduce(&html);
    view! {
        <div class="remediation" id="detail-remediation">
            {match blocks {
                Some(blocks) => blocks.into_iter().map(|b| view! {
                    <p>{b.into_iter().map(|i| match i {
                        Inline::Text(t) => leptos::either::Either::Left(t),
                        Inline::Link { text, href } => leptos::either::Either::Right(view! {
                            <a href=href target="_blank" rel="noopener noreferrer">{text}</a>
                        }),
                    }).collect_view()}</p>
                }).collect_view().into_any(),
                None => view! { <p class="muted">"The remediation could not be read."</p> }.into_any(),
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_remediation_defuses_active_elements() {
        assert_eq!(
            defuse("<p>a</p><IMG src=x onerror=\"alert(1)\"><img/src=x><script>x</script>"),
            "<p>a</p><vigil-x-IMG src=x x-onerror=\"alert(1)\"><vigil-x-img/src=x><vigil-x-script>x</vigil-x-script>"
        );
        assert_eq!(
            defuse("<details open ontoggle=x><svg/onload=y></svg></details>"),
            "<vigil-x-details open x-ontoggle=x><vigil-x-svg/x-onload=y></vigil-x-svg></vigil-x-details>"
        );
        // Handlers on any element, in any case, after quoted values holding `>` and `on…`.
        assert_eq!(
            defuse("<p title='a > onclick=1' OnClick = \"b\" data-on=1 on>t</p>"),
            "<p title='a > onclick=1' x-OnClick = \"b\" data-on=1 x-on>t</p>"
        );
        // Text, comments and names that only start like a defused one stay as they are.
        assert_eq!(
            defuse("<imgx> <i>a < b</i> on=1 <a href=x>"),
            "<imgx> <i>a < b</i> on=1 <a href=x>"
        );
        assert_eq!(defuse("<"), "<");
        assert_eq!(defuse("<p onclick"), "<p x-onclick");
        assert_eq!(defuse("é<img alt='é'>é"), "é<vigil-x-img alt='é'>é");
    }
}
