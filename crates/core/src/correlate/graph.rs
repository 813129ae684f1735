//! The linking pass: identifiers into entities, entities into hubs or links, alerts into
//! clusters. Everything is `u32` arrays; the only sort is the alerts by time, once.
//!
//! Order independence: entities and clusters are union-find components, which depend only on
//! the pairs joined; per entity, alerts are linked to their time neighbour when within the
//! window, and "linked to a neighbour within the window" connects exactly the alerts that
//! "any two within the window" would (a gap larger than the window splits both the same way),
//! whatever order equal times come in.

use super::engine::Correlator;
use super::identity::EntityKind;
use super::intern::UnionFind;

const NONE: u32 = u32::MAX;
/// No time (in [`Graph::secs`]).
const NO_TIME: i64 = i64::MIN;

/// One entity: every identifier known to name the same thing in one tenant.
#[derive(Debug, Clone)]
pub(crate) struct EntityNode {
    pub kind: EntityKind,
    pub tenant: u32,
    /// Alerts naming it.
    pub alerts: u32,
    /// Alerts naming it with enough weight to link through it (not as mere context).
    pub linkable: u32,
    pub hub: bool,
    /// A hub the analyst put back.
    pub included: bool,
    /// Alerts it linked to another alert.
    pub linked: u32,
    /// The strength of its links: the smaller of the two largest weights among linked alerts.
    pub link_weight: u8,
}

/// What one entity did inside one cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Linked {
    pub entity: u32,
    /// The cluster's alerts it linked.
    pub alerts: u32,
    /// The link's strength: the smaller of the two largest weights among those alerts.
    pub weight: u8,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    entity_of_ident: Vec<u32>,
    pub entities: Vec<EntityNode>,
    /// Per entity, its identifiers in number order (CSR).
    ident_start: Vec<u32>,
    idents: Vec<u32>,
    /// Per alert slot, its time in seconds or `NO_TIME` (a compact copy of the records' for
    /// the linking pass: 8 bytes a slot where `Option<i64>` takes 16).
    secs: Vec<i64>,
    /// Live slots, oldest first.
    order: Vec<u32>,
    /// Per alert slot, its entities and the weight it gives each (CSR).
    slot_start: Vec<u32>,
    slot_ents: Vec<(u32, u8)>,
    /// Per entity, the slots naming it in time order, with their weights (CSR).
    ent_start: Vec<u32>,
    ent_slots: Vec<u32>,
    ent_weights: Vec<u8>,
    /// Whether that alert was linked through the entity.
    ent_linked: Vec<bool>,
    cluster_of_slot: Vec<u32>,
    /// Per cluster, its slots in time order (CSR).
    clu_start: Vec<u32>,
    clu_slots: Vec<u32>,
    /// Per cluster, the entities that linked its alerts (CSR).
    reason_start: Vec<u32>,
    reason_ents: Vec<Linked>,
    /// The newest alert time, the data's own "now" for recency.
    pub newest: Option<i64>,
    /// Live alerts per tenant number.
    pub tenant_alerts: Vec<u32>,
}

impl Graph {
    pub fn entity_of_ident(&self, ident: u32) -> Option<u32> {
        self.entity_of_ident
            .get(ident as usize)
            .copied()
            .filter(|&e| e != NONE)
    }

    pub fn entity_idents(&self, e: u32) -> &[u32] {
        let e = e as usize;
        &self.idents[self.ident_start[e] as usize..self.ident_start[e + 1] as usize]
    }

    pub fn slot_entities(&self, slot: u32) -> &[(u32, u8)] {
        let s = slot as usize;
        &self.slot_ents[self.slot_start[s] as usize..self.slot_start[s + 1] as usize]
    }

    pub fn entity_slots(&self, e: u32) -> &[u32] {
        let e = e as usize;
        &self.ent_slots[self.ent_start[e] as usize..self.ent_start[e + 1] as usize]
    }

    pub fn cluster_of(&self, slot: u32) -> Option<u32> {
        self.cluster_of_slot
            .get(slot as usize)
            .copied()
            .filter(|&c| c != NONE)
    }

    pub fn cluster_count(&self) -> u32 {
        (self.clu_start.len().max(1) - 1) as u32
    }

