//! Alerts (with evidence of every main type), the incidents that group them, and the planted
//! multi-stage attack stories documented in docs/emulator.md.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::entities::{Entities, Machine, Malware, Person};
use crate::util::{Rng, fmt_ms};

pub const DAY: i64 = 86_400_000;
const MIN: i64 = 60_000;

/// The six providers and the values Graph reports for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    Endpoint,
    Office,
    Identity,
    CloudApps,
    EntraId,
    Dlp,
}

impl Provider {
    pub fn prefix(self) -> &'static str {
        match self {
            Provider::Endpoint => "da",
            Provider::Office => "fa",
            Provider::Identity => "aa",
            Provider::CloudApps => "ca",
            Provider::EntraId => "ad",
            Provider::Dlp => "dl",
        }
    }
    pub fn service_source(self) -> &'static str {
        match self {
            Provider::Endpoint => "microsoftDefenderForEndpoint",
            Provider::Office => "microsoftDefenderForOffice365",
            Provider::Identity => "microsoftDefenderForIdentity",
            Provider::CloudApps => "microsoftDefenderForCloudApps",
            Provider::EntraId => "azureAdIdentityProtection",
            Provider::Dlp => "dataLossPrevention",
        }
    }
    fn detection_sources(self) -> &'static [&'static str] {
        match self {
            Provider::Endpoint => &[
                "microsoftDefenderForEndpoint",
                "antivirus",
                "smartScreen",
                "automatedInvestigation",
                "customDetection",
            ],
            Provider::Office => &["microsoftDefenderForOffice365"],
            Provider::Identity => &["microsoftDefenderForIdentity"],
            Provider::CloudApps => &["cloudAppSecurity", "appGovernanceDetection"],
            Provider::EntraId => &["azureAdIdentityProtection"],
            Provider::Dlp => &["microsoftDataLossPrevention"],
        }
    }
    pub fn product_name(self) -> &'static str {
        match self {
            Provider::Endpoint => "Microsoft Defender for Endpoint",
            Provider::Office => "Microsoft Defender for Office 365",
            Provider::Identity => "Microsoft Defender for Identity",
            Provider::CloudApps => "Microsoft Defender for Cloud Apps",
            Provider::EntraId => "Microsoft Entra ID Protection",
            Provider::Dlp => "Microsoft Data Loss Prevention",
        }
    }
}

/// Evidence kinds a template attaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ev {
    User,
    Device,
    Ip,
    File,
    Url,
    Mailbox,
    Message,
    MailCluster,
    CloudApp,
    OAuthApp,
    Process,
    RegKey,
    RegValue,
    Group,
}

pub struct Template {
    pub provider: Provider,
    pub title: &'static str,
    pub category: &'static str,
    pub mitre: &'static [&'static str],
    pub severity: &'static str,
    pub evidence: &'static [Ev],
    pub description: &'static str,
}

use Ev::*;
use Provider::*;

macro_rules! t {
    ($p:expr, $title:expr, $cat:expr, [$($m:expr),*], $sev:expr, [$($e:expr),*], $d:expr) => {
        Template { provider: $p, title: $title, category: $cat, mitre: &[$($m),*], severity: $sev, evidence: &[$($e),*], description: $d }
    };
}

