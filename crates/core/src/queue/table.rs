//! The alert table's model: one compact [`Row`] per alert, with repeated strings (titles,
//! categories, assignees, tenants, incident ids, product names and the lower-cased words free
//! text is searched in) interned once per table and its enums kept as a byte each ([`Palette`]),
//! so a large queue costs far less memory than the JSON it came from. The page keeps a [`Table`] and derives the visible order from it with
//! [`Table::view`]; it asks Graph for the full alert only when one is opened.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use super::chips::service_label;
use super::filter::{Column, QueueFilter, Sort, Viewer};
use super::matcher::{Facts, Searchable, each_part};
use super::url::Member;
use crate::correlate::normalize::lower_into;
use crate::models::{
    Alert, AlertClassification, AlertDetermination, AlertId, AlertSeverity, AlertStatus, DateTime,
    DetectionSource, ServiceSource,
};

/// An interned string; `Sym::NONE` is "not set".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Sym(u32);

impl Sym {
    pub const NONE: Sym = Sym(0);

    /// Its position among the table's strings.
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }

    pub fn is_none(self) -> bool {
        self == Sym::NONE
    }
}

/// Numbers found by their strings' keyed 32-bit hashes: the map holds no string, so growing it
/// hashes no string again (a `HashMap<Rc<str>, Sym>` holding the 230,000 search words of
/// 100,000 alerts rehashed them all as it grew, one task of 50 ms in the browser), and an entry
/// is 8 bytes. A string whose hash another already has (about ten among 300,000 strings, a
/// hundred among a million; the key is drawn per index, so no one can aim one) is kept in
/// `collided` and compared in full, so no two strings are ever confused.
#[derive(Debug, Clone)]
struct HashIndex {
    key: RandomState,
    map: HashMap<u32, u32, BuildHasherDefault<Spread>>,
    collided: Vec<u32>,
}

/// Hashes a `u32` that is already a keyed hash: spread over 64 bits by an odd multiplier, so
/// that the map's tag bits (the top seven) vary too.
#[derive(Debug, Default)]
struct Spread(u64);

impl Hasher for Spread {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl Default for HashIndex {
    fn default() -> Self {
        HashIndex {
            key: RandomState::new(),
            map: HashMap::default(),
            collided: Vec::new(),
        }
    }
}

impl HashIndex {
    /// `s`'s hash, and its number if `s` is known (`text` gives a number's string).
    fn find<'a>(&self, s: &str, text: impl Fn(u32) -> &'a str) -> (u32, Option<u32>) {
        let hash = (self.key.hash_one(s) >> 32) as u32;
        let found = match self.map.get(&hash) {
            Some(&n) if text(n) == s => Some(n),
            Some(_) => self.collided.iter().copied().find(|&c| text(c) == s),
            None => None,
        };
        (hash, found)
    }

    /// Adds number `n` for a string [`HashIndex::find`] did not find.
    fn add(&mut self, hash: u32, n: u32) {
        match self.map.entry(hash) {
            Entry::Vacant(v) => {
                v.insert(n);
            }
            Entry::Occupied(_) => self.collided.push(n),
        }
    }

    fn heap_bytes(&self) -> usize {
        self.map.capacity() * (std::mem::size_of::<(u32, u32)>() + 1) + self.collided.len() * 4
    }
}

/// Each distinct string stored once, numbered from 1 (0 is the empty string, [`Sym::NONE`]),
/// found through a [`HashIndex`].
#[derive(Debug, Clone)]
pub struct Interner {
    index: HashIndex,
    strings: Vec<Box<str>>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            index: HashIndex::default(),
            strings: vec!["".into()],
        }
    }
}

