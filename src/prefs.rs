//! Display preferences: theme and time zone. They hold nothing secret, so they persist in
//! localStorage; tokens never do (see the sign-in module).

use leptos::prelude::*;

const THEME_KEY: &str = "vigil.theme";
const TIME_ZONE_KEY: &str = "vigil.timeZone";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    System,
    Light,
    Dark,
    /// Black and white with bright accents.
    Contrast,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Light => "light",
            Self::Dark => "dark",
            Self::Contrast => "contrast",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "light" => Self::Light,
            "dark" => Self::Dark,
            "contrast" => Self::Contrast,
            _ => Self::System,
        }
    }

    /// The toggle's order: system, light, dark, high contrast, and round again.
    pub fn next(self) -> Self {
        match self {
            Self::System => Self::Light,
            Self::Light => Self::Dark,
            Self::Dark => Self::Contrast,
            Self::Contrast => Self::System,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::System => "Theme: system",
            Self::Light => "Theme: light",
            Self::Dark => "Theme: dark",
            Self::Contrast => "Theme: high contrast",
        }
    }
}

/// Every date the app shows is in one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeZone {
    Local,
    Utc,
}

impl TimeZone {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Utc => "utc",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "utc" { Self::Utc } else { Self::Local }
    }
}

/// The preferences as signals, provided once at the root and read anywhere.
#[derive(Clone, Copy)]
pub struct Prefs {
    pub theme: RwSignal<Theme>,
    pub time_zone: RwSignal<TimeZone>,
}

impl Prefs {
    /// Reads stored preferences, applies the theme to `<html>` and persists every change.
    pub fn install() -> Self {
        let prefs = Self {
            theme: RwSignal::new(Theme::parse(&read(THEME_KEY).unwrap_or_default())),
            time_zone: RwSignal::new(TimeZone::parse(&read(TIME_ZONE_KEY).unwrap_or_default())),
        };
        Effect::new(move |_| {
            let theme = prefs.theme.get();
            write(THEME_KEY, theme.as_str());
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("data-theme", theme.as_str());
            }
        });
        Effect::new(move |_| write(TIME_ZONE_KEY, prefs.time_zone.get().as_str()));
        provide_context(prefs);
        prefs
    }
}

pub fn use_prefs() -> Prefs {
    expect_context::<Prefs>()
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub(crate) fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Best effort: private browsing may refuse storage, and then the choice lasts for the visit.
pub(crate) fn write(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_round_trips_and_cycles() {
        for t in [Theme::System, Theme::Light, Theme::Dark, Theme::Contrast] {
            assert_eq!(Theme::parse(t.as_str()), t);
        }
        assert_eq!(Theme::System.next().next().next().next(), Theme::System);
        assert_eq!(Theme::parse("nonsense"), Theme::System);
    }

    #[test]
    fn time_zone_defaults_to_local() {
        assert_eq!(TimeZone::parse(""), TimeZone::Local);
        assert_eq!(TimeZone::parse("utc"), TimeZone::Utc);
    }
}