pub static TEMPLATES: &[Template] = &[
    t!(
        Endpoint,
        "Suspicious execution of hidden file",
        "DefenseEvasion",
        ["T1564.001"],
        "low",
        [Device, File, Process, RegKey],
        "A hidden file has been launched. This activity could indicate a compromised host. Attackers often hide files associated with malicious tools to evade file system inspection and defenses."
    ),
    t!(
        Endpoint,
        "Suspicious PowerShell command line",
        "Execution",
        ["T1059.001", "T1027"],
        "medium",
        [Device, Process, User],
        "A suspicious PowerShell command line was observed. Attackers use encoded commands to download and run payloads."
    ),
    t!(
        Endpoint,
        "Credential dumping activity observed",
        "CredentialAccess",
        ["T1003.001"],
        "high",
        [Device, Process, File, User],
        "A process accessed the memory of the Local Security Authority Subsystem Service (lsass.exe), which can expose credentials."
    ),
    t!(
        Endpoint,
        "Possible ransomware activity",
        "Impact",
        ["T1486", "T1490"],
        "high",
        [Device, File, Process, User],
        "Files were encrypted in quick succession and shadow copies were deleted."
    ),
    t!(
        Endpoint,
        "Anomalous scheduled task created",
        "Persistence",
        ["T1053.005"],
        "medium",
        [Device, Process, RegValue],
        "A scheduled task that runs an unusual binary from a user-writable folder was created."
    ),
    t!(
        Endpoint,
        "Connection to a known command and control server",
        "CommandAndControl",
        ["T1071.001"],
        "high",
        [Device, Ip, Url, Process],
        "The device connected to an IP address associated with command and control infrastructure."
    ),
    t!(
        Endpoint,
        "'Cobaltstrike' malware was detected",
        "Malware",
        ["T1055"],
        "high",
        [Device, File],
        "Malware was detected on the device. The file was quarantined by Microsoft Defender Antivirus."
    ),
    t!(
        Endpoint,
        "Unsanctioned remote access tool installed",
        "Execution",
        ["T1219"],
        "low",
        [Device, File, Process],
        "A remote administration tool that is not approved by the organization was installed."
    ),
    t!(
        Office,
        "Email messages containing malicious URL removed after delivery",
        "InitialAccess",
        ["T1566.002"],
        "informational",
        [Mailbox, Message, Url, MailCluster],
        "Emails with a malicious URL were delivered and later removed (zero-hour auto purge)."
    ),
    t!(
        Office,
        "A potentially malicious URL click was detected",
        "InitialAccess",
        ["T1204.001", "T1566.002"],
        "high",
        [Mailbox, Url, User, Ip],
        "A user clicked a URL that was later found to be malicious."
    ),
    t!(
        Office,
        "Email reported by user as malware or phish",
        "InitialAccess",
        ["T1566.001"],
        "informational",
        [Mailbox, Message, File],
        "A user reported an email message as phishing."
    ),
    t!(
        Office,
        "Suspicious email sending patterns detected",
        "Exfiltration",
        ["T1114.003"],
        "medium",
        [Mailbox, User, Ip],
        "The user sent an unusually large number of messages to external recipients."
    ),
    t!(
        Office,
        "Creation of forwarding/redirect rule",
        "Exfiltration",
        ["T1114.003"],
        "medium",
        [Mailbox, User, Ip, CloudApp],
        "A mailbox rule that forwards mail to an external address was created."
    ),
    t!(
        Identity,
        "Suspected DCSync attack (replication of directory services)",
        "CredentialAccess",
        ["T1003.006"],
        "high",
        [User, Device, Ip],
        "A replication request was sent from a computer that is not a domain controller."
    ),
    t!(
        Identity,
        "Suspected Pass-the-Hash attack",
        "LateralMovement",
        ["T1550.002"],
        "high",
        [User, Device, Ip],
        "An NTLM hash of a user was used from a device where the user never signed in."
    ),
    t!(
        Identity,
        "Account enumeration reconnaissance",
        "Discovery",
        ["T1087.002"],
        "medium",
        [User, Device, Ip],
        "Many account names were queried against the domain controller in a short period."
    ),
    t!(
        Identity,
        "Suspicious additions to sensitive groups",
        "PrivilegeEscalation",
        ["T1098"],
        "medium",
        [User, Group, Device],
        "A user was added to a sensitive group (Domain Admins)."
    ),
    t!(
        CloudApps,
        "Impossible travel activity",
        "InitialAccess",
        ["T1078.004"],
        "medium",
        [User, Ip, CloudApp],
        "The same user signed in from two distant locations within a time that makes travel impossible."
    ),
    t!(
        CloudApps,
        "Mass download by a single user",
        "Exfiltration",
        ["T1530"],
        "medium",
        [User, Ip, CloudApp, File],
        "A user downloaded an unusually large number of files from SharePoint in one session."
    ),
    t!(
        CloudApps,
        "Suspicious inbox manipulation rule",
        "DefenseEvasion",
        ["T1564.008"],
        "medium",
        [User, Mailbox, Ip, CloudApp],
        "A rule that deletes or moves messages was set on the user's inbox."
    ),
    t!(
        CloudApps,
        "Unusual addition of credentials to an OAuth app",
        "Persistence",
        ["T1098.001"],
        "high",
        [User, OAuthApp, CloudApp, Ip],
        "Credentials were added to an OAuth application in an unusual way."
    ),
    t!(
        EntraId,
        "Anonymous IP address",
        "InitialAccess",
        ["T1078"],
        "low",
        [User, Ip],
        "A sign-in came from an anonymous proxy IP address such as a Tor exit node."
    ),
    t!(
        EntraId,
        "Unfamiliar sign-in properties",
        "InitialAccess",
        ["T1078"],
        "medium",
        [User, Ip],
        "A sign-in had properties (location, ASN, browser) never seen for this user."
    ),
    t!(
        EntraId,
        "Leaked credentials",
        "CredentialAccess",
        ["T1589.001"],
        "high",
        [User],
        "The user's valid credentials were found in a public leak."
    ),
    t!(
        EntraId,
        "Password spray",
        "CredentialAccess",
        ["T1110.003"],
        "high",
        [User, Ip],
        "Many accounts were attacked with a few common passwords from the same infrastructure."
    ),
    t!(
        Dlp,
        "DLP policy match: credit card numbers shared externally",
        "Exfiltration",
        ["T1567"],
        "medium",
        [User, File, CloudApp],
        "A document with credit card numbers was shared with an external user."
    ),
    t!(
        Dlp,
        "DLP policy match: sensitive document uploaded to personal cloud storage",
        "Exfiltration",
        ["T1567.002"],
        "high",
        [User, File, Device, Url],
        "A file labelled Highly Confidential was uploaded to an unsanctioned cloud storage service."
    ),
    t!(
        Dlp,
        "DLP policy match: email with personal data to external recipient",
        "Exfiltration",
        ["T1048"],
        "low",
        [User, Mailbox, Message],
        "An email containing personal data was sent to an external domain."
    ),
];

