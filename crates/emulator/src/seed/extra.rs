//! Secure Score history and control profiles, threat submissions, threat intelligence and the
//! directory (users, devices) of a demo tenant.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::alerts::DAY;
use super::entities::Entities;
use crate::util::{Rng, fmt_day, fmt_ms};

/// (id, title, category, service, maxScore, actionType, tier, cost, impact, threats)
type Control = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

pub const CONTROLS: &[Control] = &[
    (
        "AdminMFAV2",
        "Ensure multifactor authentication is enabled for all users in administrative roles",
        "Identity",
        "AzureAD",
        10.0,
        "Config",
        "Core",
        "Low",
        "Low",
        &["Account Breach", "Elevation of Privilege"],
    ),
    (
        "MFARegistrationV2",
        "Ensure all users can complete multifactor authentication",
        "Identity",
        "AzureAD",
        9.0,
        "Config",
        "Core",
        "Moderate",
        "Moderate",
        &["Account Breach", "Password Cracking"],
    ),
    (
        "BlockLegacyAuthentication",
        "Enable Conditional Access policies to block legacy authentication",
        "Identity",
        "AzureAD",
        8.0,
        "Config",
        "Core",
        "Moderate",
        "Moderate",
        &["Password Cracking", "Account Breach"],
    ),
    (
        "PWAgePolicyNew",
        "Ensure the 'Password expiration policy' is set to never expire",
        "Identity",
        "AzureAD",
        8.0,
        "Config",
        "Defense in Depth",
        "Low",
        "Low",
        &["Password Cracking"],
    ),
    (
        "SelfServicePasswordReset",
        "Enable self-service password reset",
        "Identity",
        "AzureAD",
        1.0,
        "Config",
        "Core",
        "Low",
        "Low",
        &["Account Breach"],
    ),
    (
        "DLPEnabled",
        "Apply Data Loss Prevention policies",
        "Data",
        "IP",
        20.0,
        "Config",
        "Advanced",
        "Moderate",
        "Moderate",
        &["Data Exfiltration", "Data Spillage"],
    ),
    (
        "NonOwnerAccess",
        "Review mailbox access by non-owners bi-weekly",
        "Data",
        "EXO",
        5.0,
        "Review",
        "Core",
        "Low",
        "Low",
        &["Account Breach", "Data Exfiltration", "Malicious Insider"],
    ),
    (
        "InformationProtectionLabels",
        "Ensure sensitivity labels are published",
        "Data",
        "IP",
        10.0,
        "Config",
        "Defense in Depth",
        "Moderate",
        "Low",
        &["Data Spillage"],
    ),
    (
        "mdm_DeviceEncryption",
        "Require BitLocker encryption on devices",
        "Device",
        "Intune",
        10.0,
        "Config",
        "Core",
        "Moderate",
        "Moderate",
        &["Data Exfiltration"],
    ),
    (
        "scid_2010",
        "Turn on Microsoft Defender Antivirus PUA protection in block mode",
        "Device",
        "MDATP",
        9.0,
        "Config",
        "Core",
        "Low",
        "Low",
        &["Malicious Insider"],
    ),
    (
        "scid_91",
        "Block credential stealing from the Windows local security authority subsystem",
        "Device",
        "MDATP",
        9.0,
        "Config",
        "Core",
        "Low",
        "Low",
        &["Elevation of Privilege", "Account Breach"],
    ),
    (
        "SafeLinksForOfficeApps",
        "Turn on Safe Links for Office applications",
        "Apps",
        "MDO",
        8.0,
        "Config",
        "Core",
        "Low",
        "Low",
        &["Phishing or Whaling"],
    ),
    (
        "AntiPhishingPolicies",
        "Set the phishing email level threshold at 2 or higher",
        "Apps",
        "MDO",
        9.0,
        "Config",
        "Defense in Depth",
        "Low",
        "Moderate",
        &["Phishing or Whaling", "Spoofing"],
    ),
    (
        "OAuth2ClientConsent",
        "Do not allow users to grant consent to unreliable applications",
        "Apps",
        "AzureAD",
        4.0,
        "Config",
        "Core",
        "Moderate",
        "Moderate",
        &["Data Exfiltration"],
    ),
    (
        "scid_5095",
        "Fix unsecure SMBv1 on servers",
        "Infrastructure",
        "MDATP",
        7.0,
        "Config",
        "Defense in Depth",
        "Moderate",
        "Low",
        &["Elevation of Privilege"],
    ),
    (
        "scid_4001",
        "Update Windows Server 2022",
        "Infrastructure",
        "MDATP",
        9.0,
        "Config",
        "Core",
        "High",
        "Moderate",
        &["Elevation of Privilege", "Malicious Insider"],
    ),
];

