//! Evidence as labelled text: what the detail pane lists per kind and what free-text search
//! looks through. One place knows which fields of each subtype matter to an analyst.

use crate::models::{Evidence, EvidenceKind, FileDetails, UserAccount};

/// How the detail pane groups evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    Users,
    Devices,
    Ips,
    Files,
    Processes,
    Urls,
    Mailboxes,
    Messages,
    CloudApps,
    Registry,
    Groups,
    Other,
}

impl Group {
    pub fn of(kind: &EvidenceKind) -> Group {
        match kind {
            EvidenceKind::User(_) => Group::Users,
            EvidenceKind::Device(_) => Group::Devices,
            EvidenceKind::Ip(_) => Group::Ips,
            EvidenceKind::Url(_) => Group::Urls,
            EvidenceKind::File(_) => Group::Files,
            EvidenceKind::Process(_) => Group::Processes,
            EvidenceKind::Mailbox(_) => Group::Mailboxes,
            EvidenceKind::AnalyzedMessage(_) | EvidenceKind::MailCluster(_) => Group::Messages,
            EvidenceKind::CloudApplication(_) | EvidenceKind::OauthApplication(_) => {
                Group::CloudApps
            }
            EvidenceKind::RegistryKey(_) | EvidenceKind::RegistryValue(_) => Group::Registry,
            EvidenceKind::SecurityGroup(_) => Group::Groups,
            EvidenceKind::Other { .. } => Group::Other,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Group::Users => "Users",
            Group::Devices => "Devices",
            Group::Ips => "IP addresses",
            Group::Files => "Files",
            Group::Processes => "Processes",
            Group::Urls => "URLs",
            Group::Mailboxes => "Mailboxes",
            Group::Messages => "Email messages",
            Group::CloudApps => "Cloud apps",
            Group::Registry => "Registry",
            Group::Groups => "Security groups",
            Group::Other => "Other evidence",
        }
    }
}