pub const SEVERITIES: &[&str] = &[
    "unknown",
    "informational",
    "low",
    "medium",
    "high",
    "unknownFutureValue",
];
pub const ALERT_STATUSES: &[&str] = &[
    "unknown",
    "new",
    "inProgress",
    "resolved",
    "unknownFutureValue",
];
pub const CLASSIFICATIONS: &[&str] = &[
    "unknown",
    "falsePositive",
    "truePositive",
    "informationalExpectedActivity",
    "unknownFutureValue",
];
pub const DETERMINATIONS: &[&str] = &[
    "unknown",
    "apt",
    "malware",
    "securityPersonnel",
    "securityTesting",
    "unwantedSoftware",
    "other",
    "multiStagedAttack",
    "compromisedAccount",
    "phishing",
    "maliciousUserActivity",
    "notMalicious",
    "notEnoughDataToValidate",
    "confirmedActivity",
    "lineOfBusinessApplication",
    "unknownFutureValue",
];
pub const SERVICE_SOURCES: &[&str] = &[
    "unknown",
    "microsoftDefenderForEndpoint",
    "microsoftDefenderForIdentity",
    "microsoftDefenderForCloudApps",
    "microsoftDefenderForOffice365",
    "microsoft365Defender",
    "azureAdIdentityProtection",
    "microsoftAppGovernance",
    "dataLossPrevention",
    "unknownFutureValue",
    "microsoftDefenderForCloud",
    "microsoftSentinel",
];
pub const INCIDENT_STATUSES: &[&str] = &[
    "active",
    "resolved",
    "inProgress",
    "redirected",
    "unknownFutureValue",
    "awaitingAction",
];

const RECOMMENDED: &str = "Collect artifacts and determine scope\n\u{2022}\tReview the machine timeline for suspicious activities that may have occurred before and after the time of the alert.\n\u{2022}\tLook for the presence of relevant artifacts on other systems.\n\nInitiate containment & mitigation\n\u{2022}\tContact the user to verify intent and initiate local remediation actions as needed.\n\u{2022}\tIf credential theft is suspected, reset all relevant users' passwords.";

/// Titles and comments that must be rendered as text, never markup.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script> Suspicious script in document",
    "Suspicious file <img src=x onerror=alert(1)> downloaded",
    "Phishing link \u{202E}fdp.exe\u{202C} sent to finance",
    "Ransom note found 🔒💀 on file share",
    "Unusual sign-in by Zoë Müller-Ł\u{0301}\u{0327}o\u{0308}ngname",
    "\u{200F}تسجيل دخول مشبوه\u{200F} from unfamiliar location",
];

/// Context shared by the alerts of one incident.
pub struct Scene<'a> {
    pub person: &'a Person,
    pub machine: &'a Machine,
    pub ip: (&'a str, &'a str),
    pub malware: &'a Malware,
    pub domain: &'a str,
    pub bad_domain: &'a str,
}

/// Everything the generator produced for one tenant.
pub struct Generated {
    pub alerts: Vec<Value>,
    pub incidents: Vec<Value>,
}

struct Ids {
    next_incident: u64,
}

/// Ids look like the service's (`da637578995287051192_756343937`) but come from the seed alone,
/// never from the clock, so they survive a restart (bookmarks, `--state`).
fn alert_id(rng: &mut Rng, p: Provider) -> String {
    format!(
        "{}{}_{}",
        p.prefix(),
        638_000_000_000_000_000 + rng.below(999_999_999_999_999),
        rng.next_u64() as i32
    )
}

fn file_details(m: &Malware) -> Value {
    json!({
        "sha1": m.sha1, "sha256": m.sha256, "md5": m.md5, "fileName": m.name, "filePath": m.path,
        "fileSize": m.size, "filePublisher": m.publisher, "signer": m.publisher, "issuer": m.publisher.map(|_| "DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1"), "sha256Ac": null,
    })
}

fn system_binary(name: &str, rng: &mut Rng) -> Value {
    json!({
        "sha1": rng.hex(40), "sha256": rng.hex(64), "md5": rng.hex(32), "fileName": name,
        "filePath": "C:\\Windows\\System32", "fileSize": rng.range(50_000, 900_000),
        "filePublisher": "Microsoft Corporation", "signer": "Microsoft Windows", "issuer": "Microsoft Windows Production PCA 2011",
        "sha256Ac": null,
    })
}

fn user_account(p: &Person, domain: &str) -> Value {
    json!({
        "accountName": p.account, "domainName": domain.split('.').next().unwrap_or(domain).to_uppercase(),
        "userSid": p.sid, "azureAdUserId": p.id, "userPrincipalName": p.upn, "displayName": p.display,
    })
}

fn base(
    kind: &str,
    created: &str,
    verdict: &str,
    roles: &[&str],
    detailed: &[&str],
    rng: &mut Rng,
) -> Map<String, Value> {
    let remediation = if verdict == "malicious" {
        *rng.pick(&["remediated", "prevented", "blocked", "none"])
    } else {
        "none"
    };
    let mut m = Map::new();
    m.insert(
        "@odata.type".into(),
        json!(format!("#microsoft.graph.security.{kind}")),
    );
    m.insert("createdDateTime".into(), json!(created));
    m.insert("verdict".into(), json!(verdict));
    m.insert("remediationStatus".into(), json!(remediation));
    m.insert(
        "remediationStatusDetails".into(),
        if remediation == "none" {
            Value::Null
        } else {
            json!("Remediated by automated investigation")
        },
    );
    m.insert("roles".into(), json!(roles));
    m.insert("detailedRoles".into(), json!(detailed));
    m.insert("tags".into(), json!([]));
    m
}