fn vendor() -> Value {
    json!({"provider": "SecureScore", "providerVersion": null, "subProvider": null, "vendor": "Microsoft"})
}

pub fn control_profiles(e: &Entities, now_ms: i64) -> Vec<Value> {
    CONTROLS
        .iter()
        .enumerate()
        .map(|(i, (id, title, cat, service, max, action, tier, cost, impact, threats))| {
            json!({
                "id": id, "azureTenantId": e.tenant_id, "actionType": action,
                "actionUrl": format!("https://security.microsoft.com/securescore?viewid=actions&actionId={id}"),
                "controlCategory": cat, "title": title, "deprecated": false,
                "implementationCost": cost, "lastModifiedDateTime": fmt_ms(now_ms - (i as i64 + 3) * DAY),
                "maxScore": max, "rank": i + 1, "remediation": format!("Open the <b>{service}</b> admin center and configure: {title}."),
                "remediationImpact": format!("This change will have a {} impact on your users.", impact.to_lowercase()),
                "service": service, "threats": threats, "tier": tier, "userImpact": impact,
                "complianceInformation": [{"certificationName": "ISO 27001:2013", "certificationControls": [{"name": format!("A.9.{}.{}", i % 4 + 1, i % 3 + 1), "url": "https://www.iso.org/standard/54534.html"}]}],
                "controlStateUpdates": if i % 3 == 1 {
                    json!([
                        {"assignedTo": null, "comment": null, "state": "Default", "updatedBy": null, "updatedDateTime": fmt_ms(now_ms - 200 * DAY)},
                        {"assignedTo": e.people[0].upn, "comment": "Planned for next quarter", "state": if i % 2 == 0 { "Ignored" } else { "Reviewed" }, "updatedBy": e.people[1].upn, "updatedDateTime": fmt_ms(now_ms - 20 * DAY)},
                    ])
                } else {
                    json!([{"assignedTo": null, "comment": null, "state": "Default", "updatedBy": null, "updatedDateTime": fmt_ms(now_ms - 200 * DAY)}])
                },
                "vendorInformation": vendor(),
            })
        })
        .collect()
}

/// 90 daily snapshots with an improving trend and two missing days.
pub fn secure_scores(rng: &mut Rng, e: &Entities, now_ms: i64) -> Vec<Value> {
    let max: f64 = CONTROLS.iter().map(|c| c.4).sum();
    let today = now_ms - now_ms.rem_euclid(DAY);
    let mut out = Vec::new();
    for d in 0..90i64 {
        if d == 17 || d == 43 {
            continue;
        }
        let day = today - d * DAY;
        let progress = 1.0 - d as f64 / 90.0;
        let controls: Vec<Value> = CONTROLS
            .iter()
            .enumerate()
            .map(|(i, (id, title, cat, ..))| {
                let cmax = CONTROLS[i].4;
                let frac = ((0.25 + 0.6 * progress + ((i * 7 % 5) as f64) * 0.04).min(1.0) * 10.0).round() / 10.0;
                json!({"controlCategory": cat, "controlName": id, "description": title, "score": (cmax * frac * 100.0).round() / 100.0,
                       "scoreInPercentage": (frac * 10000.0).round() / 100.0, "implementationStatus": if frac >= 1.0 { "Completed" } else { "Partially completed" }, "lastSynced": fmt_ms(day)})
            })
            .collect();
        let current: f64 = controls.iter().filter_map(|c| c["score"].as_f64()).sum();
        let industry = if d % 30 == 29 {
            -1.0
        } else {
            48.0 + rng.f64() * 2.0
        };
        out.push(json!({
            "id": format!("{}_{}", e.tenant_id, fmt_day(day)),
            "azureTenantId": e.tenant_id,
            "activeUserCount": e.people.len() as i64 - (d % 3),
            "createdDateTime": fmt_ms(day + 3 * 3_600_000),
            "currentScore": (current * 100.0).round() / 100.0,
            "enabledServices": ["HasExchange", "HasSharePoint", "HasOD4B", "HasMDEP", "HasInTune"],
            "licensedUserCount": e.people.len() + 12,
            "maxScore": max,
            "averageComparativeScores": [
                {"basis": "AllTenants", "averageScore": 41.3 + rng.f64(), "identityScore": 20.1, "dataScore": 5.2, "deviceScore": 10.3, "appsScore": 4.4, "infrastructureScore": 1.3},
                {"basis": "TotalSeats", "averageScore": 44.0 + rng.f64(), "seatSizeRangeLowerValue": "26", "seatSizeRangeUpperValue": "100"},
                {"basis": "IndustryTypes", "averageScore": industry, "industryName": "Professional services"},
            ],
            "controlScores": controls,
            "vendorInformation": vendor(),
        }));
    }
    out
}

