//! Alerts (with evidence of every main type), the incidents that group them, and the planted
//! multi-stage attack stories documented in docs/emulator.md. Nothing served marks a story: the
//! ground truth is returned beside the data ([`StoryTruth`]) and never put on the wire.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::json::Obj;
use crate::odata::{Keys, Rec};

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

/// Context shared by the alerts of one incident, with its pre-rendered JSON fragments.
pub struct Scene<'a> {
    pub person: &'a Person,
    pub machine: &'a Machine,
    pub ip: String,
    pub country: &'static str,
    pub malware: Malware,
    pub domain: &'a str,
    pub bad_domain: String,
    /// The person's `userAccount` as each provider names it (see [`Frags::accounts`]).
    accounts: &'a [String; 4],
    file: String,
    recommended: &'a str,
    hubs: &'a Frags,
}

/// Fragments every alert of a person repeats, rendered once per tenant.
struct Frags {
    /// Per person: every identifier; on-premises only (account, domain, SID); cloud only
    /// (object id and UPN); UPN only. Providers name one user differently.
    accounts: Vec<[String; 4]>,
    service: [String; 4],
    recommended: String,
}

fn user_account(p: &Person, dom: &str, variant: usize) -> String {
    let (onprem, cloud) = match variant {
        0 => (true, true),
        1 => (true, false),
        _ => (false, true),
    };
    let mut s = String::new();
    let mut o = Obj::open(&mut s);
    o.os("accountName", onprem.then_some(p.account.as_str()))
        .os("domainName", onprem.then_some(dom))
        .os("userSid", onprem.then_some(p.sid.as_str()))
        .os(
            "azureAdUserId",
            (cloud && variant != 3).then_some(p.id.as_str()),
        );
    o.os("userPrincipalName", cloud.then_some(p.upn.as_str()))
        .s("displayName", &p.display);
    o.close();
    s
}

fn render_file(m: &Malware) -> String {
    let mut s = String::new();
    let mut o = Obj::open(&mut s);
    o.s("sha1", &m.sha1)
        .s("sha256", &m.sha256)
        .s("md5", &m.md5)
        .s("fileName", &m.name)
        .s("filePath", &m.path);
    o.n("fileSize", m.size)
        .os("filePublisher", m.publisher)
        .os("signer", m.publisher);
    o.os(
        "issuer",
        m.publisher
            .map(|_| "DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1"),
    )
    .null("sha256Ac");
    o.close();
    s
}

/// The same malware family with its own hashes: noise never repeats a story's file.
fn variant(rng: &mut Rng, m: &Malware) -> Malware {
    Malware {
        sha1: rng.hex(40),
        sha256: rng.hex(64),
        md5: rng.hex(32),
        size: m.size + rng.range(-4096, 4096),
        ..m.clone()
    }
}

const COUNTRIES: &[&str] = &[
    "US", "DE", "NL", "GB", "FR", "RU", "CN", "BR", "IN", "SG", "VN", "NG", "UA", "RO", "KR",
];

/// A public address for noise (never one of the tenant's listed malicious IPs).
fn public_ip(rng: &mut Rng) -> (String, &'static str) {
    const FIRST: &[u8] = &[
        5, 23, 31, 37, 41, 45, 46, 62, 77, 78, 80, 82, 85, 88, 91, 94, 102, 104, 109, 141, 146,
        154, 162, 167, 172, 176, 178, 185, 188, 193, 194, 195, 196, 212, 213, 217,
    ];
    let ip = format!(
        "{}.{}.{}.{}",
        rng.pick(FIRST),
        rng.range(0, 256),
        rng.range(0, 256),
        rng.range(1, 255)
    );
    (ip, *rng.pick(COUNTRIES))
}

/// A throwaway attacker domain for noise.
fn noise_domain(rng: &mut Rng) -> String {
    const A: &[&str] = &[
        "secure", "account", "docs", "share", "cloud", "mail", "verify", "office", "update",
        "portal", "billing", "drive", "login", "sync", "notice", "files",
    ];
    const B: &[&str] = &[
        "review", "center", "online", "support", "service", "access", "check", "hub", "box",
        "desk", "link", "zone",
    ];
    const TLD: &[&str] = &["com", "net", "org", "info", "xyz", "top", "site", "live"];
    format!(
        "{}-{}{}.{}",
        rng.pick(A),
        rng.pick(B),
        rng.range(2, 9999),
        rng.pick(TLD)
    )
}

impl Frags {
    fn new(e: &Entities) -> Frags {
        let dom = e
            .domain
            .split('.')
            .next()
            .unwrap_or(&e.domain)
            .to_uppercase();
        let all = |p: &Person| std::array::from_fn(|v| user_account(p, &dom, v));
        let mut recommended = String::new();
        super::json::esc(&mut recommended, RECOMMENDED);
        Frags {
            accounts: e.people.iter().map(all).collect(),
            service: all(&e.hubs.service),
            recommended,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn scene<'a>(
        &'a self,
        e: &'a Entities,
        person: usize,
        machine: usize,
        ip: (String, &'static str),
        malware: Malware,
        bad_domain: String,
    ) -> Scene<'a> {
        Scene {
            person: &e.people[person],
            machine: &e.machines[machine],
            ip: ip.0,
            country: ip.1,
            file: render_file(&malware),
            malware,
            domain: &e.domain,
            bad_domain,
            accounts: &self.accounts[person],
            recommended: &self.recommended,
            hubs: self,
        }
    }

    /// A scene of fresh, one-off indicators (noise).
    fn noise<'a>(
        &'a self,
        rng: &mut Rng,
        e: &'a Entities,
        person: usize,
        machine: usize,
    ) -> Scene<'a> {
        let ip = public_ip(rng);
        let k = rng.below(e.malware.len() as u64) as usize;
        let m = variant(rng, &e.malware[k]);
        let d = noise_domain(rng);
        self.scene(e, person, machine, ip, m, d)
    }
}

/// Everything the generator produced for one tenant, newest first.
pub struct Generated {
    pub alerts: Vec<Rec>,
    pub incidents: Vec<Rec>,
    pub incident_alerts: HashMap<String, Vec<String>>,
    pub truth: Vec<StoryTruth>,
}