impl Interner {
    pub fn intern(&mut self, s: Option<&str>) -> Sym {
        let Some(s) = s.filter(|s| !s.is_empty()) else {
            return Sym::NONE;
        };
        let strings = &self.strings;
        let (hash, known) = self.index.find(s, |n| &strings[n as usize]);
        if let Some(n) = known {
            return Sym(n);
        }
        let sym = Sym(self.strings.len() as u32);
        self.strings.push(s.into());
        self.index.add(hash, sym.0);
        sym
    }
    pub fn get(&self, sym: Sym) -> &str {
        self.strings.get(sym.index()).map_or("", |s| s)
    }
    pub fn len(&self) -> usize {
        self.strings.len() - 1
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn heap_bytes(&self) -> usize {
        self.strings.iter().map(|s| s.len()).sum::<usize>()
            + self.strings.capacity() * std::mem::size_of::<Box<str>>()
            + self.index.heap_bytes()
    }
}

/// The values one of the rows' Graph enums has taken in a table, each kept once: a row keeps a
/// byte (its value's place plus one; 0 when not set), not a 12-byte enum that can carry a
/// string. A column that takes more than 254 distinct values (Graph's enums have a dozen) shows
/// the rest as one value that says so.
#[derive(Debug, Clone)]
pub struct Palette<E>(Vec<E>);

impl<E> Default for Palette<E> {
    fn default() -> Self {
        Palette(Vec::new())
    }
}

impl<E: PartialEq + Clone + std::str::FromStr> Palette<E> {
    fn code(&mut self, v: Option<&E>) -> u8 {
        let Some(v) = v else {
            return 0;
        };
        let at = match self.0.iter().position(|x| x == v) {
            Some(at) => at,
            None if self.0.len() < 254 => {
                self.0.push(v.clone());
                self.0.len() - 1
            }
            None => {
                if self.0.len() == 254
                    && let Ok(more) = "(more distinct values than a column keeps)".parse()
                {
                    self.0.push(more);
                }
                254
            }
        };
        at as u8 + 1
    }

    pub fn get(&self, code: u8) -> Option<&E> {
        self.0.get(usize::from(code).checked_sub(1)?)
    }
}

/// The table's palettes, one per enum a row keeps.
#[derive(Debug, Clone, Default)]
struct Palettes {
    severity: Palette<AlertSeverity>,
    status: Palette<AlertStatus>,
    service: Palette<ServiceSource>,
    detection: Palette<DetectionSource>,
    classification: Palette<AlertClassification>,
    determination: Palette<AlertDetermination>,
}

/// An alert's lower-cased searchable words ([`each_part`]), each interned once per table and
/// listed once per row.
fn search_words(s: &mut Interner, a: &Alert) -> Box<[Sym]> {
    let mut words = Vec::new();
    let mut word = String::new();
    each_part(a, &mut |text| {
        word.clear();
        lower_into(&mut word, text);
        let sym = s.intern(Some(&word));
        if !sym.is_none() && !words.contains(&sym) {
            words.push(sym);
        }
    });
    words.into()
}

/// What the table shows of one alert.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: AlertId,
    /// Interned: a detector's alerts share their title.
    pub title: Sym,
    /// The enums, by their place in the table's palettes ([`Table::severity`],
    /// [`Table::service`]).
    severity: u8,
    status: u8,
    service: u8,
    detection: u8,
    classification: u8,
    determination: u8,
    pub category: Sym,
    pub assigned_to: Sym,
    pub tenant: Sym,
    pub incident_id: Sym,
    pub product: Sym,
    pub created: Option<DateTime>,
    pub updated: Option<DateTime>,
    pub resolved: Option<DateTime>,
    pub evidence_count: u32,
    /// Lower-cased searchable words (title, description, category, assignee, evidence values),
    /// interned: alerts of one detector share their title and description, and alerts of one
    /// attack their users, hosts and files, so a large table holds each once. The id is
    /// searched as it is.
    pub words: Box<[Sym]>,
}

/// Alerts per severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeverityCounts {
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub informational: usize,
    /// Unknown, unset or unrecognised severities.
    pub other: usize,
}

impl SeverityCounts {
    pub fn add(&mut self, s: Option<&AlertSeverity>) {
        match s {
            Some(AlertSeverity::High) => self.high += 1,
            Some(AlertSeverity::Medium) => self.medium += 1,
            Some(AlertSeverity::Low) => self.low += 1,
            Some(AlertSeverity::Informational) => self.informational += 1,
            _ => self.other += 1,
        }
    }
    pub fn total(&self) -> usize {
        self.high + self.medium + self.low + self.informational + self.other
    }
}

/// The outcome of [`Table::merge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Merged {
    /// Alerts not in the table before.
    pub added: usize,
    /// Alerts already there, replaced by the newer copy.
    pub updated: usize,
}

