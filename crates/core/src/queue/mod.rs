//! The analyst's queue: the view state behind the alerts and incidents pages, the compact table
//! model, export, and bulk triage.
//!
//! Everything here is pure logic over the wire models, so it is tested natively in seconds; the
//! pages only render it.
//!
//! - [`filter`]: the view state (filters, sort, selection, columns) and its URL form.
//! - `server` (private): the view's server-side part, [`QueueFilter::server_query`].
//! - [`matcher`]: the client-side check of the whole view against an alert or a row.
//! - [`chips`]: the view in words: removable filter chips, labels of wire values.
//! - [`saved`]: named views, built in or exported and imported as JSON.
//! - [`triage`]: the triage rules of one alert: fitting determinations, what an edit changes,
//!   the optimistic view of a pending change.
//! - [`evidence`]: evidence as labelled text (search haystack and detail pane).
//! - [`table`]: interned rows, sorting, counts, windowing, merge-by-id, grouping.
//! - [`export`]: CSV and NDJSON of the filtered set.
//! - [`bulk`]: one change applied to many alerts through `$batch`, with per-alert results.
//! - [`incidents`]: the incident queue's (smaller) view state.
//! - [`layout`]: the virtualised table's lines (rows and group headers).
//! - [`pivot`]: from a shown value to the queue view of alerts sharing it.
//! - [`similar`]: alerts like the open one.
//! - [`progress`]: the load's progress line (rate and time left).

pub mod bulk;
pub mod chips;
pub mod evidence;
pub mod export;
pub mod filter;
pub mod incidents;
pub mod layout;
pub mod matcher;
pub mod pivot;
pub mod progress;
pub mod saved;
mod server;
pub mod similar;
pub mod table;
pub mod triage;
mod url;

pub use chips::{Chip, ChipKey};
pub use filter::{Assigned, Column, QueueFilter, Sort, TimeField, TimeRange, Viewer};
pub use saved::SavedView;
pub use table::{Row, Table};
pub use url::{Member, Set};
