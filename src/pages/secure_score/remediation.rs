//! A control's remediation, which the service sends as HTML, reduced to text and https links.
//! The browser's DOMParser builds an inert document (it runs no script and loads nothing);
//! only its text and the `href` of https links are read from it, and the page renders those
//! as text. No API string is ever handed to `innerHTML`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::queue::safe_href;

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Link { text: String, href: String },
}

/// Elements whose content is never shown (code, styles, embedded documents).
const SKIPPED: &[&str] = &[
    "script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
    "head", "title", "img", "video", "audio", "canvas", "form", "input", "button", "select",
    "textarea",
];

/// Elements that start a new paragraph.
const BLOCKS: &[&str] = &[
    "p", "div", "li", "ul", "ol", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
    "section", "blockquote", "pre", "dl", "dt", "dd", "hr",
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
            let tag = el.local_name().to_ascii_lowercase();
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
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
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
