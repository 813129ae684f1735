//! The `vigil-emulator` binary: parses flags, starts the servers, prints the READY line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use vigil_emulator::{BudgetRule, FaultRule, Options, start};

const HELP: &str = "vigil-emulator: Microsoft identity platform + Graph security API on loopback, with a seeded demo tenant.

USAGE: vigil-emulator [FLAGS]

  --port N                     app origin port (default 8080); authority = N+1, Graph = N+2; 0 = all ephemeral
  --authority-port N           identity platform port (default: --port + 1)
  --graph-port N               Graph port (default: --port + 2)
  --seed N                     demo data seed (default 42)
  --alerts N                   alerts in the first tenant (default 2000; the second tenant gets N/4)
  --token-ttl SECONDS          access token lifetime (default 3600)
  --refresh-token-lifetime S   hard cap of a refresh token chain from sign-in (default 86400)
  --operation-seconds S        how long a new eDiscovery operation runs (default 20)
  --operation-speed F          eDiscovery time runs F times faster (default 1): new operations take
                               S/F, legal hold policies leave `pending` F times sooner, seeded work
                               in flight (running operations, custodians `applying`/`removing`)
                               finishes F times sooner. Throttle windows stay in real time
  --state FILE                 persist writes to FILE (temp file + rename after each write) and
                               reload them at start: alerts, incidents, control profiles,
                               submissions and eDiscovery (cases and everything in them)
  --dist DIR                   serve the built app from DIR at the app origin (SPA fallback)
  --budget NAME=N/WINDOW[/C]   throttle budget, e.g. alerts=150/60s or securescore=150/60s/4;
                               names: alerts, incidents, securescore, ediscovery, hunting, default.
                               Per app per tenant, sliding window. Every request counts at arrival,
                               refused (429) ones too; a request is admitted when fewer than N
                               arrived in the WINDOW before it (and fewer than C are in flight).
                               Retry-After = whole seconds (rounded up, at least 1) until the oldest
                               of the last N arrivals leaves the window, so a client that keeps
                               calling stays throttled and one that waits Retry-After gets through
  --no-throttle                disable all budgets (benchmarks)
  --fault PATTERN:SPEC         inject faults on Graph paths matching PATTERN (* wildcards), e.g.
                               '/v1.0/security/alerts_v2*:429=0.2,503=0.05,drop=0.01,latency=300ms@0.5,truncate=0.01,malformed=0.01'
  --spa-origin ORIGIN          extra allowed CORS origin (repeatable)
  --redirect-uri URI           extra registered redirect URI (repeatable)
  --live SECONDS               add one new alert (new incident) to every tenant every SECONDS (off)
  --import [TENANT=]FILE        serve the alerts_v2 objects in FILE (NDJSON, a JSON array or a Graph
                               page {\"value\": [...]}) as the first tenant's alerts (TENANT: a tenant
                               id or contoso/fabrikam) instead of generated ones; incidents are built
                               from their incidentIds. An invalid alert stops the start, naming its line
  --truth-file FILE            write the planted stories and Secure Score facts of every tenant to
                               FILE as JSON before READY (the tests' answers: out of band, never
                               served)
  --test-token                 add to the READY line a read token for the first tenant's analyst
                               (\"token\"), for browser tests that cannot click through sign-in
  --help                       this text

Request log (not Graph): GET {graph}/_emulator/requests?tenant=ID&family=ediscovery lists every
Graph request received ({time, timeMs, tenant, family, method, version, path, status}, oldest
first, 429s and $batch items included), so a test can check a client's request rate.
Test controls (POST, no token): {graph}/_emulator/clock?advance=SECONDS,
{graph}/_emulator/revoke?tenant=ID&what=access|session|claims, {graph}/_emulator/live?alerts=N.

When all listeners are bound it prints one line to stdout:
  VIGIL_EMULATOR_READY {\"app\":\"http://127.0.0.1:8080\",\"authority\":\"http://127.0.0.1:8081\",\"graph\":\"http://127.0.0.1:8082\"}
";

/// What the command line asks for beyond the emulator's options.
struct Cli {
    options: Options,
    test_token: bool,
    truth_file: Option<PathBuf>,
}

fn parse(args: Vec<String>) -> Result<Option<Cli>, String> {
    let mut o = Options::default();
    let mut test_token = false;
    let mut truth_file = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") && f != "--budget" && f != "--fault" => {
                (f.to_string(), Some(v.to_string()))
            }
            _ => (a.clone(), None),
        };
        let mut val = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let num = |s: String, name: &str| {
            s.parse::<u64>()
                .map_err(|_| format!("{name}: '{s}' is not a number"))
        };
        match flag.as_str() {
            "--help" | "-h" => return Ok(None),
            "--port" => o.port = num(val("--port")?, "--port")? as u16,
            "--authority-port" => {
                o.authority_port = Some(num(val("--authority-port")?, "--authority-port")? as u16)
            }
            "--graph-port" => {
                o.graph_port = Some(num(val("--graph-port")?, "--graph-port")? as u16)
            }
            "--seed" => o.seed = num(val("--seed")?, "--seed")?,
            "--alerts" => o.alerts = num(val("--alerts")?, "--alerts")? as usize,
            "--token-ttl" => {
                o.token_ttl = Duration::from_secs(num(val("--token-ttl")?, "--token-ttl")?)
            }
            "--refresh-token-lifetime" => {
                o.refresh_token_lifetime = Duration::from_secs(num(
                    val("--refresh-token-lifetime")?,
                    "--refresh-token-lifetime",
                )?)
            }
            "--operation-seconds" => {
                o.operation_duration =
                    Duration::from_secs(num(val("--operation-seconds")?, "--operation-seconds")?)
            }
            "--operation-speed" => {
                let v = val("--operation-speed")?;
                o.operation_speed = v
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite() && *f > 0.0)
                    .ok_or_else(|| format!("--operation-speed: '{v}' is not a positive number"))?;
            }
            "--state" => o.state = Some(PathBuf::from(val("--state")?)),
            "--dist" => o.dist = Some(PathBuf::from(val("--dist")?)),
            "--budget" => o.budgets.set(BudgetRule::parse(&val("--budget")?)?),
            "--no-throttle" => o.budgets.enabled = false,
            "--fault" => o.faults.push(FaultRule::parse(&val("--fault")?)?),
            "--spa-origin" => o.spa_origins.push(val("--spa-origin")?),
            "--redirect-uri" => o.redirect_uris.push(val("--redirect-uri")?),
            "--live" => {
                o.live_interval = Some(Duration::from_secs(num(val("--live")?, "--live")?.max(1)))
            }
            "--import" => o
                .imports
                .push(vigil_emulator::Import::parse(&val("--import")?)?),
            "--test-token" => test_token = true,
            "--truth-file" => truth_file = Some(PathBuf::from(val("--truth-file")?)),
            other => return Err(format!("unknown flag '{other}' (see --help)")),
        }
    }
    Ok(Some(Cli {
        options: o,
        test_token,
        truth_file,
    }))
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match parse(std::env::args().skip(1).collect()) {
        Ok(Some(cli)) => cli,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("vigil-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let running = match start(cli.options).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("vigil-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &cli.truth_file
        && let Err(e) = write_truth(&running, path)
    {
        eprintln!("vigil-emulator: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    // Handlers go in before the READY line: a supervisor may signal as soon as it reads it.
    let stop = shutdown_signal();
    let mut ready = serde_json::json!({"app": running.app_url(), "authority": running.authority_url(), "graph": running.graph_url()});
    if cli.test_token {
        let tenant = running.tenants()[0].id.clone();
        let token = running.mint_access_token(
            &tenant,
            "alex.analyst@contoso.example",
            &["SecurityAlert.Read.All"],
        );
        ready["token"] = token.into();
        ready["tenant"] = tenant.into();
    }
    let mut out = std::io::stdout();
    let _ = writeln!(out, "VIGIL_EMULATOR_READY {ready}");
    let _ = out.flush();
    stop.await;
    running.shutdown().await;
    ExitCode::SUCCESS
}

/// `{"<tenant id>": {"name", "stories": [...], "score": {...}}}` for every tenant.
fn write_truth(running: &vigil_emulator::Running, path: &std::path::Path) -> std::io::Result<()> {
    let mut all = serde_json::Map::new();
    for t in running.tenants() {
        all.insert(
            t.id.clone(),
            serde_json::json!({
                "name": t.name,
                "stories": running.ground_truth(&t.id),
                "score": running.score_truth(&t.id),
            }),
        );
    }
    std::fs::write(path, serde_json::Value::Object(all).to_string())
}

/// Registers SIGTERM and SIGINT handlers now and returns a future that ends on either.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate()).ok();
        let int = signal(SignalKind::interrupt()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(term) => {}
                _ = wait(int) => {}
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
