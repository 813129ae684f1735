//! The people, machines and infrastructure of a demo tenant. Alerts, incidents, hunting rows
//! and directory pivots all draw on the same entities, so correlations are real.

use crate::util::Rng;

#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub given: String,
    pub surname: String,
    pub display: String,
    pub upn: String,
    pub account: String,
    pub sid: String,
    pub job: &'static str,
    pub department: &'static str,
    pub office: &'static str,
}

#[derive(Debug, Clone)]
pub struct Machine {
    pub mde_id: String,
    pub aad_id: String,
    pub object_id: String,
    pub name: String,
    pub dns: String,
    pub os: &'static str,
    pub os_build: i64,
    pub version: &'static str,
    pub ip: String,
    pub owner: usize,
    pub first_seen_days: i64,
}

#[derive(Debug, Clone)]
pub struct Malware {
    pub name: String,
    pub path: String,
    pub sha1: String,
    pub sha256: String,
    pub md5: String,
    pub size: i64,
    pub family: &'static str,
    pub publisher: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Entities {
    pub domain: String,
    pub tenant_id: String,
    pub people: Vec<Person>,
    pub machines: Vec<Machine>,
    pub bad_ips: Vec<(String, &'static str)>,
    pub bad_domains: Vec<String>,
    pub malware: Vec<Malware>,
    /// Indexes of the security team (they get assignments and write comments).
    pub soc: Vec<usize>,
    /// Benign high-prevalence entities that appear in alerts of every kind.
    pub hubs: Hubs,
}

/// The entities every tenant sees everywhere: they join unrelated alerts, so a correlation
/// engine must discount them. The domain controller is `machines[0]`.
#[derive(Debug, Clone)]
pub struct Hubs {
    /// The egress proxy / NAT address every office sign-in comes from.
    pub nat_ip: String,
    /// The vulnerability scanner (not a directory device).
    pub scanner: Machine,
    /// A service account used by backup and deployment jobs on many machines.
    pub service: Person,
}

const GIVEN: &[&str] = &[
    "Adele",
    "Alex",
    "Allan",
    "Bianca",
    "Cameron",
    "Christie",
    "Debra",
    "Diego",
    "Emily",
    "Enrico",
    "Grady",
    "Henrietta",
    "Irvin",
    "Isaiah",
    "Johanna",
    "Joni",
    "Lee",
    "Lidia",
    "Lynne",
    "Megan",
    "Miriam",
    "Nestor",
    "Patti",
    "Pradeep",
    "Raul",
    "Sakura",
    "Tomás",
    "Zoë",
    "Yuki",
    "Olumide",
    "Ananya",
    "Mateus",
    "Fatima",
    "Jonas",
    "Ingrid",
    "Wei",
];
const SURNAME: &[&str] = &[
    "Vance",
    "Wilber",
    "Deyoung",
    "Pham",
    "White",
    "Cline",
    "Berg",
    "Soto",
    "Braun",
    "Ross",
    "Archie",
    "Gonzalez",
    "Sherman",
    "Kelley",
    "Lauer",
    "Sherman",
    "McKinney",
    "Holloway",
    "Robbins",
    "Bowen",
    "Graham",
    "Wilke",
    "Fernandez",
    "Gupta",
    "Chen",
    "Okafor",
    "Nakamura",
    "Müller",
    "Silva",
    "Haddad",
    "Lindqvist",
    "Novak",
];
const JOBS: &[(&str, &str)] = &[
    ("Marketing Manager", "Marketing"),
    ("Sales Representative", "Sales"),
    ("Accountant", "Finance"),
    ("Software Engineer", "Engineering"),
    ("HR Generalist", "Human Resources"),
    ("Paralegal", "Legal"),
    ("IT Administrator", "IT"),
    ("Executive Assistant", "Executive"),
    ("Retail Manager", "Retail"),
    ("Product Manager", "Engineering"),
];
const OFFICES: &[&str] = &["18/2111", "20/1101", "131/1104", "19/3123", "Remote"];

impl Entities {
    pub fn generate(
        rng: &mut Rng,
        tenant_id: &str,
        domain: &str,
        short: &str,
        demo: &[(&str, &str, &str)],
    ) -> Entities {
        let mut people = Vec::new();
        let mut soc = Vec::new();
        // The demo sign-in identities are real directory users too.
        for (given, surname, upn) in demo {
            soc.push(people.len());
            people.push(person(
                rng,
                given,
                surname,
                upn,
                ("Security Analyst", "Security Operations"),
            ));
        }
        for extra in [("Kai", "Carter"), ("Priya", "Raman")] {
            let upn = format!(
                "{}.{}@{domain}",
                extra.0.to_lowercase(),
                extra.1.to_lowercase()
            );
            soc.push(people.len());
            people.push(person(
                rng,
                extra.0,
                extra.1,
                &upn,
                ("Security Analyst", "Security Operations"),
            ));
        }
        let mut used = std::collections::HashSet::new();
        while people.len() < 48 {
            let g = *rng.pick(GIVEN);
            let s = *rng.pick(SURNAME);
            if !used.insert((g, s)) {
                continue;
            }
            let local: String = format!("{}{}", g, &s[..1])
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            let upn = format!("{local}@{domain}");
            let job = *rng.pick(JOBS);
            people.push(person(rng, g, s, &upn, job));
        }
        let prefix = short.to_uppercase();
        let mut machines = Vec::new();
        for i in 0..36 {
            let (os, build, version, kind) = match i % 9 {
                0 => ("WindowsServer2022", 20348, "2022", "SRV"),
                1 => ("macOS", 23, "14.4", "MAC"),
                2 => ("Linux", 6, "Ubuntu 22.04", "LNX"),
                3 | 4 => ("Windows10", 19045, "22H2", "WS"),
                _ => ("Windows11", 22631, "23H2", "WS"),
            };
            let name = if i == 0 {
                format!("{prefix}-DC01")
            } else {
                format!("{prefix}-{kind}-{:04}", 100 + i * 7)
            };
            machines.push(Machine {
                mde_id: rng.hex(40),
                aad_id: rng.guid(),
                object_id: rng.guid(),
                dns: format!("{}.{}", name.to_lowercase(), domain),
                name,
                os,
                os_build: build,
                version,
                ip: format!(
                    "10.{}.{}.{}",
                    1 + i % 4,
                    rng.range(1, 254),
                    rng.range(2, 254)
                ),
                owner: (i * 5 + 3) % people.len(),
                first_seen_days: rng.range(90, 900),
            });
        }
        let bad_ips = vec![
            ("185.220.101.47".to_string(), "DE"),
            ("45.155.205.233".to_string(), "RU"),
            ("103.145.13.98".to_string(), "VN"),
            ("198.51.100.23".to_string(), "US"),
            ("2001:db8:85a3::8a2e:370:7334".to_string(), "NL"),
            ("91.219.236.166".to_string(), "UA"),
            ("176.113.115.10".to_string(), "RU"),
            ("23.106.223.97".to_string(), "SG"),
            ("41.77.135.20".to_string(), "NG"),
            ("5.188.206.14".to_string(), "RU"),
            ("203.0.113.77".to_string(), "BR"),
            ("89.248.165.52".to_string(), "NL"),
        ];
        let bad_domains = vec![
            "login-micros0ft-support.com".to_string(),
            "invoice-share.net".to_string(),
            "cdn-update-check.org".to_string(),
            "secure-docs-view.info".to_string(),
            "payroll-portal-hr.com".to_string(),
            "teams-meet-join.net".to_string(),
        ];
        let families = [
            ("invoice_0423.docm", "Trojan:O97M/Qakbot", 184_320),
            ("update.exe", "Trojan:Win32/Cobaltstrike", 287_744),
            ("svch0st.exe", "Backdoor:Win32/Bladabindi", 1_032_192),
            ("mimikatz.exe", "HackTool:Win64/Mikatz", 1_250_056),
            ("rclone.exe", "HackTool:Win64/Rclone", 52_428_800),
            ("AnyDesk.exe", "PUA:Win32/RemoteAdmin", 5_242_880),
            ("payload.ps1", "Trojan:PowerShell/Ploty", 8_204),
            ("lsass.dmp", "Behavior:Win32/CredDump", 48_234_496),
            ("wininit.dll", "Trojan:Win32/Emotet", 413_696),
            ("report.iso", "Trojan:Win32/IcedID", 3_145_728),
        ];
        let malware = families
            .iter()
            .map(|(n, f, size)| Malware {
                name: n.to_string(),
                path: if n.ends_with(".ps1") || n.ends_with(".docm") || n.ends_with(".iso") {
                    "C:\\Users\\Public\\Downloads".to_string()
                } else {
                    "C:\\ProgramData\\Temp".to_string()
                },
                sha1: rng.hex(40),
                sha256: rng.hex(64),
                md5: rng.hex(32),
                size: *size,
                family: f,
                publisher: match *n {
                    "AnyDesk.exe" => Some("AnyDesk Software GmbH"),
                    "rclone.exe" => Some("Rclone"),
                    "mimikatz.exe" => Some("gentilkiwi (Benjamin DELPY)"),
                    _ => None,
                },
            })
            .collect();
        let scanner_name = format!("{prefix}-VSCAN01");
        let hubs = Hubs {
            nat_ip: format!(
                "20.{}.{}.{}",
                rng.range(40, 120),
                rng.range(1, 254),
                rng.range(2, 254)
            ),
            scanner: Machine {
                mde_id: rng.hex(40),
                aad_id: rng.guid(),
                object_id: rng.guid(),
                dns: format!("{}.{}", scanner_name.to_lowercase(), domain),
                name: scanner_name,
                os: "Linux",
                os_build: 6,
                version: "Ubuntu 22.04",
                ip: format!("10.9.{}.{}", rng.range(1, 254), rng.range(2, 254)),
                owner: 0,
                first_seen_days: 700,
            },
            service: person(
                rng,
                "svc",
                "backup",
                &format!("svc-backup@{domain}"),
                ("Service account", "IT"),
            ),
        };
        Entities {
            hubs,
            domain: domain.to_string(),
            tenant_id: tenant_id.to_string(),
            people,
            machines,
            bad_ips,
            bad_domains,
            malware,
            soc,
        }
    }

    pub fn person_by_upn(&self, upn: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.upn.eq_ignore_ascii_case(upn))
    }
}

fn person(
    rng: &mut Rng,
    given: &str,
    surname: &str,
    upn: &str,
    job: (&'static str, &'static str),
) -> Person {
    Person {
        id: rng.guid(),
        given: given.to_string(),
        surname: surname.to_string(),
        display: format!("{given} {surname}"),
        upn: upn.to_string(),
        account: upn.split('@').next().unwrap_or(upn).to_string(),
        sid: format!(
            "S-1-5-21-{}-{}-{}-{}",
            rng.range(1_000_000_000, 2_147_483_647),
            rng.range(1_000_000_000, 2_147_483_647),
            rng.range(1_000_000_000, 2_147_483_647),
            rng.range(1100, 9999)
        ),
        job: job.0,
        department: job.1,
        office: OFFICES[rng.below(OFFICES.len() as u64) as usize],
    }
}
