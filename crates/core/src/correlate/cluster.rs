//! What a cluster says about itself: its alerts as a timeline, its entities, the reasons its
//! alerts were joined, the Defender incidents it touches, and a score that ranks
//! cross-provider, high-severity, recent, open clusters first.

use std::cmp::Ordering;

use super::engine::Correlator;
use super::graph::{Graph, radix_sort};
use super::identity::EntityKind;
use crate::models::{
    AlertClassification, AlertId, AlertSeverity, AlertStatus, DateTime, ServiceSource,
};

/// One alert of a cluster, as its timeline shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertInfo {
    pub id: AlertId,
    pub title: String,
    pub detector_id: Option<String>,
    /// Created, else first activity, else last update.
    pub time: Option<DateTime>,
    pub severity: Option<AlertSeverity>,
    pub status: Option<AlertStatus>,
    pub classification: Option<AlertClassification>,
    pub provider: Option<ServiceSource>,
    pub incident_id: Option<String>,
    pub tenant_id: Option<String>,
}

/// An entity as a view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRef {
    /// The key of its best identifier (`upn:jdoe@contoso.com`): pivot with
    /// [`Correlator::alerts_with`], put a hub back with [`Correlator::include_hub`].
    pub key: String,
    pub kind: EntityKind,
    /// The best identifier's value (a UPN before an object id, a DNS name before a device id).
    pub label: String,
    /// Every identifier key it is known by, sorted.
    pub identifiers: Vec<String>,
    /// Alerts naming it (in the cluster, for a cluster's entities).
    pub alerts: u32,
    /// The largest weight an alert gives it (1 to 12).
    pub weight: u8,
    /// A suppressed hub (it links nothing).
    pub hub: bool,
}

/// Why alerts were joined: an entity they share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub key: String,
    pub kind: EntityKind,
    pub label: String,
    /// Alerts it linked.
    pub alerts: u32,
    /// The link's strength: the smaller of the two largest weights among those alerts.
    pub weight: u8,
}

impl Reason {
    /// "same user jdoe@contoso.com (3 alerts)".
    pub fn text(&self) -> String {
        format!(
            "{} {} ({} alerts)",
            self.kind.reason(),
            self.label,
            self.alerts
        )
    }
}

/// Alerts per status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusMix {
    pub new: u32,
    pub in_progress: u32,
    pub resolved: u32,
    /// Unknown or unset.
    pub other: u32,
}

impl StatusMix {
    /// Alerts not resolved.
    pub fn open(&self) -> u32 {
        self.new + self.in_progress + self.other
    }
}

/// Alerts linked through shared entities.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Its smallest alert id: a stable name for a URL.
    pub key: AlertId,
    pub tenant_id: Option<String>,
    /// Oldest first (then by id).
    pub alerts: Vec<AlertInfo>,
    /// Distinct providers (service sources), by name.
    pub providers: Vec<ServiceSource>,
    pub first: Option<DateTime>,
    pub last: Option<DateTime>,
    pub severity: Option<AlertSeverity>,
    pub status: StatusMix,
    /// See [`score`].
    pub score: u32,
    /// The entities that joined its alerts, strongest first.
    pub reasons: Vec<Reason>,
    /// Defender incidents its alerts belong to, sorted.
    pub incidents: Vec<String>,
}

impl Cluster {
    /// Whether it joins several incidents ("these 3 incidents look like one attack").
    pub fn joins_incidents(&self) -> bool {
        self.incidents.len() > 1
    }

    /// "6 alerts across 4 providers" (or "1 alert from 1 provider").
    pub fn summary(&self) -> String {
        counted(self.alerts.len() as u32, self.providers.len() as u32)
    }

    /// "These 3 incidents look like one attack", when it joins several.
    pub fn incidents_sentence(&self) -> Option<String> {
        self.joins_incidents().then(|| {
            format!(
                "These {} incidents look like one attack",
                self.incidents.len()
            )
        })
    }
}