fn evidence(kind: Ev, s: &Scene, created_ms: i64, rng: &mut Rng) -> Value {
    let created = fmt_ms(created_ms);
    let c = created.as_str();
    let verdict = *rng.pick(&["suspicious", "malicious", "unknown", "noThreatsFound"]);
    let dom = s.domain;
    let m = s.machine;
    let mut e = match kind {
        User => {
            let mut e = base("userEvidence", c, verdict, &["compromised"], &[], rng);
            e.insert("userAccount".into(), user_account(s.person, dom));
            e
        }
        Device => {
            let mut e = base(
                "deviceEvidence",
                c,
                verdict,
                &["compromised"],
                &["Main device"],
                rng,
            );
            let vm = m.os.starts_with("WindowsServer");
            for (k, v) in [
                (
                    "firstSeenDateTime",
                    json!(fmt_ms(created_ms - m.first_seen_days * DAY)),
                ),
                ("mdeDeviceId", json!(m.mde_id)),
                ("azureAdDeviceId", json!(m.aad_id)),
                ("deviceDnsName", json!(m.dns)),
                ("osPlatform", json!(m.os)),
                ("osBuild", json!(m.os_build)),
                ("version", json!(m.version)),
                (
                    "healthStatus",
                    json!(*rng.pick(&["active", "active", "inactive", "impairedCommunication"])),
                ),
                ("riskScore", json!(*rng.pick(&["low", "medium", "high"]))),
                ("rbacGroupId", json!(75)),
                ("rbacGroupName", json!("Workstations")),
                ("onboardingStatus", json!("onboarded")),
                (
                    "defenderAvStatus",
                    json!(*rng.pick(&["updated", "notUpdated", "unknown"])),
                ),
                ("ipInterfaces", json!([m.ip, "fe80::1c2b:3d4e:5f60:7182"])),
                (
                    "loggedOnUsers",
                    json!([{"accountName": s.person.account, "domainName": dom.split('.').next().unwrap_or(dom).to_uppercase()}]),
                ),
                (
                    "vmMetadata",
                    if vm {
                        json!({"vmId": rng.guid(), "cloudProvider": "azure", "resourceId": format!("/subscriptions/{}/resourceGroups/prod/providers/Microsoft.Compute/virtualMachines/{}", rng.guid(), m.name), "subscriptionId": rng.guid()})
                    } else {
                        json!({"vmId": rng.guid(), "cloudProvider": "unknown", "resourceId": "", "subscriptionId": ""})
                    },
                ),
            ] {
                e.insert(k.into(), v);
            }
            e
        }
        Ip => {
            let mut e = base("ipEvidence", c, verdict, &["attacker"], &[], rng);
            e.insert("ipAddress".into(), json!(s.ip.0));
            e.insert("countryLetterCode".into(), json!(s.ip.1));
            e
        }
        File => {
            let mut e = base(
                "fileEvidence",
                c,
                verdict,
                &[],
                &["Referred in command line"],
                rng,
            );
            e.insert(
                "detectionStatus".into(),
                json!(*rng.pick(&["detected", "blocked", "prevented"])),
            );
            e.insert("mdeDeviceId".into(), json!(m.mde_id));
            e.insert("fileDetails".into(), file_details(s.malware));
            e
        }
        Url => {
            let mut e = base("urlEvidence", c, verdict, &["commandAndControl"], &[], rng);
            e.insert(
                "url".into(),
                json!(format!("https://{}/{}", s.bad_domain, rng.hex(8))),
            );
            e
        }
        Mailbox => {
            let mut e = base("mailboxEvidence", c, verdict, &["contextual"], &[], rng);
            e.insert("displayName".into(), json!(s.person.display));
            e.insert("primaryAddress".into(), json!(s.person.upn));
            e.insert("upn".into(), json!(s.person.upn));
            e.insert("userAccount".into(), user_account(s.person, dom));
            e
        }
        Message => {
            let mut e = base("analyzedMessageEvidence", c, verdict, &[], &[], rng);
            let nmid = rng.guid();
            for (k, v) in [
                ("networkMessageId", json!(nmid)),
                (
                    "internetMessageId",
                    json!(format!("<{}@mail.{}>", rng.hex(16), s.bad_domain)),
                ),
                (
                    "subject",
                    json!(*rng.pick(&[
                        "Invoice overdue - action required",
                        "Your mailbox is almost full",
                        "Shared document: Q3 bonus plan",
                        "DocuSign: please review and sign"
                    ])),
                ),
                ("language", json!("en")),
                ("senderIp", json!(s.ip.0)),
                ("recipientEmailAddress", json!(s.person.upn)),
                ("antiSpamDirection", json!("inbound")),
                (
                    "deliveryAction",
                    json!(*rng.pick(&["delivered", "junked", "blocked", "replaced"])),
                ),
                (
                    "deliveryLocation",
                    json!(*rng.pick(&["inbox", "junkFolder", "quarantine", "deletedFolder"])),
                ),
                ("urn", json!(format!("urn:MailEntity:{}", rng.hex(32)))),
                ("threats", json!(["Phish"])),
                (
                    "threatDetectionMethods",
                    json!(["URL detonation reputation", "Impersonation domain"]),
                ),
                ("urls", json!([format!("https://{}/login", s.bad_domain)])),
                ("urlCount", json!(1)),
                ("attachmentsCount", json!(rng.range(0, 3))),
                ("receivedDateTime", json!(c)),
                (
                    "p1Sender",
                    json!({"displayName": "Accounts Payable", "domainName": s.bad_domain, "emailAddress": format!("billing@{}", s.bad_domain)}),
                ),
                (
                    "p2Sender",
                    json!({"displayName": "Accounts Payable", "domainName": s.bad_domain, "emailAddress": format!("noreply@{}", s.bad_domain)}),
                ),
            ] {
                e.insert(k.into(), v);
            }
            e
        }
        MailCluster => {
            let mut e = base("mailClusterEvidence", c, verdict, &[], &[], rng);
            e.insert("clusterBy".into(), json!("Subject;P2SenderDomain"));
            e.insert(
                "clusterByValue".into(),
                json!(format!("Invoice overdue;{}", s.bad_domain)),
            );
            e.insert(
                "query".into(),
                json!(format!("(P2SenderDomain:\"{}\")", s.bad_domain)),
            );
            e.insert(
                "urn".into(),
                json!(format!("urn:MailClusterEntity:{}", rng.hex(32))),
            );
            e.insert("emailCount".into(), json!(rng.range(2, 40)));
            e.insert("networkMessageIds".into(), json!([rng.guid(), rng.guid()]));
            e
        }
        CloudApp => {
            let mut e = base(
                "cloudApplicationEvidence",
                c,
                verdict,
                &["contextual"],
                &[],
                rng,
            );
            let (id, name) = *rng.pick(&[
                (20893, "Microsoft Exchange Online"),
                (20892, "Microsoft SharePoint Online"),
                (11161, "Office 365"),
                (28375, "Microsoft Teams"),
            ]);
            e.insert("appId".into(), json!(id));
            e.insert("displayName".into(), json!(name));
            e.insert("instanceId".into(), json!(0));
            e.insert("instanceName".into(), json!(name));
            e.insert("saasAppId".into(), json!(id));
            e
        }
        OAuthApp => {
            let mut e = base(
                "oauthApplicationEvidence",
                c,
                verdict,
                &["suspicious"],
                &[],
                rng,
            );
            e.insert("appId".into(), json!(rng.guid()));
            e.insert("displayName".into(), json!("Mail Sync Helper"));
            e.insert("objectId".into(), json!(rng.guid()));
            e.insert("publisher".into(), json!("Unverified"));
            e
        }
        Process => {
            let mut e = base("processEvidence", c, verdict, &[], &[], rng);
            let parent = *rng.pick(&["cmd.exe", "explorer.exe", "winword.exe", "services.exe"]);
            let pid = rng.range(1000, 20000);
            let ppid = rng.range(400, 1000);
            let cmd = match s.malware.name.as_str() {
                n if n.ends_with(".ps1") => {
                    format!("powershell.exe -nop -w hidden -enc {}", rng.hex(24))
                }
                n => format!("\"{}\\{}\" --silent", s.malware.path, n),
            };
            for (k, v) in [
                ("processId", json!(pid)),
                ("parentProcessId", json!(ppid)),
                ("processCommandLine", json!(cmd)),
                ("processCreationDateTime", json!(c)),
                (
                    "parentProcessCreationDateTime",
                    json!(fmt_ms(created_ms - rng.range(1, 600) * MIN)),
                ),
                ("detectionStatus", json!("detected")),
                ("mdeDeviceId", json!(m.mde_id)),
                ("imageFile", file_details(s.malware)),
                ("parentProcessImageFile", system_binary(parent, rng)),
                ("userAccount", user_account(s.person, dom)),
            ] {
                e.insert(k.into(), v);
            }
            e
        }
        RegKey => {
            let mut e = base("registryKeyEvidence", c, verdict, &[], &[], rng);
            e.insert(
                "registryKey".into(),
                json!("SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run"),
            );
            e.insert("registryHive".into(), json!("HKEY_LOCAL_MACHINE"));
            e
        }
        RegValue => {
            let mut e = base("registryValueEvidence", c, verdict, &[], &[], rng);
            e.insert("mdeDeviceId".into(), json!(m.mde_id));
            e.insert(
                "registryKey".into(),
                json!("SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run"),
            );
            e.insert("registryHive".into(), json!("HKEY_CURRENT_USER"));
            e.insert(
                "registryValue".into(),
                json!(format!("{}\\{}", s.malware.path, s.malware.name)),
            );
            e.insert("registryValueName".into(), json!("Updater"));
            e.insert("registryValueType".into(), json!("String"));
            e
        }
        Group => {
            let mut e = base(
                "securityGroupEvidence",
                c,
                verdict,
                &["contextual"],
                &[],
                rng,
            );
            e.insert("securityGroupId".into(), json!(rng.guid()));
            e.insert("displayName".into(), json!("Domain Admins"));
            e.insert(
                "distinguishedName".into(),
                json!(format!(
                    "CN=Domain Admins,CN=Users,DC={}",
                    dom.replace('.', ",DC=")
                )),
            );
            e.insert("friendlyName".into(), json!("Domain Admins"));
            e.insert(
                "sid".into(),
                json!(format!(
                    "{}-512",
                    s.person.sid.rsplit_once('-').map(|x| x.0).unwrap_or("")
                )),
            );
            e.insert("activeDirectoryObjectGuid".into(), json!(rng.guid()));
            e
        }
    };
    if rng.chance(0.05) {
        e.insert("tags".into(), json!(["Demo"]));
    }
    Value::Object(e)
}

