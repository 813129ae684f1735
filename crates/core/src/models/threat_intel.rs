//! Defender Threat Intelligence at `/security/threatIntelligence`: hosts, reputation, articles,
//! intel profiles.

use serde::Deserialize;

use super::common::{DateTime, de_opt_datetime, de_vec, graph_enum, odata_type_name};

graph_enum! {
    /// `contentFormat` of [`FormattedContent`].
    ContentFormat {
        Text = "text",
        Html = "html",
        Markdown = "markdown",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `hostReputationClassification`.
    HostReputationClassification {
        Unknown = "unknown",
        Neutral = "neutral",
        Suspicious = "suspicious",
        Malicious = "malicious",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `hostReputationRuleSeverity`.
    HostReputationRuleSeverity {
        Unknown = "unknown",
        Low = "low",
        Medium = "medium",
        High = "high",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `intelligenceProfileKind`.
    IntelligenceProfileKind {
        Actor = "actor",
        Tool = "tool",
        UnknownFutureValue = "unknownFutureValue",
    }
}

/// Text with its format; the app renders markdown/HTML itself.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FormattedContent {
    pub content: Option<String>,
    pub format: Option<ContentFormat>,
}

/// A host (hostname or IP address), by the `@odata.type` subtype.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Host {
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    pub id: String,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub first_seen_date_time: Option<DateTime>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub last_seen_date_time: Option<DateTime>,
    /// Hostname subtype only.
    pub registrar: Option<String>,
    /// Hostname subtype only.
    pub registrant: Option<String>,
}

impl Host {
    /// `"hostname"`, `"ipAddress"`, or another subtype name.
    pub fn kind(&self) -> &str {
        self.odata_type
            .as_deref()
            .map(odata_type_name)
            .unwrap_or("host")
    }
}

/// `hostReputation`: score 0–100, higher is worse.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HostReputation {
    pub id: Option<String>,
    pub classification: Option<HostReputationClassification>,
    pub score: Option<i64>,
    #[serde(deserialize_with = "de_vec")]
    pub rules: Vec<HostReputationRule>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HostReputationRule {
    pub name: Option<String>,
    pub description: Option<String>,
    pub severity: Option<HostReputationRuleSeverity>,
    pub related_details_url: Option<String>,
}

/// A Defender TI article.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Article {
    pub id: String,
    pub title: Option<String>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub created_date_time: Option<DateTime>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub last_updated_date_time: Option<DateTime>,
    pub is_featured: Option<bool>,
    pub image_url: Option<String>,
    #[serde(deserialize_with = "de_vec")]
    pub tags: Vec<String>,
    pub summary: Option<FormattedContent>,
    pub body: Option<FormattedContent>,
}

/// A threat actor or tool profile.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IntelligenceProfile {
    pub id: String,
    pub title: Option<String>,
    pub kind: Option<IntelligenceProfileKind>,
    #[serde(deserialize_with = "de_vec")]
    pub aliases: Vec<String>,
    #[serde(deserialize_with = "de_vec")]
    pub targets: Vec<String>,
    #[serde(deserialize_with = "de_opt_datetime")]
    pub first_active_date_time: Option<DateTime>,
    #[serde(deserialize_with = "de_vec")]
    pub countries_or_regions_of_origin: Vec<CountryOrRegionOfOrigin>,
    pub summary: Option<FormattedContent>,
    pub description: Option<FormattedContent>,
    pub tradecraft: Option<FormattedContent>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CountryOrRegionOfOrigin {
    pub label: Option<String>,
    pub code: Option<String>,
}