/// One group of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The shared value ("" when not set).
    pub key: String,
    /// Row indices, in view order.
    pub rows: Vec<u32>,
    pub counts: SeverityCounts,
}

/// The loaded alerts.
#[derive(Debug, Clone)]
pub struct Table {
    rows: Vec<Row>,
    /// Each row's number by its id.
    ids: HashIndex,
    strings: Interner,
    palettes: Palettes,
    /// Which table this is (unique per [`Table::new`]), for [`Stamp`].
    id: u64,
    /// Rows replaced in place so far (appends do not count).
    replaced: u64,
}

impl Default for Table {
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Table {
            rows: Vec::new(),
            ids: HashIndex::default(),
            strings: Interner::default(),
            palettes: Palettes::default(),
            id: NEXT.fetch_add(1, AtomicOrdering::Relaxed),
            replaced: 0,
        }
    }
}

/// What a view was computed from, short of the rows appended since: the same table, with no
/// row replaced in place. When a table's stamp has not changed, a view of its first `n` rows
/// can be extended with [`Table::extend_view`] instead of being computed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    table: u64,
    replaced: u64,
}

/// Rank of a severity for sorting (unknown lowest, high highest).
pub fn severity_rank(s: Option<&AlertSeverity>) -> u8 {
    match s {
        Some(AlertSeverity::High) => 4,
        Some(AlertSeverity::Medium) => 3,
        Some(AlertSeverity::Low) => 2,
        Some(AlertSeverity::Informational) => 1,
        _ => 0,
    }
}

fn ci_cmp(a: &str, b: &str) -> Ordering {
    a.chars()
        .flat_map(crate::lowercase::lower_char)
        .cmp(b.chars().flat_map(crate::lowercase::lower_char))
}

fn rank_of<E: Member>(e: Option<&E>) -> usize {
    e.map_or(usize::MAX, Member::rank)
}

impl Table {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn row(&self, i: u32) -> &Row {
        &self.rows[i as usize]
    }

    /// The index of the row with `id`.
    pub fn position(&self, id: &AlertId) -> Option<u32> {
        self.find(id).1
    }

    fn find(&self, id: &AlertId) -> (u32, Option<u32>) {
        self.ids
            .find(id.as_str(), |n| self.rows[n as usize].id.as_str())
    }

    /// A row's severity.
    pub fn severity(&self, r: &Row) -> Option<&AlertSeverity> {
        self.palettes.severity.get(r.severity)
    }

    /// A row's provider.
    pub fn service(&self, r: &Row) -> Option<&ServiceSource> {
        self.palettes.service.get(r.service)
    }

    /// An interned string.
    pub fn str(&self, sym: Sym) -> &str {
        self.strings.get(sym)
    }

    /// Distinct interned strings (for tests and diagnostics).
    pub fn interned(&self) -> usize {
        self.strings.len()
    }

    /// Builds the row for `a`.
    pub fn make_row(&mut self, a: &Alert) -> Row {
        let (s, p) = (&mut self.strings, &mut self.palettes);
        Row {
            id: a.id.clone(),
            title: s.intern(a.title.as_deref()),
            severity: p.severity.code(a.severity.as_ref()),
            status: p.status.code(a.status.as_ref()),
            service: p.service.code(a.service_source.as_ref()),
            detection: p.detection.code(a.detection_source.as_ref()),
            classification: p.classification.code(a.classification.as_ref()),
            determination: p.determination.code(a.determination.as_ref()),
            category: s.intern(a.category.as_deref()),
            assigned_to: s.intern(a.assigned_to.as_deref()),
            tenant: s.intern(a.tenant_id.as_deref()),
            incident_id: s.intern(a.incident_id.as_deref()),
            product: s.intern(a.product_name.as_deref()),
            created: a.created_date_time,
            updated: a.last_update_date_time,
            resolved: a.resolved_date_time,
            evidence_count: a.evidence.len() as u32,
            words: search_words(s, a),
        }
    }

