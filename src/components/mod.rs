//! Small components shared by several pages.

mod account;
mod not_yet;
pub mod queue;
mod time;

pub use account::{
    AccessSettings, AccountMenu, GraphErrorNotice, RequestAccess, RequiresScope,
    SessionEndedPrompt, SignInPanel, SignedIn,
};
pub use not_yet::NotYet;
pub use time::Time;
