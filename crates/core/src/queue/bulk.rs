//! Bulk triage: one update applied to many alerts (or incidents), 20 per `$batch`, with a
//! result per item. An item counts as done only when the service's answer shows the change (the
//! PATCH returns the updated entity); otherwise it is failed with the reason, and
//! [`Job::retry_failures`] sends just those again.

use std::future::Future;

use crate::batch::{BatchItemResult, BatchRequest, MAX_BATCH};
use crate::client::{GraphClient, alert_path, incident_path};
use crate::error::{ErrorKind, GraphError};
use crate::models::{Alert, AlertId, AlertUpdate, Incident, IncidentId, IncidentUpdate};
use crate::transport::{Method, Transport};

/// A `$batch`'s answers: one result per item, keyed by id.
pub type Answers<K> =
    Result<Vec<BatchItemResult<<K as Kind>::Id, <K as Kind>::Entity>>, GraphError>;

/// What a bulk job changes: alerts or incidents.
pub trait Kind: Clone + std::fmt::Debug + PartialEq {
    type Id: Clone + Eq + std::hash::Hash + std::fmt::Debug + std::fmt::Display;
    type Update: Clone + PartialEq + std::fmt::Debug;
    type Entity: Clone;
    /// "alert" or "incident", for messages.
    const NOUN: &'static str;
    fn is_empty(update: &Self::Update) -> bool;
    /// Where a comment on item `id` is posted (relative to the version root).
    fn comments_path(id: &Self::Id) -> String;
    /// The permission that posting a comment needs.
    const WRITE_SCOPE: &'static str;
    /// Whether `entity` (the service's answer) shows `update`; the reason if not.
    fn confirms(update: &Self::Update, entity: &Self::Entity) -> Result<(), String>;
    /// One `$batch` of PATCHes.
    fn send<T: Transport>(
        client: &GraphClient<T>,
        updates: &[(Self::Id, Self::Update)],
    ) -> impl Future<Output = Answers<Self>>;
}

/// Bulk alert triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alerts;

impl Kind for Alerts {
    type Id = AlertId;
    type Update = AlertUpdate;
    type Entity = Alert;
    const NOUN: &'static str = "alert";
    const WRITE_SCOPE: &'static str = crate::client::scopes::ALERT_WRITE;
    fn is_empty(update: &AlertUpdate) -> bool {
        update.is_empty()
    }
    fn comments_path(id: &AlertId) -> String {
        format!("{}/comments", alert_path(id))
    }
    fn confirms(update: &AlertUpdate, alert: &Alert) -> Result<(), String> {
        confirms(update, alert)
    }
    fn send<T: Transport>(
        client: &GraphClient<T>,
        updates: &[(AlertId, AlertUpdate)],
    ) -> impl Future<Output = Answers<Self>> {
        client.patch_alerts_batch(updates)
    }
}

/// Bulk incident triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incidents;

impl Kind for Incidents {
    type Id = IncidentId;
    type Update = IncidentUpdate;
    type Entity = Incident;
    const NOUN: &'static str = "incident";
    const WRITE_SCOPE: &'static str = crate::client::scopes::INCIDENT_WRITE;
    fn is_empty(update: &IncidentUpdate) -> bool {
        update.is_empty()
    }
    fn comments_path(id: &IncidentId) -> String {
        format!("{}/comments", incident_path(id))
    }
    fn confirms(update: &IncidentUpdate, incident: &Incident) -> Result<(), String> {
        check("status", update.status.as_ref(), incident.status.as_ref())?;
        check(
            "classification",
            update.classification.as_ref(),
            incident.classification.as_ref(),
        )?;
        check(
            "determination",
            update.determination.as_ref(),
            incident.determination.as_ref(),
        )?;
        if let Some(want) = &update.assigned_to {
            check_assignee(want.as_deref(), incident.assigned_to.as_deref())?;
        }
        if let Some(want) = &update.custom_tags {
            let got = incident.tags();
            if let Some(missing) = want.iter().find(|t| !got.contains(t)) {
                return Err(format!(
                    "The service did not apply the change: the tag {missing:?} is missing."
                ));
            }
        }
        Ok(())
    }
    fn send<T: Transport>(
        client: &GraphClient<T>,
        updates: &[(IncidentId, IncidentUpdate)],
    ) -> impl Future<Output = Answers<Self>> {
        client.patch_incidents_batch(updates)
    }
}

