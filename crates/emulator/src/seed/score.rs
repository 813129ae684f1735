//! Secure Score: 90 days of per-control history and the control profiles, behaving like a real
//! tenant's. Controls rise and fall on their own days; one regresses, one jumps, one is added
//! mid-window (maxScore grows), one is deprecated (it leaves the score); the state rules of the
//! service apply (a control resolved through a third party earns its points, one whose risk is
//! accepted — `Ignored` — earns none, from the first snapshot after the change); some days have
//! no snapshot, comparatives come and go and are sometimes -1; the scored controls and the
//! profiles do not cover the same set.
//!
//! A snapshot counts the state in force at its `createdDateTime`, read from the profiles'
//! `controlStateUpdates`, so the history is re-rendered from the profiles (at start after
//! `--state`, and after every PATCH; a PATCH made now shows from the next daily snapshot).
//!
//! What is planted (which control regressed on which day, ...) is out of band: `ScoreTruth`.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::alerts::DAY;
use crate::odata::Collection;
use crate::util::{Rng, fmt_day, fmt_ms, parse_dt};

const HOUR: i64 = 3_600_000;
/// Snapshots are taken daily at this time of day (UTC).
const SNAPSHOT_AT: i64 = 2 * HOUR + 17 * 60_000;
pub const DAYS: i64 = 90;

/// The planted facts of a tenant's Secure Score history. Never served. Days are `yyyy-MM-dd`
/// (UTC), as in the snapshot ids `{tenant}_{day}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScoreTruth {
    /// The first snapshot in which `regression_control` has fewer points than the day before.
    pub regression_day: String,
    pub regression_control: String,
    /// The snapshot in which `jump_control` goes from 0 to its full points.
    pub jump_day: String,
    pub jump_control: String,
    /// The control that first appears in `controlScores` (and in maxScore) on `added_day`.
    pub added_control: String,
    pub added_day: String,
    /// The profile with `deprecated: true`; its control leaves `controlScores` (and maxScore)
    /// on `deprecated_day`.
    pub deprecated_control: String,
    pub deprecated_day: String,
    /// Set to `Ignored` (risk accepted) during the window: 0 points from `ignored_day` on.
    pub ignored_control: String,
    pub ignored_day: String,
    /// Set to `ThirdParty` during the window: full points from `third_party_day` on.
    pub third_party_control: String,
    pub third_party_day: String,
    /// Ignored before the window began: 0 points in every snapshot.
    pub long_ignored_control: String,
    /// Scored controls that have no control profile.
    pub unprofiled_controls: Vec<String>,
    /// Control profiles that are never scored (a product the tenant does not license).
    pub unscored_profiles: Vec<String>,
    /// The profile whose `remediation` HTML carries `<script>` and `<img onerror>` payloads.
    pub hostile_remediation_control: String,
    /// Days of the window with no snapshot at all.
    pub gap_days: Vec<String>,
    /// Days whose `averageComparativeScores` lack a basis, have an averageScore of -1, or are empty.
    pub comparative_missing_days: Vec<String>,
    pub comparative_minus_one_days: Vec<String>,
    pub comparative_empty_days: Vec<String>,
}

struct Def {
    id: &'static str,
    title: &'static str,
    category: &'static str,
    service: &'static str,
    /// The `enabledServices` entry the control needs (None: always licensed).
    needs: Option<&'static str>,
    max: f64,
    action: &'static str,
    tier: &'static str,
    cost: &'static str,
    impact: &'static str,
    threats: &'static [&'static str],
    /// false: scored but Microsoft publishes no profile for it.
    profile: bool,
}

const fn def(
    id: &'static str,
    title: &'static str,
    category: &'static str,
    service: &'static str,
    max: f64,
    tier: &'static str,
    threats: &'static [&'static str],
) -> Def {
    Def {
        id,
        title,
        category,
        service,
        needs: None,
        max,
        action: "Config",
        tier,
        cost: "Low",
        impact: "Low",
        threats,
        profile: true,
    }
}

const ADDED: &str = "AATPSensorCoverage";
const DEPRECATED: &str = "PWAgePolicyNew";
const HOSTILE: &str = "AntiPhishingPolicies";
const UNLICENSED: &str = "mcas_AppDiscovery";