    pub fn cluster_slots(&self, c: u32) -> &[u32] {
        let c = c as usize;
        &self.clu_slots[self.clu_start[c] as usize..self.clu_start[c + 1] as usize]
    }

    pub fn cluster_reasons(&self, c: u32) -> &[Linked] {
        let c = c as usize;
        &self.reason_ents[self.reason_start[c] as usize..self.reason_start[c + 1] as usize]
    }

    /// The whole pass: what depends on the alerts alone (entities and the lists between them
    /// and the alerts), then [`Graph::relink`].
    pub fn build(c: &Correlator) -> Graph {
        let mut g = Graph::default();
        g.entities(c);
        g.slot_lists(c);
        g.order = g.time_order(c);
        g.entity_lists();
        g.relink(c);
        g
    }

    /// What depends on the settings too (hubs, links, clusters, reasons), redone alone when
    /// only the settings changed: the alerts' entities and lists are kept.
    pub fn relink(&mut self, c: &Correlator) {
        for e in &mut self.entities {
            (e.linkable, e.hub, e.included, e.linked, e.link_weight) = (0, false, false, 0, 0);
        }
        self.hubs(c);
        let mut uf = self.link(c);
        let order = std::mem::take(&mut self.order);
        self.clusters(c, &order, &mut uf);
        self.order = order;
        self.reasons();
    }

    /// Identifiers named in one group, anywhere, are one entity.
    fn entities(&mut self, c: &Correlator) {
        let n = c.idents.len();
        let mut uf = UnionFind::new(n);
        let mut used = vec![false; n];
        for r in c.records.iter().filter(|r| r.live) {
            let occ = c.occ(r);
            for w in occ.windows(2) {
                if w[0].group == w[1].group {
                    uf.union(w[0].ident, w[1].ident);
                }
            }
            for o in occ {
                used[o.ident as usize] = true;
            }
        }
        self.entity_of_ident = vec![NONE; n];
        for i in 0..n as u32 {
            if !used[i as usize] {
                continue;
            }
            // The root is the smallest member, so it was seen first.
            let root = uf.find(i) as usize;
            if self.entity_of_ident[root] == NONE {
                self.entity_of_ident[root] = self.entities.len() as u32;
                self.entities.push(EntityNode {
                    kind: c.ident_kind(root as u32).entity(),
                    tenant: c.ident_tenant(root as u32),
                    alerts: 0,
                    linkable: 0,
                    hub: false,
                    included: false,
                    linked: 0,
                    link_weight: 0,
                });
            }
            self.entity_of_ident[i as usize] = self.entity_of_ident[root];
        }
        // Identifiers per entity, by a counting sort of the identifier numbers.
        let mut sizes = vec![0u32; self.entities.len()];
        for &e in self.entity_of_ident.iter().filter(|&&e| e != NONE) {
            sizes[e as usize] += 1;
        }
        self.ident_start = prefix(&sizes);
        let mut fill = self.ident_start[..sizes.len()].to_vec();
        self.idents = vec![0; self.ident_start[sizes.len()] as usize];
        for (i, &e) in self.entity_of_ident.iter().enumerate() {
            if e != NONE {
                self.idents[fill[e as usize] as usize] = i as u32;
                fill[e as usize] += 1;
            }
        }
    }

    /// Each alert's distinct entities, with the largest weight it gives each.
    fn slot_lists(&mut self, c: &Correlator) {
        self.slot_start = Vec::with_capacity(c.records.len() + 1);
        self.secs = Vec::with_capacity(c.records.len());
        self.tenant_alerts = vec![0; c.tenants.len()];
        for r in &c.records {
            self.slot_start.push(self.slot_ents.len() as u32);
            let secs = r.secs();
            self.secs.push(secs.unwrap_or(NO_TIME));
            if !r.live {
                continue;
            }
            self.tenant_alerts[r.tenant as usize] += 1;
            self.newest = self.newest.max(secs);
            let start = self.slot_ents.len();
            for o in c.occ(r) {
                let e = self.entity_of_ident[o.ident as usize];
                match self.slot_ents[start..].iter_mut().find(|(x, _)| *x == e) {
                    Some((_, w)) => *w = (*w).max(o.weight),
                    None => self.slot_ents.push((e, o.weight)),
                }
            }
            for &(e, _) in &self.slot_ents[start..] {
                self.entities[e as usize].alerts += 1;
            }
        }
        self.slot_start.push(self.slot_ents.len() as u32);
    }