/// A bulk alert change.
pub type BulkJob = Job<Alerts>;
/// A bulk incident change.
pub type IncidentJob = Job<Incidents>;

/// Where one alert of the job stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemState {
    Pending,
    /// The service's answer shows the change.
    Confirmed,
    /// The error message (from Graph or ours) to show beside the alert.
    Failed(String),
}

/// One item of the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkItem<Id> {
    pub id: Id,
    pub state: ItemState,
}

/// Counts for a progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub total: usize,
    pub confirmed: usize,
    pub failed: usize,
    pub pending: usize,
}

impl Progress {
    pub fn done(&self) -> usize {
        self.confirmed + self.failed
    }
    pub fn is_finished(&self) -> bool {
        self.pending == 0
    }
    /// "40 of 50 done, 2 failed".
    pub fn describe(&self) -> String {
        let mut s = format!("{} of {} done", self.done(), self.total);
        if self.failed > 0 {
            s.push_str(&format!(", {} failed", self.failed));
        }
        s
    }
}

/// A queued bulk change.
#[derive(Debug, Clone, PartialEq)]
pub struct Job<K: Kind> {
    pub update: K::Update,
    pub items: Vec<BulkItem<K::Id>>,
    /// A comment added to every item whose change is confirmed (why they were resolved, say).
    pub comment: Option<String>,
}

/// A field the service should have set to `want`, said in its wire spelling ("status is
/// inProgress, expected resolved"), never in Rust's debug syntax.
fn check<T: PartialEq + std::fmt::Display>(
    what: &str,
    want: Option<&T>,
    got: Option<&T>,
) -> Result<(), String> {
    match want {
        Some(w) if got != Some(w) => {
            let got = got.map_or_else(|| "not set".to_owned(), T::to_string);
            Err(format!(
                "The service did not apply the change: {what} is {got}, expected {w}."
            ))
        }
        _ => Ok(()),
    }
}

/// Assignees compare case-insensitively; an empty one is nobody.
fn check_assignee(want: Option<&str>, got: Option<&str>) -> Result<(), String> {
    let got = got.filter(|a| !a.is_empty());
    let ok = match (want, got) {
        (None, None) => true,
        (Some(w), Some(g)) => w.eq_ignore_ascii_case(g),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "The service did not apply the change: assigned to {}, expected {}.",
            got.unwrap_or("nobody"),
            want.unwrap_or("nobody")
        ))
    }
}

/// Whether `alert` (the service's answer) shows `update`; the reason if not.
pub fn confirms(update: &AlertUpdate, alert: &Alert) -> Result<(), String> {
    check("status", update.status.as_ref(), alert.status.as_ref())?;
    check(
        "classification",
        update.classification.as_ref(),
        alert.classification.as_ref(),
    )?;
    check(
        "determination",
        update.determination.as_ref(),
        alert.determination.as_ref(),
    )?;
    if let Some(want) = &update.assigned_to {
        check_assignee(want.as_deref(), alert.assigned_to.as_deref())?;
    }
    Ok(())
}

impl<K: Kind> Job<K> {
    /// A job over `ids` (duplicates dropped, order kept). Refuses an empty update.
    pub fn new(
        ids: impl IntoIterator<Item = K::Id>,
        update: K::Update,
    ) -> Result<Self, GraphError> {
        if K::is_empty(&update) {
            return Err(GraphError::new(
                ErrorKind::InvalidInput,
                "Choose a change to apply.",
            ));
        }
        let mut seen = std::collections::HashSet::new();
        let items = ids
            .into_iter()
            .filter(|id| seen.insert(id.clone()))
            .map(|id| BulkItem {
                id,
                state: ItemState::Pending,
            })
            .collect();
        Ok(Job {
            update,
            items,
            comment: None,
        })
    }

    /// The job with `comment` added to each item once its change is confirmed (blank: none).
    pub fn with_comment(mut self, comment: &str) -> Self {
        self.comment = Some(comment.trim().to_owned()).filter(|c| !c.is_empty());
        self
    }

