//! Markup: a view described as data (element, attributes, text, children) and built into the
//! DOM by one function, for the read-only parts of a page: tables, facts, reports.
//!
//! Why not `view!` there: tachys compiles every `view!` into code of its own shape (creation,
//! rebuild, mount and unmount per element tree), and that code is most of what a page costs in
//! the bundle. A page's read-only parts built as `Markup` share one builder and one renderer:
//! the measured figures are in docs/architecture.md ("Bundle size"). Forms, inputs and anything
//! with local state stay `view!`; links (plain `href`s the router follows) carry navigation,
//! so a `Markup` tree needs no event handlers.
//!
//! Text is always a text node and attribute values are set with `setAttribute`: an API string
//! can never become markup. `href` takes only https or same-site addresses; styles go through
//! CSSOM (the CSP allows no inline style attribute).

use std::borrow::Cow;

use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::renderer::types::{Element, Node};
use leptos::tachys::renderer::{CastFrom, Rndr};
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};
use wasm_bindgen::JsCast;

type Str = Cow<'static, str>;

/// One piece of a read-only view.
#[derive(Debug, Clone, PartialEq)]
pub enum Markup {
    El(Box<El>),
    Text(Str),
    List(Vec<Markup>),
}

/// An element with its attributes, CSS properties and children.
#[derive(Debug, Clone, PartialEq)]
pub struct El {
    tag: &'static str,
    attrs: Vec<(&'static str, Str)>,
    styles: Vec<(&'static str, Str)>,
    kids: Vec<Markup>,
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// A new element: `el("td").class("num").text(count)`.
pub fn el(tag: &'static str) -> El {
    El {
        tag,
        attrs: Vec::new(),
        styles: Vec::new(),
        kids: Vec::new(),
    }
}

impl El {
    /// An attribute. Event handler attributes are refused by design: behaviour is in `view!`
    /// code or a link, never in a string.
    pub fn attr(mut self, name: &'static str, value: impl Into<Str>) -> Self {
        assert!(!name.starts_with("on"), "no event handler attributes");
        self.attrs.push((name, value.into()));
        self
    }

    /// The attribute when there is a value.
    pub fn attr_opt(self, name: &'static str, value: Option<impl Into<Str>>) -> Self {
        match value {
            Some(v) => self.attr(name, v),
            None => self,
        }
    }

    pub fn class(self, class: impl Into<Str>) -> Self {
        self.attr("class", class)
    }

    pub fn id(self, id: impl Into<Str>) -> Self {
        self.attr("id", id)
    }

    /// A link target: an https address or one on this site; anything else leaves no `href`.
    pub fn href(self, url: impl Into<Str>) -> Self {
        let url = url.into();
        let safe = url.starts_with("https://")
            || (url.starts_with('/') && !url.starts_with("//"))
            || url.starts_with('?')
            || url.starts_with('#');
        if safe { self.attr("href", url) } else { self }
    }

    /// A CSS property, set through CSSOM.
    pub fn style(mut self, property: &'static str, value: impl Into<Str>) -> Self {
        self.styles.push((property, value.into()));
        self
    }

    /// A text child.
    pub fn text(mut self, text: impl Into<Str>) -> Self {
        self.kids.push(Markup::Text(text.into()));
        self
    }

    pub fn child(mut self, child: impl Into<Markup>) -> Self {
        self.kids.push(child.into());
        self
    }

    pub fn kids<M: Into<Markup>>(mut self, kids: impl IntoIterator<Item = M>) -> Self {
        self.kids.extend(kids.into_iter().map(Into::into));
        self
    }
}

impl From<El> for Markup {
    fn from(e: El) -> Self {
        Markup::El(Box::new(e))
    }
}

impl From<String> for Markup {
    fn from(s: String) -> Self {
        Markup::Text(s.into())
    }
}

impl From<&'static str> for Markup {
    fn from(s: &'static str) -> Self {
        Markup::Text(s.into())
    }
}

impl<M: Into<Markup>> From<Option<M>> for Markup {
    fn from(m: Option<M>) -> Self {
        m.map_or(Markup::List(Vec::new()), Into::into)
    }
}

impl<M: Into<Markup>> From<Vec<M>> for Markup {
    fn from(v: Vec<M>) -> Self {
        Markup::List(v.into_iter().map(Into::into).collect())
    }
}

impl Markup {
    /// Appends this piece's DOM nodes to `out`, each built with its whole subtree.
    fn build_into(&self, svg: bool, out: &mut Vec<Node>) {
        match self {
            Markup::Text(t) => out.push(Rndr::create_text_node(t).unchecked_into()),
            Markup::List(items) => items.iter().for_each(|m| m.build_into(svg, out)),
            Markup::El(e) => {
                let svg = svg || e.tag == "svg";
                let node = Rndr::create_element(e.tag, svg.then_some(SVG_NS));
                for (name, value) in &e.attrs {
                    Rndr::set_attribute(&node, name, value);
                }
                if !e.styles.is_empty() {
                    let style = Rndr::style(&node);
                    for (name, value) in &e.styles {
                        Rndr::set_css_property(&style, name, value);
                    }
                }
                let mut kids = Vec::new();
                e.kids.iter().for_each(|k| k.build_into(svg, &mut kids));
                for kid in &kids {
                    Rndr::insert_node(&node, kid, None);
                }
                out.push(node.unchecked_into());
            }
        }
    }

    /// HTML for a server render: text and attribute values escaped.
    fn write_html(&self, buf: &mut String) {
        match self {
            Markup::Text(t) => escape(t, buf),
            Markup::List(items) => items.iter().for_each(|m| m.write_html(buf)),
            Markup::El(e) => {
                buf.push('<');
                buf.push_str(e.tag);
                for (name, value) in &e.attrs {
                    buf.push(' ');
                    buf.push_str(name);
                    buf.push_str("=\"");
                    escape(value, buf);
                    buf.push('"');
                }
                buf.push('>');
                e.kids.iter().for_each(|k| k.write_html(buf));
                buf.push_str("</");
                buf.push_str(e.tag);
                buf.push('>');
            }
        }
    }
}

fn escape(s: &str, buf: &mut String) {
    for c in s.chars() {
        match c {
            '&' => buf.push_str("&amp;"),
            '<' => buf.push_str("&lt;"),
            '>' => buf.push_str("&gt;"),
            '"' => buf.push_str("&quot;"),
            c => buf.push(c),
        }
    }
}

/// The built nodes, then an empty text node that keeps the place when there are none.
pub struct MarkupState {
    nodes: Vec<Node>,
    anchor: Node,
}

impl Render for Markup {
    type State = MarkupState;

    fn build(self) -> MarkupState {
        let mut nodes = Vec::new();
        self.build_into(false, &mut nodes);
        MarkupState {
            nodes,
            anchor: Rndr::create_text_node("").unchecked_into(),
        }
    }

    fn rebuild(self, state: &mut MarkupState) {
        let mut nodes = Vec::new();
        self.build_into(false, &mut nodes);
        if let Some(parent) = Rndr::get_parent(&state.anchor).and_then(Element::cast_from) {
            for n in &nodes {
                Rndr::insert_node(&parent, n, Some(&state.anchor));
            }
        }
        for old in std::mem::replace(&mut state.nodes, nodes) {
            Rndr::remove(&old);
        }
    }
}

impl Mountable for MarkupState {
    fn unmount(&mut self) {
        self.nodes.iter().for_each(Rndr::remove);
        Rndr::remove(&self.anchor);
    }

    fn mount(&mut self, parent: &Element, marker: Option<&Node>) {
        for n in &self.nodes {
            Rndr::insert_node(parent, n, marker);
        }
        Rndr::insert_node(parent, &self.anchor, marker);
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        let first = self.nodes.first().unwrap_or(&self.anchor);
        match Rndr::get_parent(first).and_then(Element::cast_from) {
            Some(parent) => {
                child.mount(&parent, Some(first));
                true
            }
            None => false,
        }
    }

    fn elements(&self) -> Vec<Element> {
        self.nodes
            .iter()
            .filter_map(|n| n.dyn_ref::<Element>().cloned())
            .collect()
    }
}

leptos::tachys::no_attrs!(Markup);

impl RenderHtml for Markup {
    type AsyncOutput = Self;
    type Owned = Self;
    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Self {
        self
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
        self.write_html(buf);
        *position = Position::NextChild;
    }

    /// Vigil renders on the client only (Leptos's `csr` feature): nothing is hydrated, so a
    /// hydration call builds the nodes afresh.
    fn hydrate<const FROM_SERVER: bool>(self, _cursor: &Cursor, _position: &PositionState) -> MarkupState {
        self.build()
    }

    fn into_owned(self) -> Self {
        self
    }
}

/// An instant in the user's chosen time zone (the offset on hover), or a dash. Read inside a
/// reactive closure, a change of zone rebuilds it.
pub fn time(d: Option<vigil_core::models::DateTime>) -> El {
    use leptos::prelude::Get;
    match d {
        Some(d) => {
            let zone = crate::prefs::use_prefs().time_zone.get();
            let ms = d.unix_millis() as f64;
            el("time")
                .attr("title", crate::time::offset_label(ms, zone))
                .text(crate::time::format_instant(ms, zone))
        }
        None => el("span").class("muted").text("—"),
    }
}
