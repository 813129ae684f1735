//! Threat submissions (beta): `/security/threatSubmission/{emailThreats,urlThreats,fileThreats}`.

use serde::{Deserialize, Serialize};

use super::common::{DateTime, de_opt_datetime, graph_enum, odata_type_name};
use super::wire::wire_struct;

graph_enum! {
    /// `submissionCategory`: what the submitter claims the item is. Doc samples also send
    /// `notSpam`, which is kept as `Unrecognized`.
    SubmissionCategory {
        NotJunk = "notJunk",
        Spam = "spam",
        Phishing = "phishing",
        Malware = "malware",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `submissionContentType`.
    SubmissionContentType {
        Email = "email",
        Url = "url",
        File = "file",
        App = "app",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `submissionSource`.
    SubmissionSource {
        User = "user",
        Administrator = "administrator",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `submissionClientSource`.
    SubmissionClientSource {
        Microsoft = "microsoft",
        Other = "other",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `longRunningOperationStatus` of a submission.
    SubmissionStatus {
        NotStarted = "notStarted",
        Running = "running",
        Succeeded = "succeeded",
        Failed = "failed",
        Skipped = "skipped",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `submissionResultCategory`: Microsoft's verdict.
    SubmissionResultCategory {
        NotJunk = "notJunk",
        Spam = "spam",
        Phishing = "phishing",
        Malware = "malware",
        AllowedByPolicy = "allowedByPolicy",
        BlockedByPolicy = "blockedByPolicy",
        Spoof = "spoof",
        Unknown = "unknown",
        NoResultAvailable = "noResultAvailable",
        UnknownFutureValue = "unknownFutureValue",
        BeingAnalyzed = "beingAnalyzed",
        NotSubmittedToMicrosoft = "notSubmittedToMicrosoft",
        PhishingSimulation = "phishingSimulation",
        AllowedDueToOrganizationOverride = "allowedDueToOrganizationOverride",
        BlockedDueToOrganizationOverride = "blockedDueToOrganizationOverride",
    }
}

wire_struct! {
    /// `submissionUserIdentity`.
    SubmissionUser {
        identity: Option<String> = "identity",
        display_name: Option<String> = "displayName",
        email: Option<String> = "email",
    }
}

wire_struct! {
    SubmissionCreatedBy {
        user: Option<SubmissionUser> = "user",
    }
}

wire_struct! {
    /// `submissionResult`. `detail` has ~60 members and is shown as text.
    SubmissionResult {
        category: Option<SubmissionResultCategory> = "category",
        detail: Option<String> = "detail",
        detected_files: Vec<DetectedFile> = "detectedFiles" => list,
        detected_urls: Vec<String> = "detectedUrls" => list,
        /// Comma-joined flags.
        user_mailbox_setting: Option<String> = "userMailboxSetting",
    }
}

wire_struct! {
    DetectedFile {
        file_name: Option<String> = "fileName",
        file_hash: Option<String> = "fileHash",
    }
}

wire_struct! {
    /// `submissionAdminReview`.
    SubmissionAdminReview {
        review_by: Option<String> = "reviewBy",
        review_date_time: Option<DateTime> = "reviewDateTime" => date,
        review_result: Option<SubmissionResultCategory> = "reviewResult",
    }
}

/// `tenantAllowOrBlockListAction` on an email submission.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TenantAllowOrBlockListAction {
    /// `allow` or `block`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_date_time: Option<DateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A threat submission of any kind; the subtype's fields are flattened in as optional since
/// every subtype shares the same base and adds only a few properties.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ThreatSubmission {
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    pub id: String,
    pub tenant_id: Option<String>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub created_date_time: Option<DateTime>,
    pub category: Option<SubmissionCategory>,
    pub content_type: Option<SubmissionContentType>,
    pub source: Option<SubmissionSource>,
    pub client_source: Option<SubmissionClientSource>,
    pub status: Option<SubmissionStatus>,
    pub created_by: Option<SubmissionCreatedBy>,
    pub result: Option<SubmissionResult>,
    pub admin_review: Option<SubmissionAdminReview>,
    // Email subtypes.
    pub recipient_email_address: Option<String>,
    pub internet_message_id: Option<String>,
    pub email_subject: Option<String>,
    /// Some samples spell the subject `subject`, and the service may send both: each is kept
    /// (an alias would refuse a body with both); [`ThreatSubmission::subject`] picks one.
    pub subject: Option<String>,
    pub sender: Option<String>,
    #[serde(rename = "senderIP")]
    pub sender_ip: Option<String>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub received_date_time: Option<DateTime>,
    pub original_category: Option<SubmissionCategory>,
    pub message_url: Option<String>,
    pub tenant_allow_or_block_list_action: Option<TenantAllowOrBlockListAction>,
    // URL subtype.
    pub web_url: Option<String>,
    // File subtypes.
    pub file_name: Option<String>,
}

impl ThreatSubmission {
    /// The email's subject, under either spelling.
    pub fn subject(&self) -> Option<&str> {
        self.email_subject.as_deref().or(self.subject.as_deref())
    }

    /// The subtype name, e.g. `emailUrlThreatSubmission` (both namespace spellings seen in
    /// samples map to the same name).
    pub fn kind(&self) -> &str {
        self.odata_type
            .as_deref()
            .map(odata_type_name)
            .unwrap_or("threatSubmission")
    }
}

graph_enum! {
    /// The subtype of a new submission; serialised as the namespace-qualified `@odata.type`.
    /// Samples that drop `.security` are accepted when reading.
    SubmissionKind {
        EmailUrl = "#microsoft.graph.security.emailUrlThreatSubmission" | "#microsoft.graph.emailUrlThreatSubmission" | "microsoft.graph.security.emailUrlThreatSubmission",
        EmailContent = "#microsoft.graph.security.emailContentThreatSubmission" | "#microsoft.graph.emailContentThreatSubmission" | "microsoft.graph.security.emailContentThreatSubmission",
        Url = "#microsoft.graph.security.urlThreatSubmission" | "#microsoft.graph.urlThreatSubmission" | "microsoft.graph.security.urlThreatSubmission",
        FileContent = "#microsoft.graph.security.fileContentThreatSubmission" | "#microsoft.graph.fileContentThreatSubmission" | "microsoft.graph.security.fileContentThreatSubmission",
    }
}

/// The body of a submission POST. Use the constructors, which set the matching kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewThreatSubmission {
    #[serde(rename = "@odata.type")]
    pub kind: SubmissionKind,
    pub category: SubmissionCategory,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub recipient_email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub web_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub file_name: Option<String>,
    /// Base64 of the raw .eml or file.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub file_content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tenant_allow_or_block_list_action: Option<TenantAllowOrBlockListAction>,
}

impl NewThreatSubmission {
    fn base(kind: SubmissionKind, category: SubmissionCategory) -> Self {
        NewThreatSubmission {
            kind,
            category,
            recipient_email_address: None,
            message_url: None,
            web_url: None,
            file_name: None,
            file_content: None,
            tenant_allow_or_block_list_action: None,
        }
    }
    /// An email by its Graph message URL.
    pub fn email_url(
        category: SubmissionCategory,
        recipient: impl Into<String>,
        message_url: impl Into<String>,
    ) -> Self {
        let mut s = Self::base(SubmissionKind::EmailUrl, category);
        s.recipient_email_address = Some(recipient.into());
        s.message_url = Some(message_url.into());
        s
    }
    /// An email by its raw content (base64 .eml).
    pub fn email_content(
        category: SubmissionCategory,
        recipient: impl Into<String>,
        eml_base64: impl Into<String>,
    ) -> Self {
        let mut s = Self::base(SubmissionKind::EmailContent, category);
        s.recipient_email_address = Some(recipient.into());
        s.file_content = Some(eml_base64.into());
        s
    }
    /// A URL.
    pub fn url(category: SubmissionCategory, web_url: impl Into<String>) -> Self {
        let mut s = Self::base(SubmissionKind::Url, category);
        s.web_url = Some(web_url.into());
        s
    }
    /// A file by content (base64).
    pub fn file(
        category: SubmissionCategory,
        file_name: impl Into<String>,
        content_base64: impl Into<String>,
    ) -> Self {
        let mut s = Self::base(SubmissionKind::FileContent, category);
        s.file_name = Some(file_name.into());
        s.file_content = Some(content_base64.into());
        s
    }
    /// The collection this kind is posted to.
    pub fn collection(&self) -> &'static str {
        match self.kind {
            SubmissionKind::EmailUrl | SubmissionKind::EmailContent => "emailThreats",
            SubmissionKind::Url => "urlThreats",
            SubmissionKind::FileContent | SubmissionKind::Unrecognized(_) => "fileThreats",
        }
    }
}