    pub fn progress(&self) -> Progress {
        let mut p = Progress {
            total: self.items.len(),
            ..Default::default()
        };
        for i in &self.items {
            match i.state {
                ItemState::Pending => p.pending += 1,
                ItemState::Confirmed => p.confirmed += 1,
                ItemState::Failed(_) => p.failed += 1,
            }
        }
        p
    }

    /// The failed items and why.
    pub fn failures(&self) -> impl Iterator<Item = (&K::Id, &str)> {
        self.items.iter().filter_map(|i| match &i.state {
            ItemState::Failed(m) => Some((&i.id, m.as_str())),
            _ => None,
        })
    }

    /// Puts the failed items back in the queue; returns how many.
    pub fn retry_failures(&mut self) -> usize {
        let mut n = 0;
        for i in &mut self.items {
            if matches!(i.state, ItemState::Failed(_)) {
                i.state = ItemState::Pending;
                n += 1;
            }
        }
        n
    }

    /// Marks everything still pending as failed (the user cancelled); returns how many.
    pub fn cancel(&mut self) -> usize {
        let mut n = 0;
        for i in &mut self.items {
            if i.state == ItemState::Pending {
                i.state = ItemState::Failed("Cancelled before it was sent.".into());
                n += 1;
            }
        }
        n
    }

    /// The pending items' ids, grouped by `key` (a tenant, say) in order of first appearance:
    /// one part per client that must send them.
    pub fn pending_by<T: PartialEq>(&self, key: impl Fn(&K::Id) -> T) -> Vec<(T, Vec<K::Id>)> {
        let mut parts: Vec<(T, Vec<K::Id>)> = Vec::new();
        for item in self.items.iter().filter(|i| i.state == ItemState::Pending) {
            let k = key(&item.id);
            match parts.iter_mut().find(|(p, _)| *p == k) {
                Some((_, ids)) => ids.push(item.id.clone()),
                None => parts.push((k, vec![item.id.clone()])),
            }
        }
        parts
    }

    /// A job for some of this job's items (same update and comment).
    pub fn part(&self, ids: Vec<K::Id>) -> Self {
        Job {
            update: self.update.clone(),
            items: ids
                .into_iter()
                .map(|id| BulkItem {
                    id,
                    state: ItemState::Pending,
                })
                .collect(),
            comment: self.comment.clone(),
        }
    }

    /// Takes the item states of `part` (a job made by [`Job::part`]).
    pub fn absorb(&mut self, part: &Job<K>) {
        for p in &part.items {
            if let Some(item) = self.items.iter_mut().find(|i| i.id == p.id) {
                item.state = p.state.clone();
            }
        }
    }

    /// Marks every pending item among `ids` failed with `why`.
    pub fn fail(&mut self, ids: &[K::Id], why: &str) {
        for item in &mut self.items {
            if item.state == ItemState::Pending && ids.contains(&item.id) {
                item.state = ItemState::Failed(why.to_owned());
            }
        }
    }

