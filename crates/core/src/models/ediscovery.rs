//! eDiscovery (Purview Premium) under `/security/cases/ediscoveryCases`: cases, custodians and
//! their sources, non-custodial sources, searches, review sets and queries, tags, and the
//! long-running `caseOperation` family.

use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::common::{
    DateTime, IdentitySet, ResultInfo, de_opt_datetime, graph_enum, id_newtype, odata_type_name,
};
use super::tree::{FromTree, field};
use super::wire::wire_struct;

graph_enum! {
    /// `caseStatus`.
    CaseStatus {
        Unknown = "unknown",
        Active = "active",
        PendingDelete = "pendingDelete",
        Closing = "closing",
        Closed = "closed",
        ClosedWithError = "closedWithError",
    }
}

graph_enum! {
    /// `dataSourceContainerStatus` of custodians and non-custodial sources.
    DataSourceContainerStatus {
        Active = "active",
        Released = "released",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `dataSourceHoldStatus`. Some responses send `"0"`, kept as `Unrecognized("0")`.
    DataSourceHoldStatus {
        NotApplied = "notApplied",
        Applied = "applied",
        Applying = "applying",
        Removing = "removing",
        Partial = "partial",
        UnknownFutureValue = "unknownFutureValue",
    }
}

graph_enum! {
    /// `childSelectability` of a review tag (documented PascalCase).
    ChildSelectability {
        One = "One",
        Many = "Many",
    }
}

graph_enum! {
    /// `caseOperationStatus`.
    CaseOperationStatus {
        NotStarted = "notStarted",
        SubmissionFailed = "submissionFailed",
        Running = "running",
        Succeeded = "succeeded",
        PartiallySucceeded = "partiallySucceeded",
        Failed = "failed",
        UnknownFutureValue = "unknownFutureValue",
    }
}

impl CaseOperationStatus {
    /// Whether polling can stop: the operation will not change any more.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            CaseOperationStatus::Succeeded
                | CaseOperationStatus::PartiallySucceeded
                | CaseOperationStatus::Failed
                | CaseOperationStatus::SubmissionFailed
        )
    }
}

graph_enum! {
    /// `caseAction`: what a case operation does.
    CaseAction {
        ContentExport = "contentExport",
        ApplyTags = "applyTags",
        ConvertToPdf = "convertToPdf",
        Index = "index",
        EstimateStatistics = "estimateStatistics",
        AddToReviewSet = "addToReviewSet",
        HoldUpdate = "holdUpdate",
        UnknownFutureValue = "unknownFutureValue",
        PurgeData = "purgeData",
        ExportReport = "exportReport",
        ExportResult = "exportResult",
        HoldPolicySync = "holdPolicySync",
    }
}

id_newtype! {
    /// An eDiscovery case id (GUID).
    CaseId
}

wire_struct! {
    /// `ediscoveryCase`.
    @tree
    EdiscoveryCase {
        id: CaseId = "id",
        display_name: Option<String> = "displayName",
        description: Option<String> = "description",
        external_id: Option<String> = "externalId",
        status: Option<CaseStatus> = "status",
        created_date_time: Option<DateTime> = "createdDateTime" => date,
        last_modified_date_time: Option<DateTime> = "lastModifiedDateTime" => date,
        closed_date_time: Option<DateTime> = "closedDateTime" => date,
        created_by: Option<IdentitySet> = "createdBy",
        last_modified_by: Option<IdentitySet> = "lastModifiedBy",
        closed_by: Option<IdentitySet> = "closedBy",
    }
}

/// Body of `POST /ediscoveryCases` and `PATCH /ediscoveryCases/{id}` (only `Some` fields sent).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseWrite {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_id: Option<String>,
}

wire_struct! {
    /// Case settings (`…/settings`); the nested groups are kept raw since Vigil only displays them.
    CaseSettings {
        id: Option<String> = "id",
        redundancy_detection: Option<Value> = "redundancyDetection",
        topic_modeling: Option<Value> = "topicModeling",
        ocr: Option<Value> = "ocr",
    }
}

