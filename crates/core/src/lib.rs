//! Vigil's core: the typed Microsoft Graph security client.
//!
//! The crate has no web dependencies so that it compiles for `wasm32-unknown-unknown` (the app)
//! and is tested natively in seconds. Every page of the app asks [`GraphClient`]; nothing else
//! builds a Graph URL or sends a request, so throttling, paging and error handling live in one
//! place.
//!
//! Layout, one concern per module:
//! - [`transport`]: the HTTP seam (the app implements it over `fetch`, `native` (feature) over reqwest).
//! - [`models`]: wire types, one file per resource family.
//! - [`odata`]: query options and the `$filter` builder; [`fields`]: each resource's filterable
//!   properties, typed.
//! - [`client`]: the request engine (`client/mod.rs`) and the typed endpoints, one file per API
//!   family (`alerts`, `incidents`, `secure_score`, `ediscovery`, `submissions`, `threat_intel`,
//!   `hunting`, `directory`). Only the client builds Graph URLs; `tests/layout.rs` checks it.
//! - [`paging`], [`scheduler`], [`batch`], [`operations`]: the rest of the request path.
//! - [`decode`]: the one JSON reader every Graph body goes through.
//! - [`error`]: the single [`GraphError`] type with a sentence a person can act on.
//! - [`url`]: http(s) URL and origin parsing, `application/x-www-form-urlencoded` (for sign-in).
//! - [`queue`], [`overview`]: the alerts/incidents queue's view state and bulk triage, and the
//!   overview page's figures, computed from loaded data.
//! - [`correlate`]: alerts joined into clusters through shared entities (engine, advice, case files).
//! - [`score`]: the Secure Score page's figures (trend, changes, categories, actions,
//!   projection), computed from loaded snapshots and control profiles.
//! - [`threats`]: the Threats section's hunting result table and chart, "Go hunt" queries and
//!   the submission form's validation.
//! - [`sort`]: the one stable sort of the app (each sort call site is bundle bytes);
//!   [`sorted`]: the app's ordered maps and sets, sorted vectors instead of B-trees.
//! - `native` (feature `native`): a reqwest transport for tests, benches and tools.
//!
//! Typical use from a page (the app supplies its fetch transport and token provider):
//!
//! ```text
//! let client = GraphClient::new(transport, "https://graph.microsoft.com", tenant_id, tokens)?;
//! let q = Query::new()
//!     .filter(fields::alerts::SEVERITY.eq(&AlertSeverity::High).and(fields::alerts::STATUS.ne(&AlertStatus::Resolved)))
//!     .top(100)
//!     .count(true);
//! let mut pages = client.list_alerts(&q);
//! while let Some(page) = pages.next().await {
//!     let page = page?;                       // GraphError: show err.user_message()
//!     show(page.items, page.loaded, page.total);
//! }
//! client.update_alert(&id, &AlertUpdate { status: Some(AlertStatus::Resolved), ..Default::default() }).await?;
//! let results = client.patch_alerts_batch(&[(id1, upd.clone()), (id2, upd)]).await?;
//! let op = client.estimate_statistics(&case, &search, &EstimateStatistics::default()).await?;
//! client.wait_operation(&op, PollOptions::default(), |op| progress(op.common.percent_progress)).await?;
//! for s in client.scheduler().state(transport_now_ms) { status_bar(s.describe(transport_now_ms)) }
//! ```

#![forbid(unsafe_code)]

pub mod batch;
pub mod client;
pub mod correlate;
pub mod decode;
pub mod ediscovery;
pub mod error;
pub mod fields;
pub mod lowercase;
pub mod models;
#[cfg(feature = "native")]
pub mod native;
pub mod odata;
pub mod operations;
pub mod overview;
pub mod queue;
pub mod scheduler;
pub mod score;
pub mod sort;
pub mod sorted;
pub mod threats;
pub mod transport;
pub mod url;

pub use error::{ErrorKind, GraphError};

pub use client::paging::{self, Page, Pages};
pub use client::{ApiVersion, GraphClient, StaticToken, TokenProvider};
pub use scheduler::{Budget, Family, Scheduler, SchedulerConfig, SchedulerState};
pub use transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};