    /// Up to [`MAX_BATCH`] pending items (their indices).
    pub fn next_chunk(&self) -> Vec<usize> {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.state == ItemState::Pending)
            .map(|(n, _)| n)
            .take(MAX_BATCH)
            .collect()
    }

    /// Records a batch's answers for items `chunk`; returns the confirmed entities (to merge
    /// into the table).
    pub fn record(&mut self, chunk: &[usize], answer: Answers<K>) -> Vec<K::Entity> {
        let mut confirmed = Vec::new();
        match answer {
            Err(e) => {
                let msg = e.user_message();
                for &n in chunk {
                    self.items[n].state = ItemState::Failed(msg.clone());
                }
            }
            Ok(results) => {
                for &n in chunk {
                    let id = &self.items[n].id;
                    let state = match results.iter().find(|r| &r.key == id) {
                        None => ItemState::Failed(format!(
                            "The service did not answer for this {}.",
                            K::NOUN
                        )),
                        Some(r) => match &r.result {
                            Err(e) => ItemState::Failed(e.user_message()),
                            Ok(entity) => match K::confirms(&self.update, entity) {
                                Ok(()) => {
                                    confirmed.push(entity.clone());
                                    ItemState::Confirmed
                                }
                                Err(m) => ItemState::Failed(m),
                            },
                        },
                    };
                    self.items[n].state = state;
                }
            }
        }
        confirmed
    }

    /// Posts `text` on the confirmed items of `chunk` in one `$batch`; an item whose comment
    /// is refused becomes failed (its change stands; a retry sends both again).
    async fn add_comments<T: Transport>(
        &mut self,
        client: &GraphClient<T>,
        chunk: &[usize],
        text: &str,
    ) {
        let targets: Vec<usize> = chunk
            .iter()
            .copied()
            .filter(|&n| self.items[n].state == ItemState::Confirmed)
            .collect();
        let paths = targets
            .iter()
            .map(|&n| K::comments_path(&self.items[n].id))
            .collect();
        for (k, why) in post_comments(client, paths, text, K::WRITE_SCOPE).await {
            self.items[targets[k]].state =
                ItemState::Failed(format!("Changed, but the comment was not added: {why}"));
        }
    }

    /// Sends every pending item, 20 per batch, calling `on_progress` after each batch with the
    /// job and the entities that batch confirmed. Dropping the future stops after the batch in
    /// flight; unsent items stay pending.
    pub async fn run<T: Transport>(
        &mut self,
        client: &GraphClient<T>,
        mut on_progress: impl FnMut(&Self, &[K::Entity]),
    ) -> Progress {
        loop {
            let chunk = self.next_chunk();
            if chunk.is_empty() {
                break;
            }
            let updates: Vec<(K::Id, K::Update)> = chunk
                .iter()
                .map(|&n| (self.items[n].id.clone(), self.update.clone()))
                .collect();
            let answer = K::send(client, &updates).await;
            let confirmed = self.record(&chunk, answer);
            if let Some(text) = self.comment.clone() {
                self.add_comments(client, &chunk, &text).await;
            }
            on_progress(self, &confirmed);
        }
        self.progress()
    }
}

/// Posts `text` as a comment at each of `paths` in one `$batch`, and says which were refused
/// (by their index in `paths`) and why. Alerts and incidents share this one copy.
async fn post_comments<T: Transport>(
    client: &GraphClient<T>,
    paths: Vec<String>,
    text: &str,
    scope: &'static str,
) -> Vec<(usize, String)> {
    if paths.is_empty() {
        return Vec::new();
    }
    let body = serde_json::json!({ "comment": text });
    let requests: Vec<BatchRequest> = paths
        .into_iter()
        .enumerate()
        .map(|(k, path)| BatchRequest::new(k.to_string(), Method::Post, path, Some(body.clone())))
        .collect();
    let answers = client.batch(&requests).await;
    (0..requests.len())
        .filter_map(|k| {
            let why = match &answers {
                Err(e) => Some(e.user_message()),
                Ok(responses) => responses
                    .get(k)
                    .and_then(|r| r.into_result::<serde_json::Value>(Some(scope)).err())
                    .map(|e| e.user_message()),
            };
            why.map(|w| (k, w))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(ids: &[&str]) -> BulkJob {
        let update = AlertUpdate {
            status: Some(crate::models::AlertStatus::InProgress),
            ..Default::default()
        };
        BulkJob::new(ids.iter().map(|i| AlertId::new(*i)), update)
            .unwrap()
            .with_comment("why")
    }

    #[test]
    fn pending_items_split_by_key_and_come_back_together() {
        let mut j = job(&["a1", "b1", "a2", "b2", "c1"]);
        j.items[4].state = ItemState::Confirmed;
        let parts = j.pending_by(|id| id.as_str().chars().next());
        let names: Vec<(char, Vec<&str>)> = parts
            .iter()
            .map(|(k, ids)| (k.unwrap(), ids.iter().map(AlertId::as_str).collect()))
            .collect();
        assert_eq!(names, [('a', vec!["a1", "a2"]), ('b', vec!["b1", "b2"])]);
        let mut a = j.part(parts[0].1.clone());
        assert_eq!(a.comment.as_deref(), Some("why"));
        a.items[0].state = ItemState::Confirmed;
        a.items[1].state = ItemState::Failed("no".into());
        j.absorb(&a);
        j.fail(&parts[1].1, "Sign in to that tenant.");
        let p = j.progress();
        assert_eq!((p.confirmed, p.failed, p.pending), (2, 3, 0));
        assert_eq!(j.retry_failures(), 3);
        assert_eq!(j.pending_by(|_| ()).len(), 1);
    }
}
