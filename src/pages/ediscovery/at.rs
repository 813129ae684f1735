//! Where a case page's actions run: the desk, the case, the signed-in user and how the last
//! write went, with the one button every write on the page is started from, the one way a
//! started operation is shown until the service lists it, and what each section says of its
//! read (under way, failed, or kept from before).

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use vigil_core::client::GraphClient;
use vigil_core::client::scopes::EDISCOVERY_WRITE;
use vigil_core::ediscovery::lane::Priority;
use vigil_core::ediscovery::progress::action_text;
use vigil_core::models::{
    CaseAction, CaseId, CaseOperation, CaseOperationCommon, CaseOperationDetails,
    CaseOperationStatus,
};
use vigil_core::operations::OperationHandle;

use super::body::{reading, stale};
use super::desk::{Answer, Desk, Got, Key};
use crate::auth::Auth;
use crate::components::Submit;
use crate::components::dom::{H, el};
use crate::transport::BrowserTransport;

/// A write on a case: a sentence either way.
pub(super) type Write = Rc<dyn Fn(At) -> Pin<Box<dyn Future<Output = Result<String, String>>>>>;

/// A [`Write`] from an async closure.
pub(super) fn write<F: Future<Output = Result<String, String>> + 'static>(
    f: impl Fn(At) -> F + 'static,
) -> Write {
    Rc::new(move |at| Box::pin(f(at)))
}

/// Where the case page's actions are: the desk, the case, and the last write's outcome.
#[derive(Clone)]
pub(super) struct At {
    pub desk: Desk,
    pub auth: Auth,
    pub tenant: String,
    pub case: String,
    pub act: Submit,
}

impl At {
    pub fn answer(&self, key: Key) -> Option<Answer> {
        self.desk.answer(&self.tenant, &key)
    }

    /// What the read of `key` is doing, or why it failed (the reading of `what`), appended to
    /// `head` (a card with its heading, say), and what it brought. Tracked.
    pub fn notes(&self, key: Key, what: &str, head: H) -> (H, Option<Rc<Got>>) {
        self.desk.track();
        let a = self.answer(key);
        let notes = reading(a.as_ref(), what)
            .into_iter()
            .chain(stale(a.as_ref(), what));
        (head.kids(notes.collect()), a.and_then(|a| a.got))
    }

    /// Asks for `key` as what the user opened (a kept read is not read again).
    pub fn open(&self, key: Key) {
        self.desk
            .want(&self.tenant, key, Priority::Opened, &self.name(), false);
    }

    /// A `toggle` listener for a section read only when opened ([`At::open`]).
    pub fn read_on_open(&self, key: Key) -> impl Fn(web_sys::Event) + 'static {
        let at = self.clone();
        move |_| at.open(key.clone())
    }

    /// Reads `key` again at once: what was just written shows without waiting for the lane.
    pub fn read_again(&self, key: Key) {
        self.desk
            .want(&self.tenant, key, Priority::Now, &self.name(), true);
    }

    /// What `key` brought, or why a form must wait for it (what it checks against).
    pub fn read_before(&self, key: Key, what: &str) -> Result<Rc<Got>, String> {
        self.answer(key)
            .and_then(|a| a.got)
            .ok_or_else(|| format!("Wait for {what} to be read: they are checked before sending."))
    }

    pub fn name(&self) -> String {
        self.desk.case_name(&self.tenant, &self.case)
    }

    /// Why the write buttons are disabled (tracked), `None` when they are not.
    pub fn cannot_write(&self) -> Option<String> {
        if self.act.pending() {
            return Some("another change is being made".to_owned());
        }
        self.auth.lacks(EDISCOVERY_WRITE)
    }

    /// A button that runs `write` (a sentence either way), then reads `again` at once. Built
    /// once for every button: only each write's own future is its own code.
    pub fn button(&self, id: &str, label: &str, again: Vec<Key>, write: Write) -> H {
        let why = self.cannot_write();
        let at = self.clone();
        el("button")
            .id(id)
            .flag("disabled", why.is_some())
            .attr("title", why.as_deref().unwrap_or(label))
            .t(label)
            .click(move || {
                let at = at.clone();
                let write = write.clone();
                let again = again.clone();
                at.act.start(async move {
                    at.desk.turn(&at.tenant).await;
                    let result = write(at.clone()).await;
                    for key in again {
                        at.desk
                            .want(&at.tenant, key, Priority::Now, &at.name(), true);
                    }
                    result
                });
            })
    }

    pub fn client(&self) -> Result<GraphClient<BrowserTransport>, String> {
        self.auth
            .client_for_data(Some(&self.tenant))
            .ok_or_else(|| "Sign in to this tenant again to change its cases.".to_owned())
    }

    pub fn id(&self) -> CaseId {
        CaseId::new(self.case.clone())
    }

    /// Shows an operation the user just started (`action` on `what`) in the operations table at
    /// once, until the service lists it, and says so.
    pub fn follow(&self, handle: &OperationHandle, action: CaseAction, what: &str) -> String {
        let said = format!(
            "{} of \u{201c}{what}\u{201d} started: it is followed under Operations.",
            action_text(Some(&action))
        );
        if let Some(id) = handle.operation_id() {
            let op = CaseOperation {
                odata_type: None,
                common: CaseOperationCommon {
                    id,
                    action: Some(action),
                    status: Some(CaseOperationStatus::NotStarted),
                    ..Default::default()
                },
                details: CaseOperationDetails::Other {
                    type_name: String::new(),
                    raw: serde_json::Value::Null,
                },
            };
            self.desk.started(&self.tenant, &self.case, op);
        }
        said
    }
}
