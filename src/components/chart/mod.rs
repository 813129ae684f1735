//! Charts drawn by plotters, on the page's canvas or as SVG: one backend for both
//! ([`backend`]), lines over days ([`plot`]: the Secure Score trend, the open eDiscovery cases)
//! and stacked horizontal bars ([`bars`]: operations by outcome).

pub mod backend;
pub mod bars;
pub mod plot;