    /// Inserts or replaces alerts by id; returns how many were new. Row indices of existing
    /// alerts do not change, so a selection or an open pane survives a live refresh.
    pub fn merge<'a>(&mut self, alerts: impl IntoIterator<Item = &'a Alert>) -> Merged {
        let mut m = Merged::default();
        for a in alerts {
            let row = self.make_row(a);
            match self.find(&a.id) {
                (_, Some(i)) => {
                    self.rows[i as usize] = row;
                    self.replaced += 1;
                    m.updated += 1;
                }
                (hash, None) => {
                    self.ids.add(hash, self.rows.len() as u32);
                    self.rows.push(row);
                    m.added += 1;
                }
            }
        }
        m
    }

    /// The facts a filter checks, for row `i`.
    pub fn facts(&self, i: u32) -> Facts<'_> {
        let r = &self.rows[i as usize];
        let opt = |s: Sym| (!s.is_none()).then(|| self.str(s));
        let p = &self.palettes;
        Facts {
            status: p.status.get(r.status),
            severity: p.severity.get(r.severity),
            service: p.service.get(r.service),
            detection: p.detection.get(r.detection),
            classification: p.classification.get(r.classification),
            determination: p.determination.get(r.determination),
            assigned_to: opt(r.assigned_to),
            tenant: opt(r.tenant),
            created: r.created,
            updated: r.updated,
            resolved: r.resolved,
            text: Searchable::Words {
                words: &r.words,
                strings: &self.strings,
                id: &r.id.0,
            },
        }
    }

    /// The rows passing `filter`, in its sort order.
    pub fn view(&self, filter: &QueueFilter, viewer: Viewer<'_>) -> Vec<u32> {
        let m = filter.matcher(viewer);
        let mut idx: Vec<u32> = (0..self.rows.len() as u32)
            .filter(|&i| m.admits(&self.facts(i)))
            .collect();
        self.sort(&mut idx, filter.sort);
        idx
    }

    /// See [`Stamp`].
    pub fn stamp(&self) -> Stamp {
        Stamp {
            table: self.id,
            replaced: self.replaced,
        }
    }

    /// [`Table::view`] of the whole table, given `prev`, the view of its first `from` rows
    /// under the same filter and stamp: only the rows appended since are checked and sorted,
    /// then merged in (O(k log n) comparisons and one copy), with the same order a full
    /// [`Table::view`] gives (rows that compare equal stay in row order).
    pub fn extend_view(
        &self,
        prev: &[u32],
        from: usize,
        filter: &QueueFilter,
        viewer: Viewer<'_>,
    ) -> Vec<u32> {
        let m = filter.matcher(viewer);
        let from = from.min(self.rows.len()) as u32;
        let mut new: Vec<u32> = (from..self.rows.len() as u32)
            .filter(|&i| m.admits(&self.facts(i)))
            .collect();
        if new.is_empty() {
            return prev.to_vec();
        }
        self.sort(&mut new, filter.sort);
        let sort = filter.sort;
        // Whether the earlier row `p` sorts strictly after the new row `n`.
        let after = |p: u32, n: u32| {
            let o = self.compare(p, n, sort.column);
            let o = if sort.descending { o.reverse() } else { o };
            o == Ordering::Greater
        };
        let mut out = Vec::with_capacity(prev.len() + new.len());
        let mut start = 0;
        for &n in &new {
            let pos = start + prev[start..].partition_point(|&p| !after(p, n));
            out.extend_from_slice(&prev[start..pos]);
            out.push(n);
            start = pos;
        }
        out.extend_from_slice(&prev[start..]);
        out
    }

    /// Compares two rows on one column, ascending.
    pub fn compare(&self, a: u32, b: u32, column: Column) -> Ordering {
        let (x, y) = (&self.rows[a as usize], &self.rows[b as usize]);
        let sym = |s: Sym, t: Sym| ci_cmp(self.str(s), self.str(t));
        let p = &self.palettes;
        match column {
            Column::Severity => severity_rank(p.severity.get(x.severity))
                .cmp(&severity_rank(p.severity.get(y.severity))),
            Column::Title => sym(x.title, y.title),
            Column::Status => rank_of(p.status.get(x.status)).cmp(&rank_of(p.status.get(y.status))),
            Column::Provider => {
                let l = |c: u8| p.service.get(c).map(service_label);
                l(x.service).cmp(&l(y.service))
            }
            Column::Detection => {
                rank_of(p.detection.get(x.detection)).cmp(&rank_of(p.detection.get(y.detection)))
            }
            Column::Category => sym(x.category, y.category),
            Column::AssignedTo => sym(x.assigned_to, y.assigned_to),
            Column::Classification => rank_of(p.classification.get(x.classification))
                .cmp(&rank_of(p.classification.get(y.classification))),
            Column::Determination => rank_of(p.determination.get(x.determination))
                .cmp(&rank_of(p.determination.get(y.determination))),
            Column::Created => x.created.cmp(&y.created),
            Column::Updated => x.updated.cmp(&y.updated),
            Column::Incident => {
                let n = |s: Sym| self.str(s).parse::<u64>().ok();
                n(x.incident_id)
                    .cmp(&n(y.incident_id))
                    .then_with(|| sym(x.incident_id, y.incident_id))
            }
            Column::Tenant => sym(x.tenant, y.tenant),
            Column::Id => x.id.0.cmp(&y.id.0),
        }
    }

    /// Sorts row indices by one column; stable, so equal rows keep their order in either
    /// direction.
    pub fn sort(&self, idx: &mut [u32], sort: Sort) {
        if sort.column == Column::Provider {
            // Labels allocate: one per provider code (a row keeps its provider's, 0 for none).
            let service = &self.palettes.service;
            let labels: Vec<String> = (0..=service.0.len())
                .map(|code| {
                    service
                        .get(code as u8)
                        .map(service_label)
                        .unwrap_or_default()
                })
                .collect();
            let label = |i: u32| &labels[self.rows[i as usize].service as usize];
            crate::sort::positions(idx, &|a, b| {
                let o = label(a).cmp(label(b));
                if sort.descending { o.reverse() } else { o }
            });
            return;
        }
        crate::sort::positions(idx, &|a, b| {
            let o = self.compare(a, b, sort.column);
            if sort.descending { o.reverse() } else { o }
        });
    }

    /// Alerts per severity among `idx`.
    pub fn severity_counts(&self, idx: &[u32]) -> SeverityCounts {
        let mut c = SeverityCounts::default();
        for &i in idx {
            c.add(self.severity(&self.rows[i as usize]));
        }
        c
    }

    /// The text shown in a cell (also the CSV value).
    pub fn cell(&self, i: u32, column: Column) -> String {
        let r = &self.rows[i as usize];
        let e = |v: Option<&str>| v.unwrap_or("").to_owned();
        let p = &self.palettes;
        match column {
            Column::Severity => e(p.severity.get(r.severity).map(|s| s.as_str())),
            Column::Title => self.str(r.title).to_owned(),
            Column::Status => e(p.status.get(r.status).map(|s| s.as_str())),
            Column::Provider => e(p.service.get(r.service).map(|s| s.as_str())),
            Column::Detection => e(p.detection.get(r.detection).map(|s| s.as_str())),
            Column::Category => self.str(r.category).to_owned(),
            Column::AssignedTo => self.str(r.assigned_to).to_owned(),
            Column::Classification => e(p.classification.get(r.classification).map(|s| s.as_str())),
            Column::Determination => e(p.determination.get(r.determination).map(|s| s.as_str())),
            Column::Created => r.created.map(|d| d.to_rfc3339()).unwrap_or_default(),
            Column::Updated => r.updated.map(|d| d.to_rfc3339()).unwrap_or_default(),
            Column::Incident => self.str(r.incident_id).to_owned(),
            Column::Tenant => self.str(r.tenant).to_owned(),
            Column::Id => r.id.0.clone(),
        }
    }

    /// Groups `idx` by a column's value; groups by size (largest first), then by key.
    pub fn group_by(&self, idx: &[u32], column: Column) -> Vec<Group> {
        let keys: Vec<String> = idx
            .iter()
            .map(|&i| match column {
                Column::Created | Column::Updated => {
                    let d = if column == Column::Created {
                        self.rows[i as usize].created
                    } else {
                        self.rows[i as usize].updated
                    };
                    d.map(|d| {
                        let (y, m, day) = d.date();
                        format!("{y:04}-{m:02}-{day:02}")
                    })
                    .unwrap_or_default()
                }
                _ => self.cell(i, column),
            })
            .collect();
        // Equal keys side by side, each group's rows in their order in `idx` (the sort is
        // stable).
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        crate::sort::positions(&mut order, &|a, b| keys[a as usize].cmp(&keys[b as usize]));
        let mut groups: Vec<Group> = Vec::new();
        for p in order {
            let (key, i) = (&keys[p as usize], idx[p as usize]);
            if groups.last().is_none_or(|g| g.key != *key) {
                groups.push(Group {
                    key: key.clone(),
                    rows: Vec::new(),
                    counts: SeverityCounts::default(),
                });
            }
            if let Some(g) = groups.last_mut() {
                g.rows.push(i);
                g.counts.add(self.severity(&self.rows[i as usize]));
            }
        }
        crate::sort::by(&mut groups, |a, b| {
            b.rows.len().cmp(&a.rows.len()).then(a.key.cmp(&b.key))
        });
        groups
    }

    /// Approximate heap bytes held by the table (rows, strings, index).
    pub fn approx_bytes(&self) -> usize {
        let rows: usize = self
            .rows
            .iter()
            .map(|r| r.id.0.capacity() + r.words.len() * 4)
            .sum();
        rows + self.rows.capacity() * std::mem::size_of::<Row>()
            + self.ids.heap_bytes()
            + self.strings.heap_bytes()
    }
}

