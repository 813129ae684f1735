//! Alert evidence: the polymorphic `alertEvidence` family, discriminated by `@odata.type`.
//!
//! Microsoft keeps adding evidence types, so an unknown `@odata.type` decodes to
//! [`EvidenceKind::Other`] with the raw type name and JSON rather than failing the whole alert.
//!
//! Decoding is hand-written rather than derived, because evidence is most of the bytes of an alert
//! page: each object is read once, key by key, straight from the JSON reader into the shared
//! properties and the subtype's struct (no `#[serde(flatten)]` buffering, no intermediate
//! JSON tree), and every struct here is declared with `wire_struct!`, which generates one small
//! field-by-key reader per struct instead of serde's per-struct deserializer machinery.

use serde::Deserialize;
use serde::de::{Deserializer, Error as _, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::common::{DateTime, graph_enum, odata_type_name};
use super::wire::{Key, ReadFields, wire_struct};

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

wire_struct! {
    /// Properties present on every evidence subtype.
    EvidenceCommon {
        created_date_time: Option<DateTime> = "createdDateTime" => date,
        verdict: Option<EvidenceVerdict> = "verdict",
        remediation_status: Option<EvidenceRemediationStatus> = "remediationStatus",
        remediation_status_details: Option<String> = "remediationStatusDetails",
        roles: Vec<EvidenceRole> = "roles" => list,
        detailed_roles: Vec<String> = "detailedRoles" => list,
        tags: Vec<String> = "tags" => list,
    }

    /// `userAccount`.
    UserAccount {
        account_name: Option<String> = "accountName",
        azure_ad_user_id: Option<String> = "azureAdUserId",
        display_name: Option<String> = "displayName",
        domain_name: Option<String> = "domainName",
        user_principal_name: Option<String> = "userPrincipalName",
        user_sid: Option<String> = "userSid",
    }

    /// `fileDetails`.
    FileDetails {
        file_name: Option<String> = "fileName",
        file_path: Option<String> = "filePath",
        file_publisher: Option<String> = "filePublisher",
        file_size: Option<i64> = "fileSize",
        issuer: Option<String> = "issuer",
        signer: Option<String> = "signer",
        md5: Option<String> = "md5",
        sha1: Option<String> = "sha1",
        sha256: Option<String> = "sha256",
        /// Spelled `sha265Ac` (sic) on the wire.
        sha256_ac: Option<String> = "sha265Ac",
    }

    /// `loggedOnUser`.
    LoggedOnUser {
        account_name: Option<String> = "accountName",
        domain_name: Option<String> = "domainName",
    }

    /// `vmMetadata`.
    VmMetadata {
        vm_id: Option<String> = "vmId",
        resource_id: Option<String> = "resourceId",
        subscription_id: Option<String> = "subscriptionId",
        cloud_provider: Option<VmCloudProvider> = "cloudProvider",
    }

    /// `emailSender`.
    EmailSender {
        display_name: Option<String> = "displayName",
        domain_name: Option<String> = "domainName",
        email_address: Option<String> = "emailAddress",
    }

    UserEvidence {
        user_account: Option<UserAccount> = "userAccount",
    }

    DeviceEvidence {
        mde_device_id: Option<String> = "mdeDeviceId",
        azure_ad_device_id: Option<String> = "azureAdDeviceId",
        device_dns_name: Option<String> = "deviceDnsName",
        os_platform: Option<String> = "osPlatform",
        os_build: Option<i64> = "osBuild",
        version: Option<String> = "version",
        first_seen_date_time: Option<DateTime> = "firstSeenDateTime" => date,
        rbac_group_id: Option<i64> = "rbacGroupId",
        rbac_group_name: Option<String> = "rbacGroupName",
        health_status: Option<DeviceHealthStatus> = "healthStatus",
        risk_score: Option<DeviceRiskScore> = "riskScore",
        onboarding_status: Option<OnboardingStatus> = "onboardingStatus",
        defender_av_status: Option<DefenderAvStatus> = "defenderAvStatus",
        ip_interfaces: Vec<String> = "ipInterfaces" => list,
        logged_on_users: Vec<LoggedOnUser> = "loggedOnUsers" => list,
        vm_metadata: Option<VmMetadata> = "vmMetadata",
    }

    IpEvidence {
        ip_address: Option<String> = "ipAddress",
        country_letter_code: Option<String> = "countryLetterCode",
    }

    UrlEvidence {
        url: Option<String> = "url",
    }

    FileEvidence {
        file_details: Option<FileDetails> = "fileDetails",
        detection_status: Option<DetectionStatus> = "detectionStatus",
        mde_device_id: Option<String> = "mdeDeviceId",
    }

    ProcessEvidence {
        process_id: Option<i64> = "processId",
        parent_process_id: Option<i64> = "parentProcessId",
        process_command_line: Option<String> = "processCommandLine",
        process_creation_date_time: Option<DateTime> = "processCreationDateTime" => date,
        parent_process_creation_date_time: Option<DateTime> =
            "parentProcessCreationDateTime" => date,
        image_file: Option<FileDetails> = "imageFile",
        parent_process_image_file: Option<FileDetails> = "parentProcessImageFile",
        user_account: Option<UserAccount> = "userAccount",
        detection_status: Option<DetectionStatus> = "detectionStatus",
        mde_device_id: Option<String> = "mdeDeviceId",
    }

    MailboxEvidence {
        display_name: Option<String> = "displayName",
        primary_address: Option<String> = "primaryAddress",
        upn: Option<String> = "upn",
        user_account: Option<UserAccount> = "userAccount",
    }

    AnalyzedMessageEvidence {
        network_message_id: Option<String> = "networkMessageId",
        internet_message_id: Option<String> = "internetMessageId",
        subject: Option<String> = "subject",
        language: Option<String> = "language",
        sender_ip: Option<String> = "senderIp",
        recipient_email_address: Option<String> = "recipientEmailAddress",
        anti_spam_direction: Option<AntispamDirection> = "antiSpamDirection",
        delivery_action: Option<DeliveryAction> = "deliveryAction",
        delivery_location: Option<DeliveryLocation> = "deliveryLocation",
        urn: Option<String> = "urn",
        threats: Vec<String> = "threats" => list,
        threat_detection_methods: Vec<String> = "threatDetectionMethods" => list,
        urls: Vec<String> = "urls" => list,
        url_count: Option<i64> = "urlCount",
        attachments_count: Option<i64> = "attachmentsCount",
        received_date_time: Option<DateTime> = "receivedDateTime" => date,
        p1_sender: Option<EmailSender> = "p1Sender",
        p2_sender: Option<EmailSender> = "p2Sender",
    }

    MailClusterEvidence {
        cluster_by: Option<String> = "clusterBy",
        cluster_by_value: Option<String> = "clusterByValue",
        query: Option<String> = "query",
        urn: Option<String> = "urn",
        email_count: Option<i64> = "emailCount",
        network_message_ids: Vec<String> = "networkMessageIds" => list,
    }

    CloudApplicationEvidence {
        app_id: Option<i64> = "appId",
        display_name: Option<String> = "displayName",
        instance_id: Option<i64> = "instanceId",
        instance_name: Option<String> = "instanceName",
        saas_app_id: Option<i64> = "saasAppId",
    }

    OauthApplicationEvidence {
        app_id: Option<String> = "appId",
        display_name: Option<String> = "displayName",
        object_id: Option<String> = "objectId",
        publisher: Option<String> = "publisher",
    }

    RegistryKeyEvidence {
        registry_key: Option<String> = "registryKey",
        registry_hive: Option<String> = "registryHive",
    }

    RegistryValueEvidence {
        mde_device_id: Option<String> = "mdeDeviceId",
        registry_hive: Option<String> = "registryHive",
        registry_key: Option<String> = "registryKey",
        registry_value: Option<String> = "registryValue",
        registry_value_name: Option<String> = "registryValueName",
        registry_value_type: Option<String> = "registryValueType",
    }

    SecurityGroupEvidence {
        security_group_id: Option<String> = "securityGroupId",
        display_name: Option<String> = "displayName",
        distinguished_name: Option<String> = "distinguishedName",
        friendly_name: Option<String> = "friendlyName",
        sid: Option<String> = "sid",
        active_directory_object_guid: Option<String> = "activeDirectoryObjectGuid",
    }
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

    /// An empty subtype for a modelled `@odata.type` (any namespace, any case), else `None`.
    fn known(odata_type: &str) -> Option<EvidenceKind> {
        use EvidenceKind as K;
        let name = odata_type_name(odata_type);
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        Some(if is("userEvidence") {
            K::User(Default::default())
        } else if is("deviceEvidence") {
            K::Device(Default::default())
        } else if is("ipEvidence") {
            K::Ip(Default::default())
        } else if is("urlEvidence") {
            K::Url(Default::default())
        } else if is("fileEvidence") {
            K::File(Default::default())
        } else if is("processEvidence") {
            K::Process(Default::default())
        } else if is("mailboxEvidence") {
            K::Mailbox(Default::default())
        } else if is("analyzedMessageEvidence") {
            K::AnalyzedMessage(Default::default())
        } else if is("mailClusterEvidence") {
            K::MailCluster(Default::default())
        } else if is("cloudApplicationEvidence") {
            K::CloudApplication(Default::default())
        } else if is("oauthApplicationEvidence") {
            K::OauthApplication(Default::default())
        } else if is("registryKeyEvidence") {
            K::RegistryKey(Default::default())
        } else if is("registryValueEvidence") {
            K::RegistryValue(Default::default())
        } else if is("securityGroupEvidence") {
            K::SecurityGroup(Default::default())
        } else {
            return None;
        })
    }

    /// Reads `key` into the subtype if it is one of its fields (`Other` has none).
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        match self {
            EvidenceKind::User(x) => x.read_field(key, map),
            EvidenceKind::Device(x) => x.read_field(key, map),
            EvidenceKind::Ip(x) => x.read_field(key, map),
            EvidenceKind::Url(x) => x.read_field(key, map),
            EvidenceKind::File(x) => x.read_field(key, map),
            EvidenceKind::Process(x) => x.read_field(key, map),
            EvidenceKind::Mailbox(x) => x.read_field(key, map),
            EvidenceKind::AnalyzedMessage(x) => x.read_field(key, map),
            EvidenceKind::MailCluster(x) => x.read_field(key, map),
            EvidenceKind::CloudApplication(x) => x.read_field(key, map),
            EvidenceKind::OauthApplication(x) => x.read_field(key, map),
            EvidenceKind::RegistryKey(x) => x.read_field(key, map),
            EvidenceKind::RegistryValue(x) => x.read_field(key, map),
            EvidenceKind::SecurityGroup(x) => x.read_field(key, map),
            EvidenceKind::Other { .. } => Ok(false),
        }
    }
}

