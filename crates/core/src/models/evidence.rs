//! Alert evidence: the polymorphic `alertEvidence` family, discriminated by `@odata.type`.
//!
//! Microsoft keeps adding evidence types, so an unknown `@odata.type` decodes to
//! [`EvidenceKind::Other`] with the raw type name and JSON rather than failing the whole alert.

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, Error as _, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::common::{DateTime, de_opt_datetime, de_vec, graph_enum, odata_type_name};

graph_enum! {
    /// `evidenceVerdict`.
    EvidenceVerdict {
        Unknown = "unknown",
        Suspicious = "suspicious",
        Malicious = "malicious",
        NoThreatsFound = "noThreatsFound",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `evidenceRemediationStatus`; `notRemediated` is the beta SDK's spelling of `unremediated`.
    EvidenceRemediationStatus {
        None = "none",
        Remediated = "remediated",
        Prevented = "prevented",
        Blocked = "blocked",
        NotFound = "notFound",
        UnknownFutureValue = "unknownFutureValue",
        Active = "active",
        PendingApproval = "pendingApproval",
        Declined = "declined",
        Unremediated = "unremediated" | "notRemediated",
        Running = "running",
        PartiallyRemediated = "partiallyRemediated",
    }
}

graph_enum! {
    /// `evidenceRole`.
    EvidenceRole {
        Unknown = "unknown",
        Contextual = "contextual",
        Scanned = "scanned",
        Source = "source",
        Destination = "destination",
        Created = "created",
        Added = "added",
        Compromised = "compromised",
        Edited = "edited",
        Attacked = "attacked",
        Attacker = "attacker",
        CommandAndControl = "commandAndControl",
        Loaded = "loaded",
        Suspicious = "suspicious",
        PolicyViolator = "policyViolator",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `detectionStatus` of file and process evidence.
    DetectionStatus {
        Detected = "detected",
        Blocked = "blocked",
        Prevented = "prevented",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `deviceHealthStatus`.
    DeviceHealthStatus {
        Active = "active",
        Inactive = "inactive",
        ImpairedCommunication = "impairedCommunication",
        NoSensorData = "noSensorData",
        NoSensorDataImpairedCommunication = "noSensorDataImpairedCommunication",
        Unknown = "unknown",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `deviceRiskScore`.
    DeviceRiskScore {
        None = "none",
        Informational = "informational",
        Low = "low",
        Medium = "medium",
        High = "high",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `onboardingStatus`.
    OnboardingStatus {
        InsufficientInfo = "insufficientInfo",
        Onboarded = "onboarded",
        CanBeOnboarded = "canBeOnboarded",
        Unsupported = "unsupported",
        Unknown = "unknown",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `defenderAvStatus`.
    DefenderAvStatus {
        NotReporting = "notReporting",
        Disabled = "disabled",
        NotUpdated = "notUpdated",
        Updated = "updated",
        Unknown = "unknown",
        NotSupported = "notSupported",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `vmCloudProvider`.
    VmCloudProvider {
        Unknown = "unknown",
        Azure = "azure",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `antispamDirection` of analysed messages.
    AntispamDirection {
        Unknown = "unknown",
        Inbound = "inbound",
        Outbound = "outbound",
        Intraorg = "intraorg",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `deliveryAction` of analysed messages.
    DeliveryAction {
        Unknown = "unknown",
        DeliveredToJunk = "deliveredToJunk",
        Delivered = "delivered",
        DeliveredAsSpam = "deliveredAsSpam",
        Junked = "junked",
        Blocked = "blocked",
        Replaced = "replaced",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `deliveryLocation` of analysed messages.
    DeliveryLocation {
        Unknown = "unknown",
        Inbox = "inbox",
        External = "external",
        JunkFolder = "junkFolder",
        Quarantine = "quarantine",
        Failed = "failed",
        Dropped = "dropped",
        DeletedFolder = "deletedFolder",
        Forwarded = "forwarded",
        UnknownFutureValue = "unknownFutureValue",
    }
}

/// Properties present on every evidence subtype.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EvidenceCommon {
    #[serde(deserialize_with = "de_opt_datetime")]
    pub created_date_time: Option<DateTime>,
    pub verdict: Option<EvidenceVerdict>,
    pub remediation_status: Option<EvidenceRemediationStatus>,
    pub remediation_status_details: Option<String>,
    #[serde(deserialize_with = "de_vec")]
    pub roles: Vec<EvidenceRole>,
    #[serde(deserialize_with = "de_vec")]
    pub detailed_roles: Vec<String>,
    #[serde(deserialize_with = "de_vec")]
    pub tags: Vec<String>,
}

/// One piece of evidence: the shared properties plus the subtype's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The `@odata.type` as sent (empty if absent).
    pub odata_type: String,
    pub common: EvidenceCommon,
    pub kind: EvidenceKind,
}

/// The evidence subtypes with documented properties; anything else is `Other`.
#[derive(Debug, Clone, PartialEq)]
pub enum EvidenceKind {
    User(UserEvidence),
    Device(Box<DeviceEvidence>),
    Ip(IpEvidence),
    Url(UrlEvidence),
    File(FileEvidence),
    Process(Box<ProcessEvidence>),
    Mailbox(MailboxEvidence),
    AnalyzedMessage(Box<AnalyzedMessageEvidence>),
    MailCluster(MailClusterEvidence),
    CloudApplication(CloudApplicationEvidence),
    OauthApplication(OauthApplicationEvidence),
    RegistryKey(RegistryKeyEvidence),
    RegistryValue(RegistryValueEvidence),
    SecurityGroup(SecurityGroupEvidence),
    /// An evidence type without a model here (cloud resources, Kubernetes objects, future
    /// types): the type name (last segment of `@odata.type`) and the raw JSON.
    Other {
        type_name: String,
        raw: Value,
    },
}

impl EvidenceKind {
    /// A short stable name for the kind (`"device"`, `"file"`, or the raw type name).
    pub fn name(&self) -> &str {
        match self {
            EvidenceKind::User(_) => "user",
            EvidenceKind::Device(_) => "device",
            EvidenceKind::Ip(_) => "ip",
            EvidenceKind::Url(_) => "url",
            EvidenceKind::File(_) => "file",
            EvidenceKind::Process(_) => "process",
            EvidenceKind::Mailbox(_) => "mailbox",
            EvidenceKind::AnalyzedMessage(_) => "analyzedMessage",
            EvidenceKind::MailCluster(_) => "mailCluster",
            EvidenceKind::CloudApplication(_) => "cloudApplication",
            EvidenceKind::OauthApplication(_) => "oauthApplication",
            EvidenceKind::RegistryKey(_) => "registryKey",
            EvidenceKind::RegistryValue(_) => "registryValue",
            EvidenceKind::SecurityGroup(_) => "securityGroup",
            EvidenceKind::Other { type_name, .. } => type_name,
        }
    }
}

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EvidenceVisitor)
    }
}

/// The shared and the subtype properties read from the same object in one pass.
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct WithCommon<T> {
    #[serde(flatten)]
    common: EvidenceCommon,
    #[serde(flatten)]
    specific: T,
}

struct EvidenceVisitor;

impl<'de> Visitor<'de> for EvidenceVisitor {
    type Value = Evidence;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an evidence object")
    }

    /// Graph writes `@odata.type` first; then the rest of the object is decoded straight into
    /// the subtype (no intermediate JSON tree, which roughly halves the cost of a page of
    /// alerts). Any other key order takes the buffered path, with the same result.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Evidence, A::Error> {
        let mut buffered = Map::new();
        let odata_type = match map.next_key::<String>()? {
            Some(k) if k == "@odata.type" => match map.next_value::<Value>()? {
                Value::String(t) => t,
                other => {
                    buffered.insert(k, other);
                    return drain(buffered, map);
                }
            },
            Some(k) => {
                buffered.insert(k, map.next_value()?);
                return drain(buffered, map);
            }
            None => return Evidence::from_value(Value::Object(buffered)).map_err(A::Error::custom),
        };
        let rest = MapAccessDeserializer::new(map);
        macro_rules! known {
            ($ty:ty, $wrap:expr) => {{
                let w = WithCommon::<$ty>::deserialize(rest)?;
                (w.common, $wrap(w.specific))
            }};
        }
        let name = odata_type_name(&odata_type).to_ascii_lowercase();
        let (common, kind) = match name.as_str() {
            "userevidence" => known!(UserEvidence, EvidenceKind::User),
            "deviceevidence" => known!(DeviceEvidence, |s| EvidenceKind::Device(Box::new(s))),
            "ipevidence" => known!(IpEvidence, EvidenceKind::Ip),
            "urlevidence" => known!(UrlEvidence, EvidenceKind::Url),
            "fileevidence" => known!(FileEvidence, EvidenceKind::File),
            "processevidence" => known!(ProcessEvidence, |s| EvidenceKind::Process(Box::new(s))),
            "mailboxevidence" => known!(MailboxEvidence, EvidenceKind::Mailbox),
            "analyzedmessageevidence" => {
                known!(AnalyzedMessageEvidence, |s| EvidenceKind::AnalyzedMessage(
                    Box::new(s)
                ))
            }
            "mailclusterevidence" => known!(MailClusterEvidence, EvidenceKind::MailCluster),
            "cloudapplicationevidence" => {
                known!(CloudApplicationEvidence, EvidenceKind::CloudApplication)
            }
            "oauthapplicationevidence" => {
                known!(OauthApplicationEvidence, EvidenceKind::OauthApplication)
            }
            "registrykeyevidence" => known!(RegistryKeyEvidence, EvidenceKind::RegistryKey),
            "registryvalueevidence" => known!(RegistryValueEvidence, EvidenceKind::RegistryValue),
            "securitygroupevidence" => known!(SecurityGroupEvidence, EvidenceKind::SecurityGroup),
            _ => {
                let mut raw = Map::deserialize(rest)?;
                raw.insert("@odata.type".to_owned(), Value::String(odata_type.clone()));
                return Evidence::from_value(Value::Object(raw)).map_err(A::Error::custom);
            }
        };
        Ok(Evidence {
            odata_type,
            common,
            kind,
        })
    }
}

/// Reads the rest of the object into `buffered` and decodes from the tree.
fn drain<'de, A: MapAccess<'de>>(
    mut buffered: Map<String, Value>,
    mut map: A,
) -> Result<Evidence, A::Error> {
    while let Some((k, v)) = map.next_entry::<String, Value>()? {
        buffered.insert(k, v);
    }
    Evidence::from_value(Value::Object(buffered)).map_err(A::Error::custom)
}

impl Evidence {
    /// Decodes evidence from a JSON tree (any key order); unknown subtypes keep the tree.
    pub fn from_value(v: Value) -> Result<Evidence, serde_json::Error> {
        let odata_type = v
            .get("@odata.type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let common = EvidenceCommon::deserialize(&v)?;
        let name = odata_type_name(&odata_type).to_ascii_lowercase();
        fn sub<'a, T: Deserialize<'a>>(v: &'a Value) -> Result<T, serde_json::Error> {
            T::deserialize(v)
        }
        let kind = match name.as_str() {
            "userevidence" => EvidenceKind::User(sub(&v)?),
            "deviceevidence" => EvidenceKind::Device(Box::new(sub(&v)?)),
            "ipevidence" => EvidenceKind::Ip(sub(&v)?),
            "urlevidence" => EvidenceKind::Url(sub(&v)?),
            "fileevidence" => EvidenceKind::File(sub(&v)?),
            "processevidence" => EvidenceKind::Process(Box::new(sub(&v)?)),
            "mailboxevidence" => EvidenceKind::Mailbox(sub(&v)?),
            "analyzedmessageevidence" => EvidenceKind::AnalyzedMessage(Box::new(sub(&v)?)),
            "mailclusterevidence" => EvidenceKind::MailCluster(sub(&v)?),
            "cloudapplicationevidence" => EvidenceKind::CloudApplication(sub(&v)?),
            "oauthapplicationevidence" => EvidenceKind::OauthApplication(sub(&v)?),
            "registrykeyevidence" => EvidenceKind::RegistryKey(sub(&v)?),
            "registryvalueevidence" => EvidenceKind::RegistryValue(sub(&v)?),
            "securitygroupevidence" => EvidenceKind::SecurityGroup(sub(&v)?),
            _ => EvidenceKind::Other {
                type_name: odata_type_name(&odata_type).to_owned(),
                raw: v.clone(),
            },
        };
        Ok(Evidence {
            odata_type,
            common,
            kind,
        })
    }
}

/// `userAccount`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserAccount {
    pub account_name: Option<String>,
    pub azure_ad_user_id: Option<String>,
    pub display_name: Option<String>,
    pub domain_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub user_sid: Option<String>,
}

/// `fileDetails`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FileDetails {
    pub file_name: Option<String>,
    pub file_path: Option<String>,
    pub file_publisher: Option<String>,
    pub file_size: Option<i64>,
    pub issuer: Option<String>,
    pub signer: Option<String>,
    pub md5: Option<String>,
    pub sha1: Option<String>,
    pub sha256: Option<String>,
    /// Spelled `sha265Ac` (sic) on the wire.
    #[serde(rename = "sha265Ac")]
    pub sha256_ac: Option<String>,
}

/// `loggedOnUser`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LoggedOnUser {
    pub account_name: Option<String>,
    pub domain_name: Option<String>,
}

/// `vmMetadata`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VmMetadata {
    pub vm_id: Option<String>,
    pub resource_id: Option<String>,
    pub subscription_id: Option<String>,
    pub cloud_provider: Option<VmCloudProvider>,
}

