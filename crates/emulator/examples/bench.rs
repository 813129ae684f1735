//! Measures start-up with N alerts and how fast alert pages are served over loopback.
//! `cargo run --release -p vigil-emulator --example bench -- 100000 4`
//! (alerts, concurrent clients; each client follows nextLinks through the whole tenant).

use std::time::Instant;

use vigil_emulator::{Options, start};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let alerts: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let clients: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(4);
    let mut o = Options {
        port: 0,
        alerts,
        ..Options::default()
    };
    o.budgets.enabled = false;
    let t = Instant::now();
    let emu = match start(o).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("start failed: {e}");
            return;
        }
    };
    let startup = t.elapsed().as_secs_f64();
    println!("started with {alerts} alerts in {startup:.2} s");
    let token = emu.mint_access_token(
        &emu.tenants()[0].id,
        "alex.analyst@contoso.example",
        &["SecurityAlert.Read.All"],
    );
    let first = format!("{}/v1.0/security/alerts_v2?$top=100", emu.graph_url());
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (url, token) = (first.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut next = Some(url);
            let mut pages = 0usize;
            while let Some(u) = next {
                let Ok(r) = http.get(&u).bearer_auth(&token).send().await else {
                    break;
                };
                let Ok(body) = r.bytes().await else { break };
                pages += 1;
                // Only the nextLink is needed: find it without parsing the whole page.
                next = std::str::from_utf8(&body)
                    .ok()
                    .and_then(|s| s.split_once("\"@odata.nextLink\":\""))
                    .and_then(|(_, rest)| rest.split_once('"'))
                    .map(|(link, _)| link.to_string());
            }
            pages
        }));
    }
    let mut pages = 0;
    for t in tasks {
        pages += t.await.unwrap_or(0);
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{pages} pages of 100 alerts in {secs:.2} s: {:.0} pages/s with {clients} clients",
        pages as f64 / secs
    );
    // One machine-readable line for `cargo xtask bench`.
    println!(
        "BENCH {{\"startup_s\":{startup},\"pages_per_s\":{},\"clients\":{clients},\"alerts\":{alerts}}}",
        pages as f64 / secs
    );
    emu.shutdown().await;
}