/// Which cluster an alert is in, in brief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The cluster's [`Cluster::key`].
    pub key: AlertId,
    pub alerts: u32,
    pub providers: u32,
    pub incidents: u32,
}

impl Membership {
    /// "part of a 6-alert cluster across 4 providers", or `None` for an alert on its own.
    pub fn summary(&self) -> Option<String> {
        (self.alerts > 1).then(|| {
            format!(
                "part of a {}-alert cluster across {} provider{}",
                self.alerts,
                self.providers,
                if self.providers == 1 { "" } else { "s" }
            )
        })
    }
}

/// An entity too common to link alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hub {
    pub entity: EntityRef,
    pub tenant_id: Option<String>,
    /// Alerts naming it with weight to link through it (see [`Settings::min_link_weight`]),
    /// and alerts in its tenant.
    ///
    /// [`Settings::min_link_weight`]: super::Settings::min_link_weight
    pub alerts: u32,
    pub tenant_alerts: u32,
    /// Put back by the analyst: it links again.
    pub included: bool,
}

impl Hub {
    /// Its share of the tenant's alerts in whole percent (rounded down).
    pub fn percent(&self) -> u32 {
        (u64::from(self.alerts) * 100 / u64::from(self.tenant_alerts.max(1))) as u32
    }
}

/// The ranking score, in points (no floats, so it orders the same everywhere):
///
/// - 40 per provider beyond the first (at most 4 more): cross-provider clusters are the ones
///   no single product's queue shows;
/// - highest severity: high 40, medium 25, low 10;
/// - recency of its last alert against the newest alert held: 40 within a day, 30 within 3
///   days, 20 within a week, 10 within 30 days;
/// - 30 times its open (unresolved) share;
/// - 2 per alert beyond the first (at most 10 more);
/// - 2 per point of its strongest reason's weight (1 to 12);
/// - 10 if it joins several incidents;
/// - 40 times its cohesion: the share of its alerts joined by one indicator (an IP, a file,
///   a URL, ... but not a user or a device). An attack reuses its infrastructure across its
///   steps; alerts chained one to the next through a different entity each time do not;
/// - compactness, from its first alert to its last: 40 within 12 hours, 25 within a day, 10
///   within 3 days, and 40 taken off beyond a week. An attack's steps across providers come
///   in a burst; alerts chained over weeks, one link at a time, are several stories at best.
pub fn score(c: &Cluster, newest: Option<i64>) -> u32 {
    let providers = (c.providers.len() as u32).saturating_sub(1).min(4) * 40;
    let severity = c.severity.as_ref().map_or(0, |s| match s {
        AlertSeverity::High => 40,
        AlertSeverity::Medium => 25,
        AlertSeverity::Low => 10,
        _ => 0,
    });
    let recency = match (newest, c.last) {
        (Some(n), Some(l)) => match (n - l.unix_seconds()) / 3600 {
            h if h <= 24 => 40,
            h if h <= 72 => 30,
            h if h <= 168 => 20,
            h if h <= 720 => 10,
            _ => 0,
        },
        _ => 0,
    };
    let total = c.alerts.len().max(1) as u32;
    let open = 30 * c.status.open() / total;
    let size = (total - 1).min(10) * 2;
    let strength = c
        .reasons
        .iter()
        .map(|r| u32::from(r.weight))
        .max()
        .unwrap_or(0)
        * 2;
    let incidents = if c.joins_incidents() { 10 } else { 0 };
    let shared = c
        .reasons
        .iter()
        .filter(|r| !matches!(r.kind, EntityKind::User | EntityKind::Device))
        .map(|r| r.alerts)
        .max()
        .unwrap_or(0);
    let cohesion = 40 * shared.min(total) / total;
    let (compact, sprawl) = match (c.first, c.last) {
        (Some(f), Some(l)) => match (l.unix_seconds() - f.unix_seconds()) / 3600 {
            h if h < 12 => (40, 0),
            h if h < 24 => (25, 0),
            h if h < 72 => (10, 0),
            h if h <= 168 => (0, 0),
            _ => (0, 40),
        },
        _ => (0, 0),
    };
    (providers + severity + recency + open + size + strength + incidents + cohesion + compact)
        .saturating_sub(sprawl)
}

