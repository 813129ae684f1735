//! Secure Score behaves like a real tenant's: per-control histories that rise and fall, the
//! state rules, comparatives as the service sends them, gaps, and profiles vs scored controls.
//! The planted facts come from `score_truth`, never from the wire.

mod common;

use std::collections::{BTreeSet, HashMap};

use common::*;
use serde_json::{Value, json};

async fn history(g: &Graph) -> Vec<Value> {
    let (v, _, _) = g.all("/v1.0/security/secureScores").await;
    v
}

fn day(s: &Value) -> String {
    s["id"]
        .as_str()
        .and_then(|i| i.rsplit_once('_'))
        .map(|x| x.1.to_string())
        .unwrap_or_default()
}

fn score_of(s: &Value, control: &str) -> Option<f64> {
    s["controlScores"]
        .as_array()?
        .iter()
        .find(|c| c["controlName"] == control)
        .and_then(|c| c["score"].as_f64())
}

/// Day -> snapshot.
fn by_day(h: &[Value]) -> HashMap<String, Value> {
    h.iter().map(|s| (day(s), s.clone())).collect()
}

/// The snapshot before `d` (the list is newest first).
fn prev<'a>(h: &'a [Value], d: &str) -> &'a Value {
    let i = h
        .iter()
        .position(|s| day(s) == d)
        .unwrap_or_else(|| panic!("no snapshot on {d}"));
    &h[i + 1]
}

#[tokio::test]
async fn history_rises_and_falls_with_the_planted_facts() {
    let emu = emulator(opts(200)).await;
    let g = Graph::analyst(&emu);
    let t = emu
        .score_truth(CONTOSO)
        .unwrap_or_else(|| panic!("no truth"));
    assert_eq!(vigil_emulator::score_truth(42, CONTOSO).as_ref(), Some(&t));
    let h = history(&g).await;
    // 90 days minus the gaps, newest first, the newest no later than now.
    assert_eq!(h.len(), 90 - t.gap_days.len());
    let days: Vec<String> = h.iter().map(day).collect();
    for gap in &t.gap_days {
        assert!(!days.contains(gap), "snapshot on gap day {gap}");
    }
    let created: Vec<&str> = h
        .iter()
        .filter_map(|s| s["createdDateTime"].as_str())
        .collect();
    assert!(created.windows(2).all(|w| w[0] > w[1]));
    let newest = vigil_emulator::util::parse_dt(created[0]).unwrap_or(i64::MAX);
    assert!(newest <= vigil_emulator::util::now_ms());
    assert!(vigil_emulator::util::now_ms() - newest < 86_400_000);

    // The totals are the sums of the controls.
    for s in &h {
        let sum: f64 = s["controlScores"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["score"].as_f64()).sum())
            .unwrap_or(0.0);
        assert!(
            (sum - s["currentScore"].as_f64().unwrap_or(-1.0)).abs() < 0.05,
            "{}",
            s["id"]
        );
    }
    // Not lockstep: controls change on different days, and some fall.
    let mut change_days: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut falls = 0;
    for w in h.windows(2) {
        let (new, old) = (&w[0], &w[1]);
        for c in new["controlScores"].as_array().cloned().unwrap_or_default() {
            let name = c["controlName"].as_str().unwrap_or_default().to_string();
            if let (Some(a), Some(b)) = (c["score"].as_f64(), score_of(old, &name)) {
                if a != b {
                    change_days.entry(name).or_default().insert(day(new));
                }
                if a < b {
                    falls += 1;
                }
            }
        }
    }
    assert!(falls >= 2, "history never falls");
    let distinct: BTreeSet<&BTreeSet<String>> = change_days.values().collect();
    assert!(distinct.len() > 3, "controls change in lockstep");

    // The regression: fewer points than the snapshot before.
    let d = by_day(&h);
    let reg = &d[&t.regression_day];
    let before = prev(&h, &t.regression_day);
    assert!(score_of(reg, &t.regression_control) < score_of(before, &t.regression_control));
    // The jump: from nothing to full points.
    let jump = score_of(&d[&t.jump_day], &t.jump_control).unwrap_or(0.0);
    assert_eq!(score_of(prev(&h, &t.jump_day), &t.jump_control), Some(0.0));
    assert!(jump >= 8.0);
    // The added control: absent before, maxScore grows that day.
    let added = &d[&t.added_day];
    let before = prev(&h, &t.added_day);
    assert!(score_of(added, &t.added_control).is_some());
    assert!(score_of(before, &t.added_control).is_none());
    assert!(added["maxScore"].as_f64() > before["maxScore"].as_f64());
    assert!(score_of(&h[h.len() - 1], &t.added_control).is_none());
    // The deprecated control leaves the score; its profile says deprecated.
    let dep = &d[&t.deprecated_day];
    assert!(score_of(dep, &t.deprecated_control).is_none());
    assert!(score_of(prev(&h, &t.deprecated_day), &t.deprecated_control).is_some());
    assert!(dep["maxScore"].as_f64() < prev(&h, &t.deprecated_day)["maxScore"].as_f64());
    let p = g
        .ok(&format!(
            "/v1.0/security/secureScoreControlProfiles/{}",
            t.deprecated_control
        ))
        .await;
    assert_eq!(p["deprecated"], true);
    let maxes: BTreeSet<String> = h.iter().map(|s| s["maxScore"].to_string()).collect();
    assert!(maxes.len() >= 3, "maxScore never changes: {maxes:?}");
}