const CATALOG: &[Def] = &[
    Def {
        cost: "Low",
        impact: "Low",
        ..def(
            "AdminMFAV2",
            "Ensure multifactor authentication is enabled for all users in administrative roles",
            "Identity",
            "AzureAD",
            10.0,
            "Core",
            &["Account Breach", "Elevation of Privilege"],
        )
    },
    Def {
        cost: "Moderate",
        impact: "Moderate",
        ..def(
            "MFARegistrationV2",
            "Ensure all users can complete multifactor authentication",
            "Identity",
            "AzureAD",
            9.0,
            "Core",
            &["Account Breach", "Password Cracking"],
        )
    },
    Def {
        cost: "Moderate",
        impact: "Moderate",
        ..def(
            "BlockLegacyAuthentication",
            "Enable Conditional Access policies to block legacy authentication",
            "Identity",
            "AzureAD",
            8.0,
            "Core",
            &["Password Cracking", "Account Breach"],
        )
    },
    def(
        DEPRECATED,
        "Ensure the 'Password expiration policy' is set to never expire",
        "Identity",
        "AzureAD",
        8.0,
        "Defense in Depth",
        &["Password Cracking"],
    ),
    def(
        "SelfServicePasswordReset",
        "Enable self-service password reset",
        "Identity",
        "AzureAD",
        1.0,
        "Core",
        &["Account Breach"],
    ),
    Def {
        cost: "Moderate",
        impact: "Moderate",
        ..def(
            "DLPEnabled",
            "Apply Data Loss Prevention policies",
            "Data",
            "IP",
            20.0,
            "Advanced",
            &["Data Exfiltration", "Data Spillage"],
        )
    },
    Def {
        action: "Review",
        ..def(
            "NonOwnerAccess",
            "Review mailbox access by non-owners bi-weekly",
            "Data",
            "EXO",
            5.0,
            "Core",
            &["Account Breach", "Data Exfiltration", "Malicious Insider"],
        )
    },
    Def {
        cost: "Moderate",
        ..def(
            "InformationProtectionLabels",
            "Ensure sensitivity labels are published",
            "Data",
            "IP",
            10.0,
            "Defense in Depth",
            &["Data Spillage"],
        )
    },
    Def {
        needs: Some("HasInTune"),
        cost: "Moderate",
        impact: "Moderate",
        ..def(
            "mdm_DeviceEncryption",
            "Require BitLocker encryption on devices",
            "Device",
            "Intune",
            10.0,
            "Core",
            &["Data Exfiltration"],
        )
    },
    def(
        "scid_2010",
        "Turn on Microsoft Defender Antivirus PUA protection in block mode",
        "Device",
        "MDATP",
        9.0,
        "Core",
        &["Malicious Insider"],
    ),
    def(
        "scid_91",
        "Block credential stealing from the Windows local security authority subsystem",
        "Device",
        "MDATP",
        9.0,
        "Core",
        &["Elevation of Privilege", "Account Breach"],
    ),
    def(
        "SafeLinksForOfficeApps",
        "Turn on Safe Links for Office applications",
        "Apps",
        "MDO",
        8.0,
        "Core",
        &["Phishing or Whaling"],
    ),
    Def {
        impact: "Moderate",
        ..def(
            HOSTILE,
            "Set the phishing email level threshold at 2 or higher",
            "Apps",
            "MDO",
            9.0,
            "Defense in Depth",
            &["Phishing or Whaling", "Spoofing"],
        )
    },
    Def {
        cost: "Moderate",
        impact: "Moderate",
        ..def(
            "OAuth2ClientConsent",
            "Do not allow users to grant consent to unreliable applications",
            "Apps",
            "AzureAD",
            4.0,
            "Core",
            &["Data Exfiltration"],
        )
    },
    Def {
        cost: "Moderate",
        ..def(
            "scid_5095",
            "Fix unsecure SMBv1 on servers",
            "Infrastructure",
            "MDATP",
            7.0,
            "Defense in Depth",
            &["Elevation of Privilege"],
        )
    },
    Def {
        cost: "High",
        impact: "Moderate",
        ..def(
            "scid_4001",
            "Update Windows Server 2022",
            "Infrastructure",
            "MDATP",
            9.0,
            "Core",
            &["Elevation of Privilege", "Malicious Insider"],
        )
    },
    Def {
        cost: "Moderate",
        ..def(
            ADDED,
            "Install Defender for Identity sensors on all domain controllers",
            "Identity",
            "Azure ATP",
            6.0,
            "Core",
            &["Elevation of Privilege", "Account Breach"],
        )
    },
    // Scored, but no profile is published for them.
    Def {
        profile: false,
        ..def(
            "SPOGuestExpiration",
            "Guest access to SharePoint and OneDrive expires automatically",
            "Data",
            "SPO",
            3.0,
            "Core",
            &[],
        )
    },
    Def {
        profile: false,
        ..def(
            "scid_6090",
            "Disable 'Enumerate administrator accounts on elevation'",
            "Device",
            "MDATP",
            2.0,
            "Defense in Depth",
            &[],
        )
    },
    // A profile for a product the demo tenants do not license: never scored.
    Def {
        needs: Some("HasMCAS"),
        action: "Review",
        ..def(
            UNLICENSED,
            "Discover trending shadow IT apps",
            "Apps",
            "MCAS",
            5.0,
            "Defense in Depth",
            &["Data Exfiltration"],
        )
    },
];

