//! `SendWrapper<T>`: lets a value that is not `Send` live in a place that requires `Send`, and
//! checks that it is only touched on the thread that made it.
//!
//! Leptos (tachys, reactive_graph) wraps every DOM node, closure and local value in one, so
//! the wrapper is built, read and dropped at several hundred places in the app. crates.io's
//! `send_wrapper` asks the standard library for the current thread at each of them; on
//! wasm32 without the `atomics` feature (the only way Vigil ships) there is exactly one
//! thread, so that question always has the same answer and its code (a thread-local read and
//! a reference count per call, inlined everywhere) is pure weight: taking it out made the
//! release bundle 1.4 kB brotli smaller (2.9 kB with the Secure Score page; measured
//! 2026-12-02). Everywhere else (native tests, a threaded wasm build) the thread is checked
//! exactly as before.

#[cfg(feature = "futures")]
mod futures;

use std::fmt;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};

/// Whether this build can run code on more than one thread.
const THREADED: bool = !cfg!(all(target_arch = "wasm32", not(target_feature = "atomics")));

/// The thread a wrapper belongs to; nothing at all where there is only one thread.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Owner(
    #[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))] std::thread::ThreadId,
);

impl Owner {
    fn current() -> Owner {
        Owner(
            #[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
            std::thread::current().id(),
        )
    }

    fn is_current(self) -> bool {
        !THREADED || self == Owner::current()
    }
}

/// A value that may only be used, and dropped, on the thread that wrapped it.
pub struct SendWrapper<T> {
    data: ManuallyDrop<T>,
    owner: Owner,
}

// SAFETY: every access to `data` (deref, take, poll, drop of a value that needs dropping)
// first checks that it happens on the owning thread and panics otherwise; where only one
// thread exists, every access is on it.
unsafe impl<T> Send for SendWrapper<T> {}
// SAFETY: as for `Send`: shared access also goes through the same check.
unsafe impl<T> Sync for SendWrapper<T> {}

impl<T> SendWrapper<T> {
    /// Wraps `data`, owned by the current thread.
    pub fn new(data: T) -> SendWrapper<T> {
        SendWrapper {
            data: ManuallyDrop::new(data),
            owner: Owner::current(),
        }
    }

    /// Whether the current thread may use the value.
    pub fn valid(&self) -> bool {
        self.owner.is_current()
    }

    /// The value itself. Panics on another thread.
    #[track_caller]
    pub fn take(self) -> T {
        self.check("take");
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so `data` is taken exactly once.
        unsafe { ManuallyDrop::take(&mut this.data) }
    }

    #[track_caller]
    fn check(&self, what: &str) {
        if !self.valid() {
            wrong_thread(what);
        }
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn wrong_thread(what: &str) -> ! {
    panic!("SendWrapper: {what} on a thread other than the one that wrapped the value")
}

impl<T> Deref for SendWrapper<T> {
    type Target = T;

    #[track_caller]
    fn deref(&self) -> &T {
        self.check("read");
        &self.data
    }
}

impl<T> DerefMut for SendWrapper<T> {
    #[track_caller]
    fn deref_mut(&mut self) -> &mut T {
        self.check("write");
        &mut self.data
    }
}

impl<T> Drop for SendWrapper<T> {
    #[track_caller]
    fn drop(&mut self) {
        if !std::mem::needs_drop::<T>() || self.valid() {
            // SAFETY: dropped once, here; `take` never lets this run.
            unsafe { ManuallyDrop::drop(&mut self.data) };
        } else if !std::thread::panicking() {
            wrong_thread("drop");
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for SendWrapper<T> {
    #[track_caller]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendWrapper")
            .field("data", self.deref())
            .finish()
    }
}

impl<T: Clone> Clone for SendWrapper<T> {
    #[track_caller]
    fn clone(&self) -> Self {
        SendWrapper::new(self.deref().clone())
    }
}

#[cfg(test)]
mod tests {
    use super::SendWrapper;
    use std::rc::Rc;

    #[test]
    fn the_owning_thread_reads_writes_and_takes_the_value() {
        let mut w = SendWrapper::new(Rc::new(1));
        assert!(w.valid());
        *Rc::get_mut(&mut w).unwrap() = 2;
        assert_eq!(**w, 2);
        assert_eq!(*w.clone().take(), 2);
    }

    #[test]
    fn another_thread_may_not_read_the_value() {
        let w = SendWrapper::new(Rc::new(1));
        let r = std::thread::spawn(move || {
            let valid = w.valid();
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| **w));
            // Dropping a value that needs dropping on the wrong thread is refused too;
            // keep it from running while this thread is not panicking.
            std::mem::forget(w);
            (valid, read.is_err())
        })
        .join()
        .unwrap();
        assert_eq!(r, (false, true));
    }

    #[test]
    fn another_thread_may_move_a_value_that_needs_no_drop() {
        let w = SendWrapper::new(5u8);
        std::thread::spawn(move || drop(w)).join().unwrap();
    }
}
