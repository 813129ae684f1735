//! The binary: `--help`, the READY line of contracts.md, and a clean exit on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_vigil-emulator");

#[test]
fn help_documents_every_flag() {
    let out = Command::new(BIN)
        .arg("--help")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--port",
        "--authority-port",
        "--graph-port",
        "--seed",
        "--alerts",
        "--token-ttl",
        "--refresh-token-lifetime",
        "--operation-seconds",
        "--state",
        "--dist",
        "--budget",
        "--no-throttle",
        "--fault",
        "--spa-origin",
        "--redirect-uri",
        "--live",
    ] {
        assert!(text.contains(flag), "--help does not mention {flag}");
    }
    let bad = Command::new(BIN)
        .arg("--bogus")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bad.status.code(), Some(2));
    let bad = Command::new(BIN)
        .args(["--fault", "nope"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn ready_line_then_clean_exit_on_sigterm() {
    let mut child = Command::new(BIN)
        .args([
            "--port",
            "0",
            "--alerts",
            "50",
            "--budget",
            "alerts=10/60s",
            "--fault",
            "/v1.0/none*:503=1",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut line = String::new();
    let _ = BufReader::new(stdout).read_line(&mut line);
    let json = line
        .trim_end()
        .strip_prefix("VIGIL_EMULATOR_READY ")
        .unwrap_or_else(|| panic!("bad READY line: {line:?}"));
    let urls: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    for k in ["app", "authority", "graph"] {
        assert!(
            urls[k]
                .as_str()
                .is_some_and(|u| u.starts_with("http://127.0.0.1:")),
            "{k}: {line}"
        );
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success());
    let exit = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert!(exit.success(), "exit status {exit:?}");
}
