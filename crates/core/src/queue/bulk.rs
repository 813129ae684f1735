//! Bulk triage: one [`AlertUpdate`] applied to many alerts, 20 per `$batch`, with a result per
//! alert. An alert counts as done only when the service's answer shows the change (the PATCH
//! returns the updated alert); otherwise it is failed with the reason, and
//! [`BulkJob::retry_failures`] sends just those again.

use crate::batch::{BatchItemResult, MAX_BATCH};
use crate::client::GraphClient;
use crate::error::{ErrorKind, GraphError};
use crate::models::{Alert, AlertId, AlertUpdate};
use crate::transport::Transport;

/// Where one alert of the job stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemState {
    Pending,
    /// The service's answer shows the change.
    Confirmed,
    /// The error message (from Graph or ours) to show beside the alert.
    Failed(String),
}

/// One alert of the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkItem {
    pub id: AlertId,
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
pub struct BulkJob {
    pub update: AlertUpdate,
    pub items: Vec<BulkItem>,
}

/// Whether `alert` (the service's answer) shows `update`; the reason if not.
pub fn confirms(update: &AlertUpdate, alert: &Alert) -> Result<(), String> {
    fn check<T: PartialEq + std::fmt::Debug>(
        what: &str,
        want: Option<&T>,
        got: Option<&T>,
    ) -> Result<(), String> {
        match want {
            Some(w) if got != Some(w) => Err(format!(
                "The service did not apply the change: {what} is {got:?}, expected {w:?}."
            )),
            _ => Ok(()),
        }
    }
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
        let got = alert.assigned_to.as_deref().filter(|a| !a.is_empty());
        let ok = match (want.as_deref(), got) {
            (None, None) => true,
            (Some(w), Some(g)) => w.eq_ignore_ascii_case(g),
            _ => false,
        };
        if !ok {
            return Err(format!(
                "The service did not apply the change: assigned to {}, expected {}.",
                got.unwrap_or("nobody"),
                want.as_deref().unwrap_or("nobody")
            ));
        }
    }
    Ok(())
}

impl BulkJob {
    /// A job over `ids` (duplicates dropped, order kept). Refuses an empty update.
    pub fn new(
        ids: impl IntoIterator<Item = AlertId>,
        update: AlertUpdate,
    ) -> Result<Self, GraphError> {
        if update.is_empty() {
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
        Ok(BulkJob { update, items })
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

    /// The failed alerts and why.
    pub fn failures(&self) -> impl Iterator<Item = (&AlertId, &str)> {
        self.items.iter().filter_map(|i| match &i.state {
            ItemState::Failed(m) => Some((&i.id, m.as_str())),
            _ => None,
        })
    }

    /// Puts the failed alerts back in the queue; returns how many.
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

    /// Records a batch's answers for items `chunk`; returns the confirmed alerts (to merge
    /// into the table).
    pub fn record(
        &mut self,
        chunk: &[usize],
        answer: Result<Vec<BatchItemResult<AlertId, Alert>>, GraphError>,
    ) -> Vec<Alert> {
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
                        None => {
                            ItemState::Failed("The service did not answer for this alert.".into())
                        }
                        Some(r) => match &r.result {
                            Err(e) => ItemState::Failed(e.user_message()),
                            Ok(alert) => match confirms(&self.update, alert) {
                                Ok(()) => {
                                    confirmed.push(alert.clone());
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

    /// Sends every pending item, 20 per batch, calling `on_progress` after each batch with the
    /// job and the alerts that batch confirmed. Dropping the future stops after the batch in
    /// flight; unsent items stay pending.
    pub async fn run<T: Transport>(
        &mut self,
        client: &GraphClient<T>,
        mut on_progress: impl FnMut(&BulkJob, &[Alert]),
    ) -> Progress {
        loop {
            let chunk = self.next_chunk();
            if chunk.is_empty() {
                break;
            }
            let updates: Vec<(AlertId, AlertUpdate)> = chunk
                .iter()
                .map(|&n| (self.items[n].id.clone(), self.update.clone()))
                .collect();
            let answer = client.patch_alerts_batch(&updates).await;
            let confirmed = self.record(&chunk, answer);
            on_progress(self, &confirmed);
        }
        self.progress()
    }
}
