//! Running child processes with the project's tool paths, and the paths themselves.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

/// The workspace root (xtask lives one level below it). `cargo run` sets CARGO_MANIFEST_DIR
/// at run time; that value wins over the compile-time one because two checkouts sharing one
/// target directory can end up running each other's (identical) xtask binary.
pub fn root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// The cargo target directory, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Where `cargo install` puts the pinned tools: cargo's own bin directory, so they are
/// reused by later runs on the same machine (a fresh clone included).
pub fn cargo_bin_dir() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into())).join(".cargo")
        });
    home.join("bin")
}

/// PATH with the npm tools (wasm-opt from binaryen@132) and cargo's bin directory first.
pub fn tool_path() -> OsString {
    let mut dirs = vec![root().join("node_modules/.bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH entries are valid")
}

/// A command that runs in the workspace root with the tool PATH.
pub fn command(program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root()).env("PATH", tool_path());
    cmd
}

/// Runs a command with inherited output; an error names the command and its exit status.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = describe(cmd);
    println!("$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command, streaming its stdout and stderr to ours, and returns all it printed
/// (both streams) so a caller can read test counts from it.
pub fn run_captured(cmd: &mut Command) -> (bool, String) {
    let shown = describe(cmd);
    println!("$ {shown}");
    let mut child = match cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(e) => return (false, format!("could not start `{shown}`: {e}")),
    };
    let (tx, rx) = mpsc::channel::<String>();
    let pumps: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .enumerate()
    .map(|(i, stream)| {
        let tx = tx.clone();
        thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if i == 0 {
                    println!("{line}")
                } else {
                    eprintln!("{line}")
                }
                let _ = tx.send(line);
            }
        })
    })
    .collect();
    drop(tx);
    let output: Vec<String> = rx.iter().collect();
    for pump in pumps {
        let _ = pump.join();
    }
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    (ok, output.join("\n"))
}

/// Runs a command quietly and returns its trimmed stdout when it succeeds.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}