/// Options for one alert beyond its template.
struct AlertSpec<'a> {
    template: &'a Template,
    created_ms: i64,
    now_ms: i64,
    incident_id: &'a str,
    title_override: Option<String>,
    story: Option<&'a str>,
}

fn alert(rng: &mut Rng, e: &Entities, s: &Scene, spec: AlertSpec) -> Value {
    let t = spec.template;
    let created = spec.created_ms;
    let age_days = (spec.now_ms - created) / DAY;
    let id = alert_id(rng, t.provider);
    let status = if age_days > 14 {
        *rng.pick(&["resolved", "resolved", "resolved", "inProgress", "new"])
    } else if age_days > 3 {
        *rng.pick(&["resolved", "inProgress", "new", "new"])
    } else {
        *rng.pick(&["new", "new", "new", "inProgress"])
    };
    let (classification, determination) = if status == "resolved" {
        *rng.pick(&[
            ("truePositive", "malware"),
            ("truePositive", "phishing"),
            ("truePositive", "compromisedAccount"),
            ("truePositive", "multiStagedAttack"),
            ("falsePositive", "notMalicious"),
            ("falsePositive", "notEnoughDataToValidate"),
            ("informationalExpectedActivity", "securityTesting"),
            ("informationalExpectedActivity", "lineOfBusinessApplication"),
        ])
    } else if status == "inProgress" && rng.chance(0.3) {
        ("truePositive", "unknown")
    } else {
        ("unknown", "unknown")
    };
    let assigned = if status == "new" && rng.chance(0.6) {
        Value::Null
    } else {
        json!(e.people[*rng.pick(&e.soc)].upn)
    };
    let first = created - rng.range(1, 120) * MIN;
    let last = created - rng.range(0, 10) * MIN;
    let updated = (created + rng.range(1, 3 * 24 * 60) * MIN).min(spec.now_ms - MIN);
    let resolved = if status == "resolved" {
        json!(fmt_ms(updated))
    } else {
        Value::Null
    };
    let mut comments = Vec::new();
    if status != "new" && rng.chance(0.35) {
        let who = &e.people[*rng.pick(&e.soc)];
        let text = *rng.pick(&[
            "Isolated the device and started a full scan.",
            "User confirmed they did not expect this email.",
            "Reset the password and revoked sessions.",
            "Benign: admin testing the new deployment script.",
            "Escalated to tier 2 \u{2014} see incident notes.",
        ]);
        comments.push(json!({"comment": text, "createdByDisplayName": who.upn, "createdDateTime": fmt_ms(created + 30 * MIN)}));
    }
    let evidence: Vec<Value> = t
        .evidence
        .iter()
        .map(|k| evidence(*k, s, created, rng))
        .collect();
    let title = spec.title_override.unwrap_or_else(|| t.title.to_string());
    let threat = if t.category == "Malware" || t.evidence.contains(&File) && t.provider == Endpoint
    {
        json!(s.malware.family)
    } else {
        Value::Null
    };
    let mut system_tags = vec![];
    if rng.chance(0.03) {
        system_tags.push("Defender Experts");
    }
    let mut additional = json!({});
    if let Some(story) = spec.story {
        additional = json!({"vigilStory": story});
    }
    json!({
        "@odata.type": "#microsoft.graph.security.alert",
        "id": id,
        "providerAlertId": id,
        "incidentId": spec.incident_id,
        "status": status,
        "severity": t.severity,
        "classification": classification,
        "determination": determination,
        "serviceSource": t.provider.service_source(),
        "detectionSource": *rng.pick(t.provider.detection_sources()),
        "productName": t.provider.product_name(),
        "detectorId": format!("{:08x}-{}", (t.title.len() as u32).wrapping_mul(2654435761), "affd-43ef-b1d5-afc2eb6f2756"),
        "tenantId": e.tenant_id,
        "title": title,
        "description": t.description,
        "recommendedActions": RECOMMENDED,
        "category": t.category,
        "assignedTo": assigned,
        "alertWebUrl": format!("https://security.microsoft.com/alerts/{id}?tid={}", e.tenant_id),
        "incidentWebUrl": format!("https://security.microsoft.com/incidents/{}?tid={}", spec.incident_id, e.tenant_id),
        "actorDisplayName": if t.severity == "high" && rng.chance(0.3) { json!(*rng.pick(&["Storm-0501", "Octo Tempest", "Midnight Blizzard"])) } else { Value::Null },
        "threatDisplayName": threat,
        "threatFamilyName": threat.as_str().map(|f| f.split(['/', ':']).nth(2).unwrap_or(f).to_string()),
        "mitreTechniques": t.mitre,
        "createdDateTime": fmt_ms(created),
        "lastUpdateDateTime": fmt_ms(updated),
        "resolvedDateTime": resolved,
        "firstActivityDateTime": fmt_ms(first),
        "lastActivityDateTime": fmt_ms(last),
        "alertPolicyId": null,
        "additionalData": additional,
        "comments": comments,
        "evidence": evidence,
        "systemTags": system_tags,
    })
}