/// Best first: score, then newest last alert, then key.
pub(crate) fn rank(clusters: &mut Vec<Cluster>) {
    crate::sort::by(clusters, |a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| b.last.cmp(&a.last))
            .then_with(|| a.key.cmp(&b.key))
    });
}

fn severity_rank(s: &Option<AlertSeverity>) -> u8 {
    match s {
        Some(AlertSeverity::High) => 4,
        Some(AlertSeverity::Medium) => 3,
        Some(AlertSeverity::Low) => 2,
        Some(AlertSeverity::Informational) => 1,
        _ => 0,
    }
}

fn counted(alerts: u32, providers: u32) -> String {
    format!(
        "{alerts} alert{} {} {providers} provider{}",
        if alerts == 1 { "" } else { "s" },
        if providers > 1 { "across" } else { "from" },
        if providers == 1 { "" } else { "s" }
    )
}

/// Cluster number `k` of the graph, summarised.
pub(crate) fn build(c: &Correlator, g: &Graph, k: u32) -> Cluster {
    let slots = g.cluster_slots(k);
    let mut alerts: Vec<AlertInfo> = slots.iter().map(|&s| c.info_of(s)).collect();
    // The slots come in time order; only alerts of the same time may need their ids ordered.
    let in_order = |a: &AlertInfo, b: &AlertInfo| a.time.cmp(&b.time).then_with(|| a.id.cmp(&b.id));
    if alerts.windows(2).any(|w| in_order(&w[0], &w[1]).is_gt()) {
        crate::sort::by(&mut alerts, in_order);
    }
    let key = alerts
        .iter()
        .map(|a| &a.id)
        .min()
        .cloned()
        .unwrap_or_default();
    let mut status = StatusMix::default();
    for a in &alerts {
        match a.status {
            Some(AlertStatus::New) => status.new += 1,
            Some(AlertStatus::InProgress) => status.in_progress += 1,
            Some(AlertStatus::Resolved) => status.resolved += 1,
            _ => status.other += 1,
        }
    }
    let severity = alerts
        .iter()
        .map(|a| &a.severity)
        .max_by_key(|s| severity_rank(s))
        .cloned()
        .flatten();
    let mut cluster = Cluster {
        key,
        tenant_id: alerts.first().and_then(|a| a.tenant_id.clone()),
        providers: distinct(alerts.iter().filter_map(|a| a.provider.clone()).collect()),
        first: alerts.iter().filter_map(|a| a.time).min(),
        last: alerts.iter().filter_map(|a| a.time).max(),
        severity,
        status,
        score: 0,
        reasons: reasons(c, g, k),
        incidents: distinct_strings(
            alerts
                .iter()
                .filter_map(|a| a.incident_id.clone())
                .collect(),
        ),
        alerts,
    };
    cluster.score = score(&cluster, g.newest);
    cluster
}

/// Cluster number `k`, in brief.
pub(crate) fn membership(c: &Correlator, g: &Graph, k: u32) -> Membership {
    let slots = g.cluster_slots(k);
    let records = || slots.iter().map(|&s| &c.records[s as usize]);
    let providers = distinct(records().filter_map(|r| c.provider_of(r)).collect());
    let incidents = distinct_strings(
        slots
            .iter()
            .filter_map(|&s| c.incident_of(s).map(str::to_owned))
            .collect(),
    );
    Membership {
        key: slots
            .iter()
            .map(|&s| c.alert_ids.string(s))
            .min()
            .map(AlertId::new)
            .unwrap_or_default(),
        alerts: slots.len() as u32,
        providers: providers.len() as u32,
        incidents: incidents.len() as u32,
    }
}