/// The rows to render for a virtualised list: those intersecting the viewport, plus
/// `overscan` rows on each side, clamped to `0..total`. Bad inputs (negative, NaN, zero row
/// height) give an empty or clamped range, never a panic.
pub fn visible_range(
    scroll_top: f64,
    viewport_h: f64,
    row_h: f64,
    total: usize,
    overscan: usize,
) -> Range<usize> {
    if total == 0 || !(row_h.is_finite() && row_h > 0.0) {
        return 0..0;
    }
    let top = if scroll_top.is_finite() {
        scroll_top.max(0.0)
    } else {
        0.0
    };
    let vh = if viewport_h.is_finite() {
        viewport_h.max(0.0)
    } else {
        0.0
    };
    let first = ((top / row_h).floor() as usize).min(total);
    let count = (vh / row_h).ceil() as usize + 1;
    let start = first.saturating_sub(overscan);
    let end = first
        .saturating_add(count)
        .saturating_add(overscan)
        .min(total);
    start.min(end)..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windowing_edges() {
        assert_eq!(visible_range(0.0, 100.0, 20.0, 0, 5), 0..0);
        assert_eq!(visible_range(0.0, 100.0, 20.0, 1000, 0), 0..6);
        assert_eq!(visible_range(200.0, 100.0, 20.0, 1000, 2), 8..18);
        assert_eq!(visible_range(1e9, 100.0, 20.0, 1000, 2), 998..1000);
        assert_eq!(visible_range(f64::NAN, f64::NAN, 20.0, 10, 1), 0..2);
        assert_eq!(visible_range(0.0, 100.0, 0.0, 10, 1), 0..0);
        assert_eq!(visible_range(-50.0, 40.0, 20.0, 10, 0), 0..3);
    }

    fn alert(n: usize) -> Alert {
        let sev = [
            AlertSeverity::High,
            AlertSeverity::Low,
            AlertSeverity::Medium,
            AlertSeverity::Informational,
        ];
        let svc = [
            ServiceSource::MicrosoftDefenderForEndpoint,
            ServiceSource::AzureAdIdentityProtection,
            ServiceSource::DataLossPrevention,
        ];
        Alert {
            id: AlertId::new(format!("a{n:04}")),
            // Few distinct values, so many rows tie.
            title: Some(["Beta", "alpha", "Gamma"][n % 3].into()),
            severity: Some(sev[n % 4].clone()),
            service_source: Some(svc[n % 3].clone()),
            assigned_to: n.is_multiple_of(5).then(|| "me@x.example".into()),
            created_date_time: Some(DateTime::from_unix(1_700_000_000 + (n as i64 % 7) * 60)),
            ..Default::default()
        }
    }

    #[test]
    fn extended_views_equal_full_views() {
        let alerts: Vec<Alert> = (0..240).map(alert).collect();
        let viewer = Viewer {
            now: DateTime::from_unix(1_700_100_000),
            me: Some("me@x.example"),
        };
        for column in Column::ALL {
            for descending in [false, true] {
                for search in ["", "alpha"] {
                    let filter = QueueFilter {
                        sort: Sort { column, descending },
                        search: search.into(),
                        ..QueueFilter::from_query_string("status=&severity=&range=custom")
                    };
                    let mut t = Table::new();
                    let (mut prev, mut from) = (Vec::new(), 0);
                    for chunk in alerts.chunks(37) {
                        let stamp = t.stamp();
                        t.merge(chunk);
                        assert_eq!(t.stamp(), stamp, "appends keep the stamp");
                        prev = t.extend_view(&prev, from, &filter, viewer);
                        from = t.len();
                        assert_eq!(prev, t.view(&filter, viewer), "{column:?} {descending}");
                    }
                }
            }
        }
        let mut t = Table::new();
        t.merge(&alerts[..3]);
        let stamp = t.stamp();
        t.merge(&alerts[..1]);
        assert_ne!(t.stamp(), stamp, "a replacement changes the stamp");
        assert_ne!(Table::new().stamp(), Table::new().stamp());
    }

    #[test]
    fn interner_shares() {
        let mut i = Interner::default();
        let a = i.intern(Some("x"));
        assert_eq!(i.intern(Some("x")), a);
        assert_eq!(i.intern(Some("")), Sym::NONE);
        assert_eq!(i.intern(None), Sym::NONE);
        assert_eq!(i.get(a), "x");
        assert_eq!(i.len(), 1);
    }

    #[test]
    fn strings_whose_hashes_collide_stay_apart() {
        let mut i = Interner::default();
        let a = i.intern(Some("alpha"));
        // "beta" made to look as if its hash were alpha's.
        let beta = (i.index.key.hash_one("beta") >> 32) as u32;
        i.index.map.insert(beta, a.0);
        let b = i.intern(Some("beta"));
        assert_ne!(a, b);
        assert_eq!((i.get(a), i.get(b)), ("alpha", "beta"));
        assert_eq!(i.intern(Some("beta")), b, "found again among the collided");
        assert_eq!(i.intern(Some("alpha")), a);
        assert_eq!(
            [i.get(Sym::NONE), i.get(a), i.get(b)],
            ["", "alpha", "beta"]
        );
        for n in 0..10_000 {
            let s = format!("word {n}");
            let sym = i.intern(Some(&s));
            assert_eq!(i.get(sym), s);
        }
        assert_eq!(i.len(), 10_002);
    }

    #[test]
    fn rows_whose_id_hashes_collide_are_found_by_their_ids() {
        let mut t = Table::new();
        t.merge([&alert(0)]);
        // a0001 made to look as if its hash were a0000's.
        let hash = (t.ids.key.hash_one("a0001") >> 32) as u32;
        t.ids.map.insert(hash, 0);
        let more: Vec<Alert> = (1..300).map(alert).collect();
        t.merge(&more);
        assert_eq!(t.len(), 300);
        for n in 0..300 {
            let id = AlertId::new(format!("a{n:04}"));
            assert_eq!(t.position(&id), Some(n as u32), "{id:?}");
        }
        let again = Alert {
            title: Some("Renamed".into()),
            ..alert(1)
        };
        assert_eq!(
            t.merge([&again]).updated,
            1,
            "the collided id is replaced, not added"
        );
        assert_eq!(t.str(t.row(1).title), "Renamed");
        assert_eq!(t.position(&AlertId::new("a9999")), None);
    }

    #[test]
    fn a_palette_keeps_each_value_and_says_when_a_column_has_too_many() {
        let mut p = Palette::<AlertSeverity>::default();
        assert_eq!(p.code(None), 0);
        assert_eq!(p.get(0), None);
        let high = p.code(Some(&AlertSeverity::High));
        assert_eq!(p.code(Some(&AlertSeverity::High)), high);
        assert_eq!(p.get(high), Some(&AlertSeverity::High));
        let codes: Vec<u8> = (0..300)
            .map(|n| p.code(Some(&AlertSeverity::parse(&format!("level{n}")))))
            .collect();
        for (n, &c) in codes.iter().enumerate().take(253) {
            assert_eq!(p.get(c).unwrap().as_str(), format!("level{n}"));
        }
        let rest = p.get(codes[299]).unwrap().as_str();
        assert!(rest.contains("more distinct values"), "{rest}");
        assert_eq!(codes[253], codes[299]);
        assert_eq!(
            p.get(high),
            Some(&AlertSeverity::High),
            "earlier values keep theirs"
        );
    }
}
