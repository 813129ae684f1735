//! Measuring correlation: the naive baseline (plain connected components over every shared
//! identifier, no window, no hub suppression, no weights) and pairwise precision/recall of a
//! clustering against ground truth, so a quality report can compare the two.

use super::identity::Extracted;
use super::intern::{Interner, UnionFind};
use crate::models::{Alert, AlertId};

/// Pairs of alerts put together, by a clustering and by the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrecisionRecall {
    /// Pairs in one predicted cluster.
    pub predicted_pairs: u64,
    /// Pairs in one true cluster.
    pub true_pairs: u64,
    /// Pairs in both.
    pub correct_pairs: u64,
}

impl PrecisionRecall {
    /// Correct pairs among predicted ones (1 when nothing was joined).
    pub fn precision(&self) -> f64 {
        ratio(self.correct_pairs, self.predicted_pairs)
    }

    /// Correct pairs among true ones (1 when nothing should be joined).
    pub fn recall(&self) -> f64 {
        ratio(self.correct_pairs, self.true_pairs)
    }

    /// Precision in whole permille, for display without float formatting.
    pub fn precision_permille(&self) -> u32 {
        permille(self.correct_pairs, self.predicted_pairs)
    }

    /// Recall in whole permille.
    pub fn recall_permille(&self) -> u32 {
        permille(self.correct_pairs, self.true_pairs)
    }
}

fn ratio(n: u64, d: u64) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

fn permille(n: u64, d: u64) -> u32 {
    (n * 1000).checked_div(d).map_or(1000, |p| p as u32)
}

/// Pairwise precision and recall of `clusters` against `truth`. Alerts missing from `truth`
/// are alone there; each list's alerts are assumed distinct.
pub fn pairwise_precision_recall(
    clusters: &[Vec<AlertId>],
    truth: &[Vec<AlertId>],
) -> PrecisionRecall {
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut ids = Interner::default();
    let mut label: Vec<u32> = Vec::new();
    for (t, set) in truth.iter().enumerate() {
        for id in set {
            let (n, fresh) = ids.intern(id.as_str());
            if fresh {
                label.push(t as u32);
            } else {
                label[n as usize] = t as u32;
            }
        }
    }
    let mut out = PrecisionRecall {
        true_pairs: truth.iter().map(|s| pairs(s.len() as u64)).sum(),
        predicted_pairs: clusters.iter().map(|s| pairs(s.len() as u64)).sum(),
        correct_pairs: 0,
    };
    for set in clusters {
        let mut labels: Vec<u32> = set
            .iter()
            .filter_map(|id| ids.get(id.as_str()).map(|n| label[n as usize]))
            .collect();
        crate::sort::positions(&mut labels, &|a, b| a.cmp(&b));
        let mut i = 0;
        while i < labels.len() {
            let j = i + labels[i..].iter().take_while(|&&l| l == labels[i]).count();
            out.correct_pairs += pairs((j - i) as u64);
            i = j;
        }
    }
    out
}

/// Pairwise precision and recall counting only pairs with at least one alert of `truth`'s
/// sets (the planted stories): joining a story alert with anything else costs precision,
/// while pairs of alerts outside the truth (noise incidents about one user and device, which
/// are rightly joined but which the truth knows nothing of) do not count either way.
pub fn story_precision_recall(
    clusters: &[Vec<AlertId>],
    truth: &[Vec<AlertId>],
) -> PrecisionRecall {
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut all = pairwise_precision_recall(clusters, truth);
    let mut ids = Interner::default();
    for id in truth.iter().flatten() {
        ids.intern(id.as_str());
    }
    all.predicted_pairs = clusters
        .iter()
        .map(|set| {
            let n = set.len() as u64;
            let inside = set
                .iter()
                .filter(|id| ids.get(id.as_str()).is_some())
                .count() as u64;
            pairs(n) - pairs(n - inside)
        })
        .sum();
    all
}

/// The naive baseline: alerts sharing any normalised identifier (in the same tenant) are in
/// one cluster, transitively, whatever their times and however common the identifier. Of
/// several versions of one alert id the last counts. Sorted as [`canonical`].
pub fn naive_clusters(alerts: &[Alert]) -> Vec<Vec<AlertId>> {
    let mut ids = Interner::default();
    let mut latest: Vec<usize> = Vec::new();
    for (i, a) in alerts.iter().enumerate() {
        let (n, fresh) = ids.intern(a.id.as_str());
        if fresh {
            latest.push(i);
        } else {
            latest[n as usize] = i;
        }
    }
    let mut uf = UnionFind::new(latest.len());
    let mut first_with = Interner::default();
    let mut owner: Vec<u32> = Vec::new();
    let mut x = Extracted::default();
    let mut key = String::new();
    for (slot, &i) in latest.iter().enumerate() {
        let a = &alerts[i];
        x.clear();
        for ev in &a.evidence {
            x.evidence(ev);
        }
        for f in &x.found {
            key.clear();
            key.push_str(a.tenant_id.as_deref().unwrap_or("").trim());
            key.push('|');
            key.push_str(f.kind.tag());
            key.push(':');
            key.push_str(x.value(f));
            let (n, fresh) = first_with.intern(&key);
            if fresh {
                owner.push(slot as u32);
            } else {
                uf.union(owner[n as usize], slot as u32);
            }
        }
    }
    let mut sets: Vec<Vec<AlertId>> = vec![Vec::new(); latest.len()];
    for (slot, &i) in latest.iter().enumerate() {
        let root = uf.find(slot as u32) as usize;
        sets[root].push(alerts[i].id.clone());
    }
    canonical(sets.into_iter().filter(|s| !s.is_empty()).collect())
}

/// A partition in one canonical form: each set sorted, sets sorted by their first id.
pub fn canonical(mut sets: Vec<Vec<AlertId>>) -> Vec<Vec<AlertId>> {
    for s in &mut sets {
        crate::sort::by(s, |a, b| a.cmp(b));
    }
    crate::sort::by(&mut sets, |a, b| a.first().cmp(&b.first()));
    sets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&[&str]]) -> Vec<Vec<AlertId>> {
        v.iter()
            .map(|s| s.iter().map(|i| AlertId::new(*i)).collect())
            .collect()
    }

    #[test]
    fn counts_pairs() {
        let truth = ids(&[&["a", "b", "c"], &["d"]]);
        let pr = pairwise_precision_recall(&ids(&[&["a", "b"], &["c", "d"]]), &truth);
        assert_eq!(
            pr,
            PrecisionRecall {
                predicted_pairs: 2,
                true_pairs: 3,
                correct_pairs: 1
            }
        );
        assert_eq!(pr.precision_permille(), 500);
        assert_eq!(pr.recall_permille(), 333);
        let story = story_precision_recall(
            &ids(&[&["a", "b"], &["c", "d", "e"]]),
            &ids(&[&["a", "b", "c"]]),
        );
        // Predicted pairs touching a, b or c: ab, cd, ce (not de).
        assert_eq!(
            story,
            PrecisionRecall {
                predicted_pairs: 3,
                true_pairs: 3,
                correct_pairs: 1
            }
        );
        let perfect = pairwise_precision_recall(&truth, &truth);
        assert_eq!((perfect.precision(), perfect.recall()), (1.0, 1.0));
    }
}