    /// Per entity, the alerts naming it, oldest first (a counting sort over the time order).
    fn entity_lists(&mut self) {
        self.ent_start = Vec::with_capacity(self.entities.len() + 1);
        let mut at = 0u32;
        for e in &self.entities {
            self.ent_start.push(at);
            at += e.alerts;
        }
        self.ent_start.push(at);
        let mut fill: Vec<u32> = self.ent_start[..self.entities.len()].to_vec();
        self.ent_slots = vec![0; at as usize];
        self.ent_weights = vec![0; at as usize];
        for &s in &self.order {
            let (a, b) = (
                self.slot_start[s as usize] as usize,
                self.slot_start[s as usize + 1] as usize,
            );
            for &(e, w) in &self.slot_ents[a..b] {
                let p = fill[e as usize] as usize;
                self.ent_slots[p] = s;
                self.ent_weights[p] = w;
                fill[e as usize] += 1;
            }
        }
    }

    /// Entities named, with weight to link, by too many alerts of their tenant. Counting
    /// only those alerts keeps infrastructure the providers mark as clean context (which
    /// links nothing anyway) off the list the analyst can put hubs back from.
    fn hubs(&mut self, c: &Correlator) {
        let s = &c.settings;
        for (i, e) in self.entities.iter_mut().enumerate() {
            let range = self.ent_start[i] as usize..self.ent_start[i + 1] as usize;
            e.linkable = self.ent_weights[range]
                .iter()
                .filter(|&&w| u32::from(w) >= s.min_link_weight)
                .count() as u32;
        }
        if s.hub_percent > 0 {
            for e in &mut self.entities {
                let total = u64::from(self.tenant_alerts[e.tenant as usize]);
                let n = u64::from(e.linkable);
                e.hub =
                    n >= u64::from(s.hub_min_alerts) && n * 100 > u64::from(s.hub_percent) * total;
            }
        }
        for key in &s.included_hubs {
            for i in c.idents_with(key) {
                if let Some(e) = self.entity_of_ident(i) {
                    self.entities[e as usize].included = true;
                }
            }
        }
    }

    /// Per entity that is no (suppressed) hub, each alert to its time neighbour within the
    /// window, counting only alerts that weigh at least `min_link_weight` for it.
    fn link(&mut self, c: &Correlator) -> UnionFind {
        let s = &c.settings;
        let window = i64::from(s.window_hours) * 3600;
        let near = match s.person_window_hours {
            0 => window,
            h => i64::from(h) * 3600,
        };
        let near = if window == 0 { near } else { near.min(window) };
        // Two alerts without a time are as close as can be; one with and one without, not.
        let apart_at_most = |limit: i64, a: i64, b: i64| {
            if a == NO_TIME || b == NO_TIME {
                a == b
            } else {
                limit == 0 || a.abs_diff(b) <= limit.unsigned_abs()
            }
        };
        let within = |a: i64, b: i64| apart_at_most(window, a, b);
        let close = |a: i64, b: i64| apart_at_most(near, a, b);
        // Weights are 0 to 12; a larger minimum links nothing.
        let min = u8::try_from(s.min_link_weight).unwrap_or(u8::MAX);
        let mut uf = UnionFind::new(c.records.len());
        let mut linked = vec![false; self.ent_slots.len()];
        // Per other entity x, the user or device being linked when x was last seen and the
        // latest of its alerts that also names x (its position in `ent_slots`), or `BLOCKED`
        // for a suppressed hub, which corroborates nothing either: one pair, so that each
        // look-up is one random read, not three (blocked, seen in, latest).
        const BLOCKED: u32 = NONE - 1;
        let mut mark: Vec<(u32, u32)> = self
            .entities
            .iter()
            .map(|n| (if n.hub && !n.included { BLOCKED } else { NONE }, 0))
            .collect();
        for (e, node) in self.entities.iter_mut().enumerate() {
            if node.hub && !node.included {
                continue;
            }
            let range = self.ent_start[e] as usize..self.ent_start[e + 1] as usize;
            if s.corroborate && matches!(node.kind, EntityKind::User | EntityKind::Device) {
                // Two of its alerts link when they are within the window and share another
                // entity. Oldest first, each alert is joined to the latest earlier one sharing
                // each of its other entities: an earlier one still, within the window of this
                // alert, is within the window of that latest one too and was joined to it then.
                // So each alert costs its own entities, not every alert in its window.
                for p in range.clone() {
                    if u32::from(self.ent_weights[p]) < s.min_link_weight {
                        continue;
                    }
                    let b = self.ent_slots[p];
                    let theirs = self.slot_start[b as usize] as usize
                        ..self.slot_start[b as usize + 1] as usize;
                    for &(x, wb) in &self.slot_ents[theirs] {
                        if wb < min || x == e as u32 {
                            continue;
                        }
                        let m = &mut mark[x as usize];
                        if m.0 == BLOCKED {
                            continue;
                        }
                        if m.0 == e as u32 && m.1 as usize != p {
                            let q = m.1 as usize;
                            let a = self.ent_slots[q];
                            if close(self.secs[a as usize], self.secs[b as usize]) {
                                uf.union(a, b);
                                linked[q] = true;
                                linked[p] = true;
                            }
                        }
                        *m = (e as u32, p as u32);
                    }
                }
                Self::link_weight(node, range, &linked, &self.ent_weights);
                continue;
            }
            let mut prev: Option<usize> = None;
            for p in range.clone() {
                if u32::from(self.ent_weights[p]) < s.min_link_weight {
                    continue;
                }
                if let Some(q) = prev {
                    let (a, b) = (self.ent_slots[q], self.ent_slots[p]);
                    if within(self.secs[a as usize], self.secs[b as usize]) {
                        uf.union(a, b);
                        linked[q] = true;
                        linked[p] = true;
                    }
                }
                prev = Some(p);
            }
            Self::link_weight(node, range, &linked, &self.ent_weights);
        }
        self.ent_linked = linked;
        uf
    }