/// Per control: its points on each day of the window (index 0 = oldest), None when it is not
/// scored that day.
struct Track {
    def: &'static Def,
    points: Vec<Option<f64>>,
}

/// A tenant's Secure Score: the history as it would be without state changes, and the facts.
pub struct Model {
    tenant_id: String,
    services: Vec<&'static str>,
    licensed: i64,
    active: i64,
    tracks: Vec<Track>,
    /// Epoch ms of each day's snapshot (index 0 = oldest); None = no snapshot that day.
    snapshots: Vec<Option<i64>>,
    /// Per day: 0 normal, 1 IndustryTypes missing, 2 TotalSeats at -1, 3 no comparatives.
    comparatives: Vec<u8>,
    comparative_noise: Vec<f64>,
    pub truth: ScoreTruth,
    /// The planted state changes: (control, epoch ms, state, comment).
    planted_states: Vec<(&'static str, i64, &'static str, &'static str)>,
}

fn tenant_hash(id: &str) -> u64 {
    id.bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Epoch ms of the newest snapshot: today's, once it has been taken, else yesterday's.
fn newest_snapshot(now_ms: i64) -> i64 {
    let t = now_ms - SNAPSHOT_AT;
    t - t.rem_euclid(DAY) + SNAPSHOT_AT
}

impl Model {
    pub fn new(seed: u64, tenant_id: &str, second: bool, now_ms: i64) -> Model {
        let mut rng = Rng::new(seed ^ tenant_hash(tenant_id) ^ 0x5EC0_5C0E);
        let newest = newest_snapshot(now_ms);
        let day_ms = |t: usize| newest - (DAYS - 1 - t as i64) * DAY;
        let day = |t: usize| fmt_day(day_ms(t));
        let services: Vec<&'static str> = if second {
            vec!["HasExchange", "HasSharePoint", "HasOD4B", "HasMDEP"]
        } else {
            vec![
                "HasExchange",
                "HasSharePoint",
                "HasOD4B",
                "HasMDEP",
                "HasInTune",
            ]
        };
        let scored: Vec<&'static Def> = CATALOG
            .iter()
            .filter(|d| d.needs.is_none_or(|s| services.contains(&s)))
            .collect();
        // Controls free to carry a planted story: ordinary, with a profile.
        let mut pool: Vec<&'static Def> = scored
            .iter()
            .copied()
            .filter(|d| d.profile && ![ADDED, DEPRECATED].contains(&d.id))
            .collect();
        let mut take = |rng: &mut Rng, pred: &dyn Fn(&Def) -> bool| -> &'static Def {
            let cands: Vec<usize> = (0..pool.len()).filter(|&i| pred(pool[i])).collect();
            let i = cands[rng.below(cands.len() as u64) as usize];
            pool.remove(i)
        };
        let regression = take(&mut rng, &|d| d.max >= 5.0);
        let jump = take(&mut rng, &|d| d.max >= 8.0);
        let ignored = take(&mut rng, &|d| d.max >= 4.0);
        let third = take(&mut rng, &|d| d.max >= 4.0);
        let long_ignored = take(&mut rng, &|d| d.id != HOSTILE);
        // Distinct planted days, each with a snapshot the day before.
        let mut planted: Vec<usize> = Vec::new();
        while planted.len() < 6 {
            let t = rng.range(12, DAYS - 4) as usize;
            if planted.iter().all(|p| p.abs_diff(t) >= 3) {
                planted.push(t);
            }
        }
        let [reg_t, jump_t, added_t, dep_t, ign_t, third_t] =
            [0, 1, 2, 3, 4, 5].map(|i| planted[i]);
        let mut gaps: Vec<usize> = Vec::new();
        while gaps.len() < 3 {
            let t = rng.range(3, DAYS - 2) as usize;
            if planted.iter().all(|p| t != *p && t + 1 != *p) && !gaps.contains(&t) {
                gaps.push(t);
            }
        }
        gaps.sort();
        let tracks: Vec<Track> = scored
            .iter()
            .filter(|d| d.id != UNLICENSED)
            .map(|d| {
                let steps = [0.0, 0.2, 0.3, 0.5, 0.6, 0.8];
                let mut f: f64 = steps[rng.below(steps.len() as u64) as usize];
                // Its own improvement days (0-3 of them), never in lockstep with the others.
                let mut ups: Vec<(usize, f64)> = (0..rng.below(4))
                    .map(|_| (rng.range(1, DAYS) as usize, 0.1 * rng.range(1, 4) as f64))
                    .collect();
                ups.sort_by_key(|u| u.0);
                // An ordinary wobble: some controls lose a little for a few days.
                let wobble = rng
                    .chance(0.3)
                    .then(|| (rng.range(5, DAYS - 8) as usize, rng.range(2, 6) as usize));
                if d.id == regression.id {
                    f = f.max(0.8);
                    ups.retain(|u| u.0 < reg_t);
                } else if d.id == jump.id {
                    f = 0.0;
                    ups.clear();
                } else if d.id == ignored.id {
                    // It earned points until its risk was accepted.
                    f = f.max(0.5);
                } else if d.id == third.id {
                    f = f.min(0.2);
                    ups.retain(|u| u.0 < third_t);
                }
                let mut points = Vec::with_capacity(DAYS as usize);
                for t in 0..DAYS as usize {
                    while ups.first().is_some_and(|u| u.0 <= t) {
                        f = (f + ups.remove(0).1).min(1.0);
                    }
                    let mut frac = f;
                    if d.id == regression.id && t >= reg_t {
                        frac = (f - 0.6).max(0.0);
                    }
                    if d.id == jump.id && t >= jump_t {
                        frac = 1.0;
                    }
                    let in_wobble = wobble.is_some_and(|(w, len)| (w..w + len).contains(&t));
                    if in_wobble && d.id != regression.id && d.id != jump.id {
                        frac = (frac - 0.1).max(0.0);
                    }
                    let present =
                        !(d.id == ADDED && t < added_t || d.id == DEPRECATED && t >= dep_t);
                    points.push(present.then(|| round2(d.max * frac)));
                }
                Track { def: d, points }
            })
            .collect();
        let snapshots: Vec<Option<i64>> = (0..DAYS as usize)
            .map(|t| (!gaps.contains(&t)).then(|| day_ms(t)))
            .collect();
        // Comparatives: mostly all three bases; some days one is missing, some -1, one empty.
        let mut comparatives = vec![0u8; DAYS as usize];
        let mut mark = |rng: &mut Rng, kind: u8, n: usize| {
            let mut k = 0;
            while k < n {
                let t = rng.below(DAYS as u64) as usize;
                if comparatives[t] == 0 && snapshots[t].is_some() {
                    comparatives[t] = kind;
                    k += 1;
                }
            }
        };
        mark(&mut rng, 1, 6);
        mark(&mut rng, 2, 4);
        mark(&mut rng, 3, 1);
        let comparative_noise = (0..DAYS).map(|_| rng.f64()).collect();
        let days_of = |kind: u8| -> Vec<String> {
            (0..DAYS as usize)
                .filter(|&t| comparatives[t] == kind)
                .map(day)
                .collect()
        };
        let truth = ScoreTruth {
            regression_day: day(reg_t),
            regression_control: regression.id.into(),
            jump_day: day(jump_t),
            jump_control: jump.id.into(),
            added_control: ADDED.into(),
            added_day: day(added_t),
            deprecated_control: DEPRECATED.into(),
            deprecated_day: day(dep_t),
            ignored_control: ignored.id.into(),
            ignored_day: day(ign_t),
            third_party_control: third.id.into(),
            third_party_day: day(third_t),
            long_ignored_control: long_ignored.id.into(),
            unprofiled_controls: scored
                .iter()
                .filter(|d| !d.profile)
                .map(|d| d.id.to_string())
                .collect(),
            unscored_profiles: CATALOG
                .iter()
                .filter(|d| d.profile && !scored.iter().any(|s| s.id == d.id))
                .map(|d| d.id.to_string())
                .collect(),
            hostile_remediation_control: HOSTILE.into(),
            gap_days: gaps.iter().map(|&t| day(t)).collect(),
            comparative_missing_days: days_of(1),
            comparative_minus_one_days: days_of(2),
            comparative_empty_days: days_of(3),
        };
        // State changes land an hour before that day's snapshot is taken.
        let before = |t: usize| day_ms(t) - HOUR;
        let planted_states = vec![
            (
                ignored.id,
                before(ign_t),
                "Ignored",
                "Risk accepted: the legacy scanner cannot be reconfigured until the migration.",
            ),
            (
                third.id,
                before(third_t),
                "ThirdParty",
                "Covered by our third-party provider; see the exception register.",
            ),
            (
                long_ignored.id,
                newest - 140 * DAY - 5 * HOUR,
                "Ignored",
                "Accepted by the CISO for the line-of-business app.",
            ),
        ];
        let (licensed, active) = if second { (61, 47) } else { (260, 231) };
        Model {
            tenant_id: tenant_id.to_string(),
            services,
            licensed,
            active,
            tracks,
            snapshots,
            comparatives,
            comparative_noise,
            truth,
            planted_states,
        }
    }

