//! The improvement actions table: every control profile joined with the latest snapshot's
//! control score by name (profile `id` == `controlScores[].controlName`), plus the scored
//! controls that have no profile. Titles, remediation and the rest come only from the profile;
//! a control without one shows its name and says so.

use crate::sorted::SortedMap;
use std::cmp::Ordering;

use crate::models::{ControlState, ControlStateUpdate, SecureScore, SecureScoreControlProfile};
use crate::score::{category_label, category_rank, control_scores};

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRow {
    /// The control name (profile id).
    pub name: String,
    /// The profile's title; `None` when there is no profile or it has no title.
    pub title: Option<String>,
    /// Whether a profile was loaded for this control.
    pub has_profile: bool,
    /// Whether the latest snapshot scores it. A profile without a score is a product the
    /// tenant is not licensed for: it is not part of the maximum score.
    pub scored: bool,
    /// Points achieved (latest snapshot); `None` when not scored.
    pub achieved: Option<f64>,
    /// The profile's `maxScore`.
    pub max: Option<f64>,
    /// `max - achieved` (never below 0); `None` when either is unknown.
    pub remaining: Option<f64>,
    pub category: String,
    pub tier: Option<String>,
    pub implementation_cost: Option<String>,
    pub user_impact: Option<String>,
    pub threats: Vec<String>,
    pub rank: Option<i64>,
    pub service: Option<String>,
    pub action_url: Option<String>,
    pub remediation: Option<String>,
    pub deprecated: bool,
    /// The state of the latest `controlStateUpdates` entry; `None` = never set (Default).
    pub state: Option<ControlState>,
    /// The `assignedTo` of that same latest entry.
    pub assignee: Option<String>,
}

impl ActionRow {
    /// What to show as the title: the profile's, else the control name.
    pub fn display_title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }

    /// The state as a label key: `Default` when never set.
    pub fn state_label(&self) -> &str {
        self.state.as_ref().map_or("Default", ControlState::as_str)
    }
}

/// The latest entry of a control's history by `updatedDateTime`; entries without a date count
/// as older than dated ones, and among equals the later in the list wins.
pub fn latest_update(updates: &[ControlStateUpdate]) -> Option<&ControlStateUpdate> {
    updates.iter().reduce(|best, u| {
        if u.updated_date_time >= best.updated_date_time {
            u
        } else {
            best
        }
    })
}

fn nonblank(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The table's rows: each profile (scored or not), then each scored control with no profile,
/// in control-name order; sort with [`ActionSort`]. `latest` is the newest snapshot, if any.
pub fn actions(
    latest: Option<&SecureScore>,
    profiles: &[SecureScoreControlProfile],
) -> Vec<ActionRow> {
    let mut scores = latest.map(control_scores).unwrap_or_default();
    let mut rows: SortedMap<&str, ActionRow> = SortedMap::new();
    for p in profiles {
        let score = scores.remove(p.id.as_str());
        let achieved = score.map(|c| c.score.unwrap_or(0.0));
        let last = latest_update(&p.control_state_updates);
        rows.insert(
            p.id.as_str(),
            ActionRow {
                name: p.id.clone(),
                title: nonblank(&p.title),
                has_profile: true,
                scored: score.is_some(),
                achieved,
                max: p.max_score,
                remaining: match (p.max_score, achieved) {
                    (Some(m), Some(a)) => Some((m - a).max(0.0)),
                    _ => None,
                },
                category: category_label(
                    p.control_category
                        .as_deref()
                        .or(score.and_then(|c| c.control_category.as_deref())),
                )
                .to_owned(),
                tier: nonblank(&p.tier),
                implementation_cost: nonblank(&p.implementation_cost),
                user_impact: nonblank(&p.user_impact),
                threats: p.threats.clone(),
                rank: p.rank,
                service: nonblank(&p.service),
                action_url: nonblank(&p.action_url),
                remediation: nonblank(&p.remediation),
                deprecated: p.deprecated.unwrap_or(false),
                state: last.and_then(|u| u.state.clone()),
                assignee: last.and_then(|u| nonblank(&u.assigned_to)),
            },
        );
    }
    for (name, c) in scores {
        rows.insert(
            name,
            ActionRow {
                name: name.to_owned(),
                title: None,
                has_profile: false,
                scored: true,
                achieved: Some(c.score.unwrap_or(0.0)),
                max: None,
                remaining: None,
                category: category_label(c.control_category.as_deref()).to_owned(),
                tier: None,
                implementation_cost: None,
                user_impact: None,
                threats: Vec::new(),
                rank: None,
                service: None,
                action_url: None,
                remediation: None,
                deprecated: false,
                state: None,
                assignee: None,
            },
        );
    }
    rows.into_values().collect()
}

/// Table orders. Ties fall back to the control name, so the order is stable across loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionSort {
    /// Most remaining points first; unknown last.
    Remaining,
    /// Microsoft's rank, 1 first; unranked last.
    Rank,
    /// Documented categories in order, then by rank.
    Category,
    /// By state label, then most remaining points first.
    State,
    /// By displayed title, case-insensitively.
    Title,
}

