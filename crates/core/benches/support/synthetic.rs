//! Synthetic alerts for the correlation benchmarks, shared by the native criterion bench
//! (`crates/core/benches/correlate.rs`) and the one in headless Chromium
//! (`tests/correlate_bench.rs`): five evidence items each (user, device, file, IP, URL), drawn
//! by a small deterministic PRNG from pools that grow with the alert count, over a time span
//! that grows with it too, so that the data's density, and so the ideal cost per alert, is the
//! same at every size.

use vigil_core::models::*;

/// SplitMix64: small, deterministic, good enough to scatter ids.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn evidence(kind: EvidenceKind, roles: Vec<EvidenceRole>) -> Evidence {
    Evidence {
        odata_type: String::new(),
        common: EvidenceCommon {
            roles,
            ..EvidenceCommon::default()
        },
        kind,
    }
}

pub fn alerts(n: usize) -> Vec<Alert> {
    let mut r = Rng(42);
    let n64 = n as u64;
    let (users, devices, files, ips, urls) = (n64 / 8, n64 / 10, n64 / 4, n64 / 20, n64 / 5);
    let sources = [
        ServiceSource::MicrosoftDefenderForEndpoint,
        ServiceSource::MicrosoftDefenderForIdentity,
        ServiceSource::MicrosoftDefenderForOffice365,
        ServiceSource::MicrosoftDefenderForCloudApps,
    ];
    (0..n)
        .map(|i| {
            let u = r.below(users);
            let user = evidence(
                EvidenceKind::User(UserEvidence {
                    user_account: Some(UserAccount {
                        user_principal_name: Some(format!("User{u}@Contoso.com")),
                        azure_ad_user_id: Some(format!("{u:08x}-0000-0000-0000-000000000000")),
                        account_name: Some(format!("user{u}")),
                        domain_name: Some("CONTOSO".into()),
                        ..UserAccount::default()
                    }),
                }),
                vec![EvidenceRole::Compromised],
            );
            let d = r.below(devices);
            let device = evidence(
                EvidenceKind::Device(Box::new(DeviceEvidence {
                    mde_device_id: Some(format!("{d:040x}")),
                    device_dns_name: Some(format!("host{d}.contoso.com")),
                    ..DeviceEvidence::default()
                })),
                vec![],
            );
            let f = r.below(files);
            let file = evidence(
                EvidenceKind::File(FileEvidence {
                    file_details: Some(FileDetails {
                        sha256: Some(format!("{f:064x}")),
                        sha1: Some(format!("{f:040x}")),
                        ..FileDetails::default()
                    }),
                    ..FileEvidence::default()
                }),
                vec![EvidenceRole::Created],
            );
            // One address in fifty alerts is the same scanner: a hub.
            let ip = if r.below(50) == 0 {
                1
            } else {
                2 + r.below(ips)
            };
            let ip = evidence(
                EvidenceKind::Ip(IpEvidence {
                    ip_address: Some(format!(
                        "10.{}.{}.{}",
                        ip >> 16 & 255,
                        ip >> 8 & 255,
                        ip & 255
                    )),
                    ..IpEvidence::default()
                }),
                vec![],
            );
            let l = r.below(urls);
            let url = evidence(
                EvidenceKind::Url(UrlEvidence {
                    url: Some(format!("https://site{}.example/p/{l}", l % 1000)),
                }),
                vec![],
            );
            Alert {
                id: AlertId::new(format!("da{i:012}")),
                title: Some(format!("Detection {}", r.below(200))),
                severity: Some(AlertSeverity::Medium),
                status: Some(AlertStatus::New),
                service_source: Some(sources[r.below(4) as usize].clone()),
                tenant_id: Some("t1".into()),
                created_date_time: Some(DateTime::from_unix(
                    1_790_000_000 + (r.below(n64) * 60) as i64,
                )),
                evidence: vec![user, device, file, ip, url],
                ..Alert::default()
            }
        })
        .collect()
}
