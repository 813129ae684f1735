//! The analyst's queue: the view state behind the alerts and incidents pages, the compact table
//! model, export, and bulk triage.
//!
//! Everything here is pure logic over the wire models, so it is tested natively in seconds; the
//! pages only render it.
//!
//! - [`filter`]: the view state (filters, sort, selection, columns) and its URL form, the
//!   server-side `$filter` and the client-side rest; saved views.
//! - [`evidence`]: evidence as labelled text (search haystack and detail pane).
//! - [`table`]: interned rows, sorting, counts, windowing, merge-by-id, grouping.
//! - [`export`]: CSV and NDJSON of the filtered set.
//! - [`bulk`]: one change applied to many alerts through `$batch`, with per-alert results.
//! - [`incidents`]: the incident queue's (smaller) view state.
//! - [`layout`]: the virtualised table's lines (rows and group headers).
//! - [`pivot`]: from a shown value to the queue view of alerts sharing it.
//! - [`similar`]: alerts like the open one.

pub mod bulk;
pub mod evidence;
pub mod export;
pub mod filter;
pub mod incidents;
pub mod layout;
pub mod pivot;
pub mod similar;
pub mod table;
mod url;

pub use filter::{
    Assigned, Chip, ChipKey, Column, QueueFilter, SavedView, Sort, TimeField, TimeRange, Viewer,
};
pub use table::{Row, Table};
pub use url::{Member, Set};
