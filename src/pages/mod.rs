//! One file per route. A page reads the URL, asks the typed client, renders.

mod alerts;
mod callback;
mod correlation;
mod ediscovery;
mod failure;
mod incidents;
mod not_found;
mod overview;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-secure-score")))]
mod secure_score;
mod settings;
mod setup;
mod threats;

pub use alerts::Alerts;
pub use callback::Callback;
pub use correlation::{Correlation, CorrelationEntity};
pub use ediscovery::Ediscovery;
pub use failure::Failure;
pub use incidents::Incidents;
pub use not_found::NotFound;
pub use overview::Overview;
#[cfg(not(all(target_arch = "wasm32", feature = "bench-without-secure-score")))]
pub use secure_score::SecureScore;
pub use settings::Settings;
pub use setup::Setup;
pub use threats::{ThreatTab, Threats};
