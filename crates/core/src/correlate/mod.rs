//! Alert correlation: alerts from every provider joined into clusters through the entities
//! their evidence shares (same user, same device, same file, ...), so that an analyst sees
//! one attack instead of ten alerts.
//!
//! Pure logic over decoded [`Alert`](crate::models::Alert)s, with no clock, threads or float
//! formatting, because the app runs it in the browser:
//!
//! - [`normalize`]: one canonical spelling per identifier (case, `domain\account`, URLs, IPs).
//! - [`identity`]: the identifiers each evidence kind carries, grouped into entities and
//!   weighted by the evidence's roles and verdict.
//! - [`intern`]: the interner and union-find everything is numbered through.
//! - [`engine`]: [`Correlator`], fed alerts page by page or as live-refresh deltas.
//! - `graph`: the linking pass (entities, hubs, the time window, components).
//! - [`cluster`]: what a cluster says about itself ([`Cluster`], its score and reasons).
//! - [`advice`]: how alerts like these were classified before.
//! - [`bundle`]: a cluster as a Markdown or JSON case file.
//! - [`quality`]: the naive baseline and pairwise precision/recall against ground truth.
//! - [`view`]: the correlation page's state and its URL form.
//!
//! ```text
//! let mut c = Correlator::new(Settings::default());
//! c.add(&page.items);                      // each page, and each live-refresh delta
//! for cl in c.clusters() { show(cl.summary(), cl.reasons, cl.score) }
//! for hub in c.hubs() { offer_put_back(hub.key, hub.alerts, hub.percent()) }
//! c.include_hub(&hub.key);                 // the analyst puts one back
//! c.cluster_of(&alert.id).map(|m| m.summary()); // "part of a 6-alert cluster across 4 providers"
//! c.alerts_with("upn:jdoe@contoso.com");  // the entity pivot, in time order
//! ```

pub mod advice;
pub mod bundle;
pub mod cluster;
pub mod engine;
mod graph;
pub mod identity;
pub mod intern;
mod ip;
pub mod normalize;
pub mod quality;
pub mod view;

pub use advice::{Advice, advice};
pub use bundle::{case_json, case_markdown};
pub use cluster::{AlertInfo, Cluster, EntityRef, Hub, Membership, Reason, StatusMix};
pub use engine::Correlator;
pub use identity::{EntityKind, IdKind};
pub use quality::{
    PrecisionRecall, naive_clusters, pairwise_precision_recall, story_precision_recall,
};
pub use view::CorrelationView;

/// The knobs of correlation, all plain integers (and identifier keys) so that a view can keep
/// them in its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Two alerts link through an entity only if their times are at most this many hours
    /// apart; 0 means no limit.
    pub window_hours: u32,
    /// An entity named by more than this percent of its tenant's alerts is a hub (a
    /// scanner's IP, the CEO's mailbox, a domain controller) and links nothing; 0 turns hub
    /// suppression off.
    pub hub_percent: u32,
    /// ...and by at least this many alerts, so that small sets have no hubs.
    pub hub_min_alerts: u32,
    /// An alert links through an entity only if its evidence weighs at least this much for
    /// it (0 to 12, see [`identity::weight`]); 1 links everything but context (clean
    /// infrastructure), 0 links context too.
    pub min_link_weight: u32,
    /// Hubs the analyst put back, by the key of any of their identifiers
    /// (`upn:jdoe@contoso.com`).
    pub included_hubs: Vec<String>,
    /// A user or a device alone links nothing: two alerts linked through one must share a
    /// second entity too (any other that links: not a hub, not context). A person's or a
    /// machine's unrelated alerts of the same days stay apart, and so do alerts chained
    /// through them over weeks; indicators (IPs, URLs, domains, files, senders, messages,
    /// ...) link on their own.
    pub corroborate: bool,
    /// With `corroborate`, a user or a device links two alerts only if they are at most this
    /// many hours apart (0: the window). People and their machines turn up in their unrelated
    /// alerts all week; an attack moves through them in hours.
    pub person_window_hours: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            window_hours: 72,
            hub_percent: 5,
            hub_min_alerts: 20,
            min_link_weight: 1,
            included_hubs: Vec::new(),
            corroborate: true,
            person_window_hours: 12,
        }
    }
}

impl Settings {
    /// Plain connected components: no window, no hubs, every link counts.
    pub fn naive() -> Self {
        Settings {
            window_hours: 0,
            hub_percent: 0,
            hub_min_alerts: 0,
            min_link_weight: 0,
            included_hubs: Vec::new(),
            corroborate: false,
            person_window_hours: 0,
        }
    }
}

/// The key (`tag:value`, e.g. `upn:jdoe@contoso.com`) of an identifier as shown in the app,
/// normalised, or `None` if `raw` is no such identifier. Views pivot with it through
/// [`Correlator::alerts_with`].
pub fn entity_key(kind: IdKind, raw: &str) -> Option<String> {
    let mut out = String::from(kind.tag());
    out.push(':');
    kind.normalize(&mut out, raw).then_some(out)
}

/// A key as written by [`entity_key`] (or by hand, in any case), normalised.
pub fn parse_key(key: &str) -> Option<(IdKind, String)> {
    let (tag, value) = key.split_once(':')?;
    let kind = IdKind::from_tag(tag.trim())?;
    let mut out = String::new();
    kind.normalize(&mut out, value).then_some((kind, out))
}