    /// Counts the alerts `node` linked and its links' strength.
    fn link_weight(
        node: &mut EntityNode,
        range: std::ops::Range<usize>,
        linked: &[bool],
        weights: &[u8],
    ) {
        let (mut top, mut second) = (0u8, 0u8);
        for p in range.filter(|&p| linked[p]) {
            node.linked += 1;
            let w = weights[p];
            if w > top {
                second = top;
                top = w;
            } else if w > second {
                second = w;
            }
        }
        node.link_weight = second;
    }

    /// Components as clusters, numbered in time order of their first alert.
    fn clusters(&mut self, c: &Correlator, order: &[u32], uf: &mut UnionFind) {
        self.cluster_of_slot = vec![NONE; c.records.len()];
        let mut of_root = vec![NONE; c.records.len()];
        let mut sizes: Vec<u32> = Vec::new();
        for &s in order {
            let root = uf.find(s) as usize;
            if of_root[root] == NONE {
                of_root[root] = sizes.len() as u32;
                sizes.push(0);
            }
            let k = of_root[root];
            self.cluster_of_slot[s as usize] = k;
            sizes[k as usize] += 1;
        }
        self.clu_start = prefix(&sizes);
        let mut fill = self.clu_start[..sizes.len()].to_vec();
        self.clu_slots = vec![0; order.len()];
        for &s in order {
            let k = self.cluster_of_slot[s as usize] as usize;
            self.clu_slots[fill[k] as usize] = s;
            fill[k] += 1;
        }
    }

    /// Per cluster, the entities that linked some of its alerts, each with its count and
    /// strength in that cluster (an entity whose alerts fall apart in time links in several).
    fn reasons(&mut self) {
        let n = self.cluster_count() as usize;
        let mut found: Vec<(u32, Linked)> = Vec::new();
        // Per cluster the entity touches: (cluster, alerts, top weight, second weight).
        let mut here: Vec<(u32, u32, u8, u8)> = Vec::new();
        for (e, node) in self.entities.iter().enumerate() {
            if node.linked == 0 {
                continue;
            }
            here.clear();
            for p in self.ent_start[e] as usize..self.ent_start[e + 1] as usize {
                if !self.ent_linked[p] {
                    continue;
                }
                let k = self.cluster_of_slot[self.ent_slots[p] as usize];
                let w = self.ent_weights[p];
                let i = match here.iter().position(|h| h.0 == k) {
                    Some(i) => i,
                    None => {
                        here.push((k, 0, 0, 0));
                        here.len() - 1
                    }
                };
                let h = &mut here[i];
                h.1 += 1;
                if w > h.2 {
                    (h.2, h.3) = (w, h.2);
                } else if w > h.3 {
                    h.3 = w;
                }
            }
            for &(k, alerts, _, second) in &here {
                let entity = e as u32;
                found.push((
                    k,
                    Linked {
                        entity,
                        alerts,
                        weight: second,
                    },
                ));
            }
        }
        let mut sizes = vec![0u32; n];
        for (k, _) in &found {
            sizes[*k as usize] += 1;
        }
        self.reason_start = prefix(&sizes);
        let mut fill = self.reason_start[..n].to_vec();
        let empty = Linked {
            entity: 0,
            alerts: 0,
            weight: 0,
        };
        self.reason_ents = vec![empty; found.len()];
        for (k, l) in found {
            self.reason_ents[fill[k as usize] as usize] = l;
            fill[k as usize] += 1;
        }
    }
}

