//! Small components shared by several pages.

mod account;
/// Charts drawn by plotters on a canvas or as SVG: lines over days, stacked bars.
pub mod chart;
/// Plain DOM described as data: the eDiscovery page and the alert queue's lines.
pub mod dom;
pub mod every_alert;
mod later;
mod member_select;
mod not_yet;
pub mod queue;
mod resource;
mod submit;
mod time;

pub use account::{
    AccessSettings, AccountMenu, GraphErrorNotice, RenewalDelayedNotice, RequestAccess,
    RequiresScope, SessionEndedPrompt, SignInPanel, SignedIn,
};
pub use later::{later, when_idle};
pub use member_select::member_select;
pub use not_yet::NotYet;
pub use resource::resource;
pub use submit::Submit;
pub use time::Time;
