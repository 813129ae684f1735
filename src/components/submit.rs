//! `Submit`: a write the user starts from a form or a button, whether one is under way, and how
//! the last one ended. Leptos's `Action` does this with machinery for every input and output
//! type; the app's writes all end in a sentence (`Ok` a confirmation, possibly empty; `Err` the
//! reason), so one type serves them all.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy)]
pub struct Submit {
    /// Writes under way.
    running: RwSignal<u32>,
    /// How the last write to end went.
    outcome: RwSignal<Option<Result<String, String>>>,
}

impl Submit {
    pub fn new() -> Self {
        Submit {
            running: RwSignal::new(0),
            outcome: RwSignal::new(None),
        }
    }

    /// Runs `write`; its result becomes the outcome when it ends.
    pub fn start(self, write: impl Future<Output = Result<String, String>> + 'static) {
        self.run(Box::pin(write));
    }

    /// [`Submit::start`] for any write: the task around it is built once, not once per write.
    fn run(self, write: Pin<Box<dyn Future<Output = Result<String, String>>>>) {
        self.running.update(|n| *n += 1);
        spawn_local(async move {
            let result = write.await;
            let _ = self.outcome.try_set(Some(result));
            let _ = self.running.try_update(|n| *n = n.saturating_sub(1));
        });
    }

    /// Whether a write is under way (tracked).
    pub fn pending(self) -> bool {
        self.running.get() > 0
    }

    /// How the last write ended (tracked).
    pub fn outcome(self) -> Option<Result<String, String>> {
        self.outcome.get()
    }

    /// Why the last write failed, if it did (tracked).
    pub fn error(self) -> Option<String> {
        self.outcome().and_then(Result::err)
    }
}

impl Default for Submit {
    fn default() -> Self {
        Self::new()
    }
}