/// The ground truth of one planted story: which alerts belong to it. Kept out of band (the
/// library API, `vigil_emulator::ground_truth`), never served.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoryTruth {
    pub name: String,
    /// Every alert of the story, in the order of its steps.
    pub alert_ids: Vec<String>,
    /// The Defender incidents its alerts were split over (two or three).
    pub incident_ids: Vec<String>,
    /// Story alerts that belong to no incident (`incidentId` null).
    pub unincidented_alert_ids: Vec<String>,
    /// `serviceSource` of its alerts, deduplicated in step order.
    pub providers: Vec<String>,
    /// The story's own indicators (attacker IP, domain, file hashes): in no other alert except
    /// the far decoy.
    pub iocs: Vec<String>,
    /// Alerts that are not part of the story but share exactly one ordinary entity with it:
    /// the user or the device within its time window, or an indicator weeks before it.
    pub decoy_alert_ids: Vec<String>,
}

/// What an incident needs to know about its alerts.
struct Summary {
    id: String,
    created: i64,
    updated: i64,
    severity: &'static str,
    status: &'static str,
    classification: &'static str,
    determination: &'static str,
    assigned: Option<String>,
    source: &'static str,
    category: &'static str,
    title: String,
    system_tag: bool,
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

fn system_binary(out: &mut String, name: &str, rng: &mut Rng) {
    let mut o = Obj::open(out);
    o.s("sha1", &rng.hex(40))
        .s("sha256", &rng.hex(64))
        .s("md5", &rng.hex(32))
        .s("fileName", name);
    o.s("filePath", "C:\\Windows\\System32")
        .n("fileSize", rng.range(50_000, 900_000));
    o.s("filePublisher", "Microsoft Corporation")
        .s("signer", "Microsoft Windows");
    o.s("issuer", "Microsoft Windows Production PCA 2011")
        .null("sha256Ac");
    o.close();
}

fn base(
    o: &mut Obj,
    kind: &str,
    created: &str,
    verdict: &str,
    roles: &[&str],
    detailed: &[&str],
    rng: &mut Rng,
) {
    let remediation = if verdict == "malicious" {
        *rng.pick(&["remediated", "prevented", "blocked", "none"])
    } else {
        "none"
    };
    o.s("@odata.type", &format!("#microsoft.graph.security.{kind}"))
        .s("createdDateTime", created)
        .s("verdict", verdict);
    o.s("remediationStatus", remediation);
    o.os(
        "remediationStatusDetails",
        (remediation != "none").then_some("Remediated by automated investigation"),
    );
    o.strs("roles", roles).strs("detailedRoles", detailed);
    o.strs("tags", if rng.chance(0.05) { &["Demo"] } else { &[] });
}

/// How one alert names its user (index into [`Frags::accounts`]) and its device (0: every id,
/// 1: `mdeDeviceId` only, 2: `deviceDnsName` and `azureAdDeviceId`).
#[derive(Clone, Copy)]
struct Naming {
    user: usize,
    device: usize,
}

fn naming(rng: &mut Rng, p: Provider, full: bool) -> Naming {
    if full {
        return Naming { user: 0, device: 0 };
    }
    match p {
        Endpoint => Naming {
            user: *rng.pick(&[0, 1, 1]),
            device: *rng.pick(&[0, 1, 1]),
        },
        Identity => Naming {
            user: *rng.pick(&[0, 1]),
            device: 2,
        },
        _ => Naming {
            user: *rng.pick(&[2, 3]),
            device: 2,
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn device_evidence(
    o: &mut Obj,
    m: &Machine,
    logged_on: &str,
    short_domain: &str,
    naming: usize,
    created_ms: i64,
    created: &str,
    verdict: &str,
    roles: &[&str],
    rng: &mut Rng,
) {
    base(
        o,
        "deviceEvidence",
        created,
        verdict,
        roles,
        &["Main device"],
        rng,
    );
    o.s(
        "firstSeenDateTime",
        &fmt_ms(created_ms - m.first_seen_days * DAY),
    )
    .os("mdeDeviceId", (naming != 2).then_some(m.mde_id.as_str()));
    o.os(
        "azureAdDeviceId",
        (naming != 1).then_some(m.aad_id.as_str()),
    )
    .os("deviceDnsName", (naming != 1).then_some(m.dns.as_str()))
    .s("osPlatform", m.os)
    .n("osBuild", m.os_build);
    o.s("version", m.version).s(
        "healthStatus",
        rng.pick::<&str>(&["active", "active", "inactive", "impairedCommunication"]),
    );
    o.s("riskScore", rng.pick::<&str>(&["low", "medium", "high"]))
        .n("rbacGroupId", 75)
        .s("rbacGroupName", "Workstations");
    o.s("onboardingStatus", "onboarded").s(
        "defenderAvStatus",
        rng.pick::<&str>(&["updated", "notUpdated", "unknown"]),
    );
    o.strs("ipInterfaces", &[&m.ip, "fe80::1c2b:3d4e:5f60:7182"]);
    o.arr("loggedOnUsers", |a| {
        let mut u = Obj::open(a);
        u.s("accountName", logged_on).s("domainName", short_domain);
        u.close();
    });
    let vm = m.os.starts_with("WindowsServer");
    let (vm_id, sub) = (rng.guid(), rng.guid());
    o.obj("vmMetadata", |v| {
        v.s("vmId", &vm_id).s("cloudProvider", if vm { "azure" } else { "unknown" });
        if vm {
            v.s("resourceId", &format!("/subscriptions/{sub}/resourceGroups/prod/providers/Microsoft.Compute/virtualMachines/{}", m.name));
            v.s("subscriptionId", &sub);
        } else {
            v.s("resourceId", "").s("subscriptionId", "");
        }
    });
}

/// Benign high-prevalence evidence a provider often attaches (see [`super::entities::Hubs`]).
fn hub_evidence(
    out: &mut String,
    e: &Entities,
    s: &Scene,
    p: Provider,
    created_ms: i64,
    created: &str,
    rng: &mut Rng,
) {
    let short_domain = s
        .domain
        .split('.')
        .next()
        .unwrap_or(s.domain)
        .to_uppercase();
    let h = &e.hubs;
    fn add(out: &mut String, rng: &mut Rng, f: &mut dyn FnMut(&mut Obj, &mut Rng)) {
        out.push(',');
        let mut o = Obj::open(out);
        f(&mut o, rng);
        o.close();
    }
    if p == Identity && rng.chance(0.6) {
        let dc = &e.machines[0];
        add(out, rng, &mut |o, rng| {
            device_evidence(
                o,
                dc,
                "svc-backup",
                &short_domain,
                2,
                created_ms,
                created,
                "noThreatsFound",
                &["contextual"],
                rng,
            )
        });
    }
    // The office's NAT address every sign-in comes from: nothing marks it as infrastructure
    // (the provider cannot tell), only how many alerts name it.
    if matches!(p, EntraId | CloudApps | Office) && rng.chance(0.25) {
        add(out, rng, &mut |o, rng| {
            base(o, "ipEvidence", created, "unknown", &[], &[], rng);
            o.s("ipAddress", &h.nat_ip).s("countryLetterCode", "US");
        });
    }
    if matches!(p, Endpoint | Identity) && rng.chance(0.05) {
        add(out, rng, &mut |o, rng| {
            device_evidence(
                o,
                &h.scanner,
                "svc-backup",
                &short_domain,
                0,
                created_ms,
                created,
                "noThreatsFound",
                &["scanned"],
                rng,
            )
        });
        add(out, rng, &mut |o, rng| {
            base(
                o,
                "ipEvidence",
                created,
                "noThreatsFound",
                &["source"],
                &[],
                rng,
            );
            o.s("ipAddress", &h.scanner.ip).null("countryLetterCode");
        });
    }
    if matches!(p, Endpoint | Identity) && rng.chance(0.06) {
        let acct = &s.hubs.service[0];
        add(out, rng, &mut |o, rng| {
            base(
                o,
                "userEvidence",
                created,
                "noThreatsFound",
                &["contextual"],
                &[],
                rng,
            );
            o.raw("userAccount", acct);
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn evidence(
    out: &mut String,
    kind: Ev,
    s: &Scene,
    n: Naming,
    created_ms: i64,
    created: &str,
    rng: &mut Rng,
) {
    let verdict = *rng.pick(&["suspicious", "malicious", "unknown", "noThreatsFound"]);
    let m = s.machine;
    let short_domain = s
        .domain
        .split('.')
        .next()
        .unwrap_or(s.domain)
        .to_uppercase();
    let account = s.accounts[n.user].as_str();
    let mut o = Obj::open(out);
    match kind {
        User => {
            base(
                &mut o,
                "userEvidence",
                created,
                verdict,
                &["compromised"],
                &[],
                rng,
            );
            o.raw("userAccount", account);
        }
        Device => device_evidence(
            &mut o,
            m,
            &s.person.account,
            &short_domain,
            n.device,
            created_ms,
            created,
            verdict,
            &["compromised"],
            rng,
        ),
        Ip => {
            base(
                &mut o,
                "ipEvidence",
                created,
                verdict,
                &["attacker"],
                &[],
                rng,
            );
            o.s("ipAddress", &s.ip).s("countryLetterCode", s.country);
        }
        File => {
            base(
                &mut o,
                "fileEvidence",
                created,
                verdict,
                &[],
                &["Referred in command line"],
                rng,
            );
            o.s(
                "detectionStatus",
                rng.pick::<&str>(&["detected", "blocked", "prevented"]),
            )
            .s("mdeDeviceId", &m.mde_id);
            o.raw("fileDetails", &s.file);
        }
        Url => {
            base(
                &mut o,
                "urlEvidence",
                created,
                verdict,
                &["commandAndControl"],
                &[],
                rng,
            );
            o.s("url", &format!("https://{}/{}", s.bad_domain, rng.hex(8)));
        }
        Mailbox => {
            base(
                &mut o,
                "mailboxEvidence",
                created,
                verdict,
                &["contextual"],
                &[],
                rng,
            );
            o.s("displayName", &s.person.display)
                .s("primaryAddress", &s.person.upn)
                .s("upn", &s.person.upn);
            o.raw("userAccount", account);
        }
        Message => {
            base(
                &mut o,
                "analyzedMessageEvidence",
                created,
                verdict,
                &[],
                &[],
                rng,
            );
            let bad = s.bad_domain.as_str();
            o.s("networkMessageId", &rng.guid()).s(
                "internetMessageId",
                &format!("<{}@mail.{bad}>", rng.hex(16)),
            );
            o.s(
                "subject",
                rng.pick::<&str>(&[
                    "Invoice overdue - action required",
                    "Your mailbox is almost full",
                    "Shared document: Q3 bonus plan",
                    "DocuSign: please review and sign",
                ]),
            );
            o.s("language", "en")
                .s("senderIp", &s.ip)
                .s("recipientEmailAddress", &s.person.upn)
                .s("antiSpamDirection", "inbound");
            o.s(
                "deliveryAction",
                rng.pick::<&str>(&["delivered", "junked", "blocked", "replaced"]),
            );
            o.s(
                "deliveryLocation",
                rng.pick::<&str>(&["inbox", "junkFolder", "quarantine", "deletedFolder"]),
            );
            o.s("urn", &format!("urn:MailEntity:{}", rng.hex(32)))
                .strs("threats", &["Phish"]);
            o.strs(
                "threatDetectionMethods",
                &["URL detonation reputation", "Impersonation domain"],
            );
            o.strs("urls", &[&format!("https://{bad}/login")])
                .n("urlCount", 1)
                .n("attachmentsCount", rng.range(0, 3));
            o.s("receivedDateTime", created);
            for (k, addr) in [("p1Sender", "billing"), ("p2Sender", "noreply")] {
                o.obj(k, |p| {
                    p.s("displayName", "Accounts Payable")
                        .s("domainName", bad)
                        .s("emailAddress", &format!("{addr}@{bad}"));
                });
            }
        }
        MailCluster => {
            base(
                &mut o,
                "mailClusterEvidence",
                created,
                verdict,
                &[],
                &[],
                rng,
            );
            let bad = s.bad_domain.as_str();
            o.s("clusterBy", "Subject;P2SenderDomain")
                .s("clusterByValue", &format!("Invoice overdue;{bad}"));
            o.s("query", &format!("(P2SenderDomain:\"{bad}\")"))
                .s("urn", &format!("urn:MailClusterEntity:{}", rng.hex(32)));
            o.n("emailCount", rng.range(2, 40))
                .strs("networkMessageIds", &[&rng.guid(), &rng.guid()]);
        }
        // The SaaS app everyone uses: benign, only the context of the activity.
        CloudApp => {
            base(
                &mut o,
                "cloudApplicationEvidence",
                created,
                "noThreatsFound",
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
            o.n("appId", id)
                .s("displayName", name)
                .n("instanceId", 0)
                .s("instanceName", name)
                .n("saasAppId", id);
        }
        OAuthApp => {
            base(
                &mut o,
                "oauthApplicationEvidence",
                created,
                verdict,
                &["suspicious"],
                &[],
                rng,
            );
            o.s("appId", &rng.guid())
                .s("displayName", "Mail Sync Helper")
                .s("objectId", &rng.guid())
                .s("publisher", "Unverified");
        }
        Process => {
            base(&mut o, "processEvidence", created, verdict, &[], &[], rng);
            let parent = *rng.pick(&["cmd.exe", "explorer.exe", "winword.exe", "services.exe"]);
            let cmd = if s.malware.name.ends_with(".ps1") {
                format!("powershell.exe -nop -w hidden -enc {}", rng.hex(24))
            } else {
                format!("\"{}\\{}\" --silent", s.malware.path, s.malware.name)
            };
            o.n("processId", rng.range(1000, 20000))
                .n("parentProcessId", rng.range(400, 1000))
                .s("processCommandLine", &cmd);
            o.s("processCreationDateTime", created).s(
                "parentProcessCreationDateTime",
                &fmt_ms(created_ms - rng.range(1, 600) * MIN),
            );
            o.s("detectionStatus", "detected")
                .s("mdeDeviceId", &m.mde_id)
                .raw("imageFile", &s.file);
            let mut parent_json = String::new();
            system_binary(&mut parent_json, parent, rng);
            o.raw("parentProcessImageFile", &parent_json)
                .raw("userAccount", account);
        }
        RegKey => {
            base(
                &mut o,
                "registryKeyEvidence",
                created,
                verdict,
                &[],
                &[],
                rng,
            );
            o.s(
                "registryKey",
                "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
            )
            .s("registryHive", "HKEY_LOCAL_MACHINE");
        }
        RegValue => {
            base(
                &mut o,
                "registryValueEvidence",
                created,
                verdict,
                &[],
                &[],
                rng,
            );
            o.s("mdeDeviceId", &m.mde_id).s(
                "registryKey",
                "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
            );
            o.s("registryHive", "HKEY_CURRENT_USER").s(
                "registryValue",
                &format!("{}\\{}", s.malware.path, s.malware.name),
            );
            o.s("registryValueName", "Updater")
                .s("registryValueType", "String");
        }
        Group => {
            base(
                &mut o,
                "securityGroupEvidence",
                created,
                verdict,
                &["contextual"],
                &[],
                rng,
            );
            o.s("securityGroupId", &rng.guid())
                .s("displayName", "Domain Admins");
            o.s(
                "distinguishedName",
                &format!(
                    "CN=Domain Admins,CN=Users,DC={}",
                    s.domain.replace('.', ",DC=")
                ),
            );
            o.s("friendlyName", "Domain Admins").s(
                "sid",
                &format!(
                    "{}-512",
                    s.person.sid.rsplit_once('-').map(|x| x.0).unwrap_or("")
                ),
            );
            o.s("activeDirectoryObjectGuid", &rng.guid());
        }
    }
    o.close();
}

/// Options for one alert beyond its template.
struct AlertSpec<'a> {
    template: &'a Template,
    created_ms: i64,
    now_ms: i64,
    /// `None`: an alert in no incident (`incidentId` null).
    incident_id: Option<&'a str>,
    title_override: Option<&'a str>,
    /// Name the user and device by every identifier (a story's bridge alert).
    full_ids: bool,
    /// Planted stories that must stay open for live views.
    keep_open: Option<&'static str>,
    /// A live alert: last updated when created, so `lastUpdateDateTime gt` finds it at once.
    fresh: bool,
}

fn alert(rng: &mut Rng, e: &Entities, s: &Scene, spec: AlertSpec) -> (Rec, Summary) {
    let t = spec.template;
    let created = spec.created_ms;
    let age_days = (spec.now_ms - created) / DAY;
    let id = alert_id(rng, t.provider);
    let mut status = if age_days > 14 {
        *rng.pick(&["resolved", "resolved", "resolved", "inProgress", "new"])
    } else if age_days > 3 {
        *rng.pick(&["resolved", "inProgress", "new", "new"])
    } else {
        *rng.pick(&["new", "new", "new", "inProgress"])
    };
    let (mut classification, mut determination) = if status == "resolved" {
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
    if let Some(open) = spec.keep_open {
        status = open;
        (classification, determination) = ("unknown", "unknown");
    }
    let assigned = if status == "new" && rng.chance(0.6) {
        None
    } else {
        Some(e.people[*rng.pick(&e.soc)].upn.clone())
    };
    let first = created - rng.range(1, 120) * MIN;
    let last = created - rng.range(0, 10) * MIN;
    let updated = (created + rng.range(1, 3 * 24 * 60) * MIN).min(spec.now_ms - MIN);
    let updated = if spec.fresh { created } else { updated };
    let title = spec.title_override.unwrap_or(t.title);
    let description = match spec.title_override {
        Some(h) if h.len() % 2 == 0 => format!("{h} \u{2014} review the evidence."),
        _ => t.description.to_string(),
    };
    let threat = (t.category == "Malware" || t.evidence.contains(&File) && t.provider == Endpoint)
        .then_some(s.malware.family);
    let actor = (t.severity == "high" && rng.chance(0.3))
        .then(|| *rng.pick(&["Storm-0501", "Octo Tempest", "Midnight Blizzard"]));
    let system_tag = rng.chance(0.03);
    let created_s = fmt_ms(created);
    let updated_s = fmt_ms(updated);
    let detection = *rng.pick(t.provider.detection_sources());
    let comment = (status != "new" && rng.chance(0.35)).then(|| {
        let who = &e.people[*rng.pick(&e.soc)];
        let text = *rng.pick(&[
            "Isolated the device and started a full scan.",
            "User confirmed they did not expect this email.",
            "Reset the password and revoked sessions.",
            "Benign: admin testing the new deployment script.",
            "Escalated to tier 2 \u{2014} see incident notes.",
        ]);
        (who.upn.clone(), text)
    });

    let body = super::json::exact(|body| {
        let mut o = Obj::open(body);
        o.s("@odata.type", "#microsoft.graph.security.alert")
            .s("id", &id)
            .s("providerAlertId", &id)
            .os("incidentId", spec.incident_id);
        o.s("status", status)
            .s("severity", t.severity)
            .s("classification", classification)
            .s("determination", determination);
        o.s("serviceSource", t.provider.service_source())
            .s("detectionSource", detection)
            .s("productName", t.provider.product_name());
        o.s(
            "detectorId",
            &format!(
                "{:08x}-affd-43ef-b1d5-afc2eb6f2756",
                (t.title.len() as u32).wrapping_mul(2_654_435_761)
            ),
        );
        o.s("tenantId", &e.tenant_id)
            .s("title", title)
            .s("description", &description)
            .raw("recommendedActions", s.recommended);
        o.s("category", t.category)
            .os("assignedTo", assigned.as_deref());
        o.s(
            "alertWebUrl",
            &format!(
                "https://security.microsoft.com/alerts/{id}?tid={}",
                e.tenant_id
            ),
        );
        o.os(
            "incidentWebUrl",
            spec.incident_id
                .map(|i| {
                    format!(
                        "https://security.microsoft.com/incidents/{i}?tid={}",
                        e.tenant_id
                    )
                })
                .as_deref(),
        );
        o.os("actorDisplayName", actor)
            .os("threatDisplayName", threat);
        o.os(
            "threatFamilyName",
            threat.map(|f| f.split(['/', ':']).nth(2).unwrap_or(f)),
        );
        o.strs("mitreTechniques", t.mitre)
            .s("createdDateTime", &created_s)
            .s("lastUpdateDateTime", &updated_s);
        o.os(
            "resolvedDateTime",
            (status == "resolved").then_some(updated_s.as_str()),
        );
        o.s("firstActivityDateTime", &fmt_ms(first))
            .s("lastActivityDateTime", &fmt_ms(last))
            .null("alertPolicyId");
        o.obj("additionalData", |_| {});
        o.arr("comments", |a| {
            if let Some((who, text)) = &comment {
                let mut c = Obj::open(a);
                c.s("comment", text)
                    .s("createdByDisplayName", who)
                    .s("createdDateTime", &fmt_ms(created + 30 * MIN));
                c.close();
            }
        });
        let names = naming(rng, t.provider, spec.full_ids);
        o.arr("evidence", |a| {
            for (i, k) in t.evidence.iter().enumerate() {
                if i > 0 {
                    a.push(',');
                }
                evidence(a, *k, s, names, created, &created_s, rng);
            }
            hub_evidence(a, e, s, t.provider, created, &created_s, rng);
        });
        o.strs(
            "systemTags",
            if system_tag {
                &["Defender Experts"]
            } else {
                &[]
            },
        );
        o.close();
    });

    let mut keys = Keys::default();
    for (k, v) in [
        (
            "assignedTo",
            assigned.as_deref().map_or(Value::Null, |a| json!(a)),
        ),
        ("classification", json!(classification)),
        ("determination", json!(determination)),
        ("createdDateTime", json!(created_s)),
        ("lastUpdateDateTime", json!(updated_s)),
        ("severity", json!(t.severity)),
        ("serviceSource", json!(t.provider.service_source())),
        ("status", json!(status)),
    ] {
        keys.insert(k, v);
    }
    let summary = Summary {
        id: id.clone(),
        created,
        updated,
        severity: t.severity,
        status,
        classification,
        determination,
        assigned,
        source: t.provider.service_source(),
        category: t.category,
        title: title.to_string(),
        system_tag,
    };
    (Rec { id, body, keys }, summary)
}

fn incident(e: &Entities, id: &str, alerts: &[Summary], rng: &mut Rng, now_ms: i64) -> Rec {
    let sev = alerts
        .iter()
        .map(|a| a.severity)
        .max_by_key(|s| SEVERITIES.iter().position(|x| x == s))
        .unwrap_or("low");
    let created = alerts.iter().map(|a| a.created).min().unwrap_or(now_ms);
    let updated = alerts.iter().map(|a| a.updated).max().unwrap_or(now_ms);
    let all_resolved = alerts.iter().all(|a| a.status == "resolved");
    let status = if all_resolved {
        "resolved"
    } else if alerts.iter().any(|a| a.status == "inProgress") {
        "inProgress"
    } else {
        "active"
    };
    let providers: std::collections::BTreeSet<&str> = alerts.iter().map(|a| a.source).collect();
    let mut cats: Vec<&str> = alerts.iter().map(|a| a.category).collect();
    cats.dedup();
    let display = if alerts.len() == 1 {
        alerts[0].title.clone()
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
        (alerts[0].classification, alerts[0].determination)
    } else {
        ("unknown", "unknown")
    };
    let assigned = alerts.iter().find_map(|a| a.assigned.clone());
    let comment = rng.chance(0.2).then(|| {
        (
            e.people[*rng.pick(&e.soc)].upn.clone(),
            fmt_ms(now_ms.min(updated + 5 * MIN)),
        )
    });
    let tags: &[&str] = if rng.chance(0.1) { &["Demo"] } else { &[] };
    let system = alerts.iter().any(|a| a.system_tag) || rng.chance(0.04);
    let (created_s, updated_s) = (fmt_ms(created), fmt_ms(updated));
    let body = super::json::exact(|body| {
        let mut o = Obj::open(body);
        o.s("@odata.type", "#microsoft.graph.security.incident")
            .s("id", id);
        o.s(
            "incidentWebUrl",
            &format!(
                "https://security.microsoft.com/incidents/{id}?tid={}",
                e.tenant_id
            ),
        )
        .null("redirectIncidentId");
        o.s("tenantId", &e.tenant_id).s("displayName", &display);
        o.s(
            "description",
            &format!(
                "{} alert(s) from {} source(s).",
                alerts.len(),
                providers.len()
            ),
        )
        .null("summary");
        o.s("createdDateTime", &created_s)
            .s("lastUpdateDateTime", &updated_s);
        o.s(
            "lastModifiedBy",
            assigned.as_deref().unwrap_or("Automation"),
        )
        .os("assignedTo", assigned.as_deref());
        o.s("classification", classification)
            .s("determination", determination)
            .s("status", status)
            .s("severity", sev);
        o.strs("customTags", tags).strs("tags", tags).strs(
            "systemTags",
            if system { &["Defender Experts"] } else { &[] },
        );
        o.os(
            "resolvingComment",
            all_resolved.then_some("Resolved after investigation."),
        );
        o.arr("comments", |a| {
            if let Some((who, at)) = &comment {
                // Both spellings the docs show for incident comments.
                let mut c = Obj::open(a);
                c.s("comment", "Triage started; scoping affected entities.")
                    .s("createdBy", who)
                    .s("createdTime", at);
                c.s("createdByDisplayName", who).s("createdDateTime", at);
                c.close();
            }
        });
        o.close();
    });
    let mut keys = Keys::default();
    for (k, v) in [
        (
            "assignedTo",
            assigned.as_deref().map_or(Value::Null, |a| json!(a)),
        ),
        ("classification", json!(classification)),
        ("createdDateTime", json!(created_s)),
        ("determination", json!(determination)),
        ("lastUpdateDateTime", json!(updated_s)),
        ("severity", json!(sev)),
        ("status", json!(status)),
    ] {
        keys.insert(k, v);
    }
    Rec {
        id: id.to_string(),
        body,
        keys,
    }
}

/// Output under construction: alerts with their creation time (for sorting).
struct Out {
    alerts: Vec<(i64, Rec)>,
    incidents: Vec<(i64, Rec)>,
    incident_alerts: HashMap<String, Vec<String>>,
}

impl Out {
    fn add(
        &mut self,
        e: &Entities,
        id: &str,
        group: Vec<(Rec, Summary)>,
        rng: &mut Rng,
        now_ms: i64,
    ) {
        let (recs, sums): (Vec<Rec>, Vec<Summary>) = group.into_iter().unzip();
        let inc = incident(e, id, &sums, rng, now_ms);
        let mut ids: Vec<(i64, String)> = sums.iter().map(|s| (s.created, s.id.clone())).collect();
        ids.sort_by_key(|x| std::cmp::Reverse(x.0));
        self.incident_alerts
            .insert(id.to_string(), ids.into_iter().map(|x| x.1).collect());
        self.incidents
            .push((sums.iter().map(|s| s.created).min().unwrap_or(now_ms), inc));
        self.alerts.extend(sums.iter().map(|s| s.created).zip(recs));
    }
    /// An alert Defender put in no incident.
    fn loose(&mut self, (rec, sum): (Rec, Summary)) {
        self.alerts.push((sum.created, rec));
    }
}

/// One planted step: template title, minutes after the story starts.
type Step = (&'static str, i64);

/// A planted story: who and what it involves (indexes into the tenant's entities; the IP,
/// domain and malware are the story's own) and its steps.
struct StoryDef {
    name: &'static str,
    days_ago: i64,
    person: usize,
    machine: usize,
    ip: usize,
    malware: usize,
    domain: usize,
    steps: &'static [Step],
}

const STORIES: &[StoryDef] = &[
    // Office -> Entra ID -> Endpoint -> Cloud Apps.
    StoryDef {
        name: "Qakbot phish to ransomware",
        days_ago: 2,
        person: 5,
        machine: 4,
        ip: 0,
        malware: 0,
        domain: 0,
        steps: &[
            ("A potentially malicious URL click was detected", 0),
            ("Unfamiliar sign-in properties", 25),
            ("Suspicious PowerShell command line", 40),
            ("Connection to a known command and control server", 55),
            ("Possible ransomware activity", 300),
            ("Mass download by a single user", 320),
        ],
    },
    // Entra ID -> Cloud Apps -> Identity -> Endpoint -> Office -> DLP.
    StoryDef {
        name: "Password spray to domain dominance",
        days_ago: 6,
        person: 12,
        machine: 13,
        ip: 1,
        malware: 3,
        domain: 5,
        steps: &[
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
    },
    // Endpoint -> Cloud Apps -> DLP -> Office.
    StoryDef {
        name: "Insider exfiltration with rclone",
        days_ago: 4,
        person: 18,
        machine: 10,
        ip: 3,
        malware: 4,
        domain: 3,
        steps: &[
            ("Unsanctioned remote access tool installed", 0),
            ("Mass download by a single user", 90),
            (
                "DLP policy match: credit card numbers shared externally",
                120,
            ),
            ("Suspicious email sending patterns detected", 150),
        ],
    },
];

/// Noise must not touch a story's user or device within this margin of its window.
const MARGIN: i64 = 2 * DAY;

/// Something placed among the noise incidents: part of a story (an incident, or the alerts in
/// none) or a decoy.
enum Unit {
    Incident(usize, Vec<usize>),
    Loose(usize, Vec<usize>),
    /// Shares the story's user (0), device (1) in its window, or its IP weeks before (2).
    Decoy(usize, u8),
}

struct Planned<'a> {
    scene: Scene<'a>,
    start: i64,
    end: i64,
    truth: StoryTruth,
    /// Alert ids by step, filled as units are emitted.
    by_step: Vec<Option<String>>,
    first_endpoint: Option<usize>,
}

fn template(title: &str) -> &'static Template {
    TEMPLATES
        .iter()
        .find(|t| t.title == title)
        .unwrap_or(&TEMPLATES[0])
}

/// Generates `count` alerts (at least the planted stories) over the last ~60 days.
pub fn generate(rng: &mut Rng, e: &Entities, count: usize, now_ms: i64) -> Generated {
    let frags = Frags::new(e);
    let mut out = Out {
        alerts: Vec::with_capacity(count + 32),
        incidents: Vec::new(),
        incident_alerts: HashMap::new(),
    };
    let mut next_incident = 10_001u64;
    let n = e.people.len();
    let mut plans: Vec<Planned> = STORIES
        .iter()
        .map(|d| {
            let start = now_ms - d.days_ago * DAY;
            let scene = frags.scene(
                e,
                d.person % n,
                d.machine % e.machines.len(),
                (e.bad_ips[d.ip].0.clone(), e.bad_ips[d.ip].1),
                e.malware[d.malware].clone(),
                e.bad_domains[d.domain].clone(),
            );
            let iocs = vec![
                scene.ip.clone(),
                scene.bad_domain.clone(),
                scene.malware.sha1.clone(),
                scene.malware.sha256.clone(),
                scene.malware.md5.clone(),
            ];
            Planned {
                start,
                end: start + d.steps.iter().map(|s| s.1).max().unwrap_or(0) * MIN,
                scene,
                truth: StoryTruth {
                    name: d.name.to_string(),
                    alert_ids: Vec::new(),
                    incident_ids: Vec::new(),
                    unincidented_alert_ids: Vec::new(),
                    providers: Vec::new(),
                    iocs,
                    decoy_alert_ids: Vec::new(),
                },
                by_step: vec![None; d.steps.len()],
                first_endpoint: d
                    .steps
                    .iter()
                    .position(|s| template(s.0).provider == Endpoint),
            }
        })
        .collect();
    // Split each story the way Defender does when it misses a link: one or two alerts in no
    // incident, the rest in two or three incidents of consecutive steps.
    let story_alerts: usize = STORIES.iter().map(|d| d.steps.len()).sum();
    let est = (count.saturating_sub(story_alerts) / 2).max(1) as u64;
    let mut units: Vec<(u64, Unit)> = Vec::new();
    for (k, d) in STORIES.iter().enumerate() {
        let steps = d.steps.len();
        let loose_n = rng.range(1, 3) as usize;
        let mut loose = Vec::new();
        while loose.len() < loose_n {
            let i = rng.below(steps as u64) as usize;
            if !loose.contains(&i) {
                loose.push(i);
            }
        }
        loose.sort();
        let rest: Vec<usize> = (0..steps).filter(|i| !loose.contains(i)).collect();
        let parts = (rng.range(2, 4) as usize).min(rest.len());
        let mut cuts: Vec<usize> = Vec::new();
        while cuts.len() + 1 < parts {
            let c = rng.range(1, rest.len() as i64) as usize;
            if !cuts.contains(&c) {
                cuts.push(c);
            }
        }
        cuts.sort();
        let mut from = 0;
        for c in cuts.into_iter().chain([rest.len()]) {
            units.push((rng.below(est), Unit::Incident(k, rest[from..c].to_vec())));
            from = c;
        }
        units.push((rng.below(est), Unit::Loose(k, loose)));
        for kind in 0..3 {
            units.push((rng.below(est), Unit::Decoy(k, kind)));
        }
    }
    units.sort_by_key(|u| u.0);
    let reserved: Vec<(usize, usize, i64, i64)> = STORIES
        .iter()
        .zip(&plans)
        .map(|(d, p)| {
            (
                d.person % n,
                d.machine % e.machines.len(),
                p.start - MARGIN,
                p.end + MARGIN,
            )
        })
        .collect();
    // A user and device for noise at `at`: never a story's within its window.
    let pick_pair = |rng: &mut Rng, at: i64| -> (usize, usize) {
        let mut machine = rng.below(e.machines.len() as u64) as usize;
        let mut person = if rng.chance(0.7) {
            e.machines[machine].owner % n
        } else {
            rng.below(n as u64) as usize
        };
        while reserved
            .iter()
            .any(|r| (r.2..=r.3).contains(&at) && (r.0 == person || r.1 == machine))
        {
            machine = (machine + 1) % e.machines.len();
            person = (person + 1) % n;
        }
        (person, machine)
    };
    let by_provider: HashMap<Provider, Vec<&Template>> =
        TEMPLATES.iter().fold(HashMap::new(), |mut m, t| {
            m.entry(t.provider).or_default().push(t);
            m
        });
    let providers = [
        Endpoint, Endpoint, Endpoint, Office, Office, Identity, CloudApps, EntraId, Dlp,
    ];
    let story_ips: HashSet<&str> = e.bad_ips.iter().map(|x| x.0.as_str()).collect();
    let mut recent_ips: Vec<(String, &'static str)> = Vec::new();
    // The hostile strings go to ordinary alerts 3, 10, 17, …, never to the planted stories.
    let mut ordinary = 0usize;
    let mut noise_incidents = 0u64;
    let mut units = units.into_iter().peekable();
    let mut remaining = story_alerts;
    loop {
        while let Some((_, unit)) = units.next_if(|u| u.0 <= noise_incidents) {
            remaining -= emit(
                rng,
                e,
                &frags,
                now_ms,
                &mut out,
                &mut next_incident,
                &mut plans,
                unit,
                &pick_pair,
            );
        }
        if out.alerts.len() + remaining >= count {
            break;
        }
        let k = (if rng.chance(0.6) {
            1
        } else {
            rng.range(2, 5) as usize
        })
        .min(count - out.alerts.len() - remaining);
        // Recent days are busier, as in a real queue.
        let mut age = (rng.f64().powf(1.6) * 60.0 * DAY as f64) as i64;
        // Hostile titles stay within hunting's default 30 days.
        if (ordinary..ordinary + k).any(|o| o % 7 == 3 && o / 7 < HOSTILE.len()) {
            age %= 20 * DAY;
        }
        let start = now_ms - age - rng.range(5, 120) * MIN;
        let (person, machine) = pick_pair(rng, start);
        let mut scene = frags.noise(rng, e, person, machine);
        // Some infrastructure is reused by a few nearby incidents; most is one-off.
        if rng.chance(0.2) && !recent_ips.is_empty() {
            let (ip, c) = rng.pick(&recent_ips).clone();
            (scene.ip, scene.country) = (ip, c);
        }
        if story_ips.contains(scene.ip.as_str()) {
            scene.ip = format!("{}.0", scene.ip.rsplit_once('.').map_or("10.0.0", |x| x.0));
        }
        if recent_ips.len() >= 16 {
            recent_ips.remove(0);
        }
        recent_ips.push((scene.ip.clone(), scene.country));
        // A few alerts Defender puts in no incident, as for the stories.
        let loose = k == 1 && rng.chance(0.04);
        let incident_id = next_incident.to_string();
        if !loose {
            next_incident += 1;
            noise_incidents += 1;
        }
        let main = *rng.pick(&providers);
        let mut group = Vec::with_capacity(k);
        for j in 0..k {
            let p = if j > 0 && rng.chance(0.4) {
                *rng.pick(&providers)
            } else {
                main
            };
            let t = *rng.pick(&by_provider[&p]);
            let hostile = (ordinary % 7 == 3)
                .then(|| HOSTILE.get(ordinary / 7).copied())
                .flatten();
            ordinary += 1;
            let created = (start + (j as i64) * rng.range(2, 40) * MIN).min(now_ms - MIN);
            let spec = AlertSpec {
                template: t,
                created_ms: created,
                now_ms,
                incident_id: (!loose).then_some(incident_id.as_str()),
                title_override: hostile,
                full_ids: false,
                keep_open: None,
                fresh: false,
            };
            group.push(alert(rng, e, &scene, spec));
        }
        if loose {
            group.into_iter().for_each(|a| out.loose(a));
        } else {
            out.add(e, &incident_id, group, rng, now_ms);
        }
    }
    for (_, unit) in units {
        emit(
            rng,
            e,
            &frags,
            now_ms,
            &mut out,
            &mut next_incident,
            &mut plans,
            unit,
            &pick_pair,
        );
    }
    out.alerts.sort_by_key(|x| std::cmp::Reverse(x.0));
    out.incidents.sort_by_key(|x| std::cmp::Reverse(x.0));
    let truth = plans
        .into_iter()
        .map(|mut p| {
            p.truth.alert_ids = p.by_step.into_iter().flatten().collect();
            p.truth
        })
        .collect();
    Generated {
        alerts: out.alerts.into_iter().map(|x| x.1).collect(),
        incidents: out.incidents.into_iter().map(|x| x.1).collect(),
        incident_alerts: out.incident_alerts,
        truth,
    }
}

/// Renders one planned unit; returns how many story alerts it produced.
#[allow(clippy::too_many_arguments)]
fn emit(
    rng: &mut Rng,
    e: &Entities,
    f: &Frags,
    now_ms: i64,
    out: &mut Out,
    next_incident: &mut u64,
    plans: &mut [Planned],
    unit: Unit,
    pick_pair: &dyn Fn(&mut Rng, i64) -> (usize, usize),
) -> usize {
    let story_alert =
        |rng: &mut Rng, p: &Planned, k: usize, step: usize, incident: Option<&str>| {
            let d = &STORIES[k];
            let (title, offset) = d.steps[step];
            // Recent stories stay open so the correlation view has live work to find.
            let keep_open =
                (d.days_ago < 10).then_some(if offset == 0 { "inProgress" } else { "new" });
            let spec = AlertSpec {
                template: template(title),
                created_ms: p.start + offset * MIN,
                now_ms,
                incident_id: incident,
                title_override: None,
                full_ids: step == 0 || Some(step) == p.first_endpoint,
                keep_open,
                fresh: false,
            };
            alert(rng, e, &p.scene, spec)
        };
    let note = |p: &mut Planned, step: usize, sum: &Summary| {
        p.by_step[step] = Some(sum.id.clone());
        if !p.truth.providers.iter().any(|x| x == sum.source) {
            p.truth.providers.push(sum.source.to_string());
        }
    };
    match unit {
        Unit::Incident(k, steps) => {
            let id = next_incident.to_string();
            *next_incident += 1;
            let p = &mut plans[k];
            let mut group = Vec::new();
            for &step in &steps {
                let a = story_alert(rng, p, k, step, Some(&id));
                note(p, step, &a.1);
                group.push(a);
            }
            p.truth.incident_ids.push(id.clone());
            p.truth
                .incident_ids
                .sort_by_key(|i| i.parse::<u64>().unwrap_or(0));
            out.add(e, &id, group, rng, now_ms);
            steps.len()
        }
        Unit::Loose(k, steps) => {
            let p = &mut plans[k];
            for &step in &steps {
                let a = story_alert(rng, p, k, step, None);
                note(p, step, &a.1);
                p.truth.unincidented_alert_ids.push(a.1.id.clone());
                out.loose(a);
            }
            steps.len()
        }
        Unit::Decoy(k, kind) => {
            let p = &mut plans[k];
            let d = &STORIES[k];
            let at = match kind {
                2 => p.start - rng.range(25, 40) * DAY,
                _ => p.start + rng.range(-60, (p.end - p.start) / MIN + 60) * MIN,
            }
            .min(now_ms - MIN);
            let (person, machine) = pick_pair(rng, at);
            let (person, machine) = match kind {
                0 => (d.person % e.people.len(), machine),
                1 => (person, d.machine % e.machines.len()),
                _ => (person, machine),
            };
            let mut scene = f.noise(rng, e, person, machine);
            let pool: Vec<&Template> = TEMPLATES
                .iter()
                .filter(|t| match kind {
                    0 => t.evidence.contains(&User) && !t.evidence.contains(&Device),
                    1 => t.provider == Endpoint && !t.evidence.contains(&User),
                    _ => t.evidence.contains(&Ip) && !t.evidence.contains(&User),
                })
                .collect();
            let t = pool
                .get(rng.below(pool.len() as u64) as usize)
                .copied()
                .unwrap_or(&TEMPLATES[0]);
            if kind == 2 {
                (scene.ip, scene.country) = (p.scene.ip.clone(), p.scene.country);
            }
            let id = next_incident.to_string();
            *next_incident += 1;
            let spec = AlertSpec {
                template: t,
                created_ms: at,
                now_ms,
                incident_id: Some(&id),
                title_override: None,
                full_ids: false,
                keep_open: None,
                fresh: false,
            };
            let a = alert(rng, e, &scene, spec);
            p.truth.decoy_alert_ids.push(a.1.id.clone());
            out.add(e, &id, vec![a], rng, now_ms);
            0
        }
    }
}

/// One new incident with one new alert created now, for `--live`.
pub fn live(rng: &mut Rng, e: &Entities, incident_number: u64, now_ms: i64) -> Generated {
    let frags = Frags::new(e);
    let mut out = Out {
        alerts: Vec::new(),
        incidents: Vec::new(),
        incident_alerts: HashMap::new(),
    };
    let (person, machine) = (
        rng.below(e.people.len() as u64) as usize,
        rng.below(e.machines.len() as u64) as usize,
    );
    let scene = frags.noise(rng, e, person, machine);
    let id = incident_number.to_string();
    let spec = AlertSpec {
        template: rng.pick(TEMPLATES),
        created_ms: now_ms,
        now_ms,
        incident_id: Some(&id),
        title_override: None,
        full_ids: false,
        keep_open: Some("new"),
        fresh: true,
    };
    let a = alert(rng, e, &scene, spec);
    out.add(e, &id, vec![a], rng, now_ms);
    Generated {
        alerts: out.alerts.into_iter().map(|x| x.1).collect(),
        incidents: out.incidents.into_iter().map(|x| x.1).collect(),
        incident_alerts: out.incident_alerts,
        truth: Vec::new(),
    }
}
