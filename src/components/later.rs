//! Parts of a page built in a task of their own, after the one that builds the page: a page
//! whose whole build (its code run for the first time, so compiled as it goes) would be one
//! long task shows its first screen sooner and keeps every task short.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::transport::yield_to_browser;

/// `build`'s view, built once the browser has had its turn after the current task (nothing
/// shows there until then). The view lives with the component that called this.
pub fn later(build: impl FnOnce() -> AnyView + 'static) -> AnyView {
    later_boxed(Box::new(build))
}

fn later_boxed(build: Box<dyn FnOnce() -> AnyView>) -> AnyView {
    let due = RwSignal::new(false);
    spawn_local(async move {
        yield_to_browser().await;
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