/// `emailSender`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EmailSender {
    pub display_name: Option<String>,
    pub domain_name: Option<String>,
    pub email_address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserEvidence {
    pub user_account: Option<UserAccount>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeviceEvidence {
    pub mde_device_id: Option<String>,
    pub azure_ad_device_id: Option<String>,
    pub device_dns_name: Option<String>,
    pub os_platform: Option<String>,
    pub os_build: Option<i64>,
    pub version: Option<String>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub first_seen_date_time: Option<DateTime>,
    pub rbac_group_id: Option<i64>,
    pub rbac_group_name: Option<String>,
    pub health_status: Option<DeviceHealthStatus>,
    pub risk_score: Option<DeviceRiskScore>,
    pub onboarding_status: Option<OnboardingStatus>,
    pub defender_av_status: Option<DefenderAvStatus>,
    #[serde(deserialize_with = "de_vec")]
    pub ip_interfaces: Vec<String>,
    #[serde(deserialize_with = "de_vec")]
    pub logged_on_users: Vec<LoggedOnUser>,
    pub vm_metadata: Option<VmMetadata>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IpEvidence {
    pub ip_address: Option<String>,
    pub country_letter_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UrlEvidence {
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FileEvidence {
    pub file_details: Option<FileDetails>,
    pub detection_status: Option<DetectionStatus>,
    pub mde_device_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProcessEvidence {
    pub process_id: Option<i64>,
    pub parent_process_id: Option<i64>,
    pub process_command_line: Option<String>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub process_creation_date_time: Option<DateTime>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub parent_process_creation_date_time: Option<DateTime>,
    pub image_file: Option<FileDetails>,
    pub parent_process_image_file: Option<FileDetails>,
    pub user_account: Option<UserAccount>,
    pub detection_status: Option<DetectionStatus>,
    pub mde_device_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MailboxEvidence {
    pub display_name: Option<String>,
    pub primary_address: Option<String>,
    pub upn: Option<String>,
    pub user_account: Option<UserAccount>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnalyzedMessageEvidence {
    pub network_message_id: Option<String>,
    pub internet_message_id: Option<String>,
    pub subject: Option<String>,
    pub language: Option<String>,
    pub sender_ip: Option<String>,
    pub recipient_email_address: Option<String>,
    pub anti_spam_direction: Option<AntispamDirection>,
    pub delivery_action: Option<DeliveryAction>,
    pub delivery_location: Option<DeliveryLocation>,
    pub urn: Option<String>,
    #[serde(deserialize_with = "de_vec")]
    pub threats: Vec<String>,
    #[serde(deserialize_with = "de_vec")]
    pub threat_detection_methods: Vec<String>,
    #[serde(deserialize_with = "de_vec")]
    pub urls: Vec<String>,
    pub url_count: Option<i64>,
    pub attachments_count: Option<i64>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub received_date_time: Option<DateTime>,
    pub p1_sender: Option<EmailSender>,
    pub p2_sender: Option<EmailSender>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MailClusterEvidence {
    pub cluster_by: Option<String>,
    pub cluster_by_value: Option<String>,
    pub query: Option<String>,
    pub urn: Option<String>,
    pub email_count: Option<i64>,
    #[serde(deserialize_with = "de_vec")]
    pub network_message_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CloudApplicationEvidence {
    pub app_id: Option<i64>,
    pub display_name: Option<String>,
    pub instance_id: Option<i64>,
    pub instance_name: Option<String>,
    pub saas_app_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OauthApplicationEvidence {
    pub app_id: Option<String>,
    pub display_name: Option<String>,
    pub object_id: Option<String>,
    pub publisher: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RegistryKeyEvidence {
    pub registry_key: Option<String>,
    pub registry_hive: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RegistryValueEvidence {
    pub mde_device_id: Option<String>,
    pub registry_hive: Option<String>,
    pub registry_key: Option<String>,
    pub registry_value: Option<String>,
    pub registry_value_name: Option<String>,
    pub registry_value_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SecurityGroupEvidence {
    pub security_group_id: Option<String>,
    pub display_name: Option<String>,
    pub distinguished_name: Option<String>,
    pub friendly_name: Option<String>,
    pub sid: Option<String>,
    pub active_directory_object_guid: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatches_on_odata_type() {
        let e: Evidence = serde_json::from_str(
            r##"{"@odata.type":"#microsoft.graph.security.ipEvidence","ipAddress":"1.2.3.4","roles":null,"verdict":"Malicious"}"##,
        )
        .unwrap();
        assert_eq!(
            e.kind,
            EvidenceKind::Ip(IpEvidence {
                ip_address: Some("1.2.3.4".into()),
                country_letter_code: None
            })
        );
        assert_eq!(e.common.verdict, Some(EvidenceVerdict::Malicious));
        assert!(e.common.roles.is_empty());
    }

    #[test]
    fn key_order_does_not_matter() {
        let a: Evidence = serde_json::from_str(
            r##"{"@odata.type":"#microsoft.graph.security.fileEvidence","verdict":"malicious","fileDetails":{"fileSize":7}}"##,
        )
        .unwrap();
        let b: Evidence = serde_json::from_str(
            r##"{"verdict":"malicious","fileDetails":{"fileSize":7},"@odata.type":"#microsoft.graph.security.fileEvidence"}"##,
        )
        .unwrap();
        assert_eq!(a, b);
        assert_eq!(a.kind.name(), "file");
        let c: Evidence =
            serde_json::from_value(serde_json::json!({"@odata.type": 5, "verdict": "x"})).unwrap();
        assert_eq!(
            c.common.verdict,
            Some(EvidenceVerdict::Unrecognized("x".into()))
        );
        assert!(serde_json::from_str::<Evidence>("[1]").is_err());
    }

    #[test]
    fn unknown_type_is_kept_raw() {
        let e: Evidence = serde_json::from_str(
            r##"{"@odata.type":"#microsoft.graph.security.kubernetesPodEvidence","name":"p"}"##,
        )
        .unwrap();
        match e.kind {
            EvidenceKind::Other { type_name, raw } => {
                assert_eq!(type_name, "kubernetesPodEvidence");
                assert_eq!(raw["name"], "p");
            }
            other => panic!("{other:?}"),
        }
    }
}
