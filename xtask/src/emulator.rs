//! Starting the emulator for the demo, the end-to-end tests and the benchmarks, and stopping
//! it again whatever happens (the guard kills it on drop, also when a stage fails or panics).

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::cmd;

const READY: &str = "VIGIL_EMULATOR_READY ";

/// The three origins the running emulator serves (docs/contracts.md).
pub struct Emulator {
    child: Child,
    pub app: String,
    pub authority: String,
    pub graph: String,
    /// With `--test-token`: the first tenant and a read token for its analyst.
    pub tenant: String,
    pub token: String,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Builds the emulator (`release` for benchmarks) and starts it with `args`.
pub fn start(release: bool, args: &[&str]) -> Result<Emulator, String> {
    let mut build = cmd::command("cargo");
    build.args(["build", "--quiet", "-p", "vigil-emulator"]);
    if release {
        build.arg("--release");
    }
    cmd::run(&mut build)?;
    let binary = cmd::target_dir()
        .join(if release { "release" } else { "debug" })
        .join("vigil-emulator");
    let mut child = cmd::command(binary.to_str().ok_or("non-UTF-8 target path")?)
        .args(args)
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the emulator: {e}"))?;
    let stdout = child.stdout.take().ok_or("emulator stdout")?;
    let (tx, rx) = mpsc::channel();
    // Keep draining the emulator's output after READY, so it never blocks on a full pipe.
    thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(json) = line.strip_prefix(READY) {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(json.to_string());
                }
            } else {
                println!("[emulator] {line}");
            }
        }
    });
    let mut emulator = Emulator {
        child,
        app: String::new(),
        authority: String::new(),
        graph: String::new(),
        tenant: String::new(),
        token: String::new(),
    };
    let json = rx
        .recv_timeout(Duration::from_secs(60))
        .map_err(|_| "the emulator did not report READY within 60 s".to_string())?;
    let ready: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| format!("bad READY line from the emulator: {e}"))?;
    let field = |k: &str| {
        ready[k]
            .as_str()
            .map(str::to_string)
            .ok_or(format!("READY line lacks `{k}`"))
    };
    emulator.app = field("app")?;
    emulator.authority = field("authority")?;
    emulator.graph = field("graph")?;
    emulator.tenant = field("tenant").unwrap_or_default();
    emulator.token = field("token").unwrap_or_default();
    Ok(emulator)
}