const ODATA_TYPE: &str = "@odata.type";

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EvidenceVisitor)
    }
}

/// Reads the rest of an evidence object: each key goes to the shared properties, else to the
/// subtype, else is skipped.
fn read_body<'de, A: MapAccess<'de>>(
    map: &mut A,
    common: &mut EvidenceCommon,
    kind: &mut EvidenceKind,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<Key<'de>>()? {
        let key = key.as_str();
        if !common.read_field(key, map)? && !kind.read_field(key, map)? {
            map.next_value::<IgnoredAny>()?;
        }
    }
    Ok(())
}

struct EvidenceVisitor;

impl<'de> Visitor<'de> for EvidenceVisitor {
    type Value = Evidence;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an evidence object")
    }

    /// Graph writes `@odata.type` first; then the rest of the object is read straight into the
    /// subtype in the same pass. Any other key order, a non-string or missing type, or a type
    /// without a model buffers the object and takes [`Evidence::from_object`], with the same
    /// result.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Evidence, A::Error> {
        let mut raw = Map::new();
        match map.next_key::<Key<'de>>()? {
            None => {}
            Some(k) if k.as_str() == ODATA_TYPE => match map.next_value::<Value>()? {
                Value::String(odata_type) => match EvidenceKind::known(&odata_type) {
                    Some(mut kind) => {
                        let mut common = EvidenceCommon::default();
                        read_body(&mut map, &mut common, &mut kind)?;
                        return Ok(Evidence {
                            odata_type,
                            common,
                            kind,
                        });
                    }
                    None => {
                        raw.insert(ODATA_TYPE.to_owned(), Value::String(odata_type));
                    }
                },
                other => {
                    raw.insert(ODATA_TYPE.to_owned(), other);
                }
            },
            Some(k) => {
                let v = map.next_value::<Value>()?;
                raw.insert(k.into_string(), v);
            }
        }
        while let Some(k) = map.next_key::<Key<'de>>()? {
            let v = map.next_value::<Value>()?;
            raw.insert(k.into_string(), v);
        }
        Evidence::from_object(raw).map_err(A::Error::custom)
    }
}

