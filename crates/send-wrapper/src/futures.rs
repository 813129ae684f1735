//! `Future` and `Stream` for a wrapped future or stream (feature `futures`), polled only on the
//! owning thread.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::SendWrapper;

impl<F: Future> Future for SendWrapper<F> {
    type Output = F::Output;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.check("poll");
        // SAFETY: `data` is never moved out of a pinned wrapper (`take` needs it by value,
        // which a pinned `!Unpin` wrapper cannot give), so pinning projects to it.
        unsafe { self.map_unchecked_mut(|w| &mut *w.data) }.poll(cx)
    }
}

impl<S: Stream> Stream for SendWrapper<S> {
    type Item = S::Item;

    #[track_caller]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.check("poll");
        // SAFETY: as for `Future::poll`.
        unsafe { self.map_unchecked_mut(|w| &mut *w.data) }.poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.valid() {
            self.data.size_hint()
        } else {
            (0, None)
        }
    }
}
