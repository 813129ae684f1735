//! What an evidence item names: its identifiers, grouped by the entity they belong to, each
//! group weighted by the evidence's roles and verdict.
//!
//! One evidence item can name several entities (a process names its image file, its user and
//! its device); the identifiers of one group are one entity, and two groups anywhere that
//! share an identifier are the same entity too.

use super::normalize;
use crate::models::{
    Evidence, EvidenceCommon, EvidenceKind, EvidenceRole, EvidenceVerdict, FileDetails, UserAccount,
};

/// The kind of an entity, for reasons ("same user") and grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    User,
    Device,
    File,
    Ip,
    Url,
    Domain,
    Sender,
    Message,
    CloudApp,
    OauthApp,
    SecurityGroup,
    Registry,
}

impl EntityKind {
    /// The reason a shared entity gives for a link.
    pub fn reason(self) -> &'static str {
        match self {
            EntityKind::User => "same user",
            EntityKind::Device => "same device",
            EntityKind::File => "same file",
            EntityKind::Ip => "same IP address",
            EntityKind::Url => "same URL",
            EntityKind::Domain => "same domain",
            EntityKind::Sender => "same sender",
            EntityKind::Message => "same email message",
            EntityKind::CloudApp => "same cloud app",
            EntityKind::OauthApp => "same OAuth app",
            EntityKind::SecurityGroup => "same security group",
            EntityKind::Registry => "same registry key",
        }
    }

    /// A short lower-case name (`"user"`), for JSON and URLs.
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::User => "user",
            EntityKind::Device => "device",
            EntityKind::File => "file",
            EntityKind::Ip => "ip",
            EntityKind::Url => "url",
            EntityKind::Domain => "domain",
            EntityKind::Sender => "sender",
            EntityKind::Message => "message",
            EntityKind::CloudApp => "cloudApp",
            EntityKind::OauthApp => "oauthApp",
            EntityKind::SecurityGroup => "securityGroup",
            EntityKind::Registry => "registry",
        }
    }
}

/// The kind of one identifier. Its tag prefixes the identifier's key (`upn:jdoe@contoso.com`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IdKind {
    /// Entra (Azure AD) user object id.
    UserObjectId,
    /// UPN or mailbox address: one namespace, because in Exchange Online the primary address
    /// is the UPN for most users; a mismatch only means no link.
    UserAddress,
    /// `domain\account` (see [`normalize::account`]).
    Account,
    UserSid,
    MdeDeviceId,
    AadDeviceId,
    DnsName,
    Sha256,
    Sha1,
    Md5,
    Ip,
    Url,
    Domain,
    SenderAddress,
    NetworkMessageId,
    InternetMessageId,
    CloudAppId,
    OauthAppId,
    OauthObjectId,
    GroupId,
    GroupSid,
    RegistryKey,
}

impl IdKind {
    /// Every kind, for parsing keys.
    pub const ALL: [IdKind; 22] = [
        IdKind::UserObjectId,
        IdKind::UserAddress,
        IdKind::Account,
        IdKind::UserSid,
        IdKind::MdeDeviceId,
        IdKind::AadDeviceId,
        IdKind::DnsName,
        IdKind::Sha256,
        IdKind::Sha1,
        IdKind::Md5,
        IdKind::Ip,
        IdKind::Url,
        IdKind::Domain,
        IdKind::SenderAddress,
        IdKind::NetworkMessageId,
        IdKind::InternetMessageId,
        IdKind::CloudAppId,
        IdKind::OauthAppId,
        IdKind::OauthObjectId,
        IdKind::GroupId,
        IdKind::GroupSid,
        IdKind::RegistryKey,
    ];