wire_struct! {
    /// `ediscoveryCustodian`.
    @tree
    Custodian {
        id: String = "id",
        display_name: Option<String> = "displayName",
        email: Option<String> = "email",
        status: Option<DataSourceContainerStatus> = "status",
        hold_status: Option<DataSourceHoldStatus> = "holdStatus",
        created_date_time: Option<DateTime> = "createdDateTime" => date,
        last_modified_date_time: Option<DateTime> = "lastModifiedDateTime" => date,
        released_date_time: Option<DateTime> = "releasedDateTime" => date,
        acknowledged_date_time: Option<DateTime> = "acknowledgedDateTime" => date,
    }
}

/// Body of `POST …/custodians`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCustodian {
    pub email: String,
}

/// A SharePoint site reference inside a site source.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SiteRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_url: Option<String>,
    #[serde(skip_serializing, deserialize_with = "de_opt_datetime")]
    pub created_date_time: Option<DateTime>,
}

wire_struct! {
    /// A Microsoft 365 group reference inside a unified group source.
    @tree
    GroupRef {
        id: Option<String> = "id",
        display_name: Option<String> = "displayName",
        email: Option<String> = "email",
        web_url: Option<String> = "webUrl",
    }
}

wire_struct! {
    /// Any eDiscovery data source (`userSource`, `siteSource`, `unifiedGroupSource`). The lists
    /// under a custodian omit `@odata.type`, so the shared and subtype fields are all optional
    /// and [`DataSource::kind`] falls back to the shape. `site` and `group` belong to one
    /// subtype each; `email`, `included_sources` (comma-joined flags: `mailbox`, `site`) and
    /// `site_web_url` to the user source.
    @tree
    DataSource {
        odata_type: Option<String> = "@odata.type",
        odata_id: Option<String> = "@odata.id",
        id: String = "id",
        display_name: Option<String> = "displayName",
        hold_status: Option<DataSourceHoldStatus> = "holdStatus",
        created_date_time: Option<DateTime> = "createdDateTime" => date,
        created_by: Option<IdentitySet> = "createdBy",
        email: Option<String> = "email",
        included_sources: Option<String> = "includedSources",
        site_web_url: Option<String> = "siteWebUrl",
        site: Option<SiteRef> = "site",
        group: Option<GroupRef> = "group",
    }
}

impl FromTree for Option<SiteRef> {
    fn from_tree(v: &Value) -> Self {
        let m = v.as_object()?;
        Some(SiteRef {
            id: FromTree::from_tree(field(m, "id")),
            web_url: FromTree::from_tree(field(m, "webUrl")),
            created_date_time: FromTree::from_tree(field(m, "createdDateTime")),
        })
    }
}

/// Which subtype a [`DataSource`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataSourceKind {
    User,
    Site,
    UnifiedGroup,
    Unknown,
}

impl DataSource {
    pub fn kind(&self) -> DataSourceKind {
        match self.odata_type.as_deref().map(odata_type_name) {
            Some(t) if t.eq_ignore_ascii_case("userSource") => DataSourceKind::User,
            Some(t) if t.eq_ignore_ascii_case("siteSource") => DataSourceKind::Site,
            Some(t) if t.eq_ignore_ascii_case("unifiedGroupSource") => DataSourceKind::UnifiedGroup,
            _ if self.group.is_some() => DataSourceKind::UnifiedGroup,
            _ if self.site.is_some() => DataSourceKind::Site,
            _ if self.email.is_some() => DataSourceKind::User,
            _ => DataSourceKind::Unknown,
        }
    }
}

/// Body for adding a data source: a user (mailbox/OneDrive) or a site.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewDataSource {
    /// Required inside `dataSource` / `additionalSources`; omitted for custodian sub-collections.
    #[serde(
        rename = "@odata.type",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub odata_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub included_sources: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub site: Option<SiteRef>,
}