fn remaining_desc(a: &ActionRow, b: &ActionRow) -> Ordering {
    match (a.remaining, b.remaining) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn rank_asc(a: &ActionRow, b: &ActionRow) -> Ordering {
    match (a.rank, b.rank) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn title_key(r: &ActionRow) -> String {
    crate::lowercase::lower(r.display_title())
}

impl ActionSort {
    pub fn apply(self, rows: &mut Vec<ActionRow>) {
        crate::sort::by(rows, |a, b| {
            let first = match self {
                ActionSort::Remaining => remaining_desc(a, b),
                ActionSort::Rank => rank_asc(a, b),
                ActionSort::Category => category_rank(&a.category)
                    .cmp(&category_rank(&b.category))
                    .then_with(|| a.category.cmp(&b.category))
                    .then_with(|| rank_asc(a, b)),
                ActionSort::State => a
                    .state_label()
                    .cmp(b.state_label())
                    .then_with(|| remaining_desc(a, b)),
                ActionSort::Title => title_key(a).cmp(&title_key(b)),
            };
            first.then_with(|| a.name.cmp(&b.name))
        });
    }
}

/// The table's filter. The default shows every scored, non-deprecated action.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionFilter {
    /// Case-insensitive text matched against title (or name), category and threats.
    pub text: String,
    /// Only this category (a [`crate::score::category_label`]).
    pub category: Option<String>,
    /// Only this state label (`Default`, `Ignored`, `ThirdParty`, `Reviewed`, …).
    pub state: Option<String>,
    pub include_deprecated: bool,
    /// Show profiles the tenant is not scored on (products not licensed).
    pub include_unscored: bool,
}

impl ActionFilter {
    pub fn matches(&self, r: &ActionRow) -> bool {
        if (r.deprecated && !self.include_deprecated) || (!r.scored && !self.include_unscored) {
            return false;
        }
        if self
            .category
            .as_deref()
            .is_some_and(|c| !c.eq_ignore_ascii_case(&r.category))
        {
            return false;
        }
        if self
            .state
            .as_deref()
            .is_some_and(|s| !s.eq_ignore_ascii_case(r.state_label()))
        {
            return false;
        }
        let needle = crate::lowercase::lower(self.text.trim());
        needle.is_empty()
            || [r.display_title(), r.name.as_str(), r.category.as_str()]
                .into_iter()
                .chain(r.threats.iter().map(String::as_str))
                .any(|h| crate::lowercase::lower(h).contains(&needle))
    }

    /// Positions of the matching rows, in the rows' order.
    pub fn apply(&self, rows: &[ActionRow]) -> Vec<usize> {
        (0..rows.len())
            .filter(|&i| self.matches(&rows[i]))
            .collect()
    }
}

/// What to group the table by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionGroup {
    Category,
    State,
    Tier,
}

/// One group: its key, its rows (positions, in the rows' order) and their remaining points.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub key: String,
    pub rows: Vec<usize>,
    pub remaining: f64,
}