/// Feeds a whole object to [`read_body`] (the buffered path).
struct BodyVisitor<'a> {
    common: &'a mut EvidenceCommon,
    kind: &'a mut EvidenceKind,
}

impl<'de> Visitor<'de> for BodyVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an evidence object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        read_body(&mut map, self.common, self.kind)
    }
}

impl Evidence {
    /// Decodes evidence from a JSON tree (any key order); unknown subtypes keep the tree.
    pub fn from_value(v: Value) -> Result<Evidence, serde_json::Error> {
        match v {
            Value::Object(m) => Evidence::from_object(m),
            _ => Err(serde_json::Error::custom("evidence is not a JSON object")),
        }
    }

    /// The buffered path: the subtype comes from the tree's `@odata.type`, and the tree is read
    /// back as JSON text by the same reader as the fast path, so the two paths cannot disagree
    /// and the decoders are not instantiated a second time for a JSON tree.
    fn from_object(raw: Map<String, Value>) -> Result<Evidence, serde_json::Error> {
        let odata_type = raw
            .get(ODATA_TYPE)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let mut kind = EvidenceKind::known(&odata_type).unwrap_or_else(|| EvidenceKind::Other {
            type_name: odata_type_name(&odata_type).to_owned(),
            raw: Value::Null,
        });
        let mut common = EvidenceCommon::default();
        let text = serde_json::to_string(&raw)?;
        serde_json::Deserializer::from_str(&text).deserialize_map(BodyVisitor {
            common: &mut common,
            kind: &mut kind,
        })?;
        if let EvidenceKind::Other { raw: slot, .. } = &mut kind {
            *slot = Value::Object(raw);
        }
        Ok(Evidence {
            odata_type,
            common,
            kind,
        })
    }
}