impl NewDataSource {
    /// A user's mailbox (and/or OneDrive site with `included_sources = "mailbox,site"`).
    pub fn user(email: impl Into<String>, included_sources: Option<&str>) -> Self {
        NewDataSource {
            odata_type: Some("microsoft.graph.security.userSource".into()),
            email: Some(email.into()),
            included_sources: included_sources.map(str::to_owned),
            site: None,
        }
    }
    /// A SharePoint site by URL.
    pub fn site(web_url: impl Into<String>) -> Self {
        NewDataSource {
            odata_type: Some("microsoft.graph.security.siteSource".into()),
            site: Some(SiteRef {
                web_url: Some(web_url.into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }
    /// The same source without `@odata.type`, as custodian `userSources`/`siteSources` expect.
    pub fn untyped(mut self) -> Self {
        self.odata_type = None;
        self
    }
}

wire_struct! {
    /// `ediscoveryNoncustodialDataSource`; `data_source` is present with `$expand=dataSource`.
    @tree
    NoncustodialDataSource {
        id: String = "id",
        display_name: Option<String> = "displayName",
        status: Option<DataSourceContainerStatus> = "status",
        hold_status: Option<DataSourceHoldStatus> = "holdStatus",
        created_date_time: Option<DateTime> = "createdDateTime" => date,
        last_modified_date_time: Option<DateTime> = "lastModifiedDateTime" => date,
        released_date_time: Option<DateTime> = "releasedDateTime" => date,
        data_source: Option<DataSource> = "dataSource",
    }
}

/// Body of `POST …/noncustodialDataSources`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewNoncustodialDataSource {
    pub data_source: NewDataSource,
}

wire_struct! {
    /// `ediscoverySearch`.
    @tree
    Search {
        id: String = "id",
        display_name: Option<String> = "displayName",
        description: Option<String> = "description",
        content_query: Option<String> = "contentQuery",
        /// Comma-joined flags (`none`, `allTenantMailboxes`, ...).
        data_source_scopes: Option<String> = "dataSourceScopes",
        created_by: Option<IdentitySet> = "createdBy",
        created_date_time: Option<DateTime> = "createdDateTime" => date,
        last_modified_by: Option<IdentitySet> = "lastModifiedBy",
        last_modified_date_time: Option<DateTime> = "lastModifiedDateTime" => date,
    }
}

/// Body of `POST …/searches` and `PATCH …/searches/{id}`. Sources are bound by absolute URL.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchWrite {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub content_query: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub data_source_scopes: Option<String>,
    #[serde(
        rename = "custodianSources@odata.bind",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub custodian_sources_bind: Option<Vec<String>>,
    #[serde(
        rename = "noncustodialSources@odata.bind",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub noncustodial_sources_bind: Option<Vec<String>>,
}

wire_struct! {
    /// `ediscoveryReviewSet`.
    @tree
    ReviewSet {
        id: String = "id",
        display_name: Option<String> = "displayName",
        created_by: Option<IdentitySet> = "createdBy",
        created_date_time: Option<DateTime> = "createdDateTime" => date,
    }
}

/// Body of `POST …/reviewSets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewReviewSet {
    /// Unique within the case, at most 64 characters.
    pub display_name: String,
}

wire_struct! {
    /// `ediscoveryReviewSetQuery`. Older pages call the KQL `query`: both are read, and
    /// [`ReviewSetQuery::kql`] gives whichever was sent.
    @tree
    ReviewSetQuery {
        id: String = "id",
        display_name: Option<String> = "displayName",
        description: Option<String> = "description",
        content_query: Option<String> = "contentQuery",
        query: Option<String> = "query",
        created_by: Option<IdentitySet> = "createdBy",
        created_date_time: Option<DateTime> = "createdDateTime" => date,
    }
}

impl ReviewSetQuery {
    /// The query's KQL, by either of its names.
    pub fn kql(&self) -> Option<&str> {
        self.content_query.as_deref().or(self.query.as_deref())
    }
}

/// Body of `POST …/queries` and `PATCH …/queries/{id}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewSetQueryWrite {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub content_query: Option<String>,
}

wire_struct! {
    /// `ediscoveryReviewTag`; `child_tags` is filled by `asHierarchy` (the tree is read from
    /// it; the `parent` navigation is not kept).
    @tree
    ReviewTag {
        id: String = "id",
        display_name: Option<String> = "displayName",
        description: Option<String> = "description",
        child_selectability: Option<ChildSelectability> = "childSelectability",
        created_by: Option<IdentitySet> = "createdBy",
        last_modified_date_time: Option<DateTime> = "lastModifiedDateTime" => date,
        child_tags: Vec<ReviewTag> = "childTags" => list,
    }
}

