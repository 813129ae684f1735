//! [`Correlator`]: the incremental state. Adding alerts normalises and interns their
//! identifiers once (the costly, string-handling part); the linking pass runs over `u32`s only
//! and is redone lazily, at the next question, after any change. A redo depends only on the
//! current version of each alert, so results never depend on input order or page boundaries,
//! and a live-refresh delta (a known alert, changed) simply replaces the old version.

use std::cell::{Cell, Ref, RefCell};

use super::advice::{self, Advice, Outcome};
use super::cluster::{self, AlertInfo, Cluster, EntityRef, Hub, Membership};
use super::graph::Graph;
use super::identity::{Extracted, IdKind};
use super::intern::Interner;
use super::normalize::trim;
use super::{Settings, parse_key};
use crate::models::{
    Alert, AlertClassification, AlertId, AlertSeverity, AlertStatus, DateTime, ServiceSource,
};

/// Correlates alerts into clusters; see the [module docs](super).
#[derive(Debug)]
pub struct Correlator {
    pub(crate) settings: Settings,
    pub(crate) tenants: Interner,
    pub(crate) alert_ids: Interner,
    /// Identifier values, each in the namespace [`ident_space`] of its tenant and kind.
    pub(crate) idents: Interner,
    /// Titles, detector ids and incident ids: a detector's alerts share one title, so each is
    /// held once, not once per alert.
    texts: Interner,
    /// One per alert id ever seen, by the id's number.
    pub(crate) records: Vec<Record>,
    /// Every record's identifiers, in one chunk per page added, each exactly its size (a
    /// record's are one run of one chunk: [`Record::occ`]): no allocation per alert, and no
    /// room to spare, which one growing array would have (up to twice its size while it grows).
    chunks: Vec<Vec<Occ>>,
    /// Per chunk, the entries current records use; a chunk nothing uses is freed.
    chunk_use: Vec<u32>,
    scratch: Extracted,
    graph: RefCell<Option<Graph>>,
    /// The settings changed since `graph` was linked (the alerts did not).
    relink: Cell<bool>,
}

