//! Small components shared by several pages.

mod not_yet;
mod time;

pub use not_yet::NotYet;
pub use time::Time;