    /// The key prefix (`upn`, `sha256`, ...).
    pub fn tag(self) -> &'static str {
        match self {
            IdKind::UserObjectId => "oid",
            IdKind::UserAddress => "upn",
            IdKind::Account => "account",
            IdKind::UserSid => "sid",
            IdKind::MdeDeviceId => "mdedevice",
            IdKind::AadDeviceId => "aaddevice",
            IdKind::DnsName => "dns",
            IdKind::Sha256 => "sha256",
            IdKind::Sha1 => "sha1",
            IdKind::Md5 => "md5",
            IdKind::Ip => "ip",
            IdKind::Url => "url",
            IdKind::Domain => "domain",
            IdKind::SenderAddress => "sender",
            IdKind::NetworkMessageId => "networkmessage",
            IdKind::InternetMessageId => "internetmessage",
            IdKind::CloudAppId => "cloudapp",
            IdKind::OauthAppId => "oauthapp",
            IdKind::OauthObjectId => "oauthobject",
            IdKind::GroupId => "group",
            IdKind::GroupSid => "groupsid",
            IdKind::RegistryKey => "registry",
        }
    }

    /// The kind of entity this identifier names.
    pub fn entity(self) -> EntityKind {
        use IdKind as I;
        match self {
            I::UserObjectId | I::UserAddress | I::Account | I::UserSid => EntityKind::User,
            I::MdeDeviceId | I::AadDeviceId | I::DnsName => EntityKind::Device,
            I::Sha256 | I::Sha1 | I::Md5 => EntityKind::File,
            I::Ip => EntityKind::Ip,
            I::Url => EntityKind::Url,
            I::Domain => EntityKind::Domain,
            I::SenderAddress => EntityKind::Sender,
            I::NetworkMessageId | I::InternetMessageId => EntityKind::Message,
            I::CloudAppId => EntityKind::CloudApp,
            I::OauthAppId | I::OauthObjectId => EntityKind::OauthApp,
            I::GroupId | I::GroupSid => EntityKind::SecurityGroup,
            I::RegistryKey => EntityKind::Registry,
        }
    }

    /// Which identifier labels an entity best (lower first): names people read before ids.
    pub(crate) fn label_rank(self) -> u8 {
        use IdKind as I;
        match self {
            I::UserAddress | I::DnsName | I::Sha256 | I::Url | I::Domain | I::Ip => 0,
            I::SenderAddress | I::InternetMessageId | I::GroupId | I::RegistryKey => 0,
            I::CloudAppId | I::OauthAppId => 0,
            I::Account | I::Sha1 | I::NetworkMessageId | I::OauthObjectId | I::GroupSid => 1,
            I::MdeDeviceId | I::Md5 => 1,
            I::UserObjectId | I::AadDeviceId => 2,
            I::UserSid => 3,
        }
    }

    /// The kind whose tag is `tag`.
    pub fn from_tag(tag: &str) -> Option<IdKind> {
        IdKind::ALL.into_iter().find(|k| k.tag() == tag)
    }

    /// Appends the normalised form of `raw` as this kind of identifier to `out`; false if it
    /// is no such identifier. Views use it (through [`super::entity_key`]) to pivot from a
    /// value as shown.
    pub fn normalize(self, out: &mut String, raw: &str) -> bool {
        use IdKind as I;
        match self {
            I::UserAddress | I::SenderAddress => normalize::address(out, raw),
            I::Account => normalize::account(out, raw, None),
            I::Sha256 => normalize::hash(out, raw, 64),
            I::Sha1 => normalize::hash(out, raw, 40),
            I::Md5 => normalize::hash(out, raw, 32),
            I::Ip => normalize::ip(out, raw),
            I::DnsName => normalize::dns(out, raw),
            I::Domain => normalize::domain(out, raw),
            I::Url => {
                let mut scratch = String::new();
                normalize::url(out, raw, &mut scratch).is_some()
            }
            I::UserObjectId | I::AadDeviceId | I::OauthAppId | I::OauthObjectId | I::GroupId => {
                normalize::guid(out, raw)
            }
            I::UserSid | I::GroupSid | I::MdeDeviceId | I::NetworkMessageId => {
                normalize::lower(out, raw)
            }
            I::InternetMessageId => normalize::lower(
                out,
                raw.trim().trim_start_matches('<').trim_end_matches('>'),
            ),
            I::CloudAppId | I::RegistryKey => normalize::lower(out, raw),
        }
    }
}

/// How much an evidence item's roles and verdict say about its entity: role weight (attacker,
/// compromised, command and control 4; suspicious, policy violator, attacked 3; source,
/// destination, created, added, edited, loaded 2; anything else 1) times verdict weight
/// (malicious 3, suspicious 2, anything else 1): 1 to 12.
///
/// 0 for context: an item the provider investigated and found clean (`noThreatsFound`) that
/// plays no part in the activity (only contextual, scanned, source or destination roles, or
/// none), such as the domain controller a sign-in went through, the vulnerability scanner that
/// probed a machine or the proxy's address. Such an item is shown and can be pivoted on, but
/// links nothing: infrastructure every alert passes through says nothing about which alerts
/// belong together, however few alerts the data holds.
pub fn weight(common: &EvidenceCommon) -> u8 {
    use EvidenceRole as R;
    let involved = |r: &R| {
        matches!(
            r,
            R::Attacker
                | R::Compromised
                | R::CommandAndControl
                | R::Suspicious
                | R::PolicyViolator
                | R::Attacked
                | R::Created
                | R::Added
                | R::Edited
                | R::Loaded
        )
    };
    if common.verdict == Some(EvidenceVerdict::NoThreatsFound) && !common.roles.iter().any(involved)
    {
        return 0;
    }
    let role = common
        .roles
        .iter()
        .map(|r| match r {
            R::Attacker | R::Compromised | R::CommandAndControl => 4,
            R::Suspicious | R::PolicyViolator | R::Attacked => 3,
            R::Source | R::Destination | R::Created | R::Added | R::Edited | R::Loaded => 2,
            _ => 1,
        })
        .max()
        .unwrap_or(1);
    let verdict = match common.verdict {
        Some(EvidenceVerdict::Malicious) => 3,
        Some(EvidenceVerdict::Suspicious) => 2,
        _ => 1,
    };
    role * verdict
}