/// One piece of evidence ready to render: a headline and labelled values (all plain text).
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceView {
    pub group: Group,
    /// The most telling value (a UPN, a host name, a file name…).
    pub headline: String,
    pub fields: Vec<(&'static str, String)>,
    /// For processes: `(process id, parent process id)`, to draw the parent/child chain.
    pub process: Option<(Option<i64>, Option<i64>)>,
}

struct Fields(Vec<(&'static str, String)>);

impl Fields {
    fn s(&mut self, label: &'static str, v: &Option<String>) {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            self.0.push((label, v.to_owned()));
        }
    }
    fn n(&mut self, label: &'static str, v: Option<i64>) {
        if let Some(v) = v {
            self.0.push((label, v.to_string()));
        }
    }
    fn e(&mut self, label: &'static str, v: Option<&str>) {
        if let Some(v) = v {
            self.0.push((label, v.to_owned()));
        }
    }
    fn list(&mut self, label: &'static str, v: &[String]) {
        if !v.is_empty() {
            self.0.push((label, v.join(", ")));
        }
    }
    fn account(&mut self, a: &Option<UserAccount>) {
        if let Some(a) = a {
            self.s("Account", &a.account_name);
            self.s("Domain", &a.domain_name);
            self.s("Display name", &a.display_name);
            self.s("UPN", &a.user_principal_name);
            self.s("SID", &a.user_sid);
            self.s("Entra user id", &a.azure_ad_user_id);
        }
    }
    fn file(&mut self, prefix: bool, f: &Option<FileDetails>) {
        if let Some(f) = f {
            let (name, path) = if prefix {
                ("Parent image", "Parent path")
            } else {
                ("File name", "Path")
            };
            self.s(name, &f.file_name);
            self.s(path, &f.file_path);
            if !prefix {
                self.n("Size", f.file_size);
                self.s("Publisher", &f.file_publisher);
                self.s("Signer", &f.signer);
                self.s("Issuer", &f.issuer);
                self.s("SHA-256", &f.sha256);
                self.s("SHA-1", &f.sha1);
                self.s("MD5", &f.md5);
            }
        }
    }
}

fn first(fields: &Fields, labels: &[&str]) -> Option<String> {
    labels.iter().find_map(|l| {
        fields
            .0
            .iter()
            .find(|(k, _)| k == l)
            .map(|(_, v)| v.clone())
    })
}

/// The view of one piece of evidence.
pub fn view(e: &Evidence) -> EvidenceView {
    let mut f = Fields(Vec::new());
    let mut process = None;
    match &e.kind {
        EvidenceKind::User(u) => f.account(&u.user_account),
        EvidenceKind::Device(d) => {
            f.s("Host", &d.device_dns_name);
            f.s("OS", &d.os_platform);
            f.n("OS build", d.os_build);
            f.s("Defender device id", &d.mde_device_id);
            f.s("Entra device id", &d.azure_ad_device_id);
            f.e("Risk", d.risk_score.as_ref().map(|r| r.as_str()));
            f.e("Health", d.health_status.as_ref().map(|r| r.as_str()));
            f.s("Device group", &d.rbac_group_name);
            f.list("IP interfaces", &d.ip_interfaces);
            let users: Vec<String> = d
                .logged_on_users
                .iter()
                .filter_map(|u| match (&u.domain_name, &u.account_name) {
                    (Some(d), Some(a)) => Some(format!("{d}\\{a}")),
                    (None, Some(a)) => Some(a.clone()),
                    _ => None,
                })
                .collect();
            f.list("Logged-on users", &users);
        }
        EvidenceKind::Ip(i) => {
            f.s("IP address", &i.ip_address);
            f.s("Country", &i.country_letter_code);
        }
        EvidenceKind::Url(u) => f.s("URL", &u.url),
        EvidenceKind::File(x) => {
            f.file(false, &x.file_details);
            f.e("Detection", x.detection_status.as_ref().map(|d| d.as_str()));
            f.s("Defender device id", &x.mde_device_id);
        }
        EvidenceKind::Process(p) => {
            f.file(false, &p.image_file);
            f.s("Command line", &p.process_command_line);
            f.n("Process id", p.process_id);
            f.n("Parent process id", p.parent_process_id);
            f.file(true, &p.parent_process_image_file);
            f.account(&p.user_account);
            f.e("Detection", p.detection_status.as_ref().map(|d| d.as_str()));
            process = Some((p.process_id, p.parent_process_id));
        }
        EvidenceKind::Mailbox(m) => {
            f.s("Primary address", &m.primary_address);
            f.s("Display name", &m.display_name);
            f.s("UPN", &m.upn);
            f.account(&m.user_account);
        }
        EvidenceKind::AnalyzedMessage(m) => {
            f.s("Subject", &m.subject);
            if let Some(s) = &m.p1_sender {
                f.s("Sender", &s.email_address);
            }
            f.s("Recipient", &m.recipient_email_address);
            f.s("Sender IP", &m.sender_ip);
            f.s("Internet message id", &m.internet_message_id);
            f.s("Network message id", &m.network_message_id);
            f.e(
                "Delivery action",
                m.delivery_action.as_ref().map(|d| d.as_str()),
            );
            f.e(
                "Delivery location",
                m.delivery_location.as_ref().map(|d| d.as_str()),
            );
            f.list("Threats", &m.threats);
            f.list("URLs", &m.urls);
        }
        EvidenceKind::MailCluster(c) => {
            f.s("Clustered by", &c.cluster_by);
            f.s("Value", &c.cluster_by_value);
            f.n("Messages", c.email_count);
            f.s("Query", &c.query);
        }
        EvidenceKind::CloudApplication(a) => {
            f.s("App", &a.display_name);
            f.n("App id", a.app_id);
            f.s("Instance", &a.instance_name);
        }
        EvidenceKind::OauthApplication(a) => {
            f.s("App", &a.display_name);
            f.s("App id", &a.app_id);
            f.s("Publisher", &a.publisher);
            f.s("Object id", &a.object_id);
        }
        EvidenceKind::RegistryKey(k) => {
            f.s("Hive", &k.registry_hive);
            f.s("Key", &k.registry_key);
        }
        EvidenceKind::RegistryValue(v) => {
            f.s("Hive", &v.registry_hive);
            f.s("Key", &v.registry_key);
            f.s("Value name", &v.registry_value_name);
            f.s("Value", &v.registry_value);
            f.s("Type", &v.registry_value_type);
        }
        EvidenceKind::SecurityGroup(g) => {
            f.s("Group", &g.display_name);
            f.s("Distinguished name", &g.distinguished_name);
            f.s("SID", &g.sid);
            f.s("Group id", &g.security_group_id);
        }
        EvidenceKind::Other { type_name, raw } => {
            f.0.push(("Type", type_name.clone()));
            if let Some(o) = raw.as_object() {
                for (k, v) in o {
                    if let Some(s) = v.as_str()
                        && !k.starts_with('@')
                    {
                        // Labels must be 'static; raw keys are shown generically.
                        f.0.push(("Property", format!("{k}: {s}")));
                    }
                }
            }
        }
    }
    let verdict = e.common.verdict.as_ref().map(|v| v.as_str().to_owned());
    if let Some(v) = verdict {
        f.0.push(("Verdict", v));
    }
    let roles: Vec<String> = e
        .common
        .roles
        .iter()
        .map(|r| r.as_str().to_owned())
        .collect();
    f.list("Roles", &roles);
    if let Some(r) = &e.common.remediation_status {
        f.0.push(("Remediation", r.as_str().to_owned()));
    }
    let headline = first(
        &f,
        &[
            "UPN",
            "Host",
            "IP address",
            "URL",
            "File name",
            "Primary address",
            "Subject",
            "App",
            "Key",
            "Group",
            "Value",
            "Account",
            "Type",
        ],
    )
    .unwrap_or_else(|| e.kind.name().to_owned());
    EvidenceView {
        group: Group::of(&e.kind),
        headline,
        fields: f.0,
        process,
    }
}

/// Evidence grouped by kind, groups in a fixed order, items in the alert's order.
pub fn grouped(evidence: &[Evidence]) -> Vec<(Group, Vec<EvidenceView>)> {
    let mut out: Vec<(Group, Vec<EvidenceView>)> = Vec::new();
    for v in evidence.iter().map(view) {
        match out.iter_mut().find(|(g, _)| *g == v.group) {
            Some((_, items)) => items.push(v),
            None => out.push((v.group, vec![v])),
        }
    }
    crate::sort::by_key(&mut out, |(g, _)| *g);
    out
}

/// Orders process evidence as parent/child chains: each item with its depth, roots first,
/// children (by `parentProcessId`) after their parent. Cycles and unknown parents are roots.
pub fn process_chain(views: &[EvidenceView]) -> Vec<(usize, usize)> {
    let pid = |i: usize| views[i].process.and_then(|p| p.0);
    let ppid = |i: usize| views[i].process.and_then(|p| p.1);
    let n = views.len();
    let parent_of = |i: usize| -> Option<usize> {
        let pp = ppid(i)?;
        (0..n).find(|&j| j != i && pid(j) == Some(pp))
    };
    let mut out = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    fn walk(
        i: usize,
        depth: usize,
        n: usize,
        parent_of: &dyn Fn(usize) -> Option<usize>,
        placed: &mut [bool],
        out: &mut Vec<(usize, usize)>,
    ) {
        if placed[i] {
            return;
        }
        placed[i] = true;
        out.push((i, depth));
        for c in 0..n {
            if parent_of(c) == Some(i) {
                walk(c, depth + 1, n, parent_of, placed, out);
            }
        }
    }
    for i in 0..n {
        // A root: no parent among the items, or part of a cycle (handled by `placed`).
        if parent_of(i).is_none() {
            walk(i, 0, n, &parent_of, &mut placed, &mut out);
        }
    }
    for i in 0..n {
        walk(i, 0, n, &parent_of, &mut placed, &mut out);
    }
    out
}
