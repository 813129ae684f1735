//! Threat submissions, threat intelligence and the
//! directory (users, devices) of a demo tenant.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::alerts::DAY;
use super::entities::Entities;
use crate::util::{Rng, fmt_ms};

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
