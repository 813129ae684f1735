//! Correlation cost per alert at 1,000 to 1,000,000 synthetic alerts of five evidence items
//! each (user, device, file, IP, URL), drawn by a small deterministic PRNG from pools that grow
//! with the alert count and spread over a time span that grows with it too, so that the data's
//! density, and so the ideal cost per alert, is the same at every size.
//!
//! `add+link`: a fresh `Correlator` fed every alert, then the linking pass (`cluster_count`).
//! `clusters`: the full ranked summaries on top (up to 100,000 alerts).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use vigil_core::correlate::{Correlator, Settings};

#[path = "support/synthetic.rs"]
mod synthetic;
use synthetic::alerts;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("correlate");
    g.sample_size(10);
    for n in [1_000usize, 10_000, 100_000, 1_000_000] {
        let data = alerts(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("add+link", n), &data, |b, data| {
            b.iter(|| {
                let mut cor = Correlator::new(Settings::default());
                cor.add(data);
                cor.cluster_count()
            })
        });
        if n <= 100_000 {
            g.bench_with_input(BenchmarkId::new("add+clusters", n), &data, |b, data| {
                b.iter(|| {
                    let mut cor = Correlator::new(Settings::default());
                    cor.add(data);
                    cor.clusters().len()
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