    /// The control profiles (every profiled control of the catalogue, licensed or not).
    pub fn profiles(&self, people: &[String], now_ms: i64) -> Vec<Value> {
        let newest = newest_snapshot(now_ms);
        let person = |i: usize| {
            people
                .get(i % people.len().max(1))
                .cloned()
                .unwrap_or_default()
        };
        CATALOG
            .iter()
            .filter(|d| d.profile)
            .enumerate()
            .map(|(i, d)| {
                let upd = |at: i64, state: &str, assigned: Option<String>, comment: Option<&str>, by: Option<String>| {
                    json!({"assignedTo": assigned, "comment": comment, "state": state, "updatedBy": by, "updatedDateTime": fmt_ms(at)})
                };
                let mut updates = vec![upd(newest - (200 + i as i64 * 3) * DAY + 7 * 60_000 * i as i64, "Default", None, None, None)];
                // Ordinary review histories of different ages.
                match i % 5 {
                    1 => updates.push(upd(newest - 61 * DAY + 3 * HOUR, "Reviewed", Some(person(i)), Some("Reviewed with the identity team; planned for next quarter."), Some(person(i + 1)))),
                    3 => {
                        updates.push(upd(newest - 33 * DAY + 5 * HOUR, "Reviewed", Some(person(i + 2)), Some("Waiting for the change window."), Some(person(i))));
                        updates.push(upd(newest - 8 * DAY + 9 * HOUR, "Default", Some(person(i + 2)), Some("Reopened: the exception expired."), Some(person(i + 3))));
                    }
                    _ => {}
                }
                for (id, at, state, comment) in &self.planted_states {
                    if *id == d.id {
                        updates.retain(|u| parse_dt(u["updatedDateTime"].as_str().unwrap_or_default()).is_some_and(|t| t < *at));
                        updates.push(upd(*at, state, Some(person(i + 4)), Some(comment), Some(person(i + 5))));
                    }
                }
                let last = updates.last().map(|u| u["updatedDateTime"].clone()).unwrap_or(Value::Null);
                let remediation = if d.id == HOSTILE {
                    "<p>Raise the phishing threshold in the anti-phishing policy.</p><script>alert('remediation')</script><img src=x onerror=\"alert('remediation')\"><p>Then review <a href=\"javascript:alert(1)\">the quarantine</a>.</p>".to_string()
                } else {
                    format!("<p>In the <b>{}</b> admin center, configure: {}.</p><ol><li>Sign in as an administrator.</li><li>Apply the recommended setting to all users.</li></ol>", d.service, d.title)
                };
                json!({
                    "id": d.id, "azureTenantId": self.tenant_id, "actionType": d.action,
                    "actionUrl": format!("https://security.microsoft.com/securescore?viewid=actions&actionId={}", d.id),
                    "controlCategory": d.category, "title": d.title, "deprecated": d.id == DEPRECATED,
                    "implementationCost": d.cost, "lastModifiedDateTime": last,
                    "maxScore": d.max, "rank": i + 1, "remediation": remediation,
                    "remediationImpact": format!("This change will have a {} impact on your users.", d.impact.to_lowercase()),
                    "service": d.service, "threats": d.threats, "tier": d.tier, "userImpact": d.impact,
                    "complianceInformation": [{"certificationName": "ISO 27001:2013", "certificationControls": [{"name": format!("A.9.{}.{}", i % 4 + 1, i % 3 + 1), "url": "https://www.iso.org/standard/54534.html"}]}],
                    "controlStateUpdates": updates,
                    "vendorInformation": vendor(),
                })
            })
            .collect()
    }

