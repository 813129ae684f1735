//! Wire models, one file per resource family. Reads are tolerant (unknown fields ignored, open
//! enums, null collections empty, "not set" dates `None`); writes are typed structs that
//! serialise camelCase and only the fields that are set.

pub mod alert;
pub mod common;
pub mod directory;
pub mod ediscovery;
pub mod evidence;
pub mod hunting;
pub mod incident;
pub mod secure_score;
pub mod submission;
pub mod threat_intel;
pub mod tree;
pub(crate) mod wire;

pub use alert::*;
pub use common::{DateTime, Identity, IdentitySet, ODataPage, ResultInfo, VendorInformation};
pub use directory::*;
pub use ediscovery::*;
pub use evidence::*;
pub use hunting::*;
pub use incident::*;
pub use secure_score::*;
pub use submission::*;
pub use threat_intel::*;