pub fn submissions(
    rng: &mut Rng,
    e: &Entities,
    now_ms: i64,
) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
    let admin = &e.people[0];
    let created_by =
        json!({"user": {"identity": admin.id, "displayName": admin.display, "email": admin.upn}});
    let mut email = vec![];
    let mut url = vec![];
    let mut file = vec![];
    for i in 0..8i64 {
        let created = fmt_ms(now_ms - (i * 3 + 1) * DAY);
        let victim = &e.people[(i as usize * 3 + 5) % e.people.len()];
        let bad = &e.bad_domains[i as usize % e.bad_domains.len()];
        let (status, detail, category) = if i < 2 {
            ("running", "underInvestigation", "noResultAvailable")
        } else {
            ("succeeded", "urlFileShouldBeBlocked", "phishing")
        };
        email.push(json!({
            "@odata.type": if i % 2 == 0 { "#microsoft.graph.security.emailUrlThreatSubmission" } else { "#microsoft.graph.security.emailContentThreatSubmission" },
            "id": rng.guid(), "tenantId": e.tenant_id, "createdDateTime": created, "contentType": "email",
            "category": if i % 3 == 0 { "spam" } else { "phishing" }, "source": if i % 4 == 0 { "user" } else { "administrator" },
            "clientSource": "microsoft", "status": status, "createdBy": created_by,
            "result": {"detail": detail, "category": category, "userMailboxSetting": "isFromDomainInDomainSafeList,isJunkMailRuleEnabled",
                       "detectedUrls": [bad], "detectedFiles": [{"fileName": "invoice.html", "fileHash": e.malware[0].sha256}]},
            "adminReview": if i == 3 { json!({"reviewBy": admin.upn, "reviewDateTime": created, "reviewResult": "phishing"}) } else { Value::Null },
            "recipientEmailAddress": victim.upn, "internetMessageId": format!("<{}@mail.{bad}>", rng.hex(12)),
            "emailSubject": "Invoice overdue - action required", "subject": "Invoice overdue - action required", "sender": format!("billing@{bad}"), "senderIP": e.bad_ips[i as usize % e.bad_ips.len()].0,
            "receivedDateTime": fmt_ms(now_ms - (i * 3 + 2) * DAY), "originalCategory": "notJunk", "attackSimulationInfo": null,
            "tenantAllowOrBlockListAction": {"action": "block", "expirationDateTime": fmt_ms(now_ms + 30 * DAY), "note": "Blocked after phishing review.",
                "results": [{"identity": rng.guid(), "value": bad, "entryType": "url", "expirationDateTime": fmt_ms(now_ms + 30 * DAY), "status": "succeeded"}]},
        }));
        url.push(json!({
            "@odata.type": "#microsoft.graph.security.urlThreatSubmission", "id": rng.guid(), "tenantId": e.tenant_id,
            "createdDateTime": created, "contentType": "url", "category": "phishing", "source": "administrator", "clientSource": "microsoft",
            "status": status, "createdBy": created_by, "result": {"detail": detail, "category": category, "userMailboxSetting": null, "detectedUrls": [], "detectedFiles": []},
            "adminReview": null, "webUrl": format!("https://{bad}/login"),
        }));
        file.push(json!({
            "@odata.type": "#microsoft.graph.security.fileContentThreatSubmission", "id": rng.guid(), "tenantId": e.tenant_id,
            "createdDateTime": created, "contentType": "file", "category": "malware", "source": "administrator", "clientSource": "microsoft",
            "status": status, "createdBy": created_by, "result": {"detail": detail, "category": if i < 2 { "noResultAvailable" } else { "malware" }, "userMailboxSetting": null, "detectedUrls": [], "detectedFiles": []},
            "adminReview": null, "fileName": e.malware[i as usize % e.malware.len()].name, "fileContent": null,
        }));
    }
    (email, url, file)
}