    /// The daily snapshots, newest first, with each control's points under the state in force
    /// at the snapshot's time (`states`: control id -> its controlStateUpdates).
    pub fn render(&self, states: &HashMap<String, Vec<(i64, String)>>) -> Vec<Value> {
        let mut out = Vec::new();
        for t in (0..DAYS as usize).rev() {
            let Some(at) = self.snapshots[t] else {
                continue;
            };
            let mut max = 0.0;
            let mut current = 0.0;
            let mut controls = Vec::new();
            for tr in &self.tracks {
                let Some(base) = tr.points[t] else { continue };
                let state = states
                    .get(tr.def.id)
                    .and_then(|h| h.iter().filter(|(when, _)| *when <= at).max_by_key(|x| x.0))
                    .map(|x| x.1.to_ascii_lowercase())
                    .unwrap_or_default();
                let score = match state.as_str() {
                    "ignored" => 0.0,
                    "thirdparty" => tr.def.max,
                    _ => base,
                };
                max += tr.def.max;
                current += score;
                let pct = round2(score / tr.def.max * 100.0);
                let status = match state.as_str() {
                    "ignored" => "Risk accepted".to_string(),
                    "thirdparty" => "Resolved through third party".to_string(),
                    _ if pct >= 100.0 => "Completed".to_string(),
                    _ if score == 0.0 => "Not started".to_string(),
                    _ => format!("{} of {} points", score, tr.def.max),
                };
                controls.push(json!({
                    "controlCategory": tr.def.category, "controlName": tr.def.id,
                    "description": tr.def.title, "score": score, "scoreInPercentage": pct,
                    "implementationStatus": status, "lastSynced": fmt_ms(at - 40 * 60_000),
                }));
            }
            let n = self.comparative_noise[t];
            let mut comps = vec![
                json!({"basis": "AllTenants", "averageScore": round2(41.3 + n), "identityScore": 20.1, "dataScore": 5.2, "deviceScore": 10.3, "appsScore": 4.4, "infrastructureScore": 1.3}),
                json!({"basis": "TotalSeats", "averageScore": if self.comparatives[t] == 2 { -1.0 } else { round2(44.0 + n * 1.5) }, "seatSizeRangeLowerValue": if self.licensed > 100 { "101" } else { "26" }, "seatSizeRangeUpperValue": if self.licensed > 100 { "500" } else { "100" }}),
                json!({"basis": "IndustryTypes", "averageScore": round2(48.0 + n * 2.0), "industryName": "Professional services"}),
            ];
            match self.comparatives[t] {
                1 => {
                    comps.pop();
                }
                3 => comps.clear(),
                _ => {}
            }
            let days_old = (DAYS as usize - 1 - t) as i64;
            out.push(json!({
                "id": format!("{}_{}", self.tenant_id, fmt_day(at)),
                "azureTenantId": self.tenant_id,
                "activeUserCount": self.active - (days_old % 4) - days_old / 30,
                "createdDateTime": fmt_ms(at),
                "currentScore": round2(current),
                "enabledServices": self.services,
                "licensedUserCount": self.licensed - days_old / 45,
                "maxScore": round2(max),
                "averageComparativeScores": comps,
                "controlScores": controls,
                "vendorInformation": vendor(),
            }));
        }
        out
    }
}

