//! Triage advice: how alerts like these were classified before ("9 of 10 closed as false
//! positive, last 12 days ago"). "Like" means the same title or detector *and* an identifier in
//! common (in the same tenant), because a detection alone says little: the same rule firing
//! on the same account or file is what an analyst has already judged.

use super::identity::Extracted;
use super::intern::Interner;
use crate::models::{Alert, AlertClassification, AlertId, AlertStatus, AlertUpdate, DateTime};

/// How similar alerts ended up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Advice {
    /// Other alerts with the same title or detector and a shared identifier.
    pub similar: u32,
    /// Of those, the closed ones (resolved or classified).
    pub closed: u32,
    /// Closed ones per classification (`None`: resolved without one), most first.
    pub by_classification: Vec<(Option<AlertClassification>, u32)>,
    /// When one was last closed with the most common classification.
    pub last: Option<DateTime>,
    /// Whole days from `last` to the `now` given.
    pub days_since_last: Option<i64>,
}

impl Advice {
    /// "9 of 10 closed as false positive, last 12 days ago"; `None` when none was closed.
    pub fn sentence(&self) -> Option<String> {
        let (class, n) = self.by_classification.first()?;
        let what = match class {
            Some(AlertClassification::FalsePositive) => "false positive",
            Some(AlertClassification::TruePositive) => "true positive",
            Some(AlertClassification::InformationalExpectedActivity) => {
                "informational, expected activity"
            }
            _ => "without a classification",
        };
        let mut s = format!("{n} of {} closed as {what}", self.closed);
        match self.days_since_last {
            Some(0) => s.push_str(", last today"),
            Some(1) => s.push_str(", last 1 day ago"),
            Some(d) => s.push_str(&format!(", last {d} days ago")),
            None => {}
        }
        Some(s)
    }
}

/// Advice for the alerts `subject` (one alert, or a cluster's), from every other alert in
/// `history` (which holds the subject too, to read its titles, detectors and evidence).
pub fn advice(history: &[Alert], subject: &[AlertId], now: DateTime) -> Advice {
    let mut subject_ids = Interner::default();
    for id in subject {
        subject_ids.intern(id.as_str());
    }
    let is_subject = |a: &Alert| subject_ids.get(a.id.as_str()).is_some();
    let (mut titles, mut detectors, mut idents) = (
        Interner::default(),
        Interner::default(),
        Interner::default(),
    );
    let mut x = Extracted::default();
    let mut key = String::new();
    for a in history.iter().filter(|a| is_subject(a)) {
        if let Some(t) = title_key(a) {
            titles.intern(&t);
        }
        if let Some(d) = a
            .detector_id
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            detectors.intern(d);
        }
        for_each_key(a, &mut x, &mut key, |k| {
            idents.intern(k);
        });
    }
    let mut similar = 0u32;
    let mut closed = Vec::new();
    for a in history.iter().filter(|a| !is_subject(a)) {
        let same_detection = title_key(a).is_some_and(|t| titles.get(&t).is_some())
            || a.detector_id
                .as_deref()
                .is_some_and(|d| detectors.get(d.trim()).is_some());
        if !same_detection {
            continue;
        }
        let mut shared = false;
        for_each_key(a, &mut x, &mut key, |k| shared |= idents.get(k).is_some());
        if !shared {
            continue;
        }
        similar += 1;
        closed.push((
            a.classification.clone(),
            a.status.clone(),
            a.resolved_date_time.or(a.last_update_date_time),
        ));
    }
    tally(similar, closed, now)
}

/// How an alert ended: classification, status, and when it was resolved (else last updated).
pub(crate) type Outcome = (
    Option<AlertClassification>,
    Option<AlertStatus>,
    Option<DateTime>,
);

/// The advice from `similar` alerts like the subject, of which `outcomes` (classification,
/// status, when resolved or last updated) are each one's end; the open ones are left out here.
pub(crate) fn tally(similar: u32, outcomes: Vec<Outcome>, now: DateTime) -> Advice {
    let mut out = Advice {
        similar,
        ..Advice::default()
    };
    let mut counts: Vec<(Option<AlertClassification>, u32, Option<DateTime>)> = Vec::new();
    for (class, status, when) in outcomes {
        let class = class.filter(|c| {
            !matches!(
                c,
                AlertClassification::Unknown | AlertClassification::UnknownFutureValue
            )
        });
        if class.is_none() && status != Some(AlertStatus::Resolved) {
            continue;
        }
        out.closed += 1;
        match counts.iter_mut().find(|(c, _, _)| *c == class) {
            Some((_, n, last)) => {
                *n += 1;
                *last = (*last).max(when);
            }
            None => counts.push((class, 1, when)),
        }
    }
    // Most first; ties by name so the answer does not depend on history's order.
    crate::sort::by(&mut counts, |a, b| {
        b.1.cmp(&a.1).then_with(|| {
            let name = |c: &Option<AlertClassification>| c.as_ref().map(|c| c.as_str().to_owned());
            name(&a.0).cmp(&name(&b.0))
        })
    });
    if let Some((_, _, last)) = counts.first() {
        out.last = *last;
        out.days_since_last =
            last.map(|l| (now.unix_seconds() - l.unix_seconds()).div_euclid(86_400));
    }
    out.by_classification = counts.into_iter().map(|(c, n, _)| (c, n)).collect();
    out
}

impl Advice {
    /// "Classify the same way": resolved with the most common classification (none when most
    /// were resolved without one), and the comment that says why; `None` without advice.
    pub fn same_way(&self) -> Option<(AlertUpdate, String)> {
        let sentence = self.sentence()?;
        let update = AlertUpdate {
            status: Some(AlertStatus::Resolved),
            classification: self.classification().cloned(),
            ..AlertUpdate::default()
        };
        let why =
            format!("Resolved the way similar alerts were: {sentence} (Vigil triage advice).");
        Some((update, why))
    }

    /// The most common classification among the closed ones, when one was given (what
    /// "classify the same way" sets).
    pub fn classification(&self) -> Option<&AlertClassification> {
        self.by_classification.first()?.0.as_ref()
    }
}

fn title_key(a: &Alert) -> Option<String> {
    title_text(a.title.as_deref()?)
}

/// A title as compared: trimmed, lower case; `None` when blank.
pub(crate) fn title_text(t: &str) -> Option<String> {
    let t = t.trim();
    (!t.is_empty()).then(|| crate::lowercase::lower(t))
}

/// Calls `f` with each identifier key (`tenant|tag:value`) of the alert's evidence.
fn for_each_key(a: &Alert, x: &mut Extracted, key: &mut String, mut f: impl FnMut(&str)) {
    x.clear();
    for ev in &a.evidence {
        x.evidence(ev);
    }
    for found in &x.found {
        key.clear();
        key.push_str(a.tenant_id.as_deref().unwrap_or("").trim());
        key.push('|');
        key.push_str(found.kind.tag());
        key.push(':');
        key.push_str(x.value(found));
        f(key);
    }
}
