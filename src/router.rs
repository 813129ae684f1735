//! Client-side navigation over the History API: the current path and query as signals, links
//! that stay in the app, back and forward.
//!
//! Vigil's routes are a flat list of fixed paths, so this replaces `leptos_router` (nested
//! matching, params, base paths, server rendering: none of it used), which cost about a twentieth
//! of the shipped wasm. Every `<a href>` to this origin navigates in place, as it did there: a
//! click with a modifier key, a middle click, `target`, `download` or `rel="external"` is left
//! to the browser.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

/// Where the app is: the path and the query string (without its `?`), each a signal.
#[derive(Clone, Copy)]
pub struct Location {
    pub pathname: Memo<String>,
    pub search: Memo<String>,
}

/// How [`use_navigate`]'s function moves.
#[derive(Clone, Copy)]
pub struct NavigateOptions {
    /// Replace the current history entry instead of adding one (filters typed as you go).
    pub replace: bool,
    /// Scroll to the top afterwards (a new page), or keep the scroll position (a new filter).
    pub scroll: bool,
}

impl Default for NavigateOptions {
    fn default() -> Self {
        Self {
            replace: false,
            scroll: true,
        }
    }
}

#[derive(Clone, Copy)]
struct Router {
    /// (path, query without `?`), as the address bar shows them.
    url: RwSignal<(String, String)>,
}

/// The path a route is reached at when its address has another spelling: `/threats` opens its
/// first tab.
fn canonical(path: &str) -> Option<&'static str> {
    (path == "/threats").then_some("/threats/submissions")
}

/// The address bar now, canonical, without the fragment.
fn current() -> (String, String) {
    let location = window().location();
    let path = location.pathname().unwrap_or_else(|_| "/".to_owned());
    let search = location.search().unwrap_or_default();
    let search = search.strip_prefix('?').unwrap_or(&search).to_owned();
    match canonical(&path) {
        Some(to) => {
            let to = join(to, &search);
            push(&to, true);
            (to_path(&to), search)
        }
        None => (path, search),
    }
}

fn to_path(url: &str) -> String {
    url.split(['?', '#']).next().unwrap_or("/").to_owned()
}

fn join(path: &str, search: &str) -> String {
    if search.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{search}")
    }
}

fn push(url: &str, replace: bool) {
    let Ok(history) = window().history() else {
        return;
    };
    let _ = if replace {
        history.replace_state_with_url(&JsValue::NULL, "", Some(url))
    } else {
        history.push_state_with_url(&JsValue::NULL, "", Some(url))
    };
}

/// Provides the location to everything inside and keeps it in step with the address bar.
#[component]
pub fn Router(children: Children) -> impl IntoView {
    let url = RwSignal::new(current());
    provide_context(Router { url });
    let popstate = window_event_listener(ev::popstate, move |_| url.set(current()));
    let click = window_event_listener(ev::click, move |e| follow_link(&e, url));
    on_cleanup(move || {
        popstate.remove();
        click.remove();
    });
    children()
}

/// A click on a link to this origin: navigate in place instead of loading the page again.
fn follow_link(e: &web_sys::MouseEvent, url: RwSignal<(String, String)>) {
    if e.default_prevented()
        || e.button() != 0
        || e.meta_key()
        || e.alt_key()
        || e.ctrl_key()
        || e.shift_key()
    {
        return;
    }
    let Some(a) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("a[href]").ok().flatten())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    let external = a
        .get_attribute("rel")
        .is_some_and(|rel| rel.split_ascii_whitespace().any(|r| r == "external"));
    if !a.target().is_empty() || a.has_attribute("download") || external {
        return;
    }
    let here = window().location();
    if here.origin().ok() != Some(a.origin()) {
        return;
    }
    // A link to a fragment of this very page only scrolls; the browser does that.
    let same_page =
        here.pathname().ok() == Some(a.pathname()) && here.search().ok() == Some(a.search());
    if same_page && !a.hash().is_empty() {
        return;
    }
    e.prevent_default();
    let search = a.search();
    let to = join(&a.pathname(), search.strip_prefix('?').unwrap_or(&search));
    go(url, &to, NavigateOptions::default());
}

fn go(url: RwSignal<(String, String)>, to: &str, options: NavigateOptions) {
    let path = to_path(to);
    let (path, to) = match canonical(&path) {
        Some(c) => (c.to_owned(), format!("{c}{}", &to[path.len()..])),
        None => (path, to.to_owned()),
    };
    let search = to
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or_default())
        .unwrap_or_default()
        .to_owned();
    push(&to, options.replace);
    url.set((path, search));
    if options.scroll {
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

fn router() -> Router {
    expect_context::<Router>()
}

/// The current location; call inside [`Router`].
pub fn use_location() -> Location {
    let url = router().url;
    Location {
        pathname: Memo::new(move |_| url.with(|(path, _)| path.clone())),
        search: Memo::new(move |_| url.with(|(_, search)| search.clone())),
    }
}

/// A function that moves to an address in this app (`/alerts?severity=high`).
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone + 'static {
    let url = router().url;
    move |to: &str, options: NavigateOptions| go(url, to, options)
}

/// Whether `href` is the page shown at `path`: the same path, or (unless `exact`) a page under
/// it, as a section's link is current on its tabs.
pub fn is_current(href: &str, path: &str, exact: bool) -> bool {
    path == href
        || (!exact
            && path
                .strip_prefix(href)
                .is_some_and(|rest| rest.starts_with('/')))
}

/// A navigation link that marks itself `aria-current="page"` while its page is shown.
#[component]
pub fn NavLink(
    href: &'static str,
    #[prop(optional)] exact: bool,
    children: Children,
) -> impl IntoView {
    let path = use_location().pathname;
    let current = move || path.with(|p| is_current(href, p, exact)).then_some("page");
    view! { <a href=href aria-current=current>{children()}</a> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_link_is_current_on_its_pages_and_not_on_its_neighbours() {
        assert!(is_current("/threats", "/threats/hunting", false));
        assert!(is_current("/threats", "/threats", false));
        assert!(!is_current("/threats", "/threatsx", false));
        assert!(!is_current("/", "/alerts", true));
        assert!(is_current("/", "/", true));
    }

    #[test]
    fn an_address_splits_into_its_path_and_query() {
        assert_eq!(to_path("/alerts?severity=high#x"), "/alerts");
        assert_eq!(to_path("/alerts#x"), "/alerts");
        assert_eq!(join("/alerts", ""), "/alerts");
        assert_eq!(join("/alerts", "a=b"), "/alerts?a=b");
        assert_eq!(canonical("/threats"), Some("/threats/submissions"));
        assert_eq!(canonical("/threats/hunting"), None);
    }
}
