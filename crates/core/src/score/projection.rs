//! Current, planned and achievable score, by the product's rules.
//!
//! Rules (Microsoft Defender docs, "Assess your security posture with Microsoft Secure Score",
//! learn.microsoft.com/defender-xdr/microsoft-secure-score-improvement-actions, section
//! "Choose a recommended action status"; and the score views listed under "Check your current
//! score"):
//! - **Risk accepted** (Graph state `Ignored`): "You won't be given any points for this
//!   status." Its remaining points can never be earned while it stays accepted, so the
//!   achievable score ("score that can be achieved with your Microsoft licenses and current
//!   risk acceptance") is the maximum minus the remaining points of ignored actions, and a
//!   planned action that is ignored adds nothing.
//! - **Resolved through third party / alternate mitigation** (Graph state `ThirdParty`):
//!   "You'll gain the points that the action is worth". Such an action counts as achieved: it
//!   stays in the achievable score, and any of its points the snapshot does not show yet
//!   (the service updates in 24–48 hours) are reported as [`Projection::pending`] and counted
//!   in the planned score once, whether or not it is planned.
//! - **Planned score**: "projected score when planned actions are completed": current plus
//!   the remaining points of the planned actions.
//! - Only scored controls count ("current license score"): a profile the latest snapshot does
//!   not score is a product not licensed and is outside the maximum. Controls whose maximum is
//!   unknown (no profile) have no remaining points to add.

use crate::models::{ControlState, SecureScore};
use crate::score::actions::ActionRow;

/// Scores in points; see [`Projection::percent`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    /// The latest snapshot's `currentScore` (else the sum of achieved points).
    pub current: f64,
    /// Third-party-resolved points not yet in the snapshot (already earned by the rules).
    pub pending: f64,
    /// `current + pending + ` the remaining points of the planned actions (each once; ignored
    /// ones add nothing), at most `achievable`.
    pub planned: f64,
    /// `max - ` the remaining points of ignored (risk accepted) actions.
    pub achievable: f64,
    /// The latest snapshot's `maxScore` (else the sum of scored controls' maxima).
    pub max: f64,
}

impl Projection {
    /// `points` as a percent of [`Projection::max`]; `None` when the maximum is 0.
    pub fn percent(&self, points: f64) -> Option<f64> {
        crate::score::percent(Some(points), Some(self.max))
    }
}