/// Every hub, most alerts first.
pub(crate) fn hubs(c: &Correlator, g: &Graph) -> Vec<Hub> {
    let mut out: Vec<Hub> = g
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.hub)
        .map(|(i, e)| Hub {
            entity: entity_ref(c, g, i as u32, e.alerts, 0),
            tenant_id: Some(c.tenants.string(e.tenant).to_owned()).filter(|t| !t.is_empty()),
            alerts: e.linkable,
            tenant_alerts: g.tenant_alerts[e.tenant as usize],
            included: e.included,
        })
        .collect();
    crate::sort::by(&mut out, |a, b| {
        b.alerts
            .cmp(&a.alerts)
            .then_with(|| a.entity.key.cmp(&b.entity.key))
            .then_with(|| a.tenant_id.cmp(&b.tenant_id))
    });
    out
}

/// An entity as shown: labelled by its best identifier, with all its keys.
pub(crate) fn entity_ref(c: &Correlator, g: &Graph, e: u32, alerts: u32, weight: u8) -> EntityRef {
    let node = &g.entities[e as usize];
    let best = g
        .entity_idents(e)
        .iter()
        .copied()
        .min_by(|&a, &b| {
            let rank = |i: u32| c.ident_kind(i).label_rank();
            rank(a).cmp(&rank(b)).then_with(|| c.cmp_ident_keys(a, b))
        })
        .expect("an entity has an identifier");
    let mut identifiers: Vec<String> = g.entity_idents(e).iter().map(|&i| c.ident_key(i)).collect();
    identifiers = distinct_strings(identifiers);
    EntityRef {
        key: c.ident_key(best),
        kind: node.kind,
        label: c.ident_value(best).to_owned(),
        identifiers,
        alerts,
        weight,
        hub: node.hub && !node.included,
    }
}

/// Every entity the alerts of cluster `k` name, with their count and largest weight there,
/// strongest first (weight, then alerts, then key).
pub(crate) fn entities(c: &Correlator, g: &Graph, k: u32) -> Vec<EntityRef> {
    let slots = g.cluster_slots(k);
    // (entity, weight) pairs, grouped by entity with the graph's radix sort: a comparison sort
    // of a large cluster's pairs through a dynamic comparator took most of `clusters()`.
    let mut pairs: Vec<(u64, u32)> = Vec::new();
    for &s in slots {
        for &(e, w) in g.slot_entities(s) {
            pairs.push((u64::from(e), u32::from(w)));
        }
    }
    radix_sort(&mut pairs);
    let mut out: Vec<EntityRef> = Vec::new();
    for run in pairs.chunk_by(|a, b| a.0 == b.0) {
        let w = run.iter().map(|p| p.1).max().unwrap_or(0);
        out.push(entity_ref(c, g, run[0].0 as u32, run.len() as u32, w as u8));
    }
    crate::sort::by(&mut out, |a, b| {
        b.weight
            .cmp(&a.weight)
            .then_with(|| b.alerts.cmp(&a.alerts))
            .then_with(|| a.key.cmp(&b.key))
    });
    out
}

fn reasons(c: &Correlator, g: &Graph, k: u32) -> Vec<Reason> {
    let mut out: Vec<Reason> = g
        .cluster_reasons(k)
        .iter()
        .map(|l| {
            let r = entity_ref(c, g, l.entity, l.alerts, l.weight);
            Reason {
                key: r.key,
                kind: r.kind,
                label: r.label,
                alerts: l.alerts,
                weight: l.weight,
            }
        })
        .collect();
    crate::sort::by(&mut out, |a, b| {
        b.weight
            .cmp(&a.weight)
            .then_with(|| b.alerts.cmp(&a.alerts))
            .then_with(|| a.key.cmp(&b.key))
    });
    out
}

fn distinct(mut v: Vec<ServiceSource>) -> Vec<ServiceSource> {
    crate::sort::by(&mut v, |a, b| a.as_str().cmp(b.as_str()));
    v.dedup();
    v
}

pub(crate) fn distinct_strings(mut v: Vec<String>) -> Vec<String> {
    crate::sort::by(&mut v, |a: &String, b: &String| -> Ordering { a.cmp(b) });
    v.dedup();
    v
}
