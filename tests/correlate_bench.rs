//! Correlation in the browser: 100,000 synthetic alerts of five evidence items each clustered by
//! vigil-core in headless Chromium (the shipped profile), beside graphology +
//! graphology-components splitting the same alert-entity graph into connected components in
//! the same page. Run by `cargo xtask bench`, which first bundles the JavaScript peer
//! (tests/bench/graphology_entry.js) and enables the `bench-graphology` feature; it prints one
//! `BENCH {json}` line and asserts only that both sides saw the same graph, so it never fails
//! on a slow machine.
#![cfg(all(target_arch = "wasm32", feature = "bench-graphology"))]

use vigil_core::correlate::identity::Extracted;
use vigil_core::correlate::{Correlator, Settings};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

#[path = "../crates/core/benches/support/synthetic.rs"]
mod synthetic;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/bench/generated/graphology.js")]
extern "C" {
    #[wasm_bindgen(js_name = graphologyComponents)]
    fn graphology_components(alerts: u32, owners: &[u32], keys: Vec<String>) -> js_sys::Array;
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// Best of `rounds` timings of `f`, in milliseconds, and its last result.
fn best_of<R>(rounds: usize, mut f: impl FnMut() -> R) -> (f64, R) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..rounds {
        let t = now();
        let r = f();
        best = best.min(now() - t);
        last = Some(r);
    }
    (best, last.expect("at least one round"))
}

#[wasm_bindgen_test]
fn cluster_a_hundred_thousand_alerts() {
    const N: usize = 100_000;
    let alerts = synthetic::alerts(N);

    // The alert-entity graph as a JavaScript tool would get it: every identifier an alert's
    // evidence names, as `kind:value`.
    let mut owners: Vec<u32> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for (i, a) in alerts.iter().enumerate() {
        let mut x = Extracted::default();
        for ev in &a.evidence {
            x.evidence(ev);
        }
        for f in &x.found {
            owners.push(i as u32);
            keys.push(format!("{}:{}", f.kind.tag(), x.value(f)));
        }
    }

    let (ours, clusters) = best_of(3, || {
        let mut c = Correlator::new(Settings::default());
        c.add(std::hint::black_box(&alerts));
        c.cluster_count()
    });
    // All of the correlation page's own work: the engine fed every alert (the page does that
    // page by page during its read), every cluster summarised and ranked, the hubs listed.
    let (page, listed) = best_of(3, || {
        let mut c = Correlator::new(Settings::default());
        c.add(std::hint::black_box(&alerts));
        (c.clusters().len(), c.hubs().len())
    });
    assert_eq!(listed.0, clusters, "one summary per cluster");
    // What a held engine does after one alert changes (the queue's, after a live-refresh
    // delta): adding one alert again is a change to the alerts, so the next question links
    // everything again.
    let mut loaded = Correlator::new(Settings::default());
    loaded.add(&alerts);
    assert_eq!(loaded.cluster_count(), clusters);
    let (relink, relinked) = best_of(3, || {
        loaded.add(&alerts[..1]);
        loaded.cluster_count()
    });
    // A settings change (here a hub put back that is none, then taken out again) keeps the
    // alerts' entities and lists and links again.
    let mut flip = false;
    let (resettle, resettled) = best_of(3, || {
        flip = !flip;
        if flip {
            loaded.include_hub("bench:no such hub");
        } else {
            loaded.exclude_hub("bench:no such hub");
        }
        loaded.cluster_count()
    });
    assert_eq!(
        resettled, clusters,
        "a settings change that changes nothing"
    );
    assert_eq!(relinked, clusters, "linking again gives the same clusters");
    let (naive, naive_clusters) = best_of(3, || {
        let mut c = Correlator::new(Settings::naive());
        c.add(std::hint::black_box(&alerts));
        c.cluster_count()
    });
    let (mut build, mut split, mut components) = (f64::INFINITY, f64::INFINITY, 0.0);
    for _ in 0..3 {
        let r = graphology_components(N as u32, &owners, keys.clone());
        let get = |i: u32| r.get(i).as_f64().unwrap_or(f64::NAN);
        if get(0) + get(1) < build + split {
            (build, split) = (get(0), get(1));
        }
        components = get(2);
    }
    // Plain components over every identifier are what graphology computes: the same count.
    assert_eq!(
        naive_clusters as f64, components,
        "both sides split the same graph"
    );
    console_log!(
        "BENCH {{\"alerts\":{N},\"identifiers\":{},\"vigil_ms\":{ours:.1},\"vigil_clusters\":{clusters},\"vigil_naive_ms\":{naive:.1},\"vigil_page_ms\":{page:.1},\"hubs\":{},\"vigil_relink_ms\":{relink:.1},\"vigil_settings_ms\":{resettle:.1},\"graphology_build_ms\":{build:.1},\"graphology_components_ms\":{split:.1},\"graphology_ms\":{:.1},\"components\":{components}}}",
        keys.len(),
        listed.1,
        build + split
    );
}
