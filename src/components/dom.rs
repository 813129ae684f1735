//! Plain DOM described as data: a tree of values (a tag, its attributes, its children, its
//! listeners) and one function, built once, that turns any tree into DOM nodes. Leptos keeps
//! the reactive part: [`live`] draws a tree again whenever a signal read while drawing it
//! changes, and replaces what it drew before. The eDiscovery page draws its tables this way,
//! from the reads it keeps, every second while operations run.
//!
//! It was written to cost fewer bytes than `view!`, and measured it does not: the Overview
//! drawn both ways came out 0.8 kB apart (docs/architecture.md). Whether the eDiscovery page
//! moves to `view!` is open. The alert queue's lines are built with it too ([`element`]), and
//! then kept and rewritten in place (src/pages/alerts/lines.rs says what it measured). Nothing
//! else should start using this.
//!
//! Safety: text is always a text node and attributes go through `setAttribute`, so no API
//! string is ever parsed as HTML; `href`s are built by the pages from routes or checked https
//! addresses.
//!
//! Redrawing replaces the subtree, inputs included: an input a user types into belongs in a tree
//! that nothing redraws while they type (the case list's filters are drawn once and read the
//! address bar when used).

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// A listener: gets the DOM event.
pub type Handler = Rc<dyn Fn(web_sys::Event)>;

/// A node to draw.
pub enum H {
    El(Box<El>),
    Text(String),
}

/// Runs on an element once it is built, children included, before it is shown.
pub type Built = Box<dyn FnOnce(&web_sys::Element)>;

pub struct El {
    tag: &'static str,
    attrs: Vec<(&'static str, String)>,
    kids: Vec<H>,
    on: Vec<(&'static str, Handler)>,
    built: Option<Built>,
}

/// An element.
pub fn el(tag: &'static str) -> H {
    H::El(Box::new(El {
        tag,
        attrs: Vec::new(),
        kids: Vec::new(),
        on: Vec::new(),
        built: None,
    }))
}

/// A text node.
pub fn text(t: &str) -> H {
    H::Text(t.to_owned())
}

/// An element with a class and text.
pub fn tx(tag: &'static str, class: &str, t: &str) -> H {
    el(tag).cls(class).child(text(t))
}

impl H {
    fn inner(&mut self) -> &mut El {
        match self {
            H::El(e) => e,
            H::Text(_) => unreachable!("text nodes take no attributes or children"),
        }
    }

    /// An attribute. Not `style`: the CSP refuses style attributes (set CSS properties through
    /// the CSS object model instead, as Leptos's `style:` does).
    pub fn attr(mut self, name: &'static str, value: &str) -> H {
        self.inner().attrs.push((name, value.to_owned()));
        self
    }

    /// `attr("class", …)`, skipped when empty.
    pub fn cls(self, class: &str) -> H {
        if class.is_empty() {
            self
        } else {
            self.attr("class", class)
        }
    }

    pub fn id(self, id: &str) -> H {
        self.attr("id", id)
    }

    /// A boolean attribute, set when `on`.
    pub fn flag(self, name: &'static str, on: bool) -> H {
        if on { self.attr(name, "") } else { self }
    }

    pub fn child(mut self, kid: H) -> H {
        self.inner().kids.push(kid);
        self
    }

    /// Text as a child.
    pub fn t(self, t: &str) -> H {
        self.child(text(t))
    }

    pub fn kids(mut self, kids: Vec<H>) -> H {
        self.inner().kids.extend(kids);
        self
    }

    /// Listens to `event` (`"click"`, `"input"`, `"change"`, `"submit"`, …).
    pub fn on(mut self, event: &'static str, f: impl Fn(web_sys::Event) + 'static) -> H {
        self.inner().on.push((event, Rc::new(f)));
        self
    }

    /// Runs `f` on the element once it is built (a canvas to draw on, say).
    pub fn built(mut self, f: impl FnOnce(&web_sys::Element) + 'static) -> H {
        self.inner().built = Some(Box::new(f));
        self
    }

    /// A click that needs no event: the default action (following a link, submitting a form)
    /// is prevented.
    pub fn click(self, f: impl Fn() + 'static) -> H {
        self.on("click", move |e| {
            e.prevent_default();
            f();
        })
    }
}

/// The listeners of what a [`live`] drew last; dropped (and so released) when it draws again.
type Kept = Vec<Closure<dyn Fn(web_sys::Event)>>;

fn build(doc: &web_sys::Document, h: H, kept: &mut Kept) -> web_sys::Node {
    match h {
        H::Text(t) => doc.create_text_node(&t).into(),
        H::El(e) => {
            let El {
                tag,
                attrs,
                kids,
                on,
                built,
            } = *e;
            let node = doc.create_element(tag).expect("a valid tag name");
            for (name, value) in attrs {
                let _ = node.set_attribute(name, &value);
            }
            for (event, f) in on {
                let c = Closure::<dyn Fn(web_sys::Event)>::new(move |ev| f(ev));
                let _ = node.add_event_listener_with_callback(event, c.as_ref().unchecked_ref());
                kept.push(c);
            }
            for kid in kids {
                let _ = node.append_child(&build(doc, kid, kept));
            }
            if let Some(f) = built {
                f(&node);
            }
            node.into()
        }
    }
}

/// `h` as a DOM element, for a caller that keeps and changes it itself (the queue's lines).
/// Listeners are not kept: such a tree listens through its holder.
pub fn element(h: H) -> web_sys::Element {
    build(&document(), h, &mut Kept::new()).unchecked_into()
}

/// A `<div class="live">` that holds what `draw` returns, drawn again whenever a signal it
/// read changes.
pub fn live(draw: impl Fn() -> H + 'static) -> AnyView {
    live_boxed(Box::new(draw))
}

fn live_boxed(draw: Box<dyn Fn() -> H>) -> AnyView {
    let holder = NodeRef::<leptos::html::Div>::new();
    let kept: Rc<RefCell<Kept>> = Rc::default();
    Effect::new(move |_| {
        let Some(div) = holder.get() else { return };
        let tree = draw();
        let mut now = Kept::new();
        let node = build(&document(), tree, &mut now);
        div.replace_children_with_node_1(&node);
        // Leptos runs effects after the event that changed a signal has been handled, so the
        // listener that caused this redraw is not running while it is released here.
        *kept.borrow_mut() = now;
    });
    view! { <div class="live" node_ref=holder></div> }.into_any()
}

/// The value of the input, select or textarea an event came from.
pub fn value_of(e: &web_sys::Event) -> String {
    e.target()
        .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}