// Fixtures are built as JSON trees; tests are native, so the bundle's one-reader rule
// (clippy.toml) does not apply to them.
#[cfg(test)]
#[allow(clippy::disallowed_methods)]
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

    #[test]
    fn unknown_type_keeps_the_shared_properties() {
        let e: Evidence = serde_json::from_str(
            r##"{"@odata.type":"#microsoft.graph.security.kubernetesPodEvidence","verdict":"Suspicious","roles":null,"tags":["a"],"name":"p"}"##,
        )
        .unwrap();
        assert_eq!(e.common.verdict, Some(EvidenceVerdict::Suspicious));
        assert!(e.common.roles.is_empty());
        assert_eq!(e.common.tags, ["a"]);
        match e.kind {
            EvidenceKind::Other { raw, .. } => {
                assert_eq!(
                    raw["@odata.type"],
                    "#microsoft.graph.security.kubernetesPodEvidence"
                );
                assert_eq!(raw["tags"][0], "a");
            }
            other => panic!("{other:?}"),
        }
    }

    /// The one-pass path (type first) and the buffered path (type last, or a tree) agree on
    /// every kind of field: tolerant dates and enums, `null` lists, nested structs, escaped keys.
    #[test]
    fn one_pass_and_buffered_paths_agree() {
        let body = r##""createdDateTime":"2021-04-27T12:19:27.7211305Z","verdict":"Malicious","remediationStatus":"notRemediated","roles":["attacker","somethingNew"],"detailedRoles":null,"tags":[],"processId":4780,"\u0070arentProcessId":668,"imageFile":{"fileName":"a.exe","sha265Ac":"x","extra":[1]},"userAccount":{"accountName":"u"},"processCreationDateTime":"0001-01-01T00:00:00Z","parentProcessCreationDateTime":"String (timestamp)","unknownKey":{"deep":[1,{"a":null}]}"##;
        let ty = r##""@odata.type":"#microsoft.graph.security.processEvidence""##;
        let first = format!("{{{ty},{body}}}");
        let last = format!("{{{body},{ty}}}");
        let a: Evidence = crate::decode::decode(first.as_bytes()).unwrap();
        let b: Evidence = crate::decode::decode(last.as_bytes()).unwrap();
        let c = Evidence::from_value(serde_json::from_str(&first).unwrap()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(
            a.common.remediation_status,
            Some(EvidenceRemediationStatus::Unremediated)
        );
        assert_eq!(
            a.common.roles,
            [
                EvidenceRole::Attacker,
                EvidenceRole::Unrecognized("somethingNew".into())
            ]
        );
        assert!(a.common.detailed_roles.is_empty());
        assert!(a.common.created_date_time.is_some());
        match &a.kind {
            EvidenceKind::Process(p) => {
                assert_eq!((p.process_id, p.parent_process_id), (Some(4780), Some(668)));
                assert_eq!(p.process_creation_date_time, None);
                assert_eq!(p.parent_process_creation_date_time, None);
                let image = p.image_file.as_ref().unwrap();
                assert_eq!(image.file_name.as_deref(), Some("a.exe"));
                assert_eq!(image.sha256_ac.as_deref(), Some("x"));
                assert_eq!(
                    p.user_account.as_ref().unwrap().account_name.as_deref(),
                    Some("u")
                );
            }
            other => panic!("{other:?}"),
        }
        // A wrongly typed field is an error on both paths, as before.
        for bad in [
            format!("{{{ty},\"processId\":\"x\"}}"),
            format!("{{\"processId\":\"x\",{ty}}}"),
        ] {
            assert!(
                crate::decode::decode::<Evidence>(bad.as_bytes()).is_err(),
                "{bad}"
            );
        }
    }
}