#[tokio::test]
async fn state_rules_ignored_earns_nothing_third_party_earns() {
    let emu = emulator(opts(200)).await;
    let g = Graph::analyst(&emu);
    let t = emu
        .score_truth(CONTOSO)
        .unwrap_or_else(|| panic!("no truth"));
    let h = history(&g).await;
    let profile = |id: &str| format!("/v1.0/security/secureScoreControlProfiles/{id}");
    for s in &h {
        let d = day(s);
        let ign = score_of(s, &t.ignored_control);
        let third = score_of(s, &t.third_party_control);
        if d >= t.ignored_day {
            assert_eq!(ign, Some(0.0), "{d}");
        }
        assert_eq!(score_of(s, &t.long_ignored_control), Some(0.0), "{d}");
        let third_max = g.ok(&profile(&t.third_party_control)).await["maxScore"].as_f64();
        if d >= t.third_party_day {
            assert_eq!(third, third_max, "{d}");
        } else {
            assert!(third < third_max, "{d}");
        }
    }
    // Before its change, the ignored control earned points.
    assert!(score_of(prev(&h, &t.ignored_day), &t.ignored_control) > Some(0.0));
    // The profiles carry the changes, dated on those days, with assignee and comment.
    for (id, state, d) in [
        (&t.ignored_control, "Ignored", &t.ignored_day),
        (&t.third_party_control, "ThirdParty", &t.third_party_day),
    ] {
        let p = g.ok(&profile(id)).await;
        let last = p["controlStateUpdates"]
            .as_array()
            .and_then(|a| a.last())
            .cloned()
            .unwrap_or_default();
        assert_eq!(last["state"], state);
        assert!(
            last["updatedDateTime"]
                .as_str()
                .unwrap_or_default()
                .starts_with(d.as_str())
        );
        assert!(
            last["assignedTo"].is_string()
                && last["comment"].is_string()
                && last["updatedBy"].is_string()
        );
    }
    // Every state is seeded, with histories of different ages.
    let (profiles, _, _) = g.all("/v1.0/security/secureScoreControlProfiles").await;
    let mut states = BTreeSet::new();
    let mut lengths = BTreeSet::new();
    for p in &profiles {
        let u = p["controlStateUpdates"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        lengths.insert(u.len());
        if let Some(l) = u.last() {
            states.insert(l["state"].as_str().unwrap_or_default().to_string());
        }
    }
    for s in ["Default", "Ignored", "ThirdParty", "Reviewed"] {
        assert!(states.contains(s), "no {s} control: {states:?}");
    }
    assert!(lengths.len() >= 2);

    // A PATCH appends to the history; today's snapshot is already taken, so it changes
    // nothing served until the next one.
    let target = t.regression_control.clone();
    let before = g.ok("/v1.0/security/secureScores?$top=1").await;
    let r = g
        .patch(
            &profile(&target),
            json!({"state": "ignored", "comment": "accepted", "assignedTo": "kai@contoso.example",
                   "vendorInformation": {"provider": "SecureScore", "vendor": "Microsoft"}}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let p = g.ok(&profile(&target)).await;
    let last = p["controlStateUpdates"]
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["state"], "Ignored");
    assert_eq!(last["comment"], "accepted");
    let after = g.ok("/v1.0/security/secureScores?$top=1").await;
    assert_eq!(before["value"], after["value"]);
}

#[tokio::test]
async fn comparatives_profiles_and_tenants_as_on_real_tenants() {
    let emu = emulator(opts(200)).await;
    let g = Graph::analyst(&emu);
    let t = emu
        .score_truth(CONTOSO)
        .unwrap_or_else(|| panic!("no truth"));
    let h = history(&g).await;
    let d = by_day(&h);
    let bases = |s: &Value| -> Vec<(String, f64)> {
        s["averageComparativeScores"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|c| {
                        (
                            c["basis"].as_str().unwrap_or_default().to_string(),
                            c["averageScore"].as_f64().unwrap_or(0.0),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(!t.comparative_missing_days.is_empty() && !t.comparative_minus_one_days.is_empty());
    for day in &t.comparative_missing_days {
        let b = bases(&d[day]);
        assert!(
            b.len() == 2 && !b.iter().any(|x| x.0 == "IndustryTypes"),
            "{day}: {b:?}"
        );
    }
    for day in &t.comparative_minus_one_days {
        assert!(
            bases(&d[day]).contains(&("TotalSeats".to_string(), -1.0)),
            "{day}"
        );
    }
    for day in &t.comparative_empty_days {
        assert!(bases(&d[day]).is_empty());
    }
    let full = h.iter().filter(|s| bases(s).len() == 3).count();
    assert!(full > 70);

    // Scored controls and profiles are different sets.
    let (profiles, _, _) = g.all("/v1.0/security/secureScoreControlProfiles").await;
    let profiled: BTreeSet<String> = profiles
        .iter()
        .filter_map(|p| p["id"].as_str().map(str::to_string))
        .collect();
    let scored: BTreeSet<String> = h
        .iter()
        .flat_map(|s| s["controlScores"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["controlName"].as_str().map(str::to_string))
        .collect();
    for c in &t.unprofiled_controls {
        assert!(scored.contains(c) && !profiled.contains(c), "{c}");
    }
    for c in &t.unscored_profiles {
        assert!(profiled.contains(c) && !scored.contains(c), "{c}");
    }
    assert!(!t.unprofiled_controls.is_empty() && !t.unscored_profiles.is_empty());
    // The hostile remediation is served as given (the app must render it inert).
    let hostile = g
        .ok(&format!(
            "/v1.0/security/secureScoreControlProfiles/{}",
            t.hostile_remediation_control
        ))
        .await;
    let rem = hostile["remediation"].as_str().unwrap_or_default();
    assert!(
        rem.contains("<script>") && rem.contains("onerror="),
        "{rem}"
    );
    // No planted fact is on the wire.
    let wire = format!("{h:?}{profiles:?}");
    for k in ["regression", "jump", "planted", "truth"] {
        assert!(!wire.to_lowercase().contains(k), "{k} on the wire");
    }

    // Fabrikam has its own history.
    let f = emu
        .score_truth(FABRIKAM)
        .unwrap_or_else(|| panic!("no truth"));
    assert_ne!(f, t);
    let fab = Graph::new(
        &emu,
        emu.mint_access_token(FABRIKAM, "alex.analyst@fabrikam.example", ALL_SCOPES),
    );
    let fh = history(&fab).await;
    assert!(fh.iter().all(|s| s["azureTenantId"] == FABRIKAM));
    let totals =
        |h: &[Value]| -> Vec<String> { h.iter().map(|s| s["currentScore"].to_string()).collect() };
    assert_ne!(totals(&fh), totals(&h));
    assert_ne!(fh[0]["maxScore"], h[0]["maxScore"]);
    assert_ne!(fh[0]["enabledServices"], h[0]["enabledServices"]);
}