/// Body of `POST …/tags` and `PATCH …/tags/{id}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TagWrite {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub child_selectability: Option<ChildSelectability>,
    /// URL of the parent tag (`…/tags/{id}`); the doc sample sends an empty string for none.
    #[serde(
        rename = "parent@odata.bind",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub parent_bind: Option<String>,
}

/// A reference by id, as action bodies use (`{"id": "…"}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdRef {
    pub id: String,
}

/// Body of `POST …/queries/{id}/applyTags`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyTags {
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tags_to_add: Vec<IdRef>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tags_to_remove: Vec<IdRef>,
}

/// Body of `POST …/searches/{id}/estimateStatistics` (comma-joined flags, optional).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EstimateStatistics {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub statistics_options: Option<String>,
}

/// Body of `POST …/reviewSets/{id}/addToReviewSet`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddToReviewSet {
    pub search: IdRef,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub additional_data_options: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub items_to_include: Option<String>,
}

/// Body of `POST …/reviewSets/{id}/export` and `…/queries/{id}/export`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewSetExport {
    pub output_name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// Comma-joined: `originalFiles, text, pdfReplacement, tags`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub export_options: Option<String>,
    /// `none`, `directory`, `pst`, `msg`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub export_structure: Option<String>,
}

/// Body of `POST …/searches/{id}/exportReport` and `…/exportResult`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchExport {
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// Comma-joined: `searchHits, partiallyIndexed`.
    pub export_criteria: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub export_location: Option<String>,
    pub additional_options: String,
    /// `pst`, `msg`, `eml` (exportResult only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub export_format: Option<String>,
}

impl SearchExport {
    /// A search's results, as found (`searchHits`), in PST files with nothing added: what a
    /// reviewer downloads when no other option was asked for.
    pub fn results(display_name: String) -> Self {
        SearchExport {
            display_name,
            description: None,
            export_criteria: "searchHits".into(),
            export_location: None,
            additional_options: "none".into(),
            export_format: Some("pst".into()),
        }
    }
}

/// Body of the collection-level `applyHold` / `removeHold`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HoldIds {
    pub ids: Vec<String>,
}

wire_struct! {
    /// `ediscoveryExportFileMetadata`: where to download a finished export.
    @tree
    ExportFileMetadata {
        download_url: Option<String> = "downloadUrl",
        file_name: Option<String> = "fileName",
        size: Option<i64> = "size",
    }
}

graph_enum! {
    /// `policyStatus` of a legal hold (`ediscoveryHoldPolicy`, beta).
    PolicyStatus {
        Pending = "pending",
        Error = "error",
        Success = "success",
        UnknownFutureValue = "unknownFutureValue",
    }
}

wire_struct! {
    /// `ediscoveryHoldPolicy` (a case's `legalHolds`, Graph beta only). Its `userSources` and
    /// `siteSources` are navigations, read separately (as [`DataSource`]s) and not kept here.
    @tree
    HoldPolicy {
        id: String = "id",
        display_name: Option<String> = "displayName",
        description: Option<String> = "description",
        content_query: Option<String> = "contentQuery",
        is_enabled: Option<bool> = "isEnabled",
        status: Option<PolicyStatus> = "status",
        /// Why the policy is in `error`, one sentence each.
        errors: Vec<String> = "errors" => list,
        created_by: Option<IdentitySet> = "createdBy",
        created_date_time: Option<DateTime> = "createdDateTime" => date,
        last_modified_date_time: Option<DateTime> = "lastModifiedDateTime" => date,
    }
}

/// Body of `POST …/legalHolds` (beta): the sources go inline in the `@odata.bind` arrays, as
/// the documented example sends them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewHoldPolicy {
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub content_query: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub is_enabled: Option<bool>,
    #[serde(
        rename = "userSources@odata.bind",
        skip_serializing_if = "Vec::is_empty",
        default
    )]
    pub user_sources: Vec<NewDataSource>,
    #[serde(
        rename = "siteSources@odata.bind",
        skip_serializing_if = "Vec::is_empty",
        default
    )]
    pub site_sources: Vec<NewDataSource>,
}

/// A long-running case operation: the shared part plus subtype details.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseOperation {
    pub odata_type: Option<String>,
    pub common: CaseOperationCommon,
    pub details: CaseOperationDetails,
}