/// One identifier found in evidence: its kind, the byte range of its normalised value in
/// [`Found::text`], the entity group it belongs to and the group's weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub kind: IdKind,
    pub start: u32,
    pub end: u32,
    pub group: u32,
    pub weight: u8,
}

/// The identifiers of a set of evidence items, in one reused buffer.
#[derive(Debug, Default)]
pub struct Extracted {
    pub text: String,
    pub found: Vec<Found>,
    next_group: u32,
    scratch: String,
}

impl Extracted {
    pub fn clear(&mut self) {
        self.text.clear();
        self.found.clear();
        self.next_group = 0;
    }

    /// The normalised value of `f`.
    pub fn value(&self, f: &Found) -> &str {
        &self.text[f.start as usize..f.end as usize]
    }

    /// Adds every identifier `ev` carries.
    pub fn evidence(&mut self, ev: &Evidence) {
        let w = weight(&ev.common);
        // Things an item only mentions (the device a file was on, the user a process ran as)
        // are context: the item's roles and verdict are about its own object.
        const CONTEXT: u8 = 1;
        use IdKind as I;
        match &ev.kind {
            EvidenceKind::User(u) => {
                if let Some(a) = &u.user_account {
                    self.user(a, w);
                }
            }
            EvidenceKind::Device(d) => {
                let g = self.group();
                self.id(I::MdeDeviceId, d.mde_device_id.as_deref(), g, w);
                self.id(I::AadDeviceId, d.azure_ad_device_id.as_deref(), g, w);
                self.id(I::DnsName, d.device_dns_name.as_deref(), g, w);
                for u in &d.logged_on_users {
                    if let Some(name) = u.account_name.as_deref() {
                        let g = self.group();
                        self.account(name, u.domain_name.as_deref(), g, CONTEXT);
                    }
                }
            }
            EvidenceKind::Ip(i) => {
                let g = self.group();
                self.id(I::Ip, i.ip_address.as_deref(), g, w);
            }
            EvidenceKind::Url(u) => self.url(u.url.as_deref(), w),
            EvidenceKind::File(f) => {
                if let Some(d) = &f.file_details {
                    self.file(d, w);
                }
                self.device(f.mde_device_id.as_deref(), CONTEXT);
            }
            EvidenceKind::Process(p) => {
                if let Some(d) = &p.image_file {
                    self.file(d, w);
                }
                if let Some(a) = &p.user_account {
                    self.user(a, CONTEXT);
                }
                self.device(p.mde_device_id.as_deref(), CONTEXT);
            }
            EvidenceKind::Mailbox(m) => {
                let g = self.group();
                self.id(I::UserAddress, m.primary_address.as_deref(), g, w);
                self.id(I::UserAddress, m.upn.as_deref(), g, w);
                if let Some(a) = &m.user_account {
                    self.user_into(a, g, w);
                }
            }
            EvidenceKind::AnalyzedMessage(m) => {
                let g = self.group();
                self.id(I::NetworkMessageId, m.network_message_id.as_deref(), g, w);
                self.id(I::InternetMessageId, m.internet_message_id.as_deref(), g, w);
                for s in [&m.p1_sender, &m.p2_sender].into_iter().flatten() {
                    let g = self.group();
                    self.id(I::SenderAddress, s.email_address.as_deref(), g, w);
                }
                let g = self.group();
                self.id(I::Ip, m.sender_ip.as_deref(), g, w);
                let g = self.group();
                self.id(
                    I::UserAddress,
                    m.recipient_email_address.as_deref(),
                    g,
                    CONTEXT,
                );
                for u in &m.urls {
                    self.url(Some(u), w);
                }
            }
            EvidenceKind::MailCluster(c) => {
                for id in &c.network_message_ids {
                    let g = self.group();
                    self.id(I::NetworkMessageId, Some(id), g, w);
                }
            }
            EvidenceKind::CloudApplication(c) => {
                if let Some(id) = c.app_id {
                    let g = self.group();
                    let start = self.text.len();
                    push_int(&mut self.text, id);
                    self.push(I::CloudAppId, start, g, w);
                }
            }
            EvidenceKind::OauthApplication(o) => {
                let g = self.group();
                self.id(I::OauthAppId, o.app_id.as_deref(), g, w);
                self.id(I::OauthObjectId, o.object_id.as_deref(), g, w);
            }
            EvidenceKind::SecurityGroup(s) => {
                let g = self.group();
                self.id(I::GroupId, s.security_group_id.as_deref(), g, w);
                self.id(I::GroupSid, s.sid.as_deref(), g, w);
                self.id(I::GroupId, s.active_directory_object_guid.as_deref(), g, w);
            }
            EvidenceKind::RegistryKey(r) => {
                self.registry(r.registry_hive.as_deref(), r.registry_key.as_deref(), w)
            }
            EvidenceKind::RegistryValue(r) => {
                self.registry(r.registry_hive.as_deref(), r.registry_key.as_deref(), w);
                self.device(r.mde_device_id.as_deref(), CONTEXT);
            }
            EvidenceKind::Other { .. } => {}
        }
    }