fn incident(
    e: &Entities,
    id: &str,
    alerts: &[Value],
    rng: &mut Rng,
    now_ms: i64,
    story: Option<&str>,
) -> Value {
    let sev = alerts
        .iter()
        .filter_map(|a| a["severity"].as_str())
        .max_by_key(|s| SEVERITIES.iter().position(|x| x == s))
        .unwrap_or("low");
    let created = alerts
        .iter()
        .filter_map(|a| a["createdDateTime"].as_str())
        .min()
        .unwrap_or_default()
        .to_string();
    let updated = alerts
        .iter()
        .filter_map(|a| a["lastUpdateDateTime"].as_str())
        .max()
        .unwrap_or_default()
        .to_string();
    let all_resolved = alerts.iter().all(|a| a["status"] == "resolved");
    let any_progress = alerts.iter().any(|a| a["status"] == "inProgress");
    let status = if all_resolved {
        "resolved"
    } else if any_progress {
        "inProgress"
    } else {
        "active"
    };
    let providers: std::collections::BTreeSet<&str> = alerts
        .iter()
        .filter_map(|a| a["serviceSource"].as_str())
        .collect();
    let cats: Vec<&str> = {
        let mut c: Vec<&str> = alerts
            .iter()
            .filter_map(|a| a["category"].as_str())
            .collect();
        c.dedup();
        c
    };
    let display = if let Some(s) = story {
        s.to_string()
    } else if alerts.len() == 1 {
        alerts[0]["title"].as_str().unwrap_or_default().to_string()
    } else if providers.len() > 1 {
        format!(
            "Multi-stage incident involving {} on one endpoint reported by multiple sources",
            cats.iter().take(2).cloned().collect::<Vec<_>>().join(" & ")
        )
    } else {
        format!(
            "{} involving one user",
            cats.first().copied().unwrap_or("Suspicious activity")
        )
    };
    let (classification, determination) = if all_resolved {
        (
            alerts[0]["classification"].clone(),
            alerts[0]["determination"].clone(),
        )
    } else {
        (json!("unknown"), json!("unknown"))
    };
    let assigned = alerts
        .iter()
        .find_map(|a| a["assignedTo"].as_str().map(str::to_string));
    let mut comments = vec![];
    if rng.chance(0.2) || story.is_some() {
        let who = &e.people[*rng.pick(&e.soc)].upn;
        let at = fmt_ms(now_ms.min(crate::util::parse_dt(&updated).unwrap_or(now_ms) + 5 * MIN));
        comments.push(json!({"comment": "Triage started; scoping affected entities.", "createdBy": who, "createdTime": at, "createdByDisplayName": who, "createdDateTime": at}));
    }
    let tags: Vec<&str> = if story.is_some() {
        vec!["Planted story"]
    } else if rng.chance(0.1) {
        vec!["Demo"]
    } else {
        vec![]
    };
    json!({
        "@odata.type": "#microsoft.graph.security.incident",
        "id": id,
        "incidentWebUrl": format!("https://security.microsoft.com/incidents/{id}?tid={}", e.tenant_id),
        "redirectIncidentId": null,
        "tenantId": e.tenant_id,
        "displayName": display,
        "description": format!("{} alert(s) from {} source(s).", alerts.len(), providers.len()),
        "summary": null,
        "createdDateTime": created,
        "lastUpdateDateTime": updated,
        "lastModifiedBy": assigned.clone().unwrap_or_else(|| "Automation".to_string()),
        "assignedTo": assigned,
        "classification": classification,
        "determination": determination,
        "status": status,
        "severity": sev,
        "customTags": tags,
        "tags": tags,
        "systemTags": if alerts.iter().any(|a| a["systemTags"].as_array().is_some_and(|t| !t.is_empty())) || rng.chance(0.04) { json!(["Defender Experts"]) } else { json!([]) },
        "resolvingComment": if all_resolved { json!("Resolved after investigation.") } else { Value::Null },
        "comments": comments,
    })
}