pub fn articles(now_ms: i64) -> Vec<Value> {
    let items = [
        (
            "a272d5ab",
            "Qakbot resurfaces with invoice-themed phishing and HTML smuggling",
            &["Qakbot", "Phishing", "HTMLSmuggling"][..],
        ),
        (
            "b81c3e02",
            "Octo Tempest: SIM swapping to ransomware in hybrid environments",
            &["OctoTempest", "Ransomware", "Identity"][..],
        ),
        (
            "c5e0a7d9",
            "Rclone abuse for data exfiltration: detection opportunities",
            &["Exfiltration", "Rclone", "OSINT"][..],
        ),
        (
            "d04f66b1",
            "Password spray campaigns against cloud tenants from residential proxies",
            &["PasswordSpray", "EntraID"][..],
        ),
    ];
    items
        .iter()
        .enumerate()
        .map(|(i, (id, title, tags))| {
            let t = fmt_ms(now_ms - (i as i64 * 9 + 2) * DAY);
            json!({
                "id": id, "createdDateTime": t, "lastUpdatedDateTime": t, "title": title,
                "summary": {"content": format!("{title}: what we saw and how to hunt for it."), "format": "markdown"},
                "isFeatured": i == 0,
                "body": {"content": format!("#### Description\r\n{title}.\r\n\r\n#### Hunting\r\nSearch AlertEvidence for the indicators below."), "format": "markdown"},
                "tags": tags, "imageUrl": if i == 0 { json!("https://ti.defender.microsoft.com/images/qakbot.png") } else { Value::Null },
            })
        })
        .collect()
}

pub fn intel_profiles() -> Vec<Value> {
    let items = [
        (
            "9b01de37bf66d1760954a16dc2b52fed2a7bd4e093dfc8a4905e108e4843da80",
            "actor",
            "Octo Tempest",
            &["Scattered Spider", "UNC3944", "0ktapus"][..],
            "2022-03-01T00:00:00Z",
        ),
        (
            "4a1c7d0e2f9b8a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c",
            "actor",
            "Storm-0501",
            &["Sangria Tempest"][..],
            "2021-08-15T00:00:00Z",
        ),
        (
            "7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d",
            "tool",
            "Cobalt Strike",
            &["CobaltStrike", "Beacon"][..],
            "2012-01-01T00:00:00Z",
        ),
    ];
    items
        .iter()
        .map(|(id, kind, title, aliases, first)| {
            json!({
                "@odata.type": "#microsoft.graph.security.intelligenceProfile", "id": id, "kind": kind, "title": title,
                "firstActiveDateTime": first, "aliases": aliases,
                "targets": ["Information Technology: Cloud Services", "Finance: Banking"],
                "countriesOrRegionsOfOrigin": [{"@odata.type": "microsoft.graph.security.intelligenceProfileCountryOrRegionOfOrigin", "label": "United States", "code": "US"}],
                "summary": {"@odata.type": "microsoft.graph.security.formattedContent", "content": format!("{title} is tracked by Microsoft Threat Intelligence."), "format": "text"},
                "description": {"@odata.type": "microsoft.graph.security.formattedContent", "content": format!("## Snapshot\r\n{title} ..."), "format": "markdown"},
                "tradecraft": {"@odata.type": "microsoft.graph.security.formattedContent", "content": "Phishing, credential theft and abuse of legitimate remote tools.", "format": "markdown"},
            })
        })
        .collect()
}

