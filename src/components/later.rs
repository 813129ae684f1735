//! Parts of a page built in a task of their own, after the one that builds the page: a page
//! whose whole build (its code run for the first time, so compiled as it goes) would be one
//! long task shows its first screen sooner and keeps every task short.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::transport::{idle_turn, with_timeout, yield_to_browser};

/// The longest a part built [`when_idle`] waits for the browser to be idle.
const IDLE_AT_THE_LATEST: Duration = Duration::from_millis(300);

/// `build`'s view, built once the browser has had its turn after the current task (nothing
/// shows there until then). The view lives with the component that called this.
pub fn later(build: impl FnOnce() -> AnyView + 'static) -> AnyView {
    later_boxed(false, Box::new(build))
}

/// `build`'s view, built once the browser has nothing more urgent to do (at the latest after
/// [`IDLE_AT_THE_LATEST`]): what the first screen does not need is built while the first
/// screen waits on the network, and after it when its data is already there.
pub fn when_idle(build: impl FnOnce() -> AnyView + 'static) -> AnyView {
    later_boxed(true, Box::new(build))
}

fn later_boxed(idle: bool, build: Box<dyn FnOnce() -> AnyView>) -> AnyView {
    let due = RwSignal::new(false);
    spawn_local(async move {
        if idle {
            with_timeout(IDLE_AT_THE_LATEST, idle_turn()).await;
        } else {
            yield_to_browser().await;
        }
        let _ = due.try_set(true);
    });
    let build = StoredValue::new_local(Some(build));
    // Runs again only when `due` changes (the build itself is not tracked), which is once.
    (move || {
        due.get()
            .then(|| build.try_update_value(Option::take).flatten())
            .flatten()
            .map(untrack)
    })
    .into_any()
}
