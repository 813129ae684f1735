//! eDiscovery case work beyond the wire: the budget lane, operation progress, the case list's
//! URL state and filters, input checks, the case load report and tag palettes.

pub mod lane;
pub mod palette;
pub mod progress;
pub mod report;
pub mod validate;
pub mod view;