impl Graph {
    /// Live slots, oldest first (alerts without a time first), equal times in slot order.
    fn time_order(&self, c: &Correlator) -> Vec<u32> {
        let live = |s: usize| c.records[s].live;
        let mut order: Vec<u32> = Vec::with_capacity(c.records.len());
        let timed_secs = self.secs.iter().copied().filter(|&t| t != NO_TIME);
        let min = timed_secs.min().unwrap_or(0);
        let mut timed: Vec<(u64, u32)> = Vec::with_capacity(c.records.len());
        for (s, t) in self.secs.iter().enumerate().filter(|(s, _)| live(*s)) {
            if *t == NO_TIME {
                order.push(s as u32);
            } else {
                // The distance from the oldest time always fits in a u64.
                timed.push((t.wrapping_sub(min) as u64, s as u32));
            }
        }
        radix_sort(&mut timed);
        order.extend(timed.iter().map(|&(_, s)| s));
        order
    }
}

/// Sorts `(key, slot)` pairs by key, stably (equal keys keep their order), a byte at a time
/// from the lowest, skipping the bytes no key uses: linear in the pairs, where a comparison
/// sort through [`crate::sort`] costs a dynamic call per comparison and n log n of them.
pub(crate) fn radix_sort(v: &mut Vec<(u64, u32)>) {
    // A few pairs (a small cluster's entities) are sorted in place, stably, by insertion:
    // cheaper than even one pass over 256 counters.
    if v.len() <= 32 {
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && v[j - 1].0 > v[j].0 {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    let max = v.iter().map(|p| p.0).max().unwrap_or(0);
    let bytes = (64 - max.leading_zeros()).div_ceil(8);
    let mut from = std::mem::take(v);
    let mut to = vec![(0u64, 0u32); from.len()];
    for byte in 0..bytes {
        let shift = byte * 8;
        let mut at = [0usize; 256];
        for p in &from {
            at[(p.0 >> shift) as usize & 255] += 1;
        }
        let mut sum = 0;
        for n in &mut at {
            (*n, sum) = (sum, sum + *n);
        }
        for &p in &from {
            let d = (p.0 >> shift) as usize & 255;
            to[at[d]] = p;
            at[d] += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    *v = from;
}

/// `[0, a, a+b, ...]`: CSR offsets from sizes.
fn prefix(sizes: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(sizes.len() + 1);
    let mut at = 0;
    out.push(0);
    for &n in sizes {
        at += n;
        out.push(at);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn radix_sort_is_stable_and_sorts_every_byte() {
        let keys = [5u64, 1 << 40, 3, 5, 0, u64::MAX, 1 << 40, 256, 3];
        // Few pairs (sorted by insertion) and many (by bytes), with equal keys in both.
        for copies in [1, 3, 10] {
            let mut v: Vec<(u64, u32)> = (0..copies)
                .flat_map(|c| keys.iter().map(move |&k| k.rotate_left(c * 7)))
                .enumerate()
                .map(|(i, k)| (k, i as u32))
                .collect();
            let mut expected = v.clone();
            crate::sort::by(&mut expected, |a, b| a.0.cmp(&b.0));
            super::radix_sort(&mut v);
            assert_eq!(v, expected, "{copies}");
        }
        let mut empty = Vec::new();
        super::radix_sort(&mut empty);
        assert!(empty.is_empty());
    }
}