wire_struct! {
    /// Properties of every `caseOperation`.
    @tree
    CaseOperationCommon {
        id: String = "id",
        action: Option<CaseAction> = "action",
        status: Option<CaseOperationStatus> = "status",
        percent_progress: Option<i64> = "percentProgress",
        created_by: Option<IdentitySet> = "createdBy",
        created_date_time: Option<DateTime> = "createdDateTime" => date,
        /// `None` while running (Graph sends `0001-01-01T00:00:00Z`).
        completed_date_time: Option<DateTime> = "completedDateTime" => date,
        result_info: Option<ResultInfo> = "resultInfo",
    }
}

/// Subtype-specific data of a case operation, chosen by `@odata.type`, or by `action` when the
/// type is absent (list responses omit it).
#[derive(Debug, Clone, PartialEq)]
pub enum CaseOperationDetails {
    Estimate(EstimateDetails),
    AddToReviewSet {
        review_set: Option<ReviewSet>,
        search: Option<Search>,
    },
    Hold,
    Index,
    Purge,
    Tag,
    /// Review-set export.
    Export(Box<ExportDetails>),
    /// Search export (exportResult / exportReport).
    SearchExport(Box<SearchExportDetails>),
    /// An operation type without a model here, with its raw JSON.
    Other {
        type_name: String,
        raw: Value,
    },
}

wire_struct! {
    /// `ediscoveryEstimateOperation` results.
    @tree
    EstimateDetails {
        indexed_item_count: Option<i64> = "indexedItemCount",
        indexed_items_size: Option<i64> = "indexedItemsSize",
        unindexed_item_count: Option<i64> = "unindexedItemCount",
        unindexed_items_size: Option<i64> = "unindexedItemsSize",
        mailbox_count: Option<i64> = "mailboxCount",
        site_count: Option<i64> = "siteCount",
        search: Option<Search> = "search",
    }
}

/// `exportFileMetadata`: a single object in v1.0, a list in newer revisions; read as a list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportFiles(pub Vec<ExportFileMetadata>);

impl FromTree for ExportFiles {
    fn from_tree(v: &Value) -> Self {
        ExportFiles(match v {
            Value::Object(_) => vec![ExportFileMetadata::from_tree(v)],
            _ => FromTree::from_tree(v),
        })
    }
}

wire_struct! {
    /// `ediscoveryExportOperation` (review-set export).
    @tree
    ExportDetails {
        description: Option<String> = "description",
        output_name: Option<String> = "outputName",
        export_options: Option<String> = "exportOptions",
        export_structure: Option<String> = "exportStructure",
        export_file_metadata: ExportFiles = "exportFileMetadata",
    }

    /// `ediscoverySearchExportOperation`.
    @tree
    SearchExportDetails {
        display_name: Option<String> = "displayName",
        description: Option<String> = "description",
        additional_options: Option<String> = "additionalOptions",
        export_criteria: Option<String> = "exportCriteria",
        export_format: Option<String> = "exportFormat",
        export_location: Option<String> = "exportLocation",
        export_single_items: Option<bool> = "exportSingleItems",
        export_file_metadata: ExportFiles = "exportFileMetadata",
    }
}

