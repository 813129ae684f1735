//! Following `@odata.nextLink`, one page at a time.
//!
//! The nextLink is requested verbatim (it may carry an opaque, signed `$skiptoken`), but only
//! after checking that its origin is the configured Graph origin, so a poisoned link cannot
//! take the bearer token elsewhere. A link seen before stops paging with an error instead of
//! looping. Dropping a [`Pages`] (or the future of [`Pages::next`]) stops it: nothing runs in
//! the background.

use std::collections::HashSet;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{GraphClient, RequestSpec, Retry};
use crate::decode::decode;
use crate::error::{ErrorKind, GraphError};
use crate::models::ODataPage;
use crate::models::tree::FromTree;
use crate::scheduler::Family;
use crate::transport::{Method, Transport};

/// One page of results with progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<R> {
    pub items: Vec<R>,
    /// Items loaded so far, this page included.
    pub loaded: usize,
    /// `@odata.count`, when the server sent it (usually on the first page only).
    pub total: Option<u64>,
    /// Whether another page follows.
    pub has_more: bool,
}

/// A cursor over a collection's pages.
pub struct Pages<T: Transport, R> {
    at: Cursor<T>,
    _r: PhantomData<fn() -> R>,
}

/// Where paging stands, whatever the item type: fetching a page is the same code for every
/// collection (only decoding its items depends on their type), so it lives here.
struct Cursor<T: Transport> {
    client: GraphClient<T>,
    next: Option<String>,
    seen: HashSet<String>,
    loaded: usize,
    total: Option<u64>,
    scope: &'static str,
}

/// The untyped part of a page.
struct RawPage {
    body: Vec<u8>,
}

impl<T: Transport, R: DeserializeOwned> Pages<T, R> {
    pub(crate) fn new(client: GraphClient<T>, first_url: String, scope: &'static str) -> Self {
        Pages {
            at: Cursor {
                client,
                next: Some(first_url),
                seen: HashSet::new(),
                loaded: 0,
                total: None,
                scope,
            },
            _r: PhantomData,
        }
    }

    /// `(loaded, total)` for a progress bar; total is `@odata.count` when known.
    pub fn progress(&self) -> (usize, Option<u64>) {
        (self.at.loaded, self.at.total)
    }

    /// Whether every page has been fetched (or paging stopped on an error).
    pub fn is_done(&self) -> bool {
        self.at.next.is_none()
    }

    /// The next page, `None` when there are no more. After a retryable error the same page can
    /// be asked for again; after any other error the cursor is finished.
    pub async fn next(&mut self) -> Option<Result<Page<R>, GraphError>> {
        let raw = match self.at.fetch_raw().await? {
            Ok(raw) => raw,
            Err(e) => return Some(Err(e)),
        };
        let page: ODataPage<R> = match decode(&raw.body) {
            Ok(p) => p,
            Err(e) => {
                self.at.next = None;
                return Some(Err(e));
            }
        };
        let at = &mut self.at;
        at.loaded += page.value.len();
        if page.count.is_some() {
            at.total = page.count;
        }
        at.next = page.next_link;
        Some(Ok(Page {
            items: page.value,
            loaded: at.loaded,
            total: at.total,
            has_more: at.next.is_some(),
        }))
    }

    /// Fetches every remaining page into one list.
    pub fn collect_all(self) -> impl Future<Output = Result<Vec<R>, GraphError>>
    where
        R: 'static,
    {
        self.collect_each(None)
    }

    /// [`collect_all`](Self::collect_all), showing `each` every page's items as they arrive
    /// (work on them can then overlap the wait for the next page). One future for both, so
    /// that a model read both ways is not built twice.
    pub async fn collect_each(
        mut self,
        mut each: Option<Each<'_, R>>,
    ) -> Result<Vec<R>, GraphError> {
        let mut all = Vec::new();
        while let Some(page) = self.next().await {
            let items = page?.items;
            if let Some(each) = &mut each {
                each(&items);
            }
            all.extend(items);
        }
        Ok(all)
    }
}

/// What [`Pages::collect_each`] shows each page's items.
pub type Each<'a, R> = &'a mut dyn FnMut(&[R]);

impl<T: Transport, R> Pages<T, R> {
    /// The same collection with its items kept as JSON trees, for models read through the tree
    /// (`@tree` in [`crate::models`]): paging and parsing are then built once for all of them,
    /// and [`from_trees`] reads the items.
    pub fn trees(self) -> Pages<T, Value> {
        Pages {
            at: self.at,
            _r: PhantomData,
        }
    }
}

/// Items read as trees ([`Pages::trees`]) as `R`; an item that is not an object is a `Decode`
/// error, as it is when the collection is read directly.
pub fn from_trees<R: FromTree>(values: &[Value]) -> Result<Vec<R>, GraphError> {
    if values.iter().any(|v| !v.is_object()) {
        return Err(GraphError::new(
            ErrorKind::Decode,
            "an item of the collection is not a JSON object",
        ));
    }
    Ok(values.iter().map(R::from_tree).collect())
}

impl<T: Transport> Cursor<T> {
    async fn fetch_raw(&mut self) -> Option<Result<RawPage, GraphError>> {
        let url = self.next.clone()?;
        // Both checks happen before any request, so a bad link costs nothing and leaks nothing.
        let checked = self.client.check_origin(&url).and_then(|()| {
            if self.seen.contains(&url) {
                Err(GraphError::new(
                    ErrorKind::PagingLoop,
                    format!("nextLink repeated: {url}"),
                ))
            } else {
                Ok(())
            }
        });
        if let Err(e) = checked {
            self.next = None;
            return Some(Err(e));
        }
        let spec = RequestSpec {
            method: Method::Get,
            family: Family::of_url(&url),
            url: url.clone(),
            body: None,
            retry: Retry::Idempotent,
            scope: Some(self.scope),
        };
        let result = self.client.execute(spec).await;
        // Only now is the link consumed: a cancelled call leaves the cursor where it was, and
        // after a retryable failure (throttling, 5xx, network) calling `next` again retries the
        // same page.
        match result {
            Ok(resp) => {
                self.seen.insert(url);
                self.next = None;
                Some(Ok(RawPage { body: resp.body }))
            }
            Err(e) => {
                if !e.is_retryable() {
                    self.next = None;
                }
                Some(Err(e))
            }
        }
    }
}