impl Correlator {
    pub fn new(settings: Settings) -> Self {
        Correlator {
            settings,
            tenants: Interner::default(),
            alert_ids: Interner::default(),
            idents: Interner::default(),
            texts: Interner::default(),
            records: Vec::new(),
            chunks: Vec::new(),
            chunk_use: Vec::new(),
            scratch: Extracted::default(),
            graph: RefCell::new(None),
            relink: Cell::new(false),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// New settings; clusters are recomputed at the next question.
    pub fn set_settings(&mut self, settings: Settings) {
        if settings != self.settings {
            self.settings = settings;
            self.relink.set(true);
        }
    }

    /// Puts one suppressed hub back (by any of its identifier keys, as [`Hub::key`]).
    pub fn include_hub(&mut self, key: &str) {
        if !self.settings.included_hubs.iter().any(|k| k == key) {
            self.settings.included_hubs.push(key.to_owned());
            self.relink.set(true);
        }
    }

    /// Suppresses a put-back hub again.
    pub fn exclude_hub(&mut self, key: &str) {
        let before = self.settings.included_hubs.len();
        self.settings.included_hubs.retain(|k| k != key);
        if self.settings.included_hubs.len() != before {
            self.relink.set(true);
        }
    }

    /// Adds a page of alerts; an alert already known is replaced by this version.
    pub fn add(&mut self, alerts: &[Alert]) {
        self.alert_ids.reserve(alerts.len());
        self.records.reserve(alerts.len());
        let chunk = self.chunks.len() as u32;
        self.chunks.push(Vec::new());
        self.chunk_use.push(0);
        for a in alerts {
            self.add_to(a, chunk);
        }
        self.chunks[chunk as usize].shrink_to_fit();
        self.invalidate();
    }

    /// Adds one alert, its identifiers into `chunk`.
    fn add_to(&mut self, alert: &Alert, chunk: u32) {
        let (slot, new) = self.alert_ids.intern(alert.id.as_str());
        let (tenant, _) = self
            .tenants
            .intern(trim(alert.tenant_id.as_deref().unwrap_or("")));
        let x = &mut self.scratch;
        x.clear();
        for ev in &alert.evidence {
            x.evidence(ev);
        }
        let store = &mut self.chunks[chunk as usize];
        let start = store.len() as u32;
        for f in &x.found {
            // An alert's first 65,536 entities are correlated (Graph's have a handful).
            let Ok(group) = u16::try_from(f.group) else {
                break;
            };
            let (ident, _) = self
                .idents
                .intern_in(ident_space(tenant, f.kind), x.value(f));
            store.push(Occ {
                ident,
                group,
                weight: f.weight,
            });
        }
        let occ = OccRun {
            chunk,
            start,
            len: store.len() as u32 - start,
        };
        self.chunk_use[chunk as usize] += occ.len;
        let time = alert
            .created_date_time
            .or(alert.first_activity_date_time)
            .or(alert.last_update_date_time);
        let mut text = |t: Option<&str>| t.map_or(NO_TEXT, |t| self.texts.intern(t).0);
        let record = Record {
            title: text(Some(alert.title.as_deref().unwrap_or(""))),
            detector: text(alert.detector_id.as_deref()),
            incident: text(alert.incident_id.as_deref().filter(|s| !trim(s).is_empty())),
            time,
            severity: text(alert.severity.as_ref().map(AlertSeverity::as_str)),
            status: text(alert.status.as_ref().map(AlertStatus::as_str)),
            classification: text(
                alert
                    .classification
                    .as_ref()
                    .map(AlertClassification::as_str),
            ),
            provider: text(alert.service_source.as_ref().map(ServiceSource::as_str)),
            tenant,
            ended: alert.resolved_date_time.or(alert.last_update_date_time),
            occ,
            live: true,
        };
        if new {
            self.records.push(record);
        } else {
            let old = std::mem::replace(&mut self.records[slot as usize], record);
            self.release(old.occ);
        }
    }

    /// A record's identifiers.
    pub(crate) fn occ(&self, r: &Record) -> &[Occ] {
        let run = r.occ;
        &self.chunks[run.chunk as usize][run.start as usize..(run.start + run.len) as usize]
    }

    /// Identifiers no record uses any more (a replaced or removed version's): their chunk is
    /// freed once none of it is used.
    fn release(&mut self, run: OccRun) {
        let used = &mut self.chunk_use[run.chunk as usize];
        *used -= run.len;
        if *used == 0 && run.len > 0 {
            self.chunks[run.chunk as usize] = Vec::new();
        }
    }

    /// Forgets an alert (deleted, or out of the loaded range); false if it was not known.
    pub fn remove(&mut self, id: &AlertId) -> bool {
        match self.alert_ids.get(id.as_str()) {
            Some(slot) if self.records[slot as usize].live => {
                let r = &mut self.records[slot as usize];
                r.live = false;
                let run = std::mem::take(&mut r.occ);
                self.release(run);
                self.invalidate();
                true
            }
            _ => false,
        }
    }

    /// The number of alerts held.
    pub fn len(&self) -> usize {
        self.records.iter().filter(|r| r.live).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every cluster (singletons too), best first: see [`Cluster::score`].
    pub fn clusters(&self) -> Vec<Cluster> {
        let g = self.graph();
        let mut out: Vec<Cluster> = (0..g.cluster_count())
            .map(|c| cluster::build(self, &g, c))
            .collect();
        cluster::rank(&mut out);
        out
    }

    /// The number of clusters (singletons included), without building them.
    pub fn cluster_count(&self) -> usize {
        self.graph().cluster_count() as usize
    }

    /// The clusters as sets of alert ids only (each sorted, the list sorted), without the
    /// summaries: for quality reports and tests.
    pub fn partition(&self) -> Vec<Vec<AlertId>> {
        let g = self.graph();
        let sets = (0..g.cluster_count())
            .map(|c| {
                g.cluster_slots(c)
                    .iter()
                    .map(|&s| self.alert_id(s))
                    .collect()
            })
            .collect();
        super::quality::canonical(sets)
    }

    /// The cluster the alert is in, in full.
    pub fn cluster(&self, id: &AlertId) -> Option<Cluster> {
        let g = self.graph();
        let c = g.cluster_of(self.live_slot(id)?)?;
        Some(cluster::build(self, &g, c))
    }

    /// Every entity the alerts of the alert's cluster name, strongest first (weight, then
    /// alerts, then key), each counted over the cluster's alerts. On demand, for the cluster
    /// shown: [`clusters`](Self::clusters) leaves them out, because describing every entity of
    /// every cluster took more time than adding the alerts did.
    pub fn cluster_entities(&self, id: &AlertId) -> Vec<EntityRef> {
        let g = self.graph();
        let k = self.live_slot(id).and_then(|s| g.cluster_of(s));
        k.map_or_else(Vec::new, |k| cluster::entities(self, &g, k))
    }

    /// Which cluster the alert is in, in brief ("part of a 6-alert cluster across 4
    /// providers").
    pub fn cluster_of(&self, id: &AlertId) -> Option<Membership> {
        let g = self.graph();
        let c = g.cluster_of(self.live_slot(id)?)?;
        Some(cluster::membership(self, &g, c))
    }

    /// Entities named by too many alerts to link them, most alerts first; put-back ones
    /// included (with `included` set) so the view can offer to suppress them again.
    pub fn hubs(&self) -> Vec<Hub> {
        let g = self.graph();
        cluster::hubs(self, &g)
    }

    /// The entity pivot: every alert naming the entity that has the identifier `key`
    /// (`upn:jdoe@contoso.com`, any case; see [`super::entity_key`]), from any provider, oldest
    /// first. Neither the window nor hub suppression applies. Every tenant is searched.
    pub fn alerts_with(&self, key: &str) -> Vec<AlertId> {
        let g = self.graph();
        let mut slots = Vec::new();
        for e in self.entities_with(key, &g) {
            slots.extend_from_slice(g.entity_slots(e));
        }
        let records = &self.records;
        crate::sort::positions(&mut slots, &|a, b| {
            let (ra, rb) = (&records[a as usize], &records[b as usize]);
            ra.secs()
                .cmp(&rb.secs())
                .then_with(|| self.alert_ids.string(a).cmp(self.alert_ids.string(b)))
        });
        slots.dedup();
        slots.into_iter().map(|s| self.alert_id(s)).collect()
    }

    /// The entities (one per tenant at most) that carry the identifier `key`.
    pub(crate) fn entities_with(&self, key: &str, g: &Graph) -> Vec<u32> {
        self.idents_with(key)
            .into_iter()
            .filter_map(|i| g.entity_of_ident(i))
            .collect()
    }

    /// The interned identifiers (one per tenant at most) with the key `key`.
    pub(crate) fn idents_with(&self, key: &str) -> Vec<u32> {
        let Some((kind, value)) = parse_key(key) else {
            return Vec::new();
        };
        (0..self.tenants.len() as u32)
            .filter_map(|t| self.idents.get_in(ident_space(t, kind), &value))
            .collect()
    }

    /// The key (`tag:value`) of an interned identifier.
    pub(crate) fn ident_key(&self, ident: u32) -> String {
        let (tag, value) = (self.ident_kind(ident).tag(), self.ident_value(ident));
        let mut key = String::with_capacity(tag.len() + 1 + value.len());
        key.push_str(tag);
        key.push(':');
        key.push_str(value);
        key
    }

    /// Keys compared as [`ident_key`](Self::ident_key) would compare them, without building
    /// them.
    pub(crate) fn cmp_ident_keys(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let bytes = |i: u32| {
            let tag = self.ident_kind(i).tag().bytes();
            tag.chain([b':']).chain(self.ident_value(i).bytes())
        };
        bytes(a).cmp(bytes(b))
    }

    /// The value of an interned identifier.
    pub(crate) fn ident_value(&self, ident: u32) -> &str {
        self.idents.string(ident)
    }

    pub(crate) fn ident_kind(&self, ident: u32) -> IdKind {
        IdKind::ALL[(self.idents.space(ident) & KIND_MASK) as usize]
    }

    pub(crate) fn ident_tenant(&self, ident: u32) -> u32 {
        self.idents.space(ident) >> KIND_BITS
    }

    /// One alert as the views show it (`None` if not held).
    pub fn info(&self, id: &AlertId) -> Option<AlertInfo> {
        let slot = self.live_slot(id)?;
        Some(self.info_of(slot))
    }

    /// The alert in slot `slot` as the views show it.
    pub(crate) fn info_of(&self, slot: u32) -> AlertInfo {
        let r = &self.records[slot as usize];
        let text = |t: u32| (t != NO_TEXT).then(|| self.texts.string(t).to_owned());
        AlertInfo {
            id: self.alert_id(slot),
            title: text(r.title).unwrap_or_default(),
            detector_id: text(r.detector),
            time: r.time,
            severity: self.text_of(r.severity).map(AlertSeverity::parse),
            status: self.status_of(r),
            classification: self.classification_of(r),
            provider: self.provider_of(r),
            incident_id: text(r.incident),
            tenant_id: Some(self.tenants.string(r.tenant).to_owned()).filter(|t| !t.is_empty()),
        }
    }

    fn text_of(&self, t: u32) -> Option<&str> {
        (t != NO_TEXT).then(|| self.texts.string(t))
    }

    pub(crate) fn status_of(&self, r: &Record) -> Option<AlertStatus> {
        self.text_of(r.status).map(AlertStatus::parse)
    }

    pub(crate) fn classification_of(&self, r: &Record) -> Option<AlertClassification> {
        self.text_of(r.classification)
            .map(AlertClassification::parse)
    }

    pub(crate) fn provider_of(&self, r: &Record) -> Option<ServiceSource> {
        self.text_of(r.provider).map(ServiceSource::parse)
    }

    /// The id of the alert in slot `slot`.
    pub(crate) fn alert_id(&self, slot: u32) -> AlertId {
        AlertId::new(self.alert_ids.string(slot))
    }

    /// The incident id of the alert in slot `slot`, if it has one.
    pub(crate) fn incident_of(&self, slot: u32) -> Option<&str> {
        let t = self.records[slot as usize].incident;
        (t != NO_TEXT).then(|| self.texts.string(t))
    }

    /// The entities an alert names, strongest first (weight, then key), each counted over
    /// every alert held: what a view links to the entity pivot.
    pub fn alert_entities(&self, id: &AlertId) -> Vec<EntityRef> {
        let Some(slot) = self.live_slot(id) else {
            return Vec::new();
        };
        let g = self.graph();
        let mut out: Vec<EntityRef> = g
            .slot_entities(slot)
            .iter()
            .map(|&(e, w)| cluster::entity_ref(self, &g, e, g.entities[e as usize].alerts, w))
            .collect();
        crate::sort::by(&mut out, |a, b| {
            b.weight.cmp(&a.weight).then_with(|| a.key.cmp(&b.key))
        });
        out.dedup_by(|a, b| a.key == b.key);
        out
    }

    /// The entity that has the identifier `key`, once per tenant that has it (with the tenant
    /// id), known by every identifier and counted over every alert held.
    pub fn entity(&self, key: &str) -> Vec<(Option<String>, EntityRef)> {
        let g = self.graph();
        self.entities_with(key, &g)
            .into_iter()
            .map(|e| {
                let node = &g.entities[e as usize];
                let tenant =
                    Some(self.tenants.string(node.tenant).to_owned()).filter(|t| !t.is_empty());
                (tenant, cluster::entity_ref(self, &g, e, node.alerts, 0))
            })
            .collect()
    }

    /// Triage advice for the alerts `subject` (one alert, or a cluster's) from the other alerts
    /// held: those with the same title or detector that name one of the subject's entities
    /// (hubs included: a shared account's verdicts are what an analyst has judged before).
    /// [`advice::advice`] answers the same over a list of alerts.
    pub fn advice(&self, subject: &[AlertId], now: DateTime) -> Advice {
        let g = self.graph();
        let mut mine: Vec<u32> = subject.iter().filter_map(|id| self.live_slot(id)).collect();
        crate::sort::positions(&mut mine, &|a, b| a.cmp(&b));
        mine.dedup();
        let (mut titles, mut detectors) = (Vec::new(), Vec::new());
        let mut candidates: Vec<u32> = Vec::new();
        let text = |t: u32| (t != NO_TEXT).then(|| self.texts.string(t));
        for &s in &mine {
            let r = &self.records[s as usize];
            titles.extend(text(r.title).and_then(advice::title_text));
            detectors.extend(text(r.detector).map(str::trim).filter(|d| !d.is_empty()));
            for &(e, _) in g.slot_entities(s) {
                candidates.extend_from_slice(g.entity_slots(e));
            }
        }
        crate::sort::positions(&mut candidates, &|a, b| a.cmp(&b));
        candidates.dedup();
        let mut similar = 0;
        let mut outcomes: Vec<Outcome> = Vec::new();
        for s in candidates {
            if mine.binary_search(&s).is_ok() {
                continue;
            }
            let r = &self.records[s as usize];
            let same = text(r.title)
                .and_then(advice::title_text)
                .is_some_and(|t| titles.contains(&t))
                || text(r.detector).is_some_and(|d| detectors.contains(&d.trim()));
            if same {
                similar += 1;
                outcomes.push((self.classification_of(r), self.status_of(r), r.ended));
            }
        }
        advice::tally(similar, outcomes, now)
    }

    fn live_slot(&self, id: &AlertId) -> Option<u32> {
        self.alert_ids
            .get(id.as_str())
            .filter(|&s| self.records[s as usize].live)
    }

    /// The alerts changed: the next question builds the graph anew.
    fn invalidate(&mut self) {
        *self.graph.get_mut() = None;
    }

    /// The linking pass's result, computed now if anything changed since the last one: all
    /// of it after a change to the alerts, the settings' part after a change to the settings
    /// alone (a hub put back, another window): 100,000 synthetic alerts in 72 ms against 122 ms
    /// for the whole pass, and 544 ms for adding them anew (tests/correlate_bench.rs in
    /// Chromium, 2026-12-04).
    ///
    /// Borrowed mutably only to compute, which follows a change through `&mut self`, so no
    /// earlier answer can still be borrowed then.
    pub(crate) fn graph(&self) -> Ref<'_, Graph> {
        if self.graph.borrow().is_none() || self.relink.get() {
            let mut graph = self.graph.borrow_mut();
            match graph.as_mut() {
                Some(g) => g.relink(self),
                None => *graph = Some(Graph::build(self)),
            }
            self.relink.set(false);
        }
        Ref::map(self.graph.borrow(), |g| g.as_ref().expect("just built"))
    }
}

impl Default for Correlator {
    fn default() -> Self {
        Correlator::new(Settings::default())
    }
}

const KIND_BITS: u32 = 5;
const KIND_MASK: u32 = (1 << KIND_BITS) - 1;
const _: () = assert!(IdKind::ALL.len() <= 1 << KIND_BITS);

/// The interner namespace of an identifier: its tenant's number and its kind, so that one
/// value names different things in different tenants and kinds.
fn ident_space(tenant: u32, kind: IdKind) -> u32 {
    assert!(tenant < 1 << (32 - KIND_BITS), "fewer than 2^27 tenants");
    tenant << KIND_BITS | kind as u32
}

/// No value (in [`Record`]'s text fields).
const NO_TEXT: u32 = u32::MAX;

/// The current version of one alert: what the views show of it, compactly (its id is its slot
/// in `alert_ids`, its texts numbers in `texts`), and its identifiers.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub title: u32,
    pub detector: u32,
    pub incident: u32,
    /// Created, else first activity, else last update.
    pub time: Option<DateTime>,
    /// The open enums by their wire spelling in `texts` (`NO_TEXT` when absent): a number
    /// instead of an enum that can carry a string.
    pub severity: u32,
    pub status: u32,
    pub classification: u32,
    pub provider: u32,
    pub tenant: u32,
    /// When it was resolved, else last updated (for triage advice).
    pub ended: Option<DateTime>,
    /// Where its identifiers are in the correlator's store ([`Correlator::occ`]); those with
    /// the same `group` name one entity.
    pub occ: OccRun,
    /// False once removed.
    pub live: bool,
}

impl Record {
    /// Its time in whole seconds (the linking pass's unit).
    pub fn secs(&self) -> Option<i64> {
        self.time.map(|t| t.unix_seconds())
    }
}

/// A record's identifiers: a run of one chunk of the correlator's store.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct OccRun {
    chunk: u32,
    start: u32,
    len: u32,
}

/// One identifier named by an alert.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Occ {
    pub ident: u32,
    /// Which of its alert's entities it names: 8 bytes a name instead of 12 (about ten names
    /// an alert).
    pub group: u16,
    pub weight: u8,
}