/// Read through the JSON tree like the other eDiscovery models: the subtype's details come from
/// the same object as the shared properties.
impl FromTree for CaseOperation {
    fn from_tree(v: &Value) -> Self {
        let common = CaseOperationCommon::from_tree(v);
        let odata_type = v
            .get("@odata.type")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let by_type = odata_type
            .as_deref()
            .map(|t| odata_type_name(t).to_ascii_lowercase());
        let by_action = match &common.action {
            Some(CaseAction::EstimateStatistics) => "ediscoveryestimateoperation",
            Some(CaseAction::AddToReviewSet) => "ediscoveryaddtoreviewsetoperation",
            Some(CaseAction::HoldUpdate) => "ediscoveryholdoperation",
            Some(CaseAction::Index) => "ediscoveryindexoperation",
            Some(CaseAction::ContentExport) => "ediscoveryexportoperation",
            Some(CaseAction::ExportReport | CaseAction::ExportResult) => {
                "ediscoverysearchexportoperation"
            }
            Some(CaseAction::PurgeData) => "ediscoverypurgedataoperation",
            Some(CaseAction::ApplyTags) => "ediscoverytagoperation",
            _ => "",
        };
        let name = by_type.as_deref().unwrap_or(by_action);
        let details = match name {
            "ediscoveryestimateoperation" => {
                CaseOperationDetails::Estimate(EstimateDetails::from_tree(v))
            }
            "ediscoveryaddtoreviewsetoperation" => {
                let m = v.as_object();
                let get = |k| m.map_or(&Value::Null, |m| field(m, k));
                CaseOperationDetails::AddToReviewSet {
                    review_set: FromTree::from_tree(get("reviewSet")),
                    search: FromTree::from_tree(get("search")),
                }
            }
            "ediscoveryholdoperation" => CaseOperationDetails::Hold,
            "ediscoveryindexoperation" => CaseOperationDetails::Index,
            "ediscoverypurgedataoperation" => CaseOperationDetails::Purge,
            "ediscoverytagoperation" => CaseOperationDetails::Tag,
            "ediscoveryexportoperation" => {
                CaseOperationDetails::Export(Box::new(ExportDetails::from_tree(v)))
            }
            "ediscoverysearchexportoperation" => {
                CaseOperationDetails::SearchExport(Box::new(SearchExportDetails::from_tree(v)))
            }
            _ => CaseOperationDetails::Other {
                type_name: odata_type
                    .as_deref()
                    .map(odata_type_name)
                    .unwrap_or("caseOperation")
                    .to_owned(),
                raw: v.clone(),
            },
        };
        CaseOperation {
            odata_type,
            common,
            details,
        }
    }
}

impl<'de> Deserialize<'de> for CaseOperation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        if !v.is_object() {
            return Err(D::Error::custom("case operation must be a JSON object"));
        }
        Ok(CaseOperation::from_tree(&v))
    }
}

impl CaseOperation {
    /// Whether the operation reached a final status.
    pub fn is_final(&self) -> bool {
        self.common
            .status
            .as_ref()
            .is_some_and(CaseOperationStatus::is_final)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_dispatch_by_action_when_untyped() {
        let op: CaseOperation = serde_json::from_str(
            r#"{"id":"x","action":"estimateStatistics","status":"succeeded","indexedItemCount":5,"completedDateTime":"0001-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert!(op.is_final());
        assert_eq!(op.common.completed_date_time, None);
        match op.details {
            CaseOperationDetails::Estimate(e) => assert_eq!(e.indexed_item_count, Some(5)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn export_files_read_as_one_object_or_a_list() {
        let one: CaseOperation = serde_json::from_str(
            r##"{"@odata.type":"#microsoft.graph.security.ediscoveryExportOperation","id":"e","action":"contentExport",
                "outputName":"out","exportFileMetadata":{"fileName":"a.zip","downloadUrl":"https://x/a","size":7}}"##,
        )
        .unwrap();
        match one.details {
            CaseOperationDetails::Export(d) => {
                assert_eq!(d.output_name.as_deref(), Some("out"));
                assert_eq!(d.export_file_metadata.0.len(), 1);
                assert_eq!(d.export_file_metadata.0[0].size, Some(7));
            }
            other => panic!("{other:?}"),
        }
        let many: CaseOperation = serde_json::from_str(
            r#"{"id":"s","action":"exportResult","exportFormat":"pst",
                "exportFileMetadata":[{"fileName":"a"},{"fileName":"b"}]}"#,
        )
        .unwrap();
        match many.details {
            CaseOperationDetails::SearchExport(d) => {
                assert_eq!(d.export_format.as_deref(), Some("pst"));
                let names: Vec<_> = d
                    .export_file_metadata
                    .0
                    .iter()
                    .map(|f| f.file_name.as_deref())
                    .collect();
                assert_eq!(names, [Some("a"), Some("b")]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn data_source_kind_from_shape() {
        let s: DataSource =
            serde_json::from_str(r#"{"id":"1","site":{"webUrl":"https://x"}}"#).unwrap();
        assert_eq!(s.kind(), DataSourceKind::Site);
        let body = serde_json::to_string(&NewNoncustodialDataSource {
            data_source: NewDataSource::site("https://s"),
        })
        .unwrap();
        assert_eq!(
            body,
            r#"{"dataSource":{"@odata.type":"microsoft.graph.security.siteSource","site":{"webUrl":"https://s"}}}"#
        );
    }
}
