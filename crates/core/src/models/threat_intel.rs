//! Defender Threat Intelligence at `/security/threatIntelligence`: hosts, reputation, articles,
//! intel profiles.

use super::common::{DateTime, graph_enum, odata_type_name};
use super::wire::wire_struct;

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

wire_struct! {
    /// Text with its format; the app renders markdown/HTML itself.
    FormattedContent {
        content: Option<String> = "content",
        format: Option<ContentFormat> = "format",
    }
}

wire_struct! {
    /// A host (hostname or IP address), by the `@odata.type` subtype.
    Host {
        odata_type: Option<String> = "@odata.type",
        id: String = "id",
        first_seen_date_time: Option<DateTime> = "firstSeenDateTime" => date,
        last_seen_date_time: Option<DateTime> = "lastSeenDateTime" => date,
        /// Hostname subtype only.
        registrar: Option<String> = "registrar",
        /// Hostname subtype only.
        registrant: Option<String> = "registrant",
    }
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

wire_struct! {
    /// `hostReputation`: score 0–100, higher is worse.
    HostReputation {
        id: Option<String> = "id",
        classification: Option<HostReputationClassification> = "classification",
        score: Option<i64> = "score",
        rules: Vec<HostReputationRule> = "rules" => list,
    }
}

wire_struct! {
    HostReputationRule {
        name: Option<String> = "name",
        description: Option<String> = "description",
        severity: Option<HostReputationRuleSeverity> = "severity",
        related_details_url: Option<String> = "relatedDetailsUrl",
    }
}

wire_struct! {
    /// A Defender TI article.
    Article {
        id: String = "id",
        title: Option<String> = "title",
        created_date_time: Option<DateTime> = "createdDateTime" => date,
        last_updated_date_time: Option<DateTime> = "lastUpdatedDateTime" => date,
        is_featured: Option<bool> = "isFeatured",
        image_url: Option<String> = "imageUrl",
        tags: Vec<String> = "tags" => list,
        summary: Option<FormattedContent> = "summary",
        body: Option<FormattedContent> = "body",
    }
}

wire_struct! {
    /// A threat actor or tool profile.
    IntelligenceProfile {
        id: String = "id",
        title: Option<String> = "title",
        kind: Option<IntelligenceProfileKind> = "kind",
        aliases: Vec<String> = "aliases" => list,
        targets: Vec<String> = "targets" => list,
        first_active_date_time: Option<DateTime> = "firstActiveDateTime" => date,
        countries_or_regions_of_origin: Vec<CountryOrRegionOfOrigin> = "countriesOrRegionsOfOrigin" => list,
        summary: Option<FormattedContent> = "summary",
        description: Option<FormattedContent> = "description",
        tradecraft: Option<FormattedContent> = "tradecraft",
    }
}

wire_struct! {
    CountryOrRegionOfOrigin {
        label: Option<String> = "label",
        code: Option<String> = "code",
    }
}