impl ActionGroup {
    /// Groups the given positions of `rows` (e.g. a filter's result). Categories come in the
    /// documented order, other keys alphabetically; a missing tier is `"Unknown"`.
    pub fn apply(self, rows: &[ActionRow], positions: &[usize]) -> Vec<Group> {
        let mut groups: Vec<Group> = Vec::new();
        for &i in positions {
            let r = &rows[i];
            let key = match self {
                ActionGroup::Category => r.category.as_str(),
                ActionGroup::State => r.state_label(),
                ActionGroup::Tier => r.tier.as_deref().unwrap_or("Unknown"),
            };
            let at = match groups.iter().position(|g| g.key == key) {
                Some(at) => at,
                None => {
                    groups.push(Group {
                        key: key.to_owned(),
                        rows: Vec::new(),
                        remaining: 0.0,
                    });
                    groups.len() - 1
                }
            };
            groups[at].rows.push(i);
            groups[at].remaining += r.remaining.unwrap_or(0.0);
        }
        crate::sort::by(&mut groups, |a, b| {
            let rank = |g: &Group| match self {
                ActionGroup::Category => category_rank(&g.key),
                _ => 0,
            };
            rank(a).cmp(&rank(b)).then_with(|| a.key.cmp(&b.key))
        });
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testdata::*;

    fn rows() -> Vec<ActionRow> {
        let latest = snap_sum(
            5,
            100.0,
            &[
                ("MFA", "Identity", 4.0),
                ("DLP", "Data", 8.0),
                ("Orphan", "Infrastructure", 2.0),
            ],
        );
        let mut mfa = profile("MFA", "Require MFA for admins", "Identity", 10.0);
        mfa.rank = Some(2);
        mfa.threats = vec!["Account Breach".into(), "Password Cracking".into()];
        mfa.tier = Some("Core".into());
        // The history is out of order: the latest by date is the Ignored one.
        let mfa = with_state(mfa, ControlState::Ignored, Some("ann@contoso.com"), 4, 9);
        let mfa = with_state(mfa, ControlState::Default, Some("bob@contoso.com"), 2, 9);
        let mut dlp = profile("DLP", "Turn on DLP", "Data", 10.0);
        dlp.rank = Some(1);
        let mut unlicensed = profile("Unlicensed", "Not for this tenant", "Apps", 5.0);
        unlicensed.rank = Some(3);
        let mut old = profile("Old", "Deprecated one", "Apps", 5.0);
        old.deprecated = Some(true);
        actions(Some(&latest), &[mfa, dlp, unlicensed, old])
    }

    #[test]
    fn score_actions_join_profiles_and_scores() {
        let r = rows();
        let names: Vec<&str> = r.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["DLP", "MFA", "Old", "Orphan", "Unlicensed"]);
        let mfa = &r[1];
        assert_eq!(mfa.display_title(), "Require MFA for admins");
        assert_eq!(
            (mfa.achieved, mfa.max, mfa.remaining),
            (Some(4.0), Some(10.0), Some(6.0))
        );
        assert_eq!(mfa.state, Some(ControlState::Ignored));
        assert_eq!(mfa.assignee.as_deref(), Some("ann@contoso.com"));
        let orphan = &r[3];
        assert!(!orphan.has_profile && orphan.scored);
        assert_eq!(orphan.title, None);
        assert_eq!(orphan.display_title(), "Orphan");
        assert_eq!(orphan.remediation, None);
        assert_eq!(orphan.category, "Infrastructure");
        assert_eq!((orphan.max, orphan.remaining), (None, None));
        let unl = &r[4];
        assert!(unl.has_profile && !unl.scored);
        assert_eq!((unl.achieved, unl.remaining), (None, None));
        assert_eq!(unl.state_label(), "Default");
        assert!(r[2].deprecated);
    }

    #[test]
    fn score_actions_sort_filter_group() {
        let mut r = rows();
        ActionSort::Remaining.apply(&mut r);
        let names: Vec<&str> = r.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["MFA", "DLP", "Old", "Orphan", "Unlicensed"]);
        ActionSort::Rank.apply(&mut r);
        let names: Vec<&str> = r.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["DLP", "MFA", "Unlicensed", "Old", "Orphan"]);
        ActionSort::Category.apply(&mut r);
        let cats: Vec<&str> = r.iter().map(|r| r.category.as_str()).collect();
        assert_eq!(cats, ["Identity", "Data", "Apps", "Apps", "Infrastructure"]);

        let f = ActionFilter::default();
        let shown = f.apply(&r);
        let names: Vec<&str> = shown.iter().map(|&i| r[i].name.as_str()).collect();
        assert_eq!(names, ["MFA", "DLP", "Orphan"]);
        let f = ActionFilter {
            text: "password".into(),
            ..Default::default()
        };
        assert_eq!(f.apply(&r).len(), 1);
        let f = ActionFilter {
            state: Some("ignored".into()),
            ..Default::default()
        };
        assert_eq!(r[f.apply(&r)[0]].name, "MFA");
        let f = ActionFilter {
            category: Some("apps".into()),
            include_unscored: true,
            include_deprecated: true,
            ..Default::default()
        };
        assert_eq!(f.apply(&r).len(), 2);

        let all: Vec<usize> = (0..r.len()).collect();
        let g = ActionGroup::Category.apply(&r, &all);
        let keys: Vec<&str> = g.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["Identity", "Data", "Apps", "Infrastructure"]);
        assert!(close(g[0].remaining, 6.0));
        let g = ActionGroup::State.apply(&r, &all);
        assert_eq!(
            g.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(),
            ["Default", "Ignored"]
        );
        let g = ActionGroup::Tier.apply(&r, &all);
        assert_eq!(
            g.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(),
            ["Core", "Unknown"]
        );
    }
}