/// Generates `count` alerts (at least the planted stories) over the last ~60 days.
pub fn generate(rng: &mut Rng, e: &Entities, count: usize, now_ms: i64) -> Generated {
    let mut out = Generated {
        alerts: Vec::with_capacity(count),
        incidents: Vec::new(),
    };
    let mut ids = Ids {
        next_incident: 10_001,
    };
    stories(rng, e, now_ms, &mut out, &mut ids);
    // The hostile strings below go to ordinary alerts, never to the planted stories.
    let stories_len = out.alerts.len();
    let mut hostile_left = HOSTILE.len();
    let by_provider: HashMap<Provider, Vec<&Template>> =
        TEMPLATES.iter().fold(HashMap::new(), |mut m, t| {
            m.entry(t.provider).or_default().push(t);
            m
        });
    let providers = [
        Endpoint, Endpoint, Endpoint, Office, Office, Identity, CloudApps, EntraId, Dlp,
    ];
    while out.alerts.len() < count {
        let k = (if rng.chance(0.6) {
            1
        } else {
            rng.range(2, 5) as usize
        })
        .min(count - out.alerts.len());
        // Recent days are busier, as in a real queue.
        let age = (rng.f64().powf(1.6) * 60.0 * DAY as f64) as i64;
        let start = now_ms - age - rng.range(5, 120) * MIN;
        let person = &e.people[rng.below(e.people.len() as u64) as usize];
        let machine = &e.machines[rng.below(e.machines.len() as u64) as usize];
        let ipi = rng.below(e.bad_ips.len() as u64) as usize;
        let scene = Scene {
            person,
            machine,
            ip: (&e.bad_ips[ipi].0, e.bad_ips[ipi].1),
            malware: &e.malware[rng.below(e.malware.len() as u64) as usize],
            domain: &e.domain,
            bad_domain: &e.bad_domains[rng.below(e.bad_domains.len() as u64) as usize],
        };
        let incident_id = ids.next_incident.to_string();
        ids.next_incident += 1;
        let main = *rng.pick(&providers);
        let mut group = Vec::with_capacity(k);
        for j in 0..k {
            let p = if j > 0 && rng.chance(0.4) {
                *rng.pick(&providers)
            } else {
                main
            };
            let t = *rng.pick(&by_provider[&p]);
            let hostile = if hostile_left > 0 && rng.chance(0.01) {
                hostile_left -= 1;
                Some(HOSTILE[hostile_left].to_string())
            } else {
                None
            };
            let created = (start + (j as i64) * rng.range(2, 40) * MIN).min(now_ms - MIN);
            group.push(alert(
                rng,
                e,
                &scene,
                AlertSpec {
                    template: t,
                    created_ms: created,
                    now_ms,
                    incident_id: &incident_id,
                    title_override: hostile,
                    story: None,
                },
            ));
        }
        out.incidents
            .push(incident(e, &incident_id, &group, rng, now_ms, None));
        out.alerts.extend(group);
    }
    // Every hostile string appears at least once, even in small tenants.
    for (i, h) in HOSTILE.iter().enumerate().take(hostile_left) {
        if let Some(a) = out.alerts.get_mut(stories_len + 3 + i * 7) {
            a["title"] = json!(h);
            if i % 2 == 0 {
                a["description"] = json!(format!("{h} \u{2014} review the evidence."));
            }
        }
    }
    out.alerts.sort_by(|a, b| {
        b["createdDateTime"]
            .as_str()
            .cmp(&a["createdDateTime"].as_str())
    });
    out.incidents.sort_by(|a, b| {
        b["createdDateTime"]
            .as_str()
            .cmp(&a["createdDateTime"].as_str())
    });
    out
}

