//! Reliability under injected faults (issue #17), against the emulator in this process:
//!
//! - 500 triage writes through the bulk job the app runs (20 per `$batch`, a comment on each
//!   alert whose change is confirmed, the failures retried as the app's "Retry the failures"
//!   does) with 20 % 429, 5 % 503 and 2 % dropped connections on `$batch`: the emulator's final
//!   state against the intended one (alerts not changed, comments missing or duplicated), and
//!   the time beside the same job with no faults. The client paces itself to Graph's budget
//!   and honours Retry-After, both on a clock 100 times faster than real (`ACCELERATION`): the
//!   times are the waits and the work scaled alike, comparable with each other only.
//! - 100,000 alerts paged in pages of 2,000 under the same faults: alerts missing and
//!   duplicated (accelerated time: only the counts are figures).
//!
//! Prints one `RELIABILITY {json}` line per scenario; `cargo xtask bench` reads them.

use std::collections::HashMap;
use std::rc::Rc;
use std::time::Instant;

use vigil_core::models::{AlertClassification, AlertDetermination, AlertStatus, AlertUpdate};
use vigil_core::native::NativeTransport;
use vigil_core::odata::Query;
use vigil_core::queue::bulk::BulkJob;
use vigil_core::{GraphClient, StaticToken};
use vigil_emulator::{FaultRule, Options, Running};

const ANALYST: &str = "alex.analyst@contoso.example";
const WRITES: usize = 500;
/// How much faster than real time the client's waits run in the triage scenario.
const ACCELERATION: f64 = 100.0;

fn faults(pattern: &str) -> Vec<FaultRule> {
    vec![FaultRule {
        pattern: pattern.into(),
        rate_429: 0.2,
        rate_503: 0.05,
        drop: 0.02,
        ..Default::default()
    }]
}

/// The emulator with the faults and no budgets: the service's own 429s are answered the same
/// way, but waiting out a minute's budget would only measure the budget.
async fn emulator(alerts: usize, faults: Vec<FaultRule>) -> Running {
    let mut opts = Options {
        port: 0,
        alerts,
        faults,
        ..Options::default()
    };
    opts.budgets.enabled = false;
    vigil_emulator::start(opts).await.expect("emulator starts")
}

fn client(emu: &Running, time_scale: f64) -> GraphClient<NativeTransport> {
    let tenant = emu.tenants()[0].id.clone();
    let token = emu.mint_access_token(&tenant, ANALYST, &["SecurityAlert.ReadWrite.All"]);
    GraphClient::new(
        NativeTransport::with_time_scale(time_scale).with_seed(11),
        emu.graph_url(),
        &tenant,
        Rc::new(StaticToken(token)),
    )
    .expect("client")
}

/// Every alert of the tenant, by id.
async fn all_alerts(
    c: &GraphClient<NativeTransport>,
    top: u32,
) -> (HashMap<String, vigil_core::models::Alert>, usize) {
    let mut pages = c.list_alerts(&Query::new().top(top));
    let (mut by_id, mut seen) = (HashMap::new(), 0);
    while let Some(page) = pages.next().await {
        for a in page.expect("a page of alerts").items {
            seen += 1;
            by_id.insert(a.id.0.clone(), a);
        }
    }
    (by_id, seen)
}

/// The bulk job over the first `WRITES` open alerts; returns the RELIABILITY record.
async fn triage(faulty: bool) -> serde_json::Value {
    let emu = emulator(
        2_000,
        if faulty {
            faults("/v1.0/$batch")
        } else {
            Vec::new()
        },
    )
    .await;
    let c = client(&emu, ACCELERATION);
    let (before, _) = all_alerts(&c, 999).await;
    let mut ids: Vec<&String> = before
        .iter()
        .filter(|(_, a)| a.status != Some(AlertStatus::Resolved))
        .map(|(id, _)| id)
        .collect();
    vigil_core::sort::by(&mut ids, |a, b| a.cmp(b));
    ids.truncate(WRITES);
    assert_eq!(ids.len(), WRITES, "enough open alerts");
    let update = AlertUpdate {
        status: Some(AlertStatus::Resolved),
        classification: Some(AlertClassification::FalsePositive),
        determination: Some(AlertDetermination::Other),
        ..Default::default()
    };
    let text = "Reliability run: resolved as a false positive";
    let mut job = BulkJob::new(
        ids.iter()
            .map(|id| vigil_core::models::AlertId::new(id.as_str())),
        update.clone(),
    )
    .expect("a job")
    .with_comment(text);
    let started = Instant::now();
    let mut rounds = 0;
    loop {
        rounds += 1;
        let p = job.run(&c, |_, _| {}).await;
        if p.failed == 0 || rounds == 20 {
            break;
        }
        job.retry_failures();
    }
    let seconds = started.elapsed().as_secs_f64();
    let progress = job.progress();
    let (after, _) = all_alerts(&c, 999).await;
    let (mut unchanged, mut missing, mut duplicated) = (0, 0, 0);
    for id in &ids {
        let a = &after[id.as_str()];
        if vigil_core::queue::bulk::confirms(&update, a).is_err() {
            unchanged += 1;
        }
        let n = a
            .comments
            .iter()
            .filter(|k| k.comment.as_deref() == Some(text))
            .count();
        missing += usize::from(n == 0);
        duplicated += n.saturating_sub(1);
    }
    emu.shutdown().await;
    serde_json::json!({
        "scenario": "triage",
        "faults": faulty,
        "writes": WRITES,
        "seconds": seconds,
        "acceleration": ACCELERATION,
        "rounds": rounds,
        "confirmed": progress.confirmed,
        "unchanged": unchanged,
        "commentsMissing": missing,
        "commentsDuplicated": duplicated,
    })
}

/// 100,000 alerts paged through the same faults.
async fn load() -> serde_json::Value {
    let emu = emulator(100_000, faults("/v1.0/security/alerts_v2")).await;
    let c = client(&emu, 1000.0);
    let started = Instant::now();
    let (by_id, seen) = all_alerts(&c, 2_000).await;
    let seconds = started.elapsed().as_secs_f64();
    emu.shutdown().await;
    serde_json::json!({
        "scenario": "load",
        "alerts": 100_000,
        "seconds": seconds,
        "missing": 100_000usize.saturating_sub(by_id.len()),
        "duplicated": seen - by_id.len(),
    })
}

fn main() {
    // `cargo bench` passes `--bench`; there is nothing to filter.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async {
        for record in [triage(false).await, triage(true).await, load().await] {
            println!("RELIABILITY {record}");
        }
    });
}