/// The projection from the latest snapshot and its action rows ([`crate::score::actions`]);
/// `planned` holds control names (profile ids) chosen by the user.
pub fn project(latest: &SecureScore, rows: &[ActionRow], planned: &[&str]) -> Projection {
    let scored = || rows.iter().filter(|r| r.scored);
    let remaining = |r: &ActionRow| r.remaining.unwrap_or(0.0);
    let is = |r: &ActionRow, s: ControlState| r.state.as_ref() == Some(&s);
    let current = latest
        .current_score
        .unwrap_or_else(|| scored().map(|r| r.achieved.unwrap_or(0.0)).sum());
    let max = latest
        .max_score
        .unwrap_or_else(|| scored().map(|r| r.max.unwrap_or(0.0)).sum());
    let ignored: f64 = scored()
        .filter(|r| is(r, ControlState::Ignored))
        .map(remaining)
        .sum();
    let pending: f64 = scored()
        .filter(|r| is(r, ControlState::ThirdParty))
        .map(remaining)
        .sum();
    let chosen: f64 = scored()
        .filter(|r| planned.contains(&r.name.as_str()))
        .filter(|r| !is(r, ControlState::Ignored) && !is(r, ControlState::ThirdParty))
        .map(remaining)
        .sum();
    let achievable = max - ignored;
    Projection {
        current,
        pending,
        planned: (current + pending + chosen).min(achievable),
        achievable,
        max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::actions::actions;
    use crate::score::testdata::*;

    #[test]
    fn score_projection_by_the_rules() {
        // Max 50 over five scored controls of 10; current = 4 + 10 + 2 + 0 + 3 + 0 = 19.
        let latest = snap_sum(
            9,
            50.0,
            &[
                ("MFA", "Identity", 4.0),
                ("Done", "Identity", 10.0),
                ("Accepted", "Data", 2.0),
                ("Vendor", "Apps", 0.0),
                ("Plain", "Device", 3.0),
                ("Orphan", "Apps", 0.0),
            ],
        );
        let profiles = vec![
            profile("MFA", "MFA", "Identity", 10.0),
            profile("Done", "Done", "Identity", 10.0),
            with_state(
                profile("Accepted", "Accepted", "Data", 10.0),
                ControlState::Ignored,
                None,
                8,
                0,
            ),
            with_state(
                profile("Vendor", "Vendor", "Apps", 10.0),
                ControlState::ThirdParty,
                None,
                8,
                0,
            ),
            profile("Plain", "Plain", "Device", 10.0),
            profile("Unlicensed", "Unlicensed", "Apps", 10.0),
        ];
        let rows = actions(Some(&latest), &profiles);
        let mut latest = latest;

        let p = project(&latest, &rows, &[]);
        assert!(close(p.current, 19.0));
        assert!(close(p.max, 50.0));
        // Vendor's 10 points are earned by the rules though not yet in the snapshot.
        assert!(close(p.pending, 10.0));
        assert!(close(p.planned, 29.0));
        // Accepted's remaining 8 points cannot be earned.
        assert!(close(p.achievable, 42.0));
        assert_eq!(p.percent(p.achievable), Some(84.0));

        // Planning MFA (6 left); planning the ignored, third-party, unlicensed and
        // profile-less ones adds nothing more, and a name twice counts once.
        let p = project(
            &latest,
            &rows,
            &[
                "MFA",
                "MFA",
                "Accepted",
                "Vendor",
                "Unlicensed",
                "Orphan",
                "Nope",
            ],
        );
        assert!(close(p.planned, 19.0 + 10.0 + 6.0));
        // Everything planned reaches exactly the achievable score when the data is consistent.
        let p = project(&latest, &rows, &["MFA", "Done", "Plain"]);
        assert!(close(p.planned, 42.0));
        assert!(close(p.planned, p.achievable));
        assert!(p.current <= p.planned && p.planned <= p.achievable && p.achievable <= p.max);
        // When the snapshot is ahead of the rows, planned is still capped at achievable.
        latest.current_score = Some(25.0);
        assert!(close(
            project(&latest, &rows, &["MFA", "Plain"]).planned,
            42.0
        ));

        // No max in the snapshot: the scored controls' maxima (the orphan's is unknown).
        latest.max_score = None;
        assert!(close(project(&latest, &rows, &[]).max, 50.0));
        let zero = SecureScore {
            max_score: Some(0.0),
            ..Default::default()
        };
        assert_eq!(project(&zero, &[], &[]).percent(0.0), None);
    }

    #[test]
    fn score_projection_after_a_control_added_and_one_deprecated() {
        // Day 1: Old (deprecated later) and MFA. Day 2: Old is gone, New is added.
        let before = snap_sum(1, 20.0, &[("MFA", "Identity", 2.0), ("Old", "Apps", 6.0)]);
        let latest = snap_sum(2, 20.0, &[("MFA", "Identity", 2.0), ("New", "Apps", 1.0)]);
        let mut old = profile("Old", "Old", "Apps", 10.0);
        old.deprecated = Some(true);
        let profiles = vec![
            profile("MFA", "MFA", "Identity", 10.0),
            profile("New", "New", "Apps", 10.0),
            old,
        ];
        let rows = actions(Some(&latest), &profiles);
        let p = project(&latest, &rows, &["MFA", "New", "Old"]);
        assert!(close(p.current, 3.0));
        // The deprecated control is not scored any more: planning it adds nothing.
        assert!(close(p.planned, 3.0 + 8.0 + 9.0));
        assert!(close(p.achievable, 20.0));
        // Against the day before, the same plan would have counted Old and not New.
        let rows = actions(Some(&before), &profiles);
        let p = project(&before, &rows, &["MFA", "New", "Old"]);
        assert!(close(p.planned, 8.0 + 8.0 + 4.0));
    }
}
