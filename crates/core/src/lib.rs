//! Vigil's core: the typed Microsoft Graph security client.
//!
//! The crate has no web dependencies so that it compiles for `wasm32-unknown-unknown` (the app)
//! and is tested natively in seconds. Every page of the app asks [`GraphClient`]; nothing else
//! builds a Graph URL or sends a request, so throttling, paging and error handling live in one
//! place.
//!
//! Layout, one concern per module:
//! - [`transport`]: the HTTP seam (the app implements it over `fetch`, [`native`] over reqwest).
//! - [`models`]: wire types, one file per resource family.
//! - [`odata`]: query options and the typed `$filter` builder.
//! - [`client`], [`paging`], [`scheduler`], [`batch`], [`operations`]: the request path.
//! - [`error`]: the single [`GraphError`] type with a sentence a person can act on.

#![forbid(unsafe_code)]

pub mod batch;
pub mod client;
pub mod error;
pub mod models;
#[cfg(feature = "native")]
pub mod native;
pub mod odata;
pub mod operations;
pub mod paging;
pub mod scheduler;
pub mod transport;

pub use error::{ErrorKind, GraphError};

pub use client::{ApiVersion, GraphClient, StaticToken, TokenProvider};
pub use paging::{Page, Pages};
pub use scheduler::{Budget, Family, Scheduler, SchedulerConfig, SchedulerState};
pub use transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};
