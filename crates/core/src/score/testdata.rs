//! Crafted histories for the unit tests: day `n` is 2024-03-01 plus `n - 1` days.

use crate::models::{
    AverageComparativeScore, ControlScore, ControlState, ControlStateUpdate, DateTime, SecureScore,
    SecureScoreControlProfile,
};
use crate::score::days::day_number;

pub fn day(n: i64) -> i64 {
    day_number(DateTime::from_ymd_hms(2024, 3, 1, 0, 0, 0).unwrap()) + n - 1
}

pub fn at(n: i64, hour: i64) -> DateTime {
    DateTime::from_unix(day(n) * 86_400 + hour * 3600)
}

/// A snapshot on day `n` created at 02:00 with `(controlName, category, score)` rows.
pub fn snap(n: i64, current: f64, max: f64, controls: &[(&str, &str, f64)]) -> SecureScore {
    let created = at(n, 2);
    SecureScore {
        id: format!("tenant_{}", &created.to_rfc3339()[..10]),
        azure_tenant_id: Some("tenant".into()),
        created_date_time: Some(created),
        current_score: Some(current),
        max_score: Some(max),
        control_scores: controls
            .iter()
            .map(|(name, cat, score)| ControlScore {
                control_name: Some((*name).into()),
                control_category: Some((*cat).into()),
                description: None,
                score: Some(*score),
            })
            .collect(),
        ..Default::default()
    }
}

/// A snapshot whose current score is the sum of its controls.
pub fn snap_sum(n: i64, max: f64, controls: &[(&str, &str, f64)]) -> SecureScore {
    snap(n, controls.iter().map(|c| c.2).sum(), max, controls)
}

pub fn comparatives(s: &mut SecureScore, rows: &[(&str, Option<f64>)]) {
    s.average_comparative_scores = rows
        .iter()
        .map(|(b, v)| AverageComparativeScore {
            basis: Some((*b).into()),
            average_score: *v,
        })
        .collect();
}

pub fn profile(id: &str, title: &str, category: &str, max: f64) -> SecureScoreControlProfile {
    SecureScoreControlProfile {
        id: id.into(),
        title: Some(title.into()),
        control_category: Some(category.into()),
        max_score: Some(max),
        ..Default::default()
    }
}

/// Appends a state update on day `n` at `hour`.
pub fn with_state(
    mut p: SecureScoreControlProfile,
    state: ControlState,
    assignee: Option<&str>,
    n: i64,
    hour: i64,
) -> SecureScoreControlProfile {
    p.control_state_updates.push(ControlStateUpdate {
        assigned_to: assignee.map(Into::into),
        state: Some(state),
        updated_date_time: Some(at(n, hour)),
        ..Default::default()
    });
    p
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

pub fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    }
}