/// One planted step: provider template title, minutes after the story starts.
type Step = (&'static str, i64);

// One call per story reads as a table; a struct for the arguments would hide that.
#[allow(clippy::too_many_arguments)]
fn planted(
    rng: &mut Rng,
    e: &Entities,
    now_ms: i64,
    out: &mut Generated,
    ids: &mut Ids,
    story: &str,
    days_ago: i64,
    scene: &Scene,
    steps: &[Step],
) {
    let incident_id = ids.next_incident.to_string();
    ids.next_incident += 1;
    let start = now_ms - days_ago * DAY;
    let mut group = Vec::new();
    for (title, offset) in steps {
        let Some(t) = TEMPLATES.iter().find(|t| t.title == *title) else {
            continue;
        };
        let mut a = alert(
            rng,
            e,
            scene,
            AlertSpec {
                template: t,
                created_ms: start + offset * MIN,
                now_ms,
                incident_id: &incident_id,
                title_override: None,
                story: Some(story),
            },
        );
        // Stories stay open so the correlation view has live work to find.
        if days_ago < 10 {
            a["status"] = json!(if *offset == 0 { "inProgress" } else { "new" });
            a["resolvedDateTime"] = Value::Null;
            a["classification"] = json!("unknown");
            a["determination"] = json!("unknown");
        }
        group.push(a);
    }
    out.incidents
        .push(incident(e, &incident_id, &group, rng, now_ms, Some(story)));
    out.alerts.extend(group);
}

fn stories(rng: &mut Rng, e: &Entities, now_ms: i64, out: &mut Generated, ids: &mut Ids) {
    let people = &e.people;
    let pick_person = |upn_local: usize| &people[(5 + upn_local) % people.len()];
    // Story 1: phishing to ransomware (Office -> Entra ID -> Endpoint -> Cloud Apps).
    let s1 = Scene {
        person: pick_person(0),
        machine: &e.machines[4],
        ip: (&e.bad_ips[0].0, e.bad_ips[0].1),
        malware: &e.malware[0],
        domain: &e.domain,
        bad_domain: &e.bad_domains[0],
    };
    planted(
        rng,
        e,
        now_ms,
        out,
        ids,
        "Story 1: Qakbot phish to ransomware",
        2,
        &s1,
        &[
            ("A potentially malicious URL click was detected", 0),
            ("Unfamiliar sign-in properties", 25),
            ("Suspicious PowerShell command line", 40),
            ("Connection to a known command and control server", 55),
            ("Possible ransomware activity", 300),
            ("Mass download by a single user", 320),
        ],
    );
    // Story 2: identity takeover (Entra ID -> Identity -> Cloud Apps -> DLP).
    let s2 = Scene {
        person: pick_person(7),
        machine: &e.machines[0],
        ip: (&e.bad_ips[1].0, e.bad_ips[1].1),
        malware: &e.malware[3],
        domain: &e.domain,
        bad_domain: &e.bad_domains[5],
    };
    planted(
        rng,
        e,
        now_ms,
        out,
        ids,
        "Story 2: password spray to domain dominance",
        6,
        &s2,
        &[
            ("Password spray", 0),
            ("Impossible travel activity", 45),
            ("Suspected Pass-the-Hash attack", 180),
            (
                "Suspected DCSync attack (replication of directory services)",
                200,
            ),
            ("Credential dumping activity observed", 210),
            ("Creation of forwarding/redirect rule", 260),
            (
                "DLP policy match: sensitive document uploaded to personal cloud storage",
                400,
            ),
        ],
    );
    // Story 3: insider exfiltration with a renamed rclone (Endpoint -> Cloud Apps -> DLP -> Office).
    let s3 = Scene {
        person: pick_person(13),
        machine: &e.machines[10],
        ip: (&e.bad_ips[3].0, e.bad_ips[3].1),
        malware: &e.malware[4],
        domain: &e.domain,
        bad_domain: &e.bad_domains[3],
    };
    planted(
        rng,
        e,
        now_ms,
        out,
        ids,
        "Story 3: insider exfiltration with rclone",
        12,
        &s3,
        &[
            ("Unsanctioned remote access tool installed", 0),
            ("Mass download by a single user", 90),
            (
                "DLP policy match: credit card numbers shared externally",
                120,
            ),
            ("Suspicious email sending patterns detected", 150),
        ],
    );
}