fn vendor() -> Value {
    json!({"provider": "SecureScore", "providerVersion": null, "subProvider": null, "vendor": "Microsoft"})
}

/// Each profile's state history: control id -> (time, state).
pub fn states(profiles: &Collection) -> HashMap<String, Vec<(i64, String)>> {
    profiles
        .items
        .iter()
        .map(|r| {
            let v = r.value();
            let h = v["controlStateUpdates"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|u| {
                            let at = parse_dt(u["updatedDateTime"].as_str()?)?;
                            Some((at, u["state"].as_str()?.to_string()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            (r.id.clone(), h)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_after_the_newest_snapshot_shows_tomorrow() {
        let now = 1_800_000_000_000;
        let m = Model::new(42, "t", false, now);
        let mut st = HashMap::new();
        let id = m.truth.regression_control.clone();
        let before = m.render(&st);
        st.insert(id.clone(), vec![(now, "Ignored".to_string())]);
        assert_eq!(m.render(&st), before);
        let tomorrow = Model::new(42, "t", false, now + DAY);
        let after = tomorrow.render(&st);
        let score = |v: &Value| {
            v["controlScores"]
                .as_array()
                .and_then(|a| a.iter().find(|c| c["controlName"] == id.as_str()))
                .map(|c| c["score"].clone())
        };
        assert_eq!(score(&after[0]), Some(json!(0.0)));
        assert_ne!(score(&after[1]), Some(json!(0.0)));
    }

    #[test]
    fn planted_facts_hold_for_every_seed() {
        let people: Vec<String> = (0..9).map(|i| format!("p{i}@x.example")).collect();
        for seed in 0..60 {
            for second in [false, true] {
                let now = 1_800_000_000_000 + seed as i64 * 7_777_777;
                let m = Model::new(seed, "t", second, now);
                let profiles = Collection::from_values(
                    m.profiles(&people, now),
                    &crate::securescore::PROFILES_SPEC,
                );
                let h = m.render(&states(&profiles));
                let t = &m.truth;
                let at = |d: &str| {
                    h.iter().position(|s| {
                        fmt_day(
                            parse_dt(s["createdDateTime"].as_str().unwrap_or_default())
                                .unwrap_or(0),
                        ) == d
                    })
                };
                let score = |i: usize, c: &str| {
                    h[i]["controlScores"]
                        .as_array()
                        .and_then(|a| a.iter().find(|x| x["controlName"] == c))
                        .and_then(|x| x["score"].as_f64())
                };
                let fact = |d: &str, c: &str| {
                    let i = at(d).unwrap_or_else(|| panic!("seed {seed}: no snapshot on {d}"));
                    (score(i, c), score(i + 1, c))
                };
                let (now_s, before) = fact(&t.regression_day, &t.regression_control);
                assert!(now_s < before, "seed {seed} regression");
                let (now_s, before) = fact(&t.jump_day, &t.jump_control);
                assert!(
                    before == Some(0.0) && now_s >= Some(8.0),
                    "seed {seed} jump"
                );
                let (now_s, before) = fact(&t.ignored_day, &t.ignored_control);
                assert!(
                    now_s == Some(0.0) && before > Some(0.0),
                    "seed {seed} ignored"
                );
                let (now_s, before) = fact(&t.third_party_day, &t.third_party_control);
                assert!(now_s > before, "seed {seed} third party");
                let (now_s, before) = fact(&t.added_day, &t.added_control);
                assert!(now_s.is_some() && before.is_none(), "seed {seed} added");
                let (now_s, before) = fact(&t.deprecated_day, &t.deprecated_control);
                assert!(
                    now_s.is_none() && before.is_some(),
                    "seed {seed} deprecated"
                );
                assert_eq!(h.len(), DAYS as usize - t.gap_days.len());
            }
        }
    }

    #[test]
    fn newest_snapshot_is_not_in_the_future() {
        for off in [0, 1, SNAPSHOT_AT - 1, SNAPSHOT_AT, SNAPSHOT_AT + 1, DAY - 1] {
            let now = 1_800_000_000_000 - 1_800_000_000_000 % DAY + off;
            let n = newest_snapshot(now);
            assert!(n <= now && now - n < DAY, "{off}");
        }
    }
}
