//! The page table: every page's path, title and place in the navigation, in one list that the
//! router, the sidebar, the section tabs, the document title and the tests all read.

use crate::auth::CALLBACK_PATH;
use crate::pages::ThreatTab;

/// What is shown at a path.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Page {
    Overview,
    Alerts,
    Incidents,
    Correlation,
    CorrelationEntity,
    SecureScore,
    Ediscovery,
    Threats(ThreatTab),
    Settings,
    Callback,
    NotFound,
}

/// Where a page appears in the navigation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Nav {
    /// A link of its own in the sidebar, with this label.
    Sidebar(&'static str),
    /// A tab of a section: the sidebar links the section's path, which opens its first tab.
    Tab {
        section: &'static str,
        section_label: &'static str,
        label: &'static str,
    },
    /// Reached by its address only.
    Hidden,
}

/// One page of the app.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// The path inside the app (the base path, if any, comes before it in the address bar).
    pub path: &'static str,
    /// The document title, before " · Vigil".
    pub title: &'static str,
    pub nav: Nav,
    pub page: Page,
}

const THREATS: &str = "/threats";

/// Every page, in the sidebar's order.
pub const ROUTES: &[Route] = &[
    route("/", "Overview", Nav::Sidebar("Overview"), Page::Overview),
    route("/alerts", "Alerts", Nav::Sidebar("Alerts"), Page::Alerts),
    route(
        "/incidents",
        "Incidents",
        Nav::Sidebar("Incidents"),
        Page::Incidents,
    ),
    route(
        "/correlation",
        "Correlation",
        Nav::Sidebar("Correlation"),
        Page::Correlation,
    ),
    route(
        "/correlation/entity",
        "Entity",
        Nav::Hidden,
        Page::CorrelationEntity,
    ),
    route(
        "/secure-score",
        "Secure Score",
        Nav::Sidebar("Secure Score"),
        Page::SecureScore,
    ),
    route(
        "/ediscovery",
        "eDiscovery",
        Nav::Sidebar("eDiscovery"),
        Page::Ediscovery,
    ),
    route(
        "/threats/submissions",
        "Threat submissions",
        threat_tab("Submissions"),
        Page::Threats(ThreatTab::Submissions),
    ),
    route(
        "/threats/intelligence",
        "Threat intelligence",
        threat_tab("Intelligence"),
        Page::Threats(ThreatTab::Intelligence),
    ),
    route(
        "/threats/hunting",
        "Advanced hunting",
        threat_tab("Hunting"),
        Page::Threats(ThreatTab::Hunting),
    ),
    route(
        "/settings",
        "Settings",
        Nav::Sidebar("Settings"),
        Page::Settings,
    ),
    route(CALLBACK_PATH, "Signing in", Nav::Hidden, Page::Callback),
];

const fn route(path: &'static str, title: &'static str, nav: Nav, page: Page) -> Route {
    Route {
        path,
        title,
        nav,
        page,
    }
}

const fn threat_tab(label: &'static str) -> Nav {
    Nav::Tab {
        section: THREATS,
        section_label: "Threats",
        label,
    }
}

/// The page at an app path; anything not in the table (a trailing slash, another case) is
/// not found.
pub fn page_at(path: &str) -> Page {
    ROUTES
        .iter()
        .find(|r| r.path == path)
        .map_or(Page::NotFound, |r| r.page)
}

/// The document title of a page.
pub fn title_of(page: Page) -> &'static str {
    ROUTES
        .iter()
        .find(|r| r.page == page)
        .map_or("Page not found", |r| r.title)
}

/// The path a route is reached at when its address has another spelling: a section with tabs
/// (`/threats`) opens its first tab.
pub fn canonical(path: &str) -> Option<&'static str> {
    ROUTES.iter().find_map(|r| match r.nav {
        Nav::Tab { section, .. } if section == path => Some(r.path),
        _ => None,
    })
}

/// The sidebar's links, in order: (href, label).
pub fn sidebar() -> Vec<(&'static str, &'static str)> {
    let mut links: Vec<(&'static str, &'static str)> = Vec::new();
    for r in ROUTES {
        let link = match r.nav {
            Nav::Sidebar(label) => (r.path, label),
            Nav::Tab {
                section,
                section_label,
                ..
            } => (section, section_label),
            Nav::Hidden => continue,
        };
        if !links.contains(&link) {
            links.push(link);
        }
    }
    links
}

/// A section's tabs, in order: (href, label).
pub fn tabs(of_section: &str) -> Vec<(&'static str, &'static str)> {
    ROUTES
        .iter()
        .filter_map(|r| match r.nav {
            Nav::Tab { section, label, .. } if section == of_section => Some((r.path, label)),
            _ => None,
        })
        .collect()
}

/// The Threats section's tabs.
pub fn threat_tabs() -> Vec<(&'static str, &'static str)> {
    tabs(THREATS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_has_its_page_and_anything_else_is_not_found() {
        for r in ROUTES {
            assert_eq!(page_at(r.path), r.page, "{}", r.path);
            assert_eq!(title_of(r.page), r.title);
        }
        assert_eq!(page_at("/alerts/"), Page::NotFound);
        assert_eq!(page_at("/Alerts"), Page::NotFound);
        assert_eq!(
            page_at("/threats"),
            Page::NotFound,
            "the router opens a section's first tab first"
        );
        assert_eq!(title_of(Page::NotFound), "Page not found");
    }

    #[test]
    fn paths_and_pages_are_unique() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert_ne!(a.path, b.path);
                assert_ne!(a.page, b.page);
            }
        }
    }

    #[test]
    fn a_section_with_tabs_is_one_sidebar_link_to_its_first_tab() {
        let side = sidebar();
        assert_eq!(side.iter().filter(|(h, _)| *h == "/threats").count(), 1);
        assert_eq!(side.first(), Some(&("/", "Overview")));
        assert!(!side.iter().any(|(h, _)| *h == CALLBACK_PATH));
        assert_eq!(canonical("/threats"), Some("/threats/submissions"));
        assert_eq!(canonical("/threats/hunting"), None);
        assert_eq!(canonical("/alerts"), None);
        let tabs = threat_tabs();
        assert_eq!(tabs.len(), 3);
        assert_eq!(tabs[2], ("/threats/hunting", "Hunting"));
    }
}
