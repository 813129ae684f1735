//! The page's state as the address bar has it, so a view can be bookmarked and shared:
//! `/secure-score?days=90&unit=percent&hide=TotalSeats&day=2026-11-03&action=AdminMFAV2`.

use vigil_core::models::DateTime;
use vigil_core::score::{ActionGroup, ActionSort, WINDOWS};
use vigil_core::url::{form_parse, form_serialize};

/// Everything the URL carries. `Default` is the page as first opened.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreView {
    /// 7, 30 or 90 days.
    pub days: usize,
    /// Percent of each day's maximum instead of points.
    pub percent: bool,
    /// Comparison bases whose line is hidden (`AllTenants`, ...).
    pub hide: Vec<String>,
    /// With several tenants signed in: show the chosen tenant's own chart, not the comparison.
    pub own: bool,
    /// The tenant whose details are shown (default: the first loaded).
    pub tenant: Option<String>,
    /// The day whose change is explained (`yyyy-MM-dd`; default: the latest snapshot).
    pub day: Option<String>,
    /// The improvement action open in the detail pane.
    pub action: Option<String>,
    pub text: String,
    pub sort: ActionSort,
    pub category: Option<String>,
    pub state: Option<String>,
    pub group: Option<ActionGroup>,
    /// Also list deprecated actions and profiles the tenant is not scored on.
    pub all: bool,
}

impl Default for ScoreView {
    fn default() -> Self {
        ScoreView {
            days: 30,
            percent: false,
            hide: Vec::new(),
            own: false,
            tenant: None,
            day: None,
            action: None,
            text: String::new(),
            sort: ActionSort::Remaining,
            category: None,
            state: None,
            group: None,
            all: false,
        }
    }
}

pub fn sort_name(s: ActionSort) -> &'static str {
    match s {
        ActionSort::Remaining => "remaining",
        ActionSort::Rank => "rank",
        ActionSort::Category => "category",
        ActionSort::State => "state",
        ActionSort::Title => "title",
    }
}

pub fn parse_sort(s: &str) -> ActionSort {
    match s {
        "rank" => ActionSort::Rank,
        "category" => ActionSort::Category,
        "state" => ActionSort::State,
        "title" => ActionSort::Title,
        _ => ActionSort::Remaining,
    }
}

pub fn group_name(g: Option<ActionGroup>) -> &'static str {
    match g {
        None => "",
        Some(ActionGroup::Category) => "category",
        Some(ActionGroup::State) => "state",
        Some(ActionGroup::Tier) => "tier",
    }
}

pub fn parse_group(s: &str) -> Option<ActionGroup> {
    match s {
        "category" => Some(ActionGroup::Category),
        "state" => Some(ActionGroup::State),
        "tier" => Some(ActionGroup::Tier),
        _ => None,
    }
}

fn nonempty(v: String) -> Option<String> {
    let v = v.trim().to_owned();
    (!v.is_empty()).then_some(v)
}

impl ScoreView {
    pub fn from_query_string(qs: &str) -> Self {
        let mut v = ScoreView::default();
        for (k, val) in form_parse(qs) {
            match k.as_str() {
                "days" => {
                    if let Some(d) = WINDOWS.iter().find(|w| w.to_string() == val) {
                        v.days = *d;
                    }
                }
                "unit" => v.percent = val == "percent",
                "hide" => v
                    .hide
                    .extend(val.split(',').filter_map(|b| nonempty(b.into()))),
                "own" => v.own = val == "1",
                "tenant" => v.tenant = nonempty(val),
                "day" => v.day = nonempty(val).filter(|d| day_start(d).is_some()),
                "action" => v.action = nonempty(val),
                "q" => v.text = val,
                "sort" => v.sort = parse_sort(&val),
                "category" => v.category = nonempty(val),
                "state" => v.state = nonempty(val),
                "group" => v.group = parse_group(&val),
                "all" => v.all = val == "1",
                _ => {}
            }
        }
        v
    }

    /// The query string (without `?`); defaults are left out.
    pub fn to_query_string(&self) -> String {
        let d = ScoreView::default();
        let days = self.days.to_string();
        let hide = self.hide.join(",");
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if self.days != d.days {
            pairs.push(("days", &days));
        }
        if self.percent {
            pairs.push(("unit", "percent"));
        }
        if !hide.is_empty() {
            pairs.push(("hide", &hide));
        }
        if self.own {
            pairs.push(("own", "1"));
        }
        for (k, v) in [
            ("tenant", &self.tenant),
            ("day", &self.day),
            ("action", &self.action),
        ] {
            if let Some(v) = v {
                pairs.push((k, v));
            }
        }
        if !self.text.is_empty() {
            pairs.push(("q", &self.text));
        }
        if self.sort != d.sort {
            pairs.push(("sort", sort_name(self.sort)));
        }
        for (k, v) in [("category", &self.category), ("state", &self.state)] {
            if let Some(v) = v {
                pairs.push((k, v));
            }
        }
        if self.group.is_some() {
            pairs.push(("group", group_name(self.group)));
        }
        if self.all {
            pairs.push(("all", "1"));
        }
        form_serialize(pairs)
    }

    pub fn shows(&self, basis: &str) -> bool {
        !self.hide.iter().any(|h| h.eq_ignore_ascii_case(basis))
    }

    /// The same view with `basis`'s line shown or hidden.
    pub fn toggled(&self, basis: &str) -> Self {
        let mut v = self.clone();
        if v.shows(basis) {
            v.hide.push(basis.to_owned());
        } else {
            v.hide.retain(|h| !h.eq_ignore_ascii_case(basis));
        }
        v
    }
}

/// Midnight UTC of a `yyyy-MM-dd` day.
pub fn day_start(day: &str) -> Option<DateTime> {
    if day.len() != 10 {
        return None;
    }
    DateTime::parse(&format!("{day}T00:00:00Z"))
}

/// `yyyy-MM-dd` of an instant (UTC).
pub fn day_text(d: DateTime) -> String {
    let mut s = d.to_rfc3339();
    s.truncate(10);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_view_round_trips_and_defaults_stay_out() {
        assert_eq!(ScoreView::default().to_query_string(), "");
        let v = ScoreView {
            days: 90,
            percent: true,
            hide: vec!["TotalSeats".into(), "IndustryTypes".into()],
            own: true,
            tenant: Some("t 1".into()),
            day: Some("2026-11-03".into()),
            action: Some("AdminMFAV2".into()),
            text: "mfa & more".into(),
            sort: ActionSort::Rank,
            category: Some("Identity".into()),
            state: Some("Ignored".into()),
            group: Some(ActionGroup::Tier),
            all: true,
        };
        let qs = v.to_query_string();
        assert_eq!(ScoreView::from_query_string(&qs), v);
        assert!(qs.starts_with("days=90&unit=percent&hide=TotalSeats%2CIndustryTypes&own=1"));
    }

    #[test]
    fn score_view_ignores_what_it_cannot_use() {
        let v = ScoreView::from_query_string("days=12&day=yesterday&sort=nope&group=x&zzz=1");
        assert_eq!(v, ScoreView::default());
        let v = ScoreView::default().toggled("AllTenants");
        assert!(!v.shows("alltenants"));
        assert!(v.toggled("AllTenants").shows("AllTenants"));
        assert_eq!(day_text(day_start("2026-02-28").unwrap()), "2026-02-28");
    }
}