    fn group(&mut self) -> u32 {
        self.next_group += 1;
        self.next_group
    }

    /// Adds one identifier if `raw` normalises to one.
    fn id(&mut self, kind: IdKind, raw: Option<&str>, group: u32, weight: u8) {
        let Some(raw) = raw else { return };
        let start = self.text.len();
        if kind.normalize(&mut self.text, raw) {
            self.push(kind, start, group, weight);
        } else {
            self.text.truncate(start);
        }
    }

    fn push(&mut self, kind: IdKind, start: usize, group: u32, weight: u8) {
        self.found.push(Found {
            kind,
            start: start as u32,
            end: self.text.len() as u32,
            group,
            weight,
        });
    }

    fn user(&mut self, a: &UserAccount, weight: u8) {
        let g = self.group();
        self.user_into(a, g, weight);
    }

    /// A user account's identifiers; an account name written as an address is a UPN.
    fn user_into(&mut self, a: &UserAccount, g: u32, weight: u8) {
        self.id(
            IdKind::UserObjectId,
            a.azure_ad_user_id.as_deref(),
            g,
            weight,
        );
        self.id(
            IdKind::UserAddress,
            a.user_principal_name.as_deref(),
            g,
            weight,
        );
        self.id(IdKind::UserSid, a.user_sid.as_deref(), g, weight);
        if let Some(name) = a.account_name.as_deref() {
            if name.contains('@') {
                self.id(IdKind::UserAddress, Some(name), g, weight);
            } else {
                self.account(name, a.domain_name.as_deref(), g, weight);
            }
        }
    }

    fn account(&mut self, name: &str, domain: Option<&str>, g: u32, weight: u8) {
        let start = self.text.len();
        if normalize::account(&mut self.text, name, domain) {
            self.push(IdKind::Account, start, g, weight);
        } else {
            self.text.truncate(start);
        }
    }

    fn device(&mut self, mde_id: Option<&str>, weight: u8) {
        if mde_id.is_some() {
            let g = self.group();
            self.id(IdKind::MdeDeviceId, mde_id, g, weight);
        }
    }

    fn file(&mut self, d: &FileDetails, weight: u8) {
        let g = self.group();
        self.id(IdKind::Sha256, d.sha256.as_deref(), g, weight);
        self.id(IdKind::Sha1, d.sha1.as_deref(), g, weight);
        self.id(IdKind::Md5, d.md5.as_deref(), g, weight);
    }

    /// A URL and, as its own entity, its domain (or its IP when the host is an address).
    fn url(&mut self, raw: Option<&str>, weight: u8) {
        let Some(raw) = raw else { return };
        let start = self.text.len();
        let mut scratch = std::mem::take(&mut self.scratch);
        match normalize::url(&mut self.text, raw, &mut scratch) {
            Some(parts) => {
                let g = self.group();
                self.push(IdKind::Url, start, g, weight);
                let g = self.group();
                let start = self.text.len();
                if normalize::ip(&mut self.text, parts.host) {
                    self.push(IdKind::Ip, start, g, weight);
                } else if normalize::domain(&mut self.text, parts.host) {
                    self.push(IdKind::Domain, start, g, weight);
                } else {
                    self.text.truncate(start);
                }
            }
            None => self.text.truncate(start),
        }
        self.scratch = scratch;
    }

    fn registry(&mut self, hive: Option<&str>, key: Option<&str>, weight: u8) {
        let Some(key) = key.filter(|k| !k.trim().is_empty()) else {
            return;
        };
        let g = self.group();
        let start = self.text.len();
        if let Some(h) = hive.filter(|h| !h.trim().is_empty()) {
            normalize::lower(&mut self.text, h);
            self.text.push('\\');
        }
        normalize::lower(&mut self.text, key);
        self.push(IdKind::RegistryKey, start, g, weight);
    }
}

/// Writes `n` in decimal, as `to_string` would, without allocating.
fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut m = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}
