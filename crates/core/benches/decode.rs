//! Decoding throughput of a 1,000-alert page (MB/s), built from the repository's own alert
//! fixture (`tests/fixtures/alert.json`: seven evidence kinds, so the page is evidence-heavy like
//! real ones), through the client's own `decode` (what the app runs on every page).

// This runs natively, outside the bundle, so the bundle's size rules (clippy.toml) do not
// apply: JSON is read from bytes and trees as is handiest here.
#![allow(clippy::disallowed_methods)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use vigil_core::decode::decode;
use vigil_core::models::{Alert, ODataPage};

fn page() -> Vec<u8> {
    let template: serde_json::Value =
        serde_json::from_str(include_str!("../tests/fixtures/alert.json")).expect("valid JSON");
    let value: Vec<serde_json::Value> = (0..1000)
        .map(|i| {
            let mut a = template.clone();
            a["id"] = format!("ta6384120012345678{i:02}_-1873542210").into();
            a
        })
        .collect();
    serde_json::to_vec(
        &serde_json::json!({"@odata.context": "x", "@odata.count": 1000, "value": value}),
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let body = page();
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.sample_size(20);
    g.bench_function("alerts_page_1000", |b| {
        b.iter(|| {
            let p: ODataPage<Alert> = decode(std::hint::black_box(&body)).unwrap();
            assert_eq!(p.value.len(), 1000);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