/// Host records (host, reputation) for every malicious domain and IP the alerts use.
pub fn hosts(e: &Entities, now_ms: i64, rng: &mut Rng) -> HashMap<String, (Value, Value)> {
    let mut out = HashMap::new();
    let rep = |rng: &mut Rng, id: &str, score: i64| {
        json!({
            "@odata.type": "#microsoft.graph.security.hostReputation", "id": rng.guid(),
            "classification": if score >= 75 { "malicious" } else if score >= 40 { "suspicious" } else { "neutral" }, "score": score,
            "rules": [
                {"name": "Microsoft Defender Threat Intelligence Intel Article", "description": "Activity Snapshot: infrastructure used in phishing campaigns", "severity": "high", "relatedDetailsUrl": "https://ti.defender.microsoft.com/article/a272d5ab"},
                {"name": "Name server", "description": format!("{id} uses a name server associated with suspicious behavior"), "severity": "medium", "relatedDetailsUrl": null},
            ],
        })
    };
    for d in &e.bad_domains {
        let host = json!({"@odata.type": "#microsoft.graph.security.hostname", "id": d, "firstSeenDateTime": fmt_ms(now_ms - 120 * DAY), "lastSeenDateTime": fmt_ms(now_ms - DAY), "registrar": "NameCheap, Inc.", "registrant": "Privacy service provided by Withheld for Privacy ehf"});
        let r = rep(rng, d, 90);
        out.insert(d.to_lowercase(), (host, r));
    }
    for (ip, _) in &e.bad_ips {
        let host = json!({"@odata.type": "#microsoft.graph.security.ipAddress", "id": ip, "firstSeenDateTime": fmt_ms(now_ms - 300 * DAY), "lastSeenDateTime": fmt_ms(now_ms - 2 * DAY), "countryOrRegion": "Unknown", "hostingProvider": "Bulletproof Hosting Ltd", "netblock": format!("{}/24", ip)});
        let r = rep(rng, ip, 70);
        out.insert(ip.to_lowercase(), (host, r));
    }
    let benign = json!({"@odata.type": "#microsoft.graph.security.hostname", "id": "contoso.com", "firstSeenDateTime": "2009-09-02T03:29:10.000Z", "lastSeenDateTime": fmt_ms(now_ms), "registrar": "MarkMonitor Inc.", "registrant": "Microsoft Corporation"});
    let r = rep(rng, "contoso.com", 0);
    out.insert("contoso.com".into(), (benign, r));
    out
}

pub fn users(e: &Entities) -> Vec<Value> {
    e.people
        .iter()
        .map(|p| {
            json!({
                "id": p.id, "businessPhones": ["+1 425 555 0109"], "displayName": p.display, "givenName": p.given,
                "jobTitle": p.job, "mail": p.upn, "mobilePhone": null, "officeLocation": p.office, "preferredLanguage": "en-US",
                "surname": p.surname, "userPrincipalName": p.upn, "accountEnabled": true, "department": p.department,
                "onPremisesSecurityIdentifier": p.sid,
            })
        })
        .collect()
}

pub fn devices(e: &Entities, now_ms: i64) -> Vec<Value> {
    e.machines
        .iter()
        .enumerate()
        .map(|(i, m)| {
            json!({
                "id": m.object_id, "deviceId": m.aad_id, "displayName": m.name, "accountEnabled": true,
                "operatingSystem": if m.os.starts_with("Windows") { "Windows" } else { m.os }, "operatingSystemVersion": m.version,
                "isCompliant": i % 5 != 0, "isManaged": true, "trustType": if m.os.starts_with("WindowsServer") { "ServerAd" } else { "AzureAd" },
                "approximateLastSignInDateTime": fmt_ms(now_ms - (i as i64 % 7) * DAY), "manufacturer": if m.os == "macOS" { "Apple" } else { "Contoso Hardware" },
                "model": if m.os == "macOS" { "MacBookPro18,3" } else { "Surface Laptop 5" }, "profileType": "RegisteredDevice",
                "mdeDeviceId": m.mde_id,
            })
        })
        .collect()
}
