//! Client-side navigation over the History API: the current path and query as signals, links
//! that stay in the app, back and forward.
//!
//! Vigil's routes are a flat list of fixed paths (`crate::routes`), so this replaces
//! `leptos_router` (nested matching, params, server rendering: none of it used), which cost about
//! a twentieth of the shipped wasm. Every `<a href>` to this app navigates in place, as it did
//! there: a click with a modifier key, a middle click, `target`, `download` or `rel="external"`
//! is left to the browser.
//!
//! The app may be hosted below a base path (`/vigil/`, as GitHub Pages does), fixed at build
//! time by `VIGIL_BASE_PATH` (`cargo xtask dist --base /vigil/`). Everything inside the app
//! speaks app paths (`/alerts`); only this module and [`href`] see the base.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

use crate::routes::canonical;

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

/// The base path as built, without its trailing slash: empty at the origin's root.
fn base() -> &'static str {
    option_env!("VIGIL_BASE_PATH")
        .unwrap_or_default()
        .trim_end_matches('/')
}

/// The address of an app path in the address bar: `/alerts?x=1` under `/vigil` is
/// `/vigil/alerts?x=1`. Every link to a page of the app is written through this.
pub fn href(app_path: &str) -> String {
    with_base(base(), app_path)
}

fn with_base(base: &str, app_path: &str) -> String {
    format!("{base}{app_path}")
}

/// The app path of a path in the address bar, or `None` when it lies outside the app.
fn app_path<'a>(base: &str, browser_path: &'a str) -> Option<&'a str> {
    match browser_path.strip_prefix(base)? {
        "" => Some("/"),
        rest if rest.starts_with('/') => Some(rest),
        _ => None,
    }
}

/// The route the browser is on now (app path, query and fragment), for coming back to it
/// after a sign-in redirect.
pub fn route_now() -> String {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    format!(
        "{}{}{}",
        app_path(base(), &path).unwrap_or("/"),
        location.search().unwrap_or_default(),
        location.hash().unwrap_or_default()
    )
}

#[derive(Clone, Copy)]
struct Router {
    /// (app path, query without `?`): the address bar without the base path.
    url: RwSignal<(String, String)>,
}

/// The address bar now, canonical, without the fragment.
fn current() -> (String, String) {
    let location = window().location();
    let path = location.pathname().unwrap_or_else(|_| "/".to_owned());
    // Outside the base there is no page of ours; the path is kept to say so.
    let path = app_path(base(), &path).map_or(path.clone(), str::to_owned);
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

/// An app address: `path`, with `?search` when there is a query (`/alerts`, `/alerts?sort=x`).
pub fn join(path: &str, search: &str) -> String {
    if search.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{search}")
    }
}

/// Puts an app address in the address bar.
fn push(url: &str, replace: bool) {
    let Ok(history) = window().history() else {
        return;
    };
    let url = href(url);
    let _ = if replace {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url))
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
    let pathname = a.pathname();
    let Some(path) = app_path(base(), &pathname) else {
        return;
    };
    e.prevent_default();
    let search = a.search();
    let to = join(path, search.strip_prefix('?').unwrap_or(&search));
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
    view! { <a href=self::href(href) aria-current=current>{children()}</a> }
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
    }

    #[test]
    fn a_base_path_is_added_to_links_and_taken_off_the_address_bar() {
        assert_eq!(with_base("", "/alerts?x=1"), "/alerts?x=1");
        assert_eq!(with_base("/vigil", "/"), "/vigil/");
        assert_eq!(with_base("/vigil", "/alerts"), "/vigil/alerts");
        assert_eq!(app_path("", "/alerts"), Some("/alerts"));
        assert_eq!(app_path("/vigil", "/vigil/alerts"), Some("/alerts"));
        assert_eq!(app_path("/vigil", "/vigil/"), Some("/"));
        assert_eq!(app_path("/vigil", "/vigil"), Some("/"));
        assert_eq!(app_path("/vigil", "/vigilant/alerts"), None);
        assert_eq!(app_path("/vigil", "/alerts"), None);
        assert!(
            !base().ends_with('/') && (base().is_empty() || base().starts_with('/')),
            "VIGIL_BASE_PATH must be empty or start with a slash"
        );
    }
}
